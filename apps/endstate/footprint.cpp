// endstate footprint optimize | gaps | solve
// Flags are parsed here; the model, the solvers and the printing live in
// footprint_run.cpp (shared with `endstate demo`) and src/footprint.
#include <cmath>

#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "common.hpp"
#include "endstate/core/error.hpp"
#include "endstate/core/progress.hpp"
#include "endstate/footprint/pmedian.hpp"
#include "endstate/store/database.hpp"
#include "footprint_run.hpp"

namespace endstate::cli {
namespace {

namespace fr = footprint_run;
namespace fp = endstate::footprint;

std::vector<std::string> list_flag(const Args& a, const std::string& flag) {
  std::vector<std::string> out;
  if (!a.has(flag)) return out;
  std::string cur;
  for (char c : a.get(flag)) {
    if (c == ',') {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

fr::ModelOptions model_options(const Args& a) {
  fr::ModelOptions o;
  o.level = a.get("level");
  o.demand = a.get("demand");
  o.demand_level = a.get("demand-level");
  o.localities_csv = a.get("localities");
  o.threat = a.get("threat");
  o.threat_months = static_cast<int>(int_flag(a, "threat-months", 1, 600));
  o.month = month_flag(a, "month");
  o.candidates = a.get("candidates");
  o.default_population = number_flag(a, "default-population", 0, 1e9);
  o.candidate_limit = static_cast<std::size_t>(int_flag(a, "candidate-limit", 0, 1000000));
  o.coverage.response_hours = number_flag(a, "response-hours", 0.01, 1000);
  o.coverage.reach.road_kmh = number_flag(a, "road-kmh", 0.1, 1000);
  o.coverage.reach.detour = number_flag(a, "detour", 1, 10);
  o.coverage.reach.air_kmh = number_flag(a, "air-kmh", 1, 2000);
  o.coverage.reach.air_prep_hours = number_flag(a, "air-prep-hours", 0, 100);
  o.coverage.reach.air_max_km = number_flag(a, "air-max-km", 0, 5000);
  return o;
}

fp::SolveOptions solve_options(const Args& a) {
  fp::SolveOptions s;
  const auto k = fp::parse_solver(a.get("solver"));
  if (!k) throw usage_error("--solver must be exact, heuristic or auto (got '" + a.get("solver") + "')");
  s.solver = *k;
  s.time_limit_s = number_flag(a, "time-limit", 0.1, 1e6);
  return s;
}

std::vector<FlagSpec> model_flags() {
  return {{"level", "L", "areas for coverage statistics and threat (default: province, else the first level below the top)", ""},
          {"demand", "areas|grid|localities", "demand points: area centroids, PRIO-GRID cells, or a localities CSV", "areas"},
          {"demand-level", "L", "--demand areas: the level whose centroids are demand points (default --level)", ""},
          {"localities", "FILE", "--demand localities: CSV with name, latitude, longitude, population (empty allowed)", ""},
          {"default-population", "N", "population of a demand point with none known and none derivable from its area (see docs/footprint.md)", "1000"},
          {"threat", "forecast|index|recent|none", "threat per demand point's area: forecast = expected events of violence against civilians per capita over the next --threat-months (forecast module, model best); index = the threat index's EWMA level at --month; recent = observed violence against civilians per capita over the last --threat-months; none = population only", "recent"},
          {"threat-months", "N", "months ahead (forecast) or back (recent, index window)", "12"},
          {"month", "YYYY-MM", "today's deployments and end of the threat window (default: last event month)", ""},
          {"candidates", "demand|none|FILE", "candidate sites: the heaviest demand points, none, or a CSV (name, latitude, longitude[, has_air])", "demand"},
          {"candidate-limit", "N", "--candidates demand: how many demand points become candidates", "300"},
          {"response-hours", "H", "a point is covered when a site reaches it within H hours", "6"},
          {"road-kmh", "V", "average road speed", "25"},
          {"detour", "F", "road distance / great-circle distance", "1.5"},
          {"air-kmh", "V", "helicopter speed (sites with aviation)", "180"},
          {"air-prep-hours", "H", "helicopter preparation before take-off", "1"},
          {"air-max-km", "KM", "helicopter radius of action", "300"}};
}

int footprint_optimize(const Args& a, std::ostream& out) {
  const Format format = parse_format(a.get("format"), true);
  const std::string table = a.get("table");
  if (table != "sites" && table != "coverage") throw usage_error("--table must be sites or coverage");
  fr::OptimizeOptions o;
  if (a.has("ceiling")) o.ceiling = int_flag(a, "ceiling", 0, 10000000);
  o.max_sites = static_cast<int>(int_flag(a, "max-sites", 0, 1000000));
  o.min_troops = int_flag(a, "min-troops", 0, 100000);
  if (a.has("load-per-troop")) o.load_per_troop = number_flag(a, "load-per-troop", 1e-12, 1e12);
  o.backup_weight = number_flag(a, "backup-weight", 0, 100);
  o.lock = list_flag(a, "lock");
  o.forbid = list_flag(a, "forbid");
  o.lock_today = a.has("keep-today");
  o.solve = solve_options(a);
  if (!o.ceiling && o.max_sites == 0) throw usage_error("give --ceiling TROOPS and/or --max-sites P");
  auto mo = model_options(a);
  auto db = store::Database::open_read_only(a.db_path());
  Progress progress("footprint optimize", 0);
  const auto model = fr::load_model(db, mo);
  progress.update(1);
  const auto r = fr::optimize(model, o);
  progress.finish();
  fr::print_optimize(out, model, r, format, table);
  return 0;
}

int footprint_gaps(const Args& a, std::ostream& out) {
  const Format format = parse_format(a.get("format"), true);
  const auto mo = model_options(a);
  const double mitigation = a.has("mitigation-hours") ? number_flag(a, "mitigation-hours", 0, 1000) : 2 * mo.coverage.response_hours;
  const auto top = static_cast<std::size_t>(int_flag(a, "top", 0, 1000000));
  auto db = store::Database::open_read_only(a.db_path());
  auto m = mo;
  m.candidates = "none";
  const auto model = fr::load_model(db, m);
  const auto g = fr::gaps(model, list_flag(a, "close"), mitigation);
  fr::print_gaps(out, model, g, format, top);
  return 0;
}

int footprint_solve(const Args& a, std::ostream& out) {
  const Format format = parse_format(a.get("format"), false);
  if (!a.has("orlib-pmed")) throw usage_error("give --orlib-pmed FILE");
  const auto inst = fp::read_orlib_pmed(a.get("orlib-pmed"));
  auto so = solve_options(a);
  Progress progress("footprint solve " + a.get("orlib-pmed"), 0);
  const auto s = fp::solve_pmedian(inst, so);
  progress.finish();
  if (format == Format::kJson) {
    nlohmann::ordered_json j;
    j["objective"] = s.objective;
    j["bound"] = s.bound;
    j["gap"] = s.gap;
    j["seconds"] = s.seconds;
    j["solver"] = s.solver;
    j["status"] = s.status;
    j["binding"] = nlohmann::ordered_json::array({"p"});
    nlohmann::ordered_json sites = nlohmann::ordered_json::array();
    for (int v : s.open) sites.push_back(v + 1);
    j["sites"] = sites;
    j["coverage"] = nlohmann::ordered_json::array();
    j["n"] = inst.n;
    j["p"] = inst.p;
    j["fixed_closed"] = s.fixed_closed;
    j["fixed_open"] = s.fixed_open;
    j["tree_nodes"] = s.tree_nodes;
    j["milp_columns"] = s.milp_columns;
    j["milp_rows"] = s.milp_rows;
    out << j.dump(2) << "\n";
    return 0;
  }
  std::string medians;
  for (int v : s.open) medians += (medians.empty() ? "" : " ") + std::to_string(v + 1);
  Table t{{"objective", "bound", "gap", "seconds", "solver", "status", "n", "p", "fixed_closed", "tree_nodes", "milp_columns", "medians"},
          {{fmt_double(s.objective, 6), fmt_double(s.bound, 6), fmt_double(s.gap, 8), fmt_double(s.seconds, 3), s.solver,
            s.status, std::to_string(inst.n), std::to_string(inst.p), std::to_string(s.fixed_closed),
            std::to_string(s.tree_nodes), std::to_string(s.milp_columns), medians}}};
  t.print(out, format);
  return 0;
}

}  // namespace

std::vector<CommandSpec> footprint_commands() {
  auto opt = model_flags();
  opt.push_back({"ceiling", "TROOPS", "troop ceiling across open sites (every open site needs --min-troops)", ""});
  opt.push_back({"max-sites", "P", "at most P open sites (0 = no limit)", "0"});
  opt.push_back({"min-troops", "N", "troops an open site needs (a company base)", "150"});
  opt.push_back({"load-per-troop", "W", "capacitated coverage: a site covers at most W x its troops of weight", ""});
  opt.push_back({"backup-weight", "B", "weight covered by two or more sites counts (1 + B) times (backup coverage)", "0"});
  opt.push_back({"lock", "SITE,...", "sites (key or name) that must stay open", ""});
  opt.push_back({"forbid", "SITE,...", "sites (key or name) that may not open", ""});
  opt.push_back({"keep-today", "", "lock every site of today's footprint", ""});
  opt.push_back({"solver", "exact|heuristic|auto", "exact MILP (CBC), greedy + swap heuristic, or auto by size", "auto"});
  opt.push_back({"time-limit", "S", "solver time limit in seconds", "60"});
  opt.push_back({"table", "sites|coverage", "--format csv: which table", "sites"});
  opt.push_back(format_flag(true));
  auto gaps = model_flags();
  gaps.push_back({"close", "SITE,...", "a proposed list of closures (keys or names): total gap, who loses coverage, mitigations", ""});
  gaps.push_back({"mitigation-hours", "H", "a remaining site mitigates a lost point when its helicopters reach it within H hours (default 2 x --response-hours)", ""});
  gaps.push_back({"top", "N", "show the N largest gaps (0 = all)", "0"});
  gaps.push_back(format_flag(true));
  return {
      {"footprint",
       "optimize",
       "Recommend open sites and troops per site: maximal covering location (Church & ReVelle 1974) of population x threat "
       "within a response time, under a troop ceiling and/or a number of sites, with locked/forbidden sites, capacity and "
       "backup coverage; compares with today's footprint under the same model.",
       {},
       opt,
       footprint_optimize},
      {"footprint",
       "gaps",
       "Protection gap of every open site of today's footprint (weight only it covers, ranked), or of a list of closures "
       "with who loses coverage and the mitigations (air from a remaining site, else police or civilian presence).",
       {},
       gaps,
       footprint_gaps},
      {"footprint",
       "solve",
       "Solve an OR-Library p-median instance (Beasley 1990): exact by Lagrangian fixing, Lagrangian tree search and, if "
       "that runs out of time, the radius formulation in CBC; or the greedy + interchange heuristic.",
       {},
       {{"orlib-pmed", "FILE", "OR-Library pmed file (n m p, then i j cost lines)", ""},
        {"solver", "exact|heuristic|auto", "auto = exact", "auto"},
        {"time-limit", "S", "time limit in seconds", "600"},
        format_flag(false)},
       footprint_solve},
  };
}

}  // namespace endstate::cli
