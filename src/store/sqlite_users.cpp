// The server tables (users, login tokens, jobs) on an SQLite store, through
// the store's own connection so that they share its transactions.
#include <sqlite3.h>

#include "endstate/core/error.hpp"
#include "endstate/store/database.hpp"
#include "endstate/store/server_tables.hpp"
#include "store/detail/backends.hpp"
#include "store/detail/sqlite_handle.hpp"

namespace endstate::store {
namespace {

[[noreturn]] void fail(sqlite3* db, int rc, const char* what) {
  const int primary = rc & 0xff;
  const std::string msg = sqlite3_errmsg(db);
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
    throw environment_error("the database is locked by another process; try again (" + msg + ")");
  }
  if (primary == SQLITE_FULL) throw environment_error("the disk is full: " + msg + "; nothing was written");
  if (primary == SQLITE_READONLY) throw environment_error("the database cannot be written (" + msg + ")");
  if (primary == SQLITE_CONSTRAINT) throw Error(ErrorCategory::kBadInput, std::string(what) + ": " + msg);
  throw internal_error(std::string(what) + ": " + msg);
}

/// One statement, finalised on scope exit.
class Query {
 public:
  Query(sqlite3* db, const char* sql) : db_(db) {
    if (const int rc = sqlite3_prepare_v2(db, sql, -1, &s_, nullptr); rc != SQLITE_OK) fail(db, rc, sql);
  }
  ~Query() { sqlite3_finalize(s_); }
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;

