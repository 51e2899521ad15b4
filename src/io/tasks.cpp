// Writers of the mandate tasks: handovers, timeline (task x period), risks,
// shortfall per budget year, partners, sequence, continuity (table, CSV,
// JSON, GeoJSON).
#include "endstate/io/tasks.hpp"

#include <algorithm>
#include <iterator>

#include "endstate/core/error.hpp"
#include "io/detail/geojson.hpp"
#include "io/detail/json.hpp"

namespace endstate::io {

namespace tk = endstate::tasks;
using detail::Json;

namespace {

const tk::Task& task_of(const service::TasksResult& r, const tk::Item& it) { return r.reg.tasks[it.task]; }
const tk::Place& place_of(const service::TasksResult& r, const tk::Item& it) {
  return r.context.task_places[it.task][it.place];
}
std::string province_name(const service::TasksResult& r, int p) {
  return p >= 0 ? r.context.provinces[static_cast<std::size_t>(p)].name : std::string();
}
Cell month_cell(const std::optional<Month>& m) { return m ? Cell(m->str()) : Cell(); }
Cell opt_number(const std::optional<double>& v) { return v ? Cell(*v) : Cell(); }

/// "capacity:0@1" -> "capacity:unct@2026/27".
std::string binding_name(const service::TasksResult& r, const std::string& b) {
  const auto colon = b.find(':'), at = b.find('@');
  if (colon == std::string::npos || at == std::string::npos) return b;
  try {
    const auto p = std::stoul(b.substr(colon + 1, at - colon - 1));
    const auto y = std::stoul(b.substr(at + 1));
    if (p < r.reg.partners.size() && y < r.reg.years.size()) {
      return b.substr(0, colon) + ":" + r.reg.partners[p].id + "@" + r.reg.years[y].label();
    }
  } catch (const std::exception&) {
  }
  return b;
}

std::string timeline_cell(const service::TasksResult& r, const tk::Item& it, std::size_t q) {
  const auto& per = r.analysis.periods[q];
  const auto& t = task_of(r, it);
  switch (it.status) {
    case tk::ItemStatus::kContinues:
      return "mission";
    case tk::ItemStatus::kEnds:
      return per.from < *it.exit ? "mission" : "ended";
    case tk::ItemStatus::kHandedOver:
      if (static_cast<int>(q) < it.period) return "mission";
      return static_cast<int>(q) == it.period ? "handover" : "partner";
    case tk::ItemStatus::kAtRisk:
      if (per.from < *it.exit) return "mission";
      return t.handover.partner.empty() ? "uncovered" : "forced";
  }
  return "";
}

Json contact_json(const tk::Contact& c) {
  auto s = [](const std::string& v) { return v.empty() ? Json() : Json(v); };
  return {
      {"name", s(c.name)}, {"role", s(c.role)}, {"phone", s(c.phone)}, {"radio", s(c.radio)}, {"email", s(c.email)}};
}

Json mechanism_json(const tk::Register& reg, std::size_t e) {
  const auto& x = reg.continuity[e];
  return {{"kind", tk::to_string(x.kind)},
          {"name", x.name},
          {"run_by", x.run_by},
          {"until", x.until ? Json(x.until->str()) : Json()},
          {"taken_over_by", x.taken_over_by.empty() ? Json() : Json(x.taken_over_by)},
          {"contact", contact_json(x.contact)}};
}

Json register_json(const tk::Register& reg) {
  Json years = Json::array();
  for (const auto& y : reg.years) years.push_back(y.label());
  return {{"id", reg.id},          {"name", reg.name},
          {"file", reg.file},      {"currency", reg.currency},
          {"budget_years", years}, {"period_months", reg.period_months}};
}

Table continuity_entries_table(const tk::Register& reg, const tk::Context& c) {
  Table t({{"territory_id"},
           {"territory"},
           {"kind"},
           {"name"},
           {"run_by"},
           {"until"},
           {"taken_over_by"},
           {"contact_name"},
           {"contact_role"},
           {"contact_phone"},
           {"contact_radio"},
           {"contact_email"}});
  for (std::size_t e = 0; e < reg.continuity.size(); ++e) {
    const auto& x = reg.continuity[e];
    auto s = [](const std::string& v) { return v.empty() ? Cell() : Cell(v); };
    t.add({c.continuity_places[e].id, c.continuity_places[e].name, tk::to_string(x.kind), x.name, x.run_by,
           month_cell(x.until), s(x.taken_over_by), s(x.contact.name), s(x.contact.role), s(x.contact.phone),
           s(x.contact.radio), s(x.contact.email)});
  }
  return t;
}

}  // namespace

Table tasks_handovers_table(const service::TasksResult& r) {
  Table t({{"rank"},
           {"task"},
           {"name"},
           {"area"},
           {"tier"},
           {"place_id"},
           {"place"},
           {"province"},
           {"partner"},
           {"status"},
           {"period"},
           {"handover"},
           {"exit"},
           {"conditions"},
           {"conditions_met"},
           {"conditions_ok"},
           {"risks"}});
  std::vector<int> rank(r.reg.tasks.size(), 0);
  for (const auto& s : r.analysis.sequence) rank[s.task] = s.rank;
  for (const auto& it : r.analysis.items) {
    const auto& task = task_of(r, it);
    std::vector<std::string> risks;
    for (const auto& k : it.risks) risks.push_back(tk::to_string(k.kind));
    const bool needs = it.status == tk::ItemStatus::kHandedOver || it.status == tk::ItemStatus::kAtRisk;
    t.add({static_cast<std::int64_t>(rank[it.task]), task.id, task.name, tk::to_string(task.area),
           static_cast<std::int64_t>(task.tier), place_of(r, it).id, place_of(r, it).name,
           province_name(r, it.province), task.handover.partner.empty() ? Cell() : Cell(task.handover.partner),
           tk::to_string(it.status),
           it.period >= 0 ? Cell(r.analysis.periods[static_cast<std::size_t>(it.period)].label()) : Cell(),
           month_cell(it.handover), month_cell(it.exit), task.handover.conditions,
           needs ? month_cell(it.conditions_met) : Cell(), needs ? Cell(it.conditions_ok) : Cell(), risks});
  }
  return t;
}

Table tasks_timeline_table(const service::TasksResult& r) {
  std::vector<Column> cols{{"task"}, {"place"}, {"partner"}, {"status"}};
  for (const auto& p : r.analysis.periods) cols.push_back({p.label()});
  Table t(cols);
  for (const auto& it : r.analysis.items) {
    const auto& task = task_of(r, it);
    std::vector<Cell> row{task.id, place_of(r, it).name,
                          task.handover.partner.empty() ? Cell() : Cell(task.handover.partner),
                          tk::to_string(it.status)};
    for (std::size_t q = 0; q < r.analysis.periods.size(); ++q) row.emplace_back(timeline_cell(r, it, q));
    t.add(std::move(row));
  }
  return t;
}

Table tasks_risks_table(const service::TasksResult& r) {
  Table t(
      {{"task"}, {"name"}, {"tier"}, {"place"}, {"province"}, {"partner"}, {"status"}, {"exit"}, {"risk"}, {"detail"}});
  for (const auto& it : r.analysis.items) {
    const auto& task = task_of(r, it);
    for (const auto& k : it.risks) {
      t.add({task.id, task.name, static_cast<std::int64_t>(task.tier), place_of(r, it).name,
             province_name(r, it.province), task.handover.partner.empty() ? Cell() : Cell(task.handover.partner),
             tk::to_string(it.status), month_cell(it.exit), tk::to_string(k.kind), k.detail});
    }
  }
  return t;
}

Table tasks_shortfall_table(const service::TasksResult& r) {
  Table t({{"budget_year"},
           {"mission_tasks", 0},
           {"plan_cost", 0},
           {"mission_total", 0},
           {"mission_budget", 0},
           {"mission_shortfall", 0},
           {"partner_demand", 0},
           {"partner_funding", 0},
           {"partner_gap", 0},
           {"no_partner", 0},
           {"continuing", 0},
           {"shortfall", 0}});
  for (const auto& s : r.analysis.shortfall) {
    t.add({r.reg.years[s.year].label(), s.mission_tasks, opt_number(s.plan_cost), s.mission_total,
           opt_number(s.mission_budget), opt_number(s.mission_shortfall), s.partner_demand, s.partner_funding,
           s.partner_gap, s.no_partner, s.continuing, s.shortfall});
  }
  return t;
}

Table tasks_partners_table(const service::TasksResult& r) {
  Table t({{"partner"},
           {"name"},
           {"kind"},
           {"budget_year"},
           {"handovers"},
           {"load", 2},
           {"capacity", 2},
           {"demand", 0},
           {"funding", 0},
           {"gap", 0}});
  for (const auto& py : r.analysis.partner_years) {
    const auto& p = r.reg.partners[py.partner];
    t.add({p.id, p.name, tk::to_string(p.kind), r.reg.years[py.year].label(), static_cast<std::int64_t>(py.handovers),
           py.load, py.capacity, py.demand, py.funding, py.gap});
  }
  return t;
}

Table tasks_sequence_table(const service::TasksResult& r) {
  Table t({{"rank"},
           {"task"},
           {"name"},
           {"area"},
           {"tier"},
           {"depends_on"},
           {"benchmark_gap"},
           {"benchmark_pairs"},
           {"places"},
           {"partner"}});
  for (const auto& s : r.analysis.sequence) {
    const auto& task = r.reg.tasks[s.task];
    std::vector<std::string> places;
    for (const auto& p : r.context.task_places[s.task]) places.push_back(p.name);
    t.add({static_cast<std::int64_t>(s.rank), task.id, task.name, tk::to_string(task.area),
           static_cast<std::int64_t>(task.tier), task.depends_on, static_cast<std::int64_t>(s.gap),
           static_cast<std::int64_t>(s.gap_total), places,
           task.handover.partner.empty() ? Cell() : Cell(task.handover.partner)});
  }
  return t;
}

Table tasks_continuity_table(const service::TasksResult& r) {
  std::vector<Column> cols{{"territory_id"}, {"territory"}, {"province"}, {"mechanisms"}};
  for (const auto& ph : r.analysis.phases) cols.push_back({ph.label});
  Table t(cols);
  for (const auto& tc : r.analysis.continuity) {
    const auto& terr = r.context.territories[tc.territory];
    std::vector<std::string> mech;
    for (auto e : tc.entries) {
      const auto& x = r.reg.continuity[e];
      mech.push_back(tk::to_string(x.kind) + " (" + x.run_by + ")");
    }
    std::vector<Cell> row{terr.id, terr.name, province_name(r, terr.province), mech};
    for (const auto& ph : tc.phases) row.emplace_back(ph.status());
    t.add(std::move(row));
  }
  return t;
}

void write(std::ostream& out, const service::TasksResult& r, const WriteOptions& o) {
  const auto& a = r.analysis;
  const std::string view = o.view.empty() ? "handovers" : o.view;
  static const char* kViews[] = {"handovers", "timeline", "risks", "shortfall", "partners", "sequence", "continuity"};
  if (std::none_of(std::begin(kViews), std::end(kViews), [&](const char* v) { return view == v; })) {
    throw invalid_field(
        "view", "must be handovers, timeline, risks, shortfall, partners, sequence or continuity (got '" + view + "')");
  }
  if (o.format == Format::kGeoJson) {
    detail::FeatureCollection fc(out, "tasks_continuity");
    const detail::ShapeIndex shapes(r.shapes);
    for (const auto& tc : a.continuity) {
      const auto& terr = r.context.territories[tc.territory];
      Json statuses = Json::array();
      for (const auto& ph : tc.phases) statuses.push_back(ph.status());
      Json kinds = Json::array();
      if (!tc.phases.empty())
        for (const auto& k : tc.phases.front().kinds) kinds.push_back(k);
      const auto exit = terr.province >= 0 ? r.context.provinces[static_cast<std::size_t>(terr.province)].exit
                                           : std::optional<Month>();
      Json p = {{"territory_id", terr.id},
                {"territory", terr.name},
                {"province", province_name(r, terr.province)},
                {"exit", exit ? Json(exit->str()) : Json()},
                {"mechanisms", tc.entries.size()},
                {"kinds", kinds},
                {"status_first", tc.phases.empty() ? Json() : Json(tc.phases.front().status())},
                {"status_last", tc.phases.empty() ? Json() : Json(tc.phases.back().status())},
                {"first_without",
                 tc.first_without >= 0 ? Json(a.phases[static_cast<std::size_t>(tc.first_without)].label) : Json()},
                {"statuses", statuses}};
      fc.add(p, shapes.geometry(terr.id));
    }
    return;
  }
  if (o.format == Format::kJson) {
    Json j = detail::document("tasks");
    j["register"] = register_json(r.reg);
    j["level"] = r.level;
    j["territory_level"] = r.territory_level;
    j["exits_source"] = r.context.exits_source;
    j["framework_version"] = r.framework_version ? Json(*r.framework_version) : Json();
    j["stakeholders"] = r.stakeholders;
    j["assessed"] = r.assessed ? Json(r.assessed->str()) : Json();
    std::vector<std::string> binding;
    for (const auto& b : a.schedule.binding) binding.push_back(binding_name(r, b));
    j["solver"] = {{"solver", a.schedule.solver},
                   {"rule", a.schedule.rule},
                   {"status", footprint::to_string(a.schedule.status)},
                   {"objective", a.schedule.objective},
                   {"bound", a.schedule.bound},
                   {"gap", a.schedule.gap},
                   {"seconds", a.schedule.seconds},
                   {"handovers", a.problem.items.size()},
                   {"periods", a.periods.size()},
                   {"binding", binding}};
    Json periods = Json::array();
    for (const auto& p : a.periods) {
      periods.push_back({{"label", p.label()},
                         {"from", p.from.str()},
                         {"to", p.to.str()},
                         {"budget_year", r.reg.years[p.year].label()}});
    }
    j["periods"] = periods;
    Json phases = Json::array();
    for (const auto& p : a.phases) phases.push_back({{"label", p.label}, {"from", p.from.str()}, {"to", p.to.str()}});
    j["phases"] = phases;
    Json provinces = Json::array();
    for (const auto& p : r.context.provinces) {
      provinces.push_back({{"id", p.id}, {"name", p.name}, {"exit", p.exit ? Json(p.exit->str()) : Json()}});
    }
    j["provinces"] = provinces;
    j["sequence"] = detail::rows_json(tasks_sequence_table(r));
    j["handovers"] = detail::rows_json(tasks_handovers_table(r));
    Json timeline = Json::array();
    for (const auto& it : a.items) {
      Json cells = Json::array();
      for (std::size_t q = 0; q < a.periods.size(); ++q) cells.push_back(timeline_cell(r, it, q));
      timeline.push_back({{"task", task_of(r, it).id}, {"place", place_of(r, it).name}, {"cells", cells}});
    }
    j["timeline"] = timeline;
    j["risks"] = detail::rows_json(tasks_risks_table(r));
    j["partners"] = detail::rows_json(tasks_partners_table(r));
    j["shortfall"] = detail::rows_json(tasks_shortfall_table(r));
    Json cont = Json::array();
    for (const auto& tc : a.continuity) {
      const auto& terr = r.context.territories[tc.territory];
      Json mech = Json::array();
      for (auto e : tc.entries) mech.push_back(mechanism_json(r.reg, e));
      Json statuses = Json::array();
      for (const auto& ph : tc.phases) statuses.push_back(ph.status());
      cont.push_back(
          {{"territory_id", terr.id},
           {"territory", terr.name},
           {"province", province_name(r, terr.province)},
           {"mechanisms", mech},
           {"statuses", statuses},
           {"first_without",
            tc.first_without >= 0 ? Json(a.phases[static_cast<std::size_t>(tc.first_without)].label) : Json()}});
    }
    j["continuity"] = cont;
    Json without = Json::array();
    for (std::size_t ph = 0; ph < a.without.size(); ++ph) {
      Json names = Json::array();
      for (auto t : a.without[ph]) names.push_back(r.context.territories[t].name);
      without.push_back({{"phase", a.phases[ph].label}, {"territories", names}});
    }
    j["without"] = without;
    j["seconds"] = r.seconds;
    detail::write_json(out, j);
    return;
  }
  Table t = view == "timeline"     ? tasks_timeline_table(r)
            : view == "risks"      ? tasks_risks_table(r)
            : view == "shortfall"  ? tasks_shortfall_table(r)
            : view == "partners"   ? tasks_partners_table(r)
            : view == "sequence"   ? tasks_sequence_table(r)
            : view == "continuity" ? tasks_continuity_table(r)
                                   : tasks_handovers_table(r);
  if (o.format == Format::kCsv) {
    detail::write_table(out, t, o, Json(), "");
    return;
  }
  std::size_t handed = 0, at_risk = 0, risky = 0;
  for (const auto& it : a.items) {
    handed += it.status == tk::ItemStatus::kHandedOver ? 1 : 0;
    at_risk += it.status == tk::ItemStatus::kAtRisk ? 1 : 0;
    risky += it.risks.empty() ? 0 : 1;
  }
  out << "tasks " << r.reg.id << ": " << r.reg.tasks.size() << " tasks in " << a.items.size() << " places, "
      << a.periods.size() << " periods (" << r.reg.years.front().label() << " to " << r.reg.years.back().label()
      << "), exits from " << r.context.exits_source << "\n";
  out << "handed over before the exit: " << handed << "; not handed over in time: " << at_risk
      << "; with a risk: " << risky << "\n";
  out << "scheduler " << a.schedule.rule << ": " << footprint::to_string(a.schedule.status) << ", gap "
      << format_number(100 * a.schedule.gap, 3) << "%, " << format_number(a.schedule.seconds, 2) << " s\n\n";
  detail::write_table(out, t, o, Json(), "");
}

void write(std::ostream& out, const service::TasksValidateResult& r, const WriteOptions& o) {
  Table tasks({{"task"},
               {"name"},
               {"area"},
               {"tier"},
               {"places"},
               {"depends_on"},
               {"benchmarks"},
               {"partner"},
               {"conditions"},
               {"ends_with_mission"}});
  for (std::size_t i = 0; i < r.reg.tasks.size(); ++i) {
    const auto& t = r.reg.tasks[i];
    std::vector<std::string> places;
    for (const auto& p : r.context.task_places[i]) places.push_back(p.name);
    tasks.add({t.id, t.name, tk::to_string(t.area), static_cast<std::int64_t>(t.tier), places, t.depends_on,
               t.benchmarks, t.handover.partner.empty() ? Cell() : Cell(t.handover.partner), t.handover.conditions,
               t.ends_with_mission});
  }
  Table partners({{"partner"}, {"name"}, {"kind"}, {"contact_name"}, {"contact_phone"}, {"contact_email"}});
  for (const auto& p : r.reg.partners) {
    auto s = [](const std::string& v) { return v.empty() ? Cell() : Cell(v); };
    partners.add({p.id, p.name, tk::to_string(p.kind), s(p.contact.name), s(p.contact.phone), s(p.contact.email)});
  }
  const Table cont = continuity_entries_table(r.reg, r.context);
  const std::string view = o.view.empty() ? "tasks" : o.view;
  if (view != "tasks" && view != "partners" && view != "continuity") {
    throw invalid_field("view", "must be tasks, partners or continuity (got '" + view + "')");
  }
  if (o.format == Format::kGeoJson) throw invalid_field("format", "the register has no geojson form");
  if (o.format == Format::kJson) {
    Json j = detail::document("tasks_register");
    j["register"] = register_json(r.reg);
    j["level"] = r.level;
    j["territory_level"] = r.territory_level;
    j["framework_version"] = r.framework_version ? Json(*r.framework_version) : Json();
    j["task_places"] = r.task_places;
    j["tasks"] = detail::rows_json(tasks);
    Json ps = Json::array();
    for (const auto& p : r.reg.partners) {
      ps.push_back({{"id", p.id},
                    {"name", p.name},
                    {"kind", tk::to_string(p.kind)},
                    {"capacity", p.capacity},
                    {"funding", p.funding},
                    {"contact", contact_json(p.contact)}});
    }
    j["partners"] = ps;
    Json cs = Json::array();
    for (std::size_t e = 0; e < r.reg.continuity.size(); ++e) {
      Json m = mechanism_json(r.reg, e);
      m["territory_id"] = r.context.continuity_places[e].id;
      m["territory"] = r.context.continuity_places[e].name;
      cs.push_back(m);
    }
    j["continuity"] = cs;
    detail::write_json(out, j);
    return;
  }
  const Table& t = view == "partners" ? partners : view == "continuity" ? cont : tasks;
  if (o.format == Format::kCsv) {
    detail::write_table(out, t, o, Json(), "");
    return;
  }
  out << "register " << r.reg.id << " (" << r.reg.file << "): " << r.reg.tasks.size() << " tasks in " << r.task_places
      << " places, " << r.reg.partners.size() << " partners, " << r.reg.continuity.size()
      << " protection mechanisms; provinces at level '" << r.level << "', territories at '" << r.territory_level
      << "'; benchmarks checked against "
      << (r.framework_version ? "framework version " + std::to_string(*r.framework_version)
                              : std::string("no framework"))
      << "\n\n";
  detail::write_table(out, t, o, Json(), "");
}

}  // namespace endstate::io
