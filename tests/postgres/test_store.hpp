#pragma once
// Which store backend the tests run against, and scratch PostgreSQL databases.
//
// ENDSTATE_TEST_DB_BACKEND=postgresql (set by the ctest label `postgres`,
// tests/postgres/CMakeLists.txt) makes the fixtures use a fresh database of
// the throwaway cluster (PGHOST, PGPORT, PGUSER point at it) instead of an
// SQLite file. Databases are created from the template endstate_template
// (PostGIS enabled) and dropped at the end of the test.

#include <unistd.h>

#include <atomic>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

namespace endstate::testing {

/// True when the tests run against PostgreSQL: ENDSTATE_TEST_DB_BACKEND is
/// "postgresql" (the server from PGHOST, PGPORT, PGUSER) or "postgresql:DIR"
/// (the test cluster in DIR: its DIR/env sets those variables for this
/// process and the endstate processes it starts).
inline bool postgres_backend() {
  static const bool on = [] {
    const char* b = std::getenv("ENDSTATE_TEST_DB_BACKEND");
    if (!b) return false;
    const std::string v = b;
    if (v == "postgresql") return true;
    if (v.rfind("postgresql:", 0) != 0) return false;
    const std::string env_file = v.substr(11) + "/env";
    std::FILE* f = std::fopen(env_file.c_str(), "r");
    if (!f) {
      std::fprintf(stderr, "ENDSTATE_TEST_DB_BACKEND: no %s (the test cluster did not start)\n", env_file.c_str());
      std::abort();
    }
    char line[4096];
    while (std::fgets(line, sizeof line, f)) {
      std::string kv = line;
      while (!kv.empty() && (kv.back() == '\n' || kv.back() == '\r')) kv.pop_back();
      const auto eq = kv.find('=');
      if (eq != std::string::npos) ::setenv(kv.substr(0, eq).c_str(), kv.substr(eq + 1).c_str(), 1);
    }
    std::fclose(f);
    return true;
  }();
  return on;
}

/// "postgresql" or "sqlite", for messages.
inline std::string backend_name() { return postgres_backend() ? "postgresql" : "sqlite"; }

/// Runs a shell command; its standard output in *out when given.
inline int shell(const std::string& cmd, std::string* out = nullptr) {
  FILE* p = ::popen((cmd + (out ? "" : " >/dev/null")).c_str(), "r");
  if (!p) return -1;
  std::string text;
  char buf[4096];
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) text.append(buf, n);
  const int status = ::pclose(p);
  if (out) *out = text;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

inline std::string quote(const std::string& s) {
  std::string o = "'";
  for (char c : s) o += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return o + "'";
}

/// A fresh PostgreSQL database of the test cluster, dropped when this goes.
class ScratchDatabase {
 public:
  /// `hint` becomes part of the name (the test's name, say).
  explicit ScratchDatabase(const std::string& hint) {
    static std::atomic<int> counter{0};
    std::string clean;
    for (char c : hint) {
      if (clean.size() >= 36) break;
      clean += std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::tolower(c)) : '_';
    }
    name_ = "es_" + clean + "_" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
    const int rc = psql_in("postgres", "CREATE DATABASE " + name_ + " TEMPLATE endstate_template");
    if (rc != 0) {
      std::fprintf(stderr, "cannot create the test database %s (is the test cluster running? PGHOST=%s)\n",
                   name_.c_str(), std::getenv("PGHOST") ? std::getenv("PGHOST") : "");
      std::abort();
    }
  }
  ~ScratchDatabase() {
    if (!name_.empty()) psql_in("postgres", "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
  }
  ScratchDatabase(const ScratchDatabase&) = delete;
  ScratchDatabase& operator=(const ScratchDatabase&) = delete;

  [[nodiscard]] const std::string& name() const { return name_; }
  /// The --db location (host, port and user from PGHOST, PGPORT, PGUSER).
  [[nodiscard]] std::string location() const { return "postgresql:///" + name_; }
  /// Runs SQL in this database with psql (search_path endstate first); 0 on success.
  int psql(const std::string& sql, std::string* out = nullptr) const {
    return psql_in(name_, "SET search_path = endstate, public; " + sql, out);
  }
  /// The data of the endstate schema as pg_dump writes it, without sequence
  /// positions (which a rolled-back transaction advances) and pg_dump's random
  /// \restrict keys: equal dumps mean
  /// nothing was written.
  [[nodiscard]] std::string fingerprint() const {
    std::string out;
    shell("pg_dump --data-only --no-owner --no-privileges -n endstate -d " + quote(name_) +
              " 2>&1 | grep -v -e setval -e '^--' -e '^\\\\restrict' -e '^\\\\unrestrict'",
          &out);
    return out;
  }
  /// The rows of the store's tables (endstate.meta aside): "" when there is
  /// no store or its tables are empty. A first write command that fails
  /// leaves the empty schema it created (docs/deployment.md, known limits);
  /// this tells "no rows written" apart from any row written.
  [[nodiscard]] std::string data_fingerprint() const {
    if (!has_store()) return {};
    std::string dump, out, block;
    shell("pg_dump --data-only --no-owner --no-privileges -n endstate -T endstate.meta -d " + quote(name_) +
              " 2>/dev/null",
          &dump);
    bool in_copy = false, has_rows = false;
    std::size_t start = 0;
    while (start < dump.size()) {
      auto end = dump.find('\n', start);
      if (end == std::string::npos) end = dump.size();
      const std::string line = dump.substr(start, end - start);
      start = end + 1;
      if (!in_copy && line.rfind("COPY ", 0) == 0) {
        in_copy = true;
        has_rows = false;
        block = line + "\n";
      } else if (in_copy && line == "\\.") {
        if (has_rows) out += block;
        in_copy = false;
      } else if (in_copy) {
        block += line + "\n";
        has_rows = true;
      }
    }
    return out;
  }
  /// True when the cluster has a database `name`.
  static bool exists(const std::string& name) {
    std::string out;
    psql_in("postgres", "SELECT count(*) FROM pg_database WHERE datname = '" + name + "'", &out);
    return out.find('1') != std::string::npos;
  }
  /// Renames this database to `name` and keeps it (it is no longer dropped
  /// here): a template for recreate_from. 0 on success.
  int rename_to(const std::string& name) {
    const int rc = psql_in("postgres", "ALTER DATABASE " + name_ + " RENAME TO " + name);
    if (rc == 0) name_.clear();
    return rc;
  }
  /// Drops this database and makes it again as a copy of `template_name`. 0 on success.
  int recreate_from(const std::string& template_name) const {
    return psql_in("postgres", "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)") |
           psql_in("postgres", "CREATE DATABASE " + name_ + " TEMPLATE " + template_name);
  }
  /// True when endstate created its schema here.
  [[nodiscard]] bool has_store() const {
    std::string out;
    psql_in(name_, "SELECT count(*) FROM pg_namespace WHERE nspname = 'endstate'", &out);
    return out.find('1') != std::string::npos;
  }

 private:
  static int psql_in(const std::string& db, const std::string& sql, std::string* out = nullptr) {
    return shell("psql -X -q -t -A -v ON_ERROR_STOP=1 -d " + quote(db) + " -c " + quote(sql) + " 2>&1", out);
  }
  std::string name_;
};

}  // namespace endstate::testing
