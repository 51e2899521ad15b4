#pragma once
// The transition planner: a multi-period maximal covering location model.
// Over the phases of a plan, choose which bases are open in each phase so as
// to maximise the threat-weighted population within reach, summed over the
// phases (each phase with its own threat), subject to
//   - closures monotone: a closed base stays closed, unless a reversal
//     trigger lets its province reopen capacity; a new base opens once;
//   - province exits fixed by the exit policy (every base of an exited
//     province is closed from its exit phase on);
//   - a troop ceiling per phase (each open base needs its minimum troops);
//   - locks (open for the whole plan, or until the province exits) and
//     forbidden sites;
//   - lead times: no closure before `close_lead_months` after the start, no
//     opening before `open_lead_months`;
//   - at most `max_closures` closures per phase;
//   - paused provinces (a fired trigger): no closure there in that phase;
//   - presence: at least `min_sites_per_province` open bases in every
//     province not exited (where it has bases that may be open).
// This is the MCLP (Church & ReVelle 1974) made dynamic in the manner of
// multi-period location models with monotone facility sets (Wesolowsky &
// Truscott 1975, "The multiperiod location-allocation problem with
// relocation of facilities", Management Science 22(1):57-65; Gunawardane
// 1982, "Dynamic versions of set covering type public facility location
// problems", EJOR 10(2):190-195; the survey of Nickel & Saldanha-da-Gama 2019,
// "Multi-period facility location", in Location Science, 2nd ed., Springer).
//
// Methods (docs/plan.md):
//   exact      the MILP in COIN-OR CBC (footprint/milp.hpp), demand points
//              with the same covering sites merged; started from the
//              heuristic; objective, best bound and the proven gap;
//   heuristic  a backward rolling horizon over the footprint module's MCLP
//              heuristic (greedy, incremental swap, variable neighbourhood
//              search): the last phase first, each earlier phase keeping the
//              bases of the next one (closures stay monotone) and at most the
//              closure limit more; then a multi-period local search on the
//              bases' closing phases (one base hands over its remaining
//              phases to another); bound: the sum over phases of the
//              footprint's Lagrangian/submodular bound on each phase alone
//              (the linking constraints relaxed);
//   infeasibility is reported with its binding constraints, never as a
//   time-out: structural checks name them first; if CBC proves a plan
//   infeasible the checks did not catch, a deletion filter over the
//   constraint families names the ones that conflict (Chinneck & Dravnieks
//   1991, "Locating minimal infeasible constraint sets in linear programs",
//   ORSA J. Computing 3(2):157-168).

#include <cstdint>
#include <string>
#include <vector>

#include "endstate/footprint/coverage.hpp"
#include "endstate/footprint/location.hpp"

namespace endstate::plan {

/// How a site is locked.
enum class Lock {
  kNone,
  kPlan,       ///< open in every phase (its province may not be exited)
  kUntilExit,  ///< open until its province exits, then closes with it
};

/// A base that is open today or could open.
struct PlanSite {
  std::string id, name;
  int province = -1;        ///< index into the problem's provinces, -1 = none
  bool existing = false;    ///< open when the plan starts
  std::int64_t troops = 0;  ///< troops it needs when open (its minimum)
  Lock lock = Lock::kNone;
  bool forbidden = false;  ///< may not be open in any phase
};

/// One instance of the planner.
struct PlanProblem {
  std::vector<std::string> phase_labels;     ///< [phase] for messages ("2025-07")
  std::vector<int> phase_offset;             ///< [phase] months from the plan's start to the phase's first month
  std::vector<std::vector<double>> weights;  ///< [phase][point] threat-weighted population of the phase
  footprint::Coverage coverage;              ///< [site] -> covered points
  std::vector<PlanSite> sites;
  std::vector<std::string> provinces;       ///< names
  std::vector<int> exit_phase;              ///< [province] first phase without bases, -1 = not within the plan
  std::vector<std::int64_t> troop_ceiling;  ///< [phase]
  std::vector<std::int64_t> max_closures;   ///< [phase], -1 = no limit (empty = none anywhere)
  int min_sites_per_province = 0;
  int close_lead_months = 0, open_lead_months = 0;
  std::vector<std::vector<char>> paused;  ///< [province][phase] no closure there (empty = none)
  std::vector<std::vector<char>> reopen;  ///< [province][phase] closed bases may reopen (empty = none)

