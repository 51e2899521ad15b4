#pragma once
// What a plan implies, phase by phase: troops per open base (each its
// minimum, the rest of the ceiling in proportion to the threat-weighted
// population it covers, as the footprint does), the localities each closure
// leaves without coverage and what replaces them (air from a remaining base
// with aviation within the helicopter's reach and the mitigation window,
// else police and civilian presence sized in people), the police and
// civilians the population left without troop coverage calls for (capped by
// the ceilings, the shortfall stated), and the cost per UN budget year.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "endstate/core/types.hpp"
#include "endstate/geo/reach.hpp"
#include "endstate/plan/planner.hpp"
#include "endstate/plan/spec.hpp"

namespace endstate::plan {

/// What the report needs beyond the problem.
struct ReportInput {
  std::vector<Phase> phases;
  std::vector<double> population;   ///< [point]
  std::vector<int> point_province;  ///< [point] province index, -1 = none
  std::vector<LatLon> point_where;  ///< [point]
  std::vector<LatLon> site_where;   ///< [site]
  std::vector<char> site_has_air;   ///< [site] helicopters based there
  geo::ReachParams reach;
  double mitigation_hours = 4;                                 ///< air mitigation window
  std::vector<std::int64_t> police_ceiling, civilian_ceiling;  ///< [phase]; empty = none
  const PlanSpec* spec = nullptr;                              ///< substitution rates and unit costs
};

/// A locality that loses coverage, and what replaces it.
struct LostPoint {
  std::size_t point = 0;
  double weight = 0, population = 0;
  std::optional<std::size_t> air_site;  ///< open base with aviation reaching it by air within the window
  double air_hours = 0;
  std::string mitigation;  ///< "air" or "police_and_civilians"
};

/// One base closed at the start of a phase.
struct Closure {
  std::size_t site = 0, phase = 0;
  bool exit = false;            ///< closed because its province was exited
  std::vector<LostPoint> lost;  ///< localities (in provinces not exited) only it covered; heaviest first
  double weight_lost = 0, population_lost = 0;
  std::size_t by_air = 0;                  ///< lost localities mitigated by air
  std::int64_t police = 0, civilians = 0;  ///< people for the localities air does not reach
  double monthly_cost = 0;                 ///< of those police and civilians
};

struct PhaseReport {
  std::vector<std::int64_t> troops;  ///< [site] deployed (0 = closed)
  std::int64_t troops_total = 0;
  std::int64_t sites_open = 0, opened = 0, closed = 0;
  double responsibility = 0;  ///< weight in provinces not exited
  double covered = 0;         ///< of it, within reach of an open base
  double gap = 0;             ///< responsibility - covered: expected violence against civilians out of reach
  double handed_over = 0;     ///< weight in exited provinces
  double population_responsibility = 0, population_covered = 0;
  double population_lost = 0;     ///< covered today, not now (provinces not exited)
  double population_air = 0;      ///< ... of it mitigated by air
  std::int64_t ipo = 0, fpu = 0;  ///< individual officers and formed units called for
  std::int64_t police_needed = 0, police = 0, police_shortfall = 0;
  std::int64_t civilians_needed = 0, civilians = 0, civilians_shortfall = 0;
};

struct BudgetYearCost {
  std::string year;  ///< "2025/26"
  int months = 0;    ///< months of the plan in that budget year
  double troops = 0, police = 0, civilians = 0, bases = 0, closures = 0, openings = 0;
  [[nodiscard]] double total() const { return troops + police + civilians + bases + closures + openings; }
};

struct PlanReport {
  std::vector<PhaseReport> phases;
  std::vector<Closure> closures;      ///< by phase, then site
  std::vector<BudgetYearCost> costs;  ///< in order
  double troop_months = 0, police_months = 0, civilian_months = 0, base_months = 0;
  [[nodiscard]] double total_cost() const;
};

/// The report of `open` (a feasible plan of `p`).
PlanReport report(const PlanProblem& p, const OpenPlan& open, const ReportInput& in);

}  // namespace endstate::plan
