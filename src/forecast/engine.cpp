// Internals of the forecast models; see detail/engine.hpp.
#include "forecast/detail/engine.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <exception>
#include <mutex>
#include <numeric>
#include <system_error>
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
  if (name == "hurdle") return ModelId::kHurdle;
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
  try {
    for (std::size_t i = 0; i + 1 < t; ++i) pool.emplace_back(worker);
  } catch (const std::system_error& e) {
    // The system refused a thread (a process or memory limit): stop the
    // workers already started and say so (an environment error, not a crash).
    next.store(n);
    for (auto& th : pool) th.join();
    throw environment_error("cannot start " + std::to_string(t) + " worker threads (" + e.what() +
                            "); ask for fewer threads");
  }
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

Series series_of(const Panel& panel, const SeriesSpec& spec) {
  Series s;
  s.areas = panel.area_count();
  s.months = panel.month_count();
  s.y = series(panel, spec);
  SeriesSpec ev = spec;
  ev.measure = SeriesSpec::Measure::kEvents;
  s.events = spec.measure == SeriesSpec::Measure::kEvents ? s.y : series(panel, ev);
  return s;
}

Series series_of(const Panel& panel, Target target) {
  SeriesSpec ev;
  ev.measure = SeriesSpec::Measure::kEvents;
  if (target != Target::kFatalities) ev.types = {ViolenceType::kOneSided};
  Series s;
  s.areas = panel.area_count();
  s.months = panel.month_count();
  s.y = target_series(panel, target);
  s.events = target == Target::kVacEvents ? s.y : series(panel, ev);
  return s;
}

Neighbourhoods neighbourhoods(const std::vector<PanelArea>& areas, const NbParams& nb, const HurdleParams& hurdle) {
  Neighbourhoods out;
  out.nb = nearest_neighbours(areas, nb.neighbours);
  const int k1 = std::max(hurdle.neighbours, 0), k2 = std::max(hurdle.outer_neighbours, 0);
  const auto both = nearest_neighbours(areas, k1 + k2);
  out.ring1.resize(areas.size());
  out.ring2.resize(areas.size());
  for (std::size_t a = 0; a < areas.size(); ++a) {
    for (std::size_t i = 0; i < both[a].size(); ++i) {
      (i < static_cast<std::size_t>(k1) ? out.ring1 : out.ring2)[a].push_back(both[a][i]);
    }
  }
  return out;
}

