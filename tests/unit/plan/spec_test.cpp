// The plan file: parsing, defaults, phases aligned to the UN budget year, and
// errors naming file, line and field.
#include <gtest/gtest.h>

#include <string>

#include "endstate/core/error.hpp"
#include "endstate/plan/spec.hpp"

namespace endstate::plan {
namespace {

const char* kMinimal = R"(plan:
  id: test
  ceilings:
    troops: [3000, 2500, 2000]
  policy:
    kind: end-state
    stakeholders: [government, un]
  coverage:
    localities: localities.csv
)";

Month m(const char* s) { return *Month::parse(s); }

/// The position of the error `text` raises.
Position error_of(const std::string& text) {
  try {
    parse_plan(text, "dir/plan.yaml");
  } catch (const Error& e) {
    EXPECT_EQ(e.category(), ErrorCategory::kBadInput) << e.what();
    return e.where();
  }
  ADD_FAILURE() << "no error for:\n" << text;
  return {};
}

TEST(PlanSpec, MinimalFileGetsTheDocumentedDefaults) {
  const auto s = parse_plan(kMinimal, "dir/plan.yaml");
  EXPECT_EQ(s.id, "test");
  EXPECT_EQ(s.policy, Policy::kEndState);
  EXPECT_EQ(s.stakeholders, (std::vector<std::string>{"government", "un"}));
  EXPECT_EQ(s.sustain_months, 6);
  EXPECT_EQ(s.phase_months, 6);
  EXPECT_EQ(s.horizon_months, 36);
  EXPECT_EQ(s.lock_hq_codes, std::vector<int>{3});
  EXPECT_EQ(s.until_exit_hq_codes, std::vector<int>{2});
  EXPECT_EQ(s.min_troops, 150);
  EXPECT_EQ(s.localities_file, "dir/localities.csv") << "paths are relative to the plan file";
  EXPECT_EQ(s.troops.values, (std::vector<std::int64_t>{3000, 2500, 2000}));
  EXPECT_FALSE(s.police.given());
}

TEST(PlanSpec, PhasesFollowTheBudgetYear) {
  auto s = parse_plan(kMinimal, "p.yaml");
  // a start in March: the first phase runs to June, then July-December, January-June
  auto ph = make_phases(s, m("2025-03"));
  ASSERT_EQ(ph.size(), 7u);  // 36 months: 4 + 6 x 5 + 2
  EXPECT_EQ(ph[0].from, m("2025-03"));
  EXPECT_EQ(ph[0].to, m("2025-06"));
  EXPECT_EQ(ph[1].from, m("2025-07"));
  EXPECT_EQ(ph[1].to, m("2025-12"));
  EXPECT_EQ(ph.back().to, m("2028-02"));
  for (std::size_t k = 1; k < ph.size(); ++k) EXPECT_EQ(ph[k].from, ph[k - 1].to.plus(1));
  EXPECT_EQ(budget_year(m("2025-06")), "2024/25");
  EXPECT_EQ(budget_year(m("2025-07")), "2025/26");
  EXPECT_EQ(budget_year(m("2099-12")), "2099/00");
  // aligned start: 6 phases of 6 months
  ph = make_phases(s, m("2025-01"));
  ASSERT_EQ(ph.size(), 6u);
  EXPECT_EQ(ph[0].label(), "2025-01..2025-06");
  // align: start cuts from the start
  s.align = Alignment::kStart;
  ph = make_phases(s, m("2025-03"));
  ASSERT_EQ(ph.size(), 6u);
  EXPECT_EQ(ph[0].to, m("2025-08"));
}

TEST(PlanSpec, PerPhaseValuesMustMatchThePhases) {
  const auto s = parse_plan(kMinimal, "p.yaml");
  EXPECT_EQ(per_phase(s, s.troops, 3), (std::vector<std::int64_t>{3000, 2500, 2000}));
  try {
    per_phase(s, s.troops, 6);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.where().field, "plan.ceilings.troops");
    EXPECT_EQ(e.where().line, 4);
    EXPECT_NE(std::string(e.what()).find("3 values for 6 phases"), std::string::npos) << e.what();
  }
}

