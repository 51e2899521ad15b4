// The PostgreSQL backend of the store: a shared server for a mission's
// analysts (docs/deployment.md). The same repositories as the SQLite backend,
// with what many concurrent users need:
//
// - Tables in the schema `endstate` (sql/*.postgresql.sql and the shared
//   sql/*.sql), PostGIS geometry columns with GiST indexes, the schema version
//   and application name in endstate.meta. A database holding another
//   application's tables, or a newer schema, is refused before anything changes.
// - Writers: READ COMMITTED transactions that serialise where they must through
//   transaction-level advisory locks, always taken in one order:
//     areas (shared by event, site and observation imports; exclusive for area
//     imports, which re-assign every event and site) -> one lock per event
//     source, or the site / observation import lock -> the audit-chain lock
//     (every benchmark and audit call inside a write transaction).
//   So two imports of the same file run one after the other and the second
//   counts every row as a duplicate; imports of different sources run side by
//   side; the audit chain has one head at a time.
// - Event imports are buffered: insert_event answers from the keys of its
//   source (loaded once, under the source's lock) and takes ids from a range
//   reserved from the sequence; rows and area links collect in COPY text and go
//   to the server by COPY into a temporary staging table and one set-based
//   INSERT ... SELECT before any other statement runs and at commit.
// - A deadlock (possible only between imports of files holding several
//   sources, taking their locks in different orders) rolls back the victim,
//   which replays its buffered import with its locks taken in sorted order; at
//   most kMaxReplays times, and only when every answer it gave (new row or
//   duplicate) still holds; otherwise Error(kEnvironment), nothing written.
// - Reads outside a write transaction share one REPEATABLE READ, READ ONLY
//   snapshot until the next write transaction or end_snapshot().
#include <algorithm>
#include <chrono>
#include <map>
#include <random>
#include <set>
#include <thread>
#include <unordered_map>

#include <unistd.h>

#include "endstate/core/error.hpp"
#include "endstate/core/strings.hpp"
#include "endstate/store/backend.hpp"
#include "endstate/store/database.hpp"
#include "endstate/store/server_tables.hpp"
#include "store/detail/backends.hpp"
#include "store/detail/migrations.hpp"
#include "store/detail/pg.hpp"

namespace endstate::store::detail {
namespace {

using pg::Params;
using pg::Result;

constexpr const char* kSchema = "endstate";
constexpr const char* kApplication = "endstate";
/// Advisory lock keys: (kLockSpace, what) for the fixed locks, (kSourceSpace,
/// hashtext(source)) for event sources. "ENDS" and "ENDT".
constexpr int kLockSpace = 0x454E4453;
constexpr int kSourceSpace = 0x454E4454;
constexpr int kMigrateLock = 1;
constexpr int kAreasLock = 2;
constexpr int kSitesLock = 3;
constexpr int kObservationsLock = 4;
constexpr int kAuditLock = 5;
/// How long a writer waits for another's lock (unless the role or the
/// location sets lock_timeout).
constexpr const char* kLockTimeout = "120s";
/// Replays of a buffered import after a deadlock.
constexpr int kMaxReplays = 3;
/// Rows fetched per round trip from a cursor.
constexpr int kFetchRows = 5000;

bool starts_with(const std::string& s, const char* p) { return s.rfind(p, 0) == 0; }

/// The libpq connection string of a location (is_server_location).
std::string conninfo_of(const std::string& location) {
  if (starts_with(location, "postgresql://") || starts_with(location, "postgres://")) return location;
  if (starts_with(location, "postgresql:")) return location.substr(11);
  if (starts_with(location, "postgres:")) return location.substr(9);
  return location;
}

/// The location without a password, for messages before the connection exists.
std::string redacted(const std::string& location) {
  std::string s = location;
  const auto scheme = s.find("://");
  if (scheme != std::string::npos) {
    const auto at = s.find('@', scheme + 3);
    const auto slash = s.find('/', scheme + 3);
    if (at != std::string::npos && (slash == std::string::npos || at < slash)) {
      const auto colon = s.find(':', scheme + 3);
      if (colon != std::string::npos && colon < at) s.erase(colon, at - colon);
    }
    const auto q = s.find("password=");
    if (q != std::string::npos)
      s.erase(q, s.find('&', q) == std::string::npos ? std::string::npos : s.find('&', q) - q + 1);
    return s;
  }
  // keyword/value form: drop password=...
  const auto q = s.find("password");
  if (q != std::string::npos) {
    auto end = s.find(' ', q);
    s.erase(q, end == std::string::npos ? std::string::npos : end - q + 1);
  }
  return s;
}

std::string uri_escape(const std::string& s) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

/// "postgresql://user@host:port/db" (or "...@/db?host=/socket/dir&port=N"), never a password.
std::string canonical_location(PGconn* c) {
  const std::string user = PQuser(c) ? PQuser(c) : "";
  const std::string host = PQhost(c) ? PQhost(c) : "";
  const std::string port = PQport(c) ? PQport(c) : "";
  const std::string db = PQdb(c) ? PQdb(c) : "";
  std::string s = "postgresql://" + (user.empty() ? "" : uri_escape(user) + "@");
  if (!host.empty() && host[0] == '/') {
    s += "/" + uri_escape(db) + "?host=" + uri_escape(host);
    if (!port.empty() && port != "5432") s += "&port=" + port;
  } else {
    s += host + (port.empty() || port == "5432" ? "" : ":" + port) + "/" + uri_escape(db);
  }
  return s;
}

std::string quote_ident(PGconn* c, const std::string& name) {
  char* q = PQescapeIdentifier(c, name.c_str(), name.size());
  if (!q) throw internal_error("cannot quote the identifier " + name);
  std::string out(q);
  PQfreemem(q);
  return out;
}

std::string lock_sql(int space, int key, bool shared = false) {
  return std::string("SELECT pg_advisory_xact_lock") + (shared ? "_shared" : "") + "(" + std::to_string(space) + ", " +
         std::to_string(key) + ")";
}

constexpr const char* kEventColumns =
    "id,source,source_id,date_start,date_end,day_start,month,date_precision,lat,lon,location_precision,"
    "violence_type,violence_original,actor1,actor2,fatalities_best,fatalities_low,fatalities_high,civilian_deaths,"
    "country,admin1,location,priogrid_gid,import_id";

}  // namespace

/// The PostgreSQL store.
class PostgresBackend final : public Backend {
 public:
  PostgresBackend(const std::string& location, Access access);
  ~PostgresBackend() override;

  const std::string& location() const override { return location_; }
  int schema_version() const override { return version_; }
  Access access() const override { return access_; }
  std::optional<std::string> side_folder() const override { return std::nullopt; }
  void begin(TransactionMode mode) override;
  void commit() override;
  void rollback() noexcept override;
  void end_snapshot() override;
  StoreStatus status() override;

  std::int64_t begin_import(const std::string& kind, const std::string& file, const std::string& sha256,
                            const std::string& source) override;
  void finish_import(std::int64_t import_id, const ImportSummary& summary) override;
  std::vector<ImportRecord> imports(int limit) override;

  bool insert_area(const Area& area, std::int64_t import_id) override;
  std::vector<Area> areas(const std::string& level, bool with_geometry) override;
  std::optional<Area> find_area(const std::string& id_or_name) override;
  std::vector<std::string> area_levels() override;
  std::vector<std::string> area_subtree(const std::string& id) override;

  std::optional<std::int64_t> insert_event(const Event& event, std::int64_t import_id,
                                           std::int64_t* existing_import) override;
  void link_event_area(std::int64_t event_id, const std::string& area_id) override;
  void for_each_event(const EventFilter& filter, const std::function<void(const EventRow&)>& fn) override;
  void for_each_event_point(const std::function<void(std::int64_t, LatLon)>& fn) override;
  void clear_event_areas() override;

  std::pair<std::int64_t, bool> upsert_site(const Site& site, std::int64_t import_id) override;
  bool insert_deployment(std::int64_t site_id, const Deployment& d, std::int64_t import_id) override;
  void link_site_area(std::int64_t site_id, const std::string& area_id) override;
  void clear_site_areas() override;
  void for_each_site_point(const std::function<void(std::int64_t, LatLon)>& fn) override;
  std::vector<SiteRow> sites(const std::vector<std::string>& area_ids, std::optional<Month> month) override;
  std::vector<Deployment> deployments(std::int64_t site_id) override;

  void ensure_indicator(const std::string& id) override;
  bool insert_observation(const Observation& obs, std::int64_t import_id) override;
  std::vector<Observation> observations(const std::string& indicator, const std::string& area_id) override;

  std::int64_t insert_framework(const FrameworkRow& row) override;
  std::vector<FrameworkRow> frameworks(bool with_yaml) override;
  std::optional<FrameworkRow> framework(std::optional<std::int64_t> version) override;
  std::optional<FrameworkRow> framework_by_sha256(const std::string& sha256) override;
  std::int64_t insert_signoff(const SignoffRow& row) override;
  std::vector<SignoffRow> signoffs() override;
  bool insert_consultation(const ConsultationRow& row, std::int64_t import_id) override;
  std::vector<ConsultationRow> consultations(const std::string& locality) override;
  std::int64_t insert_assessment(const AssessmentRow& row, const std::vector<AssessmentResult>& results) override;
  std::vector<AssessmentRow> assessments() override;
  std::vector<AssessmentResult> assessment_results(std::int64_t assessment_id) override;
  std::vector<std::pair<AssessmentRow, AssessmentResult>> area_results(const std::string& area_id) override;

  std::optional<AuditEntry> last_audit() override;
  void insert_audit(const AuditEntry& row) override;
  std::optional<AuditHead> audit_head() override;
  std::vector<AuditEntry> audit_log() override;
  std::vector<std::int64_t> audit_references() override;

  void read_table(const TableInfo& t, const std::function<void(const Row&)>& fn) override;
  std::int64_t count_rows(const TableInfo& t) override;
  void write_rows(const TableInfo& t, const std::vector<Row>& rows) override;

 private:
  friend class PgServerTables;
  enum class State { kIdle, kSnapshot, kWrite };
  enum class AreasLock { kNone, kShared, kExclusive };