FeatureTable build_features(const Series& s, std::size_t t_end, const Neighbourhoods& nbh) {
  const std::size_t A = s.areas, T = s.months, W = t_end + 1;
  FeatureTable ft;
  ft.areas = A;
  ft.months = t_end;
  ft.f.assign(A * t_end * kFeatures, 0.0);
  // Prefix sums of y, of events and of "months with y > 0", per area, over t < t_end.
  std::vector<double> cy(A * W, 0.0), ce(A * W, 0.0), cnz(A * W, 0.0);
  for (std::size_t a = 0; a < A; ++a) {
    for (std::size_t t = 0; t < t_end; ++t) {
      const double v = s.y[a * T + t];
      cy[a * W + t + 1] = cy[a * W + t] + v;
      ce[a * W + t + 1] = ce[a * W + t] + s.events[a * T + t];
      cnz[a * W + t + 1] = cnz[a * W + t] + (v > 0 ? 1.0 : 0.0);
    }
  }
  const auto mean = [&](const std::vector<double>& c, std::size_t a, std::size_t t, std::size_t w) {
    const std::size_t lo = t + 1 >= w ? t + 1 - w : 0;
    return (c[a * W + t + 1] - c[a * W + lo]) / static_cast<double>(t + 1 - lo);
  };
  const auto ring_mean = [&](const std::vector<double>& c, const std::vector<std::size_t>& ring, std::size_t t,
                             std::size_t w) {
    if (ring.empty()) return 0.0;
    double sum = 0;
    for (std::size_t j : ring) sum += mean(c, j, t, w);
    return sum / static_cast<double>(ring.size());
  };
  for (std::size_t a = 0; a < A; ++a) {
    double last_event = -1, last_near = -1;
    for (std::size_t t = 0; t < t_end; ++t) {
      const double v = s.y[a * T + t];
      if (v > 0) last_event = static_cast<double>(t);
      bool near = v > 0;
      for (std::size_t j : nbh.ring1[a]) near = near || s.y[j * T + t] > 0;
      if (near) last_near = static_cast<double>(t);
      double* f = &ft.f[(a * t_end + t) * kFeatures];
      f[0] = 1.0;
      f[1] = std::log1p(v);
      f[2] = std::log1p(mean(cy, a, t, 3));
      f[3] = std::log1p(mean(cy, a, t, 12));
      f[4] = std::log1p(mean(cy, a, t, t + 1));
      f[5] = std::log1p(ring_mean(cy, nbh.nb[a], t, 3));
      f[6] = std::log1p(ring_mean(cy, nbh.nb[a], t, 12));
      f[7] = last_event < 0 ? 0.0 : std::exp(-(static_cast<double>(t) - last_event) / 4.0);
      f[8] = mean(cnz, a, t, 12);
      f[9] = std::log1p(s.events[a * T + t]);
      f[10] = std::log1p(mean(ce, a, t, 3));
      f[11] = std::log1p(mean(ce, a, t, 12));
      f[12] = std::log1p(ring_mean(cy, nbh.ring1[a], t, 3));
      f[13] = std::log1p(ring_mean(cy, nbh.ring1[a], t, 12));
      f[14] = std::log1p(ring_mean(cy, nbh.ring2[a], t, 12));
      f[15] = last_near < 0 ? 0.0 : std::exp(-(static_cast<double>(t) - last_near) / 6.0);
      f[16] = std::log1p(ring_mean(ce, nbh.ring1[a], t, 3));
      f[17] = std::log1p(ring_mean(ce, nbh.ring1[a], t, 1));
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

TrainingRange training_range(std::size_t t_end, std::size_t h, int train_months) {
  if (t_end < h + 1 + kWarmup + 1) throw internal_error("training_range: history too short");
  TrainingRange r;
  r.hi = t_end - 1 - h;
  r.lo = kWarmup;
  if (train_months > 0 && r.hi + 1 > r.lo + static_cast<std::size_t>(train_months)) {
    r.lo = r.hi + 1 - static_cast<std::size_t>(train_months);
  }
  return r;
}

HorizonLearner::HorizonLearner(const FeatureTable& ft, const Series& s, std::size_t h, bool nb, bool hurdle,
                               const NbParams& nbp, const HurdleParams& hp)
    : ft_(ft), s_(s), h_(h), nb_(nb), hurdle_(hurdle), nbp_(nbp), hp_(hp) {}

void HorizonLearner::add_months(bool nb_model, std::size_t t_from, std::size_t t_to, double weight) {
  std::array<double, kHurdleColumns.size()> row{};
  for (std::size_t t = t_from; t <= t_to; ++t) {
    for (std::size_t a = 0; a < ft_.areas; ++a) {
      const double* f = ft_.row(a, t);
      const double target = s_.at(a, t + h_);
      if (nb_model) {
        for (std::size_t j = 0; j < kNbColumns.size(); ++j) row[j] = f[kNbColumns[j]];
        nb_set_.add(row.data(), target, nbp_.offset_level ? level_offset(f) : 0.0, weight);
      } else {
        for (std::size_t j = 0; j < kHurdleColumns.size(); ++j) row[j] = f[kHurdleColumns[j]];
        any_set_.add(row.data(), target > 0 ? 1.0 : 0.0, 0.0, weight);
        if (target > 0) size_set_.add(row.data(), std::log(target), 0.0, weight);
      }
    }
  }
}

void HorizonLearner::advance(std::size_t t_end) {
  const auto move = [&](bool nb_model, int train_months, bool& started, TrainingRange& have) {
    const TrainingRange want = training_range(t_end, h_, train_months);
    if (!started || want.lo > have.hi || want.hi < have.lo || want.lo < have.lo) {
      if (nb_model) {
        nb_set_ = TrainingSet(kNbColumns.size());
      } else {
        any_set_ = TrainingSet(kHurdleColumns.size());
        size_set_ = TrainingSet(kHurdleColumns.size());
      }
      add_months(nb_model, want.lo, want.hi, 1);
    } else {
      if (want.lo > have.lo) add_months(nb_model, have.lo, want.lo - 1, -1);
      if (want.hi > have.hi) add_months(nb_model, have.hi + 1, want.hi, 1);
      if (want.hi < have.hi) add_months(nb_model, want.hi + 1, have.hi, -1);
    }
    have = want;
    started = true;
  };
  if (nb_) move(true, nbp_.train_months, nb_started_, nb_have_);
  if (hurdle_) move(false, hp_.train_months, hurdle_started_, hurdle_have_);
}

HorizonFits HorizonLearner::fit(const HorizonFits* warm) const {
  HorizonFits out;
  if (nb_) {
    NbFitOptions o;
    o.ridge = nbp_.ridge;
    o.max_iter = nbp_.max_iter;
    o.tol = nbp_.tol;
    if (nbp_.dispersion_by_level) o.dispersion_columns = {0, 3, 8};
    o.dispersion_ridge = nbp_.dispersion_ridge;
    out.nb = fit_nb2(nb_set_.x(), nb_set_.y(), nb_set_.cols(), o, warm != nullptr ? &warm->nb : nullptr,
                     nb_set_.offset(), nb_set_.weight());
  }
  if (hurdle_) {
    GlmOptions o;
    o.ridge = hp_.ridge;
    o.max_iter = hp_.max_iter;
    o.tol = hp_.tol;
    out.hurdle.any = fit_logit(any_set_.x(), any_set_.y(), any_set_.cols(), o,
                               warm != nullptr ? &warm->hurdle.any : nullptr, any_set_.weight());
    double positives = 0;
    for (double w : size_set_.weight()) positives += w;
    out.hurdle.has_size = positives > 0;
    if (out.hurdle.has_size) {
      out.hurdle.size = fit_lognormal(size_set_.x(), size_set_.y(), size_set_.cols(), o,
                                      {kHurdleVariance.begin(), kHurdleVariance.end()}, size_set_.weight());
    }
  }
  return out;
}

std::size_t min_history(ModelId m, std::size_t horizon) { return is_learned(m) ? horizon + kWarmup + 2 : 1; }

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

void sample(ModelId m, const OriginView& v, std::size_t a, std::size_t h, Rng& rng, float* out, std::size_t n) {
  const std::size_t T = v.s->months, t_end = v.t_end;
  const double* ya = &v.s->y[a * T];
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
      const NbFit& fit = v.fits->at(h).nb;
      const double* f = v.ft->row(a, t_end - 1);
      std::array<double, kNbColumns.size()> x{};
      for (std::size_t j = 0; j < kNbColumns.size(); ++j) x[j] = f[kNbColumns[j]];
      const double mu = fit.mean_at(x.data(), v.nb->offset_level ? level_offset(f) : 0.0);
      sample_nb2_n(rng, mu, fit.alpha_at(x.data()), out, n);
      return;
    }
    case ModelId::kHurdle: {
      const HurdleFit& fit = v.fits->at(h).hurdle;
      const double* f = v.ft->row(a, t_end - 1);
      std::array<double, kHurdleColumns.size()> x{};
      for (std::size_t j = 0; j < kHurdleColumns.size(); ++j) x[j] = f[kHurdleColumns[j]];
      const double p = fit.has_size ? fit.any.prob_at(x.data()) : 0.0;
      const double mu = fit.has_size ? fit.size.mean_at(x.data()) : 0.0;
      const double sd = fit.has_size ? fit.size.sd_at(x.data()) : 0.0;
      for (std::size_t s = 0; s < n; ++s) {
        if (!(rng.uniform() < p)) {
          out[s] = 0.0f;
          continue;
        }
        // A lognormal size, rounded to a count of at least 1 (capped at 1e7).
        const double z = std::min(mu + sd * sample_normal(rng), 16.1);
        out[s] = static_cast<float>(std::max(1.0, std::round(std::exp(z))));
      }
      return;
    }
  }
}

void run_origins(const Series& s, const std::vector<PanelArea>& areas, const OriginsSpec& spec,
                 const std::function<void(std::size_t, std::size_t, std::size_t, std::size_t, const float*)>& visit,
                 const std::function<void(std::int64_t, std::int64_t)>& progress) {
  const std::size_t T = s.months, A = s.areas, H = spec.horizon, S = spec.samples, O = spec.origins;
  const auto has = [&](ModelId m) { return std::find(spec.models.begin(), spec.models.end(), m) != spec.models.end(); };
  const bool has_nb = has(ModelId::kNb), has_hurdle = has(ModelId::kHurdle), has_learned = has_nb || has_hurdle;
  std::mutex progress_mutex;
  std::int64_t done = 0;
  const std::int64_t total = static_cast<std::int64_t>((has_learned ? H : 0) + O);
  const auto tick = [&] {
    if (!progress) return;
    const std::lock_guard<std::mutex> lock(progress_mutex);
    progress(++done, total);
  };

  // Stage 1: fits of the learned models per origin and horizon.
  std::vector<std::vector<HorizonFits>> fits(O, std::vector<HorizonFits>(H));
  FeatureTable shared;
  Neighbourhoods nbh;
  if (has_learned) {
    nbh = neighbourhoods(areas, spec.nb, spec.hurdle);
    if (spec.incremental) {
      // Features at t use data up to t only, so one table serves every origin.
      // The training rows of origin o+1 are those of origin o plus one month
      // (minus one month with a training window), so each horizon keeps its
      // merged training sets and each fit warm-starts from the previous one.
      shared = build_features(s, T, nbh);
      parallel_for(H, spec.threads, [&](std::size_t h) {
        HorizonLearner learner(shared, s, h + 1, has_nb, has_hurdle, spec.nb, spec.hurdle);
        for (std::size_t o = 0; o < O; ++o) {
          learner.advance(spec.first_t_end + o);
          fits[o][h] = learner.fit(o > 0 ? &fits[o - 1][h] : nullptr);
        }
        tick();
      });
    } else {
      std::size_t hdone = 0;
      for (std::size_t o = 0; o < O; ++o) {
        const std::size_t te = spec.first_t_end + o;
        const FeatureTable ft = build_features(s, te, nbh);
        parallel_for(H, spec.threads, [&](std::size_t h) {
          HorizonLearner learner(ft, s, h + 1, has_nb, has_hurdle, spec.nb, spec.hurdle);
          learner.advance(te);
          fits[o][h] = learner.fit(nullptr);
        });
        while (hdone < H * (o + 1) / O) {
          ++hdone;
          tick();
        }
      }
    }
  }

  // Stage 2: draws per origin.
  parallel_for(O, spec.threads, [&](std::size_t o) {
    const std::size_t te = spec.first_t_end + o;
    FeatureTable local;
    OriginView view;
    view.s = &s;
    view.t_end = te;
    view.fits = &fits[o];
    view.nb = &spec.nb;
    if (has_learned) {
      if (spec.incremental) {
        view.ft = &shared;
      } else {
        local = build_features(s, te, nbh);
        view.ft = &local;
      }
    }
    std::vector<float> buf(S);
    for (std::size_t mi = 0; mi < spec.models.size(); ++mi) {
      for (std::size_t a = 0; a < A; ++a) {
        for (std::size_t h = 0; h < H && te + h < T; ++h) {
          Rng rng = draw_rng(spec.seed, spec.first_origin_month + static_cast<std::int32_t>(o), spec.models[mi], a, h);
          sample(spec.models[mi], view, a, h, rng, buf.data(), S);
          sort_draws(buf.data(), S);
          visit(o, mi, a, h, buf.data());
        }
      }
    }
    tick();
  });
}

}  // namespace endstate::forecast::detail
