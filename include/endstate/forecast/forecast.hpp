#pragma once
// Probabilistic forecasts of political violence per area and month, as
// samples from a predictive distribution, following the ViEWS early-warning
// system (Hegre et al. 2019, "ViEWS: A political violence early-warning
// system", Journal of Peace Research 56(2)) and the ViEWS prediction
// challenge (Vesco et al. 2022, "United they stand: Findings from an
// escalation prediction competition", International Interactions 48(4),
// doi:10.1080/03050629.2022.2029856).
//
// Models (docs/forecast.md):
//   zero           all draws 0 (challenge benchmark)
//   last           Poisson with the last observed month as mean (benchmark)
//   bootstrap      draws from the area's last 12 months (benchmark)
//   conflictology  draws from the area's whole own history (benchmark)
//   nb             negative binomial (NB2) regression on lags, the k nearest
//                  neighbours' spatial lag, time since the last event and the
//                  area's long-run level; one direct model per horizon
//                  (Cameron & Trivedi 2013, Regression Analysis of Count Data)
//   hurdle         P(any violence) by logistic regression and its size by a
//                  lognormal regression, on the area's lags of fatalities and
//                  events, two rings of neighbours and decays (hurdle.hpp)
//   best           = hurdle, the model the rolling-origin backtests chose
//                  (docs/forecast.md, "Choice of model")
//
// A forecast issued after the panel's last month for months 1..H ahead uses
// the panel only; the same seed gives the same draws whatever the thread count.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "endstate/core/panel.hpp"
#include "endstate/core/types.hpp"

namespace endstate::forecast {

/// What is forecast: all fatalities; events / fatalities of violence against
/// civilians (ViolenceType::kOneSided).
enum class Target { kFatalities, kVacEvents, kVacFatalities };

/// "fatalities", "vac-events", "vac-fatalities".
std::string target_name(Target t);
/// Inverse of target_name; nullopt for anything else.
std::optional<Target> parse_target(const std::string& s);

/// The target as a dense [area][month] matrix (row-major, panel order).
std::vector<double> target_series(const Panel& panel, Target target);

/// Tuning of the learned NB model (defaults chosen by backtest, docs/forecast.md).
struct NbParams {
  int neighbours = 4;    ///< k nearest area centroids for the spatial lag
  int train_months = 0;  ///< only the latest this many months of training targets; 0 = all
  double ridge = 100.0;  ///< L2 penalty on the slopes (not the intercept); chosen by backtest
  /// log alpha depends on the area's 12-month level and share of months with
  /// events (NB-H) instead of one alpha for all rows.
  bool dispersion_by_level = true;
  /// L2 penalty on the slopes of log alpha (keeps the estimate finite where
  /// alpha reaches its bound for the busiest areas).
  double dispersion_ridge = 1.0;
  /// log(12-month mean + 0.5) as an offset: the ridge then shrinks towards
  /// "the recent level" rather than towards "the panel's overall mean".
  bool offset_level = true;
  int max_iter = 100;  ///< IRLS/Newton iterations (cold start)
  double tol = 1e-7;   ///< convergence on max |step| of coefficients and log(1/alpha)
};

/// Tuning of the learned hurdle model (defaults chosen by backtest, docs/forecast.md).
struct HurdleParams {
  int neighbours = 8;         ///< first ring: the k nearest areas (the 8 cells around a grid cell)
  int outer_neighbours = 16;  ///< second ring: the next k nearest (a 5 x 5 block of cells with the first)
  int train_months = 0;       ///< only the latest this many months of training targets; 0 = all
  double ridge = 10.0;        ///< L2 penalty on the slopes of both parts
  int max_iter = 100;
  double tol = 1e-7;
};

struct ForecastOptions {
  std::string model = "best";  ///< zero, last, bootstrap, conflictology, nb, hurdle, best (= hurdle)
  int horizon = 12;            ///< months ahead, >= 1
  int samples = 1000;          ///< draws per area and month, >= 1
  std::uint64_t seed = 1;
  int threads = 0;  ///< 0 = all hardware threads
  NbParams nb;
  HurdleParams hurdle;
};

/// Most draws one forecast holds (areas x horizon x samples, 4 bytes each:
/// 1 GiB); run_forecast refuses more with Error(kUsage) naming `samples`.
inline constexpr std::size_t kMaxDraws = std::size_t{1} << 28;

/// Samples for every area and month 1..H after panel.last().
struct Forecast {
  Target target = Target::kFatalities;
  std::string model;
  Month first_month;  ///< panel.last() + 1
  std::size_t areas = 0, horizon = 0, samples = 0;
  std::vector<float> draws;  ///< [area][h][s]

  [[nodiscard]] float draw(std::size_t a, std::size_t h, std::size_t s) const {
    return draws[(a * horizon + h) * samples + s];
  }
  [[nodiscard]] double mean(std::size_t a, std::size_t h) const;
  /// Quantile with linear interpolation between order statistics (R type 7).
  [[nodiscard]] double quantile(std::size_t a, std::size_t h, double q) const;
  /// Share of draws >= x.
  [[nodiscard]] double prob_at_least(std::size_t a, std::size_t h, double x) const;
};

/// The summary every output prints for one area and month.
struct DrawSummary {
  double mean = 0, q05 = 0, q25 = 0, q50 = 0, q75 = 0, q95 = 0;
  double p_ge_1 = 0, p_ge_10 = 0, p_ge_25 = 0;
};
/// Summary of draws (any order; copied and sorted inside).
DrawSummary summarize(const float* draws, std::size_t n);

/// The models run_forecast and the backtests know, benchmarks first.
const std::vector<std::string>& model_names();
/// "best" -> "hurdle"; Error(kUsage) naming the models for an unknown name.
std::string resolve_model(const std::string& name);

/// Forecast distribution for months 1..opt.horizon after history.last().
/// Error(kUsage) for bad options, Error(kBadInput) when the history is too
/// short for the model (nb and hurdle need horizon + 13 months).
Forecast run_forecast(const Panel& history, Target target, const ForecastOptions& opt);

/// The same for any monthly count series of the panel (events, fatalities or
/// civilian deaths of chosen violence types), for example the raw series of an
/// event-derived benchmark indicator; `target` of the result is kFatalities
/// and meaningless. Draws depend on the seed, the series and the options only.
Forecast run_forecast(const Panel& history, const SeriesSpec& series, const ForecastOptions& opt);

}  // namespace endstate::forecast
