// Forecasts, backtests and alerts through the engine.
#include "endstate/core/error.hpp"
#include "endstate/service/engine.hpp"
#include "service/detail/engine_impl.hpp"

namespace endstate::service {

namespace {

void check_forecast_options(const forecast::ForecastOptions& o) {
  (void)forecast::resolve_model(o.model);
  if (o.horizon < 1 || o.horizon > 120) throw invalid_field("horizon", "must be an integer in 1..120");
  if (o.samples < 1 || o.samples > 100000) throw invalid_field("samples", "must be an integer in 1..100000");
  if (o.threads < 0 || o.threads > 1024) throw invalid_field("threads", "must be an integer in 0..1024");
  if (o.nb.neighbours < 0 || o.nb.neighbours > 64) throw invalid_field("neighbours", "must be an integer in 0..64");
  if (o.nb.train_months < 0 || o.nb.train_months > 10000) {
    throw invalid_field("train_months", "must be an integer in 0..10000");
  }
  detail::check_range("ridge", o.nb.ridge, 0, 1e12);
  detail::check_range("dispersion_ridge", o.nb.dispersion_ridge, 0, 1e12);
  const auto& h = o.hurdle;
  if (h.neighbours < 0 || h.neighbours > 64) throw invalid_field("hurdle_neighbours", "must be an integer in 0..64");
  if (h.outer_neighbours < 0 || h.outer_neighbours > 128) {
    throw invalid_field("hurdle_outer_neighbours", "must be an integer in 0..128");
  }
  if (h.train_months < 0 || h.train_months > 10000) {
    throw invalid_field("hurdle_train_months", "must be an integer in 0..10000");
  }
  detail::check_range("hurdle_ridge", h.ridge, 0, 1e12);
}

}  // namespace

ForecastResult Engine::forecast(const ForecastRequest& r) {
  check_forecast_options(r.options);
  auto& db = reader();
  ForecastResult out;
  out.level = detail::level_or_default(db, r.level);
  const Panel panel = detail::load_panel(db, out.level, std::nullopt, r.to);
  out.forecast = forecast::run_forecast(panel, r.target, r.options);
  out.areas = panel.areas();
  out.history_from = panel.first();
  out.history_to = panel.last();
  out.target = r.target;
  out.options = r.options;
  return out;
}

BacktestResult Engine::backtest(const BacktestRequest& r) {
  forecast::ForecastOptions check;
  check.horizon = r.options.horizon;
  check.samples = r.options.samples;
  check.threads = r.options.threads;
  check.nb = r.options.nb;
  check.hurdle = r.options.hurdle;
  check_forecast_options(check);
  for (const auto& m : r.options.models) (void)forecast::resolve_model(m);
  auto& db = reader();
  BacktestResult out;
  out.level = detail::level_or_default(db, r.level);
  const Panel panel = detail::load_panel(db, out.level, std::nullopt, std::nullopt);
  out.options = r.options;
  out.options.to = r.to.value_or(panel.last());
  out.options.from = r.from.value_or(out.options.to.plus(-35));
  if (out.options.to < out.options.from) throw invalid_field("to", "is before from");
  const std::string stage = "backtest " + out.level;
  out.result = forecast::run_backtest(panel, r.target, out.options, [&](std::int64_t done, std::int64_t total) {
    impl_->progress(stage, done, total);
  });
  impl_->progress(stage, 1, 1);
  out.areas = panel.area_count();
  out.target = r.target;
  return out;
}

AlertsResult Engine::alerts(const AlertsRequest& r) {
  forecast::ForecastOptions fo = r.forecast;
  fo.horizon = 1;
  check_forecast_options(fo);
  const auto& rules = r.rules;
  for (auto [name, v] : {std::pair<const char*, double>{"red_p25", rules.red_p25},
                         {"amber_p25", rules.amber_p25},
                         {"amber_p10", rules.amber_p10}}) {
    detail::check_range(name, v, 0, 1);
  }
  detail::check_range("escalation_amber", rules.escalation_amber, 0, 1e9);
  detail::check_range("escalation_red", rules.escalation_red, 0, 1e9);
  detail::check_range("min_recent", rules.min_recent, 0, 1e12);
  if (rules.recent_months < 1 || rules.recent_months > 120) throw invalid_field("recent_months", "must be in 1..120");
  if (rules.baseline_months < 1 || rules.baseline_months > 600) {
    throw invalid_field("baseline_months", "must be in 1..600");
  }
  detail::check_range("response_hours", r.response_hours, 0, 1000);
  detail::check_range("road_kmh", r.reach.road_kmh, 0.1, 1000);
  detail::check_range("detour", r.reach.detour, 1, 10);
  detail::check_range("air_kmh", r.reach.air_kmh, 0.1, 2000);
  detail::check_range("air_prep_hours", r.reach.air_prep_hours, 0, 100);
  detail::check_range("air_max_km", r.reach.air_max_km, 0, 5000);
  if (r.calibration.months < 1 || r.calibration.months > 600) {
    throw invalid_field("calibration_months", "must be an integer in 1..600");
  }
  if (r.calibration.samples < 1 || r.calibration.samples > 100000) {
    throw invalid_field("calibration_samples", "must be an integer in 1..100000");
  }

  auto& db = reader();
  AlertsResult out;
  out.month = r.month;
  out.level = detail::level_or_default(db, r.level);
  const auto st = db.status();
  if (!st.first_event) throw not_found("no events in the database; run 'endstate events import' first");
  const Month first = Month::of(*st.first_event);
  if (r.month.plus(-1) < first) {
    throw bad_input("month " + r.month.str() + ": there is no history before it (events start " + first.str() + ")");
  }
  const Panel history = detail::load_panel(db, out.level, first, r.month.plus(-1));
  const forecast::Forecast fc = forecast::run_forecast(history, forecast::Target::kFatalities, fo);
  out.rules = rules;
  if (r.calibration.calibrate) {
    forecast::AlertCalibrationOptions co = r.calibration;
    co.model = fo.model;
    co.seed = fo.seed;
    co.threads = fo.threads;
    co.nb = fo.nb;
    co.hurdle = fo.hurdle;
    try {
      out.calibration = forecast::calibrate_alerts(history, rules, co, out.rules);
      out.calibration_samples = static_cast<std::size_t>(co.samples);
    } catch (const Error& e) {
      if (e.category() != ErrorCategory::kBadInput) throw;  // only "history too short for one month"
      impl_->warn(e.message() + "; the alert thresholds stay as given");
      out.rules = rules;
    }
  }
  out.alerts = forecast::compute_alerts(history, fc, out.rules, out.calibration ? &*out.calibration : nullptr);
  for (const auto& s : active_sites(r.month.plus(-1))) {
    out.responders.push_back(
        {s.site.key, s.site.name, s.site.where, s.latest->troops, s.latest->police, s.latest->aviation > 0});
  }
  out.cover = forecast::response_cover(history.areas(), out.responders, r.reach, r.response_hours, out.alerts);
  for (std::size_t i = 0; i < out.alerts.size(); ++i) {
    switch (out.alerts[i].level) {
      case forecast::AlertLevel::kGreen:
        ++out.green;
        break;
      case forecast::AlertLevel::kAmber:
        ++out.amber;
        break;
      case forecast::AlertLevel::kRed:
        ++out.red;
        break;
    }
    out.response_gaps += out.cover[i].gap ? 1 : 0;
  }
  out.areas = history.areas();
  out.history_to = history.last();
  out.model = fc.model;
  out.samples = fc.samples;
  out.seed = fo.seed;
  out.response_hours = r.response_hours;
  out.reach = r.reach;
  if (r.with_geometry) out.shapes = detail::shapes(db, out.level);
  return out;
}

}  // namespace endstate::service
