// The footprint through the engine: the coverage model from the store
// (demand points and their population, threat weights, today's sites and
// candidates), the recommended footprint with its troops, protection gaps
// of closures, and OR-Library p-median instances.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <unordered_map>

#include "endstate/core/error.hpp"
#include "endstate/forecast/forecast.hpp"
#include "endstate/geo/area_index.hpp"
#include "endstate/ingest/points.hpp"
#include "endstate/service/engine.hpp"
#include "endstate/threat/picture.hpp"
#include "service/detail/engine_impl.hpp"

namespace endstate::service {

namespace fp = endstate::footprint;

std::string to_string(Demand d) {
  switch (d) {
    case Demand::kAreas:
      return "areas";
    case Demand::kGrid:
      return "grid";
    case Demand::kLocalities:
      return "localities";
  }
  return "areas";
}

std::string to_string(ThreatWeight t) {
  switch (t) {
    case ThreatWeight::kForecast:
      return "forecast";
    case ThreatWeight::kIndex:
      return "index";
    case ThreatWeight::kRecent:
      return "recent";
    case ThreatWeight::kNone:
      return "none";
  }
  return "recent";
}

std::string to_string(Candidates c) {
  switch (c) {
    case Candidates::kDemand:
      return "demand";
    case Candidates::kNone:
      return "none";
    case Candidates::kFile:
      return "file";
  }
  return "demand";
}

std::size_t FootprintModel::find_site(const std::string& key) const {
  for (std::size_t j = 0; j < sites.size(); ++j) {
    if (sites[j].id == key) return j;
  }
  std::vector<std::size_t> hits;
  for (std::size_t j = 0; j < sites.size(); ++j) {
    if (sites[j].name == key) hits.push_back(j);
  }
  if (hits.size() == 1) return hits[0];
  if (hits.size() > 1) {
    throw usage_error("site name '" + key + "' is ambiguous (" + std::to_string(hits.size()) + " sites); use its key");
  }
  throw not_found("no site '" + key + "' (key or name); see endstate sites list");
}

namespace {

void check_model_request(const FootprintModelRequest& o) {
  if (o.threat_months < 1 || o.threat_months > 600)
    throw invalid_field("threat_months", "must be an integer in 1..600");
  if (o.demand == Demand::kLocalities && o.localities_file.empty()) {
    throw invalid_field("localities", "is required with localities as demand points");
  }
  if (o.candidates == Candidates::kFile && o.candidates_file.empty()) {
    throw invalid_field("candidates", "needs a CSV file");
  }
  detail::check_range("default_population", o.default_population, 0, 1e9);
  if (o.candidate_limit > 1000000) throw invalid_field("candidate_limit", "must be an integer in 0..1000000");
  detail::check_range("response_hours", o.coverage.response_hours, 0.01, 1000);
  detail::check_range("road_kmh", o.coverage.reach.road_kmh, 0.1, 1000);
  detail::check_range("detour", o.coverage.reach.detour, 1, 10);
  detail::check_range("air_kmh", o.coverage.reach.air_kmh, 1, 2000);
  detail::check_range("air_prep_hours", o.coverage.reach.air_prep_hours, 0, 100);
  detail::check_range("air_max_km", o.coverage.reach.air_max_km, 0, 5000);
}

/// Threat multiplier per area of `level` (parallel to `area_ids`); see ThreatWeight.
std::vector<double> threat_by_area(store::Database& db, ThreatWeight mode, const std::string& level,
                                   const std::vector<std::string>& area_ids, const std::vector<double>& population,
                                   int months, Month end) {
  std::vector<double> t(area_ids.size(), 1.0);
  switch (mode) {
    case ThreatWeight::kNone:
      return t;
    case ThreatWeight::kForecast: {
      // Expected events of violence against civilians over the next `months`
      // months (the forecast module's best model, on all history up to `end`),
      // per capita: the forward-looking counterpart of "recent".
      const Panel history = detail::load_panel(db, level, std::nullopt, end);
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
    case ThreatWeight::kIndex: {
      // The composite threat index's EWMA level in the month `end` (already a
      // mix of rates per 100,000 and counts; docs/threat.md), floored at 0.
      const Panel panel = detail::load_panel(db, level, end.plus(-(months - 1)), end);
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
    case ThreatWeight::kRecent:
      break;
  }
  const Panel panel = detail::load_panel(db, level, end.plus(-(months - 1)), end);
  for (std::size_t a = 0; a < area_ids.size(); ++a) {
    const auto k = panel.area_index(area_ids[a]);
    double ev = 0;
    if (k) {
      for (std::size_t m = 0; m < panel.month_count(); ++m) {
        ev += panel.at(*k, m).events[index_of(ViolenceType::kOneSided)];
      }
    }
    t[a] = population[a] > 0 ? ev / population[a] : 0.0;
  }
  return t;
}

}  // namespace

FootprintModel Engine::footprint_model(const FootprintModelRequest& o) {
  check_model_request(o);
  auto& db = reader();
  FootprintModel m;
  m.level = detail::level_or_default(db, o.level);
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
    if (!st.last_event) throw not_found("no events in the database; give a month or import events");
    m.month = Month::of(*st.last_event);
  }
  const geo::AreaIndex index(areas);
  std::vector<int> lk;
  auto area_of_point = [&](LatLon p) {
    index.lookup(p, lk);
    return lk.empty() ? -1 : lk[0];
  };
  // --- demand points and population ---
  if (o.demand == Demand::kAreas || o.demand == Demand::kGrid) {
    const std::string dl = o.demand == Demand::kGrid ? "grid" : (o.demand_level.empty() ? m.level : o.demand_level);
    const auto da = dl == m.level ? areas : db.areas(dl, false);
    if (da.empty()) {
      throw not_found("no areas at level '" + dl + "'" + (dl == "grid" ? "; run 'endstate areas grid' first" : ""));
    }
    for (const auto& a : da) {
      fp::DemandPoint d{a.id, a.name, a.centroid, 0, ""};
      const int ai = dl == m.level ? area_of_id[a.id] : area_of_point(a.centroid);
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
  } else {
    const auto pts = ingest::read_points_csv(o.localities_file, true);
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
  }
  if (m.demand.empty()) throw not_found("no demand points inside the areas of level '" + m.level + "'");
  // --- threat weights ---
  std::vector<double> area_pop(areas.size(), 0);
  for (std::size_t i = 0; i < m.demand.size(); ++i) area_pop[m.demand_area[i]] += m.population[i];
  const auto threat = threat_by_area(db, o.threat, m.level, m.area_ids, area_pop, o.threat_months, m.month);
  for (std::size_t i = 0; i < m.demand.size(); ++i) m.demand[i].weight = m.population[i] * threat[m.demand_area[i]];
  // --- today's sites: the active ones ---
  for (const auto& r : active_sites(m.month)) {
    fp::Site s;
    s.id = r.site.key;
    s.name = r.site.name;
    s.where = r.site.where;
    s.existing = true;
    s.troops = r.latest->troops;
    s.police = r.latest->police;
    s.has_air = r.latest->aviation > 0;
    for (const auto& id : r.area_ids) {
      if (area_of_id.count(id)) s.area_id = id;
    }
    m.sites.push_back(std::move(s));
  }
  // --- candidates ---
  if (o.candidates == Candidates::kDemand) {
    std::vector<std::size_t> order(m.demand.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      const double wa = std::max(m.demand[a].weight, 0.0), wb = std::max(m.demand[b].weight, 0.0);
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
  } else if (o.candidates == Candidates::kFile) {
    for (const auto& p : ingest::read_points_csv(o.candidates_file, false)) {
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
  ++impl_->stats.models_built;
  return m;
}

FootprintOptimizeResult Engine::footprint_optimize(const FootprintOptimizeRequest& o) {
  if (!o.ceiling && o.max_sites == 0) throw invalid_field("ceiling", "give a troop ceiling and/or a number of sites");
  if (o.ceiling && (*o.ceiling < 0 || *o.ceiling > 10000000)) throw invalid_field("ceiling", "must be in 0..10000000");
  if (o.max_sites < 0 || o.max_sites > 1000000) throw invalid_field("max_sites", "must be in 0..1000000");
  if (o.min_troops < 0 || o.min_troops > 100000) throw invalid_field("min_troops", "must be in 0..100000");
  if (o.load_per_troop) detail::check_range("load_per_troop", *o.load_per_troop, 1e-12, 1e12);
  detail::check_range("backup_weight", o.backup_weight, 0, 100);
  detail::check_range("time_limit", o.solve.time_limit_s, 0.1, 1e6);
  FootprintOptimizeResult r;
  r.model = footprint_model(o.model);
  const auto& m = r.model;
  fp::CoverProblem p;
  for (const auto& d : m.demand) p.weights.push_back(d.weight);
  p.coverage = m.coverage;
  p.site_troops.assign(m.sites.size(), o.min_troops);
  p.locked.assign(m.sites.size(), false);
  p.forbidden.assign(m.sites.size(), false);
  for (const auto& k : o.lock) p.locked[m.find_site(k)] = true;
  for (const auto& k : o.forbid) p.forbidden[m.find_site(k)] = true;
  if (o.lock_today) {
    for (std::size_t j = 0; j < m.sites.size(); ++j) {
      if (m.sites[j].existing) p.locked[j] = true;
    }
  }
  p.max_sites = o.max_sites;
  p.troop_ceiling = o.ceiling;
  p.load_per_troop = o.load_per_troop;
  p.backup_weight = o.backup_weight;
  r.recommended = fp::solve_cover(p, o.solve);
  ++impl_->stats.solver_calls;
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
      const double sh = static_cast<double>(rest) * r.site_weight[j] / tw;
      const auto fl = static_cast<std::int64_t>(std::floor(sh));
      r.troops[j] += fl;
      given += fl;
      rem.push_back({sh - static_cast<double>(fl), j});
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

FootprintGapsResult Engine::footprint_gaps(const FootprintGapsRequest& req) {
  if (req.mitigation_hours) detail::check_range("mitigation_hours", *req.mitigation_hours, 0, 1000);
  auto mr = req.model;
  mr.candidates = Candidates::kNone;
  FootprintGapsResult g;
  g.model = footprint_model(mr);
  const auto& m = g.model;
  const auto t0 = std::chrono::steady_clock::now();
  g.mitigation_hours = req.mitigation_hours.value_or(2 * m.params.response_hours);
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
  if (!req.close.empty()) {
    for (const auto& k : req.close) {
      const std::size_t j = m.find_site(k);
      if (!open[j])
        throw invalid_field("close", "site '" + k + "' is not in today's footprint (" + m.month.str() + ")");
      g.closed.push_back(j);
    }
    g.closure = fp::closure_gap(m.demand, m.sites, m.coverage, open, g.closed, m.params, g.mitigation_hours);
  }
  g.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return g;
}

PMedianResult Engine::footprint_solve(const PMedianRequest& r) {
  if (r.file.empty()) throw invalid_field("orlib_pmed", "is required (an OR-Library pmed file)");
  detail::check_range("time_limit", r.solve.time_limit_s, 0.1, 1e6);
  const auto inst = fp::read_orlib_pmed(r.file);
  PMedianResult out;
  out.n = inst.n;
  out.p = inst.p;
  out.solution = fp::solve_pmedian(inst, r.solve);
  ++impl_->stats.solver_calls;
  return out;
}

}  // namespace endstate::service
