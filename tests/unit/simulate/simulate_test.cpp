#include <gtest/gtest.h>

#include <cmath>

#include "endstate/benchmarks/framework.hpp"
#include "endstate/core/error.hpp"
#include "endstate/simulate/simulate.hpp"
#include "unit/simulate/fixture.hpp"

namespace endstate::simulate {
namespace {

class Sim : public ::testing::Test {
 protected:
  static constexpr std::size_t kSide = 4;
  void SetUp() override {
    panel_ = testing::synthetic_panel(kSide, 72, 5);
    fw_ = benchmarks::parse_framework(testing::kFramework, "fw.yaml");
    forecast::ForecastOptions fo;
    fo.model = "nb";
    model_ = fit_step_model(panel_, forecast::Target::kFatalities, fo);
  }
  SimResult run(const PresenceEffect& e, int paths, int threads, bool straightforward = false, int horizon = 24) {
    const World w = testing::synthetic_world(panel_, &fw_, e, kSide, paths, horizon);
    SimOptions o;
    o.horizon = horizon;
    o.paths = paths;
    o.seed = 42;
    o.threads = threads;
    o.straightforward = straightforward;
    return simulate(w, *model_, testing::two_policies(kSide), o);
  }
  Panel panel_;
  benchmarks::Framework fw_;
  std::unique_ptr<StepModel> model_;
};

/// Done when: with the presence effect set to none, end-state and end-date
/// give the same violence distribution (path by path: common random numbers).
TEST_F(Sim, NoPresenceEffectSameViolence) {
  const auto r = run(PresenceEffect::off(), 300, 2);
  bool exits_differ = false;
  for (std::size_t i = 0; i < r.paths; ++i) {
    EXPECT_EQ(r.outcome(0, i).fatalities, r.outcome(1, i).fatalities);
    EXPECT_EQ(r.outcome(0, i).civilian, r.outcome(1, i).civilian);
    exits_differ = exits_differ || r.outcome(0, i).exit != r.outcome(1, i).exit;
  }
  EXPECT_TRUE(exits_differ) << "the policies must differ in what they do";
  const auto c = compare(r);
  ASSERT_EQ(c.differences.size(), 1u);
  EXPECT_EQ(*c.differences[0].fatalities.median, 0.0);
  EXPECT_EQ(*c.differences[0].fatalities.hi90, 0.0);
  // ... but not the same troop-months
  EXPECT_NE(c.policies[0].troop_months.mean, c.policies[1].troop_months.mean);
}

/// Done when: a planted strong effect makes the earlier-exit policy show
/// more fatalities.
TEST_F(Sim, StrongEffectEarlierExitMoreFatalities) {
  PresenceEffect e;
  e.effect = {-0.9, -0.9, -0.9, -0.9};
  e.displacement_share = 0;
  const auto r = run(e, 300, 2);
  const auto c = compare(r);
  // end-date (policy 1) exits every province by month 6; end-state later or never.
  double exit_date = 0, exit_state = 0;
  for (std::size_t i = 0; i < r.paths; ++i) {
    exit_state += r.outcome(0, i).mission_end;
    exit_date += r.outcome(1, i).mission_end;
  }
  ASSERT_LT(exit_date, exit_state) << "end-date must exit earlier in this world";
  EXPECT_GT(c.policies[1].fatalities.mean, 1.5 * c.policies[0].fatalities.mean);
  EXPECT_GT(*c.differences[0].fatalities.lo80, 0.0);
  EXPECT_GT(c.differences[0].share_more_fatalities, 0.9);
  EXPECT_LT(*c.differences[0].troop_months.median, 0.0);
}

TEST_F(Sim, ReadyByIsMonotoneInTheMonth) {
  const auto r = run(PresenceEffect(), 200, 2);
  std::vector<std::vector<double>> prev;
  bool some_between = false;
  for (int m = 0; m <= 24; ++m) {
    const auto p = ready_by(r, 0, m);
    for (std::size_t a = 0; a < p.size(); ++a)
      for (std::size_t s = 0; s < p[a].size(); ++s) {
        if (!prev.empty()) {
          EXPECT_GE(p[a][s], prev[a][s]);
        }
        some_between = some_between || (p[a][s] > 0.05 && p[a][s] < 0.95);
      }
    prev = p;
  }
  std::string all;
  for (const auto& row : ready_by(r, 0, 12))
    for (double x : row) all += std::to_string(x) + " ";
  EXPECT_TRUE(some_between) << "the test world should have uncertain readiness: " << all;
}

TEST_F(Sim, DeterministicWhateverTheThreadCount) {
  const auto a = run(PresenceEffect(), 64, 1);
  const auto b = run(PresenceEffect(), 64, 2);
  const auto c = run(PresenceEffect(), 64, 5);
  ASSERT_EQ(a.outcomes.size(), b.outcomes.size());
  for (std::size_t k = 0; k < a.outcomes.size(); ++k) {
    for (const auto* o : {&b, &c}) {
      EXPECT_EQ(a.outcomes[k].fatalities, o->outcomes[k].fatalities);
      EXPECT_EQ(a.outcomes[k].exit, o->outcomes[k].exit);
      EXPECT_EQ(a.outcomes[k].first_ready, o->outcomes[k].first_ready);
      EXPECT_EQ(a.outcomes[k].cost, o->outcomes[k].cost);
    }
  }
  EXPECT_EQ(a.monthly_target, b.monthly_target);
  EXPECT_EQ(a.monthly_troops, c.monthly_troops);
}

/// The incremental path state, presence and readiness equal recomputing
/// everything from each path's whole history (benchmarks::assess_area).
TEST_F(Sim, IncrementalEqualsStraightforward) {
  const auto a = run(PresenceEffect(), 40, 2, false, 18);
  const auto b = run(PresenceEffect(), 40, 2, true, 18);
  for (std::size_t k = 0; k < a.outcomes.size(); ++k) {
    EXPECT_EQ(a.outcomes[k].fatalities, b.outcomes[k].fatalities);
    EXPECT_EQ(a.outcomes[k].exit, b.outcomes[k].exit);
    EXPECT_EQ(a.outcomes[k].first_ready, b.outcomes[k].first_ready);
    EXPECT_EQ(a.outcomes[k].gap_months, b.outcomes[k].gap_months);
  }
}

TEST_F(Sim, PathsAreAutocorrelated) {
  // Month-to-month correlation across paths of a busy area's values: the
  // path feeds its history back, independent monthly draws would give ~0.
  WorldSpec ws;
  ws.panel = &panel_;
  ws.area_province.assign(panel_.area_count(), -1);
  ws.effect = PresenceEffect::off();
  const World w = make_world(ws, 2000, 6, 1);
  SimOptions o;
  o.horizon = 6;
  o.paths = 2000;
  o.keep_area_paths = true;
  const auto r = simulate(w, *model_, {PolicyRule::status_quo(0)}, o);
  const std::size_t A = panel_.area_count(), a = 4;  // base 6.5 a month
  double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
  for (std::size_t i = 0; i < r.paths; ++i) {
    const double x = r.area_paths[(i * A + a) * 6 + 3], y = r.area_paths[(i * A + a) * 6 + 4];
    sx += x, sy += y, sxx += x * x, syy += y * y, sxy += x * y;
  }
  const double n = static_cast<double>(r.paths);
  const double corr =
      (sxy / n - sx / n * sy / n) / std::sqrt((sxx / n - sx / n * sx / n) * (syy / n - sy / n * sy / n));
  EXPECT_GT(corr, 0.1);
}

TEST_F(Sim, PolicyFromPlanFile) {
  const World w = testing::synthetic_world(panel_, &fw_, PresenceEffect(), kSide, 10, 12);
  plan::PlanSpec spec;
  spec.id = "dates";
  spec.file = "plan.yaml";
  spec.policy = plan::Policy::kHybrid;
  spec.exit_dates = {{"Province 1", w.origin.plus(4)}, {"p2", w.origin.plus(8)}};
  spec.exit_dates_where = {{"plan.policy.dates.Province 1", 7}, {"plan.policy.dates.p2", 8}};
  spec.stakeholders = {"un"};
  const auto r = policy_from_plan(spec, w);
  EXPECT_EQ(r.exit_offset, (std::vector<int>{-1, 4, 8, -1}));
  EXPECT_EQ(r.stakeholders, (std::vector<std::size_t>{0}));
  spec.exit_dates.push_back({"Atlantis", w.origin});
  spec.exit_dates_where.push_back({"plan.policy.dates.Atlantis", 9});
  try {
    (void)policy_from_plan(spec, w);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.where().line, 9);
    EXPECT_EQ(e.where().field, "plan.policy.dates.Atlantis");
  }
}

/// As in the planner: a province holding a base the plan locks for its whole
/// length (the mission HQ, Geo-PKO code 3, by default) never exits under
/// end-state or hybrid; under end-date it exits on its date; unlocking the
/// base lets it go.
TEST_F(Sim, AProvinceHoldingALockedBaseNeverExitsUnderEndState) {
  const int horizon = 24, paths = 200;
  World w = testing::synthetic_world(panel_, &fw_, PresenceEffect(), kSide, paths, horizon);
  w.bases[0].hq = 3;  // in province 0
  w.bases[1].hq = 2;  // a sector HQ: locked only until its province exits
  plan::PlanSpec spec;
  spec.file = "plan.yaml";
  spec.policy = plan::Policy::kEndState;
  spec.stakeholders = {"un", "government"};
  spec.sustain_months = 3;
  const auto held = policy_from_plan(spec, w);
  EXPECT_EQ(held.held, (std::vector<char>{1, 0, 0, 0}));
  spec.unlock_sites = {"B0"};  // by id, any case
  const auto unlocked = policy_from_plan(spec, w);
  EXPECT_EQ(unlocked.held, (std::vector<char>{0, 0, 0, 0}));
  spec.unlock_sites.clear();
  spec.lock_hq_codes.clear();
  spec.lock_sites = {"b4"};  // in province 1, by the file's list
  EXPECT_EQ(policy_from_plan(spec, w).held, (std::vector<char>{0, 1, 0, 0}));

  auto dates = testing::two_policies(kSide)[1];
  dates.held = held.held;  // ignored under end-date
  SimOptions o;
  o.horizon = horizon;
  o.paths = paths;
  o.seed = 42;
  o.threads = 2;
  const auto r = simulate(w, *model_, {held, unlocked, dates}, o);
  int unlocked_exits = 0;
  for (std::size_t i = 0; i < r.paths; ++i) {
    EXPECT_EQ(r.outcome(0, i).exit[0], horizon) << "path " << i;
    EXPECT_EQ(r.outcome(0, i).mission_end, horizon) << "path " << i;
    unlocked_exits += r.outcome(1, i).exit[0] < horizon ? 1 : 0;
    EXPECT_EQ(r.outcome(2, i).exit[0], 0) << "end-date exits on its date";
  }
  EXPECT_GT(unlocked_exits, 0) << "unlocked, the province must exit on some path (or the test shows nothing)";
}

TEST(Calibration, ScoresPastOrigins) {
  const Panel p = testing::synthetic_panel(3, 60, 9);
  forecast::ForecastOptions fo;
  fo.model = "nb";
  CalibrationOptions o;
  o.origins = {40, 46, 52};
  o.horizon = 6;
  o.paths = 200;
  const auto c = calibrate(p, forecast::Target::kFatalities, fo, o);
  ASSERT_EQ(c.rows.size(), 7u);
  EXPECT_EQ(c.origins, 3u);
  for (const auto& row : c.rows) {
    ASSERT_GT(row.n, 0u);
    double pit = 0;
    for (double b : row.pit) pit += b;
    EXPECT_NEAR(pit, 1.0, 1e-9);
    EXPECT_GE(row.cover90, row.cover50);
    EXPECT_GT(row.cover90, 0.5) << "h=" << row.h;
  }
  EXPECT_EQ(c.rows[0].n, 27u);
  EXPECT_EQ(c.rows[6].h, 0);
}

}  // namespace
}  // namespace endstate::simulate
