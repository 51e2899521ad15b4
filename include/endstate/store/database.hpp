#pragma once
// The embedded store: one SQLite database (WAL, foreign keys on), schema
// migrations applied in order, and the repositories every command uses.
// This is the only place with SQL; no sqlite3 type appears in this header.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "endstate/core/domain.hpp"
#include "endstate/core/types.hpp"

namespace endstate::store {

/// The schema version this build writes (last migration in sql/).
int latest_schema_version();

/// One row of the import log.
struct ImportRecord {
  std::int64_t id = 0;
  std::string kind;
  std::string file;
  std::string sha256;
  std::string source;
  std::string imported_at;
  std::int64_t read = 0, imported = 0, duplicates = 0, rejected = 0, outside_areas = 0;
};

/// Filter for event listings; empty members do not filter.
struct EventFilter {
  std::vector<std::string> area_ids;  ///< events linked to any of these areas
  std::optional<Month> from;
  std::optional<Month> to;            ///< inclusive
  std::optional<ViolenceType> type;
  std::string source;
  std::int64_t limit = 0;             ///< 0 = no limit
};

/// An event as stored, with its row id and owning areas.
struct EventRow {
  std::int64_t id = 0;
  Event event;
  std::vector<std::string> area_ids;
};

/// A site as stored, with its latest deployment and owning areas.
struct SiteRow {
  std::int64_t id = 0;
  Site site;
  std::vector<std::string> area_ids;
  std::optional<Deployment> latest;  ///< the deployment with the latest period_start
  std::int64_t deployments = 0;
};

/// Counts and ranges for `endstate status`.
struct StoreStatus {
  int schema_version = 0;
  std::vector<std::pair<std::string, std::int64_t>> table_counts;
  std::vector<std::pair<std::string, std::int64_t>> areas_by_level;
  std::optional<Date> first_event;
  std::optional<Date> last_event;
  std::vector<ImportRecord> last_imports;
};

/// One entry of the append-only audit log (hashes computed by the caller).
struct AuditRow {
  std::int64_t seq = 0;
  std::string at, kind, subject, payload, prev_hash, hash;
};

/// One stored version of a benchmark framework.
struct FrameworkRow {
  std::int64_t version = 0;  ///< assigned on insert: 1, 2, ...
  std::string framework_id, label, name, area_level, file, sha256;
  std::string yaml;          ///< empty unless asked for
  std::string imported_at;
  std::int64_t audit_seq = 0;
};

/// A stakeholder's sign-off of a framework version.
struct SignoffRow {
  std::int64_t id = 0;
  std::optional<std::int64_t> framework_version;  ///< the stored version whose hash was signed, if any
  std::string stakeholder, signed_by, signed_at, version_sha256;
  std::int64_t audit_seq = 0;
};

/// A saved assessment (one month, one level, one framework version).
struct AssessmentRow {
  std::int64_t id = 0;
  std::int64_t framework_version = 0;
  Month month;
  std::string level, data_fingerprint, created_at;
  std::int64_t audit_seq = 0;
};

/// One result line of an assessment.
struct AssessmentResult {
  std::string area_id;
  std::string stakeholder;  ///< empty for indicator values
  std::string item_kind;    ///< indicator | benchmark | readiness
  std::string item_id;      ///< empty for readiness
  std::optional<double> value;
  std::string status;
};

class Database {
 public:
  /// Opens (creating when absent) and migrates to the latest schema. Throws
  /// Error(kBadInput) when the file is not an endstate database or is newer
  /// than this build, Error(kInternal) on SQLite failures.
  static Database open(const std::string& path);
  /// Opens an existing database read-only; Error(kNotFound) when absent.
  static Database open_read_only(const std::string& path);
  ~Database();
  Database(Database&&) noexcept;
  Database& operator=(Database&&) noexcept;

  [[nodiscard]] const std::string& path() const;
  [[nodiscard]] int schema_version() const;

  /// RAII write transaction (BEGIN IMMEDIATE); rolls back unless commit() is called.
  /// A bulk transaction also switches foreign-key checks off until it ends: for
  /// importers whose references are valid by construction (area ids taken from
  /// the database's own areas, event ids just inserted), where the checks are a
  /// third of the index lookups per row.
  class Transaction {
   public:
    enum class Mode { kNormal, kBulk };
    explicit Transaction(Database& db, Mode mode = Mode::kNormal);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit();

