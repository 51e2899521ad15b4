// Sample-based scores; see scoring.hpp.
#include "endstate/forecast/scoring.hpp"

#include <algorithm>
#include <cmath>

namespace endstate::forecast {

double crps_sorted(const float* x, std::size_t n, double y) {
  const double m = static_cast<double>(n);
  double abs_y = 0, spread = 0;
  for (std::size_t i = 0; i < n; ++i) {
    abs_y += std::abs(x[i] - y);
    spread += (2.0 * static_cast<double>(i + 1) - m - 1) * x[i];
  }
  return abs_y / m - spread / (m * m);  // E|X-y| - 0.5 * (2/m^2) sum (2i-m-1) x_(i)
}

double quantile_sorted(const float* x, std::size_t n, double q) {
  if (n == 0) return 0;
  const double h = (static_cast<double>(n) - 1) * std::clamp(q, 0.0, 1.0);
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, n - 1);
  return x[lo] + (h - static_cast<double>(lo)) * (static_cast<double>(x[hi]) - x[lo]);
}

double share_at_least_sorted(const float* x, std::size_t n, double v) {
  if (n == 0) return 0;
  const float* it = std::lower_bound(x, x + n, static_cast<float>(v));
  return static_cast<double>(x + n - it) / static_cast<double>(n);
}

void ScoreSums::add(const float* sorted, std::size_t m, double y) {
  double mean = 0;
  for (std::size_t i = 0; i < m; ++i) mean += sorted[i];
  mean /= static_cast<double>(m);
  n += 1;
  crps += crps_sorted(sorted, m, y);
  se += (mean - y) * (mean - y);
  const double dl = std::log1p(std::max(mean, 0.0)) - std::log1p(std::max(y, 0.0));
  sle += dl * dl;
  const auto brier = [&](double k) {
    const double p = share_at_least_sorted(sorted, m, k);
    const double o = y >= k ? 1.0 : 0.0;
    return (p - o) * (p - o);
  };
  brier1 += brier(1);
  brier10 += brier(10);
  brier25 += brier(25);
  const auto inside = [&](double lo, double hi) {
    return y >= quantile_sorted(sorted, m, lo) && y <= quantile_sorted(sorted, m, hi) ? 1.0 : 0.0;
  };
  cover50 += inside(0.25, 0.75);
  cover90 += inside(0.05, 0.95);
}

void ScoreSums::merge(const ScoreSums& o) {
  n += o.n;
  crps += o.crps;
  se += o.se;
  sle += o.sle;
  brier1 += o.brier1;
  brier10 += o.brier10;
  brier25 += o.brier25;
  cover50 += o.cover50;
  cover90 += o.cover90;
}

}  // namespace endstate::forecast