  [[nodiscard]] std::size_t phases() const { return phase_labels.size(); }
  [[nodiscard]] bool exited(int province, std::size_t phase) const;
  [[nodiscard]] bool is_paused(int province, std::size_t phase) const;
  [[nodiscard]] bool may_reopen(int province, std::size_t phase) const;
  /// Whether closures may happen in the phase (the closing lead time has passed).
  [[nodiscard]] bool closures_allowed(std::size_t phase) const;
  /// Whether a base may open in the phase (the opening lead time has passed).
  [[nodiscard]] bool openings_allowed(std::size_t phase) const;
  [[nodiscard]] std::int64_t closure_limit(std::size_t phase) const;
};

/// Which bases are open in each phase: [phase][site].
using OpenPlan = std::vector<std::vector<char>>;

struct PlanSolution {
  OpenPlan open;         ///< [phase][site]
  double objective = 0;  ///< covered weight summed over phases
  double bound = 0;      ///< best upper bound known
  double gap = 0;        ///< (bound - objective) / max(objective, 1e-9)
  double seconds = 0;
  double search_seconds = 0;  ///< heuristic: seconds to its plan, before the bound is computed
  std::string solver;         ///< "cbc", "heuristic"
  footprint::SolveStatus status = footprint::SolveStatus::kNoSolution;
  /// Feasible: the constraints met with equality ("troop_ceiling@2025-07",
  /// "max_closures@2026-01"); infeasible: the ones that conflict
  /// ("locked:<site>", "exit:<province>", "lead_time_close", ...).
  std::vector<std::string> binding;
  std::vector<double> covered;  ///< [phase] covered weight
  std::int64_t milp_columns = 0, milp_rows = 0;
  double heuristic_objective = 0;  ///< the heuristic's value (exact solves start from it)
};

/// Checks sizes and values; throws Error(kUsage) naming what is wrong.
void validate(const PlanProblem& p);

/// Covered weight of each phase under `open`.
std::vector<double> phase_coverage(const PlanProblem& p, const OpenPlan& open);

/// Every constraint `open` breaks, by name ("troop_ceiling@2025-07",
/// "monotone:<site>@2026-01", ...); empty when the plan is feasible.
std::vector<std::string> violations(const PlanProblem& p, const OpenPlan& open);

/// Conflicts visible without solving (a locked base in an exited province, a
/// ceiling below the locked bases' troops, an exit before the closing lead
/// time, more forced closures than the limits allow, ...), by name; empty when
/// none is found (the plan may still be infeasible).
std::vector<std::string> infeasibility(const PlanProblem& p);

/// Exact: the MILP in CBC (started from the heuristic unless
/// o.heuristic_start is false; o.stop_at_objective stops at the first
/// solution that good, for benchmarks).
PlanSolution solve_plan_exact(const PlanProblem& p, const footprint::SolveOptions& o);

/// Heuristic: backward rolling horizon over the footprint MCLP heuristic,
/// multi-period local search, bound from the phases relaxed one by one.
/// Deterministic.
PlanSolution solve_plan_heuristic(const PlanProblem& p, const footprint::SolveOptions& o);

/// Dispatches on o.solver; auto = exact when (coverage pairs x phases) is at
/// most o.auto_exact_pairs. An infeasible plan comes back as kInfeasible
/// with its binding constraints.
PlanSolution solve_plan(const PlanProblem& p, const footprint::SolveOptions& o);

}  // namespace endstate::plan
