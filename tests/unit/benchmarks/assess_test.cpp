// Derivations, sustain rule, missing months, per-area thresholds, readiness
// and disagreements, each checked against values computed by hand.
#include <cmath>

#include <gtest/gtest.h>

#include "endstate/benchmarks/assess.hpp"
#include "endstate/core/rng.hpp"

namespace endstate::benchmarks {
namespace {

const double N = kMissing;

void expect_series(const std::vector<double>& got, const std::vector<double>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    if (std::isnan(want[i])) {
      EXPECT_TRUE(std::isnan(got[i])) << "month " << i << " got " << got[i];
    } else {
      EXPECT_NEAR(got[i], want[i], 1e-12) << "month " << i;
    }
  }
}

const std::vector<double> kX = {1, 0, 4, N, 2, 3, 5, 0, 0};

TEST(Window, SumOverThreeMonths) {
  expect_series(window_statistic(kX, 3, Statistic::kSum), {N, N, 5, N, N, N, 10, 8, 5});
}
TEST(Window, Mean) { expect_series(window_statistic(kX, 2, Statistic::kMean), {N, 0.5, 2, N, N, 2.5, 4, 2.5, 0}); }
TEST(Window, MaxAndMin) {
  expect_series(window_statistic(kX, 3, Statistic::kMax), {N, N, 4, N, N, N, 5, 5, 5});
  expect_series(window_statistic(kX, 3, Statistic::kMin), {N, N, 0, N, N, N, 2, 0, 0});
}
TEST(Window, MonthsWithAnyEvent) {
  expect_series(window_statistic(kX, 3, Statistic::kMonthsWithAny), {N, N, 2, N, N, N, 3, 2, 1});
  expect_series(window_statistic(kX, 1, Statistic::kMonthsWithAny), {1, 0, 1, N, 1, 1, 1, 0, 0});
}
TEST(Window, Last) { expect_series(window_statistic(kX, 1, Statistic::kLast), kX); }

TEST(Window, FastEqualsNaiveOnRandomSeries) {
  Rng rng(7, 1);
  std::vector<double> x(500);
  for (auto& v : x) v = rng.uniform() < 0.05 ? N : std::floor(rng.uniform() * 20) * 0.1;
  for (int w : {1, 2, 3, 6, 12, 24}) {
    for (auto st : {Statistic::kSum, Statistic::kMean, Statistic::kMax, Statistic::kMin, Statistic::kMonthsWithAny}) {
      const auto a = window_statistic(x, w, st);
      const auto b = window_statistic_naive(x, w, st);
      for (std::size_t t = 0; t < x.size(); ++t) {
        ASSERT_EQ(std::isnan(a[t]), std::isnan(b[t]))
            << w << " " << t << " " << to_string(st) << " " << x[0] << " " << x[1];
        if (!std::isnan(a[t])) {
          ASSERT_NEAR(a[t], b[t], 1e-9) << w << " " << t;
        }
      }
    }
  }
}

TEST(Derive, PerCapita) {
  Derivation d;
  d.window_months = 3;
  d.statistic = Statistic::kSum;
  d.per_population = 100000;
  // 1+0+4 = 5 deaths over 3 months in 250,000 people = 2 per 100,000.
  expect_series(derive_values({1, 0, 4}, d, 250000.0), {N, N, 2});
  // Unknown population: no data, never a guess.
  expect_series(derive_values({1, 0, 4}, d, std::nullopt), {N, N, N});
}

Framework one_indicator(Direction dir, int sustain, double un, double gov) {
  Framework fw;
  fw.id = "t";
  fw.version = "1";
  IndicatorDef i;
  i.id = "x";
  i.direction = dir;
  fw.indicators.push_back(i);
  BenchmarkDef b;
  b.id = "b";
  b.kind = BenchmarkKind::kCore;
  b.indicators = {"x"};
  fw.benchmarks.push_back(b);
  Stakeholder s1{"un", "UN", sustain, {{"x", Threshold{un, {}, {}}}}, 0};
  Stakeholder s2{"government", "Gov", sustain, {{"x", Threshold{gov, {}, {}}}}, 0};
  fw.stakeholders = {s1, s2};
  fw.contextual_share = 0.5;
  return fw;
}

std::string statuses(const AreaTrajectory& tr, std::size_t s) {
  std::string out;
  for (std::size_t t = 0; t < tr.months; ++t) {
    const Status st = tr.indicator(t, s, 0);
    out += st == Status::kMet ? 'M' : st == Status::kNotMet ? 'n' : '-';
  }
  return out;
}

TEST(Events, DerivedFromPanel) {
  // One area of 200,000 people over 4 months; deaths in violence against civilians.
  Panel p({{"a", "A", 200000.0, {}, 0}}, Month::from_ym(2020, 1).value(), Month::from_ym(2020, 4).value());
  auto ev = [](int month, ViolenceType t, int deaths) {
    Event e;
    e.date_start = e.date_end = Date::from_ymd(2020, month, 10).value();
    e.violence = t;
    e.fatalities_best = deaths;
    return e;
  };
  p.add(0, ev(1, ViolenceType::kOneSided, 2));
  p.add(0, ev(2, ViolenceType::kOneSided, 4));
  p.add(0, ev(2, ViolenceType::kStateBased, 10));
  p.add(0, ev(4, ViolenceType::kOneSided, 6));
  Framework fw = one_indicator(Direction::kLowerIsBetter, 1, 3, 5);
  auto& d = fw.indicators[0];
  d.source = IndicatorSource::kEvents;
  d.derivation.measure = SeriesSpec::Measure::kFatalities;
  d.derivation.violence_types = {ViolenceType::kOneSided};
  d.derivation.window_months = 3;
  d.derivation.statistic = Statistic::kSum;
  d.derivation.per_population = 100000;
  Inputs in;
  in.panel = &p;
  const auto v = compute_values(fw, in);
  // Months 3 and 4: (2+4+0)/2 = 3 and (4+0+6)/2 = 5 per 100,000.
  EXPECT_TRUE(std::isnan(v.at(0, 0, 1)));
  EXPECT_DOUBLE_EQ(v.at(0, 0, 2), 3.0);
  EXPECT_DOUBLE_EQ(v.at(0, 0, 3), 5.0);
  // Count of months with any event of any type over 3 months: months 1..3 -> 2, 2..4 -> 2.
  d.derivation.measure = SeriesSpec::Measure::kEvents;
  d.derivation.violence_types.clear();
  d.derivation.statistic = Statistic::kMonthsWithAny;
  d.derivation.per_population.reset();
  const auto c = compute_values(fw, in);
  EXPECT_DOUBLE_EQ(c.at(0, 0, 2), 2.0);
  EXPECT_DOUBLE_EQ(c.at(0, 0, 3), 2.0);
  // Max monthly fatalities over 2 months, state-based only: month 2 -> 10, month 3 -> 10, month 4 -> 0.
  d.derivation.measure = SeriesSpec::Measure::kFatalities;
  d.derivation.violence_types = {ViolenceType::kStateBased};
  d.derivation.window_months = 2;
  d.derivation.statistic = Statistic::kMax;
  const auto m = compute_values(fw, in);
  EXPECT_DOUBLE_EQ(m.at(0, 0, 1), 10.0);
  EXPECT_DOUBLE_EQ(m.at(0, 0, 2), 10.0);
  EXPECT_DOUBLE_EQ(m.at(0, 0, 3), 0.0);
}

TEST(Events, ObservedSeriesAlignedAndMissing) {
  Panel p({{"a", "A", 1000.0, {}, 0}}, Month::from_ym(2020, 1).value(), Month::from_ym(2020, 3).value());
  Framework fw = one_indicator(Direction::kHigherIsBetter, 1, 3, 5);
  fw.indicators[0].derivation.observed_indicator = "obs";
  Inputs in;
  in.panel = &p;
  in.observed["obs"] = {1, N, 3};
  const auto v = compute_values(fw, in);
  EXPECT_DOUBLE_EQ(v.at(0, 0, 0), 1);
  EXPECT_TRUE(std::isnan(v.at(0, 0, 1)));
  in.observed.clear();  // never observed: no data throughout
  const auto w = compute_values(fw, in);
  EXPECT_TRUE(std::isnan(w.at(0, 0, 2)));
}

TEST(Assess, BothDirections) {
  EXPECT_TRUE(meets(2.0, 2.0, Direction::kLowerIsBetter));
  EXPECT_FALSE(meets(2.1, 2.0, Direction::kLowerIsBetter));
  EXPECT_TRUE(meets(2.0, 2.0, Direction::kHigherIsBetter));
  EXPECT_FALSE(meets(1.9, 2.0, Direction::kHigherIsBetter));
  EXPECT_FALSE(meets(N, 2.0, Direction::kHigherIsBetter));
  const std::vector<double> v = {1, 5, 3, 8};
  const auto lo = assess_area(one_indicator(Direction::kLowerIsBetter, 1, 3, 5), "a", v.data(), 4);
  EXPECT_EQ(statuses(lo, 0), "MnMn");
  EXPECT_EQ(statuses(lo, 1), "MMMn");
  const auto hi = assess_area(one_indicator(Direction::kHigherIsBetter, 1, 3, 5), "a", v.data(), 4);
  EXPECT_EQ(statuses(hi, 0), "nMMM");
  EXPECT_EQ(statuses(hi, 1), "nMnM");
}

TEST(Assess, SustainRuleAndMissingMonths) {
  // Threshold 3 (lower is better), sustained 3 months. A missing month is no
  // data and breaks the run.
  const std::vector<double> v = {1, 2, 3, 1, 9, 1, 1, N, 1, 1, 1, 2};
  const auto tr = assess_area(one_indicator(Direction::kLowerIsBetter, 3, 3, 5), "a", v.data(), v.size());
  EXPECT_EQ(statuses(tr, 0), "nnMMnnn-nnMM");
  EXPECT_EQ(tr.run(3, 0, 0), 4);
  EXPECT_EQ(tr.run(8, 0, 0), 1);
  // Benchmark status follows; readiness (only core) too.
  EXPECT_EQ(tr.benchmark(7, 0, 0), Status::kNoData);
  EXPECT_EQ(tr.ready(7, 0), Readiness::kNoData);
  EXPECT_EQ(tr.ready(10, 0), Readiness::kReady);
  EXPECT_EQ(tr.ready(9, 0), Readiness::kNotReady);
  // The naive implementation agrees.
  const auto nv = assess_area_naive(one_indicator(Direction::kLowerIsBetter, 3, 3, 5), "a", v.data(), v.size());
  EXPECT_EQ(nv.indicator_status, tr.indicator_status);
  EXPECT_EQ(nv.readiness, tr.readiness);
}

TEST(Assess, FastEqualsNaiveOnRandomSeries) {
  Rng rng(11, 2);
  for (int sustain : {1, 2, 5}) {
    const Framework fw = one_indicator(Direction::kHigherIsBetter, sustain, 0.5, 0.3);
    std::vector<double> v(400);
    for (auto& x : v) x = rng.uniform() < 0.05 ? N : rng.uniform();
    const auto a = assess_area(fw, "a", v.data(), v.size());
    const auto b = assess_area_naive(fw, "a", v.data(), v.size());
    EXPECT_EQ(a.indicator_status, b.indicator_status);
    EXPECT_EQ(a.benchmark_status, b.benchmark_status);
    EXPECT_EQ(a.readiness, b.readiness);
  }
}

TEST(Assess, PerAreaThresholds) {
  Framework fw = one_indicator(Direction::kLowerIsBetter, 1, 3, 5);
  fw.stakeholders[0].thresholds["x"].per_area["north"] = 6;
  const std::vector<double> v = {4};
  EXPECT_EQ(assess_area(fw, "north", v.data(), 1).indicator(0, 0, 0), Status::kMet);
  EXPECT_EQ(assess_area(fw, "south", v.data(), 1).indicator(0, 0, 0), Status::kNotMet);
}

TEST(Assess, ReadinessRule) {
  // Core c1; contextual k1 (weight 1), k2 (weight 3); share 0.7.
  Framework fw;
  for (const char* id : {"c", "k1", "k2"}) {
    IndicatorDef i;
    i.id = id;
    i.direction = Direction::kHigherIsBetter;
    fw.indicators.push_back(i);
  }
  fw.benchmarks = {{"c", "", BenchmarkKind::kCore, Category::kProtection, 1, {"c"}, 0},
                   {"k1", "", BenchmarkKind::kContextual, Category::kDdr, 1, {"k1"}, 0},
                   {"k2", "", BenchmarkKind::kContextual, Category::kIdpReturns, 3, {"k2"}, 0}};
  fw.stakeholders = {{"un", "", 1, {{"c", {1, {}, {}}}, {"k1", {1, {}, {}}}, {"k2", {1, {}, {}}}}, 0}};
  fw.contextual_share = 0.7;
  auto ready = [&](double c, double k1, double k2) {
    const std::vector<double> v = {c, k1, k2};  // [indicator][month], one month
    const auto tr = assess_area(fw, "a", v.data(), 1);
    return std::make_pair(tr.ready(0, 0), tr.contextual_share[0]);
  };
  EXPECT_EQ(ready(1, 1, 1).first, Readiness::kReady);
  EXPECT_EQ(ready(1, 0, 1), std::make_pair(Readiness::kReady, 0.75));     // 3/4 >= 0.7
  EXPECT_EQ(ready(1, 1, 0), std::make_pair(Readiness::kNotReady, 0.25));  // 1/4 < 0.7
  EXPECT_EQ(ready(0, 1, 1).first, Readiness::kNotReady);                  // core not met
  EXPECT_EQ(ready(N, 1, 1).first, Readiness::kNoData);                    // core unknown: not ready, not counted met
  EXPECT_EQ(ready(1, N, 1).first, Readiness::kReady);                     // 3/4 met whatever k1 is
  EXPECT_EQ(ready(1, 1, N).first, Readiness::kNoData);                    // could reach 1, only 1/4 known
  EXPECT_EQ(ready(1, 0, N).first, Readiness::kNoData);
  EXPECT_EQ(ready(0, N, N).first, Readiness::kNotReady);
}

TEST(Assess, StakeholdersDisagree) {
  // un wants <= 3, government <= 5; value 4: government met, un not; move -1.
  const Framework fw = one_indicator(Direction::kLowerIsBetter, 1, 3, 5);
  IndicatorValues iv;
  iv.areas = 1;
  iv.indicators = 1;
  iv.months = 3;
  iv.v = {2, 4, 6};
  std::vector<AreaTrajectory> tr = {assess_area(fw, "a", iv.series(0, 0), 3)};
  EXPECT_TRUE(disagreements(fw, tr, iv, 0).empty());  // both met
  EXPECT_TRUE(disagreements(fw, tr, iv, 2).empty());  // both not met
  const auto d = disagreements(fw, tr, iv, 1);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].met_by, std::vector<std::string>{"government"});
  EXPECT_EQ(d[0].not_met_by, std::vector<std::string>{"un"});
  ASSERT_EQ(d[0].gaps.size(), 1u);
  EXPECT_DOUBLE_EQ(d[0].gaps[0].threshold, 3);
  EXPECT_DOUBLE_EQ(d[0].gaps[0].move, -1);
  EXPECT_EQ(d[0].gaps[0].months_to_sustain, 1);
}

TEST(Assess, DisagreementOnSustainOnly) {
  // Both thresholds met by value 2, un needs 3 months and has had 2: move 0, 1 more month.
  Framework fw = one_indicator(Direction::kLowerIsBetter, 1, 3, 5);
  fw.stakeholders[0].sustain_months = 3;
  IndicatorValues iv;
  iv.areas = 1;
  iv.indicators = 1;
  iv.months = 2;
  iv.v = {2, 2};
  std::vector<AreaTrajectory> tr = {assess_area(fw, "a", iv.series(0, 0), 2)};
  const auto d = disagreements(fw, tr, iv, 1);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_DOUBLE_EQ(d[0].gaps[0].move, 0);
  EXPECT_EQ(d[0].gaps[0].months_to_sustain, 1);
}

}  // namespace
}  // namespace endstate::benchmarks
