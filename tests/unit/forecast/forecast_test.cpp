#include <algorithm>
#include <cmath>
#include <set>
#include <vector>

#include <gtest/gtest.h>

#include "endstate/core/error.hpp"
#include "endstate/core/rng.hpp"
#include "endstate/forecast/backtest.hpp"
#include "endstate/forecast/forecast.hpp"
#include "endstate/forecast/sampling.hpp"

namespace endstate::forecast {
namespace {

constexpr auto kState = static_cast<std::size_t>(ViolenceType::kStateBased);
constexpr auto kOneSided = static_cast<std::size_t>(ViolenceType::kOneSided);

Month ym(int y, int m) { return *Month::from_ym(y, m); }

// A synthetic panel: areas on a line, persistent NB-distributed violence whose
// level drifts per area, so that lags carry information.
Panel synthetic(std::size_t areas, std::size_t months, std::uint64_t seed) {
  std::vector<PanelArea> pa;
  for (std::size_t a = 0; a < areas; ++a) {
    pa.push_back({"a" + std::to_string(a), "Area " + std::to_string(a), std::nullopt,
                  LatLon{0.0, 20.0 + 0.5 * static_cast<double>(a)}, 100.0});
  }
  Panel p(pa, ym(2012, 1), ym(2012, 1).plus(static_cast<std::int32_t>(months) - 1));
  Rng rng(seed, 0);
  for (std::size_t a = 0; a < areas; ++a) {
    double level = a % 3 == 0 ? 0.05 : (a % 3 == 1 ? 2.0 : 12.0);
    for (std::size_t t = 0; t < months; ++t) {
      level = std::clamp(level * std::exp(0.25 * sample_normal(rng)), 0.02, 80.0);
      const auto v = sample_nb2(rng, level, 0.4);
      p.at(a, t).fatalities[kState] = v;
      p.at(a, t).events[kState] = v > 0 ? 1 : 0;
      p.at(a, t).fatalities[kOneSided] = v / 3;
      p.at(a, t).events[kOneSided] = v >= 3 ? 1 : 0;
    }
  }
  return p;
}

TEST(Targets, SeriesSelectsViolenceAgainstCivilians) {
  Panel p = synthetic(2, 5, 1);
  const auto all = target_series(p, Target::kFatalities);
  const auto vf = target_series(p, Target::kVacFatalities);
  const auto ve = target_series(p, Target::kVacEvents);
  for (std::size_t i = 0; i < 10; ++i) {
    const std::size_t a = i / 5, t = i % 5;
    EXPECT_EQ(all[i], static_cast<double>(p.at(a, t).fatalities[kState] + p.at(a, t).fatalities[kOneSided]));
    EXPECT_EQ(vf[i], static_cast<double>(p.at(a, t).fatalities[kOneSided]));
    EXPECT_EQ(ve[i], static_cast<double>(p.at(a, t).events[kOneSided]));
  }
  EXPECT_EQ(parse_target("vac-events"), Target::kVacEvents);
  EXPECT_FALSE(parse_target("deaths"));
  EXPECT_EQ(target_name(Target::kVacFatalities), "vac-fatalities");
}

TEST(Models, ResolveBestAndRejectUnknown) {
  EXPECT_EQ(resolve_model("best"), "hurdle");
  EXPECT_EQ(resolve_model("nb"), "nb");
  EXPECT_EQ(resolve_model("conflictology"), "conflictology");
  try {
    (void)resolve_model("lstm");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.category(), ErrorCategory::kUsage);
    EXPECT_NE(e.message().find("bootstrap"), std::string::npos);
  }
}

// Hand-built panel for the benchmark models: area 0 has 1..24, area 1 is zero
// except month 3.
Panel hand_panel() {
  std::vector<PanelArea> pa{{"x", "X", std::nullopt, {0, 0}, 1}, {"y", "Y", std::nullopt, {0, 1}, 1}};
  Panel p(pa, ym(2020, 1), ym(2021, 12));
  for (std::size_t t = 0; t < 24; ++t) p.at(0, t).fatalities[kState] = static_cast<std::int64_t>(t + 1);
  p.at(1, 3).fatalities[kState] = 50;
  return p;
}

TEST(Benchmarks, ZeroLastBootstrapConflictology) {
  const Panel p = hand_panel();
  ForecastOptions o;
  o.horizon = 3;
  o.samples = 400;
  o.model = "zero";
  const Forecast z = run_forecast(p, Target::kFatalities, o);
  EXPECT_EQ(z.first_month, ym(2022, 1));
  EXPECT_EQ(z.draws.size(), 2u * 3u * 400u);
  for (float v : z.draws) EXPECT_EQ(v, 0.0f);

  o.model = "last";  // Poisson(24) for area 0, 0 for area 1
  const Forecast l = run_forecast(p, Target::kFatalities, o);
  EXPECT_NEAR(l.mean(0, 2), 24.0, 1.0);
  EXPECT_EQ(l.mean(1, 0), 0.0);

  o.model = "bootstrap";  // months 13..24 of area 0; area 1 all zero in the last 12
  const Forecast b = run_forecast(p, Target::kFatalities, o);
  std::set<float> seen;
  for (std::size_t s = 0; s < 400; ++s) {
    seen.insert(b.draw(0, 1, s));
    EXPECT_EQ(b.draw(1, 1, s), 0.0f);
  }
  EXPECT_EQ(*seen.begin(), 13.0f);
  EXPECT_EQ(*seen.rbegin(), 24.0f);
  EXPECT_EQ(seen.size(), 12u);

  o.model = "conflictology";  // the whole own history: area 1 gives 50 with p = 1/24
  const Forecast c = run_forecast(p, Target::kFatalities, o);
  EXPECT_NEAR(c.prob_at_least(1, 0, 50), 1.0 / 24, 0.025);
  EXPECT_NEAR(c.mean(0, 0), 12.5, 1.0);
  EXPECT_GE(c.quantile(0, 0, 0.0), 1.0);
  EXPECT_LE(c.quantile(0, 0, 1.0), 24.0);
}

TEST(Forecast, AccessorsOnKnownDraws) {
  Forecast f;
  f.areas = 1;
  f.horizon = 1;
  f.samples = 4;
  f.draws = {30, 0, 10, 0};
  EXPECT_DOUBLE_EQ(f.mean(0, 0), 10.0);
  EXPECT_DOUBLE_EQ(f.quantile(0, 0, 0.5), 5.0);
  EXPECT_DOUBLE_EQ(f.prob_at_least(0, 0, 10), 0.5);
  const DrawSummary s = summarize(f.draws.data(), 4);
  EXPECT_DOUBLE_EQ(s.p_ge_25, 0.25);
  EXPECT_DOUBLE_EQ(s.q75, 15.0);
}

TEST(Forecast, LearnedModelsAreDeterministicAcrossThreadsAndSeedsMatter) {
  const Panel p = synthetic(12, 60, 3);
  ForecastOptions o;
  for (const std::string model : {"nb", "best"}) {
    o.model = model;
    o.seed = 1;
    o.horizon = 4;
    o.samples = 200;
    o.threads = 1;
    const Forecast a = run_forecast(p, Target::kFatalities, o);
    o.threads = 3;
    const Forecast b = run_forecast(p, Target::kFatalities, o);
    EXPECT_EQ(a.model, model == "best" ? "hurdle" : model);
    EXPECT_EQ(a.draws, b.draws);
    o.seed = 2;
    const Forecast c = run_forecast(p, Target::kFatalities, o);
    EXPECT_NE(a.draws, c.draws);
  }
}

// Any panel series can be forecast: the target overload is the series overload
// on the target's spec, and another series gives other draws.
TEST(Forecast, AnySeriesOfThePanel) {
  const Panel p = synthetic(6, 48, 4);
  ForecastOptions o;
  o.horizon = 3;
  o.samples = 100;
  SeriesSpec vac;
  vac.measure = SeriesSpec::Measure::kEvents;
  vac.types = {ViolenceType::kOneSided};
  EXPECT_EQ(run_forecast(p, vac, o).draws, run_forecast(p, Target::kVacEvents, o).draws);
  SeriesSpec battles;
  battles.measure = SeriesSpec::Measure::kEvents;
  battles.types = {ViolenceType::kStateBased};
  const Forecast b = run_forecast(p, battles, o);
  EXPECT_NE(b.draws, run_forecast(p, Target::kVacEvents, o).draws);
  EXPECT_EQ(b.draws.size(), 6u * 3u * 100u);
}

TEST(Forecast, NbFollowsTheAreaLevel) {
  const Panel p = synthetic(12, 80, 4);
  ForecastOptions o;
  o.model = "nb";
  o.horizon = 1;
  o.samples = 2000;
  const Forecast f = run_forecast(p, Target::kFatalities, o);
  const auto y = target_series(p, Target::kFatalities);
  // The quietest and the most violent area (by the last 6 months) keep their order.
  std::size_t lo = 0, hi = 0;
  double lo_v = 1e18, hi_v = -1;
  for (std::size_t a = 0; a < 12; ++a) {
    double s = 0;
    for (std::size_t t = 74; t < 80; ++t) s += y[a * 80 + t];
    if (s < lo_v) lo_v = s, lo = a;
    if (s > hi_v) hi_v = s, hi = a;
  }
  EXPECT_LT(f.mean(lo, 0), f.mean(hi, 0));
  EXPECT_GT(f.prob_at_least(hi, 0, 1), f.prob_at_least(lo, 0, 1));
}

TEST(Forecast, RejectsBadOptionsAndShortHistory) {
  const Panel p = synthetic(3, 20, 1);
  ForecastOptions o;
  o.horizon = 0;
  EXPECT_THROW((void)run_forecast(p, Target::kFatalities, o), Error);
  o.horizon = 12;  // nb needs 25 months
  try {
    (void)run_forecast(p, Target::kFatalities, o);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.category(), ErrorCategory::kBadInput);
  }
  o.model = "bootstrap";
  EXPECT_NO_THROW((void)run_forecast(p, Target::kFatalities, o));
}

