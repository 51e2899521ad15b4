// endstate tasks validate | schedule | continuity
#include "endstate/io/tasks.hpp"
#include "commands.hpp"
#include "common.hpp"
#include "endstate/core/error.hpp"

namespace endstate::cli {
namespace {

namespace fp = endstate::footprint;

service::TasksRequest request(const Args& a) {
  service::TasksRequest r;
  r.file = input_path(a.get("register"));
  for (const auto& e : list_flag(a, "exit")) {
    const auto eq = e.rfind('=');
    const auto m = eq == std::string::npos ? std::nullopt : Month::parse(e.substr(eq + 1));
    if (!m || eq == 0) throw usage_error("--exit takes PROVINCE=YYYY-MM[,...] (got '" + e + "')");
    r.exits.emplace_back(e.substr(0, eq), *m);
  }
  r.territory_level = a.get("territory-level");
  return r;
}

std::vector<FlagSpec> common_flags() {
  return {
      {"register", "FILE", "the task register (YAML, docs/tasks.md; '-' = standard input)", "", true, "file"},
      {"exit", "PROVINCE=YYYY-MM,...", "exit months (first month without the mission) replacing the register's 'exits'",
       "", false, "exits"},
      {"territory-level", "L",
       "level of the territories whose continuity of protection is reported (the exit level when the store has none)",
       "territory", false, "territory_level"}};
}

std::vector<FlagSpec> schedule_flags() {
  auto f = common_flags();
  f.push_back({"plan", "FILE",
               "a transition plan file (docs/plan.md): its exits, phases and cost per budget year replace --exit and "
               "the register's exits",
               "", false, "plan_file"});
  f.push_back({"solver", "exact|heuristic|auto",
               "exact time-indexed MILP (CBC), list scheduling with repair, or auto by size", "auto"});
  f.push_back({"exact-cells", "N", "--solver auto: exact when handovers x periods is at most N", "2000"});
  f.push_back({"time-limit", "S", "solver time limit in seconds", "30", false, "time_limit"});
  f.push_back({"framework-version", "N",
               "benchmark framework version the conditions are judged by (default: the latest)", "", false,
               "framework_version"});
  f.push_back({"stakeholder", "ID",
               "whose thresholds judge the handover conditions (default: every stakeholder must agree)", ""});
  f.push_back({"no-projection", "", "conditions met only when met now (no benchmark projections)", ""});
  f.push_back({"samples", "N", "sample paths of the benchmark projections", "200", false, "projection_samples"});
  return f;
}

service::TasksRequest schedule_request(const Args& a) {
  auto r = request(a);
  const auto k = fp::parse_solver(a.get("solver"));
  if (!k) throw usage_error("--solver must be exact, heuristic or auto (got '" + a.get("solver") + "')");
  r.schedule.solver = *k;
  if (a.has("plan")) r.plan_file = input_path(a.get("plan"));
  r.schedule.auto_exact_cells = static_cast<std::size_t>(int_flag(a, "exact-cells", 0, 100000000));
  r.schedule.time_limit_s = number_flag(a, "time-limit", 0.1, 1e6);
  if (a.has("framework-version")) r.framework_version = int_flag(a, "framework-version", 1);
  r.stakeholder = a.get("stakeholder");
  r.project = !a.has("no-projection");
  r.projection_samples = static_cast<std::size_t>(int_flag(a, "samples", 10, 100000));
  return r;
}

int tasks_validate(const Args& a, std::ostream& out) {
  auto wo = write_options(a, false);
  wo.view = a.get("table");
  io::write(out, engine(a).tasks_validate(request(a)), wo);
  return 0;
}

int tasks_schedule(const Args& a, std::ostream& out) {
  auto wo = write_options(a, true);
  wo.view = a.get("table");
  auto r = schedule_request(a);
  r.with_geometry = wo.format == io::Format::kGeoJson;
  io::write(out, engine(a).tasks_schedule(r), wo);
  return 0;
}

int tasks_continuity(const Args& a, std::ostream& out) {
  auto wo = write_options(a, true);
  wo.view = "continuity";
  auto r = schedule_request(a);
  r.with_geometry = wo.format == io::Format::kGeoJson;
  io::write(out, engine(a).tasks_schedule(r), wo);
  return 0;
}

}  // namespace

std::vector<CommandSpec> tasks_commands() {
  auto validate = common_flags();
  validate.push_back({"table", "tasks|partners|continuity", "which table (table and CSV)", "tasks", false, "view"});
  validate.push_back(format_flag(false));
  validate.push_back(bom_flag());
  auto schedule = schedule_flags();
  schedule.push_back({"table", "handovers|timeline|risks|shortfall|partners|sequence|continuity",
                      "which table (table and CSV): one row per task and place, the task x period timeline (Gantt), "
                      "the tasks at risk, the shortfall per budget year, partners per budget year, the sequence, or "
                      "territories x phases",
                      "handovers", false, "view"});
  schedule.push_back(format_flag(true));
  schedule.push_back(bom_flag());
  auto continuity = schedule_flags();
  continuity.push_back(format_flag(true));
  continuity.push_back(bom_flag());
  return {
      {"tasks",
       "validate",
       "Check a task register against the store: every field, partners, dependencies (acyclic; a cycle is named by "
       "its path), places (provinces or territories), exits and the benchmark ids of the stored framework. Lists the "
       "tasks, partners or protection mechanisms with their contacts.",
       {},
       validate,
       tasks_validate},
      {"tasks",
       "schedule",
       "Sequence the mandate tasks (dependencies, tier, benchmark gap) and schedule each handover before its "
       "province's exit within the partners' capacity and secured funding per budget year (July-June): exact "
       "time-indexed MILP in CBC for small registers, list scheduling with repair for large ones (the rule used is "
       "reported). Reports the tasks at risk, the shortfall per budget year and the territories left without any "
       "protection mechanism after each phase.",
       {},
       schedule,
       tasks_schedule},
      {"tasks",
       "continuity",
       "Continuity of protection: local protection committees, community alert networks and human rights monitoring "
       "per territory after each phase (none, mission_only, covered); GeoJSON gives the territories with their "
       "status for a map.",
       {},
       continuity,
       tasks_continuity},
  };
}

}  // namespace endstate::cli
