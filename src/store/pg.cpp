// libpq wrapper of the PostgreSQL backend (store/detail/pg.hpp).
#include "store/detail/pg.hpp"

#include <charconv>
#include <cstdlib>
#include <cstring>

#include "endstate/core/error.hpp"

namespace endstate::store::detail::pg {

// --- parameters ----------------------------------------------------------------

void Params::push(std::string v, bool null, int format) {
  values_.push_back(std::move(v));
  nulls_.push_back(null);
  formats_.push_back(format);
}

const char* const* Params::values() const {
  ptrs_.clear();
  lengths_.clear();
  for (std::size_t i = 0; i < values_.size(); ++i) {
    ptrs_.push_back(nulls_[i] ? nullptr : values_[i].c_str());
    lengths_.push_back(static_cast<int>(values_[i].size()));
  }
  return ptrs_.data();
}

Params& Params::add(std::int64_t v) {
  push(std::to_string(v), false, 0);
  return *this;
}
Params& Params::add(double v) {
  push(number_text(v), false, 0);
  return *this;
}
Params& Params::add(std::string v) {
  push(std::move(v), false, 0);
  return *this;
}
Params& Params::add_null() {
  push(std::string(), true, 0);
  return *this;
}
Params& Params::add_bytea(const std::vector<std::uint8_t>& v) {
  push(std::string(v.begin(), v.end()), false, 1);
  return *this;
}
Params& Params::add_text_array(const std::vector<std::string>& items) {
  std::string s = "{";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) s += ',';
    s += '"';
    for (char c : items[i]) {
      if (c == '"' || c == '\\') s += '\\';
      s += c;
    }
    s += '"';
  }
  s += '}';
  return add(std::move(s));
}

// --- results ---------------------------------------------------------------------

namespace {
template <typename T>
T parse_number(std::string_view s, const char* what) {
  T v{};
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) {
    throw internal_error(std::string("PostgreSQL returned '") + std::string(s) + "' where " + what + " was expected");
  }
  return v;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
}  // namespace

std::int64_t Result::affected() const {
  const char* n = PQcmdTuples(r_);
  return n && *n ? parse_number<std::int64_t>(n, "a row count") : 0;
}

std::int64_t Result::i64(int row, int col) const { return parse_number<std::int64_t>(view(row, col), "an integer"); }

double Result::f64(int row, int col) const { return parse_number<double>(view(row, col), "a number"); }

std::vector<std::uint8_t> Result::bytea(int row, int col) const {
  const std::string_view s = view(row, col);
  if (s.size() < 2 || s[0] != '\\' || s[1] != 'x') throw internal_error("bytea value not in hex format");
  std::vector<std::uint8_t> out;
  out.reserve((s.size() - 2) / 2);
  for (std::size_t i = 2; i + 1 < s.size(); i += 2) {
    out.push_back(static_cast<std::uint8_t>(hex_value(s[i]) * 16 + hex_value(s[i + 1])));
  }
  return out;
}

// --- connection ------------------------------------------------------------------

namespace {
void ignore_notice(void*, const char*) {}

std::string trim_message(std::string m) {
  while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.pop_back();
  return m;
}
}  // namespace

Connection::Connection(const std::string& conninfo, const std::string& shown) : shown_(shown) {
  // connect_timeout first: a value in the location or PGCONNECT_TIMEOUT wins.
  std::vector<const char*> keys, values;
  const bool env_timeout = std::getenv("PGCONNECT_TIMEOUT") != nullptr;
  if (!env_timeout) {
    keys.push_back("connect_timeout");
    values.push_back("10");
  }
  keys.push_back("fallback_application_name");
  values.push_back("endstate");
  keys.push_back("dbname");
  values.push_back(conninfo.c_str());
  keys.push_back(nullptr);
  values.push_back(nullptr);
  c_ = PQconnectdbParams(keys.data(), values.data(), 1);
  if (!c_) throw environment_error("cannot connect to the PostgreSQL server " + shown_ + ": out of memory");
  if (PQstatus(c_) != CONNECTION_OK) {
    const std::string msg = trim_message(PQerrorMessage(c_));
    PQfinish(c_);
    c_ = nullptr;
    if (msg.find("database \"") != std::string::npos && msg.find("does not exist") != std::string::npos) {
      throw not_found("the PostgreSQL server has no such database (" + msg +
                      "); ask its administrator to create it (docs/deployment.md) or correct --db");
    }
    throw environment_error("cannot connect to the PostgreSQL server " + shown_ + ": " + msg +
                            " (check --db, the PG* variables, that the server runs and accepts this role)");
  }
  PQsetNoticeProcessor(c_, ignore_notice, nullptr);
}

