#pragma once
// Rolling-origin backtests (Tashman 2000, "Out-of-sample tests of forecasting
// accuracy", IJF 16(4)): for every origin month O in from..to, each model is
// fitted on the months strictly before O and forecasts O..O+H-1; every
// area-month with an observation is scored (scoring.hpp). Scores are grouped
// by the year of the origin and overall; the overall table, sorted by CRPS,
// is the ranking. The same seed gives the same numbers for any thread count.

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "endstate/core/panel.hpp"
#include "endstate/forecast/forecast.hpp"
#include "endstate/forecast/scoring.hpp"

namespace endstate::forecast {

struct BacktestOptions {
  std::vector<std::string> models;  ///< empty = all of model_names()
  Month from, to;                   ///< first and last origin (forecasts start there)
  int horizon = 12;
  int samples = 500;
  std::uint64_t seed = 1;
  int threads = 0;
  NbParams nb;
  HurdleParams hurdle;
  /// true: the incremental path (features computed once for the whole panel,
  /// coefficients warm-started from the previous origin); false: the
  /// straightforward path (features rebuilt from the truncated panel, cold
  /// start at every origin) - same model, used to measure the speed-up.
  bool incremental = true;
};

/// Mean scores of one model over one year of origins (year 0 = all years);
/// definitions in scoring.hpp (ViEWS challenge CRPS, ignorance, 90% MIS).
struct ScoreRow {
  std::string model;
  int year = 0;
  std::size_t n = 0;  ///< area-months scored
  double crps = 0, mse = 0, msle = 0, brier_1 = 0, brier_10 = 0, brier_25 = 0, cover_50 = 0, cover_90 = 0;
  double ign = 0;  ///< ViEWS ignorance score, bits
  double mis = 0;  ///< interval score of the central 90% interval
  /// The same over the area-months with y >= 1 only.
  std::size_t n_nonzero = 0;
  double crps_nonzero = 0, ign_nonzero = 0, cover_50_nonzero = 0, cover_90_nonzero = 0;
  /// Calibration in the large: sums of the forecast P(>= 1), P(>= 10), P(>= 25)
  /// against the number of area-months that reached 1, 10, 25.
  std::array<double, 3> expected_ge{}, observed_ge{};
};

/// Overall calibration of one model (docs/forecast.md, "Calibration").
struct Calibration {
  std::string model;
  std::array<double, kPitBins> pit{};          ///< mean PIT histogram (sums to 1)
  std::array<double, kPitBins> pit_nonzero{};  ///< the same over y >= 1
  struct Coverage {
    std::size_t n = 0;
    double cover_50 = 0, cover_90 = 0;
  };
  std::array<Coverage, kSizeClasses> by_size{};  ///< outcome classes 0, 1-9, 10-24, 25+
  Coverage called;                               ///< forecasts with P(>= 1) >= 0.5
  struct Reliability {
    std::size_t n = 0;
    double forecast = 0, observed = 0;  ///< mean P(>= k) and observed share in the bin
  };
  /// [threshold 1, 10, 25][bin of P(>= k): [0, 0.1), ..., [0.9, 1]]
  std::array<std::array<Reliability, kReliabilityBins>, 3> reliability{};
};

struct BacktestResult {
  std::vector<ScoreRow> by_year;         ///< model-major, years ascending
  std::vector<ScoreRow> overall;         ///< one row per model, best (lowest CRPS) first
  std::vector<Calibration> calibration;  ///< one per model, in the order of `overall`
  std::size_t origins = 0;
};

/// Runs the backtest over `panel` (the whole history; data after each origin
/// is used only to score). `progress(done, total)` is called (under a lock, from
/// any worker thread) after each unit of work. Error(kUsage) for bad options; Error(kBadInput)
/// when an origin leaves too little history or lies outside the panel.
BacktestResult run_backtest(const Panel& panel, Target target, const BacktestOptions& opt,
                            const std::function<void(std::int64_t, std::int64_t)>& progress = {});

}  // namespace endstate::forecast
