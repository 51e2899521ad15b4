// Internals of the forecast models; see detail/engine.hpp.
#include "forecast/detail/engine.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <exception>
#include <mutex>
#include <numeric>
#include <thread>

#include "endstate/core/error.hpp"
#include "endstate/forecast/sampling.hpp"

namespace endstate::forecast::detail {

ModelId model_id(const std::string& name) {
  if (name == "zero") return ModelId::kZero;
  if (name == "last") return ModelId::kLast;
  if (name == "bootstrap") return ModelId::kBootstrap;
  if (name == "conflictology") return ModelId::kConflictology;
  if (name == "nb") return ModelId::kNb;
  throw internal_error("unknown resolved model '" + name + "'");
}

int thread_count(int requested) {
  if (requested > 0) return requested;
  const unsigned hw = std::thread::hardware_concurrency();
  return hw == 0 ? 1 : static_cast<int>(hw);
}

void parallel_for(std::size_t n, int threads, const std::function<void(std::size_t)>& f) {
  const std::size_t t = std::min<std::size_t>(static_cast<std::size_t>(thread_count(threads)), n);
  if (t <= 1) {
    for (std::size_t i = 0; i < n; ++i) f(i);
    return;
  }
  std::atomic<std::size_t> next{0};
  std::exception_ptr error;
  std::mutex error_mutex;
  auto worker = [&] {
    for (;;) {
      const std::size_t i = next.fetch_add(1);
      if (i >= n) return;
      try {
        f(i);
      } catch (...) {
        const std::lock_guard<std::mutex> lock(error_mutex);
        if (!error) error = std::current_exception();
        next.store(n);
        return;
      }
    }
  };
  std::vector<std::thread> pool;
  pool.reserve(t - 1);
  for (std::size_t i = 0; i + 1 < t; ++i) pool.emplace_back(worker);
  worker();
  for (auto& th : pool) th.join();
  if (error) std::rethrow_exception(error);
}

std::vector<std::vector<std::size_t>> nearest_neighbours(const std::vector<PanelArea>& areas, int k) {
  const std::size_t n = areas.size();
  const std::size_t kk = std::min<std::size_t>(static_cast<std::size_t>(std::max(k, 0)), n > 0 ? n - 1 : 0);
  std::vector<std::vector<std::size_t>> out(n);
  if (kk == 0) return out;
  // Rank by an equirectangular proxy, then order the closest few by great-circle distance.
  std::vector<std::pair<double, std::size_t>> cand;
  for (std::size_t i = 0; i < n; ++i) {
    cand.clear();
    cand.reserve(n - 1);
    for (std::size_t j = 0; j < n; ++j) {
      if (j == i) continue;
      const double dlat = areas[j].centroid.lat - areas[i].centroid.lat;
      const double dlon = (areas[j].centroid.lon - areas[i].centroid.lon) *
                          std::cos(areas[i].centroid.lat * 3.14159265358979323846 / 180.0);
      cand.emplace_back(dlat * dlat + dlon * dlon, j);  // cheap proxy, refined below
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

FeatureTable build_features(const std::vector<double>& y, std::size_t areas, std::size_t months_total,
                            std::size_t t_end, const std::vector<std::vector<std::size_t>>& neighbours) {
  FeatureTable ft;
  ft.areas = areas;
  ft.months = t_end;
  ft.f.assign(areas * t_end * kFeatures, 0.0);
  // Prefix sums and "months with events" prefix counts, per area, over t < t_end.
  std::vector<double> cs(areas * (t_end + 1), 0.0), cnz(areas * (t_end + 1), 0.0);
  for (std::size_t a = 0; a < areas; ++a) {
    for (std::size_t t = 0; t < t_end; ++t) {
      const double v = y[a * months_total + t];
      cs[a * (t_end + 1) + t + 1] = cs[a * (t_end + 1) + t] + v;
      cnz[a * (t_end + 1) + t + 1] = cnz[a * (t_end + 1) + t] + (v > 0 ? 1.0 : 0.0);
    }
  }
  const auto window_mean = [&](const std::vector<double>& c, std::size_t a, std::size_t t, std::size_t w) {
    const std::size_t lo = t + 1 >= w ? t + 1 - w : 0;
    return (c[a * (t_end + 1) + t + 1] - c[a * (t_end + 1) + lo]) / static_cast<double>(t + 1 - lo);
  };
  for (std::size_t a = 0; a < areas; ++a) {
    double last_event = -1;
    for (std::size_t t = 0; t < t_end; ++t) {
      const double v = y[a * months_total + t];
      if (v > 0) last_event = static_cast<double>(t);
      double* f = &ft.f[(a * t_end + t) * kFeatures];
      f[0] = 1.0;
      f[1] = std::log1p(v);
      f[2] = std::log1p(window_mean(cs, a, t, 3));
      f[3] = std::log1p(window_mean(cs, a, t, 12));
      f[4] = std::log1p(window_mean(cs, a, t, t + 1));
      double nb3 = 0, nb12 = 0;
      const auto& nbrs = neighbours[a];
      for (std::size_t j : nbrs) {
        nb3 += window_mean(cs, j, t, 3);
        nb12 += window_mean(cs, j, t, 12);
      }
      if (!nbrs.empty()) {
        nb3 /= static_cast<double>(nbrs.size());
        nb12 /= static_cast<double>(nbrs.size());
      }
      f[5] = std::log1p(nb3);
      f[6] = std::log1p(nb12);
      f[7] = last_event < 0 ? 0.0 : std::exp(-(static_cast<double>(t) - last_event) / 4.0);
      f[8] = window_mean(cnz, a, t, 12);
    }
  }
  return ft;
}

void TrainingSet::add(const double* f, double y, double offset, double weight) {
  total_ += weight;
  if (slots_.size() < 2 * (rows() + 1)) grow();
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t s = hash(f, y, offset) & mask;; s = (s + 1) & mask) {
    const std::uint32_t v = slots_[s];
    if (v == 0) {
      slots_[s] = static_cast<std::uint32_t>(rows() + 1);
      x_.insert(x_.end(), f, f + p_);
      y_.push_back(y);
      off_.push_back(offset);
      w_.push_back(weight);
      return;
    }
    const std::size_t i = v - 1;
    if (y_[i] == y && off_[i] == offset && std::equal(f, f + p_, &x_[i * p_])) {
      w_[i] += weight;
      return;
    }
  }
}

std::uint64_t TrainingSet::hash(const double* f, double y, double offset) const {
  // FNV-1a over the bit patterns (0.0 and -0.0 never both occur: features are sums of non-negative terms).
  std::uint64_t h = 1469598103934665603ULL;
  const auto mix = [&h](double v) {
    std::uint64_t b = 0;
    std::memcpy(&b, &v, sizeof b);
    h = (h ^ b) * 1099511628211ULL;
    h ^= h >> 29;
  };
  for (std::size_t j = 0; j < p_; ++j) mix(f[j]);
  mix(y);
  mix(offset);
  return h;
}

void TrainingSet::grow() {
  std::vector<std::uint32_t> next(std::max<std::size_t>(64, slots_.size() * 2), 0);
  const std::size_t mask = next.size() - 1;
  for (std::size_t i = 0; i < rows(); ++i) {
    std::size_t s = hash(&x_[i * p_], y_[i], off_[i]) & mask;
    while (next[s] != 0) s = (s + 1) & mask;
    next[s] = static_cast<std::uint32_t>(i + 1);
  }
  slots_.swap(next);
}

TrainingRange training_range(std::size_t t_end, std::size_t h, const NbParams& params) {
  if (t_end < h + 1 + kWarmup + 1) throw internal_error("training_range: history too short");
  TrainingRange r;
  r.hi = t_end - 1 - h;
  r.lo = kWarmup;
  if (params.train_months > 0 && r.hi + 1 > r.lo + static_cast<std::size_t>(params.train_months)) {
    r.lo = r.hi + 1 - static_cast<std::size_t>(params.train_months);
  }
  return r;
}

void add_rows(TrainingSet& set, const FeatureTable& ft, const std::vector<double>& y, std::size_t months_total,
              std::size_t h, std::size_t t_from, std::size_t t_to, const NbParams& params, double weight) {
  for (std::size_t t = t_from; t <= t_to; ++t) {
    for (std::size_t a = 0; a < ft.areas; ++a) {
      const double* f = ft.row(a, t);
      set.add(f, y[a * months_total + t + h], params.offset_level ? level_offset(f) : 0.0, weight);
    }
  }
}

NbFit fit_nb_horizon(const TrainingSet& set, const NbParams& params, const NbFit* warm) {
  NbFitOptions o;
  o.ridge = params.ridge;
  o.max_iter = params.max_iter;
  o.tol = params.tol;
  if (params.dispersion_by_level) o.dispersion_columns = {0, 3, 8};
  return fit_nb2(set.x(), set.y(), set.cols(), o, warm, set.offset(), set.weight());
}

NbFit fit_horizon(const FeatureTable& ft, const std::vector<double>& y, std::size_t months_total, std::size_t t_end,
                  std::size_t h, const NbParams& params, const NbFit* warm) {
  const TrainingRange r = training_range(t_end, h, params);
  TrainingSet set;
  add_rows(set, ft, y, months_total, h, r.lo, r.hi, params);
  return fit_nb_horizon(set, params, warm);
}

std::size_t min_history(ModelId m, std::size_t horizon) { return m == ModelId::kNb ? horizon + kWarmup + 2 : 1; }

void sort_draws(float* d, std::size_t n) {
  float* const mid = std::partition(d, d + n, [](float v) { return v <= 0.0f; });
  std::sort(mid, d + n);
}

Rng draw_rng(std::uint64_t seed, std::int32_t origin_month_index, ModelId m, std::size_t area, std::size_t h) {
  const std::uint64_t s =
      seed ^ (static_cast<std::uint64_t>(static_cast<std::uint32_t>(origin_month_index)) * 0x9E3779B97F4A7C15ULL);
  const std::uint64_t stream =
      (static_cast<std::uint64_t>(m) << 56) ^ (static_cast<std::uint64_t>(area) << 16) ^ static_cast<std::uint64_t>(h);
  return Rng(s, stream);
}

void sample(ModelId m, const std::vector<double>& y, std::size_t months_total, std::size_t t_end, std::size_t a,
            std::size_t h, const std::vector<NbFit>& fits, const FeatureTable* ft, const NbParams& params, Rng& rng,
            float* out, std::size_t n) {
  const double* ya = &y[a * months_total];
  switch (m) {
    case ModelId::kZero:
      std::fill(out, out + n, 0.0f);
      return;
    case ModelId::kLast: {
      const double lam = ya[t_end - 1];
      for (std::size_t s = 0; s < n; ++s) out[s] = static_cast<float>(sample_poisson(rng, lam));
      return;
    }
    case ModelId::kBootstrap: {
      const std::size_t w = std::min<std::size_t>(12, t_end);
      for (std::size_t s = 0; s < n; ++s) out[s] = static_cast<float>(ya[t_end - w + rng.below(w)]);
      return;
    }
    case ModelId::kConflictology: {
      for (std::size_t s = 0; s < n; ++s) out[s] = static_cast<float>(ya[rng.below(t_end)]);
      return;
    }
    case ModelId::kNb: {
      const NbFit& fit = fits.at(h);
      const double* f = ft->row(a, t_end - 1);
      const double mu = fit.mean_at(f, params.offset_level ? level_offset(f) : 0.0);
      const double alpha = fit.alpha_at(f);
      sample_nb2_n(rng, mu, alpha, out, n);
      return;
    }
  }
}

}  // namespace endstate::forecast::detail
