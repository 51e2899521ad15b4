#pragma once
// The HTTP server's tables (sql/0006_server.*.sql): users with their Argon2id
// password hashes, hashed login tokens, and jobs with their progress and
// results. Kept apart from store/backend.hpp so that a backend gains them by
// adding one factory (server_tables below); the SQLite and PostgreSQL
// implementations work on the store's own connection, so these writes share
// its transactions (a user and the audit entry recording it land together),
// and their reads always see what committed last (never a read snapshot: a
// revoked token or a finished job is seen at once by a long-lived server).

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace endstate::store {

class Database;

/// One server user.
struct UserRow {
  std::int64_t id = 0;
  std::string name;
  std::string role;           ///< public | analyst | planner | signatory:<stakeholder> | admin
  std::string password_hash;  ///< Argon2id (libsodium's crypto_pwhash_str encoding)
  std::string created_at;
  std::string created_by;
  std::optional<std::string> revoked_at;
};

/// One login token, by the SHA-256 hex of the token.
struct TokenRow {
  std::string token_hash;
  std::int64_t user_id = 0;
  std::string created_at;
  std::string expires_at;  ///< UTC ISO 8601; compared as text
  std::optional<std::string> revoked_at;
};

/// One job (long work run in the background) and what became of it.
struct JobRow {
  std::int64_t id = 0;
  std::string kind;  ///< operation id of the route
  std::string user_name;
  std::string params;  ///< JSON object of the validated parameters
  std::string state;   ///< queued | running | done | failed | cancelled
  std::string created_at;
  std::optional<std::string> started_at, finished_at;
  std::string stage;
  std::int64_t done = 0, total = 0;
  std::string warnings = "[]";  ///< JSON array of texts
  std::string content_type;
  std::string result;   ///< the document (empty unless done, and unless asked for)
  std::string problem;  ///< RFC 9457 JSON when failed or cancelled
};

class UserRepository {
 public:
  virtual ~UserRepository() = default;
  /// Inserts a user; returns its id. Error(kBadInput, field "name") when the name exists.
  virtual std::int64_t insert_user(const UserRow& row) = 0;
  virtual std::optional<UserRow> user(const std::string& name) = 0;
  virtual std::optional<UserRow> user_by_id(std::int64_t id) = 0;
  /// Every user (revoked ones too), by name.
  virtual std::vector<UserRow> users() = 0;
  /// Marks the user and every token of theirs revoked at `at`; false when no such active user.
  virtual bool revoke_user(const std::string& name, const std::string& at) = 0;
  virtual void insert_token(const TokenRow& row) = 0;
  virtual std::optional<TokenRow> token(const std::string& token_hash) = 0;
  virtual void revoke_token(const std::string& token_hash, const std::string& at) = 0;
};

class JobRepository {
 public:
  virtual ~JobRepository() = default;
  /// Inserts a job (its id is assigned); returns the id.
  virtual std::int64_t insert_job(const JobRow& row) = 0;
  /// A job, with its result document only when asked.
  virtual std::optional<JobRow> job(std::int64_t id, bool with_result) = 0;
  /// The newest jobs first, of one user ("" = everyone's), without results.
  virtual std::vector<JobRow> jobs(const std::string& user_name, int limit) = 0;
  /// The newest finished (done) job of `kind`, with its result when asked.
  virtual std::optional<JobRow> latest_done_job(const std::string& kind, bool with_result) = 0;
  /// Writes state, times, progress, content type, result and problem of `row.id`.
  virtual void update_job(const JobRow& row) = 0;
  /// Jobs left queued or running by a server that stopped become failed with
  /// `problem`; returns how many.
  virtual std::int64_t interrupt_jobs(const std::string& at, const std::string& problem) = 0;
};

/// Both repositories of one store.
class ServerTables : public UserRepository, public JobRepository {};

/// The server tables of `db` (the same connection and transactions). The
/// reference must outlive the result. Error(kUsage) for a backend without them.
std::unique_ptr<ServerTables> server_tables(Database& db);

}  // namespace endstate::store
