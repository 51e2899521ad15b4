#pragma once
// What the planner's source files share (private to src/plan).

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

/// Binding ceilings and closure limits of a feasible plan.
void fill_binding(const PlanProblem& p, PlanSolution& s);
/// bound >= objective, gap.
void finish(PlanSolution& s);
/// Nothing open, the conflict named.
PlanSolution infeasible_solution(const PlanProblem& p, std::vector<std::string> binding, const char* solver);

}  // namespace endstate::plan::detail