  /// The keys of one event source known to this transaction: source_id ->
  /// (import id, inserted by this transaction).
  struct SourceKeys {
    std::unordered_map<std::string, std::pair<std::int64_t, bool>> keys;
  };
  /// What a write transaction did that a replay must redo.
  struct Journal {
    bool replayable = true;
    std::vector<std::vector<std::string>> imports;  ///< id, kind, file, sha256, source, imported_at
    std::vector<std::pair<std::int64_t, ImportSummary>> finished;
  };
  /// COPY text waiting for the server, and how much of it was sent.
  struct Buffer {
    pg::CopyRows rows;
    std::size_t sent = 0;
    std::int64_t rows_sent = 0;
  };

  void connect_and_check();
  void migrate();
  void create_staging();

  /// Statements that may depend on buffered rows go through here (flushes first).
  Result run(const std::string& sql) {
    flush();
    return conn_.exec(sql);
  }
  Result run(const std::string& sql, const Params& p) {
    flush();
    return conn_.exec(sql, p);
  }
  Result run_prepared(const std::string& name, const std::string& sql, const Params& p) {
    flush();
    return conn_.prepared(name, sql, p);
  }

  /// Before a read: inside a write transaction nothing to do, else the snapshot.
  void reading() {
    if (state_ == State::kIdle) {
      conn_.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
      state_ = State::kSnapshot;
    }
  }
  /// Runs a write: inside the caller's transaction, or in one of its own.
  template <typename F>
  auto writing(F&& f) {
    if (access_ == Access::kReadOnly) throw internal_error("write through a read-only store handle");
    if (state_ == State::kWrite) return f();
    begin(TransactionMode::kNormal);
    try {
      if constexpr (std::is_void_v<decltype(f())>) {
        f();
        commit();
      } else {
        auto r = f();
        commit();
        return r;
      }
    } catch (...) {
      rollback();
      throw;
    }
  }
  /// Runs `f`; after a deadlock replays the transaction's journal and runs it again.
  template <typename F>
  auto replaying(F&& f) {
    for (int attempt = 0;; ++attempt) {
      try {
        return f();
      } catch (const Error&) {
        const std::string state = conn_.last_sqlstate();
        if (state != pg::kDeadlock && state != pg::kSerializationFailure) throw;
        if (!journal_.replayable) throw;
        if (attempt >= kMaxReplays) {
          throw environment_error("deadlocks with other imports on " + location_ + " persisted after " +
                                  std::to_string(kMaxReplays) + " retries; nothing was written; run the command again");
        }
        replay(attempt);
      }
    }
  }
  void replay(int attempt);
  void not_replayable() { journal_.replayable = false; }

  void lock_areas_shared();
  void lock_areas_exclusive();
  void lock_once(bool& held, int key);
  void lock_audit() {
    if (state_ == State::kWrite) {
      not_replayable();
      lock_once(audit_locked_, kAuditLock);
    }
  }
  std::pair<std::int64_t, std::int64_t> areas_generation();
  SourceKeys& source_keys(const std::string& source);
  void load_source_keys(const std::string& source,
                        std::unordered_map<std::string, std::pair<std::int64_t, bool>>& into);
  std::int64_t next_event_id();
  std::int64_t scalar(const std::string& sql) {
    auto r = run(sql);
    return r.rows() && !r.null(0, 0) ? r.i64(0, 0) : 0;
  }

  void flush();
  void flush_buffer(Buffer& b, const std::string& stage, const std::string& copy_columns, const std::string& insert_sql,
                    bool count_check);
  void reset_transaction_state();
  /// Streams the rows of `sql` through a cursor, kFetchRows at a time.
  void each_row(const std::string& sql, const Params& p, const std::function<void(const Result&, int)>& fn);

  pg::Connection conn_;
  std::string location_;
  Access access_;
  int version_ = 0;
  State state_ = State::kIdle;
  std::string postgis_schema_;

  // Per write transaction.
  AreasLock areas_lock_ = AreasLock::kNone;
  bool sites_locked_ = false, observations_locked_ = false, audit_locked_ = false;
  std::map<std::string, SourceKeys> sources_;  // sorted: a replay locks them in this order
  std::set<std::string> indicators_known_;
  Buffer events_, event_links_, site_links_;
  Journal journal_;
  bool staging_ = false;

