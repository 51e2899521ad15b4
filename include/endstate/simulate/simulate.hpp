#pragma once
// Monte Carlo comparison of transition policies (issue 14; docs/simulate.md).
//
// Sample paths: for each path, every area's violence month by month from a
// one-step model (model.hpp) fed with the path's own simulated history,
// its expected value scaled by the presence effect (presence.hpp) of the
// bases still open on that path. Along each path the transition benchmarks
// are recomputed month by month (indicator windows, stakeholder
// thresholds and sustain rules, core and contextual roll-up, exactly as
// benchmarks::assess_area does on the history), so readiness per province
// and stakeholder is a property of the path. Each policy (end-date,
// end-state, hybrid, read from a plan file) decides on each path when each
// province is exited; an exited province's bases close and the violence
// there responds through the presence effect.
//
// Common random numbers: the draw of area a in month m of path p comes
// from its own stream Rng(seed, (p, a, m)), whatever the policy, so two
// policies differ on a path only through what the policy changed (paired
// differences; Glasserman 2004, "Monte Carlo Methods in Financial
// Engineering", 4.2; Law 2015, "Simulation Modeling and Analysis", 11.2).
// Paths are independent tasks: the output is the same for any thread count.

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "endstate/benchmarks/framework.hpp"
#include "endstate/benchmarks/project.hpp"
#include "endstate/core/panel.hpp"
#include "endstate/geo/reach.hpp"
#include "endstate/plan/spec.hpp"
#include "endstate/simulate/model.hpp"
#include "endstate/simulate/presence.hpp"

