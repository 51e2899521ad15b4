// One-month-ahead models for sample paths (see model.hpp).
#include "endstate/simulate/model.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include "endstate/core/error.hpp"
#include "endstate/forecast/nb.hpp"
#include "endstate/forecast/sampling.hpp"

namespace endstate::simulate {

PathState::PathState(const std::vector<double>& y, std::size_t areas, std::size_t months)
    : areas_(areas),
      ring_(areas * kWindow, 0.0),
      sum_all_(areas, 0.0),
      sum3_(areas, 0.0),
      sum12_(areas, 0.0),
      nz12_(areas, 0.0),
      last_event_(areas, -1) {
  std::vector<double> col(areas);
  for (std::size_t t = 0; t < months; ++t) {
    for (std::size_t a = 0; a < areas; ++a) col[a] = y[a * months + t];
    push(col.data());
  }
}

void PathState::push(const double* values) {
  const std::size_t slot = t_ % kWindow;
  for (std::size_t a = 0; a < areas_; ++a) {
    const double v = values[a];
    double* ring = &ring_[a * kWindow];
    if (t_ >= kWindow) {  // the month leaving the 12-month window
      sum12_[a] -= ring[slot];
      nz12_[a] -= ring[slot] > 0 ? 1.0 : 0.0;
    }
    if (t_ >= 3) sum3_[a] -= ring[(t_ - 3) % kWindow];
    ring[slot] = v;
    sum3_[a] += v;
    sum12_[a] += v;
    nz12_[a] += v > 0 ? 1.0 : 0.0;
    sum_all_[a] += v;
    if (v > 0) last_event_[a] = static_cast<std::int64_t>(t_);
  }
  ++t_;
}

double PathState::mean(std::size_t a, std::size_t w) const {
  const std::size_t n = std::min(w, t_);
  double s = 0;
  for (std::size_t b = 0; b < n; ++b) s += recent(a, b);
  return s / static_cast<double>(n);
}

std::vector<std::vector<std::size_t>> nearest_areas(const std::vector<PanelArea>& areas, int k) {
  // The forecast module's neighbour rule: an equirectangular proxy picks
  // candidates, great-circle distance orders them, ties by index.
  const std::size_t n = areas.size();
  const std::size_t kk = std::min<std::size_t>(static_cast<std::size_t>(std::max(k, 0)), n > 0 ? n - 1 : 0);
  std::vector<std::vector<std::size_t>> out(n);
  if (kk == 0) return out;
  std::vector<std::pair<double, std::size_t>> cand;
  for (std::size_t i = 0; i < n; ++i) {
    cand.clear();
    cand.reserve(n - 1);
    for (std::size_t j = 0; j < n; ++j) {
      if (j == i) continue;
      const double dlat = areas[j].centroid.lat - areas[i].centroid.lat;
      const double dlon = (areas[j].centroid.lon - areas[i].centroid.lon) *
                          std::cos(areas[i].centroid.lat * 3.14159265358979323846 / 180.0);
      cand.emplace_back(dlat * dlat + dlon * dlon, j);
    }
    const std::size_t pre = std::min(cand.size(), kk * 4 + 8);
    std::partial_sort(cand.begin(), cand.begin() + static_cast<std::ptrdiff_t>(pre), cand.end());
    cand.resize(pre);
    for (auto& c : cand) c.first = endstate::great_circle_km(areas[i].centroid, areas[c.second].centroid);
    std::sort(cand.begin(), cand.end());
    for (std::size_t m = 0; m < kk; ++m) out[i].push_back(cand[m].second);
  }
  return out;
}

namespace {

/// A count scaled by a multiplier: binomial thinning below 1, Poisson
/// additions above (the empirical models have no mean to scale).
double scale_count(double v, double m, Rng& rng) {
  if (m == 1.0 || v <= 0) return v;
  if (m > 1.0) return v + static_cast<double>(forecast::sample_poisson(rng, v * (m - 1.0)));
  if (v > 10000) return std::round(v * m);
  double k = 0;
  const auto n = static_cast<std::int64_t>(v);
  for (std::int64_t i = 0; i < n; ++i) k += rng.uniform() < m ? 1.0 : 0.0;
  return k;
}

class ZeroStep final : public StepModel {
 public:
  [[nodiscard]] std::string name() const override { return "zero"; }
  [[nodiscard]] double mean(const PathState&, std::size_t) const override { return 0; }
  [[nodiscard]] double draw(const PathState&, std::size_t, double, Rng&) const override { return 0; }
  [[nodiscard]] std::size_t min_history() const override { return 1; }
};

class LastStep final : public StepModel {
 public:
  [[nodiscard]] std::string name() const override { return "last"; }
  [[nodiscard]] double mean(const PathState& s, std::size_t a) const override { return s.recent(a, 0); }
  [[nodiscard]] double draw(const PathState& s, std::size_t a, double m, Rng& rng) const override {
    return static_cast<double>(forecast::sample_poisson(rng, s.recent(a, 0) * m));
  }
  [[nodiscard]] std::size_t min_history() const override { return 1; }
};

class BootstrapStep final : public StepModel {
 public:
  [[nodiscard]] std::string name() const override { return "bootstrap"; }
  [[nodiscard]] double mean(const PathState& s, std::size_t a) const override { return s.mean(a, 12); }
  [[nodiscard]] double draw(const PathState& s, std::size_t a, double m, Rng& rng) const override {
    const std::size_t w = std::min<std::size_t>(PathState::kWindow, s.months());
    const double v = s.recent(a, w - 1 - rng.below(w));
    return scale_count(v, m, rng);
  }
  [[nodiscard]] std::size_t min_history() const override { return 1; }
};

/// The forecast's NB2 model (docs/forecast.md) for horizon 1.
constexpr std::size_t kNbFeatures = 9;
constexpr std::size_t kWarmup = 11;

class NbStep final : public StepModel {
 public:
  NbStep(forecast::NbFit fit, std::vector<std::vector<std::size_t>> nbrs, bool offset)
      : fit_(std::move(fit)), nbrs_(std::move(nbrs)), offset_(offset) {}

