#pragma once
// The store handle every caller uses: opens a backend chosen by its location
// (an SQLite file path by default; "postgresql://..." for the shared server)
// and forwards to its repositories (store/backend.hpp). No database library's
// type appears here.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "endstate/core/domain.hpp"
#include "endstate/core/types.hpp"
#include "endstate/store/backend.hpp"
#include "endstate/store/records.hpp"

namespace endstate::store {

/// The schema version this build writes (last migration in sql/).
int latest_schema_version();

/// "SQLite 3.40.1, libpq 15.18".
std::string library_versions();

/// True when `location` names a PostgreSQL server rather than an SQLite file:
/// a URI "postgresql://[user@][host][:port]/dbname[?param=value...]" (also
/// "postgres://"), or "postgresql:" followed by nothing (every parameter from
/// the PG* environment variables: PGHOST, PGDATABASE, PGUSER ...) or by a
/// keyword/value string ("postgresql:host=db1 dbname=mission").
bool is_server_location(const std::string& location);

class Database {
 public:
  /// Opens the store at `location` (an SQLite file, or a PostgreSQL server:
  /// is_server_location). kReadWrite creates it when absent and migrates it;
  /// kReadOnly changes nothing. Errors: kNotFound (no store there, read-only),
  /// kBadInput (not an endstate store, or newer than this build; checked
  /// before anything is changed), kEnvironment (locked past the busy timeout,
  /// unwritable, server unreachable or refusing the role), kInternal (a defect).
  static Database open(const std::string& location, Access access = Access::kReadWrite);
  /// open(location, Access::kReadOnly).
  static Database open_read_only(const std::string& location) { return open(location, Access::kReadOnly); }
  /// Wraps a backend (tests, other front ends).
  explicit Database(std::unique_ptr<Backend> backend);
  ~Database();
  Database(Database&&) noexcept;
  Database& operator=(Database&&) noexcept;

  /// The file path, or the server URI without its password.
  [[nodiscard]] const std::string& path() const { return b_->location(); }
  [[nodiscard]] int schema_version() const { return b_->schema_version(); }
  [[nodiscard]] Access access() const { return b_->access(); }
  [[nodiscard]] std::optional<std::string> side_folder() const { return b_->side_folder(); }
  [[nodiscard]] Backend& backend() { return *b_; }

  /// RAII write transaction; rolls back unless commit() is called. kBulk lets
  /// the backend skip per-row checks for rows valid by construction.
  class Transaction {
   public:
    using Mode = TransactionMode;
    static constexpr Mode kNormal = TransactionMode::kNormal;
    static constexpr Mode kBulk = TransactionMode::kBulk;
    explicit Transaction(Database& db, Mode mode = Mode::kNormal);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit();

   private:
    Database* db_;
    bool done_ = false;
  };

  // --- import log (ImportLog) -------------------------------------------------
  std::int64_t begin_import(const std::string& kind, const std::string& file, const std::string& sha256,
                            const std::string& source) {
    return b_->begin_import(kind, file, sha256, source);
  }
  void finish_import(std::int64_t import_id, const ImportSummary& summary) { b_->finish_import(import_id, summary); }
  std::vector<ImportRecord> imports(int limit = 20) { return b_->imports(limit); }

  // --- areas (AreaRepository) ----------------------------------------------------
  bool insert_area(const Area& area, std::int64_t import_id) { return b_->insert_area(area, import_id); }
  std::vector<Area> areas(const std::string& level = "", bool with_geometry = true) {
    return b_->areas(level, with_geometry);
  }
  std::optional<Area> find_area(const std::string& id_or_name) { return b_->find_area(id_or_name); }
  std::vector<std::string> area_levels() { return b_->area_levels(); }
  std::vector<std::string> area_subtree(const std::string& id) { return b_->area_subtree(id); }

  // --- events (EventRepository) --------------------------------------------------
  std::optional<std::int64_t> insert_event(const Event& event, std::int64_t import_id,
                                           std::int64_t* existing_import = nullptr) {
    return b_->insert_event(event, import_id, existing_import);
  }
  void link_event_area(std::int64_t event_id, const std::string& area_id) { b_->link_event_area(event_id, area_id); }
  void for_each_event(const EventFilter& filter, const std::function<void(const EventRow&)>& fn) {
    b_->for_each_event(filter, fn);
  }
  void for_each_event_point(const std::function<void(std::int64_t, LatLon)>& fn) { b_->for_each_event_point(fn); }
  void clear_event_areas() { b_->clear_event_areas(); }

