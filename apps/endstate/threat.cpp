// endstate threat panel | index | hotspots
// Parses flags, loads the area x month panel from the store, calls the pure
// threat module (endstate/threat) and prints tables, CSV, JSON or GeoJSON.
#include <cmath>
#include <fstream>
#include <numbers>
#include <sstream>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "common.hpp"
#include "endstate/core/error.hpp"
#include "endstate/core/strings.hpp"
#include "endstate/geo/areas_io.hpp"
#include "endstate/store/database.hpp"
#include "endstate/threat/picture.hpp"
#include "endstate/threat/scan.hpp"
#include "panel_loader.hpp"

namespace endstate::cli {
namespace {

using ojson = nlohmann::ordered_json;

ojson opt_num(const std::optional<double>& v) { return v ? ojson(*v) : ojson(); }
std::string opt_str(const std::optional<double>& v, int decimals) { return v ? fmt_double(*v, decimals) : ""; }

struct Loaded {
  std::string level;
  Panel panel;
};

Loaded load(store::Database& db, const Args& a) {
  const auto from = month_flag(a, "from");
  const auto to = month_flag(a, "to");
  std::string level = a.get("level");
  if (level.empty()) level = default_level(db);
  return {level, load_panel(db, level, from, to)};
}

std::vector<FlagSpec> range_flags() {
  return {{"level", "L", "area level (default: province when present, else the first level below the top)", ""},
          {"from", "YYYY-MM", "first month (default: month of the first stored event)", ""},
          {"to", "YYYY-MM", "last month (default: month of the last stored event)", ""}};
}

// --- panel --------------------------------------------------------------------

int threat_panel(const Args& a, std::ostream& out) {
  const Format format = parse_format(a.get("format"), false);
  auto db = store::Database::open_read_only(a.db_path());
  const auto [level, panel] = load(db, a);
  const auto rows = threat::panel_rows(panel);
  const char* groups[] = {"state", "nonstate", "vac", "other"};
  if (format == Format::kJson) {
    ojson j;
    j["level"] = level;
    j["from"] = panel.first().str();
    j["to"] = panel.last().str();
    j["rows"] = ojson::array();
    for (const auto& r : rows) {
      const auto& ar = panel.areas()[r.area];
      ojson o;
      o["area_id"] = ar.id;
      o["area_name"] = ar.name;
      o["month"] = panel.month(r.month).str();
      o["population"] = opt_num(ar.population);
      for (std::size_t g = 0; g < threat::kGroups; ++g) o[std::string("events_") + groups[g]] = r.events[g];
      o["events_total"] = r.events_total;
      for (std::size_t g = 0; g < threat::kGroups; ++g) o[std::string("fatalities_") + groups[g]] = r.fatalities[g];
      o["fatalities_total"] = r.fatalities_total;
      o["civilian_deaths"] = r.civilian_deaths;
      o["fatalities_per_100k"] = opt_num(r.fatalities_per_100k);
      o["vac_fatalities_per_100k"] = opt_num(r.vac_fatalities_per_100k);
      o["civilian_deaths_per_100k"] = opt_num(r.civilian_deaths_per_100k);
      o["vac_events_per_100k"] = opt_num(r.vac_events_per_100k);
      j["rows"].push_back(std::move(o));
    }
    out << j.dump(2) << "\n";
    return 0;
  }
  Table t;
  t.header = {"area_id", "area_name", "month", "population"};
  for (auto* g : groups) t.header.push_back(std::string("events_") + g);
  t.header.push_back("events_total");
  for (auto* g : groups) t.header.push_back(std::string("fatalities_") + g);
  for (const char* h : {"fatalities_total", "civilian_deaths", "fatalities_per_100k", "vac_fatalities_per_100k",
                        "civilian_deaths_per_100k", "vac_events_per_100k"})
    t.header.emplace_back(h);
  for (const auto& r : rows) {
    const auto& ar = panel.areas()[r.area];
    std::vector<std::string> row{ar.id, ar.name, panel.month(r.month).str(), opt_str(ar.population, 0)};
    for (auto v : r.events) row.push_back(std::to_string(v));
    row.push_back(std::to_string(r.events_total));
    for (auto v : r.fatalities) row.push_back(std::to_string(v));
    row.push_back(std::to_string(r.fatalities_total));
    row.push_back(std::to_string(r.civilian_deaths));
    row.push_back(opt_str(r.fatalities_per_100k, 4));
    row.push_back(opt_str(r.vac_fatalities_per_100k, 4));
    row.push_back(opt_str(r.civilian_deaths_per_100k, 4));
    row.push_back(opt_str(r.vac_events_per_100k, 4));
    t.rows.push_back(std::move(row));
  }
  t.print(out, format);
  return 0;
}

// --- index --------------------------------------------------------------------

threat::IndexWeights load_weights(const Args& a) {
  const auto file = a.maybe("weights");
  if (!file || file->empty()) return {};
  std::ifstream in(*file, std::ios::binary);
  if (!in) throw not_found("cannot read the weights file '" + *file + "'");
  std::stringstream ss;
  ss << in.rdbuf();
  return threat::parse_weights_yaml(ss.str(), *file);
}

int threat_index(const Args& a, std::ostream& out) {
  const Format format = parse_format(a.get("format"), true);
  threat::IndexOptions o;
  o.weights = load_weights(a);
  o.lambda = number_flag(a, "lambda");
  o.trend_months = static_cast<std::size_t>(int_flag(a, "trend-months", 3));
  o.alpha = number_flag(a, "alpha");
  const auto month = month_flag(a, "month");
  auto db = store::Database::open_read_only(a.db_path());
  const auto [level, panel] = load(db, a);
  std::optional<std::size_t> only;
  if (month) {
    only = panel.month_index(*month);
    if (!only)
      throw usage_error("--month " + month->str() + " is outside the panel " + panel.first().str() + ".." +
                        panel.last().str());
  }
  const auto rows = threat::threat_index(panel, o);
  const std::string test = "mann-kendall";
  const std::size_t report_month = only.value_or(panel.month_count() - 1);

  auto props = [&](const threat::IndexRow& r) {
    const auto& ar = panel.areas()[r.area];
    ojson p;
    p["area_id"] = ar.id;
    p["area_name"] = ar.name;
    p["month"] = panel.month(r.month).str();
    p["index"] = r.index;
    p["ewma"] = r.ewma;
    p["trend"] = std::string(threat::trend_name(r.trend.trend));
    p["trend_test"] = test;
    p["trend_months"] = r.trend.n;
    p["mk_s"] = r.trend.s;
    p["mk_z"] = r.trend.z;
    p["mk_p"] = r.trend.p_value;
    p["sen_slope"] = r.trend.sen_slope;
    p["population_known"] = r.population_known;
    return p;
  };
  if (format == Format::kGeoJson) {
    const auto areas = db.areas(level, true);
    std::unordered_map<std::string, const Area*> by_id;
    for (const auto& ar : areas) by_id.emplace(ar.id, &ar);
    out << "{\"type\":\"FeatureCollection\",\"features\":[";
    bool first = true;
    for (const auto& r : rows) {
      if (r.month != report_month) continue;
      const auto it = by_id.find(panel.areas()[r.area].id);
      const std::string geom = it != by_id.end() && !it->second->wkb.empty() ? geo::wkb_to_geojson(it->second->wkb) : "null";
      out << (first ? "\n" : ",\n") << "{\"type\":\"Feature\",\"properties\":" << props(r).dump()
          << ",\"geometry\":" << geom << "}";
      first = false;
    }
    out << "\n]}\n";
    return 0;
  }
  if (format == Format::kJson) {
    ojson j;
    j["level"] = level;
    j["from"] = panel.first().str();
    j["to"] = panel.last().str();
    ojson w;
    w["vac_fatalities_per_100k"] = o.weights.vac_fatalities_per_100k;
    w["vac_events"] = o.weights.vac_events;
    w["battle_events"] = o.weights.battle_events;
    w["battle_fatalities_per_100k"] = o.weights.battle_fatalities_per_100k;
    w["civilian_deaths_per_100k"] = o.weights.civilian_deaths_per_100k;
    w["other_events"] = o.weights.other_events;
    j["weights"] = w;
    j["lambda"] = o.lambda;
    j["trend_test"] = test;
    j["trend_months"] = o.trend_months;
    j["alpha"] = o.alpha;
    j["rows"] = ojson::array();
    for (const auto& r : rows)
      if (!only || r.month == *only) j["rows"].push_back(props(r));
    out << j.dump(2) << "\n";
    return 0;
  }
  Table t{{"area_id", "area_name", "month", "index", "ewma", "trend", "trend_test", "trend_months", "mk_s", "mk_z",
           "mk_p", "sen_slope", "population_known"},
          {}};
  for (const auto& r : rows) {
    if (only && r.month != *only) continue;
    const auto& ar = panel.areas()[r.area];
    t.rows.push_back({ar.id, ar.name, panel.month(r.month).str(), fmt_double(r.index, 4), fmt_double(r.ewma, 4),
                      std::string(threat::trend_name(r.trend.trend)), test, std::to_string(r.trend.n),
                      fmt_double(r.trend.s, 0), fmt_double(r.trend.z, 3), fmt_double(r.trend.p_value, 4),
                      fmt_double(r.trend.sen_slope, 4), r.population_known ? "true" : "false"});
  }
  t.print(out, format);
  return 0;
}

// --- hotspots -----------------------------------------------------------------

SeriesSpec series_spec(const std::string& measure, const std::string& type) {
  SeriesSpec s;
  if (measure == "events")
    s.measure = SeriesSpec::Measure::kEvents;
  else if (measure == "fatalities")
    s.measure = SeriesSpec::Measure::kFatalities;
  else
    throw usage_error("--measure must be events or fatalities (got '" + measure + "')");
  if (type == "vac")
    s.types = {ViolenceType::kOneSided};
  else if (type == "state")
    s.types = {ViolenceType::kStateBased};
  else if (type == "nonstate")
    s.types = {ViolenceType::kNonState};
  else if (type != "all")
    throw usage_error("--type must be vac, all, state or nonstate (got '" + type + "')");
  return s;
}

int threat_hotspots(const Args& a, std::ostream& out) {
  const Format format = parse_format(a.get("format"), true);
  const SeriesSpec spec = series_spec(a.get("measure"), a.get("type"));
  threat::ScanOptions o;
  const std::string mode = a.get("mode");
  if (mode == "retrospective")
    o.mode = threat::ScanMode::kRetrospective;
  else if (mode == "prospective")
    o.mode = threat::ScanMode::kProspective;
  else
    throw usage_error("--mode must be retrospective or prospective (got '" + mode + "')");
  const std::string model = a.get("model");
  if (model != "poisson" && model != "permutation" && model != "auto")
    throw usage_error("--model must be poisson, permutation or auto (got '" + model + "')");
  o.max_population_share = number_flag(a, "max-share");
  if (a.maybe("max-radius-km") && !a.get("max-radius-km").empty()) o.max_radius_km = number_flag(a, "max-radius-km");
  o.max_months = static_cast<std::size_t>(int_flag(a, "max-months", 1));
  o.replications = static_cast<std::size_t>(int_flag(a, "replications", 0));
  o.seed = static_cast<std::uint64_t>(int_flag(a, "seed", 0));
  o.threads = static_cast<std::size_t>(int_flag(a, "threads", 0));
  o.max_clusters = static_cast<std::size_t>(int_flag(a, "max-clusters", 1));
  o.report_p = number_flag(a, "max-p");

  auto db = store::Database::open_read_only(a.db_path());
  const auto [level, panel] = load(db, a);
  threat::ScanData d;
  bool all_pop = true;
  for (const auto& ar : panel.areas()) {
    d.centroids.push_back(ar.centroid);
    all_pop = all_pop && ar.population && *ar.population > 0;
  }
  if (model == "poisson" && !all_pop)
    throw bad_input("--model poisson needs a population for every area at level '" + level +
                    "'; import populations (areas import --population-field) or use --model permutation");
  o.model = model == "permutation" || (model == "auto" && !all_pop) ? threat::ScanModel::kPermutation
                                                                     : threat::ScanModel::kPoisson;
  if (o.model == threat::ScanModel::kPoisson)
    for (const auto& ar : panel.areas()) d.population.push_back(*ar.population);
  d.months = panel.month_count();
  for (double v : series(panel, spec)) d.counts.push_back(std::llround(v));
  const auto res = threat::space_time_scan(d, o);

  auto area_ids = [&](const threat::Cluster& c) {
    std::vector<std::string> ids;
    for (auto z : c.areas) ids.push_back(panel.areas()[z].id);
    return ids;
  };
  auto cluster_json = [&](const threat::Cluster& c, std::size_t rank) {
    const auto& centre = panel.areas()[c.centre];
    ojson p;
    p["rank"] = rank;
    p["centre_id"] = centre.id;
    p["centre_name"] = centre.name;
    p["lat"] = centre.centroid.lat;
    p["lon"] = centre.centroid.lon;
    p["radius_km"] = c.radius_km;
    p["n_areas"] = c.areas.size();
    p["areas"] = area_ids(c);
    p["start"] = panel.month(c.start).str();
    p["end"] = panel.month(c.end).str();
    p["observed"] = c.observed;
    p["expected"] = c.expected;
    p["relative_risk"] = std::isfinite(c.relative_risk) ? ojson(c.relative_risk) : ojson();
    p["llr"] = c.llr;
    p["p_value"] = c.p_value;
    return p;
  };
  if (format == Format::kGeoJson) {
    ojson fc;
    fc["type"] = "FeatureCollection";
    fc["features"] = ojson::array();
    for (std::size_t k = 0; k < res.clusters.size(); ++k) {
      const auto& c = res.clusters[k];
      const auto& centre = panel.areas()[c.centre];
      // a single-area cluster (radius 0) is drawn with the centre area's equivalent radius
      const double draw = std::max(c.radius_km, std::sqrt(std::max(centre.area_km2, 0.0) / std::numbers::pi));
      ojson ring = ojson::array();
      for (const auto& v : threat::geodesic_circle(centre.centroid, draw, 64))
        ring.push_back({std::round(v.lon * 1e6) / 1e6, std::round(v.lat * 1e6) / 1e6});
      ojson f;
      f["type"] = "Feature";
      f["properties"] = cluster_json(c, k + 1);
      f["properties"]["draw_radius_km"] = draw;
      f["properties"]["areas"] = join(area_ids(c), ";");
      f["geometry"] = {{"type", "Polygon"}, {"coordinates", ojson::array({ring})}};
      fc["features"].push_back(std::move(f));
    }
    out << fc.dump() << "\n";
    return 0;
  }
  if (format == Format::kJson) {
    ojson j;
    j["level"] = level;
    j["from"] = panel.first().str();
    j["to"] = panel.last().str();
    j["model"] = std::string(threat::model_name(o.model));
    j["mode"] = std::string(threat::mode_name(o.mode));
    j["measure"] = a.get("measure");
    j["type"] = a.get("type");
    j["max_share"] = o.max_population_share;
    j["max_radius_km"] = opt_num(o.max_radius_km);
    j["max_months"] = o.max_months;
    j["replications"] = o.replications;
    j["seed"] = o.seed;
    j["total"] = res.total;
    j["circles"] = res.circles;
    j["windows"] = res.windows;
    j["clusters"] = ojson::array();
    for (std::size_t k = 0; k < res.clusters.size(); ++k) j["clusters"].push_back(cluster_json(res.clusters[k], k + 1));
    out << j.dump(2) << "\n";
    return 0;
  }
  Table t{{"rank", "centre_id", "centre_name", "lat", "lon", "radius_km", "n_areas", "areas", "start", "end",
           "observed", "expected", "relative_risk", "llr", "p_value"},
          {}};
  for (std::size_t k = 0; k < res.clusters.size(); ++k) {
    const auto& c = res.clusters[k];
    const auto& centre = panel.areas()[c.centre];
    t.rows.push_back({std::to_string(k + 1), centre.id, centre.name, fmt_double(centre.centroid.lat, 5),
                      fmt_double(centre.centroid.lon, 5), fmt_double(c.radius_km, 1), std::to_string(c.areas.size()),
                      join(area_ids(c), ";"), panel.month(c.start).str(), panel.month(c.end).str(),
                      fmt_double(c.observed, 0), fmt_double(c.expected, 2),
                      std::isfinite(c.relative_risk) ? fmt_double(c.relative_risk, 3) : "inf", fmt_double(c.llr, 3),
                      fmt_double(c.p_value, 4)});
  }
  if (format == Format::kTable)
    out << "model " << threat::model_name(o.model) << ", " << threat::mode_name(o.mode) << ", " << a.get("measure")
        << " of type " << a.get("type") << ", " << panel.first().str() << ".." << panel.last().str() << ", "
        << o.replications << " replications (seed " << o.seed << ")\n";
  t.print(out, format);
  return 0;
}

}  // namespace

std::vector<CommandSpec> threat_commands() {
  auto with = [](std::vector<FlagSpec> base, std::vector<FlagSpec> more) {
    base.insert(base.end(), more.begin(), more.end());
    return base;
  };
  return {
      {"threat",
       "panel",
       "Area x month panel of events and fatalities by violence type (state, nonstate, vac = violence against "
       "civilians, other), civilian deaths and rates per 100,000 people; months without events are kept as zero rows.",
       {},
       with(range_flags(), {{"format", "FMT", "table, csv or json", "table"}}),
       threat_panel},
      {"threat",
       "index",
       "Composite threat index per area and month (weighted sum of components; weights from --weights), its EWMA "
       "level and a Mann-Kendall trend over the last months (rising, stable, falling). GeoJSON: area polygons with the "
       "index of the last month (or --month).",
       {},
       with(range_flags(),
            {{"month", "YYYY-MM", "report only this month", ""},
             {"lambda", "X", "EWMA smoothing in (0, 1]", "0.3"},
             {"weights", "FILE",
              "YAML 'name: weight' (vac_fatalities_per_100k 1, vac_events 0.5, battle_events 0.25, "
              "battle_fatalities_per_100k 0.25, civilian_deaths_per_100k 0, other_events 0)",
              ""},
             {"trend-months", "K", "Mann-Kendall over the last K months (>= 3)", "12"},
             {"alpha", "A", "trend significance level", "0.05"},
             format_flag(true)}),
       threat_index},
      {"threat",
       "hotspots",
       "Kulldorff space-time scan statistic: clusters of events (circles around area centroids x runs of months) with "
       "Monte Carlo p-values; Poisson model with population at risk or space-time permutation model.",
       {},
       with(range_flags(),
            {{"model", "M", "poisson, permutation or auto (poisson when every area has a population)", "auto"},
             {"mode", "M", "retrospective, or prospective (windows end at the last month: clusters still alive)",
              "retrospective"},
             {"measure", "M", "events or fatalities", "events"},
             {"type", "T", "vac (violence against civilians), all, state or nonstate", "vac"},
             {"max-share", "X", "largest circle as a share of the population (permutation: of the count)", "0.5"},
             {"max-radius-km", "KM", "also cap circles at this radius", ""},
             {"max-months", "N", "longest temporal window in months", "12"},
             {"replications", "R", "Monte Carlo replications", "999"},
             {"seed", "N", "random seed", "1"},
             {"threads", "N", "worker threads (0 = all cores); results do not depend on it", "0"},
             {"max-clusters", "N", "most clusters reported (primary + non-overlapping secondary)", "10"},
             {"max-p", "P", "report only clusters with p-value <= P", "1"},
             format_flag(true)}),
       threat_hotspots},
  };
}

}  // namespace endstate::cli
