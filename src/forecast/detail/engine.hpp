#pragma once
// Internals shared by run_forecast and run_backtest: threads, neighbours,
// causal features, per-horizon NB fits and the per-model samplers.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "endstate/core/panel.hpp"
#include "endstate/core/rng.hpp"
#include "endstate/forecast/forecast.hpp"
#include "endstate/forecast/nb.hpp"

namespace endstate::forecast::detail {

enum class ModelId { kZero = 0, kLast = 1, kBootstrap = 2, kConflictology = 3, kNb = 4 };
ModelId model_id(const std::string& resolved_name);

/// Threads to use: `requested`, or the hardware count when 0; at least 1.
int thread_count(int requested);
/// Runs f(0..n-1) on `threads` threads; tasks are claimed in order, each
/// writes only its own outputs, so results do not depend on the thread count.
void parallel_for(std::size_t n, int threads, const std::function<void(std::size_t)>& f);

/// Indices of the k nearest other areas by great-circle distance between
/// centroids (ties by index).
std::vector<std::vector<std::size_t>> nearest_neighbours(const std::vector<PanelArea>& areas, int k);

/// Features of area a at month t, from y[a][0..t] and the neighbours' y up to t only.
inline constexpr std::size_t kFeatures = 9;
/// First month index used as a training origin (a full 12-month window).
inline constexpr std::size_t kWarmup = 11;

struct FeatureTable {
  std::size_t areas = 0, months = 0;  // months = rows per area (t < months)
  std::vector<double> f;              // [a][t][kFeatures]
  [[nodiscard]] const double* row(std::size_t a, std::size_t t) const { return &f[(a * months + t) * kFeatures]; }
};

/// Features for every area and t < t_end of the [area][month] matrix y with
/// `months_total` columns; uses only y[.][0..t_end-1].
FeatureTable build_features(const std::vector<double>& y, std::size_t areas, std::size_t months_total,
                            std::size_t t_end, const std::vector<std::vector<std::size_t>>& neighbours);

/// The offset of the NB model: log(12-month mean + 0.5), so that the slopes
/// (and the ridge, which pulls them to 0) describe departures from the
/// area's recent level.
inline double level_offset(const double* f) { return std::log(std::expm1(f[3]) + 0.5); }

/// The training rows of a direct model for one horizon h: (features at t,
/// y[t+h]) for every area and t in a range, with identical rows merged into
/// one row with a frequency weight (on a sparse grid most rows are "no event
/// here or nearby, none next month": 4-5 rows in 1 are duplicates). The fit
/// on the merged rows is the fit on all rows (fit_nb2's weights).
class TrainingSet {
 public:
  explicit TrainingSet(std::size_t p = kFeatures) : p_(p) {}
  /// Adds `weight` copies of the row (p features) with target y and offset.
  void add(const double* f, double y, double offset, double weight);
  [[nodiscard]] std::size_t rows() const { return y_.size(); }
  [[nodiscard]] std::size_t cols() const { return p_; }
  [[nodiscard]] double total_weight() const { return total_; }
  [[nodiscard]] const std::vector<double>& x() const { return x_; }
  [[nodiscard]] const std::vector<double>& y() const { return y_; }
  [[nodiscard]] const std::vector<double>& offset() const { return off_; }
  [[nodiscard]] const std::vector<double>& weight() const { return w_; }

 private:
  [[nodiscard]] std::uint64_t hash(const double* f, double y, double offset) const;
  void grow();
  std::size_t p_;
  std::vector<double> x_, y_, off_, w_;
  std::vector<std::uint32_t> slots_;  // open addressing: row index + 1, 0 = empty
  double total_ = 0;
};

/// First and last origin month index t (inclusive) whose target y[t+h] is
/// before t_end: the training rows of the direct model for horizon h.
struct TrainingRange {
  std::size_t lo = 0, hi = 0;
};
TrainingRange training_range(std::size_t t_end, std::size_t h, const NbParams& params);

/// Adds the rows t in [t_from, t_to] (every area, month-major) for horizon h.
void add_rows(TrainingSet& set, const FeatureTable& ft, const std::vector<double>& y, std::size_t months_total,
              std::size_t h, std::size_t t_from, std::size_t t_to, const NbParams& params, double weight = 1);

/// Fits the direct NB model for horizon h on a training set.
NbFit fit_nb_horizon(const TrainingSet& set, const NbParams& params, const NbFit* warm);

/// The training set for horizon h and history t_end, then the fit (the
/// straightforward path: everything from scratch).
NbFit fit_horizon(const FeatureTable& ft, const std::vector<double>& y, std::size_t months_total, std::size_t t_end,
                  std::size_t h, const NbParams& params, const NbFit* warm);

/// Smallest history (months before the origin) a model needs for horizon H.
std::size_t min_history(ModelId m, std::size_t horizon);

/// Sorts non-negative draws ascending: zeros (most draws on a sparse grid)
/// are moved to the front by one pass, the rest sorted.
void sort_draws(float* d, std::size_t n);

/// Deterministic stream for (origin, model, area, h).
Rng draw_rng(std::uint64_t seed, std::int32_t origin_month_index, ModelId m, std::size_t area, std::size_t h);

/// Writes n draws of model m for area a, step h (0-based) after the history
/// y[a][0..t_end-1]. `fits` (nb only) holds one fit per step; `ft` holds the
/// features at t_end-1.
void sample(ModelId m, const std::vector<double>& y, std::size_t months_total, std::size_t t_end, std::size_t a,
            std::size_t h, const std::vector<NbFit>& fits, const FeatureTable* ft, const NbParams& params, Rng& rng,
            float* out, std::size_t n);

}  // namespace endstate::forecast::detail
