// Portable variates; see sampling.hpp for the algorithms and references.
#include "endstate/forecast/sampling.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace endstate::forecast {

double sample_normal(Rng& rng) {
  for (;;) {
    const double u = 2 * rng.uniform() - 1;
    const double v = 2 * rng.uniform() - 1;
    const double s = u * u + v * v;
    if (s > 0 && s < 1) return u * std::sqrt(-2 * std::log(s) / s);
  }
}

double sample_gamma(Rng& rng, double shape) {
  if (shape < 1) {
    const double g = sample_gamma(rng, shape + 1);
    double u = rng.uniform();
    while (u <= 0) u = rng.uniform();
    return g * std::pow(u, 1 / shape);
  }
  const double d = shape - 1.0 / 3;
  const double c = 1 / std::sqrt(9 * d);
  for (;;) {
    double x = 0, v = 0;
    do {
      x = sample_normal(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const double u = rng.uniform();
    if (u < 1 - 0.0331 * x * x * x * x) return d * v;
    if (u > 0 && std::log(u) < 0.5 * x * x + d * (1 - v + std::log(v))) return d * v;
  }
}

std::int64_t sample_poisson(Rng& rng, double lambda) {
  if (!(lambda > 0)) return 0;
  lambda = std::min(lambda, 1e9);
  if (lambda < 10) {
    const double limit = std::exp(-lambda);
    double prod = rng.uniform();
    std::int64_t k = 0;
    while (prod > limit) {
      ++k;
      prod *= rng.uniform();
    }
    return k;
  }
  // PTRS, Hormann (1993).
  const double slam = std::sqrt(lambda);
  const double loglam = std::log(lambda);
  const double b = 0.931 + 2.53 * slam;
  const double a = -0.059 + 0.02483 * b;
  const double invalpha = 1.1239 + 1.1328 / (b - 3.4);
  const double vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const double u = rng.uniform() - 0.5;
    const double v = rng.uniform();
    const double us = 0.5 - std::abs(u);
    const double kd = std::floor((2 * a / us + b) * u + lambda + 0.43);
    if (us >= 0.07 && v <= vr) return static_cast<std::int64_t>(kd);
    if (kd < 0 || (us < 0.013 && v > us)) continue;
    if (v > 0 &&
        std::log(v) + std::log(invalpha) - std::log(a / (us * us) + b) <= -lambda + kd * loglam - std::lgamma(kd + 1)) {
      return static_cast<std::int64_t>(kd);
    }
  }
}

std::int64_t sample_nb2(Rng& rng, double mu, double alpha) {
  if (!(mu > 0)) return 0;
  if (!(alpha > 1e-9)) return sample_poisson(rng, mu);
  const double r = 1 / alpha;
  return sample_poisson(rng, sample_gamma(rng, r) * mu / r);
}

void sample_nb2_n(Rng& rng, double mu, double alpha, float* out, std::size_t n) {
  if (!(mu > 0)) {
    std::fill(out, out + n, 0.0f);
    return;
  }
  constexpr std::size_t kMaxTable = 8192;
  const double r = alpha > 1e-9 ? 1 / alpha : 1e9;
  const double q = mu / (r + mu);
  const double log_p0 = -r * std::log1p(mu / r);
  bool table_ok = mu <= 200 && log_p0 > -700;
  std::vector<double> cdf;
  double pk = 0;
  if (table_ok) {
    pk = std::exp(log_p0);
    double c = pk;
    cdf.push_back(c);
    while (c < 1 - 1e-4 && cdf.size() < kMaxTable) {
      const double k = static_cast<double>(cdf.size() - 1);
      pk *= (k + r) / (k + 1) * q;
      c += pk;
      cdf.push_back(c);
    }
    table_ok = c >= 1 - 1e-4;
  }
  if (!table_ok) {
    for (std::size_t s = 0; s < n; ++s) out[s] = static_cast<float>(sample_nb2(rng, mu, alpha));
    return;
  }
  const double last_p = pk;
  for (std::size_t s = 0; s < n; ++s) {
    const double u = rng.uniform();
    if (u < cdf[0]) {
      out[s] = 0.0f;
      continue;
    }
    const auto it = std::upper_bound(cdf.begin(), cdf.end(), u);
    if (it != cdf.end()) {
      out[s] = static_cast<float>(it - cdf.begin());
      continue;
    }
    // Beyond the table (probability < 1e-4): continue the recurrence.
    double c = cdf.back(), p = last_p, k = static_cast<double>(cdf.size() - 1);
    for (int step = 0; step < 10000000 && c <= u; ++step) {
      p *= (k + r) / (k + 1) * q;
      k += 1;
      c += p;
    }
    out[s] = static_cast<float>(k);
  }
}

}  // namespace endstate::forecast
