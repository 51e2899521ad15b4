#pragma once
// Requests and results of the transition benchmarks (framework versions,
// sign-offs, assessments, disagreements, projections, history) and of the
// audit log (docs/benchmarks.md).

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "endstate/benchmarks/assess.hpp"
#include "endstate/benchmarks/audit.hpp"
#include "endstate/benchmarks/framework.hpp"
#include "endstate/benchmarks/project.hpp"
#include "endstate/core/panel.hpp"
#include "endstate/service/common.hpp"
#include "endstate/store/records.hpp"

namespace endstate::service {

/// A framework version with the data of its level, assessed for every month.
struct BenchmarkRun {
  store::FrameworkRow row;
  benchmarks::Framework fw;
  std::string level;
  Panel panel;
  std::map<std::string, std::vector<double>> observed;  ///< [area][month] per observed indicator id
  std::vector<std::vector<double>> raw;                 ///< [indicator] -> [area][month] raw monthly series
  benchmarks::IndicatorValues values;
  std::vector<benchmarks::AreaTrajectory> trajectories;  ///< one per panel area
  std::string fingerprint;                               ///< SHA-256 of the inputs (raw series, populations, months)

  /// Month index of `m`; Error(kNotFound) naming the data range when outside.
  [[nodiscard]] std::size_t month_index(Month m) const;
  /// Area index by id or name (case-insensitive); Error(kNotFound) listing a few areas.
  [[nodiscard]] std::size_t area_index(const std::string& id_or_name) const;
  /// Stakeholder indexes: all when `id` is empty; Error(kNotFound) for an unknown one.
  [[nodiscard]] std::vector<std::size_t> stakeholders(const std::string& id) const;
  /// Ids of the benchmarks of area a, stakeholder s, month t with status `st`.
  [[nodiscard]] std::vector<std::string> benchmarks_with(std::size_t a, std::size_t s, std::size_t t,
                                                         benchmarks::Status st) const;
  /// Core benchmarks met and in total for area a, stakeholder s, month t.
  [[nodiscard]] std::pair<int, int> core_count(std::size_t a, std::size_t s, std::size_t t) const;
};

struct FrameworkImportResult {
  store::FrameworkRow row;
  bool fresh = false;  ///< false: identical to a stored version, nothing added
  benchmarks::Framework framework;
};

/// One stored version and who signed it.
struct FrameworkVersion {
  store::FrameworkRow row;
  std::vector<store::SignoffRow> signoffs;
};

struct SignoffRequest {
  std::string stakeholder;
  std::string by;
  std::optional<std::int64_t> version;  ///< default: the latest
  std::string date;                     ///< YYYY-MM-DD or ISO time; "" = now (UTC)
};

/// Which framework version, level and month an analysis uses.
struct BenchmarkSelection {
  std::optional<std::int64_t> version;  ///< default: the latest
  std::string level;                    ///< default: the framework's area_level
  std::optional<Month> month;           ///< default: the last month with data
  std::string stakeholder;              ///< "" = every stakeholder
};

struct AssessRequest {
  BenchmarkSelection select;
  bool save = true;  ///< save the assessment (audited)
  bool with_geometry = false;
};

struct AssessResult {
  BenchmarkRun run;
  std::size_t t = 0;                      ///< month index assessed
  std::vector<std::size_t> stakeholders;  ///< selected
  std::optional<std::int64_t> saved_id;
  AreaShapes shapes;
};

struct DisagreementsRequest {
  BenchmarkSelection select;
  bool with_geometry = false;
};

struct DisagreementsResult {
  BenchmarkRun run;
  std::size_t t = 0;
  std::vector<benchmarks::Disagreement> items;
  AreaShapes shapes;
};

struct ProjectRequest {
  BenchmarkSelection select;
  std::string area;  ///< id or name; "" = every area
  benchmarks::ProjectionOptions options;
  bool with_geometry = false;
};

struct ProjectResult {
  BenchmarkRun run;
  std::vector<std::size_t> areas;  ///< projected area indexes
  benchmarks::ProjectionOptions options;
  std::vector<benchmarks::Projection> projections;
  AreaShapes shapes;
};

struct HistoryRequest {
  BenchmarkSelection select;
  std::string area;               ///< id or name
  std::optional<Month> from, to;  ///< default: every month
};

struct HistoryResult {
  BenchmarkRun run;
  std::size_t area = 0;
  std::size_t t0 = 0, t1 = 0;
  std::vector<std::size_t> stakeholders;
};

struct SavedHistoryRequest {
  std::string area;         ///< id or name
  std::string stakeholder;  ///< "" = every stakeholder
};

struct SavedHistoryResult {
  std::string area_id;
  std::vector<std::pair<store::AssessmentRow, store::AssessmentResult>> rows;  ///< readiness rows
};

struct AuditLogResult {
  std::vector<AuditEntry> entries;
};

/// An anchor of the chain kept outside the database (printed in a report,
/// noted by a signatory): the chain must still hold this entry unchanged.
struct AuditVerifyRequest {
  std::optional<std::int64_t> anchor_seq;
  std::string anchor_hash;
};

struct AuditVerifyResult {
  std::size_t entries = 0;
  std::int64_t head_entries = 0;  ///< what the head record says (0 without one)
  std::string head_hash;          ///< the chain's head: write it down elsewhere to detect a rewritten chain
  /// Assessments made before results were sealed in the chain (their results are not checked).
  std::size_t unsealed_results = 0;
  std::vector<benchmarks::AuditProblem> problems;
  [[nodiscard]] bool intact() const { return problems.empty(); }
};

}  // namespace endstate::service
