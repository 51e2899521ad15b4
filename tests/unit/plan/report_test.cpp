// What a plan implies: troops per base, closures with the localities they
// leave and their mitigation (air only from bases with aviation, within the
// helicopter's reach), police and civilians sized in people, cost per UN
// budget year.
#include <gtest/gtest.h>

#include "endstate/plan/report.hpp"

namespace endstate::plan {
namespace {

struct Fixture {
  PlanProblem p;
  ReportInput in;
  PlanSpec spec;
};

/// Three bases on a line along the equator: s0 at 0.0 (closes in phase 1),
/// s1 at 0.3 (no aviation, 33 km from the lost locality), s2 at 2.0 (with
/// aviation, 222 km away: 1 + 222/180 = 2.2 h by air). Locality 0 is only
/// s0's; locality 1 only s2's.
Fixture make() {
  Fixture f;
  auto& p = f.p;
  p.phase_labels = {"2025-01", "2025-07"};
  p.phase_offset = {0, 6};
  p.provinces = {"A"};
  p.coverage.demand_count = 2;
  p.coverage.points = {{0}, {}, {1}};
  p.coverage.hours = {{0.5f}, {}, {0.5f}};
  for (int j = 0; j < 3; ++j) {
    PlanSite s;
    s.id = "s" + std::to_string(j);
    s.province = 0;
    s.existing = true;
    s.troops = 100;
    p.sites.push_back(s);
  }
  p.weights = {{4, 1}, {4, 1}};
  p.exit_phase = {-1};
  p.troop_ceiling = {1000, 500};
  f.in.phases = {{*Month::parse("2025-01"), *Month::parse("2025-06")},
                 {*Month::parse("2025-07"), *Month::parse("2025-12")}};
  f.in.population = {200000, 50000};
  f.in.point_province = {0, 0};
  f.in.point_where = {{0, 0.0}, {0, 2.0}};
  f.in.site_where = {{0, 0.0}, {0, 0.3}, {0, 2.0}};
  f.in.site_has_air = {0, 0, 1};
  f.in.mitigation_hours = 3;
  f.spec.ipo_per_100k = 10;
  f.spec.fpu_per_million = 1;
  f.spec.fpu_size = 140;
  f.spec.civilians_per_100k = 5;
  f.in.spec = &f.spec;
  return f;
}

TEST(PlanReport, AirMitigationOnlyFromBasesWithAviation) {
  auto f = make();
  const OpenPlan open = {{1, 1, 1}, {0, 1, 1}};
  auto r = report(f.p, open, f.in);
  ASSERT_EQ(r.closures.size(), 1u);
  const auto& c = r.closures[0];
  EXPECT_EQ(c.site, 0u);
  EXPECT_EQ(c.phase, 1u);
  ASSERT_EQ(c.lost.size(), 1u);
  EXPECT_EQ(c.lost[0].point, 0u);
  EXPECT_EQ(c.lost[0].mitigation, "air");
  ASSERT_TRUE(c.lost[0].air_site.has_value());
  EXPECT_EQ(*c.lost[0].air_site, 2u) << "not the nearer base without helicopters";
  EXPECT_EQ(c.police, 0);
  // without the aviation base open, the nearer base without helicopters does not count
  const OpenPlan open2 = {{1, 1, 1}, {0, 1, 0}};
  r = report(f.p, open2, f.in);
  ASSERT_EQ(r.closures.size(), 2u);
  ASSERT_EQ(r.closures[0].lost.size(), 1u);
  EXPECT_EQ(r.closures[0].lost[0].mitigation, "police_and_civilians");
  EXPECT_FALSE(r.closures[0].lost[0].air_site.has_value());
  // 200,000 people: 20 officers, 10 civilians for that closure
  EXPECT_EQ(r.closures[0].police, 20);
  EXPECT_EQ(r.closures[0].civilians, 10);
  // a window too short for the helicopter
  f.in.mitigation_hours = 2;
  r = report(f.p, open, f.in);
  EXPECT_EQ(r.closures[0].lost[0].mitigation, "police_and_civilians");
}

TEST(PlanReport, TroopsFillTheCeilingAndPoliceAreSizedInPeople) {
  auto f = make();
  const OpenPlan open = {{1, 1, 1}, {0, 1, 0}};
  f.in.police_ceiling = {1000, 100};
  const auto r = report(f.p, open, f.in);
  // phase 0: three bases share 1000 troops; 100 each, the rest by covered weight
  EXPECT_EQ(r.phases[0].troops_total, 1000);
  EXPECT_GT(r.phases[0].troops[0], r.phases[0].troops[2]);
  EXPECT_EQ(r.phases[0].troops[1], 100) << "a base that covers nothing keeps its minimum";
  EXPECT_EQ(r.phases[1].troops_total, 500);
  EXPECT_EQ(r.phases[1].closed, 2);
  // phase 1: 250,000 people lost (no aviation open): 25 officers + 1 formed unit of 140
  EXPECT_DOUBLE_EQ(r.phases[1].population_lost, 250000);
  EXPECT_EQ(r.phases[1].ipo, 25);
  EXPECT_EQ(r.phases[1].fpu, 1);
  EXPECT_EQ(r.phases[1].police_needed, 165);
  EXPECT_EQ(r.phases[1].police, 100) << "capped by the police ceiling";
  EXPECT_EQ(r.phases[1].police_shortfall, 65);
  EXPECT_EQ(r.phases[1].civilians_needed, 13);
  EXPECT_DOUBLE_EQ(r.phases[1].gap, 5);
  EXPECT_DOUBLE_EQ(r.phases[1].covered, 0);
  // costs: both phases in different budget years
  ASSERT_EQ(r.costs.size(), 2u);
  EXPECT_EQ(r.costs[0].year, "2024/25");
  EXPECT_EQ(r.costs[1].year, "2025/26");
  EXPECT_DOUBLE_EQ(r.costs[0].troops, 6 * 1000 * f.spec.troop_month);
  EXPECT_DOUBLE_EQ(r.costs[1].closures, 2 * f.spec.closure_cost);
  EXPECT_DOUBLE_EQ(r.troop_months, 6 * 1000 + 6 * 500);
}

TEST(PlanReport, ExitedProvincesAreHandedOverNotLost) {
  auto f = make();
  f.p.exit_phase = {1};
  const OpenPlan open = {{1, 1, 1}, {0, 0, 0}};
  const auto r = report(f.p, open, f.in);
  EXPECT_DOUBLE_EQ(r.phases[1].handed_over, 5);
  EXPECT_DOUBLE_EQ(r.phases[1].responsibility, 0);
  EXPECT_DOUBLE_EQ(r.phases[1].gap, 0);
  EXPECT_EQ(r.phases[1].police_needed, 0);
  ASSERT_EQ(r.closures.size(), 3u);
  for (const auto& c : r.closures) {
    EXPECT_TRUE(c.exit);
    EXPECT_TRUE(c.lost.empty());
  }
}

}  // namespace
}  // namespace endstate::plan
