// The analysis of a register: sequence, handovers before each exit, at-risk
// reasons, the shortfall per budget year checked by hand, and the
// territories left without protection after each phase.
#include <gtest/gtest.h>

#include "endstate/core/error.hpp"
#include "endstate/tasks/analysis.hpp"

namespace endstate::tasks {
namespace {

namespace fp = endstate::footprint;
Month m(const char* s) { return *Month::parse(s); }

// Periods: P0 2025-07..12, P1 2026-01..06, P2 2026-07..12, P3 2027-01..06.
// Alpha exits 2026-07; Beta stays.
const std::string kSmall = R"(register:
  id: small
  budget_years: [2025/26, 2026/27]
  mission_budget: {2025/26: 3000, 2026/27: 3000}
  partners:
    - id: unct
      kind: un_agency
      capacity: {2025/26: 1, 2026/27: 1}
      funding: {2025/26: 100, 2026/27: FUNDING}
    - id: ngo
      kind: civil_society
      capacity: {2025/26: 0, 2026/27: 0}
      funding: {2025/26: 0, 2026/27: 0}
  tasks:
    - id: t1
      area: protection_of_civilians
      tier: 1
      places: [Alpha]
      benchmarks: [b1]
      cost: {2025/26: 1200, 2026/27: 1200}
      handover: {to: unct, conditions: [b1], cost: {2025/26: 600, 2026/27: 600}}
    - id: t2
      area: land
      tier: 2
      places: [Alpha]
      cost: {2025/26: 2400, 2026/27: 2400}
    - id: t3
      area: human_rights
      tier: 1
      places: [Beta]
      cost: {2025/26: 120, 2026/27: 120}
      handover: {to: unct}
  continuity:
    - {territory: A1, kind: alert_network, run_by: mission}
    - {territory: A2, kind: protection_committee, run_by: ngo, until: 2026-03}
    - {territory: B1, kind: human_rights_monitoring, run_by: mission}
)";

Register small(int funding_second_year) {
  std::string s = kSmall;
  s.replace(s.find("FUNDING"), 7, std::to_string(funding_second_year));
  return parse_register(s, "small.yaml");
}

Context context_of(const Register& r) {
  Context c;
  c.provinces = {{"pa", "Alpha", m("2026-07")}, {"pb", "Beta", std::nullopt}};
  for (const auto& t : r.tasks) {
    std::vector<Place> places;
    for (const auto& p : t.places) places.push_back({p == "Alpha" ? "pa" : "pb", p, p == "Alpha" ? 0 : 1});
    c.task_places.push_back(places);
  }
  c.territories = {{"A1", "A1", 0}, {"A2", "A2", 0}, {"B1", "B1", 1}};
  for (const auto& e : r.continuity) {
    for (const auto& t : c.territories)
      if (t.id == e.territory) c.continuity_places.push_back(t);
  }
  c.met_now = {{"b1", {0, 0}}};
  c.met_from = {{"b1", {std::nullopt, std::nullopt}}};
  return c;
}

TEST(TasksAnalysis, ShortfallByHandWhenTheHandoverFits) {
  const auto r = small(600);
  auto c = context_of(r);
  c.met_from = {{"b1", {m("2025-07"), std::nullopt}}};
  c.plan_cost = {1000, 500};
  for (auto kind : {fp::SolverKind::kExact, fp::SolverKind::kHeuristic}) {
    ScheduleOptions o;
    o.solver = kind;
    const auto a = analyse(r, c, o);
    ASSERT_EQ(a.periods.size(), 4u);
    ASSERT_EQ(a.items.size(), 3u);
    // sequence: tier 1 first (t1 has a benchmark gap of 1, t3 none), then t2
    EXPECT_EQ(r.tasks[a.sequence[0].task].id, "t1");
    EXPECT_EQ(a.sequence[0].gap, 1);
    EXPECT_EQ(r.tasks[a.sequence[1].task].id, "t3");
    EXPECT_EQ(r.tasks[a.sequence[2].task].id, "t2");
    // t1@Alpha: handing over in P0 would cost unct 300 in 2025/26 (funding 100);
    // in P1 it costs 600 in 2026/27 (funding 600): handed over in P1, unct runs it from 2026-07
    const auto& t1 = a.items[0];
    EXPECT_EQ(t1.status, ItemStatus::kHandedOver);
    EXPECT_EQ(t1.period, 1);
    EXPECT_EQ(t1.handover->str(), "2026-07");
    EXPECT_TRUE(t1.risks.empty());
    const auto& t3 = a.items[1];
    EXPECT_EQ(t3.status, ItemStatus::kContinues);
    const auto& t2 = a.items[2];
    EXPECT_EQ(t2.status, ItemStatus::kAtRisk);
    ASSERT_EQ(t2.risks.size(), 1u);
    EXPECT_EQ(t2.risks[0].kind, RiskKind::kNoPartner);
    // by hand: mission 2025/26 = t1 1200 (12 months) + t2 2400 + t3 120 = 3720; 2026/27 = t3 120
    ASSERT_EQ(a.shortfall.size(), 2u);
    EXPECT_DOUBLE_EQ(a.shortfall[0].mission_tasks, 3720);
    EXPECT_DOUBLE_EQ(a.shortfall[1].mission_tasks, 120);
    EXPECT_DOUBLE_EQ(*a.shortfall[0].plan_cost, 1000);
    EXPECT_DOUBLE_EQ(a.shortfall[0].mission_total, 4720);
    EXPECT_DOUBLE_EQ(*a.shortfall[0].mission_shortfall, 1720);
    EXPECT_DOUBLE_EQ(*a.shortfall[1].mission_shortfall, 0);  // 620 < 3000
    // partners: unct runs t1 in 2026/27 at 600, funded 600; t2 has nobody: 2400 in 2026/27
    EXPECT_DOUBLE_EQ(a.shortfall[0].partner_demand, 0);
    EXPECT_DOUBLE_EQ(a.shortfall[1].partner_demand, 600);
    EXPECT_DOUBLE_EQ(a.shortfall[1].partner_funding, 600);
    EXPECT_DOUBLE_EQ(a.shortfall[1].partner_gap, 0);
    EXPECT_DOUBLE_EQ(a.shortfall[1].no_partner, 2400);
    EXPECT_DOUBLE_EQ(a.shortfall[1].continuing, 3000);
    EXPECT_DOUBLE_EQ(a.shortfall[0].shortfall, 0);
    EXPECT_DOUBLE_EQ(a.shortfall[1].shortfall, 2400);
    EXPECT_TRUE(violations(a.problem, a.schedule.period).empty());
  }
}

TEST(TasksAnalysis, ShortfallByHandWhenFundingFallsShort) {
  const auto r = small(300);
  auto c = context_of(r);
  c.met_from = {{"b1", {m("2025-07"), std::nullopt}}};
  const auto a = analyse(r, c, {});
  const auto& t1 = a.items[0];
  // P0 needs 300 of unct's 100 in 2025/26, P1 needs 600 of its 300 in 2026/27: not scheduled,
  // forced on unct at the exit (2026-07)
  EXPECT_EQ(t1.status, ItemStatus::kAtRisk);
  ASSERT_FALSE(t1.risks.empty());
  EXPECT_EQ(t1.risks[0].kind, RiskKind::kPartnerFunding);
  EXPECT_EQ(t1.handover->str(), "2026-07");
  EXPECT_DOUBLE_EQ(a.shortfall[1].partner_demand, 600);
  EXPECT_DOUBLE_EQ(a.shortfall[1].partner_gap, 300);
  EXPECT_DOUBLE_EQ(a.shortfall[1].shortfall, 300 + 2400);
  EXPECT_DOUBLE_EQ(a.shortfall[0].mission_tasks, 3720);
  EXPECT_FALSE(a.shortfall[0].plan_cost);
  // one partner's surplus does not pay for another's deficit: unct 2026/27 gap only
  for (const auto& py : a.partner_years) {
    if (r.partners[py.partner].id == "unct" && py.year == 1) EXPECT_DOUBLE_EQ(py.gap, 300);
    if (r.partners[py.partner].id == "ngo") EXPECT_DOUBLE_EQ(py.gap, 0);
  }
}

TEST(TasksAnalysis, ConditionsNotMetBeforeTheExitAreAtRisk) {
  const auto r = small(600);
  auto c = context_of(r);
  c.met_from = {{"b1", {m("2026-09"), std::nullopt}}};  // after the exit
  const auto a = analyse(r, c, {});
  const auto& t1 = a.items[0];
  EXPECT_EQ(t1.status, ItemStatus::kHandedOver);  // it must still go before the exit
  EXPECT_FALSE(t1.conditions_ok);
  ASSERT_EQ(t1.risks.size(), 1u);
  EXPECT_EQ(t1.risks[0].kind, RiskKind::kConditionsNotMet);
}

TEST(TasksAnalysis, ConditionsDelayTheHandover) {
  auto r = small(100000);
  auto c = context_of(r);
  c.met_from = {{"b1", {m("2026-01"), std::nullopt}}};
  const auto a = analyse(r, c, {});
  EXPECT_EQ(a.items[0].earliest, 1);
  EXPECT_EQ(a.items[0].period, 1);
  EXPECT_TRUE(a.items[0].conditions_ok);
}

TEST(TasksAnalysis, NoHandoverAfterItsProvincesExit) {
  // many tasks, tight exits: every handed-over item's period ends before its exit
  auto r = small(1000000);
  r.partners[0].capacity = {50, 50};
  for (int k = 0; k < 12; ++k) {
    Task t = r.tasks[0];
    t.id = "x" + std::to_string(k);
    t.tier = 1 + k % 3;
    t.handover.conditions.clear();
    t.handover.conditions_where.clear();
    r.tasks.push_back(t);
  }
  auto c = context_of(r);
  for (auto exit : {"2025-08", "2026-01", "2026-04", "2027-06"}) {
    c.provinces[0].exit = m(exit);
    const auto a = analyse(r, c, {});
    for (const auto& it : a.items) {
      if (it.status != ItemStatus::kHandedOver) continue;
      EXPECT_LT(a.periods[static_cast<std::size_t>(it.period)].to, *it.exit) << exit;
      EXPECT_LE(*it.handover, *it.exit);
    }
    if (std::string(exit) == "2025-08") {
      EXPECT_EQ(a.items[0].status, ItemStatus::kAtRisk);
      EXPECT_EQ(a.items[0].risks[0].kind, RiskKind::kNoTime);
    }
    EXPECT_TRUE(violations(a.problem, a.schedule.period).empty());
  }
}

TEST(TasksAnalysis, TerritoriesLeftWithoutProtectionAfterEachPhase) {
  auto r = small(600);
  auto c = context_of(r);
  auto a = analyse(r, c, {});
  ASSERT_EQ(a.without.size(), 4u);
  // P0: all three run; P1 (ends 2026-06): A2's committee ended 2026-03; P2: the mission left Alpha
  EXPECT_TRUE(a.without[0].empty());
  EXPECT_EQ(a.without[1], std::vector<std::size_t>{1});
  EXPECT_EQ(a.without[2], (std::vector<std::size_t>{0, 1}));
  EXPECT_EQ(a.continuity[0].phases[0].status(), "mission_only");
  EXPECT_EQ(a.continuity[1].phases[0].status(), "covered");
  EXPECT_EQ(a.continuity[0].first_without, 2);
  EXPECT_EQ(a.continuity[2].first_without, -1);
  // the alert network taken over by unct keeps A1 covered after the exit
  r.continuity[0].taken_over_by = "unct";
  a = analyse(r, c, {});
  EXPECT_EQ(a.without[2], std::vector<std::size_t>{1});
  EXPECT_EQ(a.continuity[0].phases[2].status(), "covered");
  // a plan's phases replace the periods
  c.phases = {{m("2025-07"), m("2026-12"), "phase 1"}};
  a = analyse(r, c, {});
  ASSERT_EQ(a.without.size(), 1u);
  EXPECT_EQ(a.phases[0].label, "phase 1");
}

TEST(TasksAnalysis, DependencyHoldsPerProvince) {
  auto r = small(1000000);
  r.partners[0].capacity = {5, 5};
  r.tasks[1].handover.partner = "unct";  // t2 depends on nothing yet
  r.tasks[1].depends_on = {"t1"};
  auto c = context_of(r);
  c.met_from = {{"b1", {m("2026-01"), std::nullopt}}};  // t1 not before P1
  const auto a = analyse(r, c, {});
  EXPECT_EQ(a.items[0].period, 1);
  const auto& t2 = a.items[2];
  EXPECT_EQ(r.tasks[t2.task].id, "t2");
  EXPECT_GE(t2.period, 1);  // not before t1
  ASSERT_EQ(a.problem.precedes.size(), 1u);
}

}  // namespace
}  // namespace endstate::tasks
