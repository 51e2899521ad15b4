#pragma once
// One-month-ahead models that a sample path can feed its own simulated
// history into. The forecast module's models are direct (one fit per
// horizon, each from the origin's features), so their draws at different
// horizons are independent; a path needs the one-step model applied
// recursively: month t+1 is drawn from features of the path's months up to
// t, simulated ones included, so quiet or violent months persist and
// spread to neighbours the way the model learned (the recursive strategy of
// Taieb et al. 2012, "A review and comparison of strategies for multi-step
// ahead time series forecasting", Expert Systems with Applications 39(8)).
//
// Each model sits behind StepModel: the simulator only asks it for a draw
// of area a given the path's state and a multiplier of its expected value
// (the presence effect). fit_step_model fits the forecast module's model of
// that name for horizon 1 on the same features and options, so the first
// simulated month has the forecast's horizon-1 distribution (tested).

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "endstate/core/panel.hpp"
#include "endstate/core/rng.hpp"
#include "endstate/forecast/forecast.hpp"

namespace endstate::simulate {

/// The recent history of one path for every area: the last 12 months, the
/// whole-history sum and count, the last month with violence. Pushing a
/// month is O(areas).
class PathState {
 public:
  static constexpr std::size_t kWindow = 12;
  PathState() = default;
  /// State after the months 0..months-1 of y ([area][month], row-major).
  PathState(const std::vector<double>& y, std::size_t areas, std::size_t months);
  /// Appends one month (one value per area).
  void push(const double* values);

  [[nodiscard]] std::size_t areas() const { return areas_; }
  /// Months seen so far (history and simulated).
  [[nodiscard]] std::size_t months() const { return t_; }
  /// Value of area a, `back` months before the latest (0 = latest; back < 12).
  [[nodiscard]] double recent(std::size_t a, std::size_t back) const {
    return ring_[a * kWindow + (t_ - 1 - back) % kWindow];
  }
  /// Mean over the last w months (w <= 12; fewer when the history is shorter).
  [[nodiscard]] double mean(std::size_t a, std::size_t w) const;
  /// mean(a, 3) and mean(a, 12) from running sums (exact for counts).
  [[nodiscard]] double mean3(std::size_t a) const { return sum3_[a] / static_cast<double>(t_ < 3 ? t_ : 3); }
  [[nodiscard]] double mean12(std::size_t a) const { return sum12_[a] / static_cast<double>(t_ < 12 ? t_ : 12); }
  [[nodiscard]] double mean_all(std::size_t a) const { return sum_all_[a] / static_cast<double>(t_); }
  /// Share of the last 12 months (or fewer) with a value > 0.
  [[nodiscard]] double active_share(std::size_t a) const {
    return nz12_[a] / static_cast<double>(t_ < kWindow ? t_ : kWindow);
  }
  /// Months since the last value > 0 (0 = the latest month); -1 when never.
  [[nodiscard]] std::int64_t since_event(std::size_t a) const {
    return last_event_[a] < 0 ? -1 : static_cast<std::int64_t>(t_) - 1 - last_event_[a];
  }

 private:
  std::size_t areas_ = 0, t_ = 0;
  std::vector<double> ring_;  // [area][12]
  std::vector<double> sum_all_, sum3_, sum12_, nz12_;
  std::vector<std::int64_t> last_event_;
};

/// A fitted one-month-ahead model.
class StepModel {
 public:
  virtual ~StepModel() = default;
  /// The forecast model it is ("nb", "bootstrap", ...).
  [[nodiscard]] virtual std::string name() const = 0;
  /// Expected value of area a next month given the state (before any multiplier).
  [[nodiscard]] virtual double mean(const PathState& s, std::size_t a) const = 0;
  /// One draw of area a next month, its expected value times `multiplier`.
  [[nodiscard]] virtual double draw(const PathState& s, std::size_t a, double multiplier, Rng& rng) const = 0;
  /// Shortest history the model needs (months).
  [[nodiscard]] virtual std::size_t min_history() const = 0;
};

/// Fits the forecast module's model `opt.model` (resolved: best = the
/// forecast's best) for horizon 1 on the whole history. Models: nb (the
/// forecast's NB2 regression on the same nine features, fitted with the
/// same options), last, bootstrap, zero. Error(kUsage) naming the models
/// for one that cannot feed back a path; Error(kBadInput) when the history
/// is too short.
std::unique_ptr<StepModel> fit_step_model(const Panel& history, forecast::Target target,
                                          const forecast::ForecastOptions& opt);
/// The same on a target series [area][month] of `months` months.
std::unique_ptr<StepModel> fit_step_model(const std::vector<PanelArea>& areas, const std::vector<double>& y,
                                          std::size_t months, const forecast::ForecastOptions& opt);

/// The k nearest other areas of each area by great-circle distance between
/// centroids, ties by index (the same neighbours as the forecast's spatial lag).
std::vector<std::vector<std::size_t>> nearest_areas(const std::vector<PanelArea>& areas, int k);

}  // namespace endstate::simulate
