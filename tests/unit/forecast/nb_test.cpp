#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "endstate/core/rng.hpp"
#include "endstate/forecast/nb.hpp"
#include "endstate/forecast/sampling.hpp"

namespace endstate::forecast {
namespace {

TEST(SpecialFunctions, KnownValues) {
  EXPECT_NEAR(digamma(1.0), -0.5772156649015329, 1e-12);
  EXPECT_NEAR(digamma(0.5), -1.9635100260214235, 1e-12);
  EXPECT_NEAR(digamma(10.0), 2.251752589066721, 1e-12);
  EXPECT_NEAR(trigamma(1.0), 3.14159265358979323846 * 3.14159265358979323846 / 6, 1e-12);
  EXPECT_NEAR(trigamma(0.5), 3.14159265358979323846 * 3.14159265358979323846 / 2, 1e-11);
  EXPECT_NEAR(trigamma(20.0), 0.05127082293520723, 1e-12);
}

TEST(Nb2Loglik, HandComputed) {
  // y = 0, r = 1: log(1/(1+mu))
  EXPECT_NEAR(nb2_loglik(0, 2.0, 1.0), -std::log(3.0), 1e-12);
  // y = 1, r = 1 (geometric): P = (1/3)(2/3)
  EXPECT_NEAR(nb2_loglik(1, 2.0, 1.0), std::log(2.0 / 9.0), 1e-12);
}

TEST(Cholesky, SolvesTwoByTwo) {
  std::vector<double> a{4, 2, 2, 3}, b{2, 1};
  ASSERT_TRUE(cholesky_solve(a, b, 2));
  EXPECT_NEAR(b[0], 0.5, 1e-14);
  EXPECT_NEAR(b[1], 0.0, 1e-14);
  std::vector<double> bad{1, 2, 2, 1}, rhs{1, 1};
  EXPECT_FALSE(cholesky_solve(bad, rhs, 2));
}

TEST(Sampling, NegativeBinomialMoments) {
  Rng rng(7, 0);
  const int n = 200000;
  double s = 0, s2 = 0;
  for (int i = 0; i < n; ++i) {
    const double v = static_cast<double>(sample_nb2(rng, 5.0, 0.5));
    s += v;
    s2 += v * v;
  }
  const double m = s / n, var = s2 / n - m * m;
  EXPECT_NEAR(m, 5.0, 0.05);
  EXPECT_NEAR(var, 5.0 + 0.5 * 25.0, 0.5);
}

TEST(Sampling, PoissonMomentsSmallAndLarge) {
  for (double lam : {0.3, 4.0, 12.0, 250.0}) {
    Rng rng(11, static_cast<std::uint64_t>(lam * 10));
    const int n = 100000;
    double s = 0, s2 = 0;
    for (int i = 0; i < n; ++i) {
      const double v = static_cast<double>(sample_poisson(rng, lam));
      s += v;
      s2 += v * v;
    }
    const double m = s / n, var = s2 / n - m * m;
    EXPECT_NEAR(m, lam, 5 * std::sqrt(lam / n)) << lam;
    EXPECT_NEAR(var / lam, 1.0, 0.03) << lam;
  }
  Rng rng(1, 0);
  EXPECT_EQ(sample_poisson(rng, 0.0), 0);
  EXPECT_EQ(sample_nb2(rng, 0.0, 1.0), 0);
}

TEST(Sampling, GammaMean) {
  for (double k : {0.3, 1.0, 4.5}) {
    Rng rng(3, 1);
    double s = 0;
    const int n = 100000;
    for (int i = 0; i < n; ++i) s += sample_gamma(rng, k);
    EXPECT_NEAR(s / n, k, 4 * std::sqrt(k / n)) << k;
  }
}

TEST(FitNb2, RecoversSimulatedCoefficientsAndDispersion) {
  Rng rng(42, 0);
  const std::size_t n = 20000, p = 2;
  std::vector<double> x(n * p), y(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double xi = 2 * rng.uniform() - 1;
    x[i * p] = 1;
    x[i * p + 1] = xi;
    y[i] = static_cast<double>(sample_nb2(rng, std::exp(0.5 + 0.8 * xi), 0.5));
  }
  NbFitOptions o;
  o.ridge = 1e-6;
  const NbFit f = fit_nb2(x, y, p, o);
  EXPECT_TRUE(f.converged);
  EXPECT_NEAR(f.beta[0], 0.5, 0.04);
  EXPECT_NEAR(f.beta[1], 0.8, 0.05);
  EXPECT_NEAR(f.alpha, 0.5, 0.05);
  // A warm start from the estimate converges at once to the same point.
  const NbFit g = fit_nb2(x, y, p, o, &f);
  EXPECT_LE(g.iterations, 3);
  EXPECT_NEAR(g.beta[1], f.beta[1], 1e-6);
}

TEST(FitNb2, InterceptOnlyIsLogMean) {
  // Intercept-only NB2: the MLE of the mean is the sample mean.
  std::vector<double> y{0, 0, 1, 3, 0, 8, 2, 0, 0, 6};
  std::vector<double> x(y.size(), 1.0);
  const NbFit f = fit_nb2(x, y, 1, NbFitOptions{});
  EXPECT_NEAR(std::exp(f.beta[0]), 2.0, 1e-6);
  EXPECT_GT(f.alpha, 0.5);  // overdispersed: var 7.6 vs mean 2
}

TEST(FitNb2, RidgeShrinksSlopes) {
  Rng rng(5, 0);
  const std::size_t n = 400, p = 2;
  std::vector<double> x(n * p), y(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double xi = rng.uniform();
    x[i * p] = 1;
    x[i * p + 1] = xi;
    y[i] = static_cast<double>(sample_nb2(rng, std::exp(1.5 * xi), 0.3));
  }
  NbFitOptions lo, hi;
  lo.ridge = 1e-6;
  hi.ridge = 1e4;
  EXPECT_LT(std::abs(fit_nb2(x, y, p, hi).beta[1]), 0.2 * std::abs(fit_nb2(x, y, p, lo).beta[1]));
}

}  // namespace
}  // namespace endstate::forecast
