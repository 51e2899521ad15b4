#pragma once
// Internals shared by run_forecast and run_backtest: threads, neighbours,
// causal features, the learned models' training sets and fits per horizon,
// and the per-model samplers.

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "endstate/core/panel.hpp"
#include "endstate/core/rng.hpp"
#include "endstate/forecast/forecast.hpp"
#include "endstate/forecast/hurdle.hpp"
#include "endstate/forecast/nb.hpp"

namespace endstate::forecast::detail {

enum class ModelId { kZero = 0, kLast = 1, kBootstrap = 2, kConflictology = 3, kNb = 4, kHurdle = 5 };
ModelId model_id(const std::string& resolved_name);
/// nb and hurdle: fitted per horizon on the history before the origin.
inline bool is_learned(ModelId m) { return m == ModelId::kNb || m == ModelId::kHurdle; }

/// Threads to use: `requested`, or the hardware count when 0; at least 1.
int thread_count(int requested);
/// Runs f(0..n-1) on `threads` threads; tasks are claimed in order, each
/// writes only its own outputs, so results do not depend on the thread count.
void parallel_for(std::size_t n, int threads, const std::function<void(std::size_t)>& f);

/// Indices of the k nearest other areas by great-circle distance between
/// centroids (ties by index).
std::vector<std::vector<std::size_t>> nearest_neighbours(const std::vector<PanelArea>& areas, int k);

/// The monthly series a forecast reads, [area][month] row-major: the target
/// and the number of events of the target's violence types (the hurdle
/// model's frequency features; for an event target both are the same).
struct Series {
  std::size_t areas = 0, months = 0;
  std::vector<double> y, events;
  [[nodiscard]] double at(std::size_t a, std::size_t t) const { return y[a * months + t]; }
};

/// The series of `target` (events: those of the target's violence types).
Series series_of(const Panel& panel, Target target);
/// The series of any spec (events: of the spec's violence types).
Series series_of(const Panel& panel, const SeriesSpec& spec);

/// The neighbours the features average over: `nb` (the k nearest of
/// NbParams::neighbours, nb's spatial lag), `ring1` (the hurdle's
/// HurdleParams::neighbours nearest) and `ring2` (the next
/// HurdleParams::outer_neighbours), each by great-circle distance between
/// centroids, ties by index.
struct Neighbourhoods {
  std::vector<std::vector<std::size_t>> nb, ring1, ring2;
};
Neighbourhoods neighbourhoods(const std::vector<PanelArea>& areas, const NbParams& nb, const HurdleParams& hurdle);

/// Feature columns of area a at month t; each uses data up to t only.
///  0 intercept              1 log1p y_t             2 log1p mean y, 3 months
///  3 log1p mean y, 12 mo.   4 log1p mean y, all     5 log1p nb-neighbours' mean y, 3 mo.
///  6 ... 12 months          7 exp(-months since the area's last y > 0 / 4)   8 share of the last 12 months with y > 0
///  9 log1p events_t        10 log1p mean events, 3 mo.   11 ... 12 months
/// 12 log1p ring1's mean y, 3 mo.  13 ... 12 mo.   14 log1p ring2's mean y, 12 mo.
/// 15 exp(-months since the last y > 0 in the area or ring1 / 6)
/// 16 log1p ring1's mean events, 3 mo.   17 log1p ring1's mean events at t
inline constexpr std::size_t kFeatures = 18;
/// nb: the original nine (intercept, lags, nb spatial lag, decay, activity).
inline constexpr std::array<std::size_t, 9> kNbColumns{0, 1, 2, 3, 4, 5, 6, 7, 8};
/// hurdle: the area's own lags and events, two rings of neighbours, decays.
inline constexpr std::array<std::size_t, 16> kHurdleColumns{0, 1, 2, 3, 4, 12, 13, 7, 8, 9, 10, 11, 14, 15, 16, 17};
/// Columns (positions in kHurdleColumns) of the hurdle's log-variance:
/// intercept, log1p mean y and log1p mean events over 12 months.
inline constexpr std::array<std::size_t, 3> kHurdleVariance{0, 3, 11};
/// First month index used as a training origin (a full 12-month window).
inline constexpr std::size_t kWarmup = 11;

struct FeatureTable {
  std::size_t areas = 0, months = 0;  // months = rows per area (t < months)
  std::vector<double> f;              // [a][t][kFeatures]
  [[nodiscard]] const double* row(std::size_t a, std::size_t t) const { return &f[(a * months + t) * kFeatures]; }
};

/// Features for every area and t < t_end; uses only months before t_end.
FeatureTable build_features(const Series& s, std::size_t t_end, const Neighbourhoods& nbh);

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
/// before t_end: the training rows of the direct model for horizon h, all
/// of them or the latest `train_months` (0 = all).
struct TrainingRange {
  std::size_t lo = 0, hi = 0;
};
TrainingRange training_range(std::size_t t_end, std::size_t h, int train_months);

/// Fits of the learned models for one origin and horizon.
struct HorizonFits {
  NbFit nb;
  HurdleFit hurdle;
};

/// The learned models' training sets for one horizon h, kept across
/// origins: moving the history end from t_end to t_end + 1 adds one month of
/// rows (and removes one with a training window), so a backtest never
/// rebuilds them; fits warm-start from the previous origin's.
class HorizonLearner {
 public:
  HorizonLearner(const FeatureTable& ft, const Series& s, std::size_t h, bool nb, bool hurdle, const NbParams& nbp,
                 const HurdleParams& hp);
  /// Brings the training sets to history t_end (months before t_end).
  void advance(std::size_t t_end);
  /// Fits the models asked for; `warm` (or null) from the previous origin.
  [[nodiscard]] HorizonFits fit(const HorizonFits* warm) const;
  [[nodiscard]] const TrainingSet& nb_rows() const { return nb_set_; }
  [[nodiscard]] const TrainingSet& any_rows() const { return any_set_; }
  [[nodiscard]] const TrainingSet& size_rows() const { return size_set_; }

