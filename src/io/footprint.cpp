// Writers of the footprint: recommended footprint, protection gaps, p-median.
#include <algorithm>
#include <map>

#include "endstate/core/error.hpp"
#include "endstate/geo/circle.hpp"
#include "endstate/io/writers.hpp"
#include "io/detail/geojson.hpp"
#include "io/detail/json.hpp"

namespace endstate::io {

namespace fp = endstate::footprint;
using detail::Json;

namespace {

double share(double a, double b) { return b > 0 ? a / b : 0.0; }

/// Binding constraints with site indexes replaced by site keys ("capacity:3" -> "capacity:<key>").
std::vector<std::string> binding_names(const service::FootprintModel& m, const std::vector<std::string>& b) {
  std::vector<std::string> out;
  for (const auto& s : b) {
    const auto colon = s.find(':');
    const auto j = colon == std::string::npos ? std::string::npos : s.find_first_not_of("0123456789", colon + 1);
    if (colon != std::string::npos && j == std::string::npos && colon + 1 < s.size()) {
      const auto k = static_cast<std::size_t>(std::stoul(s.substr(colon + 1)));
      out.push_back(s.substr(0, colon) + ":" + (k < m.sites.size() ? m.sites[k].id : s.substr(colon + 1)));
    } else {
      out.push_back(s);
    }
  }
  return out;
}

/// The solver header every solve document carries.
Json solver_json(const fp::CoverSolution& s, const std::vector<std::string>& binding) {
  return {{"solver", s.solver},
          {"status", fp::to_string(s.status)},
          {"objective", s.objective},
          {"bound", s.bound},
          {"gap", s.gap},
          {"seconds", s.seconds},
          {"binding", binding}};
}

}  // namespace

void write(std::ostream& out, const service::FootprintOptimizeResult& r, const WriteOptions& o) {
  const auto& m = r.model;
  const auto& s = r.recommended;
  std::int64_t troops_rec = 0, troops_today = 0;
  std::int64_t sites_rec = 0, sites_today = 0;
  for (std::size_t j = 0; j < m.sites.size(); ++j) {
    troops_rec += r.troops[j];
    if (s.open[j]) ++sites_rec;
    if (m.sites[j].existing) {
      ++sites_today;
      troops_today += m.sites[j].troops;
    }
  }
  Table sites({{"id"},
               {"name"},
               {"latitude", 6},
               {"longitude", 6},
               {"area_id"},
               {"existing"},
               {"open"},
               {"troops"},
               {"troops_today"},
               {"police_today"},
               {"has_air"},
               {"covered_weight", 3}});
  std::vector<std::size_t> listed;
  for (std::size_t j = 0; j < m.sites.size(); ++j) {
    if (!s.open[j] && !m.sites[j].existing) continue;
    const auto& x = m.sites[j];
    listed.push_back(j);
    sites.add({x.id, x.name, x.where.lat, x.where.lon, x.area_id, x.existing, static_cast<bool>(s.open[j]), r.troops[j],
               x.troops, x.police, x.has_air, r.site_weight[j]});
  }
  Table areas({{"area_id"},
               {"area_name"},
               {"population", 0},
               {"weight", 4},
               {"covered", 4},
               {"covered_today", 4},
               {"share", 4},
               {"share_today", 4},
               {"population_covered", 0},
               {"population_covered_today", 0}});
  for (const auto& a : r.by_area) {
    areas.add({a.area_id, a.area_name, a.population, a.weight, a.covered, a.covered_today, share(a.covered, a.weight),
               share(a.covered_today, a.weight), a.pop_covered, a.pop_covered_today});
  }
  const auto binding = binding_names(m, s.binding);
  const std::string view = o.view.empty() ? "sites" : o.view;
  if (view != "sites" && view != "coverage" && view != "reach") {
    throw invalid_field("view", "must be sites, coverage or reach (got '" + view + "')");
  }
  if (o.format == Format::kJson) {
    Json j = detail::document("footprint");
    detail::merge(j, solver_json(s, binding));
    j["sites"] = detail::rows_json(sites);
    j["coverage"] = detail::rows_json(areas);
    j["recommended"] = {{"covered", s.covered},
                        {"share", share(s.covered, r.total_weight)},
                        {"covered_twice", s.covered_twice},
                        {"sites", sites_rec},
                        {"troops", troops_rec}};
    j["today"] = {{"objective", r.today.objective},
                  {"covered", r.today.covered},
                  {"share", share(r.today.covered, r.total_weight)},
                  {"covered_twice", r.today.covered_twice},
                  {"sites", sites_today},
                  {"troops", troops_today}};
    j["model"] = {{"level", m.level},
                  {"month", m.month.str()},
                  {"demand_points", m.demand.size()},
                  {"candidate_sites", m.sites.size() - static_cast<std::size_t>(sites_today)},
                  {"total_weight", r.total_weight},
                  {"total_population", r.total_population},
                  {"population_imputed", m.population_imputed},
                  {"population_unknown", m.population_unknown},
                  {"dropped_outside", m.dropped_outside},
                  {"coverage_pairs", m.coverage.pairs()},
                  {"response_hours", m.params.response_hours}};
    detail::write_json(out, j);
    return;
  }
  if (o.format == Format::kGeoJson) {
    if (view == "coverage") throw invalid_field("view", "coverage has no geojson form; use sites or reach");
    if (view == "sites") {
      detail::FeatureCollection fc(out, "footprint_sites");
      const auto rows = detail::rows_json(sites);
      for (std::size_t k = 0; k < listed.size(); ++k) fc.add(rows[k], detail::point_geometry(m.sites[listed[k]].where));
      return;
    }
    // reach within the response time of every open site: road, and air for helicopter sites
    detail::FeatureCollection fc(out, "footprint_reach");
    const double road_km = fp::reach_radius_km(false, m.params);
    const double air_km = fp::reach_radius_km(true, m.params);
    for (std::size_t j = 0; j < m.sites.size(); ++j) {
      if (!s.open[j]) continue;
      const auto& x = m.sites[j];
      const bool air = x.has_air && air_km > road_km;
      Json p = {{"id", x.id},
                {"name", x.name},
                {"mode", air ? "air" : "road"},
                {"radius_km", air ? air_km : road_km},
                {"response_hours", m.params.response_hours}};
      fc.add(p, detail::polygon_geometry(geo::geodesic_circle(x.where, air ? air_km : road_km, 64)));
    }
    return;
  }
  if (o.format == Format::kCsv) {
    if (view == "reach") throw invalid_field("view", "reach is a map layer: use geojson");
    detail::write_table(out, view == "coverage" ? areas : sites, o, Json(), "");
    return;
  }
  out << "footprint " << m.month.str() << " (" << m.demand.size() << " demand points, level " << m.level << ")\n";
  out << "recommended: " << sites_rec << " sites, " << troops_rec << " troops, covered weight "
      << format_number(s.covered, 2) << " of " << format_number(r.total_weight, 2) << " ("
      << format_number(100 * share(s.covered, r.total_weight), 1) << "%)\n";
  out << "today:       " << sites_today << " sites, " << troops_today << " troops, covered weight "
      << format_number(r.today.covered, 2) << " (" << format_number(100 * share(r.today.covered, r.total_weight), 1)
      << "%)\n";
  out << "solver " << s.solver << " (" << fp::to_string(s.status) << "): objective " << format_number(s.objective, 3)
      << ", bound " << format_number(s.bound, 3) << ", gap " << format_number(100 * s.gap, 3) << "%, "
      << format_number(s.seconds, 2) << " s; binding:";
  for (const auto& b : binding) out << " " << b;
  out << "\n\n";
  Table st({{"name"}, {"existing"}, {"open"}, {"troops"}, {"troops_today"}, {"has_air"}, {"covered_weight", 3}});
  for (const auto& row : sites.rows) st.add({row[1], row[5], row[6], row[7], row[8], row[10], row[11]});
  detail::write_table(out, st, o, Json(), "");
  out << "\n";
  Table at({{"area"},
            {"weight", 4},
            {"share", 4},
            {"share_today", 4},
            {"population_covered", 0},
            {"population_covered_today", 0}});
  for (const auto& row : areas.rows) at.add({row[1], row[3], row[6], row[7], row[8], row[9]});
  detail::write_table(out, at, o, Json(), "");
}

void write(std::ostream& out, const service::FootprintGapsResult& r, const WriteOptions& o, std::size_t top) {
  const auto& m = r.model;
  std::map<std::string, std::string> area_name;
  for (std::size_t a = 0; a < m.area_ids.size(); ++a) area_name[m.area_ids[a]] = m.area_names[a];
  auto areas_of = [&](const std::vector<std::size_t>& pts) {
    std::map<std::string, double> w;
    for (auto i : pts) w[m.demand[i].area_id] += m.demand[i].weight;
    std::vector<std::pair<double, std::string>> v;
    v.reserve(w.size());
    for (const auto& [id, x] : w) v.emplace_back(-x, id);
    std::sort(v.begin(), v.end());
    std::vector<std::string> names;
    names.reserve(v.size());
    for (const auto& [x, id] : v) names.push_back(area_name[id]);
    return names;
  };
  auto localities_of = [&](const std::vector<std::size_t>& pts, std::size_t k) {
    std::vector<std::size_t> v = pts;
    std::stable_sort(v.begin(), v.end(),
                     [&](std::size_t a, std::size_t b) { return m.demand[a].weight > m.demand[b].weight; });
    std::vector<std::string> names;
    for (std::size_t t = 0; t < v.size() && t < k; ++t) names.push_back(m.demand[v[t]].name);
    return names;
  };
  Table ranked({{"rank"},
                {"id"},
                {"name"},
                {"latitude", 6},
                {"longitude", 6},
                {"weight_lost", 4},
                {"share_lost", 4},
                {"points_lost"},
                {"areas"},
                {"localities"}});
  for (std::size_t k = 0; k < r.ranked.size() && (top == 0 || k < top); ++k) {
    const auto& g = r.ranked[k];
    const auto& x = m.sites[g.site];
    ranked.add({static_cast<std::int64_t>(k + 1), x.id, x.name, x.where.lat, x.where.lon, g.weight_lost,
                share(g.weight_lost, r.covered_today), static_cast<std::int64_t>(g.points_lost.size()),
                areas_of(g.points_lost), localities_of(g.points_lost, 10)});
  }
  Table lost({{"id"},
              {"name"},
              {"area_id"},
              {"latitude", 6},
              {"longitude", 6},
              {"weight", 4},
              {"mitigation"},
              {"air_site"},
              {"air_hours", 2}});
  std::vector<std::size_t> lost_pts;
  if (r.closure) {
    for (const auto& l : r.closure->lost) {
      const auto& d = m.demand[l.point];
      lost_pts.push_back(l.point);
      lost.add({d.id, d.name, d.area_id, d.where.lat, d.where.lon, l.weight, l.mitigation,
                l.air_site ? Cell(m.sites[*l.air_site].id) : Cell(), l.air_site ? Cell(l.air_hours) : Cell()});
    }
  }
  if (o.format == Format::kJson) {
    Json j = detail::document("footprint_gaps");
    fp::CoverSolution ev;
    ev.solver = "evaluate";
    ev.status = fp::SolveStatus::kEvaluated;
    ev.objective = ev.bound = r.closure ? r.closure->weight_lost : r.covered_today;
    ev.seconds = r.seconds;
    detail::merge(j, solver_json(ev, {}));
    j["sites"] = detail::rows_json(ranked);
    j["coverage"] = detail::rows_json(lost);
    j["covered_today"] = r.covered_today;
    j["total_weight"] = r.total_weight;
    j["mitigation_hours"] = r.mitigation_hours;
    if (r.closure) {
      std::vector<std::string> closed;
      for (auto c : r.closed) closed.push_back(m.sites[c].id);
      j["closure"] = {{"closed", closed},
                      {"weight_before", r.closure->weight_before},
                      {"weight_after", r.closure->weight_after},
                      {"weight_lost", r.closure->weight_lost},
                      {"share_lost", share(r.closure->weight_lost, r.closure->weight_before)},
                      {"areas", areas_of(lost_pts)}};
    } else {
      j["closure"] = Json();
    }
    detail::write_json(out, j);
    return;
  }
  if (o.format == Format::kGeoJson) {
    detail::FeatureCollection fc(out, "footprint_gaps");
    const auto rows = detail::rows_json(ranked);
    for (std::size_t k = 0; k < rows.size(); ++k) {
      Json p = rows[k];
      p["feature"] = "site";
      fc.add(p, detail::point_geometry(m.sites[r.ranked[k].site].where));
    }
    const auto lrows = detail::rows_json(lost);
    for (std::size_t k = 0; k < lrows.size(); ++k) {
      Json p = lrows[k];
      p["feature"] = "lost";
      fc.add(p, detail::point_geometry(m.demand[r.closure->lost[k].point].where));
    }
    return;
  }
  if (o.format == Format::kCsv) {
    detail::write_table(out, r.closure ? lost : ranked, o, Json(), "");
    return;
  }
  out << "protection gaps of today's footprint (" << m.month.str() << "): covered weight "
      << format_number(r.covered_today, 2) << " of " << format_number(r.total_weight, 2) << "\n";
  Table tt({{"rank"}, {"name"}, {"weight_lost", 4}, {"share_lost", 4}, {"points_lost"}, {"areas"}});
  for (const auto& row : ranked.rows) tt.add({row[0], row[2], row[5], row[6], row[7], row[8]});
  detail::write_table(out, tt, o, Json(), "");
  if (r.closure) {
    const auto& c = *r.closure;
    out << "\nclosing " << r.closed.size() << " site(s): weight lost " << format_number(c.weight_lost, 3) << " ("
        << format_number(100 * share(c.weight_lost, c.weight_before), 2) << "% of covered), " << c.lost.size()
        << " points lose coverage\n";
    Table lt({{"name"}, {"area"}, {"weight", 4}, {"mitigation"}, {"air_site"}, {"air_hours", 2}});
    for (std::size_t k = 0; k < c.lost.size() && k < 30; ++k) {
      const auto& l = c.lost[k];
      lt.add({m.demand[l.point].name, m.demand[l.point].area_id, l.weight, l.mitigation,
              l.air_site ? Cell(m.sites[*l.air_site].name) : Cell(), l.air_site ? Cell(l.air_hours) : Cell()});
    }
    detail::write_table(out, lt, o, Json(), "");
  }
}

void write(std::ostream& out, const service::PMedianResult& r, const WriteOptions& o) {
  const auto& s = r.solution;
  std::vector<std::string> medians;
  for (int v : s.open) medians.push_back(std::to_string(v + 1));
  if (o.format == Format::kJson) {
    Json j = detail::document("pmedian");
    j["solver"] = s.solver;
    j["status"] = fp::to_string(s.status);
    j["objective"] = s.objective;
    j["bound"] = s.bound;
    j["gap"] = s.gap;
    j["seconds"] = s.seconds;
    j["binding"] = Json::array({"p"});
    Json sites = Json::array();
    for (int v : s.open) sites.push_back(v + 1);
    j["medians"] = sites;
    j["n"] = r.n;
    j["p"] = r.p;
    j["fixed_closed"] = s.fixed_closed;
    j["fixed_open"] = s.fixed_open;
    j["tree_nodes"] = s.tree_nodes;
    j["milp_columns"] = s.milp_columns;
    j["milp_rows"] = s.milp_rows;
    detail::write_json(out, j);
    return;
  }
  Table t({{"objective", 6},
           {"bound", 6},
           {"gap", 8},
           {"seconds", 3},
           {"solver"},
           {"status"},
           {"n"},
           {"p"},
           {"fixed_closed"},
           {"tree_nodes"},
           {"milp_columns"},
           {"medians"}});
  t.add({s.objective, s.bound, s.gap, s.seconds, s.solver, fp::to_string(s.status), static_cast<std::int64_t>(r.n),
         static_cast<std::int64_t>(r.p), static_cast<std::int64_t>(s.fixed_closed), s.tree_nodes, s.milp_columns,
         medians});
  detail::write_table(out, t, o, Json(), "");
}

void write(std::ostream& out, const service::ScenarioResult& r, const WriteOptions& o) {
  const auto& ds = r.dataset;
  if (o.format == Format::kJson) {
    Json j = detail::document("scenario");
    j["scenario"] = "carana";
    j["seed"] = ds.seed;
    j["out"] = ds.dir;
    j["first_year"] = ds.first_year;
    j["last_year"] = ds.last_year;
    j["counts"] = {{"provinces", ds.provinces},  {"territories", ds.territories}, {"localities", ds.localities},
                   {"groups", ds.groups},        {"events", ds.events},           {"fatalities", ds.fatalities},
                   {"sites", ds.sites},          {"deployments", ds.deployments}, {"observations", ds.observations},
                   {"population", ds.population}};
    j["files"] = {{"country", ds.country_geojson},
                  {"territories", ds.territories_geojson},
                  {"crosswalk", ds.crosswalk_csv},
                  {"localities", ds.localities_csv},
                  {"events", ds.events_csv},
                  {"sites", ds.sites_csv},
                  {"observations", ds.observations_csv},
                  {"framework", ds.framework_yaml},
                  {"tasks", ds.tasks_yaml},
                  {"config", ds.config_yaml},
                  {"plan_end_state", ds.plan_end_state_yaml},
                  {"plan_end_date", ds.plan_end_date_yaml}};
    detail::write_json(out, j);
    return;
  }
  Table t({{"file"}, {"what"}, {"count"}});
  t.add({ds.country_geojson, "country polygon", std::int64_t{1}});
  t.add({ds.territories_geojson, "territories (GeoJSON)", ds.territories});
  t.add({ds.crosswalk_csv, "territory -> province crosswalk (provinces)", ds.provinces});
  t.add({ds.localities_csv, "localities with population", ds.localities});
  t.add({ds.events_csv, "conflict events (UCDP GED CSV)", ds.events});
  t.add({ds.sites_csv, "mission sites (Geo-PKO v2.3, site-years)", ds.deployments});
  t.add({ds.observations_csv, "indicator observations", ds.observations});
  t.add({ds.framework_yaml, "benchmark framework (draft)", Cell()});
  t.add({ds.tasks_yaml, "mandate tasks (draft)", Cell()});
  t.add({ds.config_yaml, "effective configuration", Cell()});
  t.add({ds.plan_end_state_yaml, "transition plan, end-state policy", Cell()});
  t.add({ds.plan_end_date_yaml, "transition plan, end-date policy", Cell()});
  detail::write_table(out, t, o, Json(), "");
}

}  // namespace endstate::io
