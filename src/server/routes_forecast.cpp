// Routes of forecasts and backtests (jobs) and of alerts with their responders.
#include "endstate/core/error.hpp"
#include "endstate/core/strings.hpp"
#include "endstate/io/writers.hpp"
#include "server/detail/route.hpp"

namespace endstate::server::detail {

namespace {

template <class T>
std::vector<T> with(std::vector<T> a, const std::vector<T>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

std::string num(double v) {
  std::ostringstream s;
  s << v;
  return s.str();
}

/// Tuning of the learned models (nb and hurdle), defaults from NbParams and HurdleParams.
std::vector<ParamSpec> learner_params() {
  const forecast::NbParams nb;
  const forecast::HurdleParams hu;
  return {
      int_param("neighbours", "nb: k nearest area centroids in the spatial lag", std::to_string(nb.neighbours), 0, 64),
      int_param("train_months", "nb: fit on the latest N months of targets only (0 = all)",
                std::to_string(nb.train_months), 0, 10000),
      num_param("ridge", "nb: L2 penalty on the slopes", num(nb.ridge), 0, 1e12),
      choice_param("dispersion", "nb: dispersion by level or constant", {"level", "constant"}, "level"),
      num_param("dispersion_ridge", "nb: L2 penalty on the slopes of log alpha", num(nb.dispersion_ridge), 0, 1e12),
      choice_param("offset", "nb: offset by the 12-month level or none", {"level", "none"}, "level"),
      int_param("hurdle_neighbours", "hurdle: first ring, the k nearest areas", std::to_string(hu.neighbours), 0, 64),
      int_param("hurdle_outer_neighbours", "hurdle: second ring, the next k nearest",
                std::to_string(hu.outer_neighbours), 0, 128),
      num_param("hurdle_ridge", "hurdle: L2 penalty on the slopes of both parts", num(hu.ridge), 0, 1e12),
      int_param("hurdle_train_months", "hurdle: fit on the latest N months of targets only (0 = all)",
                std::to_string(hu.train_months), 0, 10000)};
}

std::vector<ParamSpec> model_params(const std::string& samples) {
  return with({choice_param("target", "what is forecast", {"fatalities", "vac-events", "vac-fatalities"}, "fatalities"),
               int_param("horizon", "months ahead", "12", 1, 120),
               int_param("samples", "draws per area and month", samples, 1, 100000),
               int_param("seed", "random seed (same seed, same draws, any threads)", "1", 0, 9e15),
               int_param("threads", "worker threads (0 = all cores)", "0", 0, 1024)},
              learner_params());
}

forecast::NbParams nb_params(const Params& p) {
  forecast::NbParams nb;
  nb.neighbours = static_cast<int>(p.integer("neighbours"));
  nb.train_months = static_cast<int>(p.integer("train_months"));
  nb.ridge = p.number("ridge");
  nb.dispersion_ridge = p.number("dispersion_ridge");
  nb.dispersion_by_level = p.text("dispersion") == "level";
  nb.offset_level = p.text("offset") == "level";
  return nb;
}

forecast::HurdleParams hurdle_params(const Params& p) {
  forecast::HurdleParams h;
  h.neighbours = static_cast<int>(p.integer("hurdle_neighbours"));
  h.outer_neighbours = static_cast<int>(p.integer("hurdle_outer_neighbours"));
  h.ridge = p.number("hurdle_ridge");
  h.train_months = static_cast<int>(p.integer("hurdle_train_months"));
  return h;
}

/// "zero | last | ... | best (= hurdle)", from the forecast module's list.
std::string models_help() {
  std::string h;
  for (const auto& m : forecast::model_names()) h += m + " | ";
  return h + "best (= " + forecast::resolve_model("best") + ")";
}

forecast::Target target(const Params& p) { return *forecast::parse_target(p.text("target")); }

}  // namespace

std::vector<Route> forecast_routes() {
  std::vector<Route> out;
  {
    Route r{"POST", "/api/forecast", "forecast_run",
            "Forecast distribution of fatalities or violence against civilians per area and month (a job)."};
    r.kind = "forecast";
    r.needs = Capability::kRun;
    r.job = true;
    r.body = Body::kJson;
    r.params = with({str_param("level", "area level (default: province when present)"),
                     month_param("to", "last month of history (default: month of the last event)"),
                     str_param("model", models_help(), "best")},
                    model_params("1000"));
    r.formats = {"json", "csv"};
    r.prepare = [](const Call& c) -> Run {
      const Params& p = c.params;
      service::ForecastRequest q;
      q.level = p.text("level");
      q.to = p.month("to");
      q.target = target(p);
      q.options.model = p.text("model");
      q.options.horizon = static_cast<int>(p.integer("horizon"));
      q.options.samples = static_cast<int>(p.integer("samples"));
      q.options.seed = static_cast<std::uint64_t>(p.integer("seed"));
      q.options.threads = static_cast<int>(p.integer("threads"));
      q.options.nb = nb_params(p);
      q.options.hurdle = hurdle_params(p);
      return [q, o = c.write](service::Engine& e) { return render(e.forecast(q), o); };
    };
    out.push_back(std::move(r));
  }
  {
    Route r{"POST", "/api/forecast/backtest", "forecast_backtest",
            "Rolling-origin backtest of the benchmark and learned models with CRPS, ignorance, MIS, MSE, Brier, "
            "coverage, scores over non-zero outcomes and calibration (a job)."};
    r.kind = "backtest";
    r.needs = Capability::kRun;
    r.job = true;
    r.body = Body::kJson;
    r.params = with({str_param("level", "area level (default: province when present)"),
                     month_param("from", "first forecast origin (default: 36 months before to)"),
                     month_param("to", "last forecast origin (default: month of the last event)"),
                     list_param("models", "models (default: all of " + join(forecast::model_names(), ", ") + ")"),
                     bool_param("straightforward", "nb, hurdle: rebuild features and cold-start every fit")},
                    model_params("500"));
    r.formats = {"json", "csv"};
    r.prepare = [](const Call& c) -> Run {
      const Params& p = c.params;
      service::BacktestRequest q;
      q.level = p.text("level");
      q.from = p.month("from");
      q.to = p.month("to");
      q.target = target(p);
      q.options.horizon = static_cast<int>(p.integer("horizon"));
      q.options.samples = static_cast<int>(p.integer("samples"));
      q.options.seed = static_cast<std::uint64_t>(p.integer("seed"));
      q.options.threads = static_cast<int>(p.integer("threads"));
      q.options.nb = nb_params(p);
      q.options.hurdle = hurdle_params(p);
      q.options.incremental = !p.flag("straightforward");
      for (const auto& m : p.list("models")) q.options.models.push_back(forecast::resolve_model(m));
      return [q, o = c.write](service::Engine& e) { return render(e.backtest(q), o); };
    };
    out.push_back(std::move(r));
  }
  {
    const forecast::AlertRules d;
    const forecast::AlertCalibrationOptions cal;
    const geo::ReachParams rp;
    Route r{"GET", "/api/alerts", "alerts",
            "Early warning per area for a month (green, amber, red with reasons) and early response: the active "
            "sites that reach each area in time, and the areas no one reaches."};
    r.kind = "alerts";
    r.needs = Capability::kRead;
    r.params = {
        month_param("month", "month to warn for; uses data strictly before it", true),
        str_param("level", "area level (default: province when present)"),
        str_param("model", "forecast model: " + models_help(), "best"),
        int_param("samples", "forecast draws per area", "1000", 1, 100000),
        int_param("seed", "random seed", "1", 0, 9e15),
        int_param("threads", "worker threads (0 = all cores)", "0", 0, 1024),
        bool_param("fixed_thresholds",
                   "use red_p25, amber_p25 and amber_p10 as given (default: thresholds from a backtest of the rules "
                   "on the months before month at this level, with their precision and recall)"),
        int_param("calibration_months", "months of backtest before month that set the thresholds",
                  std::to_string(cal.months), 1, 600),
        int_param("calibration_samples", "forecast draws per area-month in that backtest", std::to_string(cal.samples),
                  1, 100000),
        num_param("red_p25", "red when P(>=25 fatalities) >= P", num(d.red_p25), 0, 1),
        num_param("amber_p25", "amber when P(>=25 fatalities) >= P", num(d.amber_p25), 0, 1),
        num_param("amber_p10", "amber when P(>=10 fatalities) >= P", num(d.amber_p10), 0, 1),
        int_param("recent_months", "escalation: recent window", std::to_string(d.recent_months), 1, 120),
        int_param("baseline_months", "escalation: baseline window", std::to_string(d.baseline_months), 1, 600),
        num_param("escalation_amber", "amber when (recent+1)/(baseline+1) >= X", num(d.escalation_amber), 0, 1e300),
        num_param("escalation_red", "red when (recent+1)/(baseline+1) >= X", num(d.escalation_red), 0, 1e300),
        num_param("min_recent", "escalation counts only with a recent mean >= N", num(d.min_recent), 0, 1e300),
        num_param("response_hours", "a site is in reach when it responds within H hours", "6", 0, 1e300),
        num_param("road_kmh", "convoy speed on roads", num(rp.road_kmh), 0.1, 1e300),
        num_param("detour", "road distance / great-circle distance", num(rp.detour), 1, 1e300),
        num_param("air_kmh", "helicopter cruise speed", num(rp.air_kmh), 0.1, 1e300),
        num_param("air_prep_hours", "from call to take-off", num(rp.air_prep_hours), 0, 1e300),
        num_param("air_max_km", "helicopter radius of action", num(rp.air_max_km), 0, 1e300)};
    r.params = with(r.params, learner_params());
    r.formats = {"json", "geojson", "csv"};
    r.prepare = [](const Call& c) -> Run {
      const Params& p = c.params;
      service::AlertsRequest q;
      q.month = *p.month("month");
      q.level = p.text("level");
      q.rules.red_p25 = p.number("red_p25");
      q.rules.amber_p25 = p.number("amber_p25");
      q.rules.amber_p10 = p.number("amber_p10");
      q.rules.escalation_amber = p.number("escalation_amber");
      q.rules.escalation_red = p.number("escalation_red");
      q.rules.min_recent = p.number("min_recent");
      q.rules.recent_months = static_cast<int>(p.integer("recent_months"));
      q.rules.baseline_months = static_cast<int>(p.integer("baseline_months"));
      q.reach.road_kmh = p.number("road_kmh");
      q.reach.detour = p.number("detour");
      q.reach.air_kmh = p.number("air_kmh");
      q.reach.air_prep_hours = p.number("air_prep_hours");
      q.reach.air_max_km = p.number("air_max_km");
      q.response_hours = p.number("response_hours");
      q.forecast.model = p.text("model");
      q.forecast.samples = static_cast<int>(p.integer("samples"));
      q.forecast.seed = static_cast<std::uint64_t>(p.integer("seed"));
      q.forecast.threads = static_cast<int>(p.integer("threads"));
      q.forecast.nb = nb_params(p);
      q.forecast.hurdle = hurdle_params(p);
      q.calibration.calibrate = !p.flag("fixed_thresholds");
      q.calibration.months = static_cast<int>(p.integer("calibration_months"));
      q.calibration.samples = static_cast<int>(p.integer("calibration_samples"));
      q.with_geometry = c.write.format == io::Format::kGeoJson;
      return [q, o = c.write](service::Engine& e) { return render(e.alerts(q), o); };
    };
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace endstate::server::detail
