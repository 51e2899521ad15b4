#pragma once
// Users and roles of the HTTP server (docs/server.md). Passwords are hashed
// with Argon2id (libsodium's crypto_pwhash_str, interactive limits); a login
// gives an opaque random token (256 bits) of which only the SHA-256 is
// stored. Adding and revoking users is written into the audit hash chain with
// the administrator who did it.

#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "endstate/io/table.hpp"
#include "endstate/store/server_tables.hpp"

namespace endstate::store {
class Database;
}

namespace endstate::server {

/// What a request may do; each route needs one.
enum class Capability {
  kPublished,       ///< published maps (and, later, notices and the Council report)
  kReadBenchmarks,  ///< frameworks, sign-offs, readiness, disagreements, projections, history
  kRead,            ///< everything the store holds and every analysis
  kRun,             ///< run analyses as jobs, save assessments
  kPlan,            ///< import frameworks (and, later, plans and task registers)
  kSign,            ///< sign a framework off for one's own stakeholder
  kAdmin,           ///< users
  kAudit,           ///< the audit log and its verification (analysts, planners, administrators)
  kNone,            ///< no login needed (health, login, the OpenAPI description)
};

/// "published", "read_benchmarks", "read", "run", "plan", "sign", "admin", "audit", "none".
std::string_view to_string(Capability c);

/// A role: public, analyst, planner, signatory:<stakeholder> or admin.
struct Role {
  enum class Kind { kPublic, kAnalyst, kPlanner, kSignatory, kAdmin };
  Kind kind = Kind::kPublic;
  std::string stakeholder;  ///< kSignatory: the stakeholder id this user signs for

  /// "analyst", "signatory:un", ...
  [[nodiscard]] std::string str() const;
  [[nodiscard]] bool can(Capability c) const;
  /// Parses a role; invalid_field("role") naming the roles otherwise.
  static Role parse(const std::string& text);
};

struct User {
  std::string name;
  Role role;
  std::string created_at;
  std::string created_by;
  std::optional<std::string> revoked_at;
};

/// A login: the bearer token (shown once) and when it expires.
struct Session {
  std::string token;
  std::string expires_at;
  User user;
};

/// Users, passwords and tokens on a store (opened read-write).
class Accounts {
 public:
  explicit Accounts(store::Database& db);

  /// Adds a user. invalid_field("name"/"role"/"password") when malformed (a
  /// name of 1-64 letters, digits and . _ - @; a password of 12-1024 bytes);
  /// kBadInput when the name exists. Audited as "user_add" by `by`.
  User add(const std::string& name, const std::string& role, const std::string& password, const std::string& by);
  /// Every user, by name.
  std::vector<User> list();
  /// Revokes a user and every token of theirs; kNotFound when there is no
  /// such active user. Audited as "user_revoke" by `by`.
  User revoke(const std::string& name, const std::string& by);
  /// A token valid for `hours` when name and password match an active user;
  /// nullopt otherwise (the same work is done for an unknown name).
  std::optional<Session> login(const std::string& name, const std::string& password, int hours);
  /// The active user a token belongs to; nullopt when unknown, expired or revoked.
  std::optional<User> authenticate(const std::string& token);
  /// Revokes one token (no error when it is unknown).
  void logout(const std::string& token);

 private:
  store::Database* db_;
};

/// The operations whose finished jobs a planner may publish for the public
/// role, and the kind of the published record: notices -> published_notices,
/// report_council -> published_report_council.
bool publishable(const std::string& operation);
std::string published_kind(const std::string& operation);

/// Publishes the finished job `job` (with its result) for the public role: a
/// new done job of kind published_kind(job.kind) holding the same document,
/// recorded with the audit entry "publish" by `by`, in one transaction.
store::JobRow publish_job(store::Database& db, const store::JobRow& job, const std::string& by);

/// The users as a table, CSV or JSON document (kind "users": name, role,
/// created_at, created_by, revoked_at per user).
void write_users(std::ostream& out, const std::vector<User>& users, const io::WriteOptions& o);

/// Argon2id hash of a password (libsodium's encoded form).
std::string hash_password(const std::string& password);
/// True when `password` matches the encoded hash.
bool verify_password(const std::string& encoded, const std::string& password);

}  // namespace endstate::server