  // Across transactions.
  std::optional<std::pair<std::int64_t, std::int64_t>> areas_seen_;  // generation at the last areas() read
  std::vector<std::int64_t> id_pool_;
  std::size_t id_next_ = 0;
  std::string events_sequence_, import_sequence_;
  int cursors_ = 0;
};

// --- opening --------------------------------------------------------------------

PostgresBackend::PostgresBackend(const std::string& location, Access access)
    : conn_(conninfo_of(location), redacted(location)), location_(canonical_location(conn_.raw())), access_(access) {
  connect_and_check();
}

PostgresBackend::~PostgresBackend() {
  if (state_ == State::kWrite) {
    rollback();
  } else if (state_ == State::kSnapshot) {
    PQclear(PQexec(conn_.raw(), "COMMIT"));
  }
}

void PostgresBackend::connect_and_check() {
  // cursor_tuple_fraction: every cursor here (each_row) is read to its end, so
  // the planner must plan for all rows, not a fast start (with the default
  // 0.1 an area filter walked the events in date order, probing each one).
  conn_.exec(
      "SET client_encoding = 'UTF8'; SET datestyle = 'ISO, YMD'; SET extra_float_digits = 1; "
      "SET client_min_messages = warning; SET default_transaction_isolation = 'read committed'; "
      "SET cursor_tuple_fraction = 1.0");
  const Position where{location_, 0, ""};
  if (const auto v = conn_.exec("SELECT current_setting('server_version_num')::int").i64(0, 0); v < 120000) {
    throw environment_error("the PostgreSQL server " + location_ + " runs version " + std::to_string(v / 10000) +
                            "; endstate needs PostgreSQL 12 or newer");
  }
  if (conn_.exec("SELECT current_setting('lock_timeout')").view(0, 0) == "0") {
    conn_.exec(std::string("SET lock_timeout = '") + kLockTimeout + "'");
  }
  if (access_ == Access::kReadWrite) {
    // One process at a time creates or migrates the store.
    conn_.exec("SELECT pg_advisory_lock(" + std::to_string(kLockSpace) + ", " + std::to_string(kMigrateLock) + ")");
    try {
      migrate();
    } catch (...) {
      PQclear(PQexec(conn_.raw(), "ROLLBACK"));
      PQclear(PQexec(conn_.raw(), ("SELECT pg_advisory_unlock(" + std::to_string(kLockSpace) + ", " +
                                   std::to_string(kMigrateLock) + ")")
                                      .c_str()));
      throw;
    }
    conn_.exec("SELECT pg_advisory_unlock(" + std::to_string(kLockSpace) + ", " + std::to_string(kMigrateLock) + ")");
    events_sequence_ = conn_.exec("SELECT pg_get_serial_sequence('endstate.events', 'id')").text(0, 0);
    import_sequence_ = conn_.exec("SELECT pg_get_serial_sequence('endstate.import_log', 'id')").text(0, 0);
    return;
  }
  // Read-only: look, change nothing.
  const bool has_meta = !conn_.exec("SELECT to_regclass('endstate.meta')").null(0, 0);
  if (!has_meta) {
    if (conn_
            .exec("SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = "
                  "'endstate' LIMIT 1")
            .rows()) {
      throw Error(ErrorCategory::kBadInput,
                  "the schema 'endstate' in this database is not an endstate store (it has no endstate.meta)", where);
    }
    throw Error(ErrorCategory::kNotFound,
                "no endstate store in this database; import data first (endstate areas import ...) or pass --db",
                where);
  }
  const auto meta = conn_.exec(
      "SELECT (SELECT value FROM endstate.meta WHERE key = 'application'), "
      "(SELECT value FROM endstate.meta WHERE key = 'schema_version')");
  if (meta.text(0, 0) != kApplication) {
    throw Error(ErrorCategory::kBadInput, "the schema 'endstate' in this database belongs to another application",
                where);
  }
  version_ = static_cast<int>(meta.i64(0, 1));
  if (version_ != latest_schema_version()) {
    throw Error(
        ErrorCategory::kBadInput,
        "database schema version " + std::to_string(version_) +
            (version_ > latest_schema_version() ? " is newer than this build (" : " differs from this build's (") +
            std::to_string(latest_schema_version()) +
            (version_ > latest_schema_version() ? "); upgrade endstate" : "); run any write command to migrate"),
        where);
  }
  const auto gis = conn_.exec(
      "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = "
      "'postgis'");
  postgis_schema_ = gis.rows() ? gis.text(0, 0) : "public";
  conn_.exec("SET search_path = " + std::string(kSchema) + ", " + quote_ident(conn_.raw(), postgis_schema_));
  conn_.exec("SET default_transaction_read_only = on");
}

void PostgresBackend::migrate() {
  const Position where{location_, 0, ""};
  const bool has_meta = !conn_.exec("SELECT to_regclass('endstate.meta')").null(0, 0);
  if (has_meta) {
    const auto meta = conn_.exec(
        "SELECT (SELECT value FROM endstate.meta WHERE key = 'application'), "
        "(SELECT value FROM endstate.meta WHERE key = 'schema_version')");
    if (meta.text(0, 0) != kApplication) {
      throw Error(ErrorCategory::kBadInput,
                  "the schema 'endstate' in this database belongs to another application (nothing was changed)", where);
    }
    version_ = static_cast<int>(meta.i64(0, 1));
    if (version_ > latest_schema_version()) {
      throw Error(ErrorCategory::kBadInput,
                  "database schema version " + std::to_string(version_) + " is newer than this build (" +
                      std::to_string(latest_schema_version()) + "); upgrade endstate",
                  where);
    }
  } else {
    // A new store only in a database that holds nothing else: tables of
    // extensions (PostGIS's spatial_ref_sys) do not count.
    const auto foreign = conn_.exec(
        "SELECT n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
        "AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%' "
        "AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid "
        "AND d.deptype = 'e') ORDER BY 1 LIMIT 3");
    if (foreign.rows()) {
      std::string names;
      for (int i = 0; i < foreign.rows(); ++i) names += (i ? ", " : "") + foreign.text(i, 0);
      throw Error(ErrorCategory::kBadInput,
                  "this database holds tables of another application (" + names +
                      "); endstate needs an empty database of its own (nothing was changed; docs/deployment.md)",
                  where);
    }
    // (An empty schema `endstate`, made by an administrator to set its
    // owner and default privileges beforehand, is fine: docs/deployment.md.)
    if (const auto enc = conn_.exec("SELECT current_setting('server_encoding')").text(0, 0); enc != "UTF8") {
      throw environment_error("the database " + location_ + " uses the encoding " + enc +
                              "; endstate needs UTF8 (createdb -E UTF8 -T template0 ...)");
    }
  }
  auto gis = conn_.exec(
      "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = "
      "'postgis'");
  if (!gis.rows()) {
    try {
      conn_.exec("CREATE EXTENSION IF NOT EXISTS postgis");
    } catch (const Error& e) {
      throw environment_error("PostGIS is not enabled in the database " + location_ +
                              " and this role cannot enable it (" + e.message() +
                              "); ask the database administrator to run CREATE EXTENSION postgis in it, with the "
                              "package postgresql-15-postgis-3 (or your version's) installed");
    }
    gis = conn_.exec(
        "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = "
        "'postgis'");
  }
  postgis_schema_ = gis.text(0, 0);
  const std::string gis_schema = quote_ident(conn_.raw(), postgis_schema_);
  if (!has_meta) {
    // CREATE SCHEMA needs CREATE on the database even with IF NOT EXISTS: an
    // owner role given the schema by the administrator (docs/deployment.md)
    // may lack it.
    const bool has_schema = conn_.exec("SELECT 1 FROM pg_namespace WHERE nspname = 'endstate'").rows() > 0;
    conn_.exec(std::string("BEGIN; ") + (has_schema ? "" : "CREATE SCHEMA endstate; ") +
               "CREATE TABLE endstate.meta (key text PRIMARY KEY, value text NOT NULL); "
               "INSERT INTO endstate.meta VALUES ('application', 'endstate'), ('schema_version', '0'); COMMIT");
    version_ = 0;
  }
  conn_.exec("SET search_path = endstate, " + gis_schema);
  for (const auto& m : migrations()) {
    if (m.version <= version_) continue;
    conn_.exec("BEGIN");
    try {
      conn_.exec(m.postgresql);
      conn_.exec("UPDATE endstate.meta SET value = $1 WHERE key = 'schema_version'",
                 Params().add(std::to_string(m.version)));
      conn_.exec("COMMIT");
    } catch (...) {
      PQclear(PQexec(conn_.raw(), "ROLLBACK"));
      throw;
    }
    version_ = m.version;
  }
}

void PostgresBackend::create_staging() {
  if (staging_) return;
  conn_.exec(
      "CREATE TEMP TABLE IF NOT EXISTS stage_events (id bigint, source text, source_id text, date_start date, "
      "date_end date, day_start integer, month integer, date_precision integer, lat double precision, lon double "
      "precision, location_precision integer, violence_type text, violence_original text, actor1 text, actor2 text, "
      "fatalities_best bigint, fatalities_low bigint, fatalities_high bigint, civilian_deaths bigint, country text, "
      "admin1 text, location text, priogrid_gid bigint, import_id bigint); "
      "CREATE TEMP TABLE IF NOT EXISTS stage_event_areas (event_id bigint, area_id text); "
      "CREATE TEMP TABLE IF NOT EXISTS stage_site_areas (site_id bigint, area_id text)");
  staging_ = true;
}

std::string postgresql_version() {
  return "libpq " + std::to_string(PQlibVersion() / 10000) + "." + std::to_string(PQlibVersion() % 100);
}

std::unique_ptr<Backend> open_postgresql(const std::string& location, Access access) {
  return std::make_unique<PostgresBackend>(location, access);
}

// --- transactions -----------------------------------------------------------------

void PostgresBackend::reset_transaction_state() {
  areas_lock_ = AreasLock::kNone;
  sites_locked_ = observations_locked_ = audit_locked_ = false;
  sources_.clear();
  indicators_known_.clear();
  events_ = Buffer{};
  event_links_ = Buffer{};
  site_links_ = Buffer{};
  journal_ = Journal{};
}

void PostgresBackend::begin(TransactionMode /*mode: every write transaction buffers*/) {
  if (access_ == Access::kReadOnly) throw internal_error("begin() on a read-only store handle");
  if (state_ == State::kWrite) throw internal_error("begin(): a write transaction is already open");
  if (state_ == State::kSnapshot) {
    conn_.exec("COMMIT");
    state_ = State::kIdle;
  }
  reset_transaction_state();
  conn_.exec("BEGIN ISOLATION LEVEL READ COMMITTED");
  state_ = State::kWrite;
}

void PostgresBackend::commit() {
  if (state_ != State::kWrite) throw internal_error("commit() without a write transaction");
  replaying([&] {
    flush();
    if (conn_.exec("COMMIT").status() == "ROLLBACK") {
      // PostgreSQL ends a transaction at its first failed statement; the
      // caller went on after an Error instead of rolling back.
      throw internal_error("commit after a failed statement: the transaction on " + location_ +
                           " was rolled back; nothing was written");
    }
  });
  state_ = State::kIdle;
  reset_transaction_state();
  areas_seen_.reset();
}

void PostgresBackend::rollback() noexcept {
  if (state_ != State::kIdle) PQclear(PQexec(conn_.raw(), "ROLLBACK"));
  // A temporary table created in the rolled-back transaction is gone.
  if (state_ == State::kWrite) staging_ = false;
  state_ = State::kIdle;
  reset_transaction_state();
  areas_seen_.reset();
}

void PostgresBackend::end_snapshot() {
  if (state_ == State::kSnapshot) {
    conn_.exec("COMMIT");
    state_ = State::kIdle;
  }
  areas_seen_.reset();
}

void PostgresBackend::replay(int attempt) {
  PQclear(PQexec(conn_.raw(), "ROLLBACK"));
  staging_ = false;
  // Back off: the other transaction finishes first.
  std::mt19937 jitter(static_cast<unsigned>(::getpid()) + static_cast<unsigned>(attempt));
  std::this_thread::sleep_for(std::chrono::milliseconds((50 << attempt) + static_cast<int>(jitter() % 50)));
  conn_.exec("BEGIN ISOLATION LEVEL READ COMMITTED");
  const bool had_areas = areas_lock_ != AreasLock::kNone;
  areas_lock_ = AreasLock::kNone;
  for (const auto& i : journal_.imports) {
    Params p;
    for (const auto& v : i) p.add(v);
    conn_.exec(
        "INSERT INTO import_log(id,kind,file,sha256,source,imported_at,read,imported,duplicates,rejected,"
        "outside_areas) VALUES($1::bigint,$2,$3,$4,$5,$6,0,0,0,0,0)",
        p);
  }
  if (had_areas) lock_areas_shared();
  for (auto& [source, known] : sources_) {
    conn_.exec("SELECT pg_advisory_xact_lock(" + std::to_string(kSourceSpace) + ", hashtext($1))",
               Params().add(source));
    std::unordered_map<std::string, std::pair<std::int64_t, bool>> now;
    load_source_keys(source, now);
    for (const auto& [id, v] : known.keys) {
      const auto it = now.find(id);
      const bool changed = v.second ? it != now.end() : (it == now.end() || it->second.first != v.first);
      if (changed) {
        throw environment_error("another import stored events of source '" + source + "' on " + location_ +
                                " while this one waited after a deadlock; nothing was written; run the import "
                                "again (it will count those rows as duplicates)");
      }
    }
    for (auto& [id, v] : now) known.keys.try_emplace(id, v);
  }
  events_.sent = 0;
  events_.rows_sent = 0;
  event_links_.sent = 0;
  event_links_.rows_sent = 0;
  for (const auto& [id, s] : journal_.finished) {
    conn_.exec("UPDATE import_log SET read=$1, imported=$2, duplicates=$3, rejected=$4, outside_areas=$5 WHERE id=$6",
               Params().add(s.read).add(s.imported).add(s.duplicates).add(s.rejected).add(s.outside_areas).add(id));
  }
}

// --- locks ----------------------------------------------------------------------------

std::pair<std::int64_t, std::int64_t> PostgresBackend::areas_generation() {
  const auto r = conn_.exec("SELECT count(*), coalesce(max(import_id), 0) FROM areas");
  return {r.i64(0, 0), r.i64(0, 1)};
}

void PostgresBackend::lock_areas_shared() {
  if (areas_lock_ != AreasLock::kNone) return;
  conn_.exec(lock_sql(kLockSpace, kAreasLock, true));
  areas_lock_ = AreasLock::kShared;
  // The caller may have located its points in areas it read before this
  // transaction: they must still be the stored ones.
  if (areas_seen_ && *areas_seen_ != areas_generation()) {
    throw environment_error("the areas in " + location_ +
                            " changed (another user imported areas) after this command read them; nothing was "
                            "written; run it again");
  }
}

void PostgresBackend::lock_areas_exclusive() {
  not_replayable();
  if (areas_lock_ == AreasLock::kExclusive) return;
  if (areas_lock_ == AreasLock::kShared) {
    throw internal_error("an area import inside a transaction that already added events, sites or observations");
  }
  conn_.exec(lock_sql(kLockSpace, kAreasLock));
  areas_lock_ = AreasLock::kExclusive;
}

void PostgresBackend::lock_once(bool& held, int key) {
  if (held) return;
  conn_.exec(lock_sql(kLockSpace, key));
  held = true;
}

// --- buffered rows ----------------------------------------------------------------------

void PostgresBackend::flush_buffer(Buffer& b, const std::string& stage, const std::string& copy_columns,
                                   const std::string& insert_sql, bool count_check) {
  if (b.rows.size() == b.sent) return;
  create_staging();
  conn_.copy_in("COPY " + stage + " (" + copy_columns + ") FROM STDIN", std::string_view(b.rows.text()).substr(b.sent));
  const auto r = conn_.exec(insert_sql);
  const std::int64_t staged = b.rows.rows() - b.rows_sent;
  if (count_check && r.affected() != staged) {
    throw environment_error(std::to_string(staged - r.affected()) + " of the " + std::to_string(staged) +
                            " new rows were stored meanwhile by another writer that does not take endstate's "
                            "locks; nothing was written; run the import again");
  }
  conn_.exec("TRUNCATE " + stage);
  b.sent = b.rows.size();
  b.rows_sent = b.rows.rows();
  if (!journal_.replayable) {
    b.rows.clear();
    b.sent = 0;
    b.rows_sent = 0;
  }
}

void PostgresBackend::flush() {
  if (state_ != State::kWrite) return;
  flush_buffer(events_, "stage_events", kEventColumns,
               std::string("INSERT INTO events (") + kEventColumns + ") SELECT " + kEventColumns +
                   " FROM stage_events ON CONFLICT (source, source_id) DO NOTHING",
               true);
  flush_buffer(event_links_, "stage_event_areas", "event_id, area_id",
               "INSERT INTO event_areas (event_id, area_id) SELECT event_id, area_id FROM stage_event_areas "
               "ON CONFLICT DO NOTHING",
               false);
  flush_buffer(site_links_, "stage_site_areas", "site_id, area_id",
               "INSERT INTO site_areas (site_id, area_id) SELECT site_id, area_id FROM stage_site_areas "
               "ON CONFLICT DO NOTHING",
               false);
}

void PostgresBackend::load_source_keys(const std::string& source,
                                       std::unordered_map<std::string, std::pair<std::int64_t, bool>>& into) {
  conn_.copy_out(
      "COPY (SELECT source_id, import_id FROM events WHERE source = " + conn_.literal(source) + ") TO STDOUT",
      [&](std::string_view line) {
        auto f = pg::copy_fields(line);
        if (f.size() != 2 || !f[0] || !f[1]) throw internal_error("unexpected COPY row of events");
        into.emplace(std::move(*f[0]), std::make_pair(std::stoll(*f[1]), false));
      });
}

PostgresBackend::SourceKeys& PostgresBackend::source_keys(const std::string& source) {
  if (auto it = sources_.find(source); it != sources_.end()) return it->second;
  // The source's lock first: no other transaction adds its keys until this one ends.
  conn_.exec("SELECT pg_advisory_xact_lock(" + std::to_string(kSourceSpace) + ", hashtext($1))", Params().add(source));
  SourceKeys keys;
  load_source_keys(source, keys.keys);
  return sources_.emplace(source, std::move(keys)).first->second;
}

std::int64_t PostgresBackend::next_event_id() {
  if (id_next_ == id_pool_.size()) {
    const std::int64_t n = std::clamp<std::int64_t>(static_cast<std::int64_t>(id_pool_.size()) * 2, 1024, 65536);
    id_pool_.clear();
    id_next_ = 0;
    conn_.copy_out("COPY (SELECT nextval(" + conn_.literal(events_sequence_) + ") FROM generate_series(1, " +
                       std::to_string(n) + ")) TO STDOUT",
                   [&](std::string_view line) { id_pool_.push_back(std::stoll(std::string(line))); });
  }
  return id_pool_[id_next_++];
}

// --- cursors ------------------------------------------------------------------------------

void PostgresBackend::each_row(const std::string& sql, const Params& p,
                               const std::function<void(const Result&, int)>& fn) {
  reading();
  flush();
  const std::string name = "endstate_cursor_" + std::to_string(++cursors_);
  conn_.exec("DECLARE " + name + " NO SCROLL CURSOR FOR " + sql, p);
  struct Closer {
    pg::Connection& c;
    std::string name;
    ~Closer() { PQclear(PQexec(c.raw(), ("CLOSE " + name).c_str())); }
  } closer{conn_, name};
  for (;;) {
    const auto r = conn_.exec("FETCH " + std::to_string(kFetchRows) + " FROM " + name);
    for (int i = 0; i < r.rows(); ++i) fn(r, i);
    if (r.rows() < kFetchRows) break;
  }
}

// --- import log -----------------------------------------------------------------------------

std::int64_t PostgresBackend::begin_import(const std::string& kind, const std::string& file, const std::string& sha256,
                                           const std::string& source) {
  return writing([&] {
    const std::int64_t id = scalar("SELECT nextval('" + import_sequence_ + "')");
    std::vector<std::string> row{std::to_string(id), kind, file, sha256, source, utc_now_iso()};
    Params p;
    for (const auto& v : row) p.add(v);
    run("INSERT INTO import_log(id,kind,file,sha256,source,imported_at,read,imported,duplicates,rejected,"
        "outside_areas) VALUES($1::bigint,$2,$3,$4,$5,$6,0,0,0,0,0)",
        p);
    journal_.imports.push_back(std::move(row));
    return id;
  });
}

void PostgresBackend::finish_import(std::int64_t import_id, const ImportSummary& s) {
  writing([&] {
    replaying([&] {
      conn_.exec(
          "UPDATE import_log SET read=$1, imported=$2, duplicates=$3, rejected=$4, outside_areas=$5 WHERE id=$6",
          Params().add(s.read).add(s.imported).add(s.duplicates).add(s.rejected).add(s.outside_areas).add(import_id));
    });
    journal_.finished.emplace_back(import_id, s);
  });
}

std::vector<ImportRecord> PostgresBackend::imports(int limit) {
  reading();
  // limit < 0: every entry (SQLite's LIMIT -1; PostgreSQL refuses a negative LIMIT).
  const std::string sql =
      "SELECT id,kind,file,sha256,source,imported_at,read,imported,duplicates,rejected,outside_areas "
      "FROM import_log ORDER BY id DESC";
  const auto r = limit < 0 ? run(sql) : run(sql + " LIMIT $1", Params().add(static_cast<std::int64_t>(limit)));
  std::vector<ImportRecord> out;
  out.reserve(static_cast<std::size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i) {
    out.push_back({r.i64(i, 0), r.text(i, 1), r.text(i, 2), r.text(i, 3), r.text(i, 4), r.text(i, 5), r.i64(i, 6),
                   r.i64(i, 7), r.i64(i, 8), r.i64(i, 9), r.i64(i, 10)});
  }
  return out;
}

// --- areas ----------------------------------------------------------------------------------

bool PostgresBackend::insert_area(const Area& a, std::int64_t import_id) {
  return writing([&] {
    lock_areas_exclusive();
    Params p;
    p.add(a.id).add(a.name).add(a.level);
    if (a.parent_id.empty()) {
      p.add_null();
    } else {
      p.add(a.parent_id);
    }
    p.add_opt(a.population)
        .add(a.area_km2)
        .add(a.centroid.lat)
        .add(a.centroid.lon)
        .add(a.min_lon)
        .add(a.min_lat)
        .add(a.max_lon)
        .add(a.max_lat)
        .add_opt(a.priogrid_gid)
        .add_opt(a.share_inside)
        .add_bytea(a.wkb)
        .add(import_id);
    return run_prepared("insert_area",
                        "INSERT INTO areas(id,name,level,parent_id,population,area_km2,centroid_lat,centroid_lon,"
                        "min_lon,min_lat,max_lon,max_lat,priogrid_gid,share_inside,geometry_wkb,import_id) "
                        "VALUES($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16) ON CONFLICT(id) DO NOTHING",
                        p)
               .affected() > 0;
  });
}

namespace {
constexpr const char* kAreaColumns =
    "SELECT id,name,level,coalesce(parent_id,''),population,area_km2,centroid_lat,centroid_lon,min_lon,min_lat,"
    "max_lon,max_lat,priogrid_gid,share_inside,";
Area read_area(const Result& r, int i, bool with_geometry) {
  Area a;
  a.id = r.text(i, 0);
  a.name = r.text(i, 1);
  a.level = r.text(i, 2);
  a.parent_id = r.text(i, 3);
  a.population = r.opt_f64(i, 4);
  a.area_km2 = r.f64(i, 5);
  a.centroid = {r.f64(i, 6), r.f64(i, 7)};
  a.min_lon = r.f64(i, 8);
  a.min_lat = r.f64(i, 9);
  a.max_lon = r.f64(i, 10);
  a.max_lat = r.f64(i, 11);
  a.priogrid_gid = r.opt_i64(i, 12);
  a.share_inside = r.opt_f64(i, 13);
  if (with_geometry) a.wkb = r.bytea(i, 14);
  return a;
}
}  // namespace

std::vector<Area> PostgresBackend::areas(const std::string& level, bool with_geometry) {
  reading();
  std::vector<Area> out;
  const std::string sql = std::string(kAreaColumns) + (with_geometry ? "geometry_wkb" : "NULL") + " FROM areas " +
                          (level.empty() ? "ORDER BY level, id" : "WHERE level=$1 ORDER BY id");
  Params p;
  if (!level.empty()) p.add(level);
  const auto r = run(sql, p);
  out.reserve(static_cast<std::size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i) out.push_back(read_area(r, i, with_geometry));
  if (state_ == State::kSnapshot) areas_seen_ = areas_generation();
  return out;
}

std::optional<Area> PostgresBackend::find_area(const std::string& id_or_name) {
  reading();
  {
    const auto r = run(std::string(kAreaColumns) + "geometry_wkb FROM areas WHERE id=$1", Params().add(id_or_name));
    if (r.rows()) return read_area(r, 0, true);
  }
  const auto r = run(std::string(kAreaColumns) + "geometry_wkb FROM areas WHERE lower(name)=lower($1) ORDER BY id",
                     Params().add(id_or_name));
  if (!r.rows()) return std::nullopt;
  if (r.rows() > 1) {
    std::string ids;
    for (int i = 0; i < r.rows(); ++i) ids += (ids.empty() ? "" : ", ") + r.text(i, 0) + " (" + r.text(i, 2) + ")";
    throw Error(ErrorCategory::kBadInput, "area name '" + id_or_name + "' is ambiguous: " + ids + "; use an id");
  }
  return read_area(r, 0, true);
}

std::vector<std::string> PostgresBackend::area_levels() {
  reading();
  std::vector<std::string> out;
  const auto r = run("SELECT DISTINCT level FROM areas ORDER BY level");
  out.reserve(static_cast<std::size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i) out.push_back(r.text(i, 0));
  return out;
}

std::vector<std::string> PostgresBackend::area_subtree(const std::string& id) {
  reading();
  std::vector<std::string> out;
  const auto r =
      run("WITH RECURSIVE sub(id) AS (SELECT $1::text COLLATE \"C\" UNION SELECT a.id FROM areas a JOIN sub ON "
          "a.parent_id = sub.id) SELECT id FROM sub ORDER BY id",
          Params().add(id));
  out.reserve(static_cast<std::size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i) out.push_back(r.text(i, 0));
  return out;
}

// --- events ---------------------------------------------------------------------------------

std::optional<std::int64_t> PostgresBackend::insert_event(const Event& e, std::int64_t import_id,
                                                          std::int64_t* existing_import) {
  return writing([&]() -> std::optional<std::int64_t> {
    // The schema's CHECKs, here: the row reaches the server only at the flush.
    if (e.fatalities_best < 0 || e.fatalities_low < 0 || e.fatalities_high < 0) {
      throw Error(ErrorCategory::kBadInput, "constraint failed: event " + e.source + " " + e.source_id +
                                                " has negative fatalities (CHECK fatalities_* >= 0)");
    }
    return replaying([&]() -> std::optional<std::int64_t> {
      lock_areas_shared();
      auto& known = source_keys(e.source).keys;
      const auto [it, fresh] = known.try_emplace(e.source_id, import_id, true);
      if (!fresh) {
        if (existing_import) *existing_import = it->second.first;
        return std::nullopt;
      }
      const std::int64_t id = next_event_id();
      auto& b = events_.rows;
      b.field(id)
          .field(e.source)
          .field(e.source_id)
          .field(e.date_start.iso())
          .field(e.date_end.iso())
          .field(static_cast<std::int64_t>(e.date_start.days()))
          .field(static_cast<std::int64_t>(Month::of(e.date_start).index()))
          .field(static_cast<std::int64_t>(e.date_precision))
          .field(e.where.lat)
          .field(e.where.lon)
          .field(static_cast<std::int64_t>(e.location_precision))
          .field(to_string(e.violence))
          .field(e.violence_original)
          .field(e.actor1)
          .field(e.actor2)
          .field(e.fatalities_best)
          .field(e.fatalities_low)
          .field(e.fatalities_high)
          .field_opt(e.civilian_deaths)
          .field(e.country)
          .field(e.admin1)
          .field(e.location)
          .field_opt(e.priogrid_gid)
          .field(import_id);
      b.end_row();
      return id;
    });
  });
}

void PostgresBackend::link_event_area(std::int64_t event_id, const std::string& area_id) {
  writing([&] {
    replaying([&] { lock_areas_shared(); });
    event_links_.rows.field(event_id).field(area_id).end_row();
  });
}

void PostgresBackend::for_each_event(const EventFilter& f, const std::function<void(const EventRow&)>& fn) {
  std::string sql =
      "SELECT e.id,source,source_id,date_start::text,date_end::text,date_precision,lat,lon,location_precision,"
      "violence_type,violence_original,actor1,actor2,fatalities_best,fatalities_low,fatalities_high,"
      "civilian_deaths,country,admin1,location,priogrid_gid,(SELECT string_agg(area_id, ';' ORDER BY area_id) FROM "
      "event_areas ea WHERE ea.event_id = e.id) FROM events e WHERE true";
  Params p;
  int n = 1;
  if (!f.area_ids.empty()) {
    sql += " AND e.id IN (SELECT event_id FROM event_areas WHERE area_id = ANY($" + std::to_string(n++) + "::text[]))";
    p.add_text_array(f.area_ids);
  }
  if (f.from) {
    sql += " AND month >= $" + std::to_string(n++);
    p.add(static_cast<std::int64_t>(f.from->index()));
  }
  if (f.to) {
    sql += " AND month <= $" + std::to_string(n++);
    p.add(static_cast<std::int64_t>(f.to->index()));
  }
  if (f.type) {
    sql += " AND violence_type = $" + std::to_string(n++);
    p.add(std::string(to_string(*f.type)));
  }
  if (!f.source.empty()) {
    sql += " AND source = $" + std::to_string(n++);
    p.add(f.source);
  }
  sql += " ORDER BY day_start, source, source_id";
  if (f.limit > 0) sql += " LIMIT " + std::to_string(f.limit);
  EventRow row;
  each_row(sql, p, [&](const Result& r, int i) {
    Event& e = row.event;
    row.id = r.i64(i, 0);
    e.source = r.text(i, 1);
    e.source_id = r.text(i, 2);
    e.date_start = *Date::parse(r.view(i, 3));
    e.date_end = *Date::parse(r.view(i, 4));
    e.date_precision = static_cast<int>(r.i64(i, 5));
    e.where = {r.f64(i, 6), r.f64(i, 7)};
    e.location_precision = static_cast<int>(r.i64(i, 8));
    e.violence = parse_violence_type(r.view(i, 9)).value_or(ViolenceType::kOther);
    e.violence_original = r.text(i, 10);
    e.actor1 = r.text(i, 11);
    e.actor2 = r.text(i, 12);
    e.fatalities_best = r.i64(i, 13);
    e.fatalities_low = r.i64(i, 14);
    e.fatalities_high = r.i64(i, 15);
    e.civilian_deaths = r.opt_i64(i, 16);
    e.country = r.text(i, 17);
    e.admin1 = r.text(i, 18);
    e.location = r.text(i, 19);
    e.priogrid_gid = r.opt_i64(i, 20);
    row.area_ids = r.null(i, 21) ? std::vector<std::string>{} : split(r.view(i, 21), ';');
    fn(row);
  });
}

void PostgresBackend::for_each_event_point(const std::function<void(std::int64_t, LatLon)>& fn) {
  each_row("SELECT id, lat, lon FROM events ORDER BY id", Params(), [&](const Result& r, int i) {
    fn(r.i64(i, 0), {r.f64(i, 1), r.f64(i, 2)});
  });
}

void PostgresBackend::clear_event_areas() {
  writing([&] {
    lock_areas_exclusive();
    event_links_ = Buffer{};
    run("DELETE FROM event_areas");
  });
}

// --- sites ------------------------------------------------------------------------------------

std::pair<std::int64_t, bool> PostgresBackend::upsert_site(const Site& site, std::int64_t import_id) {
  return writing([&]() -> std::pair<std::int64_t, bool> {
    not_replayable();
    lock_areas_shared();
    lock_once(sites_locked_, kSitesLock);
    {
      const auto r = run_prepared("site_by_key", "SELECT id FROM sites WHERE key=$1", Params().add(site.key));
      if (r.rows()) return {r.i64(0, 0), false};
    }
    const auto r = run_prepared("insert_site",
                                "INSERT INTO sites(key,mission,name,country,admin1,admin2,lat,lon,kind,import_id) "
                                "VALUES($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) RETURNING id",
                                Params()
                                    .add(site.key)
                                    .add(site.mission)
                                    .add(site.name)
                                    .add(site.country)
                                    .add(site.admin1)
                                    .add(site.admin2)
                                    .add(site.where.lat)
                                    .add(site.where.lon)
                                    .add(site.kind)
                                    .add(import_id));
    return {r.i64(0, 0), true};
  });
}

bool PostgresBackend::insert_deployment(std::int64_t site_id, const Deployment& d, std::int64_t import_id) {
  return writing([&] {
    not_replayable();
    lock_areas_shared();
    lock_once(sites_locked_, kSitesLock);
    return run_prepared("insert_deployment",
                        "INSERT INTO deployments(site_id,period_start,period_end,source,troops,police,observers,"
                        "civilians,hq,aviation,medical,notes,import_id) VALUES($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,"
                        "$12,$13) ON CONFLICT(site_id,period_start,source) DO NOTHING",
                        Params()
                            .add(site_id)
                            .add(static_cast<std::int64_t>(d.period_start.index()))
                            .add(static_cast<std::int64_t>(d.period_end.index()))
                            .add(d.source)
                            .add(d.troops)
                            .add(d.police)
                            .add(d.observers)
                            .add(d.civilians)
                            .add(d.hq)
                            .add(d.aviation)
                            .add(d.medical)
                            .add(d.notes)
                            .add(import_id))
               .affected() > 0;
  });
}

void PostgresBackend::link_site_area(std::int64_t site_id, const std::string& area_id) {
  writing([&] {
    not_replayable();
    lock_areas_shared();
    site_links_.rows.field(site_id).field(area_id).end_row();
  });
}

void PostgresBackend::clear_site_areas() {
  writing([&] {
    lock_areas_exclusive();
    site_links_ = Buffer{};
    run("DELETE FROM site_areas");
  });
}

void PostgresBackend::for_each_site_point(const std::function<void(std::int64_t, LatLon)>& fn) {
  each_row("SELECT id, lat, lon FROM sites ORDER BY id", Params(), [&](const Result& r, int i) {
    fn(r.i64(i, 0), {r.f64(i, 1), r.f64(i, 2)});
  });
}

namespace {
Deployment read_deployment(const Result& r, int i, int c, const std::string& key) {
  Deployment d;
  d.site_key = key;
  d.period_start = Month::from_index(static_cast<std::int32_t>(r.i64(i, c)));
  d.period_end = Month::from_index(static_cast<std::int32_t>(r.i64(i, c + 1)));
  d.source = r.text(i, c + 2);
  d.troops = r.i64(i, c + 3);
  d.police = r.i64(i, c + 4);
  d.observers = r.i64(i, c + 5);
  d.civilians = r.i64(i, c + 6);
  d.hq = static_cast<int>(r.i64(i, c + 7));
  d.aviation = static_cast<int>(r.i64(i, c + 8));
  d.medical = static_cast<int>(r.i64(i, c + 9));
  d.notes = r.text(i, c + 10);
  return d;
}
constexpr const char* kDeploymentColumns =
    "period_start,period_end,source,troops,police,observers,civilians,hq,aviation,medical,notes";
}  // namespace

std::vector<SiteRow> PostgresBackend::sites(const std::vector<std::string>& area_ids, std::optional<Month> month) {
  reading();
  std::string sql =
      "SELECT s.id,key,mission,name,country,admin1,admin2,lat,lon,kind,(SELECT string_agg(area_id, ';' ORDER BY "
      "area_id) FROM site_areas sa WHERE sa.site_id = s.id),(SELECT count(*) FROM deployments d WHERE d.site_id = "
      "s.id) FROM sites s WHERE true";
  Params p;
  int n = 1;
  if (!area_ids.empty()) {
    sql += " AND s.id IN (SELECT site_id FROM site_areas WHERE area_id = ANY($" + std::to_string(n++) + "::text[]))";
    p.add_text_array(area_ids);
  }
  if (month) {
    sql += " AND EXISTS (SELECT 1 FROM deployments d WHERE d.site_id = s.id AND $" + std::to_string(n++) +
           " BETWEEN period_start AND period_end)";
    p.add(static_cast<std::int64_t>(month->index()));
  }
  sql += " ORDER BY mission, name, key";
  const auto r = run(sql, p);
  std::vector<SiteRow> out;
  for (int i = 0; i < r.rows(); ++i) {
    SiteRow s;
    s.id = r.i64(i, 0);
    s.site.key = r.text(i, 1);
    s.site.mission = r.text(i, 2);
    s.site.name = r.text(i, 3);
    s.site.country = r.text(i, 4);
    s.site.admin1 = r.text(i, 5);
    s.site.admin2 = r.text(i, 6);
    s.site.where = {r.f64(i, 7), r.f64(i, 8)};
    s.site.kind = r.text(i, 9);
    if (!r.null(i, 10)) s.area_ids = split(r.view(i, 10), ';');
    s.deployments = r.i64(i, 11);
    out.push_back(std::move(s));
  }
  if (out.empty()) return out;
  // Latest deployment (or the one covering `month`) per site: largest period_start, then source.
  std::vector<std::string> ids;
  ids.reserve(out.size());
  for (const auto& s : out) ids.push_back(std::to_string(s.id));
  std::string dsql = std::string("SELECT DISTINCT ON (site_id) site_id,") + kDeploymentColumns +
                     " FROM deployments WHERE site_id = ANY($1::bigint[])";
  Params dp;
  dp.add_text_array(ids);
  if (month) {
    dsql += " AND $2 BETWEEN period_start AND period_end";
    dp.add(static_cast<std::int64_t>(month->index()));
  }
  dsql += " ORDER BY site_id, period_start DESC, source DESC";
  const auto d = run(dsql, dp);
  std::unordered_map<std::int64_t, int> row_of;
  for (int i = 0; i < d.rows(); ++i) row_of[d.i64(i, 0)] = i;
  for (auto& s : out) {
    if (const auto it = row_of.find(s.id); it != row_of.end()) s.latest = read_deployment(d, it->second, 1, s.site.key);
  }
  return out;
}

std::vector<Deployment> PostgresBackend::deployments(std::int64_t site_id) {
  reading();
  const auto k = run("SELECT key FROM sites WHERE id=$1", Params().add(site_id));
  const std::string key = k.rows() ? k.text(0, 0) : std::string();
  const auto r = run(
      std::string("SELECT ") + kDeploymentColumns + " FROM deployments WHERE site_id=$1 ORDER BY period_start, source",
      Params().add(site_id));
  std::vector<Deployment> out;
  out.reserve(static_cast<std::size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i) out.push_back(read_deployment(r, i, 0, key));
  return out;
}

// --- indicators and observations ---------------------------------------------------------

void PostgresBackend::ensure_indicator(const std::string& id) {
  writing([&] {
    not_replayable();
    lock_areas_shared();
    lock_once(observations_locked_, kObservationsLock);
    if (indicators_known_.count(id)) return;
    run_prepared("ensure_indicator", "INSERT INTO indicators(id, name) VALUES($1, $1) ON CONFLICT DO NOTHING",
                 Params().add(id));
    indicators_known_.insert(id);
  });
}

bool PostgresBackend::insert_observation(const Observation& o, std::int64_t import_id) {
  return writing([&] {
    not_replayable();
    lock_areas_shared();
    lock_once(observations_locked_, kObservationsLock);
    return run_prepared("insert_observation",
                        "INSERT INTO observations(indicator_id,area_id,month,value,source,import_id) "
                        "VALUES($1,$2,$3,$4,$5,$6) ON CONFLICT(indicator_id,area_id,month,source) DO NOTHING",
                        Params()
                            .add(o.indicator)
                            .add(o.area_id)
                            .add(static_cast<std::int64_t>(o.month.index()))
                            .add(o.value)
                            .add(o.source)
                            .add(import_id))
               .affected() > 0;
  });
}

std::vector<Observation> PostgresBackend::observations(const std::string& indicator, const std::string& area_id) {
  reading();
  std::string sql = "SELECT indicator_id, area_id, month, value, source FROM observations WHERE true";
  Params p;
  int n = 1;
  if (!indicator.empty()) {
    sql += " AND indicator_id = $" + std::to_string(n++);
    p.add(indicator);
  }
  if (!area_id.empty()) {
    sql += " AND area_id = $" + std::to_string(n++);
    p.add(area_id);
  }
  sql += " ORDER BY indicator_id, area_id, month, source";
  const auto r = run(sql, p);
  std::vector<Observation> out;
  out.reserve(static_cast<std::size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i) {
    out.push_back({r.text(i, 0), r.text(i, 1), Month::from_index(static_cast<std::int32_t>(r.i64(i, 2))), r.f64(i, 3),
                   r.text(i, 4)});
  }
  return out;
}

// --- benchmarks and audit --------------------------------------------------------------------
// Inside a write transaction every call takes the audit-chain lock first, so
// what a writer reads (the chain head, the next version number) stays true
// until it commits.

namespace {
AuditEntry audit_row(const Result& r, int i) {
  return {r.i64(i, 0), r.text(i, 1), r.text(i, 2), r.text(i, 3), r.text(i, 4), r.text(i, 5), r.text(i, 6)};
}
FrameworkRow framework_row(const Result& r, int i) {
  return {r.i64(i, 0),  r.text(i, 1), r.text(i, 2), r.text(i, 3), r.text(i, 4),
          r.text(i, 5), r.text(i, 6), r.text(i, 7), r.text(i, 8), r.i64(i, 9)};
}
AssessmentRow assessment_row(const Result& r, int i) {
  return {r.i64(i, 0),  r.i64(i, 1),  Month::from_index(static_cast<std::int32_t>(r.i64(i, 2))),
          r.text(i, 3), r.text(i, 4), r.text(i, 5),
          r.i64(i, 6)};
}
constexpr const char* kAuditCols = "seq, at, kind, subject, payload, prev_hash, hash";
constexpr const char* kAssessmentCols = "id, framework_version, month, level, data_fingerprint, created_at, audit_seq";
constexpr const char* kFrameworkCols =
    "SELECT version, framework_id, label, name, area_level, file, sha256, yaml, imported_at, audit_seq "
    "FROM benchmark_frameworks ";
}  // namespace

std::optional<AuditEntry> PostgresBackend::last_audit() {
  reading();
  lock_audit();
  const auto r = run(std::string("SELECT ") + kAuditCols + " FROM audit_log ORDER BY seq DESC LIMIT 1");
  if (!r.rows()) return std::nullopt;
  return audit_row(r, 0);
}

void PostgresBackend::insert_audit(const AuditEntry& e) {
  writing([&] {
    lock_audit();
    run("INSERT INTO audit_log(seq, at, kind, subject, payload, prev_hash, hash) VALUES($1,$2,$3,$4,$5,$6,$7)",
        Params().add(e.seq).add(e.at).add(e.kind).add(e.subject).add(e.payload).add(e.prev_hash).add(e.hash));
    run("INSERT INTO audit_head(id, entries, head_hash) VALUES(1, $1, $2) "
        "ON CONFLICT(id) DO UPDATE SET entries = excluded.entries, head_hash = excluded.head_hash",
        Params().add(e.seq).add(e.hash));
  });
}

std::optional<AuditHead> PostgresBackend::audit_head() {
  reading();
  lock_audit();
  const auto r = run("SELECT entries, head_hash FROM audit_head WHERE id = 1");
  if (!r.rows()) return std::nullopt;
  return AuditHead{r.i64(0, 0), r.text(0, 1)};
}

std::vector<AuditEntry> PostgresBackend::audit_log() {
  reading();
  lock_audit();
  const auto r = run(std::string("SELECT ") + kAuditCols + " FROM audit_log ORDER BY seq");
  std::vector<AuditEntry> out;
  out.reserve(static_cast<std::size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i) out.push_back(audit_row(r, i));
  return out;
}

std::vector<std::int64_t> PostgresBackend::audit_references() {
  reading();
  lock_audit();
  const auto r =
      run("SELECT audit_seq FROM benchmark_frameworks UNION SELECT audit_seq FROM benchmark_signoffs "
          "UNION SELECT audit_seq FROM benchmark_assessments ORDER BY 1");
  std::vector<std::int64_t> out;
  out.reserve(static_cast<std::size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i) out.push_back(r.i64(i, 0));
  return out;
}

std::int64_t PostgresBackend::insert_framework(const FrameworkRow& f) {
  return writing([&] {
    lock_audit();
    return run("INSERT INTO benchmark_frameworks(framework_id, label, name, area_level, file, sha256, yaml, "
               "imported_at, audit_seq) VALUES($1,$2,$3,$4,$5,$6,$7,$8,$9) RETURNING version",
               Params()
                   .add(f.framework_id)
                   .add(f.label)
                   .add(f.name)
                   .add(f.area_level)
                   .add(f.file)
                   .add(f.sha256)
                   .add(f.yaml)
                   .add(f.imported_at)
                   .add(f.audit_seq))
        .i64(0, 0);
  });
}

std::vector<FrameworkRow> PostgresBackend::frameworks(bool with_yaml) {
  reading();
  lock_audit();
  const auto r =
      run(std::string("SELECT version, framework_id, label, name, area_level, file, sha256, ") +
          (with_yaml ? "yaml" : "''") + ", imported_at, audit_seq FROM benchmark_frameworks ORDER BY version");
  std::vector<FrameworkRow> out;
  out.reserve(static_cast<std::size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i) out.push_back(framework_row(r, i));
  return out;
}

std::optional<FrameworkRow> PostgresBackend::framework(std::optional<std::int64_t> version) {
  reading();
  lock_audit();
  const auto r = version ? run(std::string(kFrameworkCols) + "WHERE version = $1", Params().add(*version))
                         : run(std::string(kFrameworkCols) + "ORDER BY version DESC LIMIT 1");
  if (!r.rows()) return std::nullopt;
  return framework_row(r, 0);
}

std::optional<FrameworkRow> PostgresBackend::framework_by_sha256(const std::string& sha256) {
  reading();
  lock_audit();
  const auto r = run(std::string(kFrameworkCols) + "WHERE sha256 = $1 ORDER BY version LIMIT 1", Params().add(sha256));
  if (!r.rows()) return std::nullopt;
  return framework_row(r, 0);
}

std::int64_t PostgresBackend::insert_signoff(const SignoffRow& s) {
  return writing([&] {
    lock_audit();
    return run("INSERT INTO benchmark_signoffs(framework_version, stakeholder, signed_by, signed_at, version_sha256, "
               "audit_seq) VALUES($1,$2,$3,$4,$5,$6) RETURNING id",
               Params()
                   .add_opt(s.framework_version)
                   .add(s.stakeholder)
                   .add(s.signed_by)
                   .add(s.signed_at)
                   .add(s.version_sha256)
                   .add(s.audit_seq))
        .i64(0, 0);
  });
}

std::vector<SignoffRow> PostgresBackend::signoffs() {
  reading();
  lock_audit();
  const auto r =
      run("SELECT id, framework_version, stakeholder, signed_by, signed_at, version_sha256, audit_seq "
          "FROM benchmark_signoffs ORDER BY id");
  std::vector<SignoffRow> out;
  out.reserve(static_cast<std::size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i) {
    out.push_back({r.i64(i, 0), r.opt_i64(i, 1), r.text(i, 2), r.text(i, 3), r.text(i, 4), r.text(i, 5), r.i64(i, 6)});
  }
  return out;
}

std::int64_t PostgresBackend::insert_assessment(const AssessmentRow& a, const std::vector<AssessmentResult>& results) {
  return writing([&] {
    lock_audit();
    const std::int64_t id =
        run("INSERT INTO benchmark_assessments(framework_version, month, level, data_fingerprint, created_at, "
            "audit_seq) VALUES($1,$2,$3,$4,$5,$6) RETURNING id",
            Params()
                .add(a.framework_version)
                .add(static_cast<std::int64_t>(a.month.index()))
                .add(a.level)
                .add(a.data_fingerprint)
                .add(a.created_at)
                .add(a.audit_seq))
            .i64(0, 0);
    pg::CopyRows text;
    for (const auto& x : results) {
      text.field(id)
          .field(x.area_id)
          .field(x.stakeholder)
          .field(x.item_kind)
          .field(x.item_id)
          .field_opt(x.value)
          .field(x.status);
      text.end_row();
    }
    if (!text.empty()) {
      conn_.copy_in(
          "COPY benchmark_results (assessment_id, area_id, stakeholder, item_kind, item_id, value, status) FROM STDIN",
          text.text());
    }
    return id;
  });
}

std::vector<AssessmentRow> PostgresBackend::assessments() {
  reading();
  lock_audit();
  const auto r = run(std::string("SELECT ") + kAssessmentCols + " FROM benchmark_assessments ORDER BY month, id");
  std::vector<AssessmentRow> out;
  out.reserve(static_cast<std::size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i) out.push_back(assessment_row(r, i));
  return out;
}

std::vector<AssessmentResult> PostgresBackend::assessment_results(std::int64_t assessment_id) {
  reading();
  lock_audit();
  const auto r =
      run("SELECT area_id, stakeholder, item_kind, item_id, value, status FROM benchmark_results "
          "WHERE assessment_id = $1 ORDER BY area_id, stakeholder, item_kind, item_id",
          Params().add(assessment_id));
  std::vector<AssessmentResult> out;
  out.reserve(static_cast<std::size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i) {
    out.push_back({r.text(i, 0), r.text(i, 1), r.text(i, 2), r.text(i, 3), r.opt_f64(i, 4), r.text(i, 5)});
  }
  return out;
}

std::vector<std::pair<AssessmentRow, AssessmentResult>> PostgresBackend::area_results(const std::string& area_id) {
  reading();
  lock_audit();
  const auto r =
      run("SELECT a.id, a.framework_version, a.month, a.level, a.data_fingerprint, a.created_at, a.audit_seq, "
          "r.area_id, r.stakeholder, r.item_kind, r.item_id, r.value, r.status "
          "FROM benchmark_results r JOIN benchmark_assessments a ON a.id = r.assessment_id "
          "WHERE r.area_id = $1 ORDER BY a.month, a.id, r.stakeholder, r.item_kind, r.item_id",
          Params().add(area_id));
  std::vector<std::pair<AssessmentRow, AssessmentResult>> out;
  out.reserve(static_cast<std::size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i) {
    out.emplace_back(assessment_row(r, i), AssessmentResult{r.text(i, 7), r.text(i, 8), r.text(i, 9), r.text(i, 10),
                                                            r.opt_f64(i, 11), r.text(i, 12)});
  }
  return out;
}

// --- whole tables ------------------------------------------------------------------------

namespace {
std::string select_list(const TableInfo& t) {
  std::string s;
  for (const auto& c : t.columns) {
    if (!s.empty()) s += ", ";
    s += c.type == ColumnType::kDate ? c.name + "::text" : c.name;
  }
  return s;
}
}  // namespace

void PostgresBackend::read_table(const TableInfo& t, const std::function<void(const Row&)>& fn) {
  Row row(t.columns.size());
  each_row("SELECT " + select_list(t) + " FROM " + t.name + " ORDER BY " + t.order_by, Params(),
           [&](const Result& r, int i) {
             for (std::size_t c = 0; c < t.columns.size(); ++c) {
               const int k = static_cast<int>(c);
               if (r.null(i, k)) {
                 row[c] = std::monostate{};
                 continue;
               }
               switch (t.columns[c].type) {
                 case ColumnType::kInteger:
                   row[c] = r.i64(i, k);
                   break;
                 case ColumnType::kReal:
                   row[c] = r.f64(i, k);
                   break;
                 case ColumnType::kText:
                 case ColumnType::kDate:
                   row[c] = r.text(i, k);
                   break;
                 case ColumnType::kBlob:
                   row[c] = Blob{r.bytea(i, k)};
                   break;
               }
             }
             fn(row);
           });
}

std::int64_t PostgresBackend::count_rows(const TableInfo& t) {
  reading();
  return scalar("SELECT count(*) FROM " + t.name);
}

void PostgresBackend::write_rows(const TableInfo& t, const std::vector<Row>& rows) {
  writing([&] {
    not_replayable();
    flush();
    std::string columns;
    for (const auto& c : t.columns) columns += (columns.empty() ? "" : ", ") + c.name;
    static const char* kHex = "0123456789abcdef";
    pg::CopyRows text;
    for (const auto& row : rows) {
      if (row.size() != t.columns.size())
        throw internal_error("write_rows: a row of " + t.name + " has the wrong width");
      for (const auto& v : row) {
        if (std::holds_alternative<std::monostate>(v)) {
          text.null();
        } else if (const auto* i = std::get_if<std::int64_t>(&v)) {
          text.field(*i);
        } else if (const auto* d = std::get_if<double>(&v)) {
          text.field(*d);
        } else if (const auto* str = std::get_if<std::string>(&v)) {
          text.field(*str);
        } else {
          std::string hex = "\\x";
          for (const auto byte : std::get<Blob>(v).bytes) {
            hex += kHex[byte >> 4];
            hex += kHex[byte & 15];
          }
          text.field(hex);
        }
      }
      text.end_row();
    }
    if (!text.empty()) conn_.copy_in("COPY " + t.name + " (" + columns + ") FROM STDIN", text.text());
    if (!t.integer_id.empty()) {
      // Ids assigned from now on follow the largest copied one.
      conn_.exec("SELECT setval(pg_get_serial_sequence('endstate." + t.name + "', '" + t.integer_id +
                 "'), greatest((SELECT max(" + t.integer_id + ") FROM " + t.name + "), 1))");
      if (t.name == "events") {
        id_pool_.clear();
        id_next_ = 0;
      }
    }
  });
}

// --- status ------------------------------------------------------------------------------

StoreStatus PostgresBackend::status() {
  reading();
  StoreStatus st;
  st.schema_version = version_;
  for (const char* t : {"areas", "events", "event_areas", "sites", "site_areas", "deployments", "indicators",
                        "observations", "import_log"}) {
    st.table_counts.emplace_back(t, scalar(std::string("SELECT count(*) FROM ") + t));
  }
  const auto l = run("SELECT level, count(*) FROM areas GROUP BY level ORDER BY level");
  st.areas_by_level.reserve(static_cast<std::size_t>(l.rows()));
  for (int i = 0; i < l.rows(); ++i) st.areas_by_level.emplace_back(l.text(i, 0), l.i64(i, 1));
  const auto r = run("SELECT min(day_start), max(day_start) FROM events");
  if (r.rows() && !r.null(0, 0)) {
    st.first_event = Date::from_days(static_cast<std::int32_t>(r.i64(0, 0)));
    st.last_event = Date::from_days(static_cast<std::int32_t>(r.i64(0, 1)));
  }
  st.last_imports = imports(10);
  return st;
}

// --- consultation log ------------------------------------------------------------

bool PostgresBackend::insert_consultation(const ConsultationRow& r, std::int64_t import_id) {
  return writing([&] {
    not_replayable();
    std::string concerns;
    for (const auto& c : r.concerns) concerns += (concerns.empty() ? "" : ";") + c;
    return run_prepared("insert_consultation",
                        "INSERT INTO consultations(id, locality, territory, held_on, channel, who, summary, concerns, "
                        "personal, import_id) VALUES($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) ON CONFLICT(id) DO NOTHING",
                        Params()
                            .add(r.id)
                            .add(r.locality)
                            .add(r.territory)
                            .add(r.date)
                            .add(r.channel)
                            .add(r.who)
                            .add(r.summary)
                            .add(concerns)
                            .add(static_cast<std::int64_t>(r.personal ? 1 : 0))
                            .add(import_id))
               .affected() > 0;
  });
}

std::vector<ConsultationRow> PostgresBackend::consultations(const std::string& locality) {
  reading();
  // The same order as SQLite's (bytewise text comparison): COLLATE "C".
  std::string sql =
      "SELECT id, locality, territory, held_on, channel, who, summary, concerns, personal, import_id "
      "FROM consultations ";
  Params p;
  if (!locality.empty()) {
    sql += "WHERE lower(locality) = lower($1) ";
    p.add(locality);
  }
  sql += "ORDER BY held_on COLLATE \"C\", locality COLLATE \"C\", id COLLATE \"C\"";
  const auto q = run(sql, p);
  std::vector<ConsultationRow> out;
  for (int i = 0; i < q.rows(); ++i) {
    ConsultationRow r;
    r.id = q.text(i, 0);
    r.locality = q.text(i, 1);
    r.territory = q.text(i, 2);
    r.date = q.text(i, 3);
    r.channel = q.text(i, 4);
    r.who = q.text(i, 5);
    r.summary = q.text(i, 6);
    const std::string c = q.text(i, 7);
    for (std::size_t start = 0; !c.empty();) {
      const auto semi = c.find(';', start);
      r.concerns.push_back(c.substr(start, semi == std::string::npos ? std::string::npos : semi - start));
      if (semi == std::string::npos) break;
      start = semi + 1;
    }
    r.personal = q.i64(i, 8) != 0;
    r.import_id = q.i64(i, 9);
    out.push_back(std::move(r));
  }
  return out;
}

// --- the server's tables (sql/0006_server.postgresql.sql) ------------------------

/// Users, tokens and jobs on this backend's connection: writes join the
/// caller's transaction (a user and the audit entry recording it commit
/// together) or run in one of their own; reads never come from a read
/// snapshot (a token revoked, a job finished by another connection must be
/// seen at once), so they end one the connection holds.
class PgServerTables final : public ServerTables {
 public:
  explicit PgServerTables(PostgresBackend& b) : b_(b) {}

