#pragma once
// The plan file: a transition plan's horizon and phases, ceilings, exit
// policy, sites (locks, minimum troops, closure limits, lead times,
// candidates), coverage model, reversal triggers, police and civilian
// substitution and unit costs. YAML, validated like the benchmark framework
// (file, line and field on the first problem; unknown keys, duplicate keys
// and extra documents refused). The format is documented field by field in
// docs/plan.md.
//
// Phases default to 6 months aligned to the UN peacekeeping budget year
// (1 July - 30 June; UN General Assembly, Fifth Committee: peacekeeping
// budgets run July-June), so a phase starts in January or July.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "endstate/core/types.hpp"
#include "endstate/geo/reach.hpp"

namespace endstate::plan {

/// How provinces are exited.
enum class Policy {
  kEndState,  ///< once ready under every named stakeholder's standard, sustained N months
  kEndDate,   ///< on a fixed month per province
  kHybrid,    ///< on the date, but not before readiness, at most a maximum delay later
};
/// "end-state", "end-date", "hybrid".
std::string to_string(Policy p);

/// What a fired reversal trigger does in its province and phase.
enum class TriggerAction {
  kPause,   ///< no closure (and no exit) in that province in that phase
  kReopen,  ///< as kPause, and closed bases of the province may reopen (after the opening lead time)
};
std::string to_string(TriggerAction a);

/// How phases are cut when not listed.
enum class Alignment {
  kBudgetYear,  ///< boundaries every `phase_months` counted from July (phase_months divides 12)
  kStart,       ///< boundaries every `phase_months` from the plan's start
};

/// Future readiness from benchmark projections: the median month or the
/// 90% quantile (cautious).
enum class ProjectionRule { kMedian, kHigh };

/// Where demand points come from (as in the footprint model).
enum class PlanDemand { kLocalities, kAreas };
/// Where new bases may open.
enum class PlanCandidates { kNone, kDemand, kFile };

/// A field's position in the plan file, for messages raised after parsing
/// (when phases are known).
struct FieldLine {
  std::string field;
  int line = 0;
};

/// One phase as listed in the file.
struct PhaseRange {
  Month from, to;  ///< inclusive
};

/// A per-phase value: one number for every phase, or one per phase.
struct PerPhase {
  std::vector<std::int64_t> values;  ///< empty = not given
  FieldLine where;
  [[nodiscard]] bool given() const { return !values.empty(); }
};

struct PlanSpec {
  std::string file;  ///< as given (messages)
  std::string dir;   ///< folder of the file, for relative paths ("" = current)
  std::string id, name;

  // --- horizon and phases
  std::optional<Month> start;  ///< default: the month after the last data month
  FieldLine start_where;
  int horizon_months = 36;
  int phase_months = 6;
  Alignment align = Alignment::kBudgetYear;
  std::vector<PhaseRange> phases;  ///< explicit phases (contiguous); empty = cut from horizon and phase_months
  FieldLine phases_where;
  std::string level;  ///< exit level ("" = the framework's area level, else the default level)

  // --- ceilings (per phase)
  PerPhase troops, police, civilians;

  // --- exit policy
  Policy policy = Policy::kEndState;
  std::vector<std::string> stakeholders;  ///< "" = every stakeholder of the framework
  FieldLine stakeholders_where;
  int sustain_months = 6;
  std::vector<std::pair<std::string, Month>> exit_dates;  ///< province (id or name) -> exit month
  std::vector<FieldLine> exit_dates_where;                ///< parallel to exit_dates
  int max_delay_months = 12;
  std::optional<std::int64_t> framework_version;
  ProjectionRule projection = ProjectionRule::kMedian;

  // --- sites
  std::int64_t min_troops = 150;
  std::vector<std::pair<std::string, std::int64_t>> site_min_troops;  ///< site (key or name) -> minimum
  std::vector<int> lock_hq_codes{3};        ///< Geo-PKO HQ codes locked for the whole plan (3 = mission HQ)
  std::vector<int> until_exit_hq_codes{2};  ///< ... locked until their province exits (2 = sector HQ)
  std::vector<std::string> lock_sites, until_exit_sites, unlock_sites, forbid_sites;
  std::map<std::string, FieldLine> site_where;  ///< "sites.locks.sites[0]" ... -> position, for not-found messages
  int min_sites_per_province = 1;
  PerPhase max_closures;
  int close_lead_months = 0;
  int open_lead_months = 0;
  PlanCandidates candidates = PlanCandidates::kNone;
  std::string candidates_file;  ///< resolved against `dir`
  int candidate_limit = 50;

  // --- coverage
  PlanDemand demand = PlanDemand::kLocalities;
  std::string localities_file;  ///< resolved against `dir`
  FieldLine localities_where;
  double response_hours = 2;
  std::optional<double> mitigation_hours;  ///< default 2 x response_hours
  geo::ReachParams reach;
  double default_population = 1000;

  // --- threat
  int threat_samples = 200;
  std::uint64_t seed = 1;

  // --- reversal triggers
  bool red_alert = false;
  std::optional<double> threat_index_above;
  TriggerAction trigger_action = TriggerAction::kPause;

  // --- police and civilian substitution, per population left without troop coverage
  double ipo_per_100k = 10;       ///< individual police officers per 100,000 people
  double fpu_per_million = 0.5;   ///< formed police units per million people
  std::int64_t fpu_size = 140;    ///< officers in a formed police unit
  double civilians_per_100k = 2;  ///< civilian staff per 100,000 people

  // --- unit costs (planning assumptions; docs/plan.md)
  std::string currency = "USD";
  double troop_month = 1448;  ///< per person-month
  double police_month = 1448;
  double civilian_month = 12000;
  double base_month = 80000;      ///< per open base and month
  double closure_cost = 400000;   ///< per base closed
  double opening_cost = 1500000;  ///< per base opened
};

/// Parses and validates a plan file's text. Throws Error(kBadInput) naming
/// file, line and field ("plan.policy.dates.Kalemba") on the first problem.
PlanSpec parse_plan(const std::string& yaml_text, const std::string& file_name);

/// One phase of a plan.
struct Phase {
  Month from, to;  ///< inclusive
  [[nodiscard]] int months() const { return to.index() - from.index() + 1; }
  [[nodiscard]] std::string label() const;  ///< "2025-01..2025-06"
};

/// The UN peacekeeping budget year of a month: "2024/25" for 2024-07..2025-06.
std::string budget_year(Month m);

/// The phases of a plan starting at `start` (the file's start, else the
/// caller's default). Error(kBadInput) with file:line:field when listed
/// phases are not contiguous, a horizon is out of range, or alignment
/// cannot hold.
std::vector<Phase> make_phases(const PlanSpec& spec, Month start);

/// A per-phase value for `phases` phases (one value repeats); Error(kBadInput)
/// naming the field when the count differs.
std::vector<std::int64_t> per_phase(const PlanSpec& spec, const PerPhase& v, std::size_t phases);

}  // namespace endstate::plan