TEST(Backtest, DeterministicAcrossThreads) {
  const Panel p = synthetic(10, 72, 9);
  BacktestOptions o;
  o.from = ym(2015, 1);
  o.to = ym(2016, 6);
  o.horizon = 3;
  o.samples = 100;
  o.threads = 1;
  const auto a = run_backtest(p, Target::kFatalities, o);
  o.threads = 4;
  const auto b = run_backtest(p, Target::kFatalities, o);
  ASSERT_EQ(a.by_year.size(), b.by_year.size());
  EXPECT_EQ(a.origins, 18u);
  for (std::size_t i = 0; i < a.by_year.size(); ++i) {
    EXPECT_EQ(a.by_year[i].crps, b.by_year[i].crps);
    EXPECT_EQ(a.by_year[i].brier_10, b.by_year[i].brier_10);
  }
  EXPECT_EQ(a.by_year.size(), 6u * 2u);  // 6 models x years 2015, 2016
  EXPECT_EQ(a.overall.size(), 6u);
  for (std::size_t i = 1; i < a.overall.size(); ++i) EXPECT_LE(a.overall[i - 1].crps, a.overall[i].crps);
  // Every area, every origin: 12 x 3 + 6 x 3 scored area-months per area.
  const auto it = std::find_if(a.by_year.begin(), a.by_year.end(),
                               [](const ScoreRow& r) { return r.model == "zero" && r.year == 2015; });
  ASSERT_NE(it, a.by_year.end());
  EXPECT_EQ(it->n, 10u * 12u * 3u);
}