 private:
  /// A read of what committed last (inside a write transaction: of it).
  Result read(const std::string& sql, const Params& p) {
    if (b_.state_ == PostgresBackend::State::kSnapshot) b_.end_snapshot();
    return b_.run(sql, p);
  }
  /// A write inside the caller's transaction or one of its own; such a
  /// transaction is not replayed after a deadlock (it fails cleanly instead).
  template <typename F>
  auto write(F&& f) {
    return b_.writing([&] {
      b_.not_replayable();
      return f();
    });
  }

 public:
  std::int64_t insert_user(const UserRow& r) override {
    if (user(r.name)) throw Error(ErrorCategory::kBadInput, "a user named '" + r.name + "' exists", {"", 0, "name"});
    return write([&] {
      return b_
          .run(
              "INSERT INTO users(name, role, password_hash, created_at, created_by) VALUES($1,$2,$3,$4,$5) "
              "RETURNING id",
              Params().add(r.name).add(r.role).add(r.password_hash).add(r.created_at).add(r.created_by))
          .i64(0, 0);
    });
  }
  std::optional<UserRow> user(const std::string& name) override {
    return one_user(read(std::string("SELECT ") + kUserCols + " FROM users WHERE name = $1", Params().add(name)));
  }
  std::optional<UserRow> user_by_id(std::int64_t id) override {
    return one_user(read(std::string("SELECT ") + kUserCols + " FROM users WHERE id = $1", Params().add(id)));
  }
  std::vector<UserRow> users() override {
    // the order of SQLite's (bytewise text comparison)
    const auto r = read(std::string("SELECT ") + kUserCols + " FROM users ORDER BY name COLLATE \"C\"", Params());
    std::vector<UserRow> out;
    out.reserve(static_cast<std::size_t>(r.rows()));
    for (int i = 0; i < r.rows(); ++i) out.push_back(user_row(r, i));
    return out;
  }
  bool revoke_user(const std::string& name, const std::string& at) override {
    return write([&] {
      const auto u = user(name);
      if (!u || u->revoked_at) return false;
      b_.run("UPDATE users SET revoked_at = $1 WHERE id = $2", Params().add(at).add(u->id));
      b_.run("UPDATE user_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL",
             Params().add(at).add(u->id));
      return true;
    });
  }
  void insert_token(const TokenRow& r) override {
    write([&] {
      b_.run("INSERT INTO user_tokens(token_hash, user_id, created_at, expires_at) VALUES($1,$2,$3,$4)",
             Params().add(r.token_hash).add(r.user_id).add(r.created_at).add(r.expires_at));
    });
  }
  std::optional<TokenRow> token(const std::string& token_hash) override {
    const auto r = read(
        "SELECT token_hash, user_id, created_at, expires_at, revoked_at FROM user_tokens "
        "WHERE token_hash = $1",
        Params().add(token_hash));
    if (!r.rows()) return std::nullopt;
    return TokenRow{r.text(0, 0), r.i64(0, 1), r.text(0, 2), r.text(0, 3), opt_text(r, 0, 4)};
  }
  void revoke_token(const std::string& token_hash, const std::string& at) override {
    write([&] {
      b_.run("UPDATE user_tokens SET revoked_at = $1 WHERE token_hash = $2 AND revoked_at IS NULL",
             Params().add(at).add(token_hash));
    });
  }

