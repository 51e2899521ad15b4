#pragma once
// What a store backend implements: narrow repository interfaces, one per kind
// of record, plus transactions and facts about the connection. The SQLite
// backend (src/store/sqlite_backend.cpp) is the only one today; a PostgreSQL
// backend implementing the same interfaces is planned (issue 17). Nothing here
// names a database library: backends keep their specifics (SQLite's
// foreign-key switching during bulk imports, WAL clean-up, where reject files
// go) to themselves.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "endstate/core/domain.hpp"
#include "endstate/core/types.hpp"
#include "endstate/store/records.hpp"
#include "endstate/store/tables.hpp"

namespace endstate::store {

/// How a store is opened.
enum class Access {
  kReadOnly,   ///< reads only; never creates, migrates or changes anything (no -wal/-shm left behind)
  kReadWrite,  ///< creates the store when absent and migrates it to the latest schema
};

/// How a write transaction is used.
enum class TransactionMode {
  kNormal,
  /// Many rows whose references are valid by construction (importers): the
  /// backend may skip per-row checks it would otherwise make.
  kBulk,
};

/// The import log: one row per imported file.
class ImportLog {
 public:
  virtual ~ImportLog() = default;
  /// Starts a log row (counts zero); returns its id. Call inside a transaction.
  virtual std::int64_t begin_import(const std::string& kind, const std::string& file, const std::string& sha256,
                                    const std::string& source) = 0;
  virtual void finish_import(std::int64_t import_id, const ImportSummary& summary) = 0;
  /// The latest imports, newest first.
  virtual std::vector<ImportRecord> imports(int limit) = 0;
};

/// Areas (polygons of every level).
class AreaRepository {
 public:
  virtual ~AreaRepository() = default;
  /// Inserts an area; returns false (and changes nothing) when the id exists.
  virtual bool insert_area(const Area& area, std::int64_t import_id) = 0;
  /// Areas of `level` ("" = all, by level then id), with or without their WKB geometry.
  virtual std::vector<Area> areas(const std::string& level, bool with_geometry) = 0;
  /// By exact id, else by name (case-insensitive; Error(kBadInput) when the name is ambiguous).
  virtual std::optional<Area> find_area(const std::string& id_or_name) = 0;
  virtual std::vector<std::string> area_levels() = 0;
  /// Ids of `id` and of all its descendants.
  virtual std::vector<std::string> area_subtree(const std::string& id) = 0;
};

/// Conflict events and their owning areas.
class EventRepository {
 public:
  virtual ~EventRepository() = default;
  /// Inserts an event: its new row id, or nullopt when (source, source_id)
  /// exists already; then `existing_import` is the import that holds it.
  virtual std::optional<std::int64_t> insert_event(const Event& event, std::int64_t import_id,
                                                   std::int64_t* existing_import) = 0;
  virtual void link_event_area(std::int64_t event_id, const std::string& area_id) = 0;
  /// Events matching the filter, oldest first.
  virtual void for_each_event(const EventFilter& filter, const std::function<void(const EventRow&)>& fn) = 0;
  /// (id, point) of every event, for re-assignment after new areas arrive.
  virtual void for_each_event_point(const std::function<void(std::int64_t, LatLon)>& fn) = 0;
  virtual void clear_event_areas() = 0;
};

/// Mission sites and their deployments.
class SiteRepository {
 public:
  virtual ~SiteRepository() = default;
  /// Inserts the site when its key is new; returns (row id, inserted).
  virtual std::pair<std::int64_t, bool> upsert_site(const Site& site, std::int64_t import_id) = 0;
  /// Inserts a deployment; false when (site, period_start, source) exists.
  virtual bool insert_deployment(std::int64_t site_id, const Deployment& d, std::int64_t import_id) = 0;
  virtual void link_site_area(std::int64_t site_id, const std::string& area_id) = 0;
  virtual void clear_site_areas() = 0;
  virtual void for_each_site_point(const std::function<void(std::int64_t, LatLon)>& fn) = 0;
  /// Sites, optionally only those linked to `area_ids` and/or deployed in `month`.
  virtual std::vector<SiteRow> sites(const std::vector<std::string>& area_ids, std::optional<Month> month) = 0;
  virtual std::vector<Deployment> deployments(std::int64_t site_id) = 0;
};

/// Indicators and their observations.
class ObservationRepository {
 public:
  virtual ~ObservationRepository() = default;
  virtual void ensure_indicator(const std::string& id) = 0;
  /// False when (indicator, area, month, source) exists.
  virtual bool insert_observation(const Observation& obs, std::int64_t import_id) = 0;
  /// Observations of one indicator and/or area ("" = all).
  virtual std::vector<Observation> observations(const std::string& indicator, const std::string& area_id) = 0;
};

/// Benchmark frameworks, sign-offs and saved assessments.
class BenchmarkRepository {
 public:
  virtual ~BenchmarkRepository() = default;
  /// Stores a framework version; returns its version number.
  virtual std::int64_t insert_framework(const FrameworkRow& row) = 0;
  /// Every stored version, oldest first (yaml text only when asked).
  virtual std::vector<FrameworkRow> frameworks(bool with_yaml) = 0;
  /// A version with its text; the latest when `version` is empty.
  virtual std::optional<FrameworkRow> framework(std::optional<std::int64_t> version) = 0;
  virtual std::optional<FrameworkRow> framework_by_sha256(const std::string& sha256) = 0;
  virtual std::int64_t insert_signoff(const SignoffRow& row) = 0;
  virtual std::vector<SignoffRow> signoffs() = 0;
  /// Saves an assessment and its results; returns its id. Call inside a transaction.
  virtual std::int64_t insert_assessment(const AssessmentRow& row, const std::vector<AssessmentResult>& results) = 0;
  virtual std::vector<AssessmentRow> assessments() = 0;
  /// The result lines of one saved assessment (by area, stakeholder, kind, item).
  virtual std::vector<AssessmentResult> assessment_results(std::int64_t assessment_id) = 0;
  /// Results of one area across every saved assessment (by month, then id).
  virtual std::vector<std::pair<AssessmentRow, AssessmentResult>> area_results(const std::string& area_id) = 0;
};

/// The append-only audit log (hashes are computed by the caller).
class AuditRepository {
 public:
  virtual ~AuditRepository() = default;
  virtual std::optional<AuditEntry> last_audit() = 0;
  /// Appends an entry (seq and hashes as given) and moves the head record to
  /// it, in the caller's transaction.
  virtual void insert_audit(const AuditEntry& row) = 0;
  /// The head record (nullopt before the first entry, or when it was removed).
  virtual std::optional<AuditHead> audit_head() = 0;
  virtual std::vector<AuditEntry> audit_log() = 0;
  /// audit_seq of every framework, sign-off and assessment row.
  virtual std::vector<std::int64_t> audit_references() = 0;
};

/// The consultation log (community feedback per locality).
class ConsultationRepository {
 public:
  virtual ~ConsultationRepository() = default;
  /// False when a row with the same id is already stored.
  virtual bool insert_consultation(const ConsultationRow& row, std::int64_t import_id) = 0;
  /// Every row ("" = every locality) of a locality (case-insensitive), by date then id.
  virtual std::vector<ConsultationRow> consultations(const std::string& locality) = 0;
};

/// Whole tables (store/tables.hpp): copies between stores and GIS exports.
class TableAccess {
 public:
  virtual ~TableAccess() = default;
  /// Rows of `t` in `t.order_by` order, values in `t.columns` order.
  virtual void read_table(const TableInfo& t, const std::function<void(const Row&)>& fn) = 0;
  virtual std::int64_t count_rows(const TableInfo& t) = 0;
  /// Inserts rows as given (ids kept; ids assigned later follow the largest).
  /// Call inside a transaction.
  virtual void write_rows(const TableInfo& t, const std::vector<Row>& rows) = 0;
};

/// A connected store: every repository, transactions and connection facts.
class Backend : public ImportLog,
                public AreaRepository,
                public EventRepository,
                public SiteRepository,
                public ObservationRepository,
                public BenchmarkRepository,
                public AuditRepository,
                public ConsultationRepository,
                public TableAccess {
 public:
  ~Backend() override = default;
  /// Where the store is ("endstate.db", "postgresql://host/db").
  [[nodiscard]] virtual const std::string& location() const = 0;
  [[nodiscard]] virtual int schema_version() const = 0;
  [[nodiscard]] virtual Access access() const = 0;
  /// A folder where a writer may leave files next to the store (reject lists),
  /// or nullopt when the store has no such place.
  [[nodiscard]] virtual std::optional<std::string> side_folder() const = 0;

  /// Write transactions (BEGIN ... COMMIT); a writer waits for another
  /// process's transaction up to the busy timeout, then Error(kEnvironment).
  virtual void begin(TransactionMode mode) = 0;
  virtual void commit() = 0;
  /// Rolls back; never throws.
  virtual void rollback() noexcept = 0;

  /// Reads outside a write transaction see one consistent snapshot where the
  /// backend serves several writers (PostgreSQL: a REPEATABLE READ, READ ONLY
  /// transaction from the first read until the next begin() or this call);
  /// this ends it, so the next read sees every commit made since. Long-lived
  /// front ends call it between requests. SQLite: nothing to do.
  virtual void end_snapshot() = 0;

  /// Counts and ranges for `endstate status`.
  virtual StoreStatus status() = 0;
};

}  // namespace endstate::store
