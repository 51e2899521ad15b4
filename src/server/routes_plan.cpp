// Routes of the transition plan (run, compare, validate), the mandate tasks
// (validate, schedule, continuity), the policy comparison and the other
// simulations (ready-by, backtest); all jobs but the two checks. The plan
// files, the task register and the localities or candidates a plan names are
// sent as texts in the JSON body: each is parsed at once (a wrong file is a
// 422 naming its line and field before any job is queued), then written into
// a private folder (on_upload) that the engine reads as the folder relative
// paths start from (base_dir), so that the documents name the files as sent,
// like the CLI run in the files' folder.
#include "endstate/core/error.hpp"
#include "endstate/io/plan.hpp"
#include "endstate/io/simulate.hpp"
#include "endstate/io/tasks.hpp"
#include "endstate/plan/spec.hpp"
#include "endstate/tasks/register.hpp"
#include "server/detail/route.hpp"
#include "server/detail/upload.hpp"

namespace endstate::server::detail {

namespace {

namespace fp = endstate::footprint;

template <class T>
std::vector<T> with(std::vector<T> a, const std::vector<T>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

/// The files a plan may name, sent as texts.
std::vector<ParamSpec> named_file_params() {
  return {doc_param("localities", "the CSV text of the localities file the plan names (plan.coverage.localities)"),
          doc_param("candidates", "the CSV text of the candidate sites file the plan names (plan.sites.candidates)")};
}

std::vector<ParamSpec> plan_file_params(const std::string& what, const std::string& name_param,
                                        const std::string& default_name) {
  return with({str_param(name_param, "the " + what + " file's name, as the documents name it", default_name)},
              named_file_params());
}

std::vector<ParamSpec> solver_params(const std::string& time_limit) {
  return {
      choice_param("solver", "exact MILP (CBC), heuristic, or auto by size", {"exact", "heuristic", "auto"}, "auto"),
      num_param("time_limit", "solver time limit in seconds", time_limit, 0.1, 1e6)};
}

ParamSpec projection_samples_param() {
  return int_param("projection_samples", "sample paths of the benchmark projections that date future readiness", "500",
                   10, 100000);
}

fp::SolveOptions solve_options(const Params& p) {
  fp::SolveOptions s;
  s.solver = *fp::parse_solver(p.text("solver"));
  s.time_limit_s = p.number("time_limit");
  return s;
}

/// "PROVINCE=YYYY-MM" items of `exits`.
std::vector<std::pair<std::string, Month>> exits_of(const Params& p) {
  std::vector<std::pair<std::string, Month>> out;
  for (const auto& e : p.list("exits")) {
    const auto eq = e.rfind('=');
    const auto m = eq == std::string::npos ? std::nullopt : Month::parse(e.substr(eq + 1));
    if (!m || eq == 0) throw invalid_field("exits", "items are PROVINCE=YYYY-MM (got '" + e + "')");
    out.emplace_back(e.substr(0, eq), *m);
  }
  return out;
}

// --- mandate tasks ---------------------------------------------------------------------

std::vector<ParamSpec> register_params() {
  const service::TasksRequest d;
  auto out = std::vector<ParamSpec>{
      doc_param("register", "the task register YAML (docs/tasks.md)"),
      str_param("file_name", "the register's file name, as the documents name it", "tasks.yaml"),
      list_param("exits", "exit months PROVINCE=YYYY-MM replacing the register's exits (ignored with a plan)"),
      str_param("territory_level", "level of the territories whose continuity is reported", d.territory_level)};
  out.front().required = true;
  return out;
}

std::vector<ParamSpec> schedule_params() {
  const service::TasksRequest d;
  auto out = register_params();
  out.push_back(doc_param("plan", "a transition plan YAML: its exits, phases and cost per budget year"));
  out = with(out, plan_file_params("plan", "plan_file_name", "plan.yaml"));
  out = with(out, solver_params("30"));
  out.push_back(int_param("exact_cells", "solver auto: exact when handovers x periods is at most N",
                          std::to_string(d.schedule.auto_exact_cells), 0, 1e8));
  out.push_back(int_param("framework_version", "benchmark framework version (default: the latest)", "", 1, 9e15));
  out.push_back(str_param("stakeholder", "whose thresholds judge the handover conditions (default: all)"));
  out.push_back(bool_param("no_projection", "conditions met only when met now (no benchmark projections)"));
  out.push_back(int_param("projection_samples", "sample paths of the benchmark projections",
                          std::to_string(d.projection_samples), 10, 100000));
  return out;
}

/// The register sent (parsed now: a wrong one fails naming its line and field) and the request's common fields.
service::TasksRequest register_request(const Params& p, Files& files) {
  const std::string name = p.text("file_name");
  check_file_name(name);
  const std::string text = p.text("register");
  if (text.empty()) throw invalid_field("register", "must hold the task register YAML");
  (void)tasks::parse_register(text, name);
  files.emplace_back(name, text);
  service::TasksRequest q;
  q.file = name;
  q.exits = exits_of(p);
  q.territory_level = p.text("territory_level");
  return q;
}

/// tasks schedule and continuity: the register, an optional plan with its files, the solver and the conditions.
service::TasksRequest schedule_request(const Params& p, Files& files, const io::WriteOptions& o) {
  service::TasksRequest q = register_request(p, files);
  if (p.has("plan")) {
    Files plan = plans_upload(p, {{"plan", "plan_file_name"}});
    for (const auto& f : plan) {
      if (f.first == files.front().first)
        throw invalid_field("plan_file_name", "must differ from file_name ('" + f.first + "')");
    }
    q.plan_file = plan.front().first;
    files.insert(files.end(), plan.begin(), plan.end());
  } else {
    for (const char* f : {"localities", "candidates", "plan_file_name"}) {
      if (p.has(f)) throw invalid_field(f, "goes with a plan");
    }
  }
  q.schedule.solver = *fp::parse_solver(p.text("solver"));
  q.schedule.time_limit_s = p.number("time_limit");
  q.schedule.auto_exact_cells = static_cast<std::size_t>(p.integer("exact_cells"));
  q.framework_version = p.maybe_integer("framework_version");
  q.stakeholder = p.text("stakeholder");
  q.project = !p.flag("no_projection");
  q.projection_samples = static_cast<std::size_t>(p.integer("projection_samples"));
  q.with_geometry = o.format == io::Format::kGeoJson;
  return q;
}

// --- simulations ---------------------------------------------------------------------

std::vector<ParamSpec> model_params() {
  const service::SimulationSetup d;
  return {
      choice_param("target", "what is simulated", {"fatalities", "vac-events", "vac-fatalities"}, "fatalities"),
      choice_param("model", "one-step model fed with each path's history", {"nb", "bootstrap", "last", "zero"}, "nb"),
      int_param("seed", "random seed (same seed, same paths, any threads)", "1", 0, 9e15),
      int_param("threads", "worker threads (0 = all cores)", "0", 0, 1024),
      int_param("neighbours", "nb: k nearest area centroids in the spatial lag", std::to_string(d.model.nb.neighbours),
                0, 64),
      num_param("ridge", "nb: L2 penalty on the slopes", "100", 0, 1e300)};
}

/// The parameters of a simulation setup (simulate run, benchmarks ready-by).
std::vector<ParamSpec> setup_params(bool horizon) {
  const service::SimulationSetup d;
  std::vector<ParamSpec> out{
      str_param("level", "simulation level (default: the framework's area_level)"),
      choice_param("presence", "presence effect: the cited priors or none", {"priors", "none"}, "priors"),
      int_param("paths", "sample paths", std::to_string(d.paths), 1, 1000000),
      num_param("hotspot_threshold", "a hotspot month: at least this much of the target in an area", "25", 0, 1e9),
      int_param("version", "stored framework version (default: the latest)", "", 1, 9e15)};
  if (horizon) out.insert(out.begin() + 1, int_param("horizon", "months simulated", std::to_string(d.horizon), 1, 240));
  return with(out, model_params());
}

service::SimulationSetup setup_of(const Params& p) {
  service::SimulationSetup s;
  if (p.has("version")) s.select.version = p.integer("version");
  s.select.stakeholder = p.text("stakeholder");
  s.level = p.text("level");
  s.target = *forecast::parse_target(p.text("target"));
  s.model.model = p.text("model");
  s.model.nb.neighbours = static_cast<int>(p.integer("neighbours"));
  s.model.nb.ridge = p.number("ridge");
  s.presence = p.text("presence");
  if (p.has("horizon")) s.horizon = static_cast<int>(p.integer("horizon"));
  s.paths = static_cast<int>(p.integer("paths"));
  s.seed = static_cast<std::uint64_t>(p.integer("seed"));
  s.threads = static_cast<int>(p.integer("threads"));
  s.hotspot_threshold = p.number("hotspot_threshold");
  return s;
}

}  // namespace

std::vector<Route> plan_routes() {
  std::vector<Route> out;
  {
    Route r{"POST", "/api/plan/run", "plan_run",
            "Run a transition plan (the plan YAML as text): exits per the policy, bases per phase, troops, police "
            "and civilians, closures and what they leave uncovered, cost per budget year (a job)."};
    r.kind = "plan";
    r.needs = Capability::kRun;
    r.job = true;
    r.body = Body::kJson;
    r.params =
        with({doc_param("plan", "the plan YAML (docs/plan.md)")}, plan_file_params("plan", "file_name", "plan.yaml"));
    r.params.front().required = true;
    r.params = with(r.params, solver_params("60"));
    r.params.push_back(projection_samples_param());
    r.params.push_back(
        choice_param("table", "format csv: which table", {"sites", "phases", "provinces", "closures", "costs"}, ""));
    r.params.push_back(choice_param("layer", "format geojson: bases per phase (points) or provinces per phase",
                                    {"sites", "provinces"}, ""));
    r.formats = {"json", "geojson", "csv"};
    r.prepare = [](const Call& c) -> Run {
      const Params& p = c.params;
      io::WriteOptions o = c.write;
      if (p.has("table") && o.format != io::Format::kCsv) throw invalid_field("table", "is for format csv");
      if (p.has("layer") && o.format != io::Format::kGeoJson) throw invalid_field("layer", "is for format geojson");
      o.view = o.format == io::Format::kCsv ? p.text("table") : o.format == io::Format::kGeoJson ? p.text("layer") : "";
      Files files = plans_upload(p, {{"plan", "file_name"}});
      service::PlanRequest q;
      q.file = files.front().first;
      q.solve = solve_options(p);
      q.projection_samples = static_cast<std::size_t>(p.integer("projection_samples"));
      q.with_geometry = o.format == io::Format::kGeoJson && o.view == "provinces";
      return on_upload(std::move(files), c.user.name, q, o, &service::Engine::plan_run);
    };
    out.push_back(std::move(r));
  }
  {
    Route r{"POST", "/api/plan/compare", "plan_compare",
            "Run two plans (YAML texts, e.g. end-state and end-date) on the same data and forecast, side by side: "
            "exit month per province, coverage and gap per phase, troop-months, cost (a job)."};
    r.kind = "plan_compare";
    r.needs = Capability::kRun;
    r.job = true;
    r.body = Body::kJson;
    r.params = {doc_param("plan_a", "the first plan YAML"), doc_param("plan_b", "the second plan YAML"),
                str_param("file_name_a", "the first plan's file name, as the documents name it", "plan-a.yaml"),
                str_param("file_name_b", "the second plan's file name, as the documents name it", "plan-b.yaml")};
    r.params[0].required = true;
    r.params[1].required = true;
    r.params = with(r.params, named_file_params());
    r.params = with(r.params, solver_params("60"));
    r.params.push_back(projection_samples_param());
    r.params.push_back(choice_param("table", "format csv: which table", {"provinces", "phases", "totals"}, ""));
    r.formats = {"json", "csv"};
    r.prepare = [](const Call& c) -> Run {
      const Params& p = c.params;
      io::WriteOptions o = c.write;
      if (p.has("table") && o.format != io::Format::kCsv) throw invalid_field("table", "is for format csv");
      if (p.has("table")) o.view = p.text("table");
      Files files = plans_upload(p, {{"plan_a", "file_name_a"}, {"plan_b", "file_name_b"}});
      service::PlanCompareRequest q;
      q.file_a = files[0].first;
      q.file_b = files[1].first;
      q.solve = solve_options(p);
      q.projection_samples = static_cast<std::size_t>(p.integer("projection_samples"));
      return on_upload(std::move(files), c.user.name, q, o, &service::Engine::plan_compare);
    };
    out.push_back(std::move(r));
  }
  {
    Route r{"POST", "/api/plan/validate", "plan_validate",
            "Check a plan (the YAML as text) against the store without solving: phases and ceilings, provinces and "
            "dates, sites locked or forbidden, stakeholders."};
    r.kind = "plan_validate";
    r.needs = Capability::kRun;
    r.body = Body::kJson;
    r.params =
        with({doc_param("plan", "the plan YAML (docs/plan.md)")}, plan_file_params("plan", "file_name", "plan.yaml"));
    r.params.front().required = true;
    r.formats = {"json"};
    r.prepare = [](const Call& c) -> Run {
      Files files = plans_upload(c.params, {{"plan", "file_name"}});
      service::PlanValidateRequest q;
      q.file = files.front().first;
      return on_upload(std::move(files), c.user.name, q, c.write, &service::Engine::plan_validate);
    };
    out.push_back(std::move(r));
  }
  {
    Route r{"POST", "/api/tasks/validate", "tasks_validate",
            "Check a task register (the YAML as text) against the store: fields, partners, dependencies, places, "
            "exits and benchmark ids; the tasks, partners or protection mechanisms with their contacts."};
    r.kind = "tasks_register";
    r.needs = Capability::kRun;
    r.body = Body::kJson;
    r.params = register_params();
    r.formats = {"json", "csv"};
    r.views = {"tasks", "partners", "continuity"};
    r.prepare = [](const Call& c) -> Run {
      Files files;
      service::TasksRequest q = register_request(c.params, files);
      return on_upload(std::move(files), c.user.name, q, c.write, &service::Engine::tasks_validate);
    };
    out.push_back(std::move(r));
  }
  {
    Route r{"POST", "/api/tasks/schedule", "tasks_schedule",
            "Sequence the mandate tasks of a register (the YAML as text) and schedule each handover before its "
            "province's exit, from a plan when one is sent: tasks at risk, shortfall per budget year, continuity "
            "of protection (a job)."};
    r.kind = "tasks";
    r.needs = Capability::kRun;
    r.job = true;
    r.body = Body::kJson;
    r.params = schedule_params();
    r.formats = {"json", "geojson", "csv"};
    r.views = {"handovers", "timeline", "risks", "shortfall", "partners", "sequence", "continuity"};
    r.prepare = [](const Call& c) -> Run {
      Files files;
      service::TasksRequest q = schedule_request(c.params, files, c.write);
      return on_upload(std::move(files), c.user.name, q, c.write, &service::Engine::tasks_schedule);
    };
    out.push_back(std::move(r));
  }
  {
    Route r{"POST", "/api/tasks/continuity", "tasks_continuity",
            "Continuity of protection per territory after each phase (none, mission_only, covered) from a task "
            "register and optionally a plan (texts); GeoJSON gives the territories for a map (a job)."};
    r.kind = "tasks";
    r.needs = Capability::kRun;
    r.job = true;
    r.body = Body::kJson;
    r.params = schedule_params();
    r.formats = {"json", "geojson", "csv"};
    r.prepare = [](const Call& c) -> Run {
      io::WriteOptions o = c.write;
      o.view = "continuity";
      Files files;
      service::TasksRequest q = schedule_request(c.params, files, o);
      return on_upload(std::move(files), c.user.name, q, o, &service::Engine::tasks_schedule);
    };
    out.push_back(std::move(r));
  }
  {
    Route r{"POST", "/api/simulate", "simulate_run",
            "Compare transition policies (plan YAMLs as texts, one policy each) on the same joint sample paths of "
            "violence: exits, mission end, fatalities, hotspot months without a responder, troop-months and cost per "
            "policy with 80/90% intervals, paired differences against the first (a job)."};
    r.kind = "simulation";
    r.needs = Capability::kRun;
    r.job = true;
    r.body = Body::kJson;
    r.params = {doc_list_param("plans", "plan YAMLs, one policy each; the first is the reference of the differences"),
                list_param("plan_names",
                           "the plans' file names, in order, as the documents name them (default: "
                           "plan-1.yaml, plan-2.yaml, ...)")};
    r.params.front().required = true;
    r.params = with(r.params, setup_params(true));
    r.params.push_back(str_param("stakeholder", "only this stakeholder's readiness (default: as each plan says)"));
    r.formats = {"json", "csv"};
    r.views = {"summary", "exits", "differences", "fan"};
    r.prepare = [](const Call& c) -> Run {
      const Params& p = c.params;
      const auto texts = p.list("plans");
      if (texts.empty()) throw invalid_field("plans", "must hold at least one plan YAML");
      if (texts.size() > 8) throw invalid_field("plans", "at most 8 plans are compared at once");
      auto names = p.list("plan_names");
      if (!names.empty() && names.size() != texts.size()) {
        throw invalid_field("plan_names", "must name every plan (" + std::to_string(texts.size()) + "), in order");
      }
      for (std::size_t k = names.size(); k < texts.size(); ++k)
        names.push_back("plan-" + std::to_string(k + 1) + ".yaml");
      Files files;
      service::SimulateRequest q;
      for (std::size_t k = 0; k < texts.size(); ++k) {
        check_file_name(names[k], "plan_names");
        for (std::size_t j = 0; j < k; ++j) {
          if (names[j] == names[k]) throw invalid_field("plan_names", "'" + names[k] + "' is given twice");
        }
        if (texts[k].empty()) throw invalid_field("plans", "plan " + std::to_string(k + 1) + " is empty");
        (void)plan::parse_plan(texts[k], names[k]);  // a wrong plan fails now, naming its line and field
        files.emplace_back(names[k], texts[k]);
        q.plans.push_back(names[k]);
      }
      q.setup = setup_of(p);
      return on_upload(std::move(files), c.user.name, q, c.write, &service::Engine::simulate);
    };
    out.push_back(std::move(r));
  }
  {
    Route r{"POST", "/api/benchmarks/ready-by", "benchmarks_ready_by",
            "Probability that each province is ready by a month for each stakeholder, on status-quo sample paths "
            "with the framework's benchmarks recomputed along each path (a job)."};
    r.kind = "ready_by";
    r.needs = Capability::kRun;
    r.job = true;
    r.body = Body::kJson;
    r.params = {month_param("month", "ready by this month (after the last data month)", true)};
    r.params = with(r.params, setup_params(false));
    r.params.push_back(str_param("stakeholder", "only this stakeholder (default: all)"));
    r.formats = {"json", "csv"};
    r.prepare = [](const Call& c) -> Run {
      service::ReadyByRequest q;
      q.setup = setup_of(c.params);
      q.month = *c.params.month("month");
      return [q, o = c.write](service::Engine& e) { return render(e.benchmarks_ready_by(q), o); };
    };
    out.push_back(std::move(r));
  }
  {
    Route r{"POST", "/api/simulate/backtest", "simulate_backtest",
            "Calibration of the sample paths: simulated from past origins and scored against what happened "
            "(coverage of 50/80/90% intervals, CRPS, PIT histogram) (a job)."};
    r.kind = "simulate_backtest";
    r.needs = Capability::kRun;
    r.job = true;
    r.body = Body::kJson;
    const service::SimulateBacktestRequest d;
    r.params = {str_param("level", "area level (default: province when present)"),
                month_param("from", "first origin (default: 36 months before to)"),
                month_param("to", "last origin (default: the last month with a full horizon of data after it)"),
                int_param("step_months", "months between origins", std::to_string(d.step_months), 1, 120),
                int_param("horizon", "months simulated from each origin", std::to_string(d.horizon), 1, 120),
                int_param("paths", "sample paths per origin", std::to_string(d.paths), 2, 100000)};
    r.params = with(r.params, model_params());
    r.formats = {"json", "csv"};
    r.prepare = [](const Call& c) -> Run {
      const Params& p = c.params;
      service::SimulateBacktestRequest q;
      q.level = p.text("level");
      q.target = *forecast::parse_target(p.text("target"));
      q.model.model = p.text("model");
      q.model.nb.neighbours = static_cast<int>(p.integer("neighbours"));
      q.model.nb.ridge = p.number("ridge");
      q.from = p.month("from");
      q.to = p.month("to");
      q.step_months = static_cast<int>(p.integer("step_months"));
      q.horizon = static_cast<int>(p.integer("horizon"));
      q.paths = static_cast<int>(p.integer("paths"));
      q.seed = static_cast<std::uint64_t>(p.integer("seed"));
      q.threads = static_cast<int>(p.integer("threads"));
      return [q, o = c.write](service::Engine& e) { return render(e.simulate_backtest(q), o); };
    };
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace endstate::server::detail
