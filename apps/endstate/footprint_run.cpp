// The footprint model from the store, optimisation, gaps and printing.
#include "footprint_run.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "endstate/core/csv.hpp"
#include "endstate/core/error.hpp"
#include "endstate/core/panel.hpp"
#include "endstate/forecast/forecast.hpp"
#include "endstate/geo/area_index.hpp"
#include "endstate/threat/picture.hpp"
#include "panel_loader.hpp"

namespace endstate::cli::footprint_run {
namespace {

using nlohmann::ordered_json;
namespace fp = endstate::footprint;

std::optional<double> parse_number(std::string_view s) {
  std::string t(s);
  while (!t.empty() && (t.back() == ' ' || t.back() == '\r')) t.pop_back();
  while (!t.empty() && t.front() == ' ') t.erase(t.begin());
  if (t.empty()) return std::nullopt;
  try {
    std::size_t pos = 0;
    const double v = std::stod(t, &pos);
    if (pos != t.size() || !std::isfinite(v)) return std::nullopt;
    return v;
  } catch (...) {
    return std::nullopt;
  }
}

struct CsvPoint {
  std::string id, name;
  LatLon where;
  std::optional<double> population;
  bool has_air = false;
};

// name/latitude/longitude[/population/id/has_air] by header name.
std::vector<CsvPoint> read_points_csv(const std::string& path, bool want_population) {
  CsvReader r(path);
  if (!r.next()) throw bad_input(path + ": empty file, expected a header", Position{path, 1, ""});
  std::vector<std::string> header;
  for (auto f : r.fields()) header.emplace_back(f);
  const int ilat = find_column(header, "latitude") >= 0 ? find_column(header, "latitude") : find_column(header, "lat");
  const int ilon = find_column(header, "longitude") >= 0 ? find_column(header, "longitude") : find_column(header, "lon");
  const int iname = find_column(header, "name");
  int iid = find_column(header, "id");
  if (iid < 0) iid = find_column(header, "wof_id");
  const int ipop = find_column(header, "population");
  const int iair = find_column(header, "has_air");
  if (ilat < 0) throw bad_input(path + ":1: missing column 'latitude'", Position{path, 1, "latitude"});
  if (ilon < 0) throw bad_input(path + ":1: missing column 'longitude'", Position{path, 1, "longitude"});
  if (iname < 0) throw bad_input(path + ":1: missing column 'name'", Position{path, 1, "name"});
  if (want_population && ipop < 0) throw bad_input(path + ":1: missing column 'population'", Position{path, 1, "population"});
  std::vector<CsvPoint> out;
  while (r.next()) {
    if (r.size() == 1 && r[0].empty()) continue;
    const auto line = r.line();
    auto field = [&](int k) -> std::string_view { return k >= 0 && static_cast<std::size_t>(k) < r.size() ? r[k] : std::string_view(); };
    CsvPoint p;
    p.name = std::string(field(iname));
    p.id = iid >= 0 ? std::string(field(iid)) : p.name;
    if (p.id.empty()) p.id = "row" + std::to_string(line);
    const auto lat = parse_number(field(ilat)), lon = parse_number(field(ilon));
    if (!lat || *lat < -90 || *lat > 90) {
      throw bad_input(path + ":" + std::to_string(line) + ": latitude: expected a number in -90..90, got '" + std::string(field(ilat)) + "'",
                      Position{path, line, "latitude"});
    }
    if (!lon || *lon < -180 || *lon > 180) {
      throw bad_input(path + ":" + std::to_string(line) + ": longitude: expected a number in -180..180, got '" + std::string(field(ilon)) + "'",
                      Position{path, line, "longitude"});
    }
    p.where = {*lat, *lon};
    if (ipop >= 0 && !field(ipop).empty()) {
      const auto v = parse_number(field(ipop));
      if (!v || *v < 0) {
        throw bad_input(path + ":" + std::to_string(line) + ": population: expected a number >= 0 or empty, got '" + std::string(field(ipop)) + "'",
                        Position{path, line, "population"});
      }
      if (*v > 0) p.population = *v;
    }
    if (iair >= 0) {
      const std::string a(field(iair));
      p.has_air = a == "1" || a == "true" || a == "yes";
    }
    out.push_back(std::move(p));
  }
  return out;
}

std::size_t find_site(const Model& m, const std::string& key) {
  for (std::size_t j = 0; j < m.sites.size(); ++j) {
    if (m.sites[j].id == key) return j;
  }
  std::vector<std::size_t> hits;
  for (std::size_t j = 0; j < m.sites.size(); ++j) {
    if (m.sites[j].name == key) hits.push_back(j);
  }
  if (hits.size() == 1) return hits[0];
  if (hits.size() > 1) throw usage_error("site name '" + key + "' is ambiguous (" + std::to_string(hits.size()) + " sites); use its key");
  throw not_found("no site '" + key + "' (key or name); see endstate sites list");
}

}  // namespace

std::vector<double> threat_by_area(store::Database& db, const std::string& mode, const std::string& level,
                                   const std::vector<std::string>& area_ids, const std::vector<double>& population,
                                   int months, Month end) {
  std::vector<double> t(area_ids.size(), 1.0);
  if (mode == "none") return t;
  if (mode != "recent" && mode != "forecast" && mode != "index")
    throw usage_error("--threat must be forecast, index, recent or none (got '" + mode + "')");
  if (months < 1) throw usage_error("--threat-months must be >= 1");
  if (mode == "forecast") {
    // Expected events of violence against civilians over the next `months`
    // months (the forecast module's best model, on all history up to `end`),
    // per capita: the forward-looking counterpart of "recent".
    const Panel history = load_panel(db, level, std::nullopt, end);
    forecast::ForecastOptions fo;
    fo.horizon = months;
    fo.samples = 200;
    fo.seed = 1;
    const auto fc = forecast::run_forecast(history, forecast::Target::kVacEvents, fo);
    for (std::size_t a = 0; a < area_ids.size(); ++a) {
      const auto k = history.area_index(area_ids[a]);
      double ev = 0;
      if (k) {
        for (std::size_t h = 0; h < fc.horizon; ++h) ev += fc.mean(*k, h);
      }
      t[a] = population[a] > 0 ? ev / population[a] : 0.0;
    }
    return t;
  }
  if (mode == "index") {
    // The composite threat index's EWMA level in the month `end` (already a
    // mix of rates per 100,000 and counts; docs/threat.md), floored at 0.
    const Panel panel = load_panel(db, level, end.plus(-(months - 1)), end);
    const auto rows = threat::threat_index(panel, threat::IndexOptions{});
    for (std::size_t a = 0; a < area_ids.size(); ++a) {
      const auto k = panel.area_index(area_ids[a]);
      t[a] = 0;
      if (!k) continue;
      for (const auto& r : rows)
        if (r.area == *k && r.month + 1 == panel.month_count()) t[a] = std::max(0.0, r.ewma);
    }
    return t;
  }
  const Panel panel = load_panel(db, level, end.plus(-(months - 1)), end);
  for (std::size_t a = 0; a < area_ids.size(); ++a) {
    const auto k = panel.area_index(area_ids[a]);
    double ev = 0;
    if (k) {
      for (std::size_t m = 0; m < panel.month_count(); ++m) ev += panel.at(*k, m).events[index_of(ViolenceType::kOneSided)];
    }
    t[a] = population[a] > 0 ? ev / population[a] : 0.0;
  }
  return t;
}

Model load_model(store::Database& db, const ModelOptions& o) {
  Model m;
  m.level = o.level.empty() ? default_level(db) : o.level;
  const auto areas = db.areas(m.level, true);
  if (areas.empty()) throw not_found("no areas at level '" + m.level + "'");
  std::unordered_map<std::string, int> area_of_id;
  for (std::size_t a = 0; a < areas.size(); ++a) {
    m.area_ids.push_back(areas[a].id);
    m.area_names.push_back(areas[a].name);
    area_of_id[areas[a].id] = static_cast<int>(a);
  }
  if (o.month) {
    m.month = *o.month;
  } else {
    const auto st = db.status();
    if (!st.last_event) throw not_found("no events in the database; give --month or import events");
    m.month = Month::of(*st.last_event);
  }
  const geo::AreaIndex index(areas);
  std::vector<int> lk;
  auto area_of_point = [&](LatLon p) {
    index.lookup(p, lk);
    return lk.empty() ? -1 : lk[0];
  };
  // --- demand points and population ---
  if (o.demand == "areas" || o.demand == "grid") {
    const std::string dl = o.demand == "grid" ? "grid" : (o.demand_level.empty() ? m.level : o.demand_level);
    const auto da = dl == m.level ? areas : db.areas(dl, false);
    if (da.empty()) {
      throw not_found("no areas at level '" + dl + "'" + (dl == "grid" ? "; run 'endstate areas grid' first" : ""));
    }
    for (const auto& a : da) {
      fp::DemandPoint d{a.id, a.name, a.centroid, 0, ""};
      int ai = dl == m.level ? area_of_id[a.id] : area_of_point(a.centroid);
      double pop = a.population.value_or(0);
      if (!a.population) {
        ++m.population_unknown;
        pop = o.default_population;
      }
      if (ai < 0) {
        ++m.dropped_outside;
        continue;
      }
      d.area_id = m.area_ids[ai];
      m.demand.push_back(d);
      m.population.push_back(pop);
      m.demand_area.push_back(ai);
    }
  } else if (o.demand == "localities") {
    if (o.localities_csv.empty()) throw usage_error("--demand localities needs --localities FILE.csv");
    const auto pts = read_points_csv(o.localities_csv, true);
    std::vector<double> known(areas.size(), 0);
    std::vector<std::size_t> missing(areas.size(), 0);
    for (const auto& p : pts) {
      const int ai = area_of_point(p.where);
      if (ai < 0) {
        ++m.dropped_outside;
        continue;
      }
      m.demand.push_back({p.id, p.name, p.where, 0, m.area_ids[ai]});
      m.demand_area.push_back(ai);
      m.population.push_back(p.population.value_or(-1));
      if (p.population) {
        known[ai] += *p.population;
      } else {
        ++missing[ai];
      }
    }
    // Population rule: a locality without population gets an equal share of
    // what its area's population leaves after the localities that have one;
    // when the area has no population (or none is left), default_population.
    for (std::size_t i = 0; i < m.demand.size(); ++i) {
      if (m.population[i] >= 0) continue;
      const int ai = m.demand_area[i];
      const double area_pop = areas[ai].population.value_or(0);
      const double left = area_pop - known[ai];
      ++m.population_imputed;
      if (left > 0 && missing[ai] > 0) {
        m.population[i] = left / static_cast<double>(missing[ai]);
      } else {
        m.population[i] = o.default_population;
        ++m.population_unknown;
      }
    }
  } else {
    throw usage_error("--demand must be areas, grid or localities (got '" + o.demand + "')");
  }
  if (m.demand.empty()) throw not_found("no demand points inside the areas of level '" + m.level + "'");
  // --- threat weights ---
  std::vector<double> area_pop(areas.size(), 0);
  for (std::size_t i = 0; i < m.demand.size(); ++i) area_pop[m.demand_area[i]] += m.population[i];
  const auto threat = threat_by_area(db, o.threat, m.level, m.area_ids, area_pop, o.threat_months, m.month);
  for (std::size_t i = 0; i < m.demand.size(); ++i) m.demand[i].weight = m.population[i] * threat[m.demand_area[i]];
  // --- today's sites ---
  for (const auto& r : db.sites({}, m.month)) {
    fp::Site s;
    s.id = r.site.key;
    s.name = r.site.name;
    s.where = r.site.where;
    s.existing = true;
    if (r.latest) {
      s.troops = r.latest->troops;
      s.police = r.latest->police;
      s.has_air = r.latest->aviation > 0;
    }
    for (const auto& id : r.area_ids) {
      if (area_of_id.count(id)) s.area_id = id;
    }
    m.sites.push_back(std::move(s));
  }
  // --- candidates ---
  if (o.candidates == "demand") {
    std::vector<std::size_t> order(m.demand.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      const double wa = m.demand[a].weight > 0 ? m.demand[a].weight : 0, wb = m.demand[b].weight > 0 ? m.demand[b].weight : 0;
      return wa != wb ? wa > wb : m.population[a] > m.population[b];
    });
    for (std::size_t k = 0; k < order.size() && k < o.candidate_limit; ++k) {
      const auto& d = m.demand[order[k]];
      fp::Site s;
      s.id = "candidate:" + d.id;
      s.name = d.name;
      s.where = d.where;
      s.area_id = d.area_id;
      m.sites.push_back(std::move(s));
    }
  } else if (o.candidates != "none") {
    for (const auto& p : read_points_csv(o.candidates, false)) {
      fp::Site s;
      s.id = "candidate:" + p.id;
      s.name = p.name;
      s.where = p.where;
      s.has_air = p.has_air;
      const int ai = area_of_point(p.where);
      if (ai >= 0) s.area_id = m.area_ids[ai];
      m.sites.push_back(std::move(s));
    }
  }
  m.params = o.coverage;
  m.coverage = fp::build_coverage(m.demand, m.sites, o.coverage);
  return m;
}

