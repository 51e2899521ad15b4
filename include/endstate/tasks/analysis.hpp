#pragma once
// What a task register implies under given province exits: the sequence of
// tasks (dependencies, then tier, then the benchmark gap they close), the
// handover schedule (schedule.hpp), the tasks at risk, the financial
// shortfall per budget year, and the territories left without any protection
// mechanism after each phase.
//
// Shortfall per budget year y (docs/tasks.md, "Shortfall"):
//   a task-place costs its mission cost per year while the mission runs it
//   (until the end of its handover period, or until the month before its
//   province's exit when no handover is scheduled), and its partner cost per
//   year after that (from the period after the handover; from the exit month
//   when the handover could not be scheduled in time: a forced handover). A
//   task that ends with the mission costs nothing after the exit. Costs of a
//   part year are pro rata by months.
//   partner demand(p, y)  = what partner p runs in y;
//   partner gap(p, y)     = max(0, demand(p, y) - funding(p, y)) (one partner's
//                           surplus does not pay for another's deficit);
//   no partner(y)         = what must continue in y with nobody named to run it;
//   shortfall(y)          = sum over partners of the gap + no partner(y);
//   mission total(y)      = task costs the mission carries + the plan's cost of
//                           its footprint (when a plan is given);
//   mission shortfall(y)  = max(0, mission total(y) - mission budget(y)) when
//                           the register gives a budget.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "endstate/core/types.hpp"
#include "endstate/tasks/register.hpp"
#include "endstate/tasks/schedule.hpp"