namespace endstate::simulate {

/// A base open at the origin.
struct Base {
  std::string id, name;
  LatLon where;
  int province = -1;  ///< the province whose exit closes it; -1 = open until the mission ends
  std::int64_t troops = 0, police = 0;
  bool has_air = false;
  int hq = 0;  ///< Geo-PKO HQ code (0 none, 2 sector HQ, 3 mission HQ): plan files lock bases by it
};

/// A province (the exit unit) and what its benchmarks read.
struct Province {
  std::string id, name;
  std::optional<double> population;
  /// [indicator] -> raw monthly series of the history (months of the world), NaN = missing.
  std::vector<std::vector<double>> raw;
  /// [indicator] event-derived: raw value per unit of the simulated target in
  /// the province (1 when the indicator counts the target itself); 0 for observed.
  std::vector<double> per_unit;
  /// [indicator] observed: future paths (at least as many paths and months
  /// as simulated); empty for event-derived indicators.
  std::vector<benchmarks::FuturePaths> observed;
};

/// Everything a simulation reads besides the model and the policies.
struct World {
  std::vector<PanelArea> areas;
  std::size_t months = 0;                              ///< history length
  std::vector<double> y;                               ///< [area][month] the target's history
  Month origin;                                        ///< first simulated month (the month after the history)
  std::vector<int> area_province;                      ///< [area] province index, -1 = none
  std::vector<std::array<double, kKinds>> kind_share;  ///< [area] share of the target of each Kind
  std::vector<double> civilian_share;                  ///< [area] share of the target that is civilian deaths
  std::vector<Province> provinces;
  const benchmarks::Framework* framework = nullptr;  ///< null: no readiness (end-state never exits)
  std::vector<Base> bases;
  PresenceEffect effect;
  geo::ReachParams reach;
  double response_hours = 2;      ///< a responder reaches an area within this (geo::response_hours to its centroid)
  double hotspot_threshold = 25;  ///< a hotspot month: this many of the target or more in the area
  double troop_month = 1448, police_month = 1448, base_month = 80000, closure_cost = 400000;  ///< plan unit costs
};

/// What make_world builds a World from.
struct WorldSpec {
  const Panel* panel = nullptr;  ///< history at the simulation level (ends the month before the origin)
  forecast::Target target = forecast::Target::kFatalities;
  std::vector<int> area_province;  ///< [area] province index, -1 = none
  std::vector<std::string> province_ids, province_names;
  std::vector<std::optional<double>> province_population;
  const benchmarks::Framework* framework = nullptr;
  /// observed indicator id (Derivation::observed_indicator) -> [province][month] history (NaN = missing)
  std::map<std::string, std::vector<double>> observed;
  std::vector<Base> bases;
  PresenceEffect effect;
  geo::ReachParams reach;
  double response_hours = 2, hotspot_threshold = 25;
  int trend_months = 24;  ///< observed indicators: trend paths fitted to this many months
};

/// The world of a panel: the target's history, each area's shares of the
/// kinds of violence and of civilian deaths (last 24 months, else the whole
/// history), each province's raw indicator series (event indicators summed
/// over its areas), the ratio of each event indicator to the target (1 when
/// it counts the target itself, else over the last 24 months), and trend
/// paths of observed indicators (benchmarks::trend_paths, one stream per
/// province and indicator) for `paths` x `horizon`.
World make_world(const WorldSpec& spec, int paths, int horizon, std::uint64_t seed);

/// One policy as the simulation applies it.
struct PolicyRule {
  std::string name;  ///< as reported ("end-state", the plan id ...)
  plan::Policy policy = plan::Policy::kEndState;
  std::vector<std::size_t> stakeholders;  ///< framework stakeholder indexes that must all find a province ready
  int sustain_months = 6;                 ///< ... for this many consecutive months
  std::vector<int> exit_offset;           ///< [province] months from the origin to its exit date; -1 = none
  int max_delay_months = 12;              ///< hybrid: exit at the latest this long after the date
  /// [province] 1 = holds a base the plan locks for its whole length: under
  /// end-state and hybrid it never exits, as in the planner (empty = none)
  std::vector<char> held;
  /// No province is ever exited (the status quo: ready-by, calibration).
  static PolicyRule status_quo(std::size_t provinces);
};

/// The policy rule of a plan file for the world's provinces (names or ids,
/// case-insensitive). Error(kBadInput) naming the plan field for an unknown
/// province or stakeholder. The plan's locks (HQ codes, `locks.sites`,
/// `locks.unlock`, by base id or name) mark the provinces they hold; a name
/// that is none of the world's bases (a candidate base) locks nothing here.
PolicyRule policy_from_plan(const plan::PlanSpec& spec, const World& w);

struct SimOptions {
  int horizon = 36;  ///< months
  int paths = 1000;
  std::uint64_t seed = 1;
  int threads = 0;  ///< 0 = all hardware threads
  /// true: the straightforward implementation (features, windows and
  /// readiness recomputed from each path's whole history every month,
  /// presence recomputed from every base every month) - same numbers, for
  /// the benchmark and as a reference in tests.
  bool straightforward = false;
  bool keep_area_paths = false;  ///< keep every area's monthly values (calibration; memory paths x areas x months)
};

/// What happened on one path under one policy.
struct PathOutcome {
  std::vector<int> exit;  ///< [province] month offset of the exit (first month without presence); horizon = not within
  int mission_end = 0;    ///< the last province's exit; horizon = not within
  double fatalities = 0, civilian = 0;  ///< sum of the target and its civilian share over areas and months
  int gap_months = 0;                   ///< area-months with a hotspot and no open base in reach
  double troop_months = 0, police_months = 0, base_months = 0, cost = 0;
  /// [province][stakeholder] first month offset at which the province is ready
  /// (0 = at the origin's last history month, m + 1 = path month m); -1 = not within the horizon.
  std::vector<int> first_ready;
};

struct SimResult {
  std::size_t paths = 0, horizon = 0, areas = 0, provinces = 0, stakeholders = 0;
  Month origin;
  std::vector<std::string> policies;
  std::vector<PathOutcome> outcomes;  ///< [policy][path]
  std::vector<float> monthly_target;  ///< [policy][path][month] target summed over areas
  std::vector<float> monthly_troops;  ///< [policy][path][month] troops deployed
  std::vector<float> area_paths;      ///< keep_area_paths: [policy][path][area][month]
  [[nodiscard]] const PathOutcome& outcome(std::size_t policy, std::size_t path) const {
    return outcomes[policy * paths + path];
  }
};

/// Runs every policy on the same paths. Error(kUsage) for bad options or a
/// world whose parts do not line up; `progress(done, total)` after each path.
SimResult simulate(const World& w, const StepModel& model, const std::vector<PolicyRule>& policies, const SimOptions& o,
                   const std::function<void(std::int64_t, std::int64_t)>& progress = {});

// --- summaries ------------------------------------------------------------

/// Median and central 80% / 90% intervals (type-7 quantiles) of a path
/// quantity; for months, a quantile beyond the horizon is "not within"
/// (nullopt).
struct Interval {
  std::optional<double> median, lo80, hi80, lo90, hi90;
  double mean = 0;
};
Interval interval_of(std::vector<double> values);
/// Months: values equal to `horizon` mean "not within the horizon".
Interval month_interval(std::vector<double> values, int horizon);

struct PolicySummary {
  std::string policy;
  std::vector<Interval> exit;       ///< [province] exit month offset
  std::vector<double> exit_within;  ///< [province] share of paths exiting within the horizon
  Interval mission_end;
  double mission_end_within = 0;
  Interval fatalities, civilian, gap_months, troop_months, cost;
};

/// A paired difference (policy minus the reference policy) over the same paths.
struct Difference {
  std::string policy, reference;
  Interval fatalities, civilian, gap_months, troop_months, cost, mission_end;
  double share_more_fatalities = 0;  ///< paths where the policy had more fatalities than the reference
};

/// One row of a fan chart: quantiles over paths of a monthly quantity.
struct FanRow {
  std::string policy, series;  ///< series: "target", "troops", "provinces_exited"
  int month_offset = 0;
  double q05 = 0, q10 = 0, q25 = 0, q50 = 0, q75 = 0, q90 = 0, q95 = 0, mean = 0;
};

struct Comparison {
  std::vector<PolicySummary> policies;
  std::vector<Difference> differences;  ///< every policy against the first
  std::vector<FanRow> fans;
};
Comparison compare(const SimResult& r);

/// P(ready by month offset m): [province][stakeholder] share of paths of
/// policy `policy` whose first ready month is <= m. Monotone in m.
std::vector<std::vector<double>> ready_by(const SimResult& r, std::size_t policy, int month_offset);

// --- calibration ----------------------------------------------------------

struct CalibrationOptions {
  std::vector<std::size_t> origins;  ///< history ends (month indexes of the panel: months before the origin)
  int horizon = 12;
  int paths = 500;
  std::uint64_t seed = 1;
  int threads = 0;
};

/// Scores of paths simulated from past origins against what happened.
struct CalibrationRow {
  int h = 0;  ///< months ahead (1-based); 0 = the per-area total over the horizon
  std::size_t n = 0;
  double cover50 = 0, cover80 = 0, cover90 = 0;  ///< central intervals holding the outcome
  double crps = 0;
  std::array<double, 10> pit{};  ///< non-randomised PIT histogram for counts (Czado, Gneiting & Held 2009)
};
struct CalibrationResult {
  std::vector<CalibrationRow> rows;  ///< h = 1..horizon, then h = 0 (totals over the horizon)
  std::size_t origins = 0;
};

/// Fits the model on the months before each origin, simulates status-quo
/// paths (presence unchanged) from it, and scores every area-month and every
/// area's total over the horizon that the panel observed.
CalibrationResult calibrate(const Panel& panel, forecast::Target target, const forecast::ForecastOptions& model,
                            const CalibrationOptions& o,
                            const std::function<void(std::int64_t, std::int64_t)>& progress = {});

}  // namespace endstate::simulate
