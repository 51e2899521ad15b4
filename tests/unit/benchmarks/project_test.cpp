// Projections on constructed trends: a steady decline projects to the month
// computed by hand; forecast paths give the quantiles of the first met month.
#include <cmath>

#include <gtest/gtest.h>

#include "endstate/benchmarks/project.hpp"
#include "endstate/core/error.hpp"
#include "endstate/core/rng.hpp"

namespace endstate::benchmarks {
namespace {

Framework framework(IndicatorSource src, int sustain, double threshold) {
  Framework fw;
  IndicatorDef i;
  i.id = "x";
  i.direction = Direction::kLowerIsBetter;
  i.source = src;
  if (src == IndicatorSource::kEvents) {
    i.derivation.window_months = 3;
    i.derivation.statistic = Statistic::kSum;
  }
  fw.indicators.push_back(i);
  fw.benchmarks.push_back({"b", "", BenchmarkKind::kCore, Category::kProtection, 1, {"x"}, 0});
  fw.stakeholders.push_back({"un", "", sustain, {{"x", {threshold, {}, {}}}}, 0});
  return fw;
}

TEST(Project, SteadyDeclineProjectsToTheRightMonth) {
  // x(t) = 50 - t for t = 0..23; last value 27; x <= 20 first at t = 30, i.e. 7 months ahead.
  AreaProjectionInput in;
  in.area_id = "a";
  in.raw.emplace_back();
  for (int t = 0; t < 24; ++t) in.raw[0].push_back(50.0 - t);
  ProjectionOptions o;
  o.samples = 50;
  auto p = project_area(framework(IndicatorSource::kObserved, 1, 20), in, 0, o);
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].current, Status::kNotMet);
  EXPECT_EQ(p[0].median, 7);
  EXPECT_EQ(p[0].low, 7);
  EXPECT_EQ(p[0].high, 7);
  EXPECT_DOUBLE_EQ(p[0].share_within_horizon, 1.0);
  EXPECT_TRUE(p[0].projectable);
  EXPECT_EQ(p[0].method, "trend");
  // Sustained for 3 months: met in the third month at or below 20, 9 months ahead.
  p = project_area(framework(IndicatorSource::kObserved, 3, 20), in, 0, o);
  EXPECT_EQ(p[0].median, 9);
}

TEST(Project, NoisyDeclineCentresOnTheTrend) {
  AreaProjectionInput in;
  in.area_id = "a";
  in.raw.emplace_back();
  Rng rng(3, 0);
  for (int t = 0; t < 24; ++t) in.raw[0].push_back(50.0 - t + (rng.uniform() - 0.5));
  ProjectionOptions o;
  o.samples = 2000;
  const auto p = project_area(framework(IndicatorSource::kObserved, 1, 20), in, 0, o);
  ASSERT_TRUE(p[0].median && p[0].low && p[0].high);
  EXPECT_NEAR(*p[0].median, 7, 1);
  EXPECT_LE(*p[0].low, *p[0].median);
  EXPECT_GE(*p[0].high, *p[0].median);
  // Same seed, same answer; another seed may differ but stays close.
  const auto q = project_area(framework(IndicatorSource::kObserved, 1, 20), in, 0, o);
  EXPECT_EQ(p[0].median, q[0].median);
  EXPECT_EQ(p[0].high, q[0].high);
}

TEST(Project, RisingTrendIsNotWithinHorizon) {
  AreaProjectionInput in;
  in.area_id = "a";
  in.raw.emplace_back();
  for (int t = 0; t < 24; ++t) in.raw[0].push_back(30.0 + t);
  ProjectionOptions o;
  o.samples = 20;
  o.horizon_months = 24;
  const auto p = project_area(framework(IndicatorSource::kObserved, 1, 20), in, 0, o);
  EXPECT_FALSE(p[0].median.has_value());
  EXPECT_DOUBLE_EQ(p[0].share_within_horizon, 0.0);
}

TEST(Project, TooLittleDataIsNotProjectable) {
  AreaProjectionInput in;
  in.area_id = "a";
  in.raw = {{kMissing, kMissing, 30, 31}};
  const auto p = project_area(framework(IndicatorSource::kObserved, 1, 20), in, 0, {});
  ASSERT_EQ(p.size(), 1u);
  EXPECT_FALSE(p[0].projectable);
  EXPECT_FALSE(p[0].median.has_value());
}

TEST(Project, MetBenchmarksAreNotProjected) {
  AreaProjectionInput in;
  in.area_id = "a";
  in.raw = {{10, 9, 8, 7}};
  EXPECT_TRUE(project_area(framework(IndicatorSource::kObserved, 1, 20), in, 0, {}).empty());
}

TEST(Project, EventPathsGiveQuantiles) {
  // History: 5 events a month; 3-month sum <= 4 needs three quiet months... (5+5+0=10, 5+0+0=5, 0) -> month 3.
  // Paths 0..5 are quiet, 6..9 keep 5 a month (never met): first = {3 x6, never x4}.
  AreaProjectionInput in;
  in.area_id = "a";
  in.raw = {std::vector<double>(12, 5.0)};
  FuturePaths f;
  f.paths = 10;
  f.horizon = 36;
  for (std::size_t p = 0; p < 10; ++p)
    for (std::size_t h = 0; h < 36; ++h) f.v.push_back(p < 6 ? 0.0 : 5.0);
  in.future["x"] = f;
  ProjectionOptions o;
  o.horizon_months = 36;
  const auto p = project_area(framework(IndicatorSource::kEvents, 1, 4), in, 0, o);
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].median, 3);  // 5th of 10 sorted
  EXPECT_EQ(p[0].low, 3);
  EXPECT_FALSE(p[0].high.has_value());  // 9th of 10 is "never"
  EXPECT_DOUBLE_EQ(p[0].share_within_horizon, 0.6);
  in.future.clear();
  EXPECT_THROW(project_area(framework(IndicatorSource::kEvents, 1, 4), in, 0, o), Error);
}

TEST(Paths, BootstrapDrawsFromTheLastMonths) {
  std::vector<double> h(24, 100.0);
  for (int t = 12; t < 24; ++t) h[t] = t;  // last 12 months: 12..23
  const auto p = bootstrap_paths(h, 12, 50, 6, 9, 1);
  ASSERT_EQ(p.v.size(), 300u);
  for (double v : p.v) {
    EXPECT_GE(v, 12);
    EXPECT_LE(v, 23);
  }
  EXPECT_EQ(bootstrap_paths(h, 12, 50, 6, 9, 1).v, p.v);
  EXPECT_NE(bootstrap_paths(h, 12, 50, 6, 9, 2).v, p.v);
}

TEST(Paths, TrendNeedsThreeValues) {
  EXPECT_EQ(trend_paths({1, kMissing, 2}, 24, 10, 5, 1, 0).paths, 0u);
  const auto p = trend_paths({1, 2, 3, 4}, 24, 10, 2, 1, 0);  // exact line: 5, 6 on every path
  ASSERT_EQ(p.paths, 10u);
  for (std::size_t k = 0; k < 10; ++k) {
    EXPECT_NEAR(p.v[k * 2], 5, 1e-9);
    EXPECT_NEAR(p.v[k * 2 + 1], 6, 1e-9);
  }
}

}  // namespace
}  // namespace endstate::benchmarks