  static void features(const PathState& s, const std::vector<std::vector<std::size_t>>& nbrs, std::size_t a,
                       double* f) {
    f[0] = 1.0;
    f[1] = std::log1p(s.recent(a, 0));
    f[2] = std::log1p(s.mean3(a));
    f[3] = std::log1p(s.mean12(a));
    f[4] = std::log1p(s.mean_all(a));
    double nb3 = 0, nb12 = 0;
    for (std::size_t j : nbrs[a]) {
      nb3 += s.mean3(j);
      nb12 += s.mean12(j);
    }
    if (!nbrs[a].empty()) {
      nb3 /= static_cast<double>(nbrs[a].size());
      nb12 /= static_cast<double>(nbrs[a].size());
    }
    f[5] = std::log1p(nb3);
    f[6] = std::log1p(nb12);
    const std::int64_t since = s.since_event(a);
    f[7] = since < 0 ? 0.0 : std::exp(-static_cast<double>(since) / 4.0);
    f[8] = s.active_share(a);
  }
  static double offset(const double* f) { return std::log(std::expm1(f[3]) + 0.5); }

  [[nodiscard]] std::string name() const override { return "nb"; }
  [[nodiscard]] double mean(const PathState& s, std::size_t a) const override {
    double f[kNbFeatures];
    features(s, nbrs_, a, f);
    return fit_.mean_at(f, offset_ ? offset(f) : 0.0);
  }
  [[nodiscard]] double draw(const PathState& s, std::size_t a, double m, Rng& rng) const override {
    double f[kNbFeatures];
    features(s, nbrs_, a, f);
    const double mu = fit_.mean_at(f, offset_ ? offset(f) : 0.0) * m;
    return static_cast<double>(forecast::sample_nb2(rng, mu, fit_.alpha_at(f)));
  }
  [[nodiscard]] std::size_t min_history() const override { return kWarmup + 3; }

