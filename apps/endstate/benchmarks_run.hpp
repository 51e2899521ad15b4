#pragma once
// Reusable load -> assess -> project steps of `endstate benchmarks`, callable
// from other commands (demo.cpp): loading a stored framework version and the
// data it needs, assessing every area and month, projections with future
// paths, saving assessments and appending to the audit chain.

#include <cstdint>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "cli.hpp"
#include "endstate/benchmarks/assess.hpp"
#include "endstate/benchmarks/framework.hpp"
#include "endstate/benchmarks/project.hpp"
#include "endstate/core/panel.hpp"
#include "endstate/store/database.hpp"

namespace endstate::cli {

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
};

/// Reads, validates and stores a framework file as a new version (audited;
/// sign-offs in the file are recorded too). Returns the version and whether it was new.
std::pair<store::FrameworkRow, bool> import_framework(store::Database& db, const std::string& path);

/// Loads a stored version (latest when empty) and assesses every area of
/// `level` (the framework's own level when empty) over the event months.
/// Error(kNotFound) when no framework is stored.
BenchmarkRun load_and_assess(store::Database& db, std::optional<std::int64_t> version, const std::string& level = "");

/// Result lines of month index t (indicator values, statuses, readiness).
std::vector<store::AssessmentResult> month_results(const BenchmarkRun& run, std::size_t t);

/// Saves the assessment of month index t with its fingerprint and an audit entry; returns its id.
std::int64_t save_assessment(store::Database& db, const BenchmarkRun& run, std::size_t t);

/// Records a sign-off of a stored version by a stakeholder (audited); returns the row.
store::SignoffRow sign_off(store::Database& db, const std::string& stakeholder, const std::string& by,
                           std::optional<std::int64_t> version, const std::string& date);

/// Appends an entry to the audit chain (call inside a transaction); returns its seq.
std::int64_t append_audit(store::Database& db, const std::string& kind, const std::string& subject,
                          const std::string& payload);

/// Projections of the unmet benchmarks of one area from the last data month.
/// Event-derived indicators project from future sample paths of their raw
/// monthly series: the forecast module's best model (negative binomial,
/// docs/forecast.md) run on the area panel, one fit per indicator for all
/// areas; the ViEWS bootstrap of the area's last 12 months when the history is
/// too short for the model (horizon + 13 months).
std::vector<benchmarks::Projection> project_area(const BenchmarkRun& run, std::size_t area,
                                                 const benchmarks::ProjectionOptions& o);

/// Projections of every area (or only `areas`), with progress on stderr.
std::vector<benchmarks::Projection> project_areas(const BenchmarkRun& run, const std::vector<std::size_t>& areas,
                                                  const benchmarks::ProjectionOptions& o);

// --- tables for the CLI and the demo ------------------------------------------

/// Readiness per area and stakeholder in month index t (all stakeholders when `stakeholders` is empty):
/// area_id, area, stakeholder, readiness, core_met, contextual_share, not_met, no_data.
Table readiness_table(const BenchmarkRun& run, std::size_t t, const std::vector<std::size_t>& stakeholders = {});
/// Disagreements in month index t, one row per unsatisfied stakeholder:
/// area_id, benchmark, indicator, value, met_by, not_met_by, stakeholder, threshold, move, months_to_sustain.
Table disagreements_table(const BenchmarkRun& run, std::size_t t);
/// Projections from the last data month: area_id, stakeholder, benchmark, status_now, median, low_10,
/// high_90 (YYYY-MM), share_within_horizon, note.
Table projections_table(const BenchmarkRun& run, const std::vector<benchmarks::Projection>& projections);

/// The demo's benchmark section: imports `framework_yaml`, saves the assessment
/// of the last month, prints readiness (area x stakeholder), the disagreements
/// and the projections of the unmet core benchmarks (seed 1, 36 months, 500
/// paths), and writes the full tables as benchmarks_readiness.csv,
/// benchmarks_disagreements.csv and benchmarks_projections.csv into `out_dir`.
BenchmarkRun benchmarks_demo(store::Database& db, const std::string& framework_yaml, const std::string& out_dir,
                             std::ostream& out);

}  // namespace endstate::cli