  std::int64_t insert_job(const JobRow& r) override {
    return write([&] {
      return b_
          .run("INSERT INTO jobs(kind, user_name, params, state, created_at) VALUES($1,$2,$3,$4,$5) RETURNING id",
               Params().add(r.kind).add(r.user_name).add(r.params).add(r.state).add(r.created_at))
          .i64(0, 0);
    });
  }
  std::optional<JobRow> job(std::int64_t id, bool with_result) override {
    return one_job("id = $1", Params().add(id), with_result);
  }
  std::vector<JobRow> jobs(const std::string& user_name, int limit) override {
    const auto r = read(
        std::string("SELECT ") + kJobCols + " FROM jobs WHERE ($1 = '' OR user_name = $1) ORDER BY id DESC LIMIT $2",
        Params().add(user_name).add(static_cast<std::int64_t>(limit)));
    std::vector<JobRow> out;
    out.reserve(static_cast<std::size_t>(r.rows()));
    for (int i = 0; i < r.rows(); ++i) out.push_back(job_row(r, i));
    return out;
  }
  std::optional<JobRow> latest_done_job(const std::string& kind, bool with_result) override {
    return one_job("kind = $1 AND state = 'done' ORDER BY id DESC LIMIT 1", Params().add(kind), with_result);
  }
  void update_job(const JobRow& r) override {
    write([&] {
      Params p;
      p.add(r.state).add_opt(r.started_at).add_opt(r.finished_at).add(r.stage).add(r.done).add(r.total);
      p.add(r.content_type);
      if (r.result.empty()) {
        p.add_null();
      } else {
        p.add_bytea(std::vector<std::uint8_t>(r.result.begin(), r.result.end()));
      }
      if (r.problem.empty()) {
        p.add_null();
      } else {
        p.add(r.problem);
      }
      p.add(r.warnings.empty() ? std::string("[]") : r.warnings).add(r.id);
      b_.run(
          "UPDATE jobs SET state = $1, started_at = $2, finished_at = $3, stage = $4, done = $5, total = $6, "
          "content_type = $7, result = $8, problem = $9, warnings = $10 WHERE id = $11",
          p);
    });
  }
  std::int64_t interrupt_jobs(const std::string& at, const std::string& problem) override {
    return write([&] {
      return b_
          .run("UPDATE jobs SET state = 'failed', finished_at = $1, problem = $2 WHERE state IN ('queued', 'running')",
               Params().add(at).add(problem))
          .affected();
    });
  }

