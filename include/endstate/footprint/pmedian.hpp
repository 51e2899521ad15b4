#pragma once
// The p-median problem (Hakimi 1964; ReVelle & Swain 1970): open p of n
// nodes minimising the weighted distance of every client to its nearest open
// node. Exact: Lagrangian relaxation of the assignment constraints with
// variable fixing (Beasley 1993, "Lagrangean heuristics for location
// problems", EJOR 65:383-399), then Beasley's Lagrangian tree search
// (depth-first branching on facilities, multipliers inherited, fixing at
// every node), and if that runs out of its time share, the radius
// formulation of Garcia, Labbe & Marin (2011), "Solving large p-median
// problems with a radius formulation", INFORMS J. Computing 23(4):546-556
// (covering variables over the sorted distinct distances of each client),
// solved by COIN-OR CBC from the incumbent.
// Heuristic: greedy addition then fast interchange (Teitz & Bart 1968;
// Whitaker 1983; Resende & Werneck 2004).
//
// OR-Library instances (Beasley 1990): "n m p" then m lines "i j cost",
// undirected; an edge listed twice keeps its LAST cost; distances are all
// pairs shortest paths (Floyd-Warshall).

#include <cstdint>
#include <string>
#include <vector>

#include "endstate/footprint/location.hpp"

namespace endstate::footprint {

/// A p-median instance over n nodes, every node a client and a candidate.
struct PMedianInstance {
  int n = 0;
  int p = 0;
  std::vector<double> dist;    ///< n x n, row = client, column = facility
  std::vector<double> weight;  ///< [client]; 1 each for OR-Library
  [[nodiscard]] double d(int i, int j) const { return dist[static_cast<std::size_t>(i) * n + j]; }
};

/// Reads an OR-Library pmed file; Error(kBadInput) naming file:line:field.
PMedianInstance read_orlib_pmed(const std::string& path);
/// Parses the same format from a string (`name` used in messages).
PMedianInstance parse_orlib_pmed(const std::string& text, const std::string& name);

struct PMedianSolution {
  std::vector<int> open;  ///< facility nodes (0-based), ascending
  double objective = 0;
  double bound = 0;  ///< best lower bound known
  double gap = 0;    ///< (objective - bound) / objective
  double seconds = 0;
  std::string solver;  ///< "lagrangian" (root bound met the incumbent), "lagrangian-tree", "cbc-radius", "heuristic"
  SolveStatus status = SolveStatus::kNoSolution;  ///< kOptimal, kTimeLimit, or kFeasible (heuristic)
  int fixed_closed = 0;                           ///< facilities removed by Lagrangian fixing
  int fixed_open = 0;
  std::int64_t tree_nodes = 0;  ///< nodes of the Lagrangian tree search
  std::int64_t milp_columns = 0;
  std::int64_t milp_rows = 0;
};

/// Cost of a set of open facilities.
double pmedian_cost(const PMedianInstance& inst, const std::vector<int>& open);

/// Greedy + fast interchange; bound from Lagrangian relaxation.
PMedianSolution solve_pmedian_heuristic(const PMedianInstance& inst, const SolveOptions& o);

/// Exact: Lagrangian fixing, Lagrangian tree search, radius formulation in CBC.
PMedianSolution solve_pmedian_exact(const PMedianInstance& inst, const SolveOptions& o);

/// The Lagrangian tree search alone, from `incumbent` (any p facilities) and
/// a root relaxation of o.lagrange_iterations steps: "optimal" when the tree
/// is exhausted within o.time_limit_s, else "time_limit" with the best found.
/// For tests and comparisons; solve_pmedian_exact uses the same search.
PMedianSolution solve_pmedian_tree(const PMedianInstance& inst, const std::vector<int>& incumbent,
                                   const SolveOptions& o);

/// Dispatches on o.solver (auto = exact).
PMedianSolution solve_pmedian(const PMedianInstance& inst, const SolveOptions& o);

}  // namespace endstate::footprint