Connection::~Connection() {
  if (c_) PQfinish(c_);
}

void Connection::fail(PGresult* r, const std::string& what) {
  Result owned(r);
  const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
  sqlstate_ = state ? state : "";
  const char* primary = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
  std::string msg = primary ? primary : trim_message(PQerrorMessage(c_));
  if (const char* detail = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_DETAIL) : nullptr) {
    msg += " (" + std::string(detail) + ")";
  }
  const std::string cls = sqlstate_.substr(0, 2);
  if (PQstatus(c_) == CONNECTION_BAD || cls == "08") {
    throw environment_error("lost the connection to the PostgreSQL server " + shown_ + ": " + msg);
  }
  if (sqlstate_ == kDeadlock || sqlstate_ == kSerializationFailure) {
    throw environment_error("a deadlock with another writer on " + shown_ +
                            " cancelled this transaction; nothing was written; run the command again (" + msg + ")");
  }
  if (sqlstate_ == kLockNotAvailable) {
    throw environment_error("the store " + shown_ +
                            " is locked by another endstate command for longer than the lock timeout; try again when "
                            "it has finished (" +
                            msg + ")");
  }
  if (sqlstate_ == kInsufficientPrivilege) {
    throw environment_error("the database role may not do this on " + shown_ + ": " + msg +
                            "; see the roles in docs/deployment.md");
  }
  if (cls == "53") throw environment_error("the PostgreSQL server " + shown_ + " ran out of resources: " + msg);
  if (cls == "57" || cls == "58") throw environment_error("the PostgreSQL server " + shown_ + " refused: " + msg);
  if (cls == "23") throw Error(ErrorCategory::kBadInput, "constraint failed: " + msg);
  if (cls == "22" || sqlstate_ == "P0001") throw Error(ErrorCategory::kBadInput, msg);
  throw internal_error(what + ": " + msg + (sqlstate_.empty() ? "" : " [SQLSTATE " + sqlstate_ + "]"));
}

Result Connection::check(PGresult* r, const std::string& what) {
  const auto st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
  if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_COPY_IN || st == PGRES_COPY_OUT) {
    sqlstate_.clear();
    return Result(r);
  }
  fail(r, what);
}

namespace {
std::string head(const std::string& sql) { return "SQL failed: " + sql.substr(0, 160); }
}  // namespace

Result Connection::exec(const std::string& sql) { return check(PQexec(c_, sql.c_str()), head(sql)); }

Result Connection::exec(const std::string& sql, const Params& p) {
  const char* const* values = p.values();  // before lengths(): it fills them
  return check(PQexecParams(c_, sql.c_str(), p.size(), nullptr, values, p.lengths(), p.formats(), 0), head(sql));
}

Result Connection::prepared(const std::string& name, const std::string& sql, const Params& p) {
  bool known = false;
  for (const auto& n : prepared_) known = known || n == name;
  if (!known) {
    check(PQprepare(c_, name.c_str(), sql.c_str(), 0, nullptr), head(sql));
    prepared_.push_back(name);
  }
  const char* const* values = p.values();
  return check(PQexecPrepared(c_, name.c_str(), p.size(), values, p.lengths(), p.formats(), 0), head(sql));
}

void Connection::copy_in(const std::string& copy_sql, std::string_view data) {
  check(PQexec(c_, copy_sql.c_str()), head(copy_sql));
  constexpr std::size_t kChunk = 1 << 20;
  for (std::size_t off = 0; off < data.size(); off += kChunk) {
    const auto n = std::min(kChunk, data.size() - off);
    if (PQputCopyData(c_, data.data() + off, static_cast<int>(n)) != 1) fail(nullptr, head(copy_sql));
  }
  if (PQputCopyEnd(c_, nullptr) != 1) fail(nullptr, head(copy_sql));
  Result last;
  while (PGresult* r = PQgetResult(c_)) {
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
      while (PGresult* rest = PQgetResult(c_)) PQclear(rest);
      fail(r, head(copy_sql));
    }
    last = Result(r);
  }
}

