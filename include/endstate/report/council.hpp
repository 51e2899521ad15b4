#pragma once
// The Council briefing: one self-contained HTML file (no scripts, fonts,
// tiles or links to fetch; maps and charts are inline SVG drawn by
// report/svg.hpp) following a drawdown annex: context and threat trends,
// hotspots, benchmarks per province and stakeholder with disagreements and
// projections, the transition plan by phase with protection gaps, tasks and
// handovers, the policy comparison, the consultation log, method notes, and
// an annex listing the provenance of every figure and table (data
// fingerprint, framework version, forecast model, seed and the CLI command
// that reproduces it). Every number drawn from a result carries it in a
// data-v attribute (full precision) with a data-k key, so a test (or a
// reader) can check it against the engine. Same database and options, same
// bytes.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "endstate/core/types.hpp"
#include "endstate/service/engine.hpp"

namespace endstate::report {

struct CouncilOptions {
  std::optional<Month> month;  ///< the month reported (default: the last event month)
  std::string mission = "the mission";
  std::string title;  ///< "" = "Transition briefing for the Security Council, <month>"
  /// A transition plan file (docs/plan.md), run by Engine::plan_run with its
  /// defaults (section 4); "" = none.
  std::string plan_file;
  /// A task register (docs/tasks.md), scheduled by Engine::tasks_schedule
  /// against the exits of `plan_file` when given, else its own (section 5); "" = none.
  std::string tasks_file;
  /// Plan files of the policies compared by Engine::simulate, the first the
  /// reference of the paired differences (section 6); empty = none.
  std::vector<std::string> comparison_plans;
  int comparison_paths = 200;    ///< sample paths of the comparison (seed: `seed`)
  std::string comparison_level;  ///< simulation level ("" = the framework's level)
  std::string localities_file;   ///< demand points of the protection gaps ("" = territory centroids)
  /// Folder the files above are relative to ("" = the current folder); the
  /// report names them as given (the server sends plain names).
  std::string base_dir;
  int trend_months = 36;   ///< months shown in the trend charts
  std::uint64_t seed = 1;  ///< hotspot replications, projections and the comparison's paths
  std::size_t replications = 999;
  std::size_t projection_samples = 500;
  double response_hours = 2;  ///< protection gaps: reach of a base
  std::string generator;      ///< "endstate 0.1.0 (abc1234)", printed in the annex
};

/// One entry of the provenance annex.
struct Provenance {
  std::string id;        ///< "P3"
  std::string what;      ///< "Figure 2: threat index per province"
  std::string analysis;  ///< "threat index"
  std::string command;   ///< CLI that reproduces it
  std::string data_fingerprint;
  std::string framework_version;  ///< "" = not used
  std::string forecast_model;     ///< "" = not used
  std::string seed;               ///< "" = not random
};

struct CouncilReport {
  std::string html;
  Month month;
  std::vector<std::string> sections;  ///< section titles, in order
  std::vector<Provenance> provenance;
  std::vector<std::string> unavailable;  ///< sections that could not be computed, and why
};

/// Composes the briefing through the engine (read-only).
CouncilReport council_report(service::Engine& engine, const CouncilOptions& options);

}  // namespace endstate::report