TEST(Backtest, ZeroModelScoresAreHandComputable) {
  const Panel p = hand_panel();
  BacktestOptions o;
  o.models = {"zero"};
  o.from = ym(2021, 12);
  o.to = ym(2021, 12);
  o.horizon = 2;  // only h = 1 is observed
  o.samples = 10;
  const auto r = run_backtest(p, Target::kFatalities, o);
  ASSERT_EQ(r.overall.size(), 1u);
  EXPECT_EQ(r.overall[0].n, 2u);
  EXPECT_DOUBLE_EQ(r.overall[0].crps, (24.0 + 0.0) / 2);  // |0 - y|
  EXPECT_DOUBLE_EQ(r.overall[0].mse, (24.0 * 24.0) / 2);
  EXPECT_DOUBLE_EQ(r.overall[0].brier_1, 0.5);
  EXPECT_DOUBLE_EQ(r.overall[0].cover_90, 0.5);
  // Ignorance: the observed 24 falls in bin 11-25 (1/21 with 10 zero draws),
  // the observed 0 in bin {0} (11/21); MIS: the [0, 0] interval misses 24 by 24.
  EXPECT_NEAR(r.overall[0].ign, (std::log2(21.0) + std::log2(21.0 / 11)) / 2, 1e-12);
  EXPECT_NEAR(r.overall[0].mis, (20.0 * 24 + 0) / 2, 1e-9);
  EXPECT_EQ(r.overall[0].n_nonzero, 1u);
  EXPECT_DOUBLE_EQ(r.overall[0].crps_nonzero, 24.0);
  EXPECT_DOUBLE_EQ(r.overall[0].cover_90_nonzero, 0.0);
  EXPECT_DOUBLE_EQ(r.overall[0].expected_ge[0], 0.0);
  EXPECT_DOUBLE_EQ(r.overall[0].observed_ge[0], 1.0);
  ASSERT_EQ(r.calibration.size(), 1u);
  const Calibration& c = r.calibration[0];
  EXPECT_EQ(c.model, "zero");
  EXPECT_EQ(c.by_size[0].n, 1u);
  EXPECT_DOUBLE_EQ(c.by_size[0].cover_90, 1.0);
  EXPECT_EQ(c.by_size[2].n, 1u);  // 24 is in 10-24
  EXPECT_DOUBLE_EQ(c.by_size[2].cover_90, 0.0);
  // PIT: the zero outcome spreads 1/2 evenly, the 24 puts its 1/2 in the top bin.
  EXPECT_NEAR(c.pit[0], 0.05, 1e-12);
  EXPECT_NEAR(c.pit[9], 0.55, 1e-12);
  EXPECT_NEAR(c.pit_nonzero[9], 1.0, 1e-12);
  EXPECT_EQ(c.reliability[0][0].n, 2u);
  EXPECT_DOUBLE_EQ(c.reliability[0][0].observed, 0.5);
}

