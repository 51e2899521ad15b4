// Rolling-origin backtests; see backtest.hpp.
#include "endstate/forecast/backtest.hpp"

#include <algorithm>
#include <map>
#include <mutex>

#include "endstate/core/error.hpp"
#include "endstate/forecast/scoring.hpp"
#include "forecast/detail/engine.hpp"

namespace endstate::forecast {

namespace {

ScoreRow to_row(const std::string& model, int year, const ScoreSums& s) {
  ScoreRow r;
  r.model = model;
  r.year = year;
  r.n = static_cast<std::size_t>(s.n);
  if (s.n > 0) {
    r.crps = s.crps / s.n;
    r.mse = s.se / s.n;
    r.msle = s.sle / s.n;
    r.brier_1 = s.brier1 / s.n;
    r.brier_10 = s.brier10 / s.n;
    r.brier_25 = s.brier25 / s.n;
    r.cover_50 = s.cover50 / s.n;
    r.cover_90 = s.cover90 / s.n;
    r.ign = s.ign / s.n;
    r.mis = s.mis / s.n;
  }
  r.n_nonzero = static_cast<std::size_t>(s.n_nonzero);
  if (s.n_nonzero > 0) {
    r.crps_nonzero = s.crps_nonzero / s.n_nonzero;
    r.ign_nonzero = s.ign_nonzero / s.n_nonzero;
    r.cover_50_nonzero = s.cover50_nonzero / s.n_nonzero;
    r.cover_90_nonzero = s.cover90_nonzero / s.n_nonzero;
  }
  r.expected_ge = s.expected;
  r.observed_ge = s.observed;
  return r;
}

Calibration to_calibration(const std::string& model, const ScoreSums& s) {
  Calibration c;
  c.model = model;
  for (std::size_t b = 0; b < kPitBins; ++b) {
    c.pit[b] = s.n > 0 ? s.pit[b] / s.n : 0;
    c.pit_nonzero[b] = s.n_nonzero > 0 ? s.pit_nonzero[b] / s.n_nonzero : 0;
  }
  const auto cover = [](const ScoreSums::Cover& v) {
    Calibration::Coverage o;
    o.n = static_cast<std::size_t>(v.n);
    if (v.n > 0) {
      o.cover_50 = v.c50 / v.n;
      o.cover_90 = v.c90 / v.n;
    }
    return o;
  };
  for (std::size_t k = 0; k < kSizeClasses; ++k) c.by_size[k] = cover(s.by_size[k]);
  c.called = cover(s.called);
  for (std::size_t k = 0; k < 3; ++k) {
    for (std::size_t b = 0; b < kReliabilityBins; ++b) {
      const auto& bin = s.reliability[k][b];
      auto& out = c.reliability[k][b];
      out.n = static_cast<std::size_t>(bin.n);
      if (bin.n > 0) {
        out.forecast = bin.p / bin.n;
        out.observed = bin.o / bin.n;
      }
    }
  }
  return c;
}

}  // namespace

BacktestResult run_backtest(const Panel& panel, Target target, const BacktestOptions& opt,
                            const std::function<void(std::int64_t, std::int64_t)>& progress) {
  if (opt.horizon < 1 || opt.horizon > 120) throw usage_error("--horizon must be 1..120 months");
  if (opt.samples < 1 || opt.samples > 100000) throw usage_error("--samples must be 1..100000");
  if (opt.threads < 0) throw usage_error("--threads must be >= 0");
  if (opt.to < opt.from) throw usage_error("--to " + opt.to.str() + " is before --from " + opt.from.str());
  std::vector<std::string> models;
  for (const auto& m : opt.models.empty() ? model_names() : opt.models) {
    const std::string r = resolve_model(m);
    if (std::find(models.begin(), models.end(), r) == models.end()) models.push_back(r);
  }
  std::vector<detail::ModelId> ids;
  for (const auto& m : models) ids.push_back(detail::model_id(m));
  const std::size_t A = panel.area_count(), T = panel.month_count(), H = static_cast<std::size_t>(opt.horizon),
                    S = static_cast<std::size_t>(opt.samples);
  if (opt.to > panel.last()) {
    throw bad_input("the last origin " + opt.to.str() + " is after the last month of data " + panel.last().str() +
                    " (nothing to score)");
  }
  std::size_t need = 1;
  for (auto id : ids) need = std::max(need, detail::min_history(id, H));
  if (opt.from < panel.first().plus(static_cast<std::int32_t>(need))) {
    throw bad_input("the first origin " + opt.from.str() + " leaves too little history: data start " +
                    panel.first().str() + " and the models need " + std::to_string(need) +
                    " months before it; use --from " + panel.first().plus(static_cast<std::int32_t>(need)).str() +
                    " or later");
  }
  const std::size_t O = static_cast<std::size_t>(opt.to.index() - opt.from.index() + 1);
  const auto t_end_of = [&](std::size_t o) { return *panel.month_index(opt.from.plus(static_cast<std::int32_t>(o))); };
  const std::vector<double> y = target_series(panel, target);
  const bool has_nb = std::find(ids.begin(), ids.end(), detail::ModelId::kNb) != ids.end();

  std::mutex progress_mutex;
  std::int64_t done = 0;
  const std::int64_t total = static_cast<std::int64_t>((has_nb ? H : 0) + O);
  const auto tick = [&] {
    if (!progress) return;
    const std::lock_guard<std::mutex> lock(progress_mutex);
    progress(++done, total);
  };

  // Stage 1: NB fits per origin and horizon.
  std::vector<std::vector<NbFit>> fits(O, std::vector<NbFit>(H));
  detail::FeatureTable shared;
  std::vector<std::vector<std::size_t>> nbrs;
  if (has_nb) {
    nbrs = detail::nearest_neighbours(panel.areas(), opt.nb.neighbours);
    if (opt.incremental) {
      // Features at t use data up to t only, so one table serves every origin;
      // each horizon's chain of origins is warm-started from the previous fit.
      shared = detail::build_features(y, A, T, T, nbrs);
      // The training rows of origin o+1 are those of origin o plus one month
      // (minus one month with --train-months), so each horizon keeps one
      // merged training set and adds (and removes) rows as the origin moves.
      detail::parallel_for(H, opt.threads, [&](std::size_t h) {
        const NbFit* warm = nullptr;
        detail::TrainingSet set;
        detail::TrainingRange have{0, 0};
        bool empty = true;
        for (std::size_t o = 0; o < O; ++o) {
          const detail::TrainingRange want = detail::training_range(t_end_of(o), h + 1, opt.nb);
          if (empty || want.lo > have.hi || want.hi < have.lo) {
            set = detail::TrainingSet();
            detail::add_rows(set, shared, y, T, h + 1, want.lo, want.hi, opt.nb);
          } else {
            if (want.lo > have.lo) detail::add_rows(set, shared, y, T, h + 1, have.lo, want.lo - 1, opt.nb, -1);
            if (want.hi > have.hi) detail::add_rows(set, shared, y, T, h + 1, have.hi + 1, want.hi, opt.nb);
          }
          have = want;
          empty = false;
          fits[o][h] = detail::fit_nb_horizon(set, opt.nb, warm);
          warm = &fits[o][h];
        }
        tick();
      });
    } else {
      std::size_t hdone = 0;
      for (std::size_t o = 0; o < O; ++o) {
        const std::size_t te = t_end_of(o);
        const detail::FeatureTable ft = detail::build_features(y, A, T, te, nbrs);
        detail::parallel_for(H, opt.threads, [&](std::size_t h) {
          fits[o][h] = detail::fit_horizon(ft, y, T, te, h + 1, opt.nb, nullptr);
        });
        while (hdone < H * (o + 1) / O) {
          ++hdone;
          tick();
        }
      }
    }
  }

  // Stage 2: draws and scores per origin (each origin sums in a fixed order).
  std::vector<std::vector<ScoreSums>> acc(O, std::vector<ScoreSums>(models.size()));
  detail::parallel_for(O, opt.threads, [&](std::size_t o) {
    const std::size_t te = t_end_of(o);
    const std::int32_t origin = opt.from.plus(static_cast<std::int32_t>(o)).index();
    detail::FeatureTable local;
    const detail::FeatureTable* ft = nullptr;
    if (has_nb) {
      if (opt.incremental) {
        ft = &shared;
      } else {
        local = detail::build_features(y, A, T, te, nbrs);
        ft = &local;
      }
    }
    std::vector<float> buf(S);
    for (std::size_t mi = 0; mi < models.size(); ++mi) {
      for (std::size_t a = 0; a < A; ++a) {
        for (std::size_t h = 0; h < H && te + h < T; ++h) {
          Rng rng = detail::draw_rng(opt.seed, origin, ids[mi], a, h);
          detail::sample(ids[mi], y, T, te, a, h, fits[o], ft, opt.nb, rng, buf.data(), S);
          detail::sort_draws(buf.data(), S);
          acc[o][mi].add(buf.data(), S, y[a * T + te + h]);
        }
      }
    }
    tick();
  });

  // Reduce by origin year, in origin order.
  BacktestResult res;
  res.origins = O;
  for (std::size_t mi = 0; mi < models.size(); ++mi) {
    std::map<int, ScoreSums> by_year;
    ScoreSums all;
    for (std::size_t o = 0; o < O; ++o) {
      by_year[opt.from.plus(static_cast<std::int32_t>(o)).year()].merge(acc[o][mi]);
      all.merge(acc[o][mi]);
    }
    for (const auto& [year, s] : by_year) res.by_year.push_back(to_row(models[mi], year, s));
    res.overall.push_back(to_row(models[mi], 0, all));
    res.calibration.push_back(to_calibration(models[mi], all));
  }
  std::vector<std::size_t> order(models.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return res.overall[a].crps < res.overall[b].crps; });
  std::vector<ScoreRow> overall;
  std::vector<Calibration> calibration;
  for (std::size_t i : order) {
    overall.push_back(res.overall[i]);
    calibration.push_back(res.calibration[i]);
  }
  res.overall.swap(overall);
  res.calibration.swap(calibration);
  return res;
}

}  // namespace endstate::forecast
