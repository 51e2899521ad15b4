// endstate footprint optimize | gaps | solve
#include "commands.hpp"
#include "common.hpp"
#include "endstate/core/error.hpp"
#include "endstate/io/writers.hpp"

namespace endstate::cli {
namespace {

namespace fp = endstate::footprint;

service::FootprintModelRequest model_request(const Args& a) {
  service::FootprintModelRequest o;
  o.level = a.get("level");
  const std::string demand = a.get("demand");
  if (demand == "areas") {
    o.demand = service::Demand::kAreas;
  } else if (demand == "grid") {
    o.demand = service::Demand::kGrid;
  } else if (demand == "localities") {
    o.demand = service::Demand::kLocalities;
  } else {
    throw usage_error("--demand must be areas, grid or localities (got '" + demand + "')");
  }
  o.demand_level = a.get("demand-level");
  o.localities_file = a.has("localities") ? input_path(a.get("localities")) : "";
  const std::string threat = a.get("threat");
  if (threat == "forecast") {
    o.threat = service::ThreatWeight::kForecast;
  } else if (threat == "index") {
    o.threat = service::ThreatWeight::kIndex;
  } else if (threat == "recent") {
    o.threat = service::ThreatWeight::kRecent;
  } else if (threat == "none") {
    o.threat = service::ThreatWeight::kNone;
  } else {
    throw usage_error("--threat must be forecast, index, recent or none (got '" + threat + "')");
  }
  o.threat_months = static_cast<int>(int_flag(a, "threat-months", 1, 600));
  o.month = month_flag(a, "month");
  const std::string cand = a.get("candidates");
  if (cand == "demand") {
    o.candidates = service::Candidates::kDemand;
  } else if (cand == "none") {
    o.candidates = service::Candidates::kNone;
  } else {
    o.candidates = service::Candidates::kFile;
    o.candidates_file = input_path(cand);
  }
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
  return {
      {"level", "L", "areas for coverage statistics and threat (default: province, else the first level below the top)",
       ""},
      {"demand", "areas|grid|localities", "demand points: area centroids, PRIO-GRID cells, or a localities CSV",
       "areas"},
      {"demand-level", "L", "--demand areas: the level whose centroids are demand points (default --level)", ""},
      {"localities", "FILE", "--demand localities: CSV with name, latitude, longitude, population (empty allowed)", ""},
      {"default-population", "N",
       "population of a demand point with none known and none derivable from its area (see docs/footprint.md)", "1000"},
      {"threat", "forecast|index|recent|none",
       "threat per demand point's area: forecast = expected events of violence against civilians per capita over the "
       "next --threat-months (forecast module, model best); index = the threat index's EWMA level at --month; recent = "
       "observed violence against civilians per capita over the last --threat-months; none = population only",
       "recent"},
      {"threat-months", "N", "months ahead (forecast) or back (recent, index window)", "12"},
      {"month", "YYYY-MM", "today's deployments and end of the threat window (default: last event month)", ""},
      {"candidates", "demand|none|FILE",
       "candidate sites: the heaviest demand points, none, or a CSV (name, latitude, longitude[, has_air])", "demand"},
      {"candidate-limit", "N", "--candidates demand: how many demand points become candidates", "300"},
      {"response-hours", "H", "a point is covered when a site reaches it within H hours", "6"},
      {"road-kmh", "V", "average road speed", "25"},
      {"detour", "F", "road distance / great-circle distance", "1.5"},
      {"air-kmh", "V", "helicopter speed (sites with aviation)", "180"},
      {"air-prep-hours", "H", "helicopter preparation before take-off", "1"},
      {"air-max-km", "KM", "helicopter radius of action", "300"}};
}

int footprint_optimize(const Args& a, std::ostream& out) {
  auto wo = write_options(a, true);
  wo.view = a.has("layer") ? a.get("layer") : a.get("table");
  service::FootprintOptimizeRequest o;
  o.model = model_request(a);
  if (a.has("ceiling")) o.ceiling = int_flag(a, "ceiling", 0, 10000000);
  o.max_sites = static_cast<int>(int_flag(a, "max-sites", 0, 1000000));
  o.min_troops = int_flag(a, "min-troops", 0, 100000);
  if (a.has("load-per-troop")) o.load_per_troop = number_flag(a, "load-per-troop", 1e-12, 1e12);
  o.backup_weight = number_flag(a, "backup-weight", 0, 100);
  o.lock = list_flag(a, "lock");
  o.forbid = list_flag(a, "forbid");
  o.lock_today = a.has("keep-today");
  o.solve = solve_options(a);
  io::write(out, engine(a).footprint_optimize(o), wo);
  return 0;
}

int footprint_gaps(const Args& a, std::ostream& out) {
  const auto wo = write_options(a, true);
  service::FootprintGapsRequest r;
  r.model = model_request(a);
  r.close = list_flag(a, "close");
  if (a.has("mitigation-hours")) r.mitigation_hours = number_flag(a, "mitigation-hours", 0, 1000);
  const auto top = static_cast<std::size_t>(int_flag(a, "top", 0, 1000000));
  io::write(out, engine(a).footprint_gaps(r), wo, top);
  return 0;
}

int footprint_solve(const Args& a, std::ostream& out) {
  const auto wo = write_options(a, false);
  service::PMedianRequest r;
  r.file = input_path(a.get("orlib-pmed"));
  r.solve = solve_options(a);
  io::write(out, engine(a).footprint_solve(r), wo);
  return 0;
}

}  // namespace

std::vector<CommandSpec> footprint_commands() {
  auto opt = model_flags();
  opt.push_back({"ceiling", "TROOPS", "troop ceiling across open sites (every open site needs --min-troops)", ""});
  opt.push_back({"max-sites", "P", "at most P open sites (0 = no limit)", "0"});
  opt.push_back({"min-troops", "N", "troops an open site needs (a company base)", "150"});
  opt.push_back({"load-per-troop", "W", "capacitated coverage: a site covers at most W x its troops of weight", ""});
  opt.push_back(
      {"backup-weight", "B", "weight covered by two or more sites counts (1 + B) times (backup coverage)", "0"});
  opt.push_back({"lock", "SITE,...", "sites (key or name) that must stay open", ""});
  opt.push_back({"forbid", "SITE,...", "sites (key or name) that may not open", ""});
  opt.push_back({"keep-today", "", "lock every site of today's footprint", ""});
  opt.push_back(
      {"solver", "exact|heuristic|auto", "exact MILP (CBC), greedy + swap heuristic, or auto by size", "auto"});
  opt.push_back({"time-limit", "S", "solver time limit in seconds", "60"});
  opt.push_back({"table", "sites|coverage", "--format csv: which table", "sites", false, "view"});
  opt.push_back({"layer", "sites|reach", "--format geojson: site points or the reach polygons of open sites", "sites",
                 false, "view"});
  opt.push_back(format_flag(true));
  opt.push_back(bom_flag());
  auto gaps = model_flags();
  gaps.push_back({"close", "SITE,...",
                  "a proposed list of closures (keys or names): total gap, who loses coverage, mitigations", ""});
  gaps.push_back({"mitigation-hours", "H",
                  "a remaining site mitigates a lost point when its helicopters reach it within H hours (default 2 x "
                  "--response-hours)",
                  ""});
  gaps.push_back({"top", "N", "show the N largest gaps (0 = all)", "0"});
  gaps.push_back(format_flag(true));
  gaps.push_back(bom_flag());
  return {
      {"footprint",
       "optimize",
       "Recommend open sites and troops per site: maximal covering location (Church & ReVelle 1974) of population x "
       "threat "
       "within a response time, under a troop ceiling and/or a number of sites, with locked/forbidden sites, capacity "
       "and "
       "backup coverage; compares with today's footprint under the same model. The solver's outcome is one of optimal, "
       "feasible (with its gap), time_limit, infeasible (with the conflicting constraints) or no_solution.",
       {},
       opt,
       footprint_optimize},
      {"footprint",
       "gaps",
       "Protection gap of every open site of today's footprint (weight only it covers, ranked), or of a list of "
       "closures "
       "with who loses coverage and the mitigations (air from a remaining site, else police or civilian presence).",
       {},
       gaps,
       footprint_gaps},
      {"footprint",
       "solve",
       "Solve an OR-Library p-median instance (Beasley 1990): exact by Lagrangian fixing, Lagrangian tree search and, "
       "if "
       "that runs out of time, the radius formulation in CBC; or the greedy + interchange heuristic.",
       {},
       {{"orlib-pmed", "FILE", "OR-Library pmed file (n m p, then i j cost lines)", "", true},
        {"solver", "exact|heuristic|auto", "auto = exact", "auto"},
        {"time-limit", "S", "time limit in seconds", "600"},
        format_flag(false),
        bom_flag()},
       footprint_solve},
  };
}

}  // namespace endstate::cli
