#pragma once
// Location models of the footprint: maximal covering location (Church &
// ReVelle 1974, "The maximal covering location problem", Papers of the
// Regional Science Association 32:101-118) with the extensions the issue asks
// for: at most P open sites, locked and forbidden sites, a troop ceiling,
// capacitated coverage (a site's troops cover at most a load), and backup
// coverage (weight covered twice counts again x beta; Hogan & ReVelle 1986,
// "Concepts and applications of backup coverage", Management Science
// 32(11):1434-1444).
//
// Solvers: exact MILP through COIN-OR CBC (time limit; objective, best bound,
// gap) and a heuristic for large instances: lazy greedy (Minoux 1978) then
// 1-swap local search with incremental gains (the "fast swap" bookkeeping of
// Whitaker 1983 / Resende & Werneck 2004 applied to coverage) and variable
// neighbourhood search with local shakes (Hansen & Mladenovic 1997), with an upper
// bound from Lagrangian relaxation of the coverage constraints (subgradient
// optimisation, Held, Wolfe & Crowder 1974; for the MCLP Galvao & ReVelle
// 1996) and the submodular bound of Nemhauser, Wolsey & Fisher (1978).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "endstate/footprint/coverage.hpp"

namespace endstate::footprint {

enum class SolverKind { kExact, kHeuristic, kAuto };

/// What a solve concluded (the call itself either worked or threw an Error):
/// separate from whether the call succeeded, as HiGHS keeps its model status
/// apart from its call status.
enum class SolveStatus {
  kOptimal,     ///< proven optimal (gap within tolerance)
  kFeasible,    ///< a solution with a stated gap to the bound (heuristics)
  kTimeLimit,   ///< the exact solver stopped at its time limit; best solution and bound reported
  kInfeasible,  ///< no solution satisfies the constraints; `binding` names them
  kNoSolution,  ///< stopped without finding any solution
  kEvaluated,   ///< a given set of sites was evaluated, nothing solved
  kReached,     ///< stopped at the first solution reaching SolveOptions::stop_at_objective (benchmarks)
};
/// "optimal", "feasible", "time_limit", "infeasible", "no_solution", "evaluated", "reached".
std::string to_string(SolveStatus s);
/// "exact" | "heuristic" | "auto", or nullopt.
std::optional<SolverKind> parse_solver(const std::string& s);

/// One covering problem: demand weights, coverage sets and the constraints.
struct CoverProblem {
  std::vector<double> weights;                ///< [demand point]
  Coverage coverage;                          ///< [site] -> covered points
  std::vector<std::int64_t> site_troops;      ///< troops a site needs when open (empty = 0 each)
  std::vector<bool> locked;                   ///< [site] must stay open (empty = none)
  std::vector<bool> forbidden;                ///< [site] may not open (empty = none)
  int max_sites = 0;                          ///< P; 0 = no limit
  std::optional<std::int64_t> troop_ceiling;  ///< sum of site_troops over open sites
  /// Capacitated coverage: an open site covers at most load_per_troop x its
  /// troops of weight (fractions of a point may be served). nullopt = off.
  std::optional<double> load_per_troop;
  double backup_weight = 0;  ///< beta: weight covered by >= 2 open sites counts (1 + beta) times
};

/// The constraints a solution meets with equality (reported by name:
/// "max_sites", "troop_ceiling", "capacity:<site index>", "locked").
struct CoverSolution {
  std::vector<bool> open;    ///< [site]
  double objective = 0;      ///< covered weight (+ beta x backup weight)
  double covered = 0;        ///< weight covered at least once
  double covered_twice = 0;  ///< weight covered at least twice
  double bound = 0;          ///< best upper bound known
  double gap = 0;            ///< (bound - objective) / max(|objective|, 1e-9)
  double seconds = 0;
  std::string solver;  ///< "cbc", "heuristic"
  SolveStatus status = SolveStatus::kNoSolution;
  /// Constraints met with equality by the solution, or (infeasible) the ones that conflict.
  std::vector<std::string> binding;
  /// Capacitated problems: weight served by each site (empty otherwise).
  std::vector<double> served;
};

struct SolveOptions {
  SolverKind solver = SolverKind::kAuto;
  double time_limit_s = 60;
  /// kAuto: exact when (sites x points covered pairs) is at most this.
  std::size_t auto_exact_pairs = 200000;
  int swap_passes = 50;            ///< heuristic: at most this many improving swap passes
  int lagrange_iterations = 1000;  ///< heuristic: subgradient iterations for the bound
  int vns_shakes = 1000;           ///< heuristic (uncapacitated): VNS shakes after the 1-swap search; 0 = none
  /// Exact: start CBC from the heuristic solution (false = CBC alone, as a
  /// user of a MILP solver would run it; for benchmarks).
  bool heuristic_start = true;
  /// Exact: stop at CBC's first solution at least this good (benchmarks:
  /// time for CBC to reach an objective).
  std::optional<double> stop_at_objective;
  /// p-median exact: Lagrangian tree search (Beasley 1993) after the root,
  /// with up to half the time left, before CBC on the radius formulation
  /// (false: CBC right after the root; for comparison).
  bool pmedian_tree = true;
};

/// "CBC 2.10.8": the MILP solver behind the exact methods.
std::string cbc_version();

/// Checks sizes and values; throws Error(kUsage) naming the field.
void validate(const CoverProblem& p);

/// Evaluates a set of open sites: covered weight, backup, objective (with
/// capacity: a greedy fractional assignment, a feasible lower value).
CoverSolution evaluate(const CoverProblem& p, const std::vector<bool>& open);

/// Heuristic: lazy greedy + 1-swap local search + VNS (uncapacitated); bound
/// from Lagrangian relaxation and the submodular bound. Deterministic.
CoverSolution solve_cover_heuristic(const CoverProblem& p, const SolveOptions& o);

/// Exact MILP through CBC, started from the heuristic solution.
CoverSolution solve_cover_exact(const CoverProblem& p, const SolveOptions& o);

/// Dispatches on o.solver. A problem whose locked sites alone break the troop
/// ceiling or the number of sites is reported as kInfeasible with the
/// conflicting constraints in `binding`, never as a time-out.
CoverSolution solve_cover(const CoverProblem& p, const SolveOptions& o);

/// The constraints that make `p` infeasible ("locked", "troop_ceiling",
/// "max_sites"), or empty when it has solutions.
std::vector<std::string> infeasibility(const CoverProblem& p);

/// Upper bound by Lagrangian relaxation of the coverage constraints (no
/// capacity), at most `iterations` subgradient steps aimed at `target`. With
/// `stall_tolerance` > 0 the steps also stop once 50 of them together lowered
/// the bound by less than that fraction of it (0: only the step size ends them).
double lagrangian_cover_bound(const CoverProblem& p, double target, int iterations, double stall_tolerance = 0);

}  // namespace endstate::footprint
