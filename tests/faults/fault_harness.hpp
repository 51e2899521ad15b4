#pragma once
// The fault suite's tools: run the endstate binary as a child process under
// chosen faults (a file-size limit with SIGXFSZ ignored, an unprivileged
// user, a private TMPDIR), watch its progress through /proc (CPU ticks and
// bytes written) to kill it with SIGKILL at a chosen point of its work, and
// look at a database from outside with the SQLite API (integrity check,
// content fingerprint, holding the write lock). The Carana demo database is
// built once per build tree and shared by every test process (flock).

#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "test_config.hpp"

namespace endstate::faults {

namespace fs = std::filesystem;

inline std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline void write_file(const fs::path& p, const std::string& content) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << content;
}

/// File names in a folder (not recursive).
inline std::set<std::string> listing(const fs::path& d) {
  std::set<std::string> s;
  for (const auto& e : fs::directory_iterator(d)) s.insert(e.path().filename().string());
  return s;
}

// --- child processes -------------------------------------------------------------------

/// The binary under test: this build's, or ENDSTATE_FAULTS_BINARY (to run the
/// suite against another build, e.g. one from before a fix, and watch it fail).
inline std::string binary() {
  if (const char* b = std::getenv("ENDSTATE_FAULTS_BINARY"); b && *b) return b;
  return endstate::testing::endstate_binary();
}

/// How to run one endstate command.
struct Spawn {
  std::vector<std::string> args;        ///< after the binary (include --db PATH)
  fs::path cwd;                         ///< working folder; also holds .out / .err unless given
  fs::path out, err;                    ///< stdout / stderr files (default cwd/.out, cwd/.err)
  std::optional<rlim_t> fsize_limit;    ///< RLIMIT_FSIZE in bytes, SIGXFSZ ignored
  std::optional<rlim_t> address_space;  ///< RLIMIT_AS in bytes
  bool unprivileged = false;            ///< as uid/gid 65534 when the tests run as root
  fs::path tmpdir;                      ///< TMPDIR of the child (when not empty)
};

struct Outcome {
  int code = -1;     ///< exit code, or -1 when killed by a signal
  int signal = 0;    ///< the signal that ended it, 0 when it exited
  std::string out;   ///< its stdout
  std::string err;   ///< its stderr
  double cpu_s = 0;  ///< user + system CPU seconds
};

inline pid_t spawn(const Spawn& s) {
  const fs::path out = s.out.empty() ? s.cwd / ".out" : s.out;
  const fs::path err = s.err.empty() ? s.cwd / ".err" : s.err;
  std::vector<std::string> argv_s{binary()};
  argv_s.insert(argv_s.end(), s.args.begin(), s.args.end());
  std::vector<char*> argv;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    // Child: only async-signal-safe calls from here on.
    if (::chdir(s.cwd.c_str()) != 0) ::_exit(120);
    const int fo = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0666);
    const int fe = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0666);
    const int fi = ::open("/dev/null", O_RDONLY);
    if (fo < 0 || fe < 0 || fi < 0) ::_exit(121);
    ::dup2(fi, 0);
    ::dup2(fo, 1);
    ::dup2(fe, 2);
    if (!s.tmpdir.empty()) ::setenv("TMPDIR", s.tmpdir.c_str(), 1);
    if (s.fsize_limit) {
      ::signal(SIGXFSZ, SIG_IGN);  // a write past the limit then fails with EFBIG
      const rlimit r{*s.fsize_limit, *s.fsize_limit};
      if (::setrlimit(RLIMIT_FSIZE, &r) != 0) ::_exit(122);
    }
    if (s.address_space) {
      const rlimit r{*s.address_space, *s.address_space};
      if (::setrlimit(RLIMIT_AS, &r) != 0) ::_exit(123);
    }
    if (s.unprivileged && ::geteuid() == 0) {
      if (::setgroups(0, nullptr) != 0 || ::setgid(65534) != 0 || ::setuid(65534) != 0) ::_exit(124);
    }
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  return pid;
}

