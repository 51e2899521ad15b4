// endstate plan run | compare | validate
#include "endstate/io/plan.hpp"
#include "commands.hpp"
#include "common.hpp"
#include "endstate/core/error.hpp"

namespace endstate::cli {
namespace {

namespace fp = endstate::footprint;

fp::SolveOptions solve_options(const Args& a) {
  fp::SolveOptions s;
  const auto k = fp::parse_solver(a.get("solver"));
  if (!k) throw usage_error("--solver must be exact, heuristic or auto (got '" + a.get("solver") + "')");
  s.solver = *k;
  s.time_limit_s = number_flag(a, "time-limit", 0.1, 1e6);
  return s;
}

std::string plan_file(const Args& a, std::size_t i) { return plan_path(a.positional(i)); }

int plan_run(const Args& a, std::ostream& out) {
  auto wo = write_options(a, true);
  if (wo.format == io::Format::kGeoJson) {
    wo.view = a.has("layer") ? a.get("layer") : "";
  } else if (wo.format == io::Format::kCsv) {
    wo.view = a.has("table") ? a.get("table") : "";
  } else if (a.has("table") || a.has("layer")) {
    throw usage_error("--table is for --format csv, --layer for --format geojson");
  }
  service::PlanRequest r;
  r.file = plan_file(a, 0);
  r.solve = solve_options(a);
  r.projection_samples = static_cast<std::size_t>(int_flag(a, "projection-samples", 10, 100000));
  r.with_geometry = wo.format == io::Format::kGeoJson && wo.view == "provinces";
  io::write(out, engine(a).plan_run(r), wo);
  return 0;
}

int plan_compare(const Args& a, std::ostream& out) {
  auto wo = write_options(a, false);
  if (a.has("table")) {
    if (wo.format != io::Format::kCsv) throw usage_error("--table is for --format csv");
    wo.view = a.get("table");
  }
  service::PlanCompareRequest r;
  r.file_a = plan_file(a, 0);
  r.file_b = plan_file(a, 1);
  r.solve = solve_options(a);
  r.projection_samples = static_cast<std::size_t>(int_flag(a, "projection-samples", 10, 100000));
  io::write(out, engine(a).plan_compare(r), wo);
  return 0;
}

int plan_validate(const Args& a, std::ostream& out) {
  const auto wo = write_options(a, false);
  if (wo.format == io::Format::kCsv) throw usage_error("--format must be table or json for plan validate");
  service::PlanValidateRequest r;
  r.file = plan_file(a, 0);
  io::write(out, engine(a).plan_validate(r), wo);
  return 0;
}

std::vector<FlagSpec> solver_flags() {
  return {{"solver", "exact|heuristic|auto",
           "exact MILP (CBC, the proven gap stated), rolling-horizon heuristic with a bound, or auto (exact when "
           "coverage pairs x phases <= 200000)",
           "auto"},
          {"time-limit", "S", "solver time limit in seconds (an exact solve stopped by it reports its gap)", "60"},
          {"projection-samples", "N", "sample paths of the benchmark projections that date future readiness", "500"}};
}

}  // namespace

std::vector<CommandSpec> plan_commands() {
  auto run = solver_flags();
  run.push_back({"table", "sites|phases|provinces|closures|costs",
                 "--format csv: the site x phase matrix of troops (a Gantt chart in a spreadsheet), the phases, the "
                 "provinces' exits, the closures with the localities they leave, or the cost per budget year",
                 "sites", false, "view"});
  run.push_back({"layer", "sites|provinces",
                 "--format geojson: bases per phase (points) or provinces per phase (polygons), each feature with "
                 "phase, start and end for QGIS' temporal controller",
                 "sites", false, "view"});
  run.push_back(format_flag(true));
  run.push_back(bom_flag());
  auto compare = solver_flags();
  compare.push_back({"table", "provinces|phases|totals",
                     "--format csv: exit month per province, coverage and gap per phase, or troop-months and cost",
                     "provinces", false, "view"});
  compare.push_back(format_flag(false));
  compare.push_back(bom_flag());
  return {
      {"plan",
       "run",
       "Run a transition plan (docs/plan.md): exits per the policy (end-state: ready under the named stakeholders, "
       "sustained; end-date: on the dates; hybrid), then the bases open in each phase maximising the threat-weighted "
       "population within reach over all phases (each phase's own threat), under ceilings, locks, lead times, closure "
       "limits and reversal triggers; with troops, police and civilians per phase, each closure's lost localities and "
       "their mitigation, and the cost per budget year. An infeasible plan is reported with its binding constraints.",
       {{"PLAN", "plan YAML (paths inside it are relative to its folder)"}},
       run,
       plan_run},
      {"plan",
       "compare",
       "Run two plan files (e.g. end-state and end-date) on the same data and forecast and show them side by side: "
       "exit month per province (and whether it was ready), coverage and gap per phase, troop-months, cost.",
       {{"A", "first plan YAML"}, {"B", "second plan YAML"}},
       compare,
       plan_compare},
      {"plan",
       "validate",
       "Check a plan file against the database without solving: phases and ceilings, provinces and dates, sites "
       "locked or forbidden, stakeholders; errors name file, line and field.",
       {{"PLAN", "plan YAML"}},
       {format_flag(false)},
       plan_validate},
  };
}

}  // namespace endstate::cli
