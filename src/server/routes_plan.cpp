// Routes of the transition plan, the mandate tasks and the policy comparison
// (all jobs). The plan files, the task register and the localities or
// candidates a plan names are sent as texts in the JSON body: each is parsed
// at once (a wrong file is a 422 naming its line and field before any job is
// queued), then written into a private folder (Upload) that the engine reads
// as the folder relative paths start from (base_dir), so that the documents
// name the files as sent, like the CLI run in the files' folder.
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

using Files = std::vector<std::pair<std::string, std::string>>;

template <class T>
std::vector<T> with(std::vector<T> a, const std::vector<T>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

std::vector<ParamSpec> plan_file_params(const std::string& what, const std::string& name_param,
                                        const std::string& default_name) {
  return {str_param(name_param, "the " + what + " file's name, as the documents name it", default_name),
          doc_param("localities", "the CSV text of the localities file the plan names (plan.coverage.localities)"),
          doc_param("candidates", "the CSV text of the candidate sites file the plan names (plan.sites.candidates)")};
}

std::vector<ParamSpec> solver_params(const std::string& time_limit) {
  return {
      choice_param("solver", "exact MILP (CBC), heuristic, or auto by size", {"exact", "heuristic", "auto"}, "auto"),
      num_param("time_limit", "solver time limit in seconds", time_limit, 0.1, 1e6)};
}

fp::SolveOptions solve_options(const Params& p) {
  fp::SolveOptions s;
  s.solver = *fp::parse_solver(p.text("solver"));
  s.time_limit_s = p.number("time_limit");
  return s;
}

/// The plan sent as `field`, parsed (422 with its name, line and field when
/// wrong), with the files it names: plain names, each sent as `localities` or
/// `candidates`. Returns the files to write: the plan first.
Files plan_upload(const Params& p, const std::string& field, const std::string& name_param) {
  const std::string name = p.text(name_param);
  check_file_name(name, name_param);
  const std::string text = p.text(field);
  if (text.empty()) throw invalid_field(field, "must hold the plan YAML");
  const plan::PlanSpec spec = plan::parse_plan(text, name);
  Files files{{name, text}};
  struct Named {
    std::string param, path, where;
    int line;
  };
  for (const Named& n :
       {Named{"localities", spec.localities_file, "plan.coverage.localities", spec.localities_where.line},
        Named{"candidates", spec.candidates_file, "plan.sites.candidates", 0}}) {
    if (n.path.empty()) {
      if (p.has(n.param)) throw invalid_field(n.param, "the plan names no " + n.param + " file (" + n.where + ")");
      continue;
    }
    if (n.path.find_first_of("/\\") != std::string::npos || n.path == name) {
      throw bad_input("a plan sent to the server names its files by plain name, sent with it as '" + n.param +
                          "' (got '" + n.path + "')",
                      {name, n.line, n.where});
    }
    check_file_name(n.path, n.where);
    if (!p.has(n.param)) {
      throw invalid_field(n.param,
                          "the plan names '" + n.path + "' (" + n.where + "): send its CSV text as " + n.param);
    }
    files.emplace_back(n.path, p.text(n.param));
  }
  return files;
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
    r.params.push_back(int_param("projection_samples",
                                 "sample paths of the benchmark projections that date future "
                                 "readiness",
                                 "500", 10, 100000));
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
      Files files = plan_upload(p, "plan", "file_name");
      service::PlanRequest q;
      q.file = files.front().first;
      q.solve = solve_options(p);
      q.projection_samples = static_cast<std::size_t>(p.integer("projection_samples"));
      q.with_geometry = o.format == io::Format::kGeoJson && o.view == "provinces";
      return [q, files, user = c.user.name, o](service::Engine& e) {
        Upload up(user, files);
        service::PlanRequest in = q;
        in.base_dir = up.dir();
        return render(e.plan_run(in), o);
      };
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
    const service::TasksRequest d;
    r.params = {
        doc_param("register", "the task register YAML (docs/tasks.md)"),
        str_param("file_name", "the register's file name, as the documents name it", "tasks.yaml"),
        list_param("exits", "exit months PROVINCE=YYYY-MM replacing the register's exits (ignored with a plan)"),
        doc_param("plan", "a transition plan YAML: its exits, phases and cost per budget year")};
    r.params.front().required = true;
    r.params = with(r.params, plan_file_params("plan", "plan_file_name", "plan.yaml"));
    r.params = with(r.params, solver_params("30"));
    r.params.push_back(int_param("exact_cells", "solver auto: exact when handovers x periods is at most N",
                                 std::to_string(d.schedule.auto_exact_cells), 0, 1e8));
    r.params.push_back(
        int_param("framework_version", "benchmark framework version (default: the latest)", "", 1, 9e15));
    r.params.push_back(str_param("stakeholder", "whose thresholds judge the handover conditions (default: all)"));
    r.params.push_back(bool_param("no_projection", "conditions met only when met now (no benchmark projections)"));
    r.params.push_back(int_param("projection_samples", "sample paths of the benchmark projections",
                                 std::to_string(d.projection_samples), 10, 100000));
    r.params.push_back(
        str_param("territory_level", "level of the territories whose continuity is reported", d.territory_level));
    r.formats = {"json", "geojson", "csv"};
    r.views = {"handovers", "timeline", "risks", "shortfall", "partners", "sequence", "continuity"};
    r.prepare = [](const Call& c) -> Run {
      const Params& p = c.params;
      const std::string name = p.text("file_name");
      check_file_name(name);
      const std::string text = p.text("register");
      if (text.empty()) throw invalid_field("register", "must hold the task register YAML");
      (void)tasks::parse_register(text, name);  // a wrong register fails now, naming its line and field
      Files files{{name, text}};
      service::TasksRequest q;
      q.file = name;
      if (p.has("plan")) {
        Files plan = plan_upload(p, "plan", "plan_file_name");
        for (const auto& f : plan) {
          for (const auto& g : files) {
            if (f.first == g.first)
              throw invalid_field("plan_file_name", "must differ from file_name ('" + g.first + "')");
          }
        }
        q.plan_file = plan.front().first;
        files.insert(files.end(), plan.begin(), plan.end());
      } else {
        for (const char* f : {"localities", "candidates", "plan_file_name"}) {
          if (p.has(f)) throw invalid_field(f, "goes with a plan");
        }
      }
      q.exits = exits_of(p);
      q.schedule.solver = *fp::parse_solver(p.text("solver"));
      q.schedule.time_limit_s = p.number("time_limit");
      q.schedule.auto_exact_cells = static_cast<std::size_t>(p.integer("exact_cells"));
      q.framework_version = p.maybe_integer("framework_version");
      q.stakeholder = p.text("stakeholder");
      q.project = !p.flag("no_projection");
      q.projection_samples = static_cast<std::size_t>(p.integer("projection_samples"));
      q.territory_level = p.text("territory_level");
      q.with_geometry = c.write.format == io::Format::kGeoJson;
      return [q, files, user = c.user.name, o = c.write](service::Engine& e) {
        Upload up(user, files);
        service::TasksRequest in = q;
        in.base_dir = up.dir();
        return render(e.tasks_schedule(in), o);
      };
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
    const service::SimulationSetup d;
    r.params = {
        doc_list_param("plans", "plan YAMLs, one policy each; the first is the reference of the differences"),
        list_param("plan_names",
                   "the plans' file names, in order, as the documents name them (default: "
                   "plan-1.yaml, plan-2.yaml, ...)"),
        str_param("level", "simulation level (default: the framework's area_level)"),
        choice_param("target", "what is simulated", {"fatalities", "vac-events", "vac-fatalities"}, "fatalities"),
        choice_param("model", "one-step model fed with each path's history", {"nb", "bootstrap", "last", "zero"}, "nb"),
        choice_param("presence", "presence effect: the cited priors or none", {"priors", "none"}, "priors"),
        int_param("horizon", "months simulated", std::to_string(d.horizon), 1, 240),
        int_param("paths", "sample paths", std::to_string(d.paths), 1, 1000000),
        int_param("seed", "random seed (same seed, same paths, any threads)", "1", 0, 9e15),
        int_param("threads", "worker threads (0 = all cores)", "0", 0, 1024),
        num_param("hotspot_threshold", "a hotspot month: at least this much of the target in an area", "25", 0, 1e9),
        int_param("neighbours", "nb: k nearest area centroids in the spatial lag",
                  std::to_string(d.model.nb.neighbours), 0, 64),
        num_param("ridge", "nb: L2 penalty on the slopes", "100", 0, 1e300),
        int_param("version", "stored framework version (default: the latest)", "", 1, 9e15),
        str_param("stakeholder", "only this stakeholder's readiness (default: as each plan says)")};
    r.params.front().required = true;
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
      auto& s = q.setup;
      if (p.has("version")) s.select.version = p.integer("version");
      s.select.stakeholder = p.text("stakeholder");
      s.level = p.text("level");
      s.target = *forecast::parse_target(p.text("target"));
      s.model.model = p.text("model");
      s.model.nb.neighbours = static_cast<int>(p.integer("neighbours"));
      s.model.nb.ridge = p.number("ridge");
      s.presence = p.text("presence");
      s.horizon = static_cast<int>(p.integer("horizon"));
      s.paths = static_cast<int>(p.integer("paths"));
      s.seed = static_cast<std::uint64_t>(p.integer("seed"));
      s.threads = static_cast<int>(p.integer("threads"));
      s.hotspot_threshold = p.number("hotspot_threshold");
      return [q, files, user = c.user.name, o = c.write](service::Engine& e) {
        Upload up(user, files);
        service::SimulateRequest in = q;
        in.base_dir = up.dir();
        return render(e.simulate(in), o);
      };
    };
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace endstate::server::detail