inline Outcome wait_for(pid_t pid, const Spawn& s) {
  int status = 0;
  rusage ru{};
  while (::wait4(pid, &status, 0, &ru) < 0) {
    if (errno != EINTR) throw std::runtime_error("wait4 failed");
  }
  Outcome o;
  if (WIFEXITED(status)) o.code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) o.signal = WTERMSIG(status);
  o.cpu_s = static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
            static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e-6;
  o.out = read_file(s.out.empty() ? s.cwd / ".out" : s.out);
  o.err = read_file(s.err.empty() ? s.cwd / ".err" : s.err);
  return o;
}

inline Outcome run(const Spawn& s) { return wait_for(spawn(s), s); }

/// What /proc says of a running child: CPU ticks used and bytes written so
/// far; `running` is false once it has exited (a zombie) or vanished.
struct Progress {
  bool running = false;
  long long ticks = 0;
  long long wchar = 0;
};

inline Progress progress_of(pid_t pid) {
  Progress p;
  const std::string stat = read_file("/proc/" + std::to_string(pid) + "/stat");
  const auto rp = stat.rfind(')');
  if (rp == std::string::npos) return p;
  std::istringstream fields(stat.substr(rp + 2));
  std::string state;
  fields >> state;
  if (state == "Z" || state == "X") return p;
  std::string skip;
  for (int i = 0; i < 10; ++i) fields >> skip;  // fields 4..13
  long long utime = 0, stime = 0;
  fields >> utime >> stime;
  p.running = true;
  p.ticks = utime + stime;
  std::istringstream io(read_file("/proc/" + std::to_string(pid) + "/io"));
  std::string key;
  long long v = 0;
  while (io >> key >> v) {
    if (key == "wchar:") p.wchar = v;
  }
  return p;
}

/// True when the child has `file` open (it has opened the database).
inline bool has_open(pid_t pid, const fs::path& file) {
  std::error_code ec;
  const fs::path want = fs::weakly_canonical(file, ec);
  for (auto it = fs::directory_iterator("/proc/" + std::to_string(pid) + "/fd", ec);
       !ec && it != fs::directory_iterator(); it.increment(ec)) {
    std::error_code e2;
    if (fs::read_symlink(it->path(), e2) == want) return true;
  }
  return false;
}

/// Where to kill: after this many CPU ticks, or after this many bytes written.
struct KillPoint {
  enum class By { kCpuTicks, kBytesWritten } by = By::kCpuTicks;
  long long at = 0;
};

/// Runs `s` and sends SIGKILL once the child's progress reaches `k`
/// (polled every 0.5 ms). Returns the outcome; outcome.signal == SIGKILL when
/// the kill landed before the child finished by itself.
inline Outcome run_and_kill(const Spawn& s, const KillPoint& k) {
  const pid_t pid = spawn(s);
  for (;;) {
    const Progress p = progress_of(pid);
    if (!p.running) break;
    const long long v = k.by == KillPoint::By::kCpuTicks ? p.ticks : p.wchar;
    if (v >= k.at) {
      ::kill(pid, SIGKILL);
      break;
    }
    const timespec ts{0, 500000};
    ::nanosleep(&ts, nullptr);
  }
  return wait_for(pid, s);
}

/// Makes a folder usable by the unprivileged user the tests switch to.
inline void open_to_all(const fs::path& p) { ::chmod(p.c_str(), 0777); }

// --- looking at a database from outside ------------------------------------------------

class Sqlite {
 public:
  explicit Sqlite(const fs::path& db, int flags = SQLITE_OPEN_READWRITE) {
    if (sqlite3_open_v2(db.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
      const std::string m = db_ ? sqlite3_errmsg(db_) : "out of memory";
      sqlite3_close(db_);
      db_ = nullptr;
      throw std::runtime_error("cannot open " + db.string() + ": " + m);
    }
  }
  ~Sqlite() {
    if (db_) sqlite3_close(db_);
  }
  Sqlite(const Sqlite&) = delete;
  Sqlite& operator=(const Sqlite&) = delete;

  /// SQLite's result code of `sql` (no rows expected).
  int exec(const std::string& sql) { return sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr); }

