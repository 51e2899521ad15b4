// endstate forecast run | backtest, and endstate alerts
#include <cmath>
#include <fstream>

#include "commands.hpp"
#include "common.hpp"
#include "endstate/core/error.hpp"
#include "endstate/core/strings.hpp"
#include "endstate/io/writers.hpp"

namespace endstate::cli {
namespace {

forecast::Target target_flag(const Args& a) {
  const auto t = forecast::parse_target(a.get("target"));
  if (!t)
    throw usage_error("--target must be fatalities, vac-events or vac-fatalities (got '" + a.get("target") + "')");
  return *t;
}

/// A default as the help prints it: integers without decimals.
std::string shown(double v) {
  return v == std::floor(v) && std::abs(v) < 1e15 ? std::to_string(static_cast<std::int64_t>(v))
                                                  : io::format_number(v, 3);
}

forecast::NbParams nb_flags(const Args& a) {
  forecast::NbParams p;
  p.neighbours = static_cast<int>(int_flag(a, "neighbours", 0, 64));
  p.train_months = static_cast<int>(int_flag(a, "train-months", 0, 10000));
  p.ridge = number_flag(a, "ridge", 0, 1e12);
  p.dispersion_ridge = number_flag(a, "dispersion-ridge", 0, 1e12);
  const std::string disp = a.get("dispersion");
  if (disp != "level" && disp != "constant")
    throw usage_error("--dispersion must be level or constant (got '" + disp + "')");
  p.dispersion_by_level = disp == "level";
  const std::string off = a.get("offset");
  if (off != "level" && off != "none") throw usage_error("--offset must be level or none (got '" + off + "')");
  p.offset_level = off == "level";
  return p;
}

forecast::HurdleParams hurdle_flags(const Args& a) {
  forecast::HurdleParams p;
  p.neighbours = static_cast<int>(int_flag(a, "hurdle-neighbours", 0, 64));
  p.outer_neighbours = static_cast<int>(int_flag(a, "hurdle-outer-neighbours", 0, 128));
  p.train_months = static_cast<int>(int_flag(a, "hurdle-train-months", 0, 10000));
  p.ridge = number_flag(a, "hurdle-ridge", 0, 1e12);
  return p;
}

/// "--model" help: every model run_forecast knows, and what best means.
std::string model_help(const std::string& what) {
  std::string h = what + ": ";
  for (const auto& m : forecast::model_names()) h += m + " | ";
  return h + "best (= " + forecast::resolve_model("best") + ", chosen by backtest)";
}

/// Tuning of the learned models (nb and hurdle), defaults from NbParams and HurdleParams.
std::vector<FlagSpec> learner_flags() {
  const forecast::NbParams nb;
  const forecast::HurdleParams hu;
  return {
      {"neighbours", "K", "nb: k nearest area centroids in the spatial lag", std::to_string(nb.neighbours)},
      {"train-months", "N", "nb: fit on the latest N months of targets only (0 = all)",
       std::to_string(nb.train_months)},
      {"ridge", "X", "nb: L2 penalty on the slopes (towards the recent level)", shown(nb.ridge)},
      {"dispersion", "D", "nb: level (log alpha on the area's 12-month level and share of active months) | constant",
       nb.dispersion_by_level ? "level" : "constant"},
      {"dispersion-ridge", "X", "nb: L2 penalty on the slopes of log alpha (keeps the fit finite on sparse grids)",
       shown(nb.dispersion_ridge)},
      {"offset", "O", "nb: level (log of the 12-month mean + 0.5 as offset) | none",
       nb.offset_level ? "level" : "none"},
      {"hurdle-neighbours", "K", "hurdle: first ring, the k nearest areas (the 8 cells around a grid cell)",
       std::to_string(hu.neighbours)},
      {"hurdle-outer-neighbours", "K", "hurdle: second ring, the next k nearest (with the first a 5 x 5 block)",
       std::to_string(hu.outer_neighbours)},
      {"hurdle-ridge", "X", "hurdle: L2 penalty on the slopes of both parts", shown(hu.ridge)},
      {"hurdle-train-months", "N", "hurdle: fit on the latest N months of targets only (0 = all)",
       std::to_string(hu.train_months)}};
}

std::vector<FlagSpec> model_flags() {
  std::vector<FlagSpec> f{
      {"target", "T", "fatalities | vac-events | vac-fatalities (violence against civilians)", "fatalities"},
      {"horizon", "H", "months ahead", "12"},
      {"seed", "N", "random seed (same seed, same draws, any --threads)", "1"},
      {"threads", "N", "worker threads (0 = all cores)", "0"}};
  for (auto& x : learner_flags()) f.push_back(std::move(x));
  return f;
}

int forecast_run(const Args& a, std::ostream& out) {
  const auto wo = write_options(a, false);
  service::ForecastRequest r;
  r.level = a.get("level");
  r.to = month_flag(a, "to");
  r.target = target_flag(a);
  auto& o = r.options;
  o.model = a.get("model");
  o.horizon = static_cast<int>(int_flag(a, "horizon", 1, 120));
  o.samples = static_cast<int>(int_flag(a, "samples", 1, 100000));
  o.seed = static_cast<std::uint64_t>(int_flag(a, "seed", 0));
  o.threads = static_cast<int>(int_flag(a, "threads", 0, 1024));
  o.nb = nb_flags(a);
  o.hurdle = hurdle_flags(a);
  const auto res = engine(a).forecast(r);
  if (a.has("samples-out")) {
    const std::string path = a.get("samples-out");
    std::ofstream f(path, std::ios::binary);
    if (!f) throw environment_error("cannot write --samples-out " + path);
    io::write_draws(f, res, wo);
    f.flush();
    if (!f) throw environment_error("writing --samples-out " + path + " failed (disk full?)");
  }
  io::write(out, res, wo);
  return 0;
}

int forecast_backtest(const Args& a, std::ostream& out) {
  const auto wo = write_options(a, false);
  service::BacktestRequest r;
  r.level = a.get("level");
  r.from = month_flag(a, "from");
  r.to = month_flag(a, "to");
  r.target = target_flag(a);
  auto& o = r.options;
  o.horizon = static_cast<int>(int_flag(a, "horizon", 1, 120));
  o.samples = static_cast<int>(int_flag(a, "samples", 1, 100000));
  o.seed = static_cast<std::uint64_t>(int_flag(a, "seed", 0));
  o.threads = static_cast<int>(int_flag(a, "threads", 0, 1024));
  o.nb = nb_flags(a);
  o.hurdle = hurdle_flags(a);
  o.incremental = !a.has("straightforward");
  for (const auto& m : list_flag(a, "models")) o.models.push_back(forecast::resolve_model(m));
  io::write(out, engine(a).backtest(r), wo);
  return 0;
}

int alerts_run(const Args& a, std::ostream& out) {
  const auto wo = write_options(a, true);
  service::AlertsRequest r;
  r.month = *month_flag(a, "month");
  r.level = a.get("level");
  auto& rules = r.rules;
  rules.red_p25 = number_flag(a, "red-p25", 0, 1);
  rules.amber_p25 = number_flag(a, "amber-p25", 0, 1);
  rules.amber_p10 = number_flag(a, "amber-p10", 0, 1);
  rules.escalation_amber = number_flag(a, "escalation-amber", 0);
  rules.escalation_red = number_flag(a, "escalation-red", 0);
  rules.min_recent = number_flag(a, "min-recent", 0);
  rules.recent_months = static_cast<int>(int_flag(a, "recent-months", 1, 120));
  rules.baseline_months = static_cast<int>(int_flag(a, "baseline-months", 1, 600));
  r.reach.road_kmh = number_flag(a, "road-kmh", 0.1);
  r.reach.detour = number_flag(a, "detour", 1.0);
  r.reach.air_kmh = number_flag(a, "air-kmh", 0.1);
  r.reach.air_prep_hours = number_flag(a, "air-prep-hours", 0);
  r.reach.air_max_km = number_flag(a, "air-max-km", 0);
  r.response_hours = number_flag(a, "response-hours", 0);
  r.forecast.model = a.get("model");
  r.forecast.samples = static_cast<int>(int_flag(a, "samples", 1, 100000));
  r.forecast.seed = static_cast<std::uint64_t>(int_flag(a, "seed", 0));
  r.forecast.threads = static_cast<int>(int_flag(a, "threads", 0, 1024));
  r.forecast.nb = nb_flags(a);
  r.forecast.hurdle = hurdle_flags(a);
  if (a.has("calibrate") && a.has("fixed-thresholds")) {
    throw usage_error("--calibrate and --fixed-thresholds exclude each other");
  }
  r.calibration.calibrate = !a.has("fixed-thresholds");
  r.calibration.months = static_cast<int>(int_flag(a, "calibration-months", 1, 600));
  r.calibration.samples = static_cast<int>(int_flag(a, "calibration-samples", 1, 100000));
  r.with_geometry = wo.format == io::Format::kGeoJson;
  io::write(out, engine(a).alerts(r), wo);
  return 0;
}

}  // namespace

std::vector<CommandSpec> forecast_commands() {
  std::vector<FlagSpec> run_flags{{"level", "L", "area level (default: province when present)", ""},
                                  {"to", "YYYY-MM", "last month of history (default: month of the last event)", ""},
                                  {"model", "M", model_help("model"), "best"},
                                  {"samples", "N", "draws per area and month", "1000"},
                                  {"samples-out", "FILE", "write every draw as CSV (area_id,month,h,draw,value)", ""}};
  for (auto& f : model_flags()) run_flags.push_back(f);
  run_flags.push_back(format_flag(false));
  run_flags.push_back(bom_flag());
  std::vector<FlagSpec> bt_flags{
      {"level", "L", "area level (default: province when present)", ""},
      {"from", "YYYY-MM", "first forecast origin (default: 36 months before --to)", ""},
      {"to", "YYYY-MM", "last forecast origin (default: month of the last event)", ""},
      {"models", "LIST", "comma-separated models (default: all of " + join(forecast::model_names(), ",") + ")", ""},
      {"samples", "N", "draws per area and month", "500"},
      {"straightforward", "", "nb, hurdle: rebuild features and cold-start every fit (for speed comparisons)", ""}};
  for (auto& f : model_flags()) bt_flags.push_back(f);
  bt_flags.push_back(format_flag(false));
  bt_flags.push_back(bom_flag());
  const forecast::AlertRules r;
  const forecast::AlertCalibrationOptions cal;
  const geo::ReachParams p;
  auto num = [](double v, int d) { return io::format_number(v, d); };
  std::vector<FlagSpec> alert_flags{
      {"month", "YYYY-MM", "month to warn for; uses data strictly before it", "", true},
      {"level", "L", "area level (default: province when present)", ""},
      {"model", "M", model_help("forecast model"), "best"},
      {"samples", "N", "forecast draws per area", "1000"},
      {"seed", "N", "random seed", "1"},
      {"threads", "N", "worker threads (0 = all cores)", "0"},
      {"calibrate", "",
       "the default: thresholds on P(>=25) and P(>=10) from a backtest of the rules on the months before --month at "
       "this level (best F1), reported with their precision and recall; --red-p25 and --amber-p10 apply only where "
       "no such month occurred",
       ""},
      {"fixed-thresholds", "", "use --red-p25, --amber-p25 and --amber-p10 as given (no backtest)", ""},
      {"calibration-months", "N", "months of backtest before --month that set the thresholds",
       std::to_string(cal.months)},
      {"calibration-samples", "N", "forecast draws per area-month in that backtest", std::to_string(cal.samples)},
      {"red-p25", "P", "red when P(>=25 fatalities) >= P", num(r.red_p25, 2)},
      {"amber-p25", "P", "amber when P(>=25 fatalities) >= P", num(r.amber_p25, 2)},
      {"amber-p10", "P", "amber when P(>=10 fatalities) >= P", num(r.amber_p10, 2)},
      {"recent-months", "N", "escalation: recent window (months before --month)", std::to_string(r.recent_months)},
      {"baseline-months", "N", "escalation: baseline window before the recent one", std::to_string(r.baseline_months)},
      {"escalation-amber", "X", "amber when (recent+1)/(baseline+1) >= X", num(r.escalation_amber, 1)},
      {"escalation-red", "X", "red when (recent+1)/(baseline+1) >= X", num(r.escalation_red, 1)},
      {"min-recent", "N", "escalation counts only with a recent mean >= N fatalities/month", num(r.min_recent, 1)},
      {"response-hours", "H", "a site is in reach when it responds within H hours", "6"},
      {"road-kmh", "KMH", "convoy speed on roads", num(p.road_kmh, 1)},
      {"detour", "X", "road distance / great-circle distance", num(p.detour, 2)},
      {"air-kmh", "KMH", "helicopter cruise speed (sites with aviation)", num(p.air_kmh, 1)},
      {"air-prep-hours", "H", "from call to take-off", num(p.air_prep_hours, 1)},
      {"air-max-km", "KM", "helicopter radius of action", num(p.air_max_km, 1)}};
  for (auto& f : learner_flags()) alert_flags.push_back(std::move(f));
  alert_flags.push_back(format_flag(true));
  alert_flags.push_back(bom_flag());
  return {
      {"forecast",
       "run",
       "Forecast distribution (samples, quantiles, P(>=1/10/25)) of fatalities or violence against civilians for "
       "every area and month 1..H after the history.",
       {},
       run_flags,
       forecast_run},
      {"forecast",
       "backtest",
       "Rolling-origin backtest (fit strictly before each origin) of the benchmark and learned models: CRPS, "
       "ignorance and 90% interval (MIS) scores as the ViEWS challenge defines them, MSE, MSLE, Brier of >=1/10/25, "
       "interval coverage, the same over non-zero outcomes, expected against observed months with >=1/10/25, per "
       "year and overall ranking; JSON adds each model's PIT histogram, coverage by outcome size and reliability.",
       {},
       bt_flags,
       forecast_backtest},
      {"alerts",
       "",
       "Early warning per area for a month (green/amber/red from forecast exceedance probabilities and observed "
       "escalation, with reasons; thresholds from a backtest of the rules at this level, with their precision and "
       "recall) and early response (active sites that reach the area within the response time; gaps).",
       {},
       alert_flags,
       alerts_run},
  };
}

}  // namespace endstate::cli
