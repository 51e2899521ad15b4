#pragma once
// Requests and results of the transition planner (docs/plan.md): a plan file
// run on the store's data (demand points and today's bases from the
// footprint model, the threat of each phase from observed violence against
// civilians and the forecast module, readiness from the benchmark framework
// and its projections, reversal triggers from alerts and the threat index),
// two plan files compared side by side, and a plan file checked against the
// store without solving.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "endstate/footprint/location.hpp"
#include "endstate/plan/planner.hpp"
#include "endstate/plan/report.hpp"
#include "endstate/plan/spec.hpp"
#include "endstate/service/common.hpp"
#include "endstate/service/footprint.hpp"

namespace endstate::service {

/// `path` as seen from `base_dir` (a request's folder that relative paths
/// start from; "" = the current folder): base_dir/path when path is relative.
std::string in_folder(const std::string& base_dir, const std::string& path);

struct PlanRequest {
  std::string file;               ///< the plan YAML (its name in documents and messages, as given)
  std::string base_dir;           ///< folder that file and the files the plan names are relative to ("" = current)
  footprint::SolveOptions solve;  ///< solver (auto: exact when coverage pairs x phases <= auto_exact_pairs), time limit
  std::size_t projection_samples = 500;  ///< sample paths of the benchmark projections (future readiness)
  bool with_geometry = false;            ///< province shapes, for the provinces map layer
};

/// Why and when a province is exited.
struct ProvinceExit {
  std::string area_id, name;
  int phase = -1;              ///< first phase without bases; -1 = not within the plan
  std::optional<Month> month;  ///< that phase's first month
  /// "ready" (end-state / hybrid after the date), "date" (end-date, or hybrid
  /// ready by the date), "max_delay" (hybrid: not ready by the date plus the
  /// maximum delay), "not_ready", "no_date", "after_plan", "locked" (end-state / hybrid: the province holds a base
  /// locked for the whole plan).
  std::string reason;
  std::string why;                  ///< in words
  std::optional<Month> date;        ///< end-date / hybrid: the date in the plan file
  std::optional<Month> ready_from;  ///< first month of the readiness run in force at the exit (or at the plan's end)
  bool ready_projected = false;     ///< ready_from comes from benchmark projections, not assessments
  std::optional<bool>
      ready_at_exit;                ///< ready for every named stakeholder, sustained, when exited (null: no framework)
  std::vector<std::string> paused;  ///< labels of phases where a reversal trigger fired
};

/// A reversal trigger that fired.
struct PlanTrigger {
  std::string area_id, name;
  std::size_t phase = 0;
  std::string reason;  ///< "red alert ..." / "threat index 5.2 > 4.5"
};

struct PlanResult {
  plan::PlanSpec spec;
  std::vector<plan::Phase> phases;
  std::string level;
  Month data_last;  ///< last month with data (events)
  Month today;      ///< the month whose deployments are today's bases
  std::optional<std::int64_t> framework_version;
  std::vector<std::string> stakeholders;    ///< whose readiness gates (and is reported)
  FootprintModel model;                     ///< demand points, the plan's bases (troop bases and candidates), coverage
  std::vector<int> site_hq;                 ///< [site] Geo-PKO HQ code (0 for candidates)
  std::size_t police_posts = 0;             ///< active sites without troops, left out of the plan's bases
  std::vector<std::vector<double>> threat;  ///< [phase][province] expected violence against civilians (events)
  std::vector<std::string> threat_source;   ///< [phase] "observed", "forecast:<model>" or both joined by '+'
  plan::PlanProblem problem;
  plan::PlanSolution solution;
  std::optional<plan::PlanReport> report;  ///< when a plan was found
  std::vector<ProvinceExit> exits;         ///< one per province
  std::vector<PlanTrigger> triggers;
  AreaShapes shapes;
  double seconds = 0;
};

struct PlanCompareRequest {
  std::string file_a, file_b;
  std::string base_dir;  ///< folder that both files (and the files they name) are relative to ("" = current)
  footprint::SolveOptions solve;
  std::size_t projection_samples = 500;
};

struct PlanCompareResult {
  PlanResult a, b;
};

struct PlanValidateRequest {
  std::string file;
  std::string base_dir;  ///< folder that file and the files the plan names are relative to ("" = current)
};

/// A plan file resolved against the store, without solving.
struct PlanValidateResult {
  plan::PlanSpec spec;
  std::vector<plan::Phase> phases;
  std::string level;
  Month data_last, today;
  std::vector<std::int64_t> troops, police, civilians, max_closures;  ///< per phase (empty = none)
  std::vector<std::string> provinces;                                 ///< names at the level
  std::vector<std::pair<std::string, std::string>> exit_dates;        ///< province name, phase label
  std::vector<std::string> locked, until_exit, forbidden;             ///< site names
  std::size_t bases = 0, candidates = 0, demand_points = 0, police_posts = 0;
  std::optional<std::int64_t> framework_version;
  std::vector<std::string> stakeholders;
};

}  // namespace endstate::service
