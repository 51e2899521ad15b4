// The hurdle model's two regressions and its forecasts.
#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "endstate/core/rng.hpp"
#include "endstate/forecast/forecast.hpp"
#include "endstate/forecast/hurdle.hpp"
#include "endstate/forecast/sampling.hpp"

namespace endstate::forecast {
namespace {

TEST(FitLogit, RecoversCoefficientsAndWeightsEqualRepeatedRows) {
  Rng rng(8, 0);
  const std::size_t n = 20000, p = 2;
  std::vector<double> x, y, xr, yr, w;
  for (std::size_t i = 0; i < n; ++i) {
    const double xi = std::floor(8 * rng.uniform()) / 4 - 1;  // 8 distinct values: rows repeat
    const double pr = 1 / (1 + std::exp(-(-2.0 + 1.5 * xi)));
    const double yi = rng.uniform() < pr ? 1 : 0;
    x.insert(x.end(), {1, xi});
    y.push_back(yi);
  }
  GlmOptions o;
  o.ridge = 1e-6;
  const LogitFit f = fit_logit(x, y, p, o);
  ASSERT_TRUE(f.converged);
  EXPECT_NEAR(f.beta[0], -2.0, 0.08);
  EXPECT_NEAR(f.beta[1], 1.5, 0.1);
  EXPECT_LE(f.iterations, 10);
  // The same rows merged with frequency weights give the same fit.
  for (int v = 0; v < 8; ++v) {
    for (double yy : {0.0, 1.0}) {
      double c = 0;
      for (std::size_t i = 0; i < n; ++i) c += (x[i * 2 + 1] == v / 4.0 - 1 && y[i] == yy) ? 1 : 0;
      if (c == 0) continue;
      xr.insert(xr.end(), {1, v / 4.0 - 1});
      yr.push_back(yy);
      w.push_back(c);
    }
  }
  const LogitFit g = fit_logit(xr, yr, p, o, nullptr, w);
  EXPECT_NEAR(g.beta[0], f.beta[0], 1e-7);
  EXPECT_NEAR(g.beta[1], f.beta[1], 1e-7);
  const double row[2] = {1, 0.5};
  EXPECT_NEAR(g.prob_at(row), 1 / (1 + std::exp(-(g.beta[0] + 0.5 * g.beta[1]))), 1e-12);
  // A ridge pulls the slope to 0, not the intercept.
  o.ridge = 1e6;
  const LogitFit r = fit_logit(x, y, p, o);
  EXPECT_LT(std::abs(r.beta[1]), 0.01);
  double share = 0;
  for (double v : y) share += v;
  share /= static_cast<double>(n);
  EXPECT_NEAR(1 / (1 + std::exp(-r.beta[0])), share, 0.01);
}

TEST(FitLognormal, RecoversMeanAndHeteroscedasticVariance) {
  Rng rng(9, 0);
  const std::size_t n = 40000, p = 2;
  std::vector<double> x, ly;
  for (std::size_t i = 0; i < n; ++i) {
    const double xi = rng.uniform();
    const double sd = std::exp(0.5 * (-1.0 + 2.0 * xi));  // log variance -1 + 2 x
    x.insert(x.end(), {1, xi});
    ly.push_back(0.5 + 2.0 * xi + sd * sample_normal(rng));
  }
  GlmOptions o;
  o.ridge = 1e-6;
  const LogNormalFit f = fit_lognormal(x, ly, p, o, {0, 1});
  EXPECT_NEAR(f.beta[0], 0.5, 0.03);
  EXPECT_NEAR(f.beta[1], 2.0, 0.06);
  EXPECT_NEAR(f.v[0], -1.0, 0.06);
  EXPECT_NEAR(f.v[1], 2.0, 0.1);
  const double row[2] = {1, 0.25};
  EXPECT_NEAR(f.sd_at(row), std::exp(0.5 * (f.v[0] + 0.25 * f.v[1])), 1e-12);
  EXPECT_THROW((void)fit_lognormal(x, ly, p, o, {1}), std::invalid_argument);
}

// Areas with a fixed chance of violence each month and lognormal sizes:
// the hurdle's P(>= 1) follows each area's chance, and its median size the
// areas' size.
TEST(Forecast, HurdleFollowsTheChanceAndSizeOfViolence) {
  const std::size_t areas = 12, months = 120;
  std::vector<PanelArea> pa;
  for (std::size_t a = 0; a < areas; ++a) {
    pa.push_back({"a" + std::to_string(a), "", std::nullopt, LatLon{0.0, 20.0 + 2.0 * static_cast<double>(a)}, 1});
  }
  Panel p(pa, *Month::from_ym(2010, 1), Month::from_ym(2010, 1)->plus(static_cast<std::int32_t>(months) - 1));
  Rng rng(4, 0);
  const auto chance = [](std::size_t a) { return a < 4 ? 0.05 : a < 8 ? 0.3 : 0.8; };
  const auto size = [](std::size_t a) { return a % 2 == 0 ? 3.0 : 40.0; };
  for (std::size_t a = 0; a < areas; ++a) {
    for (std::size_t t = 0; t < months; ++t) {
      if (rng.uniform() < chance(a)) {
        const double v = std::max(1.0, std::round(size(a) * std::exp(0.4 * sample_normal(rng))));
        p.at(a, t).fatalities[0] = static_cast<std::int64_t>(v);
        p.at(a, t).events[0] = 1;
      }
    }
  }
  ForecastOptions o;
  o.model = "hurdle";
  o.horizon = 1;
  o.samples = 4000;
  const Forecast f = run_forecast(p, Target::kFatalities, o);
  // By group of four areas with the same chance (single areas vary with their last months).
  for (std::size_t g = 0; g < 3; ++g) {
    double m = 0;
    for (std::size_t a = 4 * g; a < 4 * g + 4; ++a) m += f.prob_at_least(a, 0, 1) / 4;
    EXPECT_NEAR(m, chance(4 * g), 0.1) << "areas " << 4 * g << ".." << 4 * g + 3;
  }
  // Among the draws >= 1, the median is near the area's size.
  for (std::size_t a : {std::size_t{8}, std::size_t{9}}) {
    std::vector<float> pos;
    for (std::size_t s = 0; s < f.samples; ++s) {
      if (f.draw(a, 0, s) >= 1) pos.push_back(f.draw(a, 0, s));
    }
    std::sort(pos.begin(), pos.end());
    ASSERT_FALSE(pos.empty());
    EXPECT_NEAR(std::log(pos[pos.size() / 2]), std::log(size(a)), 0.35) << a;
  }
}

}  // namespace
}  // namespace endstate::forecast