  /// Every row of `sql`, columns joined by '|', rows by '\n'.
  std::string rows(const std::string& sql) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
      throw std::runtime_error(std::string("prepare failed: ") + sqlite3_errmsg(db_) + " in " + sql);
    }
    std::string out;
    int rc = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
      for (int i = 0; i < sqlite3_column_count(st); ++i) {
        if (i) out += '|';
        const auto* t = sqlite3_column_text(st, i);
        out += t ? reinterpret_cast<const char*>(t) : "NULL";
      }
      out += '\n';
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) throw std::runtime_error(std::string("step failed: ") + sqlite3_errmsg(db_));
    return out;
  }

  sqlite3* handle() { return db_; }

 private:
  sqlite3* db_ = nullptr;
};

inline std::string integrity_check(const fs::path& db) { return Sqlite(db).rows("PRAGMA integrity_check"); }

/// Columns that differ between two identical runs: times, and the audit
/// hashes that chain them.
inline bool time_dependent(const std::string& table, const std::string& column) {
  static const std::set<std::string> kColumns{"at",   "imported_at", "created_at", "signed_at",
                                              "hash", "prev_hash",   "head_hash"};
  if (kColumns.count(column)) return true;
  return table == "audit_log" && column == "payload";  // carries the time of what it records
}

/// Every row of every table (time-dependent columns left out), sorted: equal
/// fingerprints mean the same content whatever the page layout.
inline std::string content(const fs::path& db) {
  Sqlite s(db);
  std::string out;
  std::istringstream tables(
      s.rows("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
             "ORDER BY name"));
  std::string table;
  while (std::getline(tables, table)) {
    std::istringstream cols(s.rows("SELECT name FROM pragma_table_info('" + table + "') ORDER BY cid"));
    std::string col, list;
    while (std::getline(cols, col)) {
      if (time_dependent(table, col)) continue;
      list += (list.empty() ? "" : ", ") + ("\"" + col + "\"");
    }
    if (list.empty()) continue;
    out += "## " + table + "\n" + s.rows("SELECT " + list + " FROM \"" + table + "\" ORDER BY " + list);
  }
  return out;
}

/// One number per table: quick to compare and print.
inline std::string counts(const fs::path& db) {
  Sqlite s(db);
  std::string out;
  std::istringstream tables(
      s.rows("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
             "ORDER BY name"));
  std::string table;
  while (std::getline(tables, table)) {
    std::string n = s.rows("SELECT count(*) FROM \"" + table + "\"");
    if (!n.empty() && n.back() == '\n') n.pop_back();
    out += table + "=" + n + " ";
  }
  return out;
}

/// Holds the database's write lock (BEGIN IMMEDIATE) from this process until
/// release() or destruction.
class WriteLock {
 public:
  explicit WriteLock(const fs::path& db) : s_(db) {
    if (s_.exec("BEGIN IMMEDIATE") != SQLITE_OK)
      throw std::runtime_error("cannot take the write lock on " + db.string());
  }
  ~WriteLock() { release(); }
  void release() {
    if (held_) s_.exec("ROLLBACK");
    held_ = false;
  }

 private:
  Sqlite s_;
  bool held_ = true;
};

/// True when another connection holds the write lock (a BEGIN IMMEDIATE without waiting fails).
inline bool write_locked(const fs::path& db) {
  Sqlite s(db);
  if (s.exec("BEGIN IMMEDIATE") == SQLITE_OK) {
    s.exec("ROLLBACK");
    return false;
  }
  return true;
}

// --- the shared demo database -----------------------------------------------------------

/// The Carana demo (endstate demo --out), built once per build tree and binary
/// (a stamp of the binary's size and time) under an flock, so that parallel
/// test processes share it. Tests copy what they change.
inline fs::path demo_dir() {
  const fs::path root = endstate::testing::binary_dir() / "tests" / "faults" / "demo-cache";
  fs::create_directories(root);
  const fs::path bin = binary();
  const std::string stamp =
      std::to_string(fs::file_size(bin)) + "-" + std::to_string(fs::last_write_time(bin).time_since_epoch().count());
  const int lock = ::open((root / "lock").c_str(), O_RDWR | O_CREAT, 0666);
  if (lock < 0 || ::flock(lock, LOCK_EX) != 0) throw std::runtime_error("cannot lock " + root.string());
  const fs::path demo = root / "demo";
  if (read_file(root / "stamp") != stamp || !fs::exists(demo / "endstate.db")) {
    fs::remove_all(demo);
    fs::remove(root / "stamp");
    Spawn s;
    s.args = {"demo", "--out", demo.string()};
    s.cwd = root;
    const Outcome o = run(s);
    if (o.code != 0) {
      ::close(lock);
      throw std::runtime_error("endstate demo failed: " + o.err);
    }
    write_file(root / "stamp", stamp);
  }
  ::close(lock);
  return demo;
}

