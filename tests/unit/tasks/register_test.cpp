// The task register: parsing, and bad registers refused with file, line and
// field (unknown partner, unknown benchmark, negative cost, missing budget
// year, unknown and duplicate keys, dependency cycles with their path).
#include <gtest/gtest.h>

#include <string>

#include "endstate/core/error.hpp"
#include "endstate/tasks/register.hpp"

namespace endstate::tasks {
namespace {

const std::string kRegister = R"(register:
  id: test
  currency: USD
  budget_years: [2025/26, 2026/27]
  period_months: 6
  mission_budget: {2025/26: 3000, 2026/27: 3000}
  exits: {Alpha: 2026-07}
  partners:
    - id: unct
      name: "UN country team"
      kind: un_agency
      capacity: {2025/26: 1, 2026/27: 1}
      funding: {2025/26: 100, 2026/27: 600}
      contact: {name: "RC office", phone: "+000 1"}
  tasks:
    - id: t1
      area: protection_of_civilians
      tier: 1
      places: [Alpha]
      benchmarks: [b1]
      cost: {2025/26: 1200, 2026/27: 1200}
      handover:
        to: unct
        conditions: [b1]
        cost: {2025/26: 600, 2026/27: 600}
    - id: t2
      area: land
      tier: 2
      places: [Alpha]
      depends_on: [t1]
      cost: {2025/26: 2400, 2026/27: 2400}
  continuity:
    - territory: Alpha-North
      kind: alert_network
      run_by: mission
      taken_over_by: unct
      contact: {name: "Focal point", radio: "HF 7.1"}
)";

Position error_of(const std::string& text) {
  try {
    parse_register(text, "dir/tasks.yaml");
  } catch (const Error& e) {
    EXPECT_EQ(e.category(), ErrorCategory::kBadInput) << e.what();
    EXPECT_EQ(e.where().file, "dir/tasks.yaml");
    return e.where();
  }
  ADD_FAILURE() << "no error for:\n" << text;
  return {};
}

std::string message_of(const std::string& text) {
  try {
    parse_register(text, "dir/tasks.yaml");
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

/// kRegister with one piece of text replaced (which must be there).
std::string with(const std::string& from, const std::string& to) {
  std::string s = kRegister;
  const auto at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) s.replace(at, from.size(), to);
  return s;
}

TEST(TaskRegister, ParsesEveryPart) {
  const auto r = parse_register(kRegister, "dir/tasks.yaml");
  EXPECT_EQ(r.id, "test");
  ASSERT_EQ(r.years.size(), 2u);
  EXPECT_EQ(r.years[1].label(), "2026/27");
  ASSERT_EQ(r.partners.size(), 1u);
  EXPECT_EQ(r.partners[0].kind, PartnerKind::kUnAgency);
  EXPECT_DOUBLE_EQ(r.partners[0].funding[1], 600);
  EXPECT_EQ(r.partners[0].contact.phone, "+000 1");
  ASSERT_EQ(r.tasks.size(), 2u);
  EXPECT_EQ(r.tasks[0].handover.partner, "unct");
  EXPECT_DOUBLE_EQ(r.tasks[0].handover.cost[0], 600);
  EXPECT_EQ(r.tasks[1].area, MandateArea::kLand);
  EXPECT_EQ(r.tasks[1].depends_on, std::vector<std::string>{"t1"});
  EXPECT_TRUE(r.tasks[1].handover.partner.empty());
  ASSERT_EQ(r.exits.size(), 1u);
  EXPECT_EQ(r.exits[0].second.str(), "2026-07");
  ASSERT_EQ(r.continuity.size(), 1u);
  EXPECT_EQ(r.continuity[0].kind, ContinuityKind::kAlertNetwork);
  EXPECT_EQ(r.continuity[0].taken_over_by, "unct");
  EXPECT_EQ(r.continuity[0].contact.radio, "HF 7.1");
  EXPECT_DOUBLE_EQ(r.mission_budget[0], 3000);
}

TEST(TaskRegister, BudgetYears) {
  EXPECT_EQ(parse_budget_year("2025/26")->start, 2025);
  EXPECT_EQ(parse_budget_year("1999-00")->start, 1999);
  EXPECT_FALSE(parse_budget_year("2025/27"));
  EXPECT_FALSE(parse_budget_year("2025"));
  EXPECT_EQ(budget_year_of(*Month::parse("2026-06")).label(), "2025/26");
  EXPECT_EQ(budget_year_of(*Month::parse("2026-07")).label(), "2026/27");
  EXPECT_EQ(BudgetYear{2025}.first().str(), "2025-07");
  EXPECT_EQ(BudgetYear{2025}.last().str(), "2026-06");
}

TEST(TaskRegister, UnknownPartnerNamedWithLineAndField) {
  const auto w = error_of(with("        to: unct", "        to: unicef"));
  EXPECT_EQ(w.field, "register.tasks[0].handover.to");
  EXPECT_EQ(w.line, 23);
  EXPECT_NE(message_of(with("        to: unct", "        to: unicef")).find("unknown partner 'unicef'"),
            std::string::npos);
  const auto c = error_of(with("      run_by: mission", "      run_by: ngo"));
  EXPECT_EQ(c.field, "register.continuity[0].run_by");
  EXPECT_EQ(c.line, 35);
}

TEST(TaskRegister, NegativeCostRefused) {
  const auto w = error_of(with("cost: {2025/26: 2400,", "cost: {2025/26: -5,"));
  EXPECT_EQ(w.field, "register.tasks[1].cost.2025/26");
  EXPECT_EQ(w.line, 31);
  EXPECT_EQ(error_of(with("funding: {2025/26: 100,", "funding: {2025/26: -1,")).field,
            "register.partners[0].funding.2025/26");
}

TEST(TaskRegister, MissingBudgetYearRefused) {
  const auto w = error_of(with("cost: {2025/26: 2400, 2026/27: 2400}", "cost: {2025/26: 2400}"));
  EXPECT_EQ(w.field, "register.tasks[1].cost");
  EXPECT_EQ(w.line, 31);
  EXPECT_NE(message_of(with("cost: {2025/26: 2400, 2026/27: 2400}", "cost: {2025/26: 2400}"))
                .find("missing budget year 2026/27"),
            std::string::npos);
  EXPECT_EQ(error_of(with("capacity: {2025/26: 1, 2026/27: 1}", "capacity: {2026/27: 1}")).field,
            "register.partners[0].capacity");
  // a year not in the register
  EXPECT_EQ(
      error_of(with("cost: {2025/26: 2400, 2026/27: 2400}", "cost: {2025/26: 2400, 2026/27: 1, 2027/28: 1}")).field,
      "register.tasks[1].cost.2027/28");
}

TEST(TaskRegister, UnknownAndDuplicateKeysRefused) {
  const auto u = error_of(with("      tier: 2\n", "      tier: 2\n      priority: 1\n"));
  EXPECT_EQ(u.field, "register.tasks[1].priority");
  const auto d = error_of(with("      tier: 2\n", "      tier: 2\n      tier: 3\n"));
  EXPECT_EQ(d.field, "register.tasks[1].tier");
  EXPECT_EQ(d.line, 29);
  EXPECT_EQ(error_of(with("    - id: t2", "    - id: t1")).field, "register.tasks[1].id");
  EXPECT_EQ(error_of(kRegister + "---\nregister: {}\n").line, 38);  // the '---' that starts a second document
  EXPECT_EQ(error_of(with("area: land", "area: farming")).field, "register.tasks[1].area");
  EXPECT_EQ(error_of(with("kind: un_agency", "kind: donor")).field, "register.partners[0].kind");
  EXPECT_EQ(error_of(with("budget_years: [2025/26, 2026/27]", "budget_years: [2025/26, 2027/28]")).field,
            "register.budget_years[1]");
}

TEST(TaskRegister, UnknownDependencyRefused) {
  const auto w = error_of(with("depends_on: [t1]", "depends_on: [t9]"));
  EXPECT_EQ(w.field, "register.tasks[1].depends_on[0]");
  EXPECT_EQ(w.line, 30);
}

TEST(TaskRegister, CycleRejectedWithItsPath) {
  std::string text = with("      benchmarks: [b1]\n", "      benchmarks: [b1]\n      depends_on: [t3]\n");
  const auto at = text.find("  continuity:");
  text.insert(at,
              "    - id: t3\n      area: justice\n      tier: 2\n      places: [Alpha]\n      depends_on: [t2]\n"
              "      cost: {2025/26: 1, 2026/27: 1}\n");
  try {
    parse_register(text, "dir/tasks.yaml");
    FAIL() << "cycle accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.category(), ErrorCategory::kBadInput);
    EXPECT_EQ(e.where().field, "register.tasks[0].depends_on");
    EXPECT_EQ(e.where().line, 21);
    EXPECT_NE(std::string(e.what()).find("dependency cycle: t1 -> t3 -> t2 -> t1"), std::string::npos) << e.what();
  }
}

TEST(TaskRegister, FindCycle) {
  EXPECT_TRUE(find_cycle({{}, {0}, {0, 1}}).empty());
  EXPECT_EQ(find_cycle({{1}, {2}, {0}}), (std::vector<std::size_t>{0, 1, 2, 0}));
  EXPECT_EQ(find_cycle({{}, {2}, {3}, {1}}), (std::vector<std::size_t>{1, 2, 3, 1}));
  EXPECT_EQ(find_cycle({{0}}), (std::vector<std::size_t>{0, 0}));
}

TEST(TaskRegister, UnknownBenchmarkNamedWithLineAndField) {
  const auto r = parse_register(kRegister, "dir/tasks.yaml");
  EXPECT_NO_THROW(check_benchmarks(r, {"b1", "b2"}, "framework version 1"));
  try {
    check_benchmarks(r, {"b2"}, "framework version 1");
    FAIL() << "unknown benchmark accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.category(), ErrorCategory::kBadInput);
    EXPECT_EQ(e.where().file, "dir/tasks.yaml");
    EXPECT_EQ(e.where().field, "register.tasks[0].benchmarks[0]");
    EXPECT_EQ(e.where().line, 20);
    EXPECT_NE(std::string(e.what()).find("unknown benchmark 'b1'"), std::string::npos);
  }
}

TEST(TaskRegister, EndsWithMissionIsNotHandedOver) {
  const auto w = error_of(with("      tier: 1\n", "      tier: 1\n      ends_with_mission: true\n"));
  EXPECT_EQ(w.field, "register.tasks[0].handover");
}

}  // namespace
}  // namespace endstate::tasks