  Query& bind(int i, const std::string& v) {
    sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Query& bind(int i, std::int64_t v) {
    sqlite3_bind_int64(s_, i, v);
    return *this;
  }
  Query& bind(int i, const std::optional<std::string>& v) {
    if (v) return bind(i, *v);
    sqlite3_bind_null(s_, i);
    return *this;
  }
  Query& bind_blob(int i, const std::string& v) {
    sqlite3_bind_blob(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  bool step(const char* what = "SQL step failed") {
    const int rc = sqlite3_step(s_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    fail(db_, rc, what);
  }
  std::int64_t i64(int c) const { return sqlite3_column_int64(s_, c); }
  std::string text(int c) const {
    const auto* p = sqlite3_column_blob(s_, c);
    return p ? std::string(static_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(s_, c)))
             : std::string();
  }
  std::optional<std::string> opt_text(int c) const {
    return sqlite3_column_type(s_, c) == SQLITE_NULL ? std::nullopt : std::optional<std::string>(text(c));
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* s_ = nullptr;
};

constexpr const char* kUserColumns = "id, name, role, password_hash, created_at, created_by, revoked_at";

UserRow user_row(const Query& q) {
  return {q.i64(0), q.text(1), q.text(2), q.text(3), q.text(4), q.text(5), q.opt_text(6)};
}

constexpr const char* kJobColumns =
    "id, kind, user_name, params, state, created_at, started_at, finished_at, stage, done, total, content_type, "
    "problem, warnings";

JobRow job_row(const Query& q) {
  JobRow j;
  j.id = q.i64(0);
  j.kind = q.text(1);
  j.user_name = q.text(2);
  j.params = q.text(3);
  j.state = q.text(4);
  j.created_at = q.text(5);
  j.started_at = q.opt_text(6);
  j.finished_at = q.opt_text(7);
  j.stage = q.text(8);
  j.done = q.i64(9);
  j.total = q.i64(10);
  j.content_type = q.text(11);
  j.problem = q.text(12);
  j.warnings = q.text(13);
  return j;
}

class SqliteServerTables final : public ServerTables {
 public:
  explicit SqliteServerTables(sqlite3* db) : db_(db) {}

  std::int64_t insert_user(const UserRow& r) override {
    if (user(r.name)) throw Error(ErrorCategory::kBadInput, "a user named '" + r.name + "' exists", {"", 0, "name"});
    Query q(db_, "INSERT INTO users(name, role, password_hash, created_at, created_by) VALUES(?,?,?,?,?)");
    q.bind(1, r.name).bind(2, r.role).bind(3, r.password_hash).bind(4, r.created_at).bind(5, r.created_by);
    q.step("cannot add the user");
    return sqlite3_last_insert_rowid(db_);
  }
  std::optional<UserRow> user(const std::string& name) override {
    Query q(db_, (std::string("SELECT ") + kUserColumns + " FROM users WHERE name = ?").c_str());
    q.bind(1, name);
    if (!q.step()) return std::nullopt;
    return user_row(q);
  }
  std::optional<UserRow> user_by_id(std::int64_t id) override {
    Query q(db_, (std::string("SELECT ") + kUserColumns + " FROM users WHERE id = ?").c_str());
    q.bind(1, id);
    if (!q.step()) return std::nullopt;
    return user_row(q);
  }
  std::vector<UserRow> users() override {
    Query q(db_, (std::string("SELECT ") + kUserColumns + " FROM users ORDER BY name").c_str());
    std::vector<UserRow> out;
    while (q.step()) out.push_back(user_row(q));
    return out;
  }
  bool revoke_user(const std::string& name, const std::string& at) override {
    const auto u = user(name);
    if (!u || u->revoked_at) return false;
    Query a(db_, "UPDATE users SET revoked_at = ? WHERE id = ?");
    a.bind(1, at).bind(2, u->id).step("cannot revoke the user");
    Query b(db_, "UPDATE user_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL");
    b.bind(1, at).bind(2, u->id).step("cannot revoke the user's tokens");
    return true;
  }
  void insert_token(const TokenRow& r) override {
    Query q(db_, "INSERT INTO user_tokens(token_hash, user_id, created_at, expires_at) VALUES(?,?,?,?)");
    q.bind(1, r.token_hash).bind(2, r.user_id).bind(3, r.created_at).bind(4, r.expires_at);
    q.step("cannot store the token");
  }
  std::optional<TokenRow> token(const std::string& token_hash) override {
    Query q(db_,
            "SELECT token_hash, user_id, created_at, expires_at, revoked_at FROM user_tokens WHERE token_hash = ?");
    q.bind(1, token_hash);
    if (!q.step()) return std::nullopt;
    return TokenRow{q.text(0), q.i64(1), q.text(2), q.text(3), q.opt_text(4)};
  }
  void revoke_token(const std::string& token_hash, const std::string& at) override {
    Query q(db_, "UPDATE user_tokens SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL");
    q.bind(1, at).bind(2, token_hash).step("cannot revoke the token");
  }

  std::int64_t insert_job(const JobRow& r) override {
    Query q(db_, "INSERT INTO jobs(kind, user_name, params, state, created_at) VALUES(?,?,?,?,?)");
    q.bind(1, r.kind).bind(2, r.user_name).bind(3, r.params).bind(4, r.state).bind(5, r.created_at);
    q.step("cannot store the job");
    return sqlite3_last_insert_rowid(db_);
  }
  std::optional<JobRow> job(std::int64_t id, bool with_result) override {
    return one_job(
        "id = ?", [&](Query& q) { q.bind(1, id); }, with_result);
  }
  std::vector<JobRow> jobs(const std::string& user_name, int limit) override {
    Query q(db_, (std::string("SELECT ") + kJobColumns +
                  " FROM jobs WHERE (? = '' OR user_name = ?) ORDER BY id DESC LIMIT ?")
                     .c_str());
    q.bind(1, user_name).bind(2, user_name).bind(3, static_cast<std::int64_t>(limit));
    std::vector<JobRow> out;
    while (q.step()) out.push_back(job_row(q));
    return out;
  }
  std::optional<JobRow> latest_done_job(const std::string& kind, bool with_result) override {
    return one_job(
        "kind = ? AND state = 'done' ORDER BY id DESC LIMIT 1", [&](Query& q) { q.bind(1, kind); }, with_result);
  }
  void update_job(const JobRow& r) override {
    Query q(db_,
            "UPDATE jobs SET state = ?, started_at = ?, finished_at = ?, stage = ?, done = ?, total = ?, "
            "content_type = ?, result = ?, problem = ?, warnings = ? WHERE id = ?");
    q.bind(1, r.state).bind(2, r.started_at).bind(3, r.finished_at).bind(4, r.stage).bind(5, r.done).bind(6, r.total);
    q.bind(7, r.content_type);
    if (r.result.empty()) {
      q.bind(8, std::optional<std::string>());
    } else {
      q.bind_blob(8, r.result);
    }
    q.bind(9, r.problem.empty() ? std::optional<std::string>() : std::optional<std::string>(r.problem));
    q.bind(10, r.warnings.empty() ? std::string("[]") : r.warnings);
    q.bind(11, r.id);
    q.step("cannot update the job");
  }
  std::int64_t interrupt_jobs(const std::string& at, const std::string& problem) override {
    Query q(db_, "UPDATE jobs SET state = 'failed', finished_at = ?, problem = ? WHERE state IN ('queued', 'running')");
    q.bind(1, at).bind(2, problem).step("cannot close interrupted jobs");
    return sqlite3_changes(db_);
  }

 private:
  /// The first job `where` selects (its parameters bound by `bind`), with its result when asked.
  template <class Bind>
  std::optional<JobRow> one_job(const char* where, Bind bind, bool with_result) {
    Query q(db_, (std::string("SELECT ") + kJobColumns + ", " + (with_result ? "result" : "NULL") +
                  " FROM jobs WHERE " + where)
                     .c_str());
    bind(q);
    if (!q.step()) return std::nullopt;
    auto j = job_row(q);
    if (with_result) j.result = q.text(14);
    return j;
  }
  sqlite3* db_;
};

}  // namespace

std::unique_ptr<ServerTables> server_tables(Database& db) {
  if (db.schema_version() < 3) {
    throw usage_error("the database has no server tables (schema version " + std::to_string(db.schema_version()) +
                      "); open it for writing once to migrate it");
  }
  if (sqlite3* h = detail::sqlite_handle(db.backend())) return std::make_unique<SqliteServerTables>(h);
  if (auto pg = detail::pg_server_tables(db.backend())) return pg;
  throw usage_error("this store backend has no users or jobs tables");
}

}  // namespace endstate::store