/// A scratch folder per test, removed when the test passed.
class FaultFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() / "endstate_faults" / (std::string(info->test_suite_name()) + "_" + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    demo_ = demo_dir();
  }
  void TearDown() override {
    // Give the folders back their permissions before removing them.
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(dir_, ec); it != fs::recursive_directory_iterator(); ++it) {
      if (it->is_directory(ec)) ::chmod(it->path().c_str(), 0755);
    }
    if (!HasFailure()) fs::remove_all(dir_, ec);
  }

  /// A fresh copy of the demo database in `folder` (created), as endstate.db.
  fs::path copy_demo(const fs::path& folder) const {
    fs::create_directories(folder);
    const fs::path db = folder / "endstate.db";
    fs::copy_file(demo_ / "endstate.db", db, fs::copy_options::overwrite_existing);
    return db;
  }

  Spawn command(const fs::path& db, std::vector<std::string> args) const {
    Spawn s;
    s.args = {"--db", db.string()};
    s.args.insert(s.args.end(), args.begin(), args.end());
    s.cwd = dir_;
    return s;
  }

  fs::path dir_;
  fs::path demo_;
};

/// Fields of one CSV line (RFC 4180 quotes; no line breaks inside fields).
inline std::vector<std::string> split_csv(const std::string& line) {
  std::vector<std::string> f(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"')
        f.back() += '"', ++i;
      else if (c == '"')
        quoted = false;
      else
        f.back() += c;
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      f.emplace_back();
    } else {
      f.back() += c;
    }
  }
  return f;
}

inline std::string join_csv(const std::vector<std::string>& f) {
  std::string s;
  for (std::size_t i = 0; i < f.size(); ++i) {
    if (i) s += ',';
    if (f[i].find_first_of(",\"\n") == std::string::npos) {
      s += f[i];
      continue;
    }
    s += '"';
    for (char c : f[i]) s += c == '"' ? std::string("\"\"") : std::string(1, c);
    s += '"';
  }
  return s;
}

/// A UCDP GED CSV of `rows` events made from the demo's events file: its rows
/// in turn with fresh ids from `first_id`, every `bad_every`-th row (0 = none)
/// given an impossible date so that it is rejected.
inline void write_events(const fs::path& demo, const fs::path& out, std::int64_t rows, std::int64_t first_id,
                         std::int64_t bad_every) {
  std::ifstream in(demo / "inputs" / "events_ged.csv", std::ios::binary);
  std::string header, line;
  std::getline(in, header);
  const auto names = split_csv(header);
  std::size_t id_col = names.size(), date_col = names.size();
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == "id") id_col = i;
    if (names[i] == "date_start") date_col = i;
  }
  if (id_col == names.size() || date_col == names.size()) throw std::runtime_error("no id or date_start column");
  std::vector<std::vector<std::string>> body;
  while (std::getline(in, line)) {
    if (!line.empty()) body.push_back(split_csv(line));
  }
  if (body.empty()) throw std::runtime_error("the demo's events_ged.csv has no rows");
  fs::create_directories(out.parent_path());
  std::ofstream o(out, std::ios::binary);
  o << header << "\n";
  for (std::int64_t i = 0; i < rows; ++i) {
    auto f = body[static_cast<std::size_t>(i) % body.size()];
    f[id_col] = std::to_string(first_id + i);
    if (bad_every > 0 && i % bad_every == bad_every - 1) f[date_col] = "2012-13-45";
    o << join_csv(f) << "\n";
  }
}

}  // namespace endstate::faults
