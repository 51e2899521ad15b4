#pragma once
// Handover scheduling: each task-place (a task in one province or territory)
// whose province the mission leaves is handed over to its partner in one
// period before the exit, or left unscheduled (at risk). Chosen so as to
// maximise the priority-weighted number of handovers, then to hand over as
// early as the conditions allow, subject to
//   - a window per item: not before its handover conditions are expected to
//     be met, and ending before its province's exit month;
//   - precedence: an item is handed over only when the items it depends on
//     (same task dependency, same province) are, in the same or an earlier
//     period;
//   - the partner's capacity per budget year: the load handed over to it in
//     the periods of a year;
//   - the partner's secured funding per budget year: the running cost of what
//     it has taken over (from the period after the handover) in that year.
// This is a multi-resource scheduling problem with deadlines and
// precedences (resource-constrained project scheduling with time windows;
// Brucker, Drexl, Möhring, Neumann & Pesch 1999, "Resource-constrained project
// scheduling: notation, classification, models, and methods", EJOR
// 112(1):3-41), with selection of the jobs to schedule.
//
// Methods (docs/tasks.md):
//   exact      time-indexed MILP (x[item][period] binary; Pritsker, Watters &
//              Wolfe 1969, "Multiproject scheduling with limited resources: a
//              zero-one programming approach", Management Science 16(1):93-108)
//              in COIN-OR CBC through footprint/milp.hpp;
//   heuristic  serial list scheduling (Kelley 1963; Kolisch 1996, "Serial and
//              parallel resource-constrained project scheduling methods
//              revisited", EJOR 90(2):320-333): items in priority order
//              (dependencies first, then tier, benchmark gap and deadline) each
//              take the earliest period that fits; then a repair pass that
//              inserts unscheduled items by moving or dropping
//              lower-priority ones of the same partner, and a pass that moves
//              items earlier.

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "endstate/footprint/location.hpp"

namespace endstate::tasks {

/// One task-place to hand over.
struct ScheduleItem {
  std::string name;             ///< "task@place", for messages
  int partner = -1;             ///< -1 = none (never scheduled)
  double load = 1;              ///< capacity units at the partner
  std::int64_t weight = 1;      ///< priority (higher first): from the tier
  int rank = 0;                 ///< the heuristic's order (the task's place in the sequence; lower first)
  int earliest = 0;             ///< first allowed period
  int latest = -1;              ///< last allowed period (-1 = none: cannot be handed over in time)
  std::vector<double> running;  ///< [year] the partner's cost per year of running it (12 months)
};

struct ScheduleProblem {
  std::vector<std::string> period_labels;  ///< [period]
  std::vector<std::size_t> period_year;    ///< [period] budget year index (non-decreasing)
  std::vector<int> period_months;          ///< [period] length in months
  std::size_t years = 0;
  std::vector<ScheduleItem> items;
  std::vector<std::pair<std::size_t, std::size_t>> precedes;  ///< (a, b): b only with a, not before a
  std::vector<std::vector<double>> capacity;                  ///< [partner][year]
  std::vector<std::vector<double>> funding;                   ///< [partner][year]

  [[nodiscard]] std::size_t periods() const { return period_labels.size(); }
  /// The partner's funding used in year y by an item handed over in period q
  /// (it runs it from period q + 1 on).
  [[nodiscard]] double funding_use(std::size_t item, int q, std::size_t y) const;
  /// The objective value of one item handed over in period q: weight x
  /// (periods x items + 1) - q, so that one more unit of weight always beats
  /// any lateness.
  [[nodiscard]] double value(std::size_t item, int q) const;
};

struct ScheduleOptions {
  footprint::SolverKind solver = footprint::SolverKind::kAuto;
  double time_limit_s = 30;
  /// kAuto: exact when items x periods is at most this.
  std::size_t auto_exact_cells = 2000;
};

struct Schedule {
  std::vector<int> period;  ///< [item] handover period, -1 = not scheduled
  double objective = 0;     ///< sum of value() over scheduled items
  double bound = 0;         ///< best upper bound known
  double gap = 0;           ///< (bound - objective) / max(objective, 1)
  std::int64_t weight = 0;  ///< priority weight handed over
  std::string solver;       ///< "cbc" or "list"
  std::string rule;         ///< the rule used, in words (why exact or heuristic)
  footprint::SolveStatus status = footprint::SolveStatus::kNoSolution;
  double seconds = 0;
  std::vector<std::string> binding;  ///< "capacity:<partner>@<year>", "funding:<partner>@<year>" met with equality
};

/// Checks sizes and values; throws Error(kUsage).
void validate(const ScheduleProblem& p);

/// Every constraint `period` breaks, by name ("window:<item>",
/// "precedence:<a>-><b>", "capacity:<partner>@<year>",
/// "funding:<partner>@<year>"); empty when feasible.
std::vector<std::string> violations(const ScheduleProblem& p, const std::vector<int>& period);

/// The objective of a schedule.
double objective(const ScheduleProblem& p, const std::vector<int>& period);

/// Exact: the time-indexed MILP in CBC, started from the heuristic.
Schedule schedule_exact(const ScheduleProblem& p, const ScheduleOptions& o);
/// Heuristic: list scheduling, repair, earlier moves. Deterministic.
Schedule schedule_heuristic(const ScheduleProblem& p, const ScheduleOptions& o);
/// Dispatches on o.solver (auto: exact when items x periods <= o.auto_exact_cells).
Schedule schedule(const ScheduleProblem& p, const ScheduleOptions& o);

/// The heuristic's order of items: dependencies first (a before b when a
/// precedes b), then weight (higher first), rank, latest period, index.
std::vector<std::size_t> priority_order(const ScheduleProblem& p);

}  // namespace endstate::tasks
