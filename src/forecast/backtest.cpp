// Rolling-origin backtests; see backtest.hpp.
#include "endstate/forecast/backtest.hpp"

#include <algorithm>
#include <map>

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
  ids.reserve(models.size());
  for (const auto& m : models) ids.push_back(detail::model_id(m));
  const std::size_t H = static_cast<std::size_t>(opt.horizon), S = static_cast<std::size_t>(opt.samples);
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
  const std::size_t O = static_cast<std::size_t>(std::int64_t{opt.to.index()} - opt.from.index() + 1);
  const detail::Series s = detail::series_of(panel, target);
  detail::OriginsSpec spec;
  spec.models = ids;
  spec.first_t_end = *panel.month_index(opt.from);
  spec.origins = O;
  spec.first_origin_month = opt.from.index();
  spec.horizon = H;
  spec.samples = S;
  spec.seed = opt.seed;
  spec.threads = opt.threads;
  spec.nb = opt.nb;
  spec.hurdle = opt.hurdle;
  spec.incremental = opt.incremental;
  std::vector<std::vector<ScoreSums>> acc(O, std::vector<ScoreSums>(models.size()));
  detail::run_origins(
      s, panel.areas(), spec,
      [&](std::size_t o, std::size_t mi, std::size_t a, std::size_t h, const float* sorted) {
        acc[o][mi].add(sorted, S, s.at(a, spec.first_t_end + o + h));
      },
      progress);

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
    for (const auto& [year, sums] : by_year) res.by_year.push_back(to_row(models[mi], year, sums));
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