   private:
    Database* db_;
    bool done_ = false;
    bool bulk_ = false;
  };

  // --- import log -------------------------------------------------------
  /// Starts a log row (counts zero); returns its id. Call inside a transaction.
  std::int64_t begin_import(const std::string& kind, const std::string& file, const std::string& sha256,
                            const std::string& source);
  void finish_import(std::int64_t import_id, const ImportSummary& summary);
  std::vector<ImportRecord> imports(int limit = 20);

  // --- areas ------------------------------------------------------------
  /// Inserts an area; returns false (and changes nothing) when the id exists.
  bool insert_area(const Area& area, std::int64_t import_id);
  std::vector<Area> areas(const std::string& level = "", bool with_geometry = true);
  /// By exact id, else by name (case-insensitive; Error(kBadInput) if the name is ambiguous).
  std::optional<Area> find_area(const std::string& id_or_name);
  std::vector<std::string> area_levels();
  /// Ids of `id` and of all its descendants.
  std::vector<std::string> area_subtree(const std::string& id);

  // --- events -----------------------------------------------------------
  /// Inserts an event. Returns its new row id, or nullopt when (source,
  /// source_id) exists already; then `existing_import` is the import that holds it.
  std::optional<std::int64_t> insert_event(const Event& event, std::int64_t import_id,
                                           std::int64_t* existing_import = nullptr);
  void link_event_area(std::int64_t event_id, const std::string& area_id);
  void for_each_event(const EventFilter& filter, const std::function<void(const EventRow&)>& fn);
  /// (id, point) of every event, for re-assignment after new areas arrive.
  void for_each_event_point(const std::function<void(std::int64_t, LatLon)>& fn);
  void clear_event_areas();

  // --- sites ------------------------------------------------------------
  /// Inserts the site when its key is new; returns (row id, inserted).
  std::pair<std::int64_t, bool> upsert_site(const Site& site, std::int64_t import_id);
  /// Inserts a deployment; false when (site, period_start, source) exists.
  bool insert_deployment(std::int64_t site_id, const Deployment& d, std::int64_t import_id);
  void link_site_area(std::int64_t site_id, const std::string& area_id);
  void clear_site_areas();
  void for_each_site_point(const std::function<void(std::int64_t, LatLon)>& fn);
  /// Sites, optionally only those linked to `area_ids` and/or deployed in `month`.
  std::vector<SiteRow> sites(const std::vector<std::string>& area_ids = {}, std::optional<Month> month = {});
  std::vector<Deployment> deployments(std::int64_t site_id);

  // --- indicators and observations ---------------------------------------
  void ensure_indicator(const std::string& id);
  /// False when (indicator, area, month, source) exists.
  bool insert_observation(const Observation& obs, std::int64_t import_id);
  std::vector<Observation> observations(const std::string& indicator = "", const std::string& area_id = "");

  // --- benchmarks and audit (0002) -------------------------------------------
  std::optional<AuditRow> last_audit();
  /// Appends an entry (seq and hashes as given). Call inside a transaction.
  void insert_audit(const AuditRow& row);
  std::vector<AuditRow> audit_log();
  /// audit_seq of every framework, sign-off and assessment row.
  std::vector<std::int64_t> audit_references();
  /// Stores a framework version; returns its version number.
  std::int64_t insert_framework(const FrameworkRow& row);
  /// Every stored version, oldest first (yaml text only when asked).
  std::vector<FrameworkRow> frameworks(bool with_yaml = false);
  /// A version with its text; the latest when `version` is empty.
  std::optional<FrameworkRow> framework(std::optional<std::int64_t> version = {});
  std::optional<FrameworkRow> framework_by_sha256(const std::string& sha256);
  std::int64_t insert_signoff(const SignoffRow& row);
  std::vector<SignoffRow> signoffs();
  /// Saves an assessment and its results; returns its id. Call inside a transaction.
  std::int64_t insert_assessment(const AssessmentRow& row, const std::vector<AssessmentResult>& results);
  std::vector<AssessmentRow> assessments();
  /// Results of one area across every saved assessment, with the assessment they belong to (by month, then id).
  std::vector<std::pair<AssessmentRow, AssessmentResult>> area_results(const std::string& area_id);

  // --- status -----------------------------------------------------------
  StoreStatus status();

 private:
  struct Impl;
  explicit Database(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace endstate::store