 private:
  static constexpr const char* kUserCols = "id, name, role, password_hash, created_at, created_by, revoked_at";
  static constexpr const char* kJobCols =
      "id, kind, user_name, params, state, created_at, started_at, finished_at, stage, done, total, content_type, "
      "problem, warnings";

  static std::optional<std::string> opt_text(const Result& r, int row, int col) {
    return r.null(row, col) ? std::nullopt : std::optional<std::string>(r.text(row, col));
  }
  static UserRow user_row(const Result& r, int i) {
    return {r.i64(i, 0), r.text(i, 1), r.text(i, 2), r.text(i, 3), r.text(i, 4), r.text(i, 5), opt_text(r, i, 6)};
  }
  /// The first job `where` selects, with its result when asked.
  std::optional<JobRow> one_job(const std::string& where, const Params& p, bool with_result) {
    const auto r = read(std::string("SELECT ") + kJobCols + ", " + (with_result ? "result" : "NULL::bytea") +
                            " FROM jobs WHERE " + where,
                        p);
    if (!r.rows()) return std::nullopt;
    auto j = job_row(r, 0);
    if (with_result && !r.null(0, 14)) {
      const auto bytes = r.bytea(0, 14);
      j.result.assign(bytes.begin(), bytes.end());
    }
    return j;
  }
  static std::optional<UserRow> one_user(const Result& r) {
    if (!r.rows()) return std::nullopt;
    return user_row(r, 0);
  }
  static JobRow job_row(const Result& r, int i) {
    JobRow j;
    j.id = r.i64(i, 0);
    j.kind = r.text(i, 1);
    j.user_name = r.text(i, 2);
    j.params = r.text(i, 3);
    j.state = r.text(i, 4);
    j.created_at = r.text(i, 5);
    j.started_at = opt_text(r, i, 6);
    j.finished_at = opt_text(r, i, 7);
    j.stage = r.text(i, 8);
    j.done = r.i64(i, 9);
    j.total = r.i64(i, 10);
    j.content_type = r.text(i, 11);
    j.problem = r.null(i, 12) ? std::string() : r.text(i, 12);
    j.warnings = r.text(i, 13);
    return j;
  }

  PostgresBackend& b_;
};

std::unique_ptr<ServerTables> pg_server_tables(Backend& backend) {
  auto* b = dynamic_cast<PostgresBackend*>(&backend);
  return b ? std::make_unique<PgServerTables>(*b) : nullptr;
}

}  // namespace endstate::store::detail
