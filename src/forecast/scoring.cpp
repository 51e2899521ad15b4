// Sample-based scores; see scoring.hpp.
#include "endstate/forecast/scoring.hpp"

#include <algorithm>
#include <array>
#include <cmath>

namespace endstate::forecast {

double crps_sorted(const float* x, std::size_t n, double y) {
  // Draws are non-negative and sorted: the leading zeros (most draws on a
  // sparse grid) add |0 - y| each and nothing to the spread term.
  const std::size_t z = x[0] != 0.0f ? 0 : static_cast<std::size_t>(std::upper_bound(x, x + n, 0.0f) - x);
  const double m = static_cast<double>(n);
  double abs_y = static_cast<double>(z) * std::abs(y), spread = 0;
  for (std::size_t i = z; i < n; ++i) {
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

double ignorance_sorted(const float* x, std::size_t n, double y) {
  // Bin edges of the challenge: 0, 0.5, 2.5, 5.5, 10.5, 25.5, 50.5, 100.5, 250.5, 500.5, 1000.5;
  // the bin of v is the last edge <= v (so > 1000.5 is the 11th bin).
  static constexpr std::array<double, 11> kEdges{0, 0.5, 2.5, 5.5, 10.5, 25.5, 50.5, 100.5, 250.5, 500.5, 1000.5};
  const double v = std::max(y, 0.0);
  std::size_t b = 0;
  while (b + 1 < kEdges.size() && v >= kEdges[b + 1]) ++b;
  const auto lo = static_cast<float>(kEdges[b]);
  const float* first = b == 0 ? x : std::lower_bound(x, x + n, lo);
  const float* last = b + 1 < kEdges.size() ? std::lower_bound(x, x + n, static_cast<float>(kEdges[b + 1])) : x + n;
  const double count = static_cast<double>(last - first);
  return -std::log2((count + 1) / (static_cast<double>(n) + static_cast<double>(kEdges.size())));
}

double interval_score_sorted(const float* x, std::size_t n, double y, double level) {
  const double a = 1 - level;
  const double lo = quantile_sorted(x, n, a / 2), hi = quantile_sorted(x, n, 1 - a / 2);
  return (hi - lo) + (2 / a) * std::max(lo - y, 0.0) + (2 / a) * std::max(y - hi, 0.0);
}

std::size_t size_class(double y) { return y < 1 ? 0 : y < 10 ? 1 : y < 25 ? 2 : 3; }

const char* size_class_name(std::size_t c) {
  static constexpr const char* kNames[kSizeClasses] = {"0", "1-9", "10-24", "25+"};
  return c < kSizeClasses ? kNames[c] : "?";
}

void ScoreSums::add(const float* sorted, std::size_t m, double y) {
  double mean = 0;
  for (std::size_t i = m; i-- > 0 && sorted[i] > 0.0f;) mean += sorted[i];
  mean /= static_cast<double>(m);
  const double c = crps_sorted(sorted, m, y);
  const double g = ignorance_sorted(sorted, m, y);
  n += 1;
  crps += c;
  ign += g;
  mis += interval_score_sorted(sorted, m, y, 0.9);
  se += (mean - y) * (mean - y);
  const double dl = std::log1p(std::max(mean, 0.0)) - std::log1p(std::max(y, 0.0));
  sle += dl * dl;
  std::array<double, 3> p{};
  for (std::size_t k = 0; k < kThresholds.size(); ++k) {
    p[k] = share_at_least_sorted(sorted, m, kThresholds[k]);
    const double o = y >= kThresholds[k] ? 1.0 : 0.0;
    expected[k] += p[k];
    observed[k] += o;
    Bin& bin = reliability[k][std::min(kReliabilityBins - 1, static_cast<std::size_t>(p[k] * kReliabilityBins))];
    bin.n += 1;
    bin.p += p[k];
    bin.o += o;
  }
  brier1 += (p[0] - (y >= 1 ? 1.0 : 0.0)) * (p[0] - (y >= 1 ? 1.0 : 0.0));
  brier10 += (p[1] - (y >= 10 ? 1.0 : 0.0)) * (p[1] - (y >= 10 ? 1.0 : 0.0));
  brier25 += (p[2] - (y >= 25 ? 1.0 : 0.0)) * (p[2] - (y >= 25 ? 1.0 : 0.0));
  const auto inside = [&](double lo, double hi) {
    return y >= quantile_sorted(sorted, m, lo) && y <= quantile_sorted(sorted, m, hi) ? 1.0 : 0.0;
  };
  const double in50 = inside(0.25, 0.75), in90 = inside(0.05, 0.95);
  cover50 += in50;
  cover90 += in90;
  Cover& cls = by_size[size_class(y)];
  cls.n += 1;
  cls.c50 += in50;
  cls.c90 += in90;
  if (p[0] >= 0.5) {
    called.n += 1;
    called.c50 += in50;
    called.c90 += in90;
  }
  // PIT spread uniformly over [F(y-1), F(y)] (Czado et al. 2009).
  const auto pit_add = [&](std::array<double, kPitBins>& hist) {
    const double lo = static_cast<double>(std::lower_bound(sorted, sorted + m, static_cast<float>(y)) - sorted) /
                      static_cast<double>(m);
    const double hi = static_cast<double>(std::upper_bound(sorted, sorted + m, static_cast<float>(y)) - sorted) /
                      static_cast<double>(m);
    // The PIT's CDF; a point mass when lo == hi (y outside the draws' support).
    const auto cdf = [&](double u) { return u >= hi ? 1.0 : u <= lo ? 0.0 : (u - lo) / (hi - lo); };
    for (std::size_t b = 0; b < kPitBins; ++b) {
      hist[b] += cdf(static_cast<double>(b + 1) / kPitBins) - (b == 0 ? 0.0 : cdf(static_cast<double>(b) / kPitBins));
    }
  };
  pit_add(pit);
  if (y >= 1) {
    n_nonzero += 1;
    crps_nonzero += c;
    ign_nonzero += g;
    cover50_nonzero += in50;
    cover90_nonzero += in90;
    pit_add(pit_nonzero);
  }
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
  ign += o.ign;
  mis += o.mis;
  n_nonzero += o.n_nonzero;
  crps_nonzero += o.crps_nonzero;
  ign_nonzero += o.ign_nonzero;
  cover50_nonzero += o.cover50_nonzero;
  cover90_nonzero += o.cover90_nonzero;
  for (std::size_t k = 0; k < 3; ++k) {
    expected[k] += o.expected[k];
    observed[k] += o.observed[k];
    for (std::size_t b = 0; b < kReliabilityBins; ++b) {
      reliability[k][b].n += o.reliability[k][b].n;
      reliability[k][b].p += o.reliability[k][b].p;
      reliability[k][b].o += o.reliability[k][b].o;
    }
  }
  for (std::size_t b = 0; b < kPitBins; ++b) {
    pit[b] += o.pit[b];
    pit_nonzero[b] += o.pit_nonzero[b];
  }
  for (std::size_t c = 0; c < kSizeClasses; ++c) {
    by_size[c].n += o.by_size[c].n;
    by_size[c].c50 += o.by_size[c].c50;
    by_size[c].c90 += o.by_size[c].c90;
  }
  called.n += o.called.n;
  called.c50 += o.called.c50;
  called.c90 += o.called.c90;
}

}  // namespace endstate::forecast
