// Mandate tasks through the engine: the register resolved against the store
// (places, exits, benchmark ids, readiness now and projected), then the pure
// analysis of the tasks module (docs/tasks.md).
#include <algorithm>
#include <chrono>
#include <functional>
#include <map>
#include <set>

#include "endstate/core/error.hpp"
#include "endstate/core/strings.hpp"
#include "endstate/plan/planner.hpp"
#include "endstate/plan/report.hpp"
#include "endstate/plan/spec.hpp"
#include "endstate/service/engine.hpp"
#include "service/detail/engine_impl.hpp"

namespace endstate::service {

namespace tk = endstate::tasks;
namespace bm = endstate::benchmarks;

TasksPlanInput plan_input(const std::string& id, const std::vector<plan::Phase>& phases,
                          const plan::PlanProblem& problem, const plan::PlanReport* report) {
  TasksPlanInput in;
  in.id = id;
  for (const auto& ph : phases) in.phases.push_back({ph.from, ph.to, ph.label()});
  for (std::size_t pv = 0; pv < problem.provinces.size() && pv < problem.exit_phase.size(); ++pv) {
    const int e = problem.exit_phase[pv];
    if (e >= 0 && static_cast<std::size_t>(e) < phases.size()) {
      in.exits.emplace_back(problem.provinces[pv], phases[static_cast<std::size_t>(e)].from);
    }
  }
  if (report) {
    for (const auto& c : report->costs) in.cost.emplace_back(c.year, c.total());
  }
  return in;
}

namespace {

/// The areas of the store, by id, with a resolver for the names a register uses.
class Places {
 public:
  Places(store::Database& db, const std::string& level, const std::string& territory_level) {
    for (auto& a : db.areas("", false)) {
      by_id_[a.id] = all_.size();
      all_.push_back(std::move(a));
    }
    for (std::size_t i = 0; i < all_.size(); ++i) {
      if (all_[i].level == level) {
        province_of_area_[all_[i].id] = static_cast<int>(provinces.size());
        provinces.push_back({all_[i].id, all_[i].name, std::nullopt});
      }
    }
    territory_level_ = territory_level;
    bool any = false;
    for (const auto& a : all_) any = any || a.level == territory_level;
    if (!any) territory_level_ = level;
    for (const auto& a : all_) {
      if (a.level == territory_level_) territories.push_back({a.id, a.name, province(a.id)});
    }
  }

  /// The province index of an area (itself or an ancestor at the exit level); -1 = none.
  [[nodiscard]] int province(const std::string& id) const {
    std::string cur = id;
    for (int guard = 0; guard < 64 && !cur.empty(); ++guard) {
      if (auto it = province_of_area_.find(cur); it != province_of_area_.end()) return it->second;
      const auto a = by_id_.find(cur);
      if (a == by_id_.end()) return -1;
      cur = all_[a->second].parent_id;
    }
    return -1;
  }

  /// An area in or below a province, by id or name (case-insensitive); the
  /// exit level first, then the territory level, then any level.
  [[nodiscard]] std::optional<tk::Place> find(const std::string& s) const {
    if (auto it = by_id_.find(s); it != by_id_.end()) {
      const auto& a = all_[it->second];
      if (province(a.id) >= 0) return tk::Place{a.id, a.name, province(a.id)};
    }
    const tk::Place* best = nullptr;
    for (const auto& p : provinces_as_places())
      if (iequals(p.name, s) || iequals(p.id, s)) return p;
    for (const auto& t : territories)
      if (t.province >= 0 && (iequals(t.name, s) || iequals(t.id, s))) best = &t;
    if (best) return *best;
    for (const auto& a : all_) {
      if ((iequals(a.name, s) || iequals(a.id, s)) && province(a.id) >= 0)
        return tk::Place{a.id, a.name, province(a.id)};
    }
    return std::nullopt;
  }

  [[nodiscard]] std::string some_provinces() const {
    std::string s;
    for (std::size_t i = 0; i < provinces.size() && i < 8; ++i) s += (i ? ", " : "") + provinces[i].name;
    return s;
  }
  [[nodiscard]] const std::string& territory_level() const { return territory_level_; }

  std::vector<tk::Province> provinces;
  std::vector<tk::Place> territories;

