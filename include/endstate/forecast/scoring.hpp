#pragma once
// Scores of a sample forecast against the observed value, as the 2023/24
// ViEWS prediction challenge defines them (Hegre et al. 2024, "The 2023/24
// VIEWS prediction challenge: predicting the number of fatalities in armed
// conflict, with uncertainty", arXiv:2407.11045; evaluation code
// github.com/prio-data/prediction_competition_2023, evaluation/*.py):
//
// - CRPS in its energy form, CRPS(F, y) = E|X - y| - 1/2 E|X - X'| (Gneiting
//   & Raftery 2007, "Strictly proper scoring rules, prediction, and
//   estimation", JASA 102(477), eq. 21), exactly over the m draws by
//   sorting: E|X - X'| = 2/m^2 sum_i (2i - m - 1) x_(i) (the challenge's
//   xskillscore.crps_ensemble, same estimator).
// - Ignorance score: -log2 of the forecast probability of the observed bin,
//   bins {0}, 1-2, 3-5, 6-10, 11-25, 26-50, 51-100, 101-250, 251-500,
//   501-1000, > 1000 (edges 0.5, 2.5, ..., 1000.5), each bin's probability
//   (draws in the bin + 1) / (m + 11): one pseudo-draw per bin so that no
//   outcome has probability 0 (the challenge's ensemble_ignorance_score).
// - Interval score of the central 90% interval [l, u] (type-7 quantiles
//   0.05, 0.95): (u - l) + 2/0.1 (l - y)+ + 2/0.1 (y - u)+ (Gneiting &
//   Raftery 2007, eq. 43; the challenge's "MIS" at level 0.9).
// - The Brier score of exceeding 1, 10 and 25 (Brier 1950), MSE and MSLE of
//   the mean, coverage of the central 50% and 90% intervals.
// Calibration diagnostics: the non-randomised PIT histogram for count data
// (Czado, Gneiting & Held 2009, "Predictive model assessment for count
// data", Biometrics 65(4)): each forecast spreads its PIT uniformly over
// [F(y-1), F(y)]; a calibrated forecast gives a flat histogram; interval
// coverage by outcome size and among forecasts that call for violence
// (P(>=1) >= 0.5); reliability of P(>=1), P(>=10), P(>=25) in ten bins.

#include <array>
#include <cstddef>

namespace endstate::forecast {

/// CRPS of draws sorted ascending (n >= 1) against y.
double crps_sorted(const float* sorted, std::size_t n, double y);
/// Type-7 quantile of draws sorted ascending.
double quantile_sorted(const float* sorted, std::size_t n, double q);
/// Share of sorted draws >= x.
double share_at_least_sorted(const float* sorted, std::size_t n, double x);
/// The ViEWS ignorance score (bits) of sorted draws against y (see above).
double ignorance_sorted(const float* sorted, std::size_t n, double y);
/// The interval score of the central `level` interval (0.9 = the ViEWS MIS).
double interval_score_sorted(const float* sorted, std::size_t n, double y, double level = 0.9);

inline constexpr std::size_t kPitBins = 10;
/// Outcome size classes of the coverage table: y = 0, 1-9, 10-24, >= 25.
inline constexpr std::size_t kSizeClasses = 4;
std::size_t size_class(double y);
/// "0", "1-9", "10-24", "25+".
const char* size_class_name(std::size_t c);
/// The exceedance thresholds of the Brier scores and reliability tables.
inline constexpr std::array<double, 3> kThresholds{1, 10, 25};
inline constexpr std::size_t kReliabilityBins = 10;

/// Sums of scores over many forecast-observation pairs; add() in a fixed order
/// for reproducible totals.
struct ScoreSums {
  double n = 0, crps = 0, se = 0, sle = 0, brier1 = 0, brier10 = 0, brier25 = 0, cover50 = 0, cover90 = 0;
  double ign = 0, mis = 0;
  /// The same over outcomes y >= 1 only.
  double n_nonzero = 0, crps_nonzero = 0, ign_nonzero = 0, cover50_nonzero = 0, cover90_nonzero = 0;
  /// Sums of P(>= k) and counts of y >= k, k = kThresholds (calibration in the large).
  std::array<double, 3> expected{}, observed{};
  std::array<double, kPitBins> pit{}, pit_nonzero{};
  struct Cover {
    double n = 0, c50 = 0, c90 = 0;
  };
  std::array<Cover, kSizeClasses> by_size{};
  Cover called;  ///< forecasts with P(>= 1) >= 0.5
  struct Bin {
    double n = 0, p = 0, o = 0;  ///< count, sum of forecast probabilities, count of outcomes
  };
  std::array<std::array<Bin, kReliabilityBins>, 3> reliability{};

  /// Scores one forecast (sorted draws) against y.
  void add(const float* sorted, std::size_t m, double y);
  void merge(const ScoreSums& o);
};

}  // namespace endstate::forecast
