// Users, Argon2id passwords and hashed tokens (libsodium), audited.
#include "endstate/server/accounts.hpp"

#include <sodium.h>

#include <chrono>
#include <ctime>
#include <mutex>

#include <nlohmann/json.hpp>

#include "endstate/benchmarks/audit.hpp"
#include "endstate/core/error.hpp"
#include "endstate/core/hash.hpp"
#include "endstate/core/utf8.hpp"
#include "endstate/store/database.hpp"
#include "endstate/store/server_tables.hpp"

namespace endstate::server {

std::string_view to_string(Capability c) {
  switch (c) {
    case Capability::kPublished:
      return "published";
    case Capability::kReadBenchmarks:
      return "read_benchmarks";
    case Capability::kRead:
      return "read";
    case Capability::kRun:
      return "run";
    case Capability::kPlan:
      return "plan";
    case Capability::kSign:
      return "sign";
    case Capability::kAdmin:
      return "admin";
    case Capability::kAudit:
      return "audit";
    case Capability::kNone:
      return "none";
  }
  return "none";
}

std::string Role::str() const {
  switch (kind) {
    case Kind::kPublic:
      return "public";
    case Kind::kAnalyst:
      return "analyst";
    case Kind::kPlanner:
      return "planner";
    case Kind::kSignatory:
      return "signatory:" + stakeholder;
    case Kind::kAdmin:
      return "admin";
  }
  return "public";
}

bool Role::can(Capability c) const {
  using C = Capability;
  if (c == C::kNone || c == C::kPublished) return true;
  switch (kind) {
    case Kind::kPublic:
      return false;
    case Kind::kAnalyst:
      return c == C::kReadBenchmarks || c == C::kRead || c == C::kRun || c == C::kAudit;
    case Kind::kPlanner:
      return c == C::kReadBenchmarks || c == C::kRead || c == C::kRun || c == C::kPlan || c == C::kAudit;
    case Kind::kSignatory:
      return c == C::kReadBenchmarks || c == C::kSign;
    case Kind::kAdmin:
      return c == C::kAdmin || c == C::kAudit;
  }
  return false;
}

namespace {

bool name_char(char ch) {
  return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' ||
         ch == '-' || ch == '@';
}

void check_name(const std::string& field, const std::string& name) {
  if (name.empty() || name.size() > 64) throw invalid_field(field, "must be 1 to 64 characters");
  for (char ch : name) {
    if (!name_char(ch)) throw invalid_field(field, "may hold only letters, digits and . _ - @ (got '" + name + "')");
  }
}

}  // namespace

Role Role::parse(const std::string& text) {
  Role r;
  if (text == "public") return r;
  if (text == "analyst") {
    r.kind = Kind::kAnalyst;
  } else if (text == "planner") {
    r.kind = Kind::kPlanner;
  } else if (text == "admin") {
    r.kind = Kind::kAdmin;
  } else if (text.rfind("signatory:", 0) == 0) {
    r.kind = Kind::kSignatory;
    r.stakeholder = text.substr(10);
    if (r.stakeholder.empty()) throw invalid_field("role", "signatory:<stakeholder> needs the stakeholder id");
    check_name("role", r.stakeholder);
  } else {
    throw invalid_field("role",
                        "must be public, analyst, planner, signatory:<stakeholder> or admin (got '" + text + "')");
  }
  return r;
}

namespace {

void init_sodium() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (sodium_init() < 0) throw internal_error("libsodium could not be initialised");
  });
}

User to_user(const store::UserRow& r) {
  User u;
  u.name = r.name;
  u.role = Role::parse(r.role);
  u.created_at = r.created_at;
  u.created_by = r.created_by;
  u.revoked_at = r.revoked_at;
  return u;
}

std::string iso_after_hours(int hours) {
  const std::time_t t = std::time(nullptr) + static_cast<std::time_t>(hours) * 3600;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

void append_audit(store::Database& db, const std::string& kind, const std::string& subject,
                  const nlohmann::ordered_json& payload) {
  const auto last = db.last_audit();
  AuditEntry e;
  e.at = utc_now_iso();
  e.kind = kind;
  e.subject = subject;
  e.payload = payload.dump();
  benchmarks::chain(e, last ? &*last : nullptr);
  db.insert_audit(e);
}

// A hash of a random password: verifying against it costs what a real check
// costs, so an unknown name answers no faster than a wrong password.
const std::string& dummy_hash() {
  static const std::string h = [] {
    unsigned char pw[32];
    randombytes_buf(pw, sizeof pw);
    return hash_password(std::string(reinterpret_cast<char*>(pw), sizeof pw));
  }();
  return h;
}

}  // namespace

std::string hash_password(const std::string& password) {
  init_sodium();
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                            crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    throw environment_error("out of memory while hashing a password (Argon2id needs 64 MiB)");
  }
  return out;
}

bool verify_password(const std::string& encoded, const std::string& password) {
  init_sodium();
  return crypto_pwhash_str_verify(encoded.c_str(), password.data(), password.size()) == 0;
}

