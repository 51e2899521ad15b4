// Writers of the threat picture: panel, index, hotspots.
#include <algorithm>
#include <cmath>
#include <numbers>

#include "endstate/geo/circle.hpp"
#include "endstate/io/writers.hpp"
#include "io/detail/geojson.hpp"
#include "io/detail/json.hpp"

namespace endstate::io {

using detail::Json;

void write(std::ostream& out, const service::ThreatPanelResult& r, const WriteOptions& o) {
  const auto& panel = r.panel;
  static const char* kGroups[] = {"state", "nonstate", "vac", "other"};
  std::vector<Column> cols{{"area_id"}, {"area_name"}, {"month"}, {"population", 0}};
  for (auto* g : kGroups) cols.push_back({std::string("events_") + g});
  cols.push_back({"events_total"});
  for (auto* g : kGroups) cols.push_back({std::string("fatalities_") + g});
  cols.push_back({"fatalities_total"});
  cols.push_back({"civilian_deaths"});
  for (const char* h :
       {"fatalities_per_100k", "vac_fatalities_per_100k", "civilian_deaths_per_100k", "vac_events_per_100k"}) {
    cols.push_back({h, 4});
  }
  Table t(cols);
  for (const auto& row : r.rows) {
    const auto& ar = panel.areas()[row.area];
    std::vector<Cell> c{ar.id, ar.name, panel.month(row.month).str(), number(ar.population)};
    for (auto v : row.events) c.emplace_back(v);
    c.emplace_back(row.events_total);
    for (auto v : row.fatalities) c.emplace_back(v);
    c.emplace_back(row.fatalities_total);
    c.emplace_back(row.civilian_deaths);
    c.push_back(number(row.fatalities_per_100k));
    c.push_back(number(row.vac_fatalities_per_100k));
    c.push_back(number(row.civilian_deaths_per_100k));
    c.push_back(number(row.vac_events_per_100k));
    t.add(std::move(c));
  }
  Json doc = detail::document("threat_panel");
  doc["level"] = r.level;
  doc["from"] = panel.first().str();
  doc["to"] = panel.last().str();
  detail::write_table(out, t, o, doc, "rows");
}

void write(std::ostream& out, const service::ThreatIndexResult& r, const WriteOptions& o) {
  const auto& panel = r.panel;
  const std::string test = "mann-kendall";
  Table t({{"area_id"},
           {"area_name"},
           {"month"},
           {"index", 4},
           {"ewma", 4},
           {"trend"},
           {"trend_test"},
           {"trend_months"},
           {"mk_s", 0},
           {"mk_z", 3},
           {"mk_p", 4},
           {"sen_slope", 4},
           {"population_known"}});
  for (const auto& x : r.rows) {
    const auto& ar = panel.areas()[x.area];
    t.add({ar.id, ar.name, panel.month(x.month).str(), x.index, x.ewma, std::string(threat::trend_name(x.trend.trend)),
           test, static_cast<std::int64_t>(x.trend.n), x.trend.s, x.trend.z, x.trend.p_value, x.trend.sen_slope,
           x.population_known});
  }
  if (o.format == Format::kGeoJson) {
    detail::FeatureCollection fc(out, "threat_index");
    const detail::ShapeIndex shapes(r.shapes);
    const auto rows = detail::rows_json(t);
    for (std::size_t k = 0; k < r.rows.size(); ++k) {
      if (r.rows[k].month != r.report_month) continue;
      fc.add(rows[k], shapes.geometry(panel.areas()[r.rows[k].area].id));
    }
    return;
  }
  Json doc = detail::document("threat_index");
  doc["level"] = r.level;
  doc["from"] = panel.first().str();
  doc["to"] = panel.last().str();
  const auto& w = r.options.weights;
  doc["weights"] = {{"vac_fatalities_per_100k", w.vac_fatalities_per_100k},
                    {"vac_events", w.vac_events},
                    {"battle_events", w.battle_events},
                    {"battle_fatalities_per_100k", w.battle_fatalities_per_100k},
                    {"civilian_deaths_per_100k", w.civilian_deaths_per_100k},
                    {"other_events", w.other_events}};
  doc["lambda"] = r.options.lambda;
  doc["trend_test"] = test;
  doc["trend_months"] = r.options.trend_months;
  doc["alpha"] = r.options.alpha;
  detail::write_table(out, t, o, doc, "rows");
}

void write(std::ostream& out, const service::HotspotsResult& r, const WriteOptions& o) {
  const auto& panel = r.panel;
  const auto& res = r.scan;
  auto area_ids = [&](const threat::Cluster& c) {
    std::vector<std::string> ids;
    for (auto z : c.areas) ids.push_back(panel.areas()[z].id);
    return ids;
  };
  Table t({{"rank"},
           {"centre_id"},
           {"centre_name"},
           {"lat", 5},
           {"lon", 5},
           {"radius_km", 1},
           {"n_areas"},
           {"areas"},
           {"start"},
           {"end"},
           {"observed", 0},
           {"expected", 2},
           {"relative_risk", 3},
           {"llr", 3},
           {"p_value", 4},
           {"p_value_monte_carlo", 4},
           {"p_value_gumbel", 4}});
  for (std::size_t k = 0; k < res.clusters.size(); ++k) {
    const auto& c = res.clusters[k];
    const auto& centre = panel.areas()[c.centre];
    t.add({static_cast<std::int64_t>(k + 1), centre.id, centre.name, centre.centroid.lat, centre.centroid.lon,
           c.radius_km, static_cast<std::int64_t>(c.areas.size()), area_ids(c), panel.month(c.start).str(),
           panel.month(c.end).str(), c.observed, c.expected, number(c.relative_risk), c.llr, c.p_value,
           c.p_value_monte_carlo, number(c.p_value_gumbel)});
  }
  if (o.format == Format::kGeoJson) {
    detail::FeatureCollection fc(out, "hotspots");
    const auto rows = detail::rows_json(t);
    for (std::size_t k = 0; k < res.clusters.size(); ++k) {
      const auto& c = res.clusters[k];
      const auto& centre = panel.areas()[c.centre];
      // a single-area cluster (radius 0) is drawn with the centre area's equivalent radius
      const double draw = std::max(c.radius_km, std::sqrt(std::max(centre.area_km2, 0.0) / std::numbers::pi));
      Json p = rows[k];
      p["draw_radius_km"] = draw;
      fc.add(p, detail::polygon_geometry(geo::geodesic_circle(centre.centroid, draw, 64)));
    }
    return;
  }
  if (o.format == Format::kTable) {
    out << "model " << threat::model_name(r.options.model) << ", " << threat::mode_name(r.options.mode) << ", "
        << service::to_string(r.measure) << " of type " << service::to_string(r.type) << ", " << panel.first().str()
        << ".." << panel.last().str() << ", windows up to " << r.options.max_months << " months, circles up to "
        << format_number(100 * r.options.max_population_share, 0)
        << (r.options.model == threat::ScanModel::kPoisson ? "% of the population" : "% of the events") << ", "
        << res.null_summary.count << " replications (seed " << r.options.seed << ", p-values "
        << threat::p_value_method_name(res.p_value_method) << (res.stopped_early ? ", stopped early" : "")
        << "); LLR needed for p = 0.05: " << format_number(res.null_summary.critical_05, 2) << "\n";
  }
  Json doc = detail::document("hotspots");
  doc["level"] = r.level;
  doc["from"] = panel.first().str();
  doc["to"] = panel.last().str();
  doc["model"] = std::string(threat::model_name(r.options.model));
  doc["mode"] = std::string(threat::mode_name(r.options.mode));
  doc["measure"] = service::to_string(r.measure);
  doc["type"] = service::to_string(r.type);
  doc["max_share"] = r.options.max_population_share;
  doc["max_radius_km"] = detail::number_or_null(r.options.max_radius_km);
  doc["max_months"] = r.options.max_months;
  doc["replications"] = r.options.replications;
  doc["seed"] = r.options.seed;
  doc["secondary"] = std::string(threat::secondary_rule_name(r.options.secondary));
  doc["equidistant"] = r.options.group_equidistant ? "group" : "one-at-a-time";
  doc["min_cases"] = r.options.min_cases;
  doc["p_value_method"] = std::string(threat::p_value_method_name(res.p_value_method));
  doc["replications_run"] = res.null_summary.count;
  doc["stopped_early"] = res.stopped_early;
  const auto& n = res.null_summary;
  doc["null_summary"] = {{"count", n.count},
                         {"mean", n.mean},
                         {"sd", n.sd},
                         {"min", n.min},
                         {"q50", n.q50},
                         {"q90", n.q90},
                         {"q95", n.q95},
                         {"q99", n.q99},
                         {"max", n.max},
                         {"gumbel_mu", detail::number_or_null(n.gumbel_mu)},
                         {"gumbel_beta", detail::number_or_null(n.gumbel_beta)},
                         {"critical_05", n.critical_05},
                         {"critical_01", n.critical_01},
                         {"gumbel_critical_05", detail::number_or_null(n.gumbel_critical_05)},
                         {"gumbel_critical_01", detail::number_or_null(n.gumbel_critical_01)}};
  doc["total"] = res.total;
  doc["circles"] = res.circles;
  doc["windows"] = res.windows;
  detail::write_table(out, t, o, doc, "clusters");
}

}  // namespace endstate::io