  // --- sites (SiteRepository) ----------------------------------------------------
  std::pair<std::int64_t, bool> upsert_site(const Site& site, std::int64_t import_id) {
    return b_->upsert_site(site, import_id);
  }
  bool insert_deployment(std::int64_t site_id, const Deployment& d, std::int64_t import_id) {
    return b_->insert_deployment(site_id, d, import_id);
  }
  void link_site_area(std::int64_t site_id, const std::string& area_id) { b_->link_site_area(site_id, area_id); }
  void clear_site_areas() { b_->clear_site_areas(); }
  void for_each_site_point(const std::function<void(std::int64_t, LatLon)>& fn) { b_->for_each_site_point(fn); }
  std::vector<SiteRow> sites(const std::vector<std::string>& area_ids = {}, std::optional<Month> month = {}) {
    return b_->sites(area_ids, month);
  }
  std::vector<Deployment> deployments(std::int64_t site_id) { return b_->deployments(site_id); }

  // --- indicators and observations (ObservationRepository) -------------------
  void ensure_indicator(const std::string& id) { b_->ensure_indicator(id); }
  bool insert_observation(const Observation& obs, std::int64_t import_id) {
    return b_->insert_observation(obs, import_id);
  }
  std::vector<Observation> observations(const std::string& indicator = "", const std::string& area_id = "") {
    return b_->observations(indicator, area_id);
  }

  // --- benchmarks (BenchmarkRepository) and audit (AuditRepository) ----------
  std::optional<AuditEntry> last_audit() { return b_->last_audit(); }
  void insert_audit(const AuditEntry& row) { b_->insert_audit(row); }
  std::vector<AuditEntry> audit_log() { return b_->audit_log(); }
  std::optional<AuditHead> audit_head() { return b_->audit_head(); }
  std::vector<std::int64_t> audit_references() { return b_->audit_references(); }
  std::int64_t insert_framework(const FrameworkRow& row) { return b_->insert_framework(row); }
  std::vector<FrameworkRow> frameworks(bool with_yaml = false) { return b_->frameworks(with_yaml); }
  std::optional<FrameworkRow> framework(std::optional<std::int64_t> version = {}) { return b_->framework(version); }
  std::optional<FrameworkRow> framework_by_sha256(const std::string& sha256) { return b_->framework_by_sha256(sha256); }
  std::int64_t insert_signoff(const SignoffRow& row) { return b_->insert_signoff(row); }
  std::vector<SignoffRow> signoffs() { return b_->signoffs(); }
  std::int64_t insert_assessment(const AssessmentRow& row, const std::vector<AssessmentResult>& results) {
    return b_->insert_assessment(row, results);
  }
  std::vector<AssessmentRow> assessments() { return b_->assessments(); }
  std::vector<AssessmentResult> assessment_results(std::int64_t assessment_id) {
    return b_->assessment_results(assessment_id);
  }
  std::vector<std::pair<AssessmentRow, AssessmentResult>> area_results(const std::string& area_id) {
    return b_->area_results(area_id);
  }

  // --- consultation log (ConsultationRepository) -----------------------------
  bool insert_consultation(const ConsultationRow& row, std::int64_t import_id) {
    return b_->insert_consultation(row, import_id);
  }
  std::vector<ConsultationRow> consultations(const std::string& locality = "") { return b_->consultations(locality); }

  // --- whole tables (TableAccess) -------------------------------------------------
  void read_table(const TableInfo& t, const std::function<void(const Row&)>& fn) { b_->read_table(t, fn); }
  std::int64_t count_rows(const TableInfo& t) { return b_->count_rows(t); }
  void write_rows(const TableInfo& t, const std::vector<Row>& rows) { b_->write_rows(t, rows); }

  // --- status and snapshots ------------------------------------------------------
  StoreStatus status() { return b_->status(); }
  /// Ends the read snapshot (Backend::end_snapshot).
  void end_snapshot() { b_->end_snapshot(); }

 private:
  std::unique_ptr<Backend> b_;
};

/// Database::open; the name the engine uses.
inline Database open(const std::string& location, Access access = Access::kReadWrite) {
  return Database::open(location, access);
}

}  // namespace endstate::store