OptimizeResult optimize(const Model& m, const OptimizeOptions& o) {
  if (o.min_troops < 0) throw usage_error("--min-troops must be >= 0");
  fp::CoverProblem p;
  for (const auto& d : m.demand) p.weights.push_back(d.weight);
  p.coverage = m.coverage;
  p.site_troops.assign(m.sites.size(), o.min_troops);
  p.locked.assign(m.sites.size(), false);
  p.forbidden.assign(m.sites.size(), false);
  for (const auto& k : o.lock) p.locked[find_site(m, k)] = true;
  for (const auto& k : o.forbid) p.forbidden[find_site(m, k)] = true;
  if (o.lock_today) {
    for (std::size_t j = 0; j < m.sites.size(); ++j) {
      if (m.sites[j].existing) p.locked[j] = true;
    }
  }
  p.max_sites = o.max_sites;
  p.troop_ceiling = o.ceiling;
  p.load_per_troop = o.load_per_troop;
  p.backup_weight = o.backup_weight;
  OptimizeResult r;
  r.recommended = fp::solve_cover(p, o.solve);
  std::vector<bool> today(m.sites.size());
  for (std::size_t j = 0; j < m.sites.size(); ++j) today[j] = m.sites[j].existing;
  {
    fp::CoverProblem q = p;  // today's footprint under the same model, without the new constraints
    q.locked.clear();
    q.forbidden.clear();
    q.troop_ceiling.reset();
    q.max_sites = 0;
    q.site_troops.clear();
    if (p.load_per_troop) {
      for (const auto& s : m.sites) q.site_troops.push_back(s.troops);
    }
    r.today = fp::evaluate(q, today);
    r.today.solver = "today";
  }
  // troops: the minimum per open site, the rest of the ceiling in proportion
  // to the weight each site covers (shared points split equally), largest remainders.
  const auto& open = r.recommended.open;
  std::vector<int> c(m.demand.size(), 0);
  for (std::size_t j = 0; j < m.sites.size(); ++j) {
    if (open[j]) {
      for (auto i : m.coverage.points[j]) ++c[i];
    }
  }
  r.site_weight.assign(m.sites.size(), 0);
  double tw = 0;
  for (std::size_t j = 0; j < m.sites.size(); ++j) {
    if (!open[j]) continue;
    for (auto i : m.coverage.points[j]) r.site_weight[j] += m.demand[i].weight / c[i];
    tw += r.site_weight[j];
  }
  r.troops.assign(m.sites.size(), 0);
  std::int64_t used = 0;
  for (std::size_t j = 0; j < m.sites.size(); ++j) {
    if (open[j]) {
      r.troops[j] = o.min_troops;
      used += o.min_troops;
    }
  }
  if (o.ceiling && *o.ceiling > used && tw > 0) {
    const std::int64_t rest = *o.ceiling - used;
    std::vector<std::pair<double, std::size_t>> rem;
    std::int64_t given = 0;
    for (std::size_t j = 0; j < m.sites.size(); ++j) {
      if (!open[j]) continue;
      const double share = static_cast<double>(rest) * r.site_weight[j] / tw;
      const auto fl = static_cast<std::int64_t>(std::floor(share));
      r.troops[j] += fl;
      given += fl;
      rem.push_back({share - static_cast<double>(fl), j});
    }
    std::stable_sort(rem.begin(), rem.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    for (std::size_t k = 0; given < rest && k < rem.size(); ++k, ++given) ++r.troops[rem[k].second];
  }
  // coverage by area
  std::vector<int> ct(m.demand.size(), 0);
  for (std::size_t j = 0; j < m.sites.size(); ++j) {
    if (today[j]) {
      for (auto i : m.coverage.points[j]) ++ct[i];
    }
  }
  r.by_area.resize(m.area_ids.size());
  for (std::size_t a = 0; a < m.area_ids.size(); ++a) {
    r.by_area[a].area_id = m.area_ids[a];
    r.by_area[a].area_name = m.area_names[a];
  }
  for (std::size_t i = 0; i < m.demand.size(); ++i) {
    auto& ac = r.by_area[m.demand_area[i]];
    const double w = m.demand[i].weight, pop = m.population[i];
    ac.population += pop;
    ac.weight += w;
    r.total_weight += w;
    r.total_population += pop;
    if (c[i] > 0) {
      ac.covered += w;
      ac.pop_covered += pop;
    }
    if (ct[i] > 0) {
      ac.covered_today += w;
      ac.pop_covered_today += pop;
    }
  }
  return r;
}

GapsResult gaps(const Model& m, const std::vector<std::string>& close, double mitigation_hours) {
  const auto t0 = std::chrono::steady_clock::now();
  GapsResult g;
  std::vector<bool> open(m.sites.size());
  std::vector<double> w;
  for (const auto& d : m.demand) {
    w.push_back(d.weight);
    g.total_weight += d.weight;
  }
  for (std::size_t j = 0; j < m.sites.size(); ++j) open[j] = m.sites[j].existing;
  std::vector<int> c(m.demand.size(), 0);
  for (std::size_t j = 0; j < m.sites.size(); ++j) {
    if (open[j]) {
      for (auto i : m.coverage.points[j]) ++c[i];
    }
  }
  for (std::size_t i = 0; i < m.demand.size(); ++i) {
    if (c[i] > 0) g.covered_today += w[i];
  }
  g.ranked = fp::site_gaps(w, m.coverage, open);
  if (!close.empty()) {
    for (const auto& k : close) {
      const std::size_t j = find_site(m, k);
      if (!open[j]) throw usage_error("site '" + k + "' is not in today's footprint (" + m.month.str() + ")");
      g.closed.push_back(j);
    }
    g.closure = fp::closure_gap(m.demand, m.sites, m.coverage, open, g.closed, m.params, mitigation_hours);
  }
  g.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return g;
}

namespace {

ordered_json circle(LatLon c, double radius_km) {
  ordered_json ring = ordered_json::array();
  const double R = 6371.0088, d = radius_km / R;
  const double lat1 = c.lat * M_PI / 180, lon1 = c.lon * M_PI / 180;
  for (int k = 0; k <= 48; ++k) {
    const double b = 2 * M_PI * (k % 48) / 48.0;
    const double lat2 = std::asin(std::sin(lat1) * std::cos(d) + std::cos(lat1) * std::sin(d) * std::cos(b));
    const double lon2 = lon1 + std::atan2(std::sin(b) * std::sin(d) * std::cos(lat1), std::cos(d) - std::sin(lat1) * std::sin(lat2));
    ring.push_back({std::round(lon2 * 180 / M_PI * 1e6) / 1e6, std::round(lat2 * 180 / M_PI * 1e6) / 1e6});
  }
  return {{"type", "Polygon"}, {"coordinates", ordered_json::array({ring})}};
}

double share(double a, double b) { return b > 0 ? a / b : 0.0; }

ordered_json binding_json(const Model& m, const std::vector<std::string>& b) {
  ordered_json out = ordered_json::array();
  for (const auto& s : b) {
    const auto colon = s.find(':');
    if (colon != std::string::npos) {
      const auto j = static_cast<std::size_t>(std::stoul(s.substr(colon + 1)));
      out.push_back(s.substr(0, colon) + ":" + (j < m.sites.size() ? m.sites[j].id : s.substr(colon + 1)));
    } else {
      out.push_back(s);
    }
  }
  return out;
}

}  // namespace

void print_optimize(std::ostream& out, const Model& m, const OptimizeResult& r, Format f, const std::string& table) {
  const auto& s = r.recommended;
  std::int64_t troops_rec = 0, troops_today = 0;
  int sites_rec = 0, sites_today = 0;
  for (std::size_t j = 0; j < m.sites.size(); ++j) {
    troops_rec += r.troops[j];
    if (s.open[j]) ++sites_rec;
    if (m.sites[j].existing) {
      ++sites_today;
      troops_today += m.sites[j].troops;
    }
  }
  const std::vector<std::string> site_header = {"id", "name", "latitude", "longitude", "area_id", "existing", "open",
                                                "troops", "troops_today", "police_today", "has_air", "covered_weight"};
  auto site_row = [&](std::size_t j) -> std::vector<std::string> {
    const auto& x = m.sites[j];
    return {x.id, x.name, fmt_double(x.where.lat, 6), fmt_double(x.where.lon, 6), x.area_id, x.existing ? "1" : "0",
            s.open[j] ? "1" : "0", std::to_string(r.troops[j]), std::to_string(x.troops), std::to_string(x.police),
            x.has_air ? "1" : "0", fmt_double(r.site_weight[j], 3)};
  };
  const std::vector<std::string> area_header = {"area_id", "area_name", "population", "weight", "covered", "covered_today",
                                                "share", "share_today", "population_covered", "population_covered_today"};
  auto area_row = [&](const AreaCoverage& a) -> std::vector<std::string> {
    return {a.area_id, a.area_name, fmt_double(a.population, 0), fmt_double(a.weight, 4), fmt_double(a.covered, 4),
            fmt_double(a.covered_today, 4), fmt_double(share(a.covered, a.weight), 4),
            fmt_double(share(a.covered_today, a.weight), 4), fmt_double(a.pop_covered, 0), fmt_double(a.pop_covered_today, 0)};
  };
  if (f == Format::kJson) {
    ordered_json j;
    j["objective"] = s.objective;
    j["bound"] = s.bound;
    j["gap"] = s.gap;
    j["seconds"] = s.seconds;
    j["solver"] = s.solver;
    j["status"] = s.status;
    j["binding"] = binding_json(m, s.binding);
    ordered_json sites = ordered_json::array();
    for (std::size_t k = 0; k < m.sites.size(); ++k) {
      if (!s.open[k] && !m.sites[k].existing) continue;
      const auto& x = m.sites[k];
      sites.push_back({{"id", x.id}, {"name", x.name}, {"latitude", x.where.lat}, {"longitude", x.where.lon},
                       {"area_id", x.area_id}, {"existing", x.existing}, {"open", static_cast<bool>(s.open[k])},
                       {"troops", r.troops[k]}, {"troops_today", x.troops}, {"police_today", x.police},
                       {"has_air", x.has_air}, {"covered_weight", r.site_weight[k]}});
    }
    j["sites"] = sites;
    ordered_json cov = ordered_json::array();
    for (const auto& a : r.by_area) {
      cov.push_back({{"area_id", a.area_id}, {"area_name", a.area_name}, {"population", a.population}, {"weight", a.weight},
                     {"covered", a.covered}, {"covered_today", a.covered_today}, {"share", share(a.covered, a.weight)},
                     {"share_today", share(a.covered_today, a.weight)}, {"population_covered", a.pop_covered},
                     {"population_covered_today", a.pop_covered_today}});
    }
    j["coverage"] = cov;
    j["recommended"] = {{"covered", s.covered}, {"share", share(s.covered, r.total_weight)}, {"covered_twice", s.covered_twice},
                        {"sites", sites_rec}, {"troops", troops_rec}};
    j["today"] = {{"objective", r.today.objective}, {"covered", r.today.covered}, {"share", share(r.today.covered, r.total_weight)},
                  {"covered_twice", r.today.covered_twice}, {"sites", sites_today}, {"troops", troops_today}};
    j["model"] = {{"level", m.level}, {"month", m.month.str()}, {"demand_points", m.demand.size()},
                  {"candidate_sites", m.sites.size() - static_cast<std::size_t>(sites_today)},
                  {"total_weight", r.total_weight}, {"total_population", r.total_population},
                  {"population_imputed", m.population_imputed}, {"population_unknown", m.population_unknown},
                  {"dropped_outside", m.dropped_outside}, {"coverage_pairs", m.coverage.pairs()}};
    out << j.dump(2) << "\n";
    return;
  }
  if (f == Format::kGeoJson) {
    ordered_json fc;
    fc["type"] = "FeatureCollection";
    ordered_json feats = ordered_json::array();
    for (std::size_t k = 0; k < m.sites.size(); ++k) {
      if (!s.open[k] && !m.sites[k].existing) continue;
      const auto& x = m.sites[k];
      ordered_json props = {{"kind", "site"}, {"id", x.id}, {"name", x.name}, {"existing", x.existing},
                            {"open", static_cast<bool>(s.open[k])}, {"troops", r.troops[k]}, {"troops_today", x.troops},
                            {"has_air", x.has_air}, {"covered_weight", r.site_weight[k]}};
      feats.push_back({{"type", "Feature"}, {"properties", props},
                       {"geometry", {{"type", "Point"}, {"coordinates", {x.where.lon, x.where.lat}}}}});
      if (!s.open[k]) continue;
      // reach within the response time: road circle, and air circle for helicopter sites
      const double road_km = fp::reach_radius_km(false, m.params);
      ordered_json rp = {{"kind", "reach_road"}, {"id", x.id}, {"name", x.name}, {"radius_km", road_km},
                         {"response_hours", m.params.response_hours}};
      feats.push_back({{"type", "Feature"}, {"properties", rp}, {"geometry", circle(x.where, road_km)}});
      const double air_km = fp::reach_radius_km(true, m.params);
      if (x.has_air && air_km > road_km) {
        ordered_json ap = {{"kind", "reach_air"}, {"id", x.id}, {"name", x.name}, {"radius_km", air_km},
                           {"response_hours", m.params.response_hours}};
        feats.push_back({{"type", "Feature"}, {"properties", ap}, {"geometry", circle(x.where, air_km)}});
      }
    }
    fc["features"] = feats;
    out << fc.dump() << "\n";
    return;
  }
  Table sites{site_header, {}};
  for (std::size_t j = 0; j < m.sites.size(); ++j) {
    if (s.open[j] || m.sites[j].existing) sites.rows.push_back(site_row(j));
  }
  Table areas{area_header, {}};
  for (const auto& a : r.by_area) areas.rows.push_back(area_row(a));
  if (f == Format::kCsv) {
    (table == "coverage" ? areas : sites).print(out, f);
    return;
  }
  out << "footprint " << m.month.str() << " (" << m.demand.size() << " demand points, level " << m.level << ")\n";
  out << "recommended: " << sites_rec << " sites, " << troops_rec << " troops, covered weight "
      << fmt_double(s.covered, 2) << " of " << fmt_double(r.total_weight, 2) << " (" << fmt_double(100 * share(s.covered, r.total_weight), 1) << "%)\n";
  out << "today:       " << sites_today << " sites, " << troops_today << " troops, covered weight "
      << fmt_double(r.today.covered, 2) << " (" << fmt_double(100 * share(r.today.covered, r.total_weight), 1) << "%)\n";
  out << "solver " << s.solver << " (" << s.status << "): objective " << fmt_double(s.objective, 3) << ", bound "
      << fmt_double(s.bound, 3) << ", gap " << fmt_double(100 * s.gap, 3) << "%, " << fmt_double(s.seconds, 2) << " s; binding:";
  for (const auto& b : binding_json(m, s.binding)) out << " " << b.get<std::string>();
  out << "\n\n";
  Table st{{"name", "existing", "open", "troops", "troops_today", "has_air", "covered_weight"}, {}};
  for (const auto& row : sites.rows) st.rows.push_back({row[1], row[5], row[6], row[7], row[8], row[10], row[11]});
  st.print(out, f);
  out << "\n";
  Table at{{"area", "weight", "share", "share_today", "population_covered", "population_covered_today"}, {}};
  for (const auto& row : areas.rows) at.rows.push_back({row[1], row[3], row[6], row[7], row[8], row[9]});
  at.print(out, f);
}

void print_gaps(std::ostream& out, const Model& m, const GapsResult& r, Format f, std::size_t top) {
  auto areas_of = [&](const std::vector<std::size_t>& pts) {
    std::map<std::string, double> w;
    for (auto i : pts) w[m.demand[i].area_id] += m.demand[i].weight;
    std::vector<std::pair<double, std::string>> v;
    for (const auto& [id, x] : w) v.push_back({-x, id});
    std::sort(v.begin(), v.end());
    std::vector<std::string> names;
    for (const auto& [x, id] : v) {
      for (std::size_t a = 0; a < m.area_ids.size(); ++a) {
        if (m.area_ids[a] == id) names.push_back(m.area_names[a]);
      }
    }
    return names;
  };
  auto localities_of = [&](const std::vector<std::size_t>& pts, std::size_t k) {
    std::vector<std::size_t> v = pts;
    std::stable_sort(v.begin(), v.end(), [&](std::size_t a, std::size_t b) { return m.demand[a].weight > m.demand[b].weight; });
    std::vector<std::string> names;
    for (std::size_t t = 0; t < v.size() && t < k; ++t) names.push_back(m.demand[v[t]].name);
    return names;
  };
  auto join = [](const std::vector<std::string>& v) {
    std::string s;
    for (const auto& x : v) s += (s.empty() ? "" : ";") + x;
    return s;
  };
  const std::vector<std::string> header = {"rank", "id", "name", "weight_lost", "share_lost", "points_lost", "areas", "localities"};
  Table t{header, {}};
  for (std::size_t k = 0; k < r.ranked.size() && (top == 0 || k < top); ++k) {
    const auto& g = r.ranked[k];
    t.rows.push_back({std::to_string(k + 1), m.sites[g.site].id, m.sites[g.site].name, fmt_double(g.weight_lost, 4),
                      fmt_double(share(g.weight_lost, r.covered_today), 4), std::to_string(g.points_lost.size()),
                      join(areas_of(g.points_lost)), join(localities_of(g.points_lost, 5))});
  }
  std::vector<std::size_t> lost_pts;
  if (r.closure) {
    for (const auto& l : r.closure->lost) lost_pts.push_back(l.point);
  }
  if (f == Format::kJson || f == Format::kGeoJson) {
    ordered_json j;
    if (f == Format::kJson) {
      j["objective"] = r.closure ? r.closure->weight_lost : r.covered_today;
      j["bound"] = j["objective"];
      j["gap"] = 0.0;
      j["seconds"] = r.seconds;
      j["solver"] = "evaluate";
      j["binding"] = ordered_json::array();
      ordered_json sites = ordered_json::array();
      for (std::size_t k = 0; k < r.ranked.size() && (top == 0 || k < top); ++k) {
        const auto& g = r.ranked[k];
        sites.push_back({{"rank", k + 1}, {"id", m.sites[g.site].id}, {"name", m.sites[g.site].name},
                         {"latitude", m.sites[g.site].where.lat}, {"longitude", m.sites[g.site].where.lon},
                         {"weight_lost", g.weight_lost}, {"share_lost", share(g.weight_lost, r.covered_today)},
                         {"points_lost", g.points_lost.size()}, {"areas", areas_of(g.points_lost)},
                         {"localities", localities_of(g.points_lost, 10)}});
      }
      j["sites"] = sites;
      ordered_json cov = ordered_json::array();
      if (r.closure) {
        for (const auto& l : r.closure->lost) {
          const auto& d = m.demand[l.point];
          cov.push_back({{"id", d.id}, {"name", d.name}, {"area_id", d.area_id}, {"latitude", d.where.lat},
                         {"longitude", d.where.lon}, {"weight", l.weight}, {"mitigation", l.mitigation},
                         {"air_site", l.air_site ? m.sites[*l.air_site].id : ""}, {"air_hours", l.air_hours}});
        }
      }
      j["coverage"] = cov;
      j["covered_today"] = r.covered_today;
      j["total_weight"] = r.total_weight;
      if (r.closure) {
        ordered_json closed = ordered_json::array();
        for (auto c : r.closed) closed.push_back(m.sites[c].id);
        j["closure"] = {{"closed", closed}, {"weight_before", r.closure->weight_before}, {"weight_after", r.closure->weight_after},
                        {"weight_lost", r.closure->weight_lost}, {"share_lost", share(r.closure->weight_lost, r.closure->weight_before)},
                        {"areas", areas_of(lost_pts)}};
      }
      out << j.dump(2) << "\n";
    } else {
      ordered_json feats = ordered_json::array();
      for (std::size_t k = 0; k < r.ranked.size(); ++k) {
        const auto& g = r.ranked[k];
        const auto& x = m.sites[g.site];
        feats.push_back({{"type", "Feature"},
                         {"properties", {{"kind", "site"}, {"rank", k + 1}, {"id", x.id}, {"name", x.name},
                                         {"weight_lost", g.weight_lost}, {"points_lost", g.points_lost.size()}}},
                         {"geometry", {{"type", "Point"}, {"coordinates", {x.where.lon, x.where.lat}}}}});
      }
      if (r.closure) {
        for (const auto& l : r.closure->lost) {
          const auto& d = m.demand[l.point];
          feats.push_back({{"type", "Feature"},
                           {"properties", {{"kind", "lost"}, {"id", d.id}, {"name", d.name}, {"weight", l.weight},
                                           {"mitigation", l.mitigation}, {"air_site", l.air_site ? m.sites[*l.air_site].id : ""}}},
                           {"geometry", {{"type", "Point"}, {"coordinates", {d.where.lon, d.where.lat}}}}});
        }
      }
      j["type"] = "FeatureCollection";
      j["features"] = feats;
      out << j.dump() << "\n";
    }
    return;
  }
  if (f == Format::kCsv) {
    if (r.closure) {
      Table lt{{"id", "name", "area_id", "latitude", "longitude", "weight", "mitigation", "air_site", "air_hours"}, {}};
      for (const auto& l : r.closure->lost) {
        const auto& d = m.demand[l.point];
        lt.rows.push_back({d.id, d.name, d.area_id, fmt_double(d.where.lat, 6), fmt_double(d.where.lon, 6), fmt_double(l.weight, 4),
                           l.mitigation, l.air_site ? m.sites[*l.air_site].id : "", fmt_double(l.air_hours, 2)});
      }
      lt.print(out, f);
    } else {
      t.print(out, f);
    }
    return;
  }
  out << "protection gaps of today's footprint (" << m.month.str() << "): covered weight " << fmt_double(r.covered_today, 2)
      << " of " << fmt_double(r.total_weight, 2) << "\n";
  Table tt{{"rank", "name", "weight_lost", "share_lost", "points_lost", "areas"}, {}};
  for (const auto& row : t.rows) tt.rows.push_back({row[0], row[2], row[3], row[4], row[5], row[6]});
  tt.print(out, f);
  if (r.closure) {
    const auto& c = *r.closure;
    out << "\nclosing " << r.closed.size() << " site(s): weight lost " << fmt_double(c.weight_lost, 3) << " ("
        << fmt_double(100 * share(c.weight_lost, c.weight_before), 2) << "% of covered), " << c.lost.size()
        << " points lose coverage\n";
    Table lt{{"name", "area", "weight", "mitigation", "air_site", "air_hours"}, {}};
    for (std::size_t k = 0; k < c.lost.size() && k < 30; ++k) {
      const auto& l = c.lost[k];
      lt.rows.push_back({m.demand[l.point].name, m.demand[l.point].area_id, fmt_double(l.weight, 4), l.mitigation,
                         l.air_site ? m.sites[*l.air_site].name : "", l.air_site ? fmt_double(l.air_hours, 2) : ""});
    }
    lt.print(out, f);
  }
}

}  // namespace endstate::cli::footprint_run