 private:
  [[nodiscard]] std::vector<tk::Place> provinces_as_places() const {
    std::vector<tk::Place> out;
    for (std::size_t i = 0; i < provinces.size(); ++i)
      out.push_back({provinces[i].id, provinces[i].name, static_cast<int>(i)});
    return out;
  }
  std::vector<Area> all_;
  std::map<std::string, std::size_t> by_id_;
  std::map<std::string, int> province_of_area_;
  std::string territory_level_;
};

void validate_request(const TasksRequest& r) {
  if (r.file.empty()) throw invalid_field("file", "is required (the task register YAML)");
  detail::check_range("time_limit", r.schedule.time_limit_s, 0.1, 1e6);
  if (r.projection_samples < 10 || r.projection_samples > 100000) {
    throw invalid_field("projection_samples", "must be an integer in 10..100000");
  }
  if (r.framework_version && *r.framework_version < 1) {
    throw invalid_field("framework_version", "must be a stored version number (1, 2, ...)");
  }
  if (r.territory_level.empty()) throw invalid_field("territory_level", "must not be empty");
}

bool uses_benchmarks(const tk::Register& reg) {
  for (const auto& t : reg.tasks)
    if (!t.benchmarks.empty() || !t.handover.conditions.empty()) return true;
  return false;
}

}  // namespace

namespace detail {

/// The register parsed and resolved against the store: places, exits,
/// continuity places, the framework's benchmark ids. Throws Error(kBadInput)
/// with file:line:field for a name the store does not know.
struct ResolvedTasks {
  tk::Register reg;
  tk::Context ctx;
  std::string level, territory_level;
  std::optional<store::FrameworkRow> framework;
};

ResolvedTasks resolve_tasks(store::Database& db, const TasksRequest& req, const std::string& default_level) {
  ResolvedTasks out;
  out.reg = tk::parse_register(read_text(in_folder(req.base_dir, req.file), "file"), req.file);
  const auto& reg = out.reg;
  out.framework = db.schema_version() >= 2 ? db.framework(req.framework_version) : std::nullopt;
  if (req.framework_version && !out.framework) {
    throw not_found("no framework version " + std::to_string(*req.framework_version));
  }
  out.level = default_level;
  if (out.framework) out.level = bm::parse_framework(out.framework->yaml, out.framework->file).area_level;
  Places places(db, out.level, req.territory_level);
  if (places.provinces.empty()) throw not_found("no areas at level '" + out.level + "' to run the tasks in");
  out.territory_level = places.territory_level();
  auto& c = out.ctx;
  c.provinces = places.provinces;
  c.territories = places.territories;
  auto unknown = [&](const std::string& name, const tk::Where& w) {
    return bad_input("unknown province or territory '" + name + "' (provinces at level '" + out.level +
                         "': " + places.some_provinces() + ", ...)",
                     {reg.file, w.line, w.field});
  };
  for (const auto& t : reg.tasks) {
    std::vector<tk::Place> ps;
    std::set<std::string> seen;
    for (std::size_t k = 0; k < t.places.size(); ++k) {
      const auto p = places.find(t.places[k]);
      if (!p) throw unknown(t.places[k], t.places_where[k]);
      if (!seen.insert(p->id).second) {
        throw bad_input("'" + t.places[k] + "' is the same area as another place of the task",
                        {reg.file, t.places_where[k].line, t.places_where[k].field});
      }
      ps.push_back(*p);
    }
    c.task_places.push_back(std::move(ps));
  }
  for (const auto& e : reg.continuity) {
    std::optional<tk::Place> found;
    for (const auto& t : c.territories)
      if (iequals(t.id, e.territory) || iequals(t.name, e.territory)) found = t;
    if (!found) {
      throw bad_input("unknown territory '" + e.territory + "' at level '" + out.territory_level + "'",
                      {reg.file, e.where.line, e.where.field + ".territory"});
    }
    c.continuity_places.push_back(*found);
  }
  // exits: a plan's, else the request's, else the register's
  auto set_exit = [&](const std::string& name, Month m, const std::function<Error(const std::string&)>& fail) {
    const auto p = places.find(name);
    if (!p || p->id != c.provinces[static_cast<std::size_t>(p->province)].id) throw fail(name);
    c.provinces[static_cast<std::size_t>(p->province)].exit = m;
  };
  if (req.plan) {
    c.exits_source = "plan:" + req.plan->id;
    for (const auto& [name, m] : req.plan->exits) {
      set_exit(name, m, [&](const std::string& n) {
        return invalid_field("plan", "the plan exits '" + n + "', not a province at level '" + out.level + "'");
      });
    }
    c.phases = req.plan->phases;
    if (!req.plan->cost.empty()) {
      c.plan_cost.assign(reg.years.size(), 0.0);
      for (std::size_t y = 0; y < reg.years.size(); ++y)
        for (const auto& [label, v] : req.plan->cost)
          if (label == reg.years[y].label()) c.plan_cost[y] = v;
    }
  } else if (!req.exits.empty()) {
    c.exits_source = "request";
    for (const auto& [name, m] : req.exits) {
      set_exit(name, m, [&](const std::string& n) {
        return invalid_field("exits", "'" + n + "' is not a province at level '" + out.level + "' (" +
                                          places.some_provinces() + ", ...)");
      });
    }
  } else {
    c.exits_source = "register";
    for (std::size_t k = 0; k < reg.exits.size(); ++k) {
      const auto& w = reg.exits_where[k];
      set_exit(reg.exits[k].first, reg.exits[k].second, [&](const std::string& n) {
        return bad_input("'" + n + "' is not a province at level '" + out.level + "'", {reg.file, w.line, w.field});
      });
    }
  }
  if (uses_benchmarks(reg)) {
    if (!out.framework) {
      throw not_found(reg.file +
                      ": the register names benchmarks, and the store holds no framework to check them "
                      "against; run 'endstate benchmarks import FILE' first");
    }
    const auto fw = bm::parse_framework(out.framework->yaml, out.framework->file);
    std::vector<std::string> ids;
    for (const auto& b : fw.benchmarks) ids.push_back(b.id);
    tk::check_benchmarks(reg, ids, "framework version " + std::to_string(out.framework->version));
  }
  return out;
}

}  // namespace detail

TasksValidateResult Engine::tasks_validate(const TasksRequest& r) {
  validate_request(r);
  auto& db = reader();
  auto res = detail::resolve_tasks(db, r, detail::level_or_default(db, ""));
  TasksValidateResult out;
  out.reg = std::move(res.reg);
  out.context = std::move(res.ctx);
  out.level = res.level;
  out.territory_level = res.territory_level;
  if (res.framework) out.framework_version = res.framework->version;
  for (const auto& p : out.context.task_places) out.task_places += p.size();
  return out;
}

TasksResult Engine::tasks_schedule(const TasksRequest& req) {
  validate_request(req);
  const auto t0 = std::chrono::steady_clock::now();
  // The one place the tasks read a transition plan: run it, keep its exits, phases and costs.
  TasksRequest r = req;
  if (!r.plan_file.empty()) {
    PlanRequest pr;
    pr.file = r.plan_file;
    pr.base_dir = r.base_dir;
    const auto plan = plan_run(pr);
    r.plan = plan_input(plan.spec.id, plan.phases, plan.problem, plan.report ? &*plan.report : nullptr);
  }
  auto& db = reader();
  auto res = detail::resolve_tasks(db, r, detail::level_or_default(db, ""));
  TasksResult out;
  out.level = res.level;
  out.territory_level = res.territory_level;
  auto& c = res.ctx;
  if (uses_benchmarks(res.reg)) {
    BenchmarkSelection sel;
    sel.version = res.framework->version;
    sel.level = res.level;
    sel.stakeholder = r.stakeholder;
    std::optional<ProjectResult> pj;
    BenchmarkRun run;
    if (r.project) {
      ProjectRequest pr;
      pr.select = sel;
      pr.options.samples = r.projection_samples;
      pr.options.horizon_months =
          static_cast<std::size_t>(std::clamp(12 * static_cast<int>(res.reg.years.size()) + 24, 1, 240));
      pj = benchmarks_project(pr);
      run = pj->run;
    } else {
      run = benchmark_run(sel);
    }
    out.framework_version = run.row.version;
    const auto shs = run.stakeholders(r.stakeholder);
    for (auto s : shs) out.stakeholders.push_back(run.fw.stakeholders[s].id);
    const std::size_t t = run.panel.month_count() - 1;
    const Month last = run.panel.last();
    out.assessed = last;
    // [benchmark][province]: met now by every selected stakeholder
    std::map<std::string, std::size_t> prov_index;
    for (std::size_t p = 0; p < c.provinces.size(); ++p) prov_index[c.provinces[p].id] = p;
    for (std::size_t b = 0; b < run.fw.benchmarks.size(); ++b) {
      const auto& id = run.fw.benchmarks[b].id;
      std::vector<char> now(c.provinces.size(), 0);
      std::vector<std::optional<Month>> from(c.provinces.size());
      for (std::size_t a = 0; a < run.panel.area_count(); ++a) {
        const auto it = prov_index.find(run.panel.areas()[a].id);
        if (it == prov_index.end()) continue;
        bool all = !shs.empty();
        for (auto s : shs) all = all && run.trajectories[a].benchmark(t, s, b) == bm::Status::kMet;
        now[it->second] = all ? 1 : 0;
        if (all) from[it->second] = last;
      }
      c.met_now.emplace_back(id, std::move(now));
      c.met_from.emplace_back(id, std::move(from));
    }
    if (pj) {
      // expected month = the latest median over the selected stakeholders that do not meet it now;
      // none when any of them has none within the horizon
      std::map<std::pair<std::string, std::string>, std::vector<std::optional<int>>> med;  // (area, benchmark)
      for (const auto& p : pj->projections) {
        med[{p.area_id, p.benchmark_id}].push_back(p.current == bm::Status::kMet ? std::optional<int>(0) : p.median);
      }
      for (auto& [id, from] : c.met_from) {
        for (std::size_t pv = 0; pv < c.provinces.size(); ++pv) {
          if (from[pv]) continue;
          const auto it = med.find({c.provinces[pv].id, id});
          if (it == med.end()) continue;  // a stakeholder without a projection has it met now
          int worst = 0;
          bool ok = true;
          for (const auto& v : it->second) {
            if (!v)
              ok = false;
            else
              worst = std::max(worst, *v);
          }
          if (ok) from[pv] = last.plus(worst);
        }
      }
    }
  }
  impl_->check_cancelled();
  out.analysis = tk::analyse(res.reg, c, r.schedule);
  if (r.with_geometry) out.shapes = detail::shapes(db, out.territory_level);
  out.reg = std::move(res.reg);
  out.context = std::move(c);
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return out;
}

}  // namespace endstate::service
