#pragma once
// The task register: the mission's mandated tasks (mandate area, priority
// tier, where each runs, dependencies, the benchmarks it serves, resources and
// cost per UN budget year), the partners that take them over (UN country team
// agencies, ministries, local government, civil society) with their capacity
// and secured funding per budget year, and the continuity-of-protection
// register (local protection committees, community alert networks, human
// rights monitoring per territory, with who runs each, until when, who takes
// over, and whom to contact). YAML, validated like the plan file and the
// benchmark framework: file, line and field on the first problem; unknown keys,
// duplicate keys and extra documents refused. docs/tasks.md documents every
// field.
//
// The UN peacekeeping budget year runs 1 July - 30 June (General Assembly,
// Fifth Committee), so costs, capacities and funding are given per budget year
// ("2025/26").

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "endstate/core/types.hpp"

namespace endstate::tasks {

/// Mandate areas (Security Council mandates of multidimensional operations).
enum class MandateArea {
  kProtectionOfCivilians,
  kStabilisation,  ///< stabilisation and state authority
  kGoodOffices,
  kHumanRights,  ///< human rights monitoring
  kDdr,
  kSsr,  ///< security sector reform
  kJustice,
  kElections,
  kNaturalResources,
  kLand,
  kGender,  ///< gender and gender-based violence
  kLocalGovernance,
  kDisputeResolution,    ///< local dispute resolution
  kCommunityProtection,  ///< community alert networks and local protection committees
  kPublicInformation,
  kMissionSupport,
};
/// "protection_of_civilians", "stabilisation", ...
std::string to_string(MandateArea a);
std::optional<MandateArea> parse_mandate_area(const std::string& s);
/// Every area name, comma-separated (messages, docs).
std::string mandate_area_names();

/// Who a partner is.
enum class PartnerKind { kUnAgency, kMinistry, kLocalGovernment, kCivilSociety };
/// "un_agency", "ministry", "local_government", "civil_society".
std::string to_string(PartnerKind k);

/// Continuity-of-protection mechanisms.
enum class ContinuityKind { kProtectionCommittee, kAlertNetwork, kHumanRightsMonitoring };
/// "protection_committee", "alert_network", "human_rights_monitoring".
std::string to_string(ContinuityKind k);

/// A UN peacekeeping budget year, July of `start` to June of `start` + 1.
struct BudgetYear {
  int start = 0;
  [[nodiscard]] std::string label() const;  ///< "2025/26"
  [[nodiscard]] Month first() const { return Month::from_index(start * 12 + 6); }
  [[nodiscard]] Month last() const { return Month::from_index(start * 12 + 17); }
  [[nodiscard]] bool contains(Month m) const { return m >= first() && m <= last(); }
  friend bool operator==(BudgetYear a, BudgetYear b) { return a.start == b.start; }
};
/// "2025/26" (also "2025-26"); nullopt when malformed or the years do not follow.
std::optional<BudgetYear> parse_budget_year(const std::string& s);
/// The budget year holding `m`.
BudgetYear budget_year_of(Month m);

/// A field's position in the register file (for checks made after parsing).
struct Where {
  std::string field;
  int line = 0;
};

/// Whom to reach about a task or a mechanism (public notices read these).
struct Contact {
  std::string name, role, phone, radio, email;
  [[nodiscard]] bool empty() const {
    return name.empty() && role.empty() && phone.empty() && radio.empty() && email.empty();
  }
};

struct Partner {
  std::string id, name;
  PartnerKind kind = PartnerKind::kUnAgency;
  std::vector<double> capacity;  ///< [budget year] handover load it can take on (task-places, weighted by load)
  std::vector<double> funding;   ///< [budget year] secured funding for what it takes over
  Contact contact;
  Where where;
};

/// Personnel a task needs in each place it runs.
struct Resources {
  std::int64_t troops = 0, police = 0, civilians = 0;
};

struct Handover {
  std::string partner;                  ///< partner id; "" = none named (at risk)
  std::vector<std::string> conditions;  ///< benchmark ids met before the handover
  double load = 1;                      ///< capacity units one place of the task takes at the partner
  std::vector<double> cost;             ///< [budget year] the partner's cost per place; empty = the task's cost
  Where partner_where;
  std::vector<Where> conditions_where;  ///< parallel to conditions
};

struct Task {
  std::string id, name;
  MandateArea area = MandateArea::kProtectionOfCivilians;
  int tier = 1;                     ///< mandated priority, 1 = highest
  std::vector<std::string> places;  ///< provinces or territories (id or name) where it runs
  std::vector<Where> places_where;
  std::vector<std::string> depends_on;  ///< task ids in place (handed over) before this one
  std::vector<std::string> benchmarks;  ///< benchmark ids it serves
  std::vector<Where> benchmarks_where;
  Resources resources;             ///< per place
  std::vector<double> cost;        ///< [budget year] the mission's cost per place
  bool ends_with_mission = false;  ///< ends when the mission leaves instead of being handed over
  Handover handover;
  Contact contact;
  Where where;
};

/// One protection mechanism in one territory.
struct Continuity {
  std::string territory;  ///< area id or name
  ContinuityKind kind = ContinuityKind::kProtectionCommittee;
  std::string name;
  std::string run_by = "mission";  ///< "mission" or a partner id
  std::optional<Month> until;      ///< last month it is funded or mandated (none = open-ended)
  std::string taken_over_by;       ///< partner id (or "mission") that continues it after; "" = none
  Contact contact;
  Where where;
};

struct Register {
  std::string file;
  std::string id, name;
  std::string currency = "USD";
  std::vector<BudgetYear> years;                     ///< consecutive
  int period_months = 6;                             ///< scheduling period (divides 12; periods start in July)
  std::vector<double> mission_budget;                ///< [budget year]; empty = not given
  std::vector<std::pair<std::string, Month>> exits;  ///< province -> exit month (first month without the mission)
  std::vector<Where> exits_where;
  std::vector<Partner> partners;
  std::vector<Task> tasks;
  std::vector<Continuity> continuity;

  [[nodiscard]] std::optional<std::size_t> partner_index(const std::string& id) const;
  [[nodiscard]] std::optional<std::size_t> task_index(const std::string& id) const;
};

/// Parses and validates a register's text: types and ranges, unknown keys,
/// duplicate keys and ids, every budget year given for every cost, capacity
/// and funding, no negative amount, partners and dependencies known,
/// dependencies acyclic (a cycle is reported with its path). Throws
/// Error(kBadInput) naming file, line and field.
Register parse_register(const std::string& yaml_text, const std::string& file_name);

/// A dependency cycle as a path of task ids ("a", "b", "a"); empty when the
/// graph is acyclic. `depends[i]` lists the indexes task i depends on.
std::vector<std::size_t> find_cycle(const std::vector<std::vector<std::size_t>>& depends);

/// Checks every benchmark id (served and handover conditions) against
/// `known`; Error(kBadInput) with file:line:field naming `source` otherwise.
void check_benchmarks(const Register& r, const std::vector<std::string>& known, const std::string& source);

}  // namespace endstate::tasks