TEST(PlanSpec, EndDateAndHybridPolicies) {
  const auto s = parse_plan(R"(plan:
  id: d
  ceilings: {troops: 1000}
  policy:
    kind: hybrid
    dates: {Kalemba: 2026-07, Tembeli: 2027-01}
    max_delay_months: 6
  coverage: {demand: areas}
  sites:
    lead_time_months: {close: 3, open: 6}
    max_closures_per_phase: 2
    locks: {hq_codes: [3], until_exit_hq_codes: [], unlock: [Akefunyo]}
  triggers: {red_alert: true, threat_index_above: 4.5, action: reopen}
)",
                            "p.yaml");
  EXPECT_EQ(s.policy, Policy::kHybrid);
  ASSERT_EQ(s.exit_dates.size(), 2u);
  EXPECT_EQ(s.exit_dates[1].first, "Tembeli");
  EXPECT_EQ(s.exit_dates[1].second, m("2027-01"));
  EXPECT_EQ(s.max_delay_months, 6);
  EXPECT_EQ(s.close_lead_months, 3);
  EXPECT_EQ(s.open_lead_months, 6);
  EXPECT_TRUE(s.until_exit_hq_codes.empty());
  EXPECT_EQ(s.unlock_sites, std::vector<std::string>{"Akefunyo"});
  EXPECT_TRUE(s.red_alert);
  EXPECT_EQ(*s.threat_index_above, 4.5);
  EXPECT_EQ(s.trigger_action, TriggerAction::kReopen);
  EXPECT_EQ(s.demand, PlanDemand::kAreas);
}

TEST(PlanSpec, ErrorsNameLineAndField) {
  // unknown key
  auto w = error_of(std::string(kMinimal) + "  colour: blue\n");
  EXPECT_EQ(w.file, "dir/plan.yaml");
  EXPECT_EQ(w.line, 10);
  EXPECT_EQ(w.field, "plan.colour");
  // duplicate key (yaml-cpp would silently read the first)
  w = error_of(R"(plan:
  id: a
  ceilings:
    troops: 100
    troops: 200
  policy: {kind: end-state}
  coverage: {demand: areas}
)");
  EXPECT_EQ(w.line, 5);
  EXPECT_EQ(w.field, "plan.ceilings.troops");
  // a second document
  w = error_of(std::string(kMinimal) + "---\nplan: {id: b}\n");
  EXPECT_EQ(w.line, 10);  // the '---' that starts it
  // bad policy
  w = error_of(R"(plan:
  id: a
  ceilings: {troops: 100}
  policy:
    kind: sometime
  coverage: {demand: areas}
)");
  EXPECT_EQ(w.line, 5);
  EXPECT_EQ(w.field, "plan.policy.kind");
  // end-date without dates
  w = error_of(R"(plan:
  id: a
  ceilings: {troops: 100}
  policy: {kind: end-date}
  coverage: {demand: areas}
)");
  EXPECT_EQ(w.field, "plan.policy.dates");
  // a bad month
  w = error_of(R"(plan:
  id: a
  ceilings: {troops: 100}
  policy:
    kind: end-date
    dates: {Kalemba: 2026-13}
  coverage: {demand: areas}
)");
  EXPECT_EQ(w.line, 6);
  EXPECT_EQ(w.field, "plan.policy.dates.Kalemba");
  // a negative ceiling inside a list
  w = error_of(R"(plan:
  id: a
  ceilings: {troops: [100, -5]}
  policy: {kind: end-state}
  coverage: {demand: areas}
)");
  EXPECT_EQ(w.field, "plan.ceilings.troops[1]");
  // phases that leave a gap
  w = error_of(R"(plan:
  id: a
  phases:
    - {from: 2025-01, to: 2025-06}
    - {from: 2025-08, to: 2025-12}
  ceilings: {troops: 100}
  policy: {kind: end-state}
  coverage: {demand: areas}
)");
  EXPECT_EQ(w.line, 5);
  EXPECT_EQ(w.field, "plan.phases[1].from");
  // budget-year alignment needs a divisor of 12
  w = error_of(R"(plan:
  id: a
  phase_months: 5
  ceilings: {troops: 100}
  policy: {kind: end-state}
  coverage: {demand: areas}
)");
  EXPECT_EQ(w.field, "plan.phase_months");
  // localities demand needs its file; a missing 'plan:' is named
  w = error_of(
      "plan:\n  id: a\n  ceilings: {troops: 1}\n  policy: {kind: end-state}\n  coverage: {response_hours: 2}\n");
  EXPECT_EQ(w.field, "plan.coverage.localities");
  w = error_of("planning: {}\n");
  EXPECT_EQ(w.field, "plan");
  // YAML syntax
  w = error_of("plan:\n  id: [a\n");
  EXPECT_GT(w.line, 0);
}

}  // namespace
}  // namespace endstate::plan