 private:
  forecast::NbFit fit_;
  std::vector<std::vector<std::size_t>> nbrs_;
  bool offset_;
};

std::unique_ptr<StepModel> fit_nb(const std::vector<PanelArea>& areas, const std::vector<double>& y, std::size_t months,
                                  const forecast::NbParams& params) {
  const std::size_t n = areas.size();
  if (months < kWarmup + 3) {
    throw bad_input("the nb model needs at least " + std::to_string(kWarmup + 3) + " months of history (have " +
                    std::to_string(months) + ")");
  }
  auto nbrs = nearest_areas(areas, params.neighbours);
  // Features at every month t of the history, from the months up to t (the
  // same walk a path makes), then rows (features at t, y[t+1]).
  std::vector<double> ft(n * months * kNbFeatures);
  PathState s(y, n, 0);
  std::vector<double> col(n);
  for (std::size_t t = 0; t < months; ++t) {
    for (std::size_t a = 0; a < n; ++a) col[a] = y[a * months + t];
    s.push(col.data());
    for (std::size_t a = 0; a < n; ++a) NbStep::features(s, nbrs, a, &ft[(a * months + t) * kNbFeatures]);
  }
  const std::size_t t_hi = months - 2;
  std::size_t t_lo = kWarmup;
  if (params.train_months > 0 && t_hi + 1 > t_lo + static_cast<std::size_t>(params.train_months)) {
    t_lo = t_hi + 1 - static_cast<std::size_t>(params.train_months);
  }
  const std::size_t per_area = t_hi - t_lo + 1;
  std::vector<double> x(n * per_area * kNbFeatures), yy(n * per_area), off;
  std::size_t r = 0;
  for (std::size_t a = 0; a < n; ++a) {
    std::copy(&ft[(a * months + t_lo) * kNbFeatures], &ft[(a * months + t_hi + 1) * kNbFeatures],
              x.begin() + static_cast<std::ptrdiff_t>(r * kNbFeatures));
    for (std::size_t t = t_lo; t <= t_hi; ++t) yy[r++] = y[a * months + t + 1];
  }
  forecast::NbFitOptions o;
  o.ridge = params.ridge;
  o.max_iter = params.max_iter;
  o.tol = params.tol;
  if (params.dispersion_by_level) o.dispersion_columns = {0, 3, 8};
  if (params.offset_level) {
    off.resize(yy.size());
    for (std::size_t i = 0; i < yy.size(); ++i) off[i] = NbStep::offset(&x[i * kNbFeatures]);
  }
  auto fit = forecast::fit_nb2(x, yy, kNbFeatures, o, nullptr, off);
  return std::make_unique<NbStep>(std::move(fit), std::move(nbrs), params.offset_level);
}

}  // namespace

std::unique_ptr<StepModel> fit_step_model(const std::vector<PanelArea>& areas, const std::vector<double>& y,
                                          std::size_t months, const forecast::ForecastOptions& opt) {
  const std::string m = forecast::resolve_model(opt.model);
  if (months == 0) throw bad_input("the history has no months");
  if (m == "zero") return std::make_unique<ZeroStep>();
  if (m == "last") return std::make_unique<LastStep>();
  if (m == "bootstrap") return std::make_unique<BootstrapStep>();
  if (m == "nb") return fit_nb(areas, y, months, opt.nb);
  throw invalid_field(
      "model", "'" + m + "' cannot feed a simulated history back into its lags; use nb, bootstrap, last or zero");
}

std::unique_ptr<StepModel> fit_step_model(const Panel& history, forecast::Target target,
                                          const forecast::ForecastOptions& opt) {
  return fit_step_model(history.areas(), forecast::target_series(history, target), history.month_count(), opt);
}

}  // namespace endstate::simulate
