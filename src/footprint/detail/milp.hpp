#pragma once
// The MILP container and CBC call of the footprint's solvers; public in
// endstate/footprint/milp.hpp so that higher floors (the transition planner)
// reuse the same CBC wrapper.

#include "endstate/footprint/milp.hpp"

namespace endstate::footprint::detail {

using footprint::Milp;
using footprint::MilpResult;
using footprint::solve_milp;

}  // namespace endstate::footprint::detail