void Connection::copy_out(const std::string& copy_sql, const std::function<void(std::string_view)>& line) {
  check(PQexec(c_, copy_sql.c_str()), head(copy_sql));
  for (;;) {
    char* buf = nullptr;
    const int n = PQgetCopyData(c_, &buf, 0);
    if (n == -1) break;
    if (n == -2) fail(nullptr, head(copy_sql));
    std::string_view s(buf, static_cast<std::size_t>(n));
    if (!s.empty() && s.back() == '\n') s.remove_suffix(1);
    try {
      line(s);
    } catch (...) {
      PQfreemem(buf);
      // Drain the rest so the connection stays usable.
      while (PQgetCopyData(c_, &buf, 0) >= 0) PQfreemem(buf);
      while (PGresult* r = PQgetResult(c_)) PQclear(r);
      throw;
    }
    PQfreemem(buf);
  }
  while (PGresult* r = PQgetResult(c_)) {
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
      while (PGresult* rest = PQgetResult(c_)) PQclear(rest);
      fail(r, head(copy_sql));
    }
    PQclear(r);
  }
}

std::string Connection::literal(std::string_view s) {
  char* q = PQescapeLiteral(c_, s.data(), s.size());
  if (!q) fail(nullptr, "escaping a literal");
  std::string out(q);
  PQfreemem(q);
  return out;
}

// --- COPY text format --------------------------------------------------------------

CopyRows& CopyRows::field(std::string_view s) {
  separate();
  for (char c : s) {
    switch (c) {
      case '\\':
        text_ += "\\\\";
        break;
      case '\t':
        text_ += "\\t";
        break;
      case '\n':
        text_ += "\\n";
        break;
      case '\r':
        text_ += "\\r";
        break;
      default:
        text_ += c;
    }
  }
  return *this;
}

CopyRows& CopyRows::field(std::int64_t v) {
  separate();
  char buf[24];
  const auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
  text_.append(buf, p);
  return *this;
}

CopyRows& CopyRows::field(double v) {
  separate();
  text_ += number_text(v);
  return *this;
}

CopyRows& CopyRows::null() {
  separate();
  text_ += "\\N";
  return *this;
}

void CopyRows::end_row() {
  text_ += '\n';
  ++rows_;
  first_ = true;
}

std::string number_text(double v) {
  char buf[32];
  const auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, p);
}

std::vector<std::optional<std::string>> copy_fields(std::string_view line) {
  std::vector<std::optional<std::string>> out;
  std::size_t i = 0;
  for (;;) {
    std::size_t end = line.find('\t', i);
    if (end == std::string_view::npos) end = line.size();
    const std::string_view f = line.substr(i, end - i);
    if (f == "\\N") {
      out.emplace_back(std::nullopt);
    } else {
      std::string v;
      v.reserve(f.size());
      for (std::size_t k = 0; k < f.size(); ++k) {
        if (f[k] != '\\' || k + 1 == f.size()) {
          v += f[k];
          continue;
        }
        const char e = f[++k];
        switch (e) {
          case 't':
            v += '\t';
            break;
          case 'n':
            v += '\n';
            break;
          case 'r':
            v += '\r';
            break;
          case 'b':
            v += '\b';
            break;
          case 'f':
            v += '\f';
            break;
          case 'v':
            v += '\v';
            break;
          case 'x': {
            int x = 0, n = 0;
            while (n < 2 && k + 1 < f.size() && hex_value(f[k + 1]) >= 0) x = x * 16 + hex_value(f[++k]), ++n;
            v += static_cast<char>(x);
            break;
          }
          default:
            if (e >= '0' && e <= '7') {
              int x = e - '0', n = 1;
              while (n < 3 && k + 1 < f.size() && f[k + 1] >= '0' && f[k + 1] <= '7') x = x * 8 + (f[++k] - '0'), ++n;
              v += static_cast<char>(x);
            } else {
              v += e;
            }
        }
      }
      out.emplace_back(std::move(v));
    }
    if (end == line.size()) break;
    i = end + 1;
  }
  return out;
}

}  // namespace endstate::store::detail::pg
