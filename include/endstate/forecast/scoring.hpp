#pragma once
// Scores of a sample forecast against the observed value.
// CRPS in its energy form, CRPS(F, y) = E|X - y| - 1/2 E|X - X'| (Gneiting &
// Raftery 2007, "Strictly proper scoring rules, prediction, and estimation",
// JASA 102(477), eq. 21), computed exactly over the m draws by sorting:
// E|X - X'| = 2/m^2 sum_i (2i - m - 1) x_(i). The Brier score of exceeding a
// threshold (Brier 1950) and central-interval coverage complete the set the
// ViEWS challenge reported (Vesco et al. 2022).

#include <cstddef>

namespace endstate::forecast {

/// CRPS of draws sorted ascending (n >= 1) against y.
double crps_sorted(const float* sorted, std::size_t n, double y);
/// Type-7 quantile of draws sorted ascending.
double quantile_sorted(const float* sorted, std::size_t n, double q);
/// Share of sorted draws >= x.
double share_at_least_sorted(const float* sorted, std::size_t n, double x);

/// Sums of scores over many forecast-observation pairs; add() in a fixed order
/// for reproducible totals.
struct ScoreSums {
  double n = 0, crps = 0, se = 0, sle = 0, brier1 = 0, brier10 = 0, brier25 = 0, cover50 = 0, cover90 = 0;
  /// Scores one forecast (sorted draws) against y.
  void add(const float* sorted, std::size_t m, double y);
  void merge(const ScoreSums& o);
};

}  // namespace endstate::forecast
