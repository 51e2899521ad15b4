#pragma once
// Sampling helpers over endstate::Rng (xoshiro256**). Implemented here rather
// than with <random> distributions, whose algorithms differ between standard
// libraries: the generator must give the same bytes everywhere.
//   - normal: Box–Muller transform (Box & Muller 1958);
//   - Poisson: multiplication of uniforms for small means (Knuth, TAOCP vol. 2,
//     3.4.1), normal approximation with continuity correction above 40;
//   - discrete Pareto: floor(U^(-1/alpha)), so P(X >= k) = k^(-alpha) for k >= 1
//     (Clauset, Shalizi & Newman 2009, power-law tails of event sizes).

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <vector>

#include "endstate/core/rng.hpp"

namespace endstate::scenario::detail {

/// Uniform in (0, 1): never exactly 0, so logs and negative powers are finite.
inline double uniform_open(Rng& rng) {
  double u = rng.uniform();
  while (u <= 0.0) u = rng.uniform();
  return u;
}

inline double uniform(Rng& rng, double lo, double hi) { return lo + (hi - lo) * rng.uniform(); }

inline bool bernoulli(Rng& rng, double p) { return rng.uniform() < p; }

inline double exponential(Rng& rng, double mean) { return -mean * std::log(uniform_open(rng)); }

/// Standard normal (one of the Box–Muller pair; the other is discarded so
/// that every call consumes exactly two uniforms).
inline double normal(Rng& rng) {
  const double u1 = uniform_open(rng);
  const double u2 = rng.uniform();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

inline std::int64_t poisson(Rng& rng, double mean) {
  if (mean <= 0.0) return 0;
  if (mean < 40.0) {
    const double limit = std::exp(-mean);
    std::int64_t k = 0;
    double p = rng.uniform();
    while (p > limit) {
      ++k;
      p *= rng.uniform();
    }
    return k;
  }
  const double x = std::floor(mean + std::sqrt(mean) * normal(rng) + 0.5);
  return x < 0 ? 0 : static_cast<std::int64_t>(x);
}

/// Discrete Pareto on {1, 2, ...} with tail index alpha, capped at `cap`.
inline std::int64_t discrete_pareto(Rng& rng, double alpha, std::int64_t cap) {
  const double x = std::floor(std::pow(uniform_open(rng), -1.0 / alpha));
  if (!(x < static_cast<double>(cap))) return cap;
  return std::max<std::int64_t>(1, static_cast<std::int64_t>(x));
}

/// Index drawn with probability proportional to weights (given as a running
/// cumulative sum, last element = total > 0).
inline std::size_t pick_cumulative(Rng& rng, const std::vector<double>& cumulative) {
  const double u = rng.uniform() * cumulative.back();
  const auto it = std::upper_bound(cumulative.begin(), cumulative.end(), u);
  return std::min<std::size_t>(static_cast<std::size_t>(it - cumulative.begin()), cumulative.size() - 1);
}

/// Running cumulative sum of weights.
inline std::vector<double> cumulative(const std::vector<double>& weights) {
  std::vector<double> c(weights.size());
  double s = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) c[i] = (s += weights[i]);
  return c;
}

}  // namespace endstate::scenario::detail
