// run_forecast and the Forecast accessors; see forecast.hpp.
#include "endstate/forecast/forecast.hpp"

#include <algorithm>

#include "endstate/core/error.hpp"
#include "endstate/forecast/scoring.hpp"
#include "forecast/detail/engine.hpp"

namespace endstate::forecast {

std::string target_name(Target t) {
  switch (t) {
    case Target::kFatalities:
      return "fatalities";
    case Target::kVacEvents:
      return "vac-events";
    case Target::kVacFatalities:
      return "vac-fatalities";
  }
  return "fatalities";
}

std::optional<Target> parse_target(const std::string& s) {
  if (s == "fatalities") return Target::kFatalities;
  if (s == "vac-events") return Target::kVacEvents;
  if (s == "vac-fatalities") return Target::kVacFatalities;
  return std::nullopt;
}

std::vector<double> target_series(const Panel& panel, Target target) {
  SeriesSpec spec;
  switch (target) {
    case Target::kFatalities:
      spec.measure = SeriesSpec::Measure::kFatalities;
      break;
    case Target::kVacEvents:
      spec.measure = SeriesSpec::Measure::kEvents;
      spec.types = {ViolenceType::kOneSided};
      break;
    case Target::kVacFatalities:
      spec.measure = SeriesSpec::Measure::kFatalities;
      spec.types = {ViolenceType::kOneSided};
      break;
  }
  return series(panel, spec);
}

double Forecast::mean(std::size_t a, std::size_t h) const {
  double s = 0;
  const float* d = &draws[(a * horizon + h) * samples];
  for (std::size_t i = 0; i < samples; ++i) s += d[i];
  return samples > 0 ? s / static_cast<double>(samples) : 0.0;
}

double Forecast::quantile(std::size_t a, std::size_t h, double q) const {
  const float* d = &draws[(a * horizon + h) * samples];
  std::vector<float> v(d, d + samples);
  std::sort(v.begin(), v.end());
  return quantile_sorted(v.data(), v.size(), q);
}

double Forecast::prob_at_least(std::size_t a, std::size_t h, double x) const {
  const float* d = &draws[(a * horizon + h) * samples];
  std::size_t c = 0;
  for (std::size_t i = 0; i < samples; ++i) c += d[i] >= x ? 1 : 0;
  return samples > 0 ? static_cast<double>(c) / static_cast<double>(samples) : 0.0;
}

DrawSummary summarize(const float* draws, std::size_t n) {
  DrawSummary s;
  if (n == 0) return s;
  std::vector<float> v(draws, draws + n);
  std::sort(v.begin(), v.end());
  double m = 0;
  for (float x : v) m += x;
  s.mean = m / static_cast<double>(n);
  s.q05 = quantile_sorted(v.data(), n, 0.05);
  s.q25 = quantile_sorted(v.data(), n, 0.25);
  s.q50 = quantile_sorted(v.data(), n, 0.50);
  s.q75 = quantile_sorted(v.data(), n, 0.75);
  s.q95 = quantile_sorted(v.data(), n, 0.95);
  s.p_ge_1 = share_at_least_sorted(v.data(), n, 1);
  s.p_ge_10 = share_at_least_sorted(v.data(), n, 10);
  s.p_ge_25 = share_at_least_sorted(v.data(), n, 25);
  return s;
}

const std::vector<std::string>& model_names() {
  static const std::vector<std::string> names{"zero", "last", "bootstrap", "conflictology", "nb", "hurdle"};
  return names;
}

std::string resolve_model(const std::string& name) {
  if (name == "best") return "hurdle";
  for (const auto& m : model_names()) {
    if (m == name) return m;
  }
  std::string all;
  for (const auto& m : model_names()) all += m + ", ";
  throw usage_error("unknown model '" + name + "'; models: " + all + "best (= hurdle)");
}

namespace {

Forecast forecast_of(const Panel& history, const detail::Series& series, Target target, const ForecastOptions& opt) {
  if (opt.horizon < 1 || opt.horizon > 120) {
    throw usage_error("--horizon must be 1..120 months (got " + std::to_string(opt.horizon) + ")");
  }
  if (opt.samples < 1 || opt.samples > 100000) {
    throw usage_error("--samples must be 1..100000 (got " + std::to_string(opt.samples) + ")");
  }
  if (opt.threads < 0) throw usage_error("--threads must be >= 0");
  const std::string model = resolve_model(opt.model);
  const detail::ModelId id = detail::model_id(model);
  const std::size_t A = history.area_count(), T = history.month_count(), H = static_cast<std::size_t>(opt.horizon),
                    S = static_cast<std::size_t>(opt.samples);
  if (T < detail::min_history(id, H)) {
    throw bad_input("the history " + history.first().str() + ".." + history.last().str() + " has " + std::to_string(T) +
                    " months; model " + model + " at horizon " + std::to_string(H) + " needs at least " +
                    std::to_string(detail::min_history(id, H)));
  }
  // The draws are held in memory: bound their number before allocating them
  // (each of samples, horizon and areas is bounded, their product too).
  if (A * H * S > kMaxDraws) {
    throw invalid_field("samples", "x horizon x areas = " + std::to_string(S) + " x " + std::to_string(H) + " x " +
                                       std::to_string(A) + " draws is more than the " + std::to_string(kMaxDraws) +
                                       " held in memory; ask for fewer samples, a shorter horizon or a coarser level");
  }
  Forecast fc;
  fc.target = target;
  fc.model = model;
  fc.first_month = history.last().plus(1);
  fc.areas = A;
  fc.horizon = H;
  fc.samples = S;
  fc.draws.assign(A * H * S, 0.0f);
  std::vector<detail::HorizonFits> fits(H);
  detail::FeatureTable ft;
  if (detail::is_learned(id)) {
    ft = detail::build_features(series, T, detail::neighbourhoods(history.areas(), opt.nb, opt.hurdle));
    detail::parallel_for(H, opt.threads, [&](std::size_t h) {
      detail::HorizonLearner learner(ft, series, h + 1, id == detail::ModelId::kNb, id == detail::ModelId::kHurdle,
                                     opt.nb, opt.hurdle);
      learner.advance(T);
      fits[h] = learner.fit(nullptr);
    });
  }
  detail::OriginView view;
  view.s = &series;
  view.t_end = T;
  view.ft = &ft;
  view.fits = &fits;
  view.nb = &opt.nb;
  const std::int32_t origin = fc.first_month.index();
  detail::parallel_for(A, opt.threads, [&](std::size_t a) {
    for (std::size_t h = 0; h < H; ++h) {
      Rng rng = detail::draw_rng(opt.seed, origin, id, a, h);
      detail::sample(id, view, a, h, rng, &fc.draws[(a * H + h) * S], S);
    }
  });
  return fc;
}

}  // namespace

Forecast run_forecast(const Panel& history, Target target, const ForecastOptions& opt) {
  return forecast_of(history, detail::series_of(history, target), target, opt);
}

Forecast run_forecast(const Panel& history, const SeriesSpec& spec, const ForecastOptions& opt) {
  return forecast_of(history, detail::series_of(history, spec), Target::kFatalities, opt);
}

}  // namespace endstate::forecast
