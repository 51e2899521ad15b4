#pragma once
// The rows the store hands out and takes in: plain values shared by every
// backend (SQLite, PostgreSQL) and by the engine above them.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "endstate/core/domain.hpp"
#include "endstate/core/types.hpp"

namespace endstate::store {

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
  std::optional<Month> to;  ///< inclusive
  std::optional<ViolenceType> type;
  std::string source;
  std::int64_t limit = 0;  ///< 0 = no limit
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

/// The audit chain's own record of its length and last hash (kept with every append).
struct AuditHead {
  std::int64_t entries = 0;  ///< seq of the last entry
  std::string hash;          ///< hash of the last entry
};

/// One stored version of a benchmark framework.
struct FrameworkRow {
  std::int64_t version = 0;  ///< assigned on insert: 1, 2, ...
  std::string framework_id, label, name, area_level, file, sha256;
  std::string yaml;  ///< empty unless asked for
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

/// One entry of the consultation log: community feedback in a locality
/// (sql/0005_consultations.sql). `who` describes a group, not a person.
struct ConsultationRow {
  std::string id;         ///< SHA-256 of locality, territory, date, channel, who, summary
  std::string locality;   ///< as in the localities file
  std::string territory;  ///< area id or name ("" = not given)
  std::string date;       ///< YYYY-MM-DD
  std::string channel;    ///< meeting, focus_group, radio, sms, phone, letter, visit, other
  std::string who;
  std::string summary;
  std::vector<std::string> concerns;
  bool personal = false;  ///< imported with personal data allowed
  std::int64_t import_id = 0;
};

}  // namespace endstate::store