 private:
  void add_months(bool nb_model, std::size_t t_from, std::size_t t_to, double weight);
  const FeatureTable& ft_;
  const Series& s_;
  std::size_t h_;
  bool nb_, hurdle_;
  NbParams nbp_;
  HurdleParams hp_;
  TrainingSet nb_set_{kNbColumns.size()}, any_set_{kHurdleColumns.size()}, size_set_{kHurdleColumns.size()};
  bool nb_started_ = false, hurdle_started_ = false;
  TrainingRange nb_have_, hurdle_have_;
};

/// Smallest history (months before the origin) a model needs for horizon H.
std::size_t min_history(ModelId m, std::size_t horizon);

/// Sorts non-negative draws ascending: zeros (most draws on a sparse grid)
/// are moved to the front by one pass, the rest sorted.
void sort_draws(float* d, std::size_t n);

/// Deterministic stream for (origin, model, area, h).
Rng draw_rng(std::uint64_t seed, std::int32_t origin_month_index, ModelId m, std::size_t area, std::size_t h);

/// What sampling at one origin needs: the series, the history end, the
/// features (rows at t_end - 1) and the fits per step (learned models only).
struct OriginView {
  const Series* s = nullptr;
  std::size_t t_end = 0;
  const FeatureTable* ft = nullptr;
  const std::vector<HorizonFits>* fits = nullptr;
  const NbParams* nb = nullptr;
};

/// Writes n draws of model m for area a, step h (0-based) after the history
/// ending at t_end.
void sample(ModelId m, const OriginView& v, std::size_t a, std::size_t h, Rng& rng, float* out, std::size_t n);

/// Every model at every origin of a rolling-origin run.
struct OriginsSpec {
  std::vector<ModelId> models;
  std::size_t first_t_end = 0;          ///< history end (month index) of the first origin
  std::size_t origins = 0;              ///< origin o ends its history at first_t_end + o
  std::int32_t first_origin_month = 0;  ///< Month::index() of the first origin (seeds the draws)
  std::size_t horizon = 1, samples = 1;
  std::uint64_t seed = 1;
  int threads = 0;
  NbParams nb;
  HurdleParams hurdle;
  bool incremental = true;  ///< false: features and training sets from scratch, cold fits, at every origin
};

/// Fits the learned models (one task per horizon, warm-started along the
/// origins) and draws every model at every origin (one task per origin);
/// calls visit(o, model index, area, h, sorted draws) for each area and step
/// whose target month is inside the series, from the task of origin o (so a
/// visitor writing only to per-origin state needs no lock).
/// `progress(done, total)` is called under a lock after each task.
void run_origins(const Series& s, const std::vector<PanelArea>& areas, const OriginsSpec& spec,
                 const std::function<void(std::size_t, std::size_t, std::size_t, std::size_t, const float*)>& visit,
                 const std::function<void(std::int64_t, std::int64_t)>& progress = {});

}  // namespace endstate::forecast::detail
