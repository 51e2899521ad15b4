// The module-private machinery of the forecasts (src/forecast/detail/engine.hpp):
// merged training rows, the draw sort and the NB sampler by inversion.
#include <algorithm>
#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "endstate/core/rng.hpp"
#include "endstate/forecast/nb.hpp"
#include "endstate/forecast/sampling.hpp"
#include "forecast/detail/engine.hpp"

namespace endstate::forecast {
namespace {

TEST(TrainingSet, MergesIdenticalRowsAndRemovesThem) {
  detail::TrainingSet s(2);
  const double a[2] = {1, 0}, b[2] = {1, 0.5};
  s.add(a, 0, 0.1, 1);
  s.add(b, 0, 0.1, 1);
  s.add(a, 0, 0.1, 1);
  s.add(a, 3, 0.1, 1);  // another target: another row
  s.add(a, 0, 0.2, 1);  // another offset: another row
  ASSERT_EQ(s.rows(), 4u);
  EXPECT_EQ(s.weight()[0], 2);
  EXPECT_EQ(s.total_weight(), 5);
  s.add(a, 0, 0.1, -1);
  EXPECT_EQ(s.weight()[0], 1);
  // Enough distinct rows to make the table grow: every one is found again.
  for (int i = 0; i < 1000; ++i) {
    const double r[2] = {1, static_cast<double>(i)};
    s.add(r, i % 3, 0, 1);
  }
  for (int i = 0; i < 1000; ++i) {
    const double r[2] = {1, static_cast<double>(i)};
    s.add(r, i % 3, 0, 1);
  }
  EXPECT_EQ(s.rows(), 4u + 1000u);  // the 1000 rows are new (offset 0), and added twice each
  EXPECT_EQ(s.total_weight(), 4 + 2000);
}

TEST(FitNb2, FrequencyWeightsEqualRepeatedRows) {
  Rng rng(3, 0);
  const std::size_t n = 3000, p = 3;
  std::vector<double> x, y, off, xr, yr, offr, w;
  for (std::size_t i = 0; i < n; ++i) {
    const double x1 = std::floor(4 * rng.uniform()) / 4, x2 = rng.uniform() < 0.7 ? 0.0 : 1.0;
    const double v = static_cast<double>(sample_nb2(rng, std::exp(0.3 + 0.9 * x1 - 0.5 * x2), 0.8));
    const double o = 0.1 * x2;
    const auto rep = 1 + rng.below(3);
    for (std::size_t k = 0; k < rep; ++k) {
      x.insert(x.end(), {1, x1, x2});
      y.push_back(v);
      off.push_back(o);
    }
    xr.insert(xr.end(), {1, x1, x2});
    yr.push_back(v);
    offr.push_back(o);
    w.push_back(static_cast<double>(rep));
  }
  NbFitOptions opt;
  opt.ridge = 2;
  opt.dispersion_columns = {0, 2};
  const NbFit all = fit_nb2(x, y, p, opt, nullptr, off);
  const NbFit merged = fit_nb2(xr, yr, p, opt, nullptr, offr, w);
  ASSERT_TRUE(all.converged);
  ASSERT_TRUE(merged.converged);
  for (std::size_t j = 0; j < p; ++j) EXPECT_NEAR(all.beta[j], merged.beta[j], 1e-7) << j;
  for (std::size_t k = 0; k < 2; ++k) EXPECT_NEAR(all.gamma[k], merged.gamma[k], 1e-7) << k;
  EXPECT_NEAR(all.loglik, merged.loglik, 1e-6 * std::abs(all.loglik));
  EXPECT_LE(all.iterations, 12);  // Newton: a handful of steps from a cold start
}

TEST(FitNb2, ConvergesWhereTheDispersionReachesItsBound) {
  // Sparse counts with a dispersion that grows with the level, so that
  // log alpha passes its bound (7) for the busiest rows. Without the
  // dispersion ridge a slope ran to infinity (seeds 4, 9); without the
  // "likelihood no longer moves" stop, Newton steps cycled between points of
  // the same likelihood to max_iter (seeds 3, 7).
  for (std::uint64_t seed = 1; seed <= 12; ++seed) {
    Rng rng(seed, 0);
    const std::size_t n = 8000, p = 3;
    std::vector<double> x, y;
    for (std::size_t i = 0; i < n; ++i) {
      const double level = rng.uniform() < 0.8 ? 0.0 : 6 * rng.uniform(),
                   share = rng.uniform() < 0.7 ? 0.0 : rng.uniform();
      const double mu = std::exp(-4 + 0.8 * level), alpha = std::exp(std::min(6 + 0.45 * level - 3 * share, 9.0));
      x.insert(x.end(), {1, level, share});
      y.push_back(static_cast<double>(sample_nb2(rng, mu, alpha)));
    }
    NbFitOptions opt;
    opt.ridge = 1;
    opt.dispersion_columns = {0, 1, 2};
    opt.dispersion_ridge = 1;
    const NbFit f = fit_nb2(x, y, p, opt);
    EXPECT_TRUE(f.converged) << seed;
    EXPECT_LT(f.iterations, 40) << seed;
    EXPECT_LT(std::abs(f.gamma[1]), 50) << seed;
  }
}

TEST(Sampling, Nb2ByInversionFollowsThePmf) {
  // Share of draws at 0, 1, 2 and mean/variance against the exact NB2.
  struct Case {
    double mu, alpha;
  };
  for (const Case c :
       {Case{0.002, 4.0}, Case{0.7, 0.5}, Case{6.0, 1.5}, Case{40.0, 0.05}, Case{150.0, 3.0}, Case{900.0, 0.3}}) {
    Rng rng(17, static_cast<std::uint64_t>(c.mu * 1000));
    const std::size_t n = 200000;
    std::vector<float> d(n);
    sample_nb2_n(rng, c.mu, c.alpha, d.data(), n);
    double s = 0, s2 = 0, c0 = 0, c1 = 0;
    for (float v : d) {
      s += v;
      s2 += static_cast<double>(v) * v;
      c0 += v == 0 ? 1 : 0;
      c1 += v == 1 ? 1 : 0;
    }
    const double m = s / n, var = s2 / n - m * m, r = 1 / c.alpha;
    const double p0 = std::pow(r / (r + c.mu), r), p1 = p0 * r * c.mu / (r + c.mu);
    const double sd = std::sqrt(c.mu + c.alpha * c.mu * c.mu);
    EXPECT_NEAR(m, c.mu, 6 * sd / std::sqrt(n) + 1e-9) << c.mu;
    EXPECT_NEAR(var / (sd * sd), 1.0, 0.1) << c.mu;
    EXPECT_NEAR(c0 / n, p0, 5 * std::sqrt(p0 * (1 - p0) / n) + 1e-6) << c.mu;
    EXPECT_NEAR(c1 / n, p1, 5 * std::sqrt(p1 * (1 - p1) / n) + 1e-6) << c.mu;
  }
  Rng rng(1, 0);
  std::vector<float> z(10, 7.0f);
  sample_nb2_n(rng, 0.0, 1.0, z.data(), z.size());
  EXPECT_EQ(std::count(z.begin(), z.end(), 0.0f), 10);
}

TEST(SortDraws, ZerosFirstThenAscending) {
  std::vector<float> d{3, 0, 1, 0, 7, 0, 2, 2};
  detail::sort_draws(d.data(), d.size());
  EXPECT_EQ(d, (std::vector<float>{0, 0, 0, 1, 2, 2, 3, 7}));
}

}  // namespace
}  // namespace endstate::forecast
