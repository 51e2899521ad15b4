// Writers of the transition planner: plan run, plan compare, plan validate.
#include "endstate/io/plan.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "endstate/core/error.hpp"
#include "io/detail/geojson.hpp"
#include "io/detail/json.hpp"

namespace endstate::io {

namespace fp = endstate::footprint;
namespace pl = endstate::plan;
using detail::Json;

namespace {

double share(double a, double b) { return b > 0 ? a / b : 0.0; }

std::string lock_name(pl::Lock l) {
  switch (l) {
    case pl::Lock::kPlan:
      return "plan";
    case pl::Lock::kUntilExit:
      return "until_exit";
    case pl::Lock::kNone:
      break;
  }
  return "none";
}

/// "open" (kept from the phase before), "opened", "closed" (at this phase's start), "" (not there).
bool found(const service::PlanResult& r);

/// "open", "opened", "closed" (in the phase it closes), "" (closed before, or no plan found).
std::string status_at(const service::PlanResult& r, std::size_t t, std::size_t j) {
  if (!found(r)) return "";
  const auto& open = r.solution.open;
  const bool prev = t == 0 ? r.problem.sites[j].existing : open[t - 1][j] != 0;
  const bool now = open[t][j] != 0;
  if (now) return prev ? "open" : "opened";
  return prev ? "closed" : "";
}

bool found(const service::PlanResult& r) { return r.report.has_value(); }

std::string province_name(const service::PlanResult& r, int a) {
  return a >= 0 ? r.problem.provinces[static_cast<std::size_t>(a)] : std::string();
}

std::vector<std::string> exits_in(const service::PlanResult& r, std::size_t t) {
  std::vector<std::string> v;
  for (const auto& e : r.exits) {
    if (e.phase == static_cast<int>(t)) v.push_back(e.name);
  }
  return v;
}

std::vector<std::string> triggers_in(const service::PlanResult& r, std::size_t t) {
  std::vector<std::string> v;
  for (const auto& g : r.triggers) {
    if (g.phase == t) v.push_back(g.name);
  }
  return v;
}

Cell opt_int(const std::vector<std::int64_t>& v, std::size_t t) { return v.empty() ? Cell() : Cell(v[t]); }

Cell month_cell(const std::optional<Month>& m) { return m ? Cell(m->str()) : Cell(); }

std::string iso_first(Month m) { return m.str() + "-01"; }
std::string iso_last(Month m) {
  const Date d = m.last_day();
  char b[16];
  std::snprintf(b, sizeof b, "%04d-%02d-%02d", d.year(), d.month(), d.day());
  return b;
}

/// Sites worth listing: today's bases and every base open in some phase.
std::vector<std::size_t> listed_sites(const service::PlanResult& r) {
  std::vector<std::size_t> v;
  for (std::size_t j = 0; j < r.problem.sites.size(); ++j) {
    bool any = r.problem.sites[j].existing;
    for (std::size_t t = 0; found(r) && t < r.phases.size() && !any; ++t) any = r.solution.open[t][j] != 0;
    if (any) v.push_back(j);
  }
  return v;
}

Json solver_json(const service::PlanResult& r) {
  const auto& s = r.solution;
  return {{"solver", s.solver},
          {"status", fp::to_string(s.status)},
          {"objective", s.objective},
          {"bound", s.bound},
          {"gap", s.gap},
          {"seconds", s.seconds},
          {"binding", s.binding},
          {"milp_columns", s.milp_columns},
          {"milp_rows", s.milp_rows}};
}

Json plan_header(const service::PlanResult& r) {
  const auto& sp = r.spec;
  return {{"id", sp.id},
          {"name", sp.name},
          {"file", sp.file},
          {"policy", pl::to_string(sp.policy)},
          {"stakeholders", r.stakeholders},
          {"sustain_months", sp.sustain_months},
          {"max_delay_months", sp.policy == pl::Policy::kHybrid ? Json(sp.max_delay_months) : Json()},
          {"start", r.phases.front().from.str()},
          {"end", r.phases.back().to.str()},
          {"phases", r.phases.size()},
          {"level", r.level},
          {"data_last", r.data_last.str()},
          {"today", r.today.str()},
          {"framework_version", r.framework_version ? Json(*r.framework_version) : Json()},
          {"currency", sp.currency}};
}

}  // namespace

Table plan_phases_table(const service::PlanResult& r) {
  Table t({{"phase"},
           {"from"},
           {"to"},
           {"budget_year"},
           {"months"},
           {"threat_source"},
           {"troop_ceiling"},
           {"troops"},
           {"sites_open"},
           {"opened"},
           {"closed"},
           {"exits"},
           {"responsibility", 3},
           {"covered", 3},
           {"share", 4},
           {"gap", 3},
           {"handed_over", 3},
           {"population_lost", 0},
           {"population_air", 0},
           {"police_needed"},
           {"police"},
           {"police_shortfall"},
           {"civilians_needed"},
           {"civilians"},
           {"civilians_shortfall"},
           {"triggers"}});
  for (std::size_t k = 0; k < r.phases.size(); ++k) {
    const auto& ph = r.phases[k];
    std::vector<Cell> row{static_cast<std::int64_t>(k + 1),
                          ph.from.str(),
                          ph.to.str(),
                          pl::budget_year(ph.from),
                          static_cast<std::int64_t>(ph.months()),
                          r.threat_source[k],
                          r.problem.troop_ceiling[k]};
    if (found(r)) {
      const auto& x = r.report->phases[k];
      for (const Cell& c : {Cell(x.troops_total), Cell(x.sites_open), Cell(x.opened), Cell(x.closed)}) row.push_back(c);
      row.emplace_back(exits_in(r, k));
      for (const Cell& c :
           {Cell(x.responsibility), Cell(x.covered), Cell(share(x.covered, x.responsibility)), Cell(x.gap),
            Cell(x.handed_over), Cell(x.population_lost), Cell(x.population_air), Cell(x.police_needed), Cell(x.police),
            Cell(x.police_shortfall), Cell(x.civilians_needed), Cell(x.civilians), Cell(x.civilians_shortfall)}) {
        row.push_back(c);
      }
    } else {
      for (int c = 0; c < 4; ++c) row.emplace_back();
      row.emplace_back(exits_in(r, k));
      for (int c = 0; c < 13; ++c) row.emplace_back();
    }
    row.emplace_back(triggers_in(r, k));
    t.add(std::move(row));
  }
  return t;
}

Table plan_matrix_table(const service::PlanResult& r) {
  std::vector<Column> cols{{"id"},   {"name"},    {"province"},  {"existing"}, {"hq"},
                           {"lock"}, {"has_air"}, {"open_from"}, {"open_to"}};
  for (const auto& ph : r.phases) cols.push_back({ph.from.str()});
  Table t(cols);
  for (std::size_t j : listed_sites(r)) {
    const auto& s = r.problem.sites[j];
    const auto& site = r.model.sites[j];
    std::optional<Month> from, to;
    for (std::size_t k = 0; k < r.phases.size(); ++k) {
      if (!found(r) || !r.solution.open[k][j]) continue;
      if (!from) from = r.phases[k].from;
      to = r.phases[k].to;
    }
    std::vector<Cell> row{s.id,
                          s.name,
                          province_name(r, s.province),
                          s.existing,
                          static_cast<std::int64_t>(r.site_hq[j]),
                          lock_name(s.lock),
                          site.has_air,
                          month_cell(from),
                          month_cell(to)};
    for (std::size_t k = 0; k < r.phases.size(); ++k) {
      if (found(r)) {
        row.emplace_back(r.report->phases[k].troops[j]);
      } else {
        row.emplace_back();
      }
    }
    t.add(std::move(row));
  }
  return t;
}

Table plan_provinces_table(const service::PlanResult& r) {
  Table t({{"area_id"},
           {"province"},
           {"exit_month"},
           {"reason"},
           {"date"},
           {"ready_from"},
           {"ready_projected"},
           {"ready_at_exit"},
           {"paused"},
           {"why"}});
  for (const auto& e : r.exits) {
    t.add({e.area_id, e.name, month_cell(e.month), e.reason, month_cell(e.date), month_cell(e.ready_from),
           e.ready_projected, e.ready_at_exit ? Cell(*e.ready_at_exit) : Cell(), e.paused, e.why});
  }
  return t;
}

Table plan_closures_table(const service::PlanResult& r) {
  Table t({{"phase"},
           {"month"},
           {"site_id"},
           {"site"},
           {"province"},
           {"exit"},
           {"localities_lost"},
           {"weight_lost", 4},
           {"population_lost", 0},
           {"by_air"},
           {"police"},
           {"civilians"},
           {"monthly_cost", 0},
           {"localities"},
           {"air_sites"}});
  if (!found(r)) return t;
  for (const auto& c : r.report->closures) {
    const auto& s = r.problem.sites[c.site];
    std::vector<std::string> names, air;
    for (std::size_t k = 0; k < c.lost.size(); ++k) {
      if (k < 10) names.push_back(r.model.demand[c.lost[k].point].name);
      if (c.lost[k].air_site) {
        const auto& a = r.problem.sites[*c.lost[k].air_site].name;
        if (std::find(air.begin(), air.end(), a) == air.end()) air.push_back(a);
      }
    }
    t.add({static_cast<std::int64_t>(c.phase + 1), r.phases[c.phase].from.str(), s.id, s.name,
           province_name(r, s.province), c.exit, static_cast<std::int64_t>(c.lost.size()), c.weight_lost,
           c.population_lost, static_cast<std::int64_t>(c.by_air), c.police, c.civilians, c.monthly_cost, names, air});
  }
  return t;
}

Table plan_costs_table(const service::PlanResult& r) {
  Table t({{"budget_year"},
           {"months"},
           {"troops", 0},
           {"police", 0},
           {"civilians", 0},
           {"bases", 0},
           {"closures", 0},
           {"openings", 0},
           {"total", 0}});
  if (!found(r)) return t;
  for (const auto& c : r.report->costs) {
    t.add({c.year, static_cast<std::int64_t>(c.months), c.troops, c.police, c.civilians, c.bases, c.closures,
           c.openings, c.total()});
  }
  return t;
}

void write(std::ostream& out, const service::PlanResult& r, const WriteOptions& o) {
  const std::string view = o.view;
  if (o.format == Format::kJson) {
    if (!view.empty()) throw invalid_field("view", "--format json writes every part; no view");
    Json j = detail::document("plan");
    j["plan"] = plan_header(r);
    detail::merge(j, solver_json(r));
    Json phases = detail::rows_json(plan_phases_table(r));
    // ceilings of police and civilians as the plan states them
    for (std::size_t k = 0; k < r.phases.size(); ++k) {
      phases[k]["police_ceiling"] = Json();
      phases[k]["civilian_ceiling"] = Json();
      phases[k]["max_closures"] = r.problem.closure_limit(k) >= 0 ? Json(r.problem.closure_limit(k)) : Json();
    }
    if (r.spec.police.given()) {
      const auto v = pl::per_phase(r.spec, r.spec.police, r.phases.size());
      for (std::size_t k = 0; k < r.phases.size(); ++k) phases[k]["police_ceiling"] = v[k];
    }
    if (r.spec.civilians.given()) {
      const auto v = pl::per_phase(r.spec, r.spec.civilians, r.phases.size());
      for (std::size_t k = 0; k < r.phases.size(); ++k) phases[k]["civilian_ceiling"] = v[k];
    }
    j["phases"] = std::move(phases);
    Json provinces = Json::array();
    for (std::size_t a = 0; a < r.exits.size(); ++a) {
      const auto& e = r.exits[a];
      Json threat = Json::array();
      for (std::size_t k = 0; k < r.phases.size(); ++k) threat.push_back(r.threat[k][a]);
      provinces.push_back({{"area_id", e.area_id},
                           {"name", e.name},
                           {"exit_phase", e.phase >= 0 ? Json(e.phase + 1) : Json()},
                           {"exit_month", e.month ? Json(e.month->str()) : Json()},
                           {"reason", e.reason},
                           {"why", e.why},
                           {"date", e.date ? Json(e.date->str()) : Json()},
                           {"ready_from", e.ready_from ? Json(e.ready_from->str()) : Json()},
                           {"ready_projected", e.ready_projected},
                           {"ready_at_exit", e.ready_at_exit ? Json(*e.ready_at_exit) : Json()},
                           {"paused", e.paused},
                           {"threat", threat}});
    }
    j["provinces"] = std::move(provinces);
    Json sites = Json::array();
    for (std::size_t j2 : listed_sites(r)) {
      const auto& s = r.problem.sites[j2];
      const auto& site = r.model.sites[j2];
      Json troops = Json::array(), status = Json::array();
      for (std::size_t k = 0; k < r.phases.size(); ++k) {
        troops.push_back(found(r) ? Json(r.report->phases[k].troops[j2]) : Json());
        const auto st = status_at(r, k, j2);
        status.push_back(st.empty() ? Json() : Json(st));
      }
      sites.push_back({{"id", s.id},
                       {"name", s.name},
                       {"area_id", site.area_id},
                       {"province", province_name(r, s.province)},
                       {"latitude", site.where.lat},
                       {"longitude", site.where.lon},
                       {"existing", s.existing},
                       {"hq", r.site_hq[j2]},
                       {"has_air", site.has_air},
                       {"lock", lock_name(s.lock)},
                       {"forbidden", s.forbidden},
                       {"min_troops", s.troops},
                       {"troops", troops},
                       {"status", status}});
    }
    j["sites"] = std::move(sites);
    Json closures = Json::array();
    if (found(r)) {
      for (const auto& c : r.report->closures) {
        const auto& s = r.problem.sites[c.site];
        Json lost = Json::array();
        for (const auto& lp : c.lost) {
          const auto& d = r.model.demand[lp.point];
          lost.push_back({{"id", d.id},
                          {"name", d.name},
                          {"area_id", d.area_id},
                          {"latitude", d.where.lat},
                          {"longitude", d.where.lon},
                          {"weight", lp.weight},
                          {"population", lp.population},
                          {"mitigation", lp.mitigation},
                          {"air_site", lp.air_site ? Json(r.problem.sites[*lp.air_site].id) : Json()},
                          {"air_hours", lp.air_site ? Json(lp.air_hours) : Json()}});
        }
        closures.push_back({{"phase", c.phase + 1},
                            {"month", r.phases[c.phase].from.str()},
                            {"site_id", s.id},
                            {"site", s.name},
                            {"province", province_name(r, s.province)},
                            {"exit", c.exit},
                            {"weight_lost", c.weight_lost},
                            {"population_lost", c.population_lost},
                            {"by_air", c.by_air},
                            {"police", c.police},
                            {"civilians", c.civilians},
                            {"monthly_cost", c.monthly_cost},
                            {"localities", lost}});
      }
    }
    j["closures"] = std::move(closures);
    j["costs"] = detail::rows_json(plan_costs_table(r));
    if (found(r)) {
      j["totals"] = {{"troop_months", r.report->troop_months},
                     {"police_months", r.report->police_months},
                     {"civilian_months", r.report->civilian_months},
                     {"base_months", r.report->base_months},
                     {"cost", r.report->total_cost()}};
    } else {
      j["totals"] = {{"troop_months", Json()},
                     {"police_months", Json()},
                     {"civilian_months", Json()},
                     {"base_months", Json()},
                     {"cost", Json()}};
    }
    Json trig = Json::array();
    for (const auto& g : r.triggers) {
      trig.push_back({{"area_id", g.area_id},
                      {"name", g.name},
                      {"phase", g.phase + 1},
                      {"month", r.phases[g.phase].from.str()},
                      {"reason", g.reason}});
    }
    j["triggers"] = std::move(trig);
    std::size_t bases = 0;
    for (const auto& s : r.problem.sites) bases += s.existing ? 1 : 0;
    j["model"] = {{"demand_points", r.model.demand.size()},
                  {"bases", bases},
                  {"candidates", r.problem.sites.size() - bases},
                  {"police_posts", r.police_posts},
                  {"coverage_pairs", r.problem.coverage.pairs()},
                  {"response_hours", r.spec.response_hours},
                  {"mitigation_hours", r.spec.mitigation_hours.value_or(2 * r.spec.response_hours)}};
    detail::write_json(out, j);
    return;
  }
  if (o.format == Format::kGeoJson) {
    const std::string layer = view.empty() ? "sites" : view;
    if (layer == "sites") {
      detail::FeatureCollection fc(out, "plan_sites");
      for (std::size_t j2 : listed_sites(r)) {
        const auto& s = r.problem.sites[j2];
        const auto& site = r.model.sites[j2];
        for (std::size_t k = 0; k < r.phases.size(); ++k) {
          const auto st = status_at(r, k, j2);
          if (st.empty()) continue;
          Json p = {{"phase", k + 1},
                    {"start", iso_first(r.phases[k].from)},
                    {"end", iso_last(r.phases[k].to)},
                    {"month", r.phases[k].from.str()},
                    {"id", s.id},
                    {"name", s.name},
                    {"province", province_name(r, s.province)},
                    {"status", st},
                    {"existing", s.existing},
                    {"has_air", site.has_air},
                    {"lock", lock_name(s.lock)},
                    {"troops", found(r) ? Json(r.report->phases[k].troops[j2]) : Json()}};
          fc.add(p, detail::point_geometry(site.where));
        }
      }
      return;
    }
    if (layer == "provinces") {
      if (r.shapes.empty())
        throw invalid_field("view", "the provinces layer needs the province shapes (with_geometry)");
      const detail::ShapeIndex shapes(r.shapes);
      detail::FeatureCollection fc(out, "plan_provinces");
      for (std::size_t a = 0; a < r.exits.size(); ++a) {
        const auto& e = r.exits[a];
        const std::string geom = shapes.geometry(e.area_id);
        for (std::size_t k = 0; k < r.phases.size(); ++k) {
          Json bases;  // null when no plan was found
          if (found(r)) {
            std::int64_t n = 0;
            for (std::size_t j2 = 0; j2 < r.problem.sites.size(); ++j2) {
              if (r.problem.sites[j2].province == static_cast<int>(a) && r.solution.open[k][j2]) ++n;
            }
            bases = n;
          }
          const bool exited = e.phase >= 0 && static_cast<int>(k) >= e.phase;
          bool fired = false;
          for (const auto& g : r.triggers) fired |= g.phase == k && g.area_id == e.area_id;
          Json p = {{"phase", k + 1},
                    {"start", iso_first(r.phases[k].from)},
                    {"end", iso_last(r.phases[k].to)},
                    {"month", r.phases[k].from.str()},
                    {"area_id", e.area_id},
                    {"name", e.name},
                    {"status", exited ? (static_cast<int>(k) == e.phase ? "exiting" : "exited") : "present"},
                    {"bases", bases},
                    {"threat", r.threat[k][a]},
                    {"trigger", fired},
                    {"exit_month", e.month ? Json(e.month->str()) : Json()},
                    {"reason", e.reason}};
          fc.add(p, geom);
        }
      }
      return;
    }
    throw invalid_field("view", "GeoJSON layers: sites or provinces (got '" + layer + "')");
  }
  if (o.format == Format::kCsv) {
    const std::string v = view.empty() ? "sites" : view;
    if (v == "sites") {
      detail::write_table(out, plan_matrix_table(r), o, Json(), "");
    } else if (v == "phases") {
      detail::write_table(out, plan_phases_table(r), o, Json(), "");
    } else if (v == "provinces") {
      detail::write_table(out, plan_provinces_table(r), o, Json(), "");
    } else if (v == "closures") {
      detail::write_table(out, plan_closures_table(r), o, Json(), "");
    } else if (v == "costs") {
      detail::write_table(out, plan_costs_table(r), o, Json(), "");
    } else {
      throw invalid_field("view", "CSV tables: sites, phases, provinces, closures or costs (got '" + v + "')");
    }
    return;
  }
  // table: the plan in words and numbers
  if (!view.empty()) throw invalid_field("view", "views are for --format csv and geojson");
  const auto& s = r.solution;
  out << "plan " << r.spec.id << " (" << pl::to_string(r.spec.policy) << "): " << r.phases.front().from.str() << " to "
      << r.phases.back().to.str() << ", " << r.phases.size() << " phases, level " << r.level << "; data to "
      << r.data_last.str() << ", today's bases " << r.today.str() << "\n";
  out << "solver " << s.solver << " (" << fp::to_string(s.status) << "): objective " << format_number(s.objective, 3)
      << ", bound " << format_number(s.bound, 3) << ", gap " << format_number(100 * s.gap, 3) << "%, "
      << format_number(s.seconds, 2) << " s; binding:";
  for (const auto& b : s.binding) out << " " << b;
  out << "\n\n";
  if (found(r)) {
    Table pt({{"phase"},
              {"budget_year"},
              {"troop_ceiling"},
              {"sites"},
              {"opened"},
              {"closed"},
              {"exits"},
              {"covered_pct", 1},
              {"gap", 2},
              {"police"},
              {"civilians"},
              {"triggers"}});
    const auto full = plan_phases_table(r);
    for (std::size_t k = 0; k < r.phases.size(); ++k) {
      const auto& x = r.report->phases[k];
      pt.add({r.phases[k].label(), pl::budget_year(r.phases[k].from), r.problem.troop_ceiling[k], x.sites_open,
              x.opened, x.closed, exits_in(r, k), 100 * share(x.covered, x.responsibility), x.gap, x.police,
              x.civilians, triggers_in(r, k)});
    }
    detail::write_table(out, pt, o, Json(), "");
  } else {
    out << "no plan: the constraints named above conflict\n";
  }
  out << "\n";
  Table et({{"province"}, {"exit"}, {"why"}});
  for (const auto& e : r.exits) et.add({e.name, e.month ? Cell(e.month->str()) : Cell(std::string("--")), e.why});
  detail::write_table(out, et, o, Json(), "");
  if (!found(r)) return;
  out << "\n";
  Table ct({{"month"}, {"site"}, {"province"}, {"exit"}, {"localities_lost"}, {"by_air"}, {"police"}, {"civilians"}});
  for (const auto& c : r.report->closures) {
    const auto& st = r.problem.sites[c.site];
    ct.add({r.phases[c.phase].from.str(), st.name, province_name(r, st.province), c.exit,
            static_cast<std::int64_t>(c.lost.size()), static_cast<std::int64_t>(c.by_air), c.police, c.civilians});
  }
  if (!ct.rows.empty()) {
    detail::write_table(out, ct, o, Json(), "");
    out << "\n";
  }
  detail::write_table(out, plan_costs_table(r), o, Json(), "");
  out << "total " << format_number(r.report->total_cost(), 0) << " " << r.spec.currency << "; troop-months "
      << format_number(r.report->troop_months, 0) << "\n";
}

// --- compare --------------------------------------------------------------------------

Table plan_compare_provinces_table(const service::PlanCompareResult& r) {
  Table t({{"area_id"},
           {"province"},
           {"a_exit"},
           {"a_reason"},
           {"a_ready_at_exit"},
           {"b_exit"},
           {"b_reason"},
           {"b_ready_at_exit"},
           {"ready_from"}});
  for (std::size_t a = 0; a < r.a.exits.size(); ++a) {
    const auto& x = r.a.exits[a];
    const service::ProvinceExit* y = nullptr;
    for (const auto& e : r.b.exits) {
      if (e.area_id == x.area_id) y = &e;
    }
    auto ready_cell = [](const service::ProvinceExit* e) {
      return e && e->ready_at_exit ? Cell(*e->ready_at_exit) : Cell();
    };
    t.add({x.area_id, x.name, month_cell(x.month), x.reason, ready_cell(&x), y ? month_cell(y->month) : Cell(),
           y ? Cell(y->reason) : Cell(), ready_cell(y), month_cell(x.ready_from)});
  }
  return t;
}

Table plan_compare_phases_table(const service::PlanCompareResult& r) {
  Table t({{"month"},
           {"a_troops"},
           {"b_troops"},
           {"a_sites"},
           {"b_sites"},
           {"a_share", 4},
           {"b_share", 4},
           {"a_gap", 3},
           {"b_gap", 3},
           {"a_handed_over", 3},
           {"b_handed_over", 3},
           {"a_police"},
           {"b_police"}});
  std::set<Month> months;
  for (const auto& ph : r.a.phases) months.insert(ph.from);
  for (const auto& ph : r.b.phases) months.insert(ph.from);
  auto at = [](const service::PlanResult& x, Month m) -> const pl::PhaseReport* {
    if (!x.report) return nullptr;
    for (std::size_t k = 0; k < x.phases.size(); ++k) {
      if (x.phases[k].from == m) return &x.report->phases[k];
    }
    return nullptr;
  };
  for (Month m : months) {
    const auto* pa = at(r.a, m);
    const auto* pb = at(r.b, m);
    auto num = [](const pl::PhaseReport* p, auto f) { return p ? Cell(f(*p)) : Cell(); };
    t.add({m.str(), num(pa, [](const auto& p) { return p.troops_total; }),
           num(pb, [](const auto& p) { return p.troops_total; }), num(pa, [](const auto& p) { return p.sites_open; }),
           num(pb, [](const auto& p) { return p.sites_open; }),
           num(pa, [](const auto& p) { return share(p.covered, p.responsibility); }),
           num(pb, [](const auto& p) { return share(p.covered, p.responsibility); }),
           num(pa, [](const auto& p) { return p.gap; }), num(pb, [](const auto& p) { return p.gap; }),
           num(pa, [](const auto& p) { return p.handed_over; }), num(pb, [](const auto& p) { return p.handed_over; }),
           num(pa, [](const auto& p) { return p.police; }), num(pb, [](const auto& p) { return p.police; })});
  }
  return t;
}

Table plan_compare_totals_table(const service::PlanCompareResult& r) {
  Table t({{"plan"},
           {"file"},
           {"policy"},
           {"status"},
           {"exits"},
           {"exited_before_ready"},
           {"covered", 3},
           {"gap", 3},
           {"handed_over", 3},
           {"troop_months", 0},
           {"police_months", 0},
           {"civilian_months", 0},
           {"base_months", 0},
           {"cost", 0}});
  for (const auto* x : {&r.a, &r.b}) {
    std::int64_t exits = 0, early = 0;
    for (const auto& e : x->exits) {
      exits += e.month ? 1 : 0;
      early += e.ready_at_exit && !*e.ready_at_exit ? 1 : 0;
    }
    double covered = 0, gap = 0, handed = 0;
    if (x->report) {
      for (const auto& p : x->report->phases) {
        covered += p.covered;
        gap += p.gap;
        handed += p.handed_over;
      }
    }
    const bool ok = x->report.has_value();
    t.add({x->spec.id, x->spec.file, pl::to_string(x->spec.policy), fp::to_string(x->solution.status), exits,
           x->framework_version ? Cell(early) : Cell(), ok ? Cell(covered) : Cell(), ok ? Cell(gap) : Cell(),
           ok ? Cell(handed) : Cell(), ok ? Cell(x->report->troop_months) : Cell(),
           ok ? Cell(x->report->police_months) : Cell(), ok ? Cell(x->report->civilian_months) : Cell(),
           ok ? Cell(x->report->base_months) : Cell(), ok ? Cell(x->report->total_cost()) : Cell()});
  }
  return t;
}

void write(std::ostream& out, const service::PlanCompareResult& r, const WriteOptions& o) {
  const auto prov = plan_compare_provinces_table(r);
  const auto phases = plan_compare_phases_table(r);
  const auto totals = plan_compare_totals_table(r);
  if (o.format == Format::kGeoJson) throw invalid_field("format", "plan compare has no GeoJSON form; use plan run");
  if (o.format == Format::kJson) {
    if (!o.view.empty()) throw invalid_field("view", "--format json writes every part; no view");
    Json j = detail::document("plan_compare");
    Json a = plan_header(r.a), b = plan_header(r.b);
    detail::merge(a, solver_json(r.a));
    detail::merge(b, solver_json(r.b));
    j["a"] = std::move(a);
    j["b"] = std::move(b);
    j["provinces"] = detail::rows_json(prov);
    j["phases"] = detail::rows_json(phases);
    j["totals"] = detail::rows_json(totals);
    detail::write_json(out, j);
    return;
  }
  if (o.format == Format::kCsv) {
    const std::string v = o.view.empty() ? "provinces" : o.view;
    if (v == "provinces") {
      detail::write_table(out, prov, o, Json(), "");
    } else if (v == "phases") {
      detail::write_table(out, phases, o, Json(), "");
    } else if (v == "totals") {
      detail::write_table(out, totals, o, Json(), "");
    } else {
      throw invalid_field("view", "CSV tables: provinces, phases or totals (got '" + v + "')");
    }
    return;
  }
  if (!o.view.empty()) throw invalid_field("view", "views are for --format csv");
  out << "A: " << r.a.spec.id << " (" << pl::to_string(r.a.spec.policy) << ", " << r.a.spec.file << ")\n"
      << "B: " << r.b.spec.id << " (" << pl::to_string(r.b.spec.policy) << ", " << r.b.spec.file << ")\n\n";
  Table pt({{"province"}, {"A exit"}, {"A why"}, {"B exit"}, {"B why"}});
  for (std::size_t a = 0; a < r.a.exits.size(); ++a) {
    const auto& x = r.a.exits[a];
    std::string bm = "--", bw;
    for (const auto& e : r.b.exits) {
      if (e.area_id != x.area_id) continue;
      bm = e.month ? e.month->str() : "--";
      bw = e.reason + (e.ready_at_exit && !*e.ready_at_exit ? " (not ready)" : "");
    }
    pt.add({x.name, x.month ? x.month->str() : std::string("--"),
            x.reason + (x.ready_at_exit && !*x.ready_at_exit ? " (not ready)" : ""), bm, bw});
  }
  detail::write_table(out, pt, o, Json(), "");
  out << "\n";
  detail::write_table(out, phases, o, Json(), "");
  out << "\n";
  Table tt({{"plan"},
            {"status"},
            {"exits"},
            {"exited_before_ready"},
            {"covered", 2},
            {"gap", 2},
            {"handed_over", 2},
            {"troop_months", 0},
            {"cost", 0}});
  for (const auto& row : totals.rows) tt.add({row[0], row[3], row[4], row[5], row[6], row[7], row[8], row[9], row[13]});
  detail::write_table(out, tt, o, Json(), "");
}

// --- validate -------------------------------------------------------------------------

void write(std::ostream& out, const service::PlanValidateResult& r, const WriteOptions& o) {
  if (o.format == Format::kGeoJson || o.format == Format::kCsv) {
    throw invalid_field("format", "plan validate writes a table or JSON");
  }
  Table pt({{"phase"},
            {"from"},
            {"to"},
            {"budget_year"},
            {"troop_ceiling"},
            {"police_ceiling"},
            {"civilian_ceiling"},
            {"max_closures"}});
  for (std::size_t k = 0; k < r.phases.size(); ++k) {
    pt.add({static_cast<std::int64_t>(k + 1), r.phases[k].from.str(), r.phases[k].to.str(),
            pl::budget_year(r.phases[k].from), r.troops[k], opt_int(r.police, k), opt_int(r.civilians, k),
            opt_int(r.max_closures, k)});
  }
  if (o.format == Format::kJson) {
    Json j = detail::document("plan_validate");
    j["plan"] = {{"id", r.spec.id},
                 {"name", r.spec.name},
                 {"file", r.spec.file},
                 {"policy", pl::to_string(r.spec.policy)},
                 {"stakeholders", r.stakeholders},
                 {"level", r.level},
                 {"data_last", r.data_last.str()},
                 {"today", r.today.str()},
                 {"framework_version", r.framework_version ? Json(*r.framework_version) : Json()}};
    j["phases"] = detail::rows_json(pt);
    Json dates = Json::array();
    for (const auto& [p, ph] : r.exit_dates) dates.push_back({{"province", p}, {"phase", ph}});
    j["exit_dates"] = dates;
    j["provinces"] = r.provinces;
    j["locked"] = r.locked;
    j["until_exit"] = r.until_exit;
    j["forbidden"] = r.forbidden;
    j["bases"] = r.bases;
    j["candidates"] = r.candidates;
    j["police_posts"] = r.police_posts;
    j["demand_points"] = r.demand_points;
    detail::write_json(out, j);
    return;
  }
  out << "plan " << r.spec.id << " (" << pl::to_string(r.spec.policy) << ") is valid against the database: level "
      << r.level << ", data to " << r.data_last.str() << ", today's bases " << r.today.str() << "\n"
      << r.bases << " bases (" << r.police_posts << " police posts left out), " << r.candidates << " candidates, "
      << r.demand_points << " demand points\n";
  if (!r.stakeholders.empty()) {
    out << "readiness of: ";
    for (std::size_t k = 0; k < r.stakeholders.size(); ++k) out << (k ? ", " : "") << r.stakeholders[k];
    out << " (framework version " << *r.framework_version << ")\n";
  }
  auto list = [&](const char* what, const std::vector<std::string>& v) {
    if (v.empty()) return;
    out << what << ": ";
    for (std::size_t k = 0; k < v.size(); ++k) out << (k ? ", " : "") << v[k];
    out << "\n";
  };
  list("locked for the plan", r.locked);
  list("locked until their province exits", r.until_exit);
  list("forbidden", r.forbidden);
  for (const auto& [p, ph] : r.exit_dates) out << "exit " << p << ": " << ph << "\n";
  out << "\n";
  detail::write_table(out, pt, o, Json(), "");
}

}  // namespace endstate::io