void write_users(std::ostream& out, const std::vector<User>& users, const io::WriteOptions& o) {
  io::Table t({{"name"}, {"role"}, {"created_at"}, {"created_by"}, {"revoked_at"}});
  for (const auto& u : users) {
    t.add({io::text(u.name), io::text(u.role.str()), io::text(u.created_at), io::text(u.created_by),
           u.revoked_at ? io::Cell(*u.revoked_at) : io::Cell()});
  }
  io::write_table(out, t, o, "users", "users");
}

Accounts::Accounts(store::Database& db) : db_(&db) { init_sodium(); }

User Accounts::add(const std::string& name, const std::string& role, const std::string& password,
                   const std::string& by) {
  check_name("name", name);
  const Role r = Role::parse(role);
  if (password.size() < 12) throw invalid_field("password", "must be at least 12 bytes long");
  if (password.size() > 1024) throw invalid_field("password", "must be at most 1024 bytes long");
  if (!is_valid_utf8(password)) throw invalid_field("password", "is not valid UTF-8");
  const std::string hash = hash_password(password);  // slow: before the transaction
  auto tables = store::server_tables(*db_);
  store::Database::Transaction tx(*db_);
  store::UserRow row;
  row.name = name;
  row.role = r.str();
  row.password_hash = hash;
  row.created_at = utc_now_iso();
  row.created_by = by;
  row.id = tables->insert_user(row);
  nlohmann::ordered_json p;
  p["name"] = name;
  p["role"] = row.role;
  p["user"] = by;
  append_audit(*db_, "user_add", "user " + name + " as " + row.role, p);
  tx.commit();
  return to_user(row);
}

std::vector<User> Accounts::list() {
  std::vector<User> out;
  for (const auto& r : store::server_tables(*db_)->users()) out.push_back(to_user(r));
  return out;
}

User Accounts::revoke(const std::string& name, const std::string& by) {
  check_name("name", name);
  auto tables = store::server_tables(*db_);
  store::Database::Transaction tx(*db_);
  const std::string now = utc_now_iso();
  if (!tables->revoke_user(name, now)) throw not_found("no active user named '" + name + "'");
  nlohmann::ordered_json p;
  p["name"] = name;
  p["user"] = by;
  append_audit(*db_, "user_revoke", "user " + name, p);
  tx.commit();
  return to_user(*tables->user(name));
}

std::optional<Session> Accounts::login(const std::string& name, const std::string& password, int hours) {
  auto tables = store::server_tables(*db_);
  const auto row = tables->user(name);
  if (!row || row->revoked_at) {
    (void)verify_password(dummy_hash(), password);
    return std::nullopt;
  }
  if (!verify_password(row->password_hash, password)) return std::nullopt;
  unsigned char raw[32];
  randombytes_buf(raw, sizeof raw);
  char b64[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  sodium_bin2base64(b64, sizeof b64, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  Session s;
  s.token = std::string("es_") + b64;
  s.expires_at = iso_after_hours(hours);
  s.user = to_user(*row);
  store::TokenRow t;
  t.token_hash = sha256_hex(s.token);
  t.user_id = row->id;
  t.created_at = utc_now_iso();
  t.expires_at = s.expires_at;
  store::Database::Transaction tx(*db_);
  tables->insert_token(t);
  tx.commit();
  return s;
}

std::optional<User> Accounts::authenticate(const std::string& token) {
  if (token.size() < 10 || token.size() > 200) return std::nullopt;
  auto tables = store::server_tables(*db_);
  const auto t = tables->token(sha256_hex(token));
  if (!t || t->revoked_at || t->expires_at <= utc_now_iso()) return std::nullopt;
  const auto u = tables->user_by_id(t->user_id);
  if (!u || u->revoked_at) return std::nullopt;
  return to_user(*u);
}

void Accounts::logout(const std::string& token) {
  auto tables = store::server_tables(*db_);
  store::Database::Transaction tx(*db_);
  tables->revoke_token(sha256_hex(token), utc_now_iso());
  tx.commit();
}

bool publishable(const std::string& operation) { return operation == "notices" || operation == "report_council"; }

std::string published_kind(const std::string& operation) { return "published_" + operation; }

store::JobRow publish_job(store::Database& db, const store::JobRow& job, const std::string& by) {
  if (!publishable(job.kind) || job.state != "done") {
    throw internal_error("publish_job: job " + std::to_string(job.id) + " is not a finished notices or report job");
  }
  auto tables = store::server_tables(db);
  store::Database::Transaction tx(db);
  store::JobRow p;
  p.kind = published_kind(job.kind);
  p.user_name = by;
  p.params = nlohmann::ordered_json{{"job", job.id}}.dump();
  p.state = "queued";
  p.created_at = utc_now_iso();
  p.id = tables->insert_job(p);
  p.state = "done";
  p.started_at = p.finished_at = p.created_at;
  p.content_type = job.content_type;
  p.result = job.result;
  tables->update_job(p);
  nlohmann::ordered_json payload{{"job", job.id}, {"operation", job.kind}, {"record", p.id}, {"user", by}};
  append_audit(db, "publish", job.kind + " job " + std::to_string(job.id), payload);
  tx.commit();
  return p;
}

}  // namespace endstate::server
