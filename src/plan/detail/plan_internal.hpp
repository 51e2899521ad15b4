#pragma once
// What the planner's source files share (private to src/plan).

#include <cstdint>
#include <string>
#include <vector>

#include "endstate/plan/planner.hpp"

namespace endstate::plan::detail {

/// Static consequences of a problem: which bases may be open, must be open,
/// and how many each province must keep, phase by phase.
struct Structure {
  const PlanProblem& p;
  std::vector<std::vector<char>>
      can_open;  ///< [phase][site]: not forbidden, province not exited, opening lead time passed (new bases)
  std::vector<std::vector<char>> must_open;  ///< [phase][site]: locked and may be open
  std::vector<std::vector<int>> required;    ///< [phase][province]: bases the presence rule asks for
  explicit Structure(const PlanProblem& pr);
};

/// Demand points grouped by the set of bases covering them (only the bases
/// with ever[j] set count; points no such base covers, or of no weight in
/// any phase, are left out). Covering a group is covering each of its points,
/// so any plan's coverage is the same on the groups (exact).
struct PointGroups {
  std::vector<std::vector<std::uint32_t>> sites;  ///< [group] -> covering bases, ascending
  std::vector<std::vector<double>> weights;       ///< [group][phase] summed weight
};
PointGroups group_points(const PlanProblem& p, const std::vector<char>& ever);
/// The same problem on the point groups of the bases that may ever be open
/// (response hours set to 0: no solver reads them).
PlanProblem merge_points(const PlanProblem& p, const Structure& st);

/// Binding ceilings and closure limits of a feasible plan.
void fill_binding(const PlanProblem& p, PlanSolution& s);
/// bound >= objective, gap.
void finish(PlanSolution& s);
/// Nothing open, the conflict named.
PlanSolution infeasible_solution(const PlanProblem& p, std::vector<std::string> binding, const char* solver);

}  // namespace endstate::plan::detail
