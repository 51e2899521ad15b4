// endstate alerts: early warning (forecast exceedance + observed escalation)
// and early response (which sites reach each area in time).
#include <map>

#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "common.hpp"
#include "endstate/core/error.hpp"
#include "endstate/core/strings.hpp"
#include "endstate/forecast/alerts.hpp"
#include "endstate/forecast/forecast.hpp"
#include "endstate/geo/areas_io.hpp"
#include "endstate/store/database.hpp"
#include "panel_loader.hpp"

namespace endstate::cli {
namespace {

int alerts_run(const Args& a, std::ostream& out) {
  const Format format = parse_format(a.get("format"), true);
  const auto month = month_flag(a, "month");
  if (!month) throw usage_error("--month YYYY-MM is required (alerts use data strictly before it)");
  forecast::AlertRules rules;
  rules.red_p25 = number_flag(a, "red-p25", 0);
  rules.amber_p25 = number_flag(a, "amber-p25", 0);
  rules.amber_p10 = number_flag(a, "amber-p10", 0);
  rules.escalation_amber = number_flag(a, "escalation-amber", 0);
  rules.escalation_red = number_flag(a, "escalation-red", 0);
  rules.min_recent = number_flag(a, "min-recent", 0);
  rules.recent_months = static_cast<int>(int_flag(a, "recent-months", 1, 120));
  rules.baseline_months = static_cast<int>(int_flag(a, "baseline-months", 1, 600));
  geo::ReachParams reach;
  reach.road_kmh = number_flag(a, "road-kmh", 0.1);
  reach.detour = number_flag(a, "detour", 1.0);
  reach.air_kmh = number_flag(a, "air-kmh", 0.1);
  reach.air_prep_hours = number_flag(a, "air-prep-hours", 0);
  reach.air_max_km = number_flag(a, "air-max-km", 0);
  const double response_hours = number_flag(a, "response-hours", 0);
  forecast::ForecastOptions fo;
  fo.model = a.get("model");
  fo.horizon = 1;
  fo.samples = static_cast<int>(int_flag(a, "samples", 1, 100000));
  fo.seed = static_cast<std::uint64_t>(int_flag(a, "seed", 0, INT64_MAX));
  fo.threads = static_cast<int>(int_flag(a, "threads", 0, 1024));
  (void)forecast::resolve_model(fo.model);

  auto db = store::Database::open_read_only(a.db_path());
  const std::string level = a.has("level") ? a.get("level") : default_level(db);
  const auto st = db.status();
  if (!st.first_event) throw not_found("no events in the database; run 'endstate events import' first");
  const Month first = Month::of(*st.first_event);
  if (month->plus(-1) < first) {
    throw bad_input("--month " + month->str() + ": there is no history before it (events start " + first.str() + ")");
  }
  const Panel history = load_panel(db, level, first, month->plus(-1));
  const forecast::Forecast fc = forecast::run_forecast(history, forecast::Target::kFatalities, fo);
  const auto alerts = forecast::compute_alerts(history, fc, rules);

  std::vector<forecast::Responder> responders;
  for (const auto& s : db.sites({}, month->plus(-1))) {
    if (!s.latest || (s.latest->troops <= 0 && s.latest->police <= 0)) continue;
    responders.push_back({s.site.key, s.site.name, s.site.where, s.latest->troops, s.latest->police, s.latest->aviation > 0});
  }
  const auto cover = forecast::response_cover(history.areas(), responders, reach, response_hours, alerts);

  std::size_t counts[3] = {0, 0, 0}, gaps = 0;
  for (std::size_t i = 0; i < alerts.size(); ++i) {
    ++counts[static_cast<int>(alerts[i].level)];
    gaps += cover[i].gap ? 1 : 0;
  }
  const auto area_json = [&](std::size_t i) {
    const auto& al = alerts[i];
    const auto& c = cover[i];
    nlohmann::ordered_json j;
    j["area_id"] = history.areas()[i].id;
    j["area_name"] = history.areas()[i].name;
    j["month"] = month->str();
    j["alert"] = forecast::level_name(al.level);
    j["expected"] = al.expected;
    j["p_ge_1"] = al.p_ge_1;
    j["p_ge_10"] = al.p_ge_10;
    j["p_ge_25"] = al.p_ge_25;
    j["recent_mean"] = al.recent_mean;
    j["baseline_mean"] = al.baseline_mean;
    j["escalation"] = al.escalation;
    j["reasons"] = al.reasons;
    j["responders_in_reach"] = c.in_reach.size();
    j["nearest_site"] = c.nearest ? nlohmann::ordered_json(responders[*c.nearest].name) : nlohmann::ordered_json();
    j["nearest_hours"] = c.nearest ? nlohmann::ordered_json(c.nearest_hours) : nlohmann::ordered_json();
    j["response_gap"] = c.gap;
    return j;
  };

  if (format == Format::kGeoJson) {
    std::map<std::string, std::vector<std::uint8_t>> wkb;
    for (auto& ar : db.areas(level, true)) wkb[ar.id] = std::move(ar.wkb);
    out << "{\"type\":\"FeatureCollection\",\"features\":[";
    for (std::size_t i = 0; i < alerts.size(); ++i) {
      auto props = area_json(i);
      props["reasons"] = join(alerts[i].reasons, "; ");
      const auto it = wkb.find(history.areas()[i].id);
      out << (i == 0 ? "\n" : ",\n") << "{\"type\":\"Feature\",\"properties\":" << props.dump() << ",\"geometry\":"
          << (it == wkb.end() || it->second.empty() ? std::string("null") : geo::wkb_to_geojson(it->second)) << "}";
    }
    out << "\n]}\n";
    return 0;
  }
  if (format == Format::kJson) {
    nlohmann::ordered_json j;
    j["month"] = month->str();
    j["level"] = level;
    j["history_to"] = history.last().str();
    j["model"] = fc.model;
    j["samples"] = fc.samples;
    j["seed"] = fo.seed;
    j["response_hours"] = response_hours;
    j["counts"] = {{"green", counts[0]}, {"amber", counts[1]}, {"red", counts[2]}, {"response_gaps", gaps}};
    j["alerts"] = nlohmann::ordered_json::array();
    for (std::size_t i = 0; i < alerts.size(); ++i) {
      auto aj = area_json(i);
      aj["responders"] = nlohmann::ordered_json::array();
      for (std::size_t r : cover[i].in_reach) {
        const auto& rs = responders[r];
        aj["responders"].push_back({{"site", rs.id},
                                    {"name", rs.name},
                                    {"hours", geo::response_hours(rs.where, history.areas()[i].centroid, rs.has_air, reach)},
                                    {"troops", rs.troops},
                                    {"police", rs.police},
                                    {"air", rs.has_air}});
      }
      j["alerts"].push_back(std::move(aj));
    }
    out << j.dump(2) << "\n";
    return 0;
  }
  Table t{{"area_id", "area_name", "alert", "expected", "p_ge_1", "p_ge_10", "p_ge_25", "recent_mean", "baseline_mean",
           "escalation", "responders_in_reach", "nearest_site", "nearest_hours", "response_gap", "reasons"},
          {}};
  for (std::size_t i = 0; i < alerts.size(); ++i) {
    const auto& al = alerts[i];
    const auto& c = cover[i];
    t.rows.push_back({history.areas()[i].id, history.areas()[i].name, forecast::level_name(al.level),
                      fmt_double(al.expected, 2), fmt_double(al.p_ge_1, 3), fmt_double(al.p_ge_10, 3),
                      fmt_double(al.p_ge_25, 3), fmt_double(al.recent_mean, 1), fmt_double(al.baseline_mean, 1),
                      fmt_double(al.escalation, 2), std::to_string(c.in_reach.size()),
                      c.nearest ? responders[*c.nearest].name : "", c.nearest ? fmt_double(c.nearest_hours, 1) : "",
                      c.gap ? "yes" : "no", join(al.reasons, "; ")});
  }
  if (format == Format::kTable) {
    out << "Alerts for " << month->str() << " at level " << level << " (history to " << history.last().str()
        << ", model " << fc.model << "): " << counts[2] << " red, " << counts[1] << " amber, " << counts[0]
        << " green; " << gaps << " amber/red area(s) with no responder within " << fmt_double(response_hours, 1)
        << " h\n";
  }
  t.print(out, format);
  return 0;
}

}  // namespace

std::vector<CommandSpec> alerts_commands() {
  const forecast::AlertRules r;
  const geo::ReachParams p;
  return {
      {"alerts",
       "",
       "Early warning per area for a month (green/amber/red from forecast exceedance probabilities and observed "
       "escalation, with reasons) and early response (sites that reach the area within the response time; gaps).",
       {},
       {{"month", "YYYY-MM", "month to warn for; uses data strictly before it", ""},
        {"level", "L", "area level (default: province when present)", ""},
        {"model", "M", "forecast model (zero, last, bootstrap, conflictology, nb, best)", "best"},
        {"samples", "N", "forecast draws per area", "1000"},
        {"seed", "N", "random seed", "1"},
        {"threads", "N", "worker threads (0 = all cores)", "0"},
        {"red-p25", "P", "red when P(>=25 fatalities) >= P", fmt_double(r.red_p25, 2)},
        {"amber-p25", "P", "amber when P(>=25 fatalities) >= P", fmt_double(r.amber_p25, 2)},
        {"amber-p10", "P", "amber when P(>=10 fatalities) >= P", fmt_double(r.amber_p10, 2)},
        {"recent-months", "N", "escalation: recent window (months before --month)", std::to_string(r.recent_months)},
        {"baseline-months", "N", "escalation: baseline window before the recent one", std::to_string(r.baseline_months)},
        {"escalation-amber", "X", "amber when (recent+1)/(baseline+1) >= X", fmt_double(r.escalation_amber, 1)},
        {"escalation-red", "X", "red when (recent+1)/(baseline+1) >= X", fmt_double(r.escalation_red, 1)},
        {"min-recent", "N", "escalation counts only with a recent mean >= N fatalities/month", fmt_double(r.min_recent, 1)},
        {"response-hours", "H", "a site is in reach when it responds within H hours", "6"},
        {"road-kmh", "KMH", "convoy speed on roads", fmt_double(p.road_kmh, 1)},
        {"detour", "X", "road distance / great-circle distance", fmt_double(p.detour, 2)},
        {"air-kmh", "KMH", "helicopter cruise speed (sites with aviation)", fmt_double(p.air_kmh, 1)},
        {"air-prep-hours", "H", "from call to take-off", fmt_double(p.air_prep_hours, 1)},
        {"air-max-km", "KM", "helicopter radius of action", fmt_double(p.air_max_km, 1)},
        format_flag(true)},
       alerts_run},
  };
}

}  // namespace endstate::cli