TEST(Backtest, UsesOnlyDataBeforeEachOrigin) {
  // Changing months at or after the last scored target cannot change scores;
  // changing the history before the origin does.
  Panel p = synthetic(8, 60, 5);
  BacktestOptions o;
  o.from = ym(2015, 6);
  o.to = ym(2015, 6);
  o.horizon = 2;
  o.samples = 100;
  const auto base = run_backtest(p, Target::kFatalities, o);
  Panel q = p;
  const std::size_t after = *q.month_index(ym(2015, 8));
  for (std::size_t a = 0; a < 8; ++a) {
    for (std::size_t t = after; t < q.month_count(); ++t) q.at(a, t).fatalities[kState] += 1000;
  }
  const auto same = run_backtest(q, Target::kFatalities, o);
  for (std::size_t i = 0; i < base.by_year.size(); ++i) EXPECT_EQ(base.by_year[i].crps, same.by_year[i].crps);
  Panel r = p;
  r.at(0, *r.month_index(ym(2015, 5))).fatalities[kState] += 500;
  const auto diff = run_backtest(r, Target::kFatalities, o);
  EXPECT_NE(base.overall[0].crps + base.overall[1].crps, diff.overall[0].crps + diff.overall[1].crps);
}

TEST(Backtest, IncrementalMatchesStraightforward) {
  const Panel p = synthetic(10, 70, 12);
  BacktestOptions o;
  o.models = {"nb"};
  o.from = ym(2015, 1);
  o.to = ym(2016, 9);
  o.horizon = 3;
  o.samples = 300;
  const auto inc = run_backtest(p, Target::kFatalities, o);
  o.incremental = false;
  const auto naive = run_backtest(p, Target::kFatalities, o);
  EXPECT_NEAR(inc.overall[0].crps, naive.overall[0].crps, 0.005 * naive.overall[0].crps);
  EXPECT_NEAR(inc.overall[0].mse, naive.overall[0].mse, 0.01 * naive.overall[0].mse);
}

TEST(Backtest, IncrementalWithATrainingWindowMatchesStraightforward) {
  // --train-months: the incremental path removes the month that leaves the
  // window as it adds the one that enters; the fits equal fits from scratch.
  const Panel p = synthetic(10, 70, 13);
  BacktestOptions o;
  o.models = {"nb"};
  o.from = ym(2015, 1);
  o.to = ym(2016, 9);
  o.horizon = 2;
  o.samples = 300;
  o.nb.train_months = 24;
  o.nb.tol = 1e-10;
  const auto inc = run_backtest(p, Target::kFatalities, o);
  o.incremental = false;
  const auto naive = run_backtest(p, Target::kFatalities, o);
  EXPECT_NEAR(inc.overall[0].crps, naive.overall[0].crps, 1e-6 * naive.overall[0].crps);
  EXPECT_NEAR(inc.overall[0].mse, naive.overall[0].mse, 1e-6 * naive.overall[0].mse);
}

TEST(Backtest, RejectsOriginsWithoutHistoryOrData) {
  const Panel p = synthetic(3, 40, 1);
  BacktestOptions o;
  o.horizon = 12;
  o.from = ym(2012, 6);
  o.to = ym(2013, 6);
  EXPECT_THROW((void)run_backtest(p, Target::kFatalities, o), Error);
  o.from = ym(2014, 3);
  o.to = ym(2016, 1);
  EXPECT_THROW((void)run_backtest(p, Target::kFatalities, o), Error);
}

}  // namespace
}  // namespace endstate::forecast