namespace endstate::tasks {

/// A province at the exit level, with the month the mission leaves it.
struct Province {
  std::string id, name;
  std::optional<Month> exit;  ///< first month without the mission; none = not within the horizon
};

/// An area a task or a mechanism names, resolved.
struct Place {
  std::string id, name;
  int province = -1;  ///< index into provinces
};

/// A phase after which continuity is checked (a plan's phase or a period).
struct PhaseSpan {
  Month from, to;  ///< inclusive
  std::string label;
};

/// Everything the analysis needs beyond the register, resolved against the data.
struct Context {
  std::vector<Province> provinces;
  std::vector<std::vector<Place>> task_places;  ///< [task][k] parallel to Task::places
  std::vector<Place> continuity_places;         ///< [entry] parallel to Register::continuity
  std::vector<Place> territories;               ///< every territory whose continuity is reported
  /// Benchmark met now in a province: met[benchmark id][province]; missing = no data (not met).
  std::vector<std::pair<std::string, std::vector<char>>> met_now;
  /// Month from which a benchmark is expected met in a province (now or projected); missing = not within the horizon.
  std::vector<std::pair<std::string, std::vector<std::optional<Month>>>> met_from;
  std::vector<PhaseSpan> phases;  ///< continuity checkpoints (empty = the scheduling periods)
  std::vector<double> plan_cost;  ///< [budget year] the plan's footprint cost; empty = no plan
  std::string exits_source;       ///< "plan:<id>", "register", "request" (reported)
};

/// The scheduling periods of a register.
struct Period {
  Month from, to;
  std::size_t year = 0;
  [[nodiscard]] std::string label() const;  ///< "2025-07..2025-12"
  [[nodiscard]] int months() const { return to.index() - from.index() + 1; }
};
std::vector<Period> make_periods(const Register& r);

/// One task in the sequence.
struct SequencedTask {
  std::size_t task = 0;
  int rank = 0;       ///< 1 = first
  int gap = 0;        ///< served (benchmark, province) pairs not met now
  int gap_total = 0;  ///< served (benchmark, province) pairs
};

/// What happens to one task-place.
enum class ItemStatus {
  kHandedOver,  ///< scheduled before the exit
  kAtRisk,      ///< must be handed over before the exit and is not (or not with its conditions met)
  kContinues,   ///< the province is not exited within the horizon: the mission keeps it
  kEnds,        ///< ends with the mission
};
std::string to_string(ItemStatus s);

/// Why a task-place is at risk.
enum class RiskKind {
  kNoPartner,         ///< nobody named to take it over
  kNoTime,            ///< the exit comes before any period it could be handed over in
  kPartnerCapacity,   ///< the partner has no capacity left in the periods it is needed
  kPartnerFunding,    ///< the partner's secured funding does not cover it
  kDependency,        ///< a task it depends on is not handed over in time
  kConditionsNotMet,  ///< handed over (or forced) before its conditions are expected met
};
std::string to_string(RiskKind k);

struct Risk {
  RiskKind kind = RiskKind::kNoPartner;
  std::string detail;
};

/// One task in one place.
struct Item {
  std::size_t task = 0, place = 0;  ///< task index, index into its places
  int province = -1;
  ItemStatus status = ItemStatus::kContinues;
  int period = -1;  ///< handover period, -1 = none
  std::optional<Month>
      handover;               ///< first month the partner runs it (period after the handover, or the exit when forced)
  std::optional<Month> exit;  ///< province exit
  std::optional<Month> conditions_met;  ///< month all its conditions are expected met (none = not within the horizon)
  bool conditions_ok = true;            ///< conditions expected met by the handover (or the exit)
  std::vector<Risk> risks;
  int earliest = 0, latest = -1;  ///< the scheduling window
};

struct PartnerYear {
  std::size_t partner = 0, year = 0;
  int handovers = 0;
  double load = 0, capacity = 0;
  double demand = 0, funding = 0, gap = 0;
};

struct YearShortfall {
  std::size_t year = 0;
  double mission_tasks = 0;         ///< task costs the mission carries
  std::optional<double> plan_cost;  ///< the plan's footprint cost
  double mission_total = 0;
  std::optional<double> mission_budget;
  std::optional<double> mission_shortfall;
  double partner_demand = 0, partner_funding = 0, partner_gap = 0;
  double no_partner = 0;
  double continuing = 0;  ///< partner demand + no partner: what must continue outside the mission
  double shortfall = 0;   ///< partner gap + no partner
};

/// A territory's protection mechanisms after one phase.
struct ContinuityPhase {
  int active = 0;                            ///< mechanisms running at the phase's last month
  int mission_run = 0;                       ///< of them, run by the mission
  std::vector<std::string> kinds;            ///< kinds running (distinct, sorted)
  [[nodiscard]] std::string status() const;  ///< "none", "mission_only", "covered"
};

struct TerritoryContinuity {
  std::size_t territory = 0;            ///< index into Context::territories
  std::vector<std::size_t> entries;     ///< register entries there
  std::vector<ContinuityPhase> phases;  ///< [phase]
  int first_without = -1;               ///< first phase with none, -1 = never
};

struct Analysis {
  std::vector<Period> periods;
  std::vector<PhaseSpan> phases;
  std::vector<SequencedTask> sequence;     ///< in order
  std::vector<Item> items;                 ///< by task (sequence order), then place
  ScheduleProblem problem;                 ///< the items that must be handed over
  std::vector<std::size_t> problem_items;  ///< [problem item] -> index into items
  Schedule schedule;
  std::vector<PartnerYear> partner_years;       ///< by partner, then year
  std::vector<YearShortfall> shortfall;         ///< by year
  std::vector<TerritoryContinuity> continuity;  ///< by territory
  /// [phase] territories left with none.
  std::vector<std::vector<std::size_t>> without;
};

/// Checks the context against the register (sizes); throws Error(kUsage).
void validate(const Register& r, const Context& c);

/// The whole analysis. Deterministic.
Analysis analyse(const Register& r, const Context& c, const ScheduleOptions& o);

/// Continuity only (analyse() calls it): mechanisms running in each territory at the end of each phase.
std::vector<TerritoryContinuity> continuity(const Register& r, const Context& c, const std::vector<PhaseSpan>& phases);

}  // namespace endstate::tasks
