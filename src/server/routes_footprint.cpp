// Routes of the footprint: the recommended footprint and the protection gaps
// of closures (both jobs). Localities and candidate files stay on the CLI.
#include "endstate/core/error.hpp"
#include "endstate/io/writers.hpp"
#include "server/detail/route.hpp"

namespace endstate::server::detail {

namespace {

namespace fp = endstate::footprint;

template <class T>
std::vector<T> with(std::vector<T> a, const std::vector<T>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

std::vector<ParamSpec> model_params() {
  return {
      str_param("level", "areas for coverage statistics and threat (default: province)"),
      choice_param("demand", "demand points: area centroids or PRIO-GRID cells", {"areas", "grid"}, "areas"),
      str_param("demand_level", "demand areas: the level whose centroids are demand points (default: level)"),
      num_param("default_population", "population of a demand point with none known", "1000", 0, 1e9),
      choice_param("threat", "threat per demand point's area", {"forecast", "index", "recent", "none"}, "recent"),
      int_param("threat_months", "months ahead (forecast) or back (recent, index)", "12", 1, 600),
      month_param("month", "today's deployments and end of the threat window (default: last event month)"),
      choice_param("candidates", "candidate sites: the heaviest demand points or none", {"demand", "none"}, "demand"),
      int_param("candidate_limit", "candidates demand: how many demand points become candidates", "300", 0, 1e6),
      num_param("response_hours", "a point is covered when a site reaches it within H hours", "6", 0.01, 1000),
      num_param("road_kmh", "average road speed", "25", 0.1, 1000),
      num_param("detour", "road distance / great-circle distance", "1.5", 1, 10),
      num_param("air_kmh", "helicopter speed (sites with aviation)", "180", 1, 2000),
      num_param("air_prep_hours", "helicopter preparation before take-off", "1", 0, 100),
      num_param("air_max_km", "helicopter radius of action", "300", 0, 5000)};
}

service::FootprintModelRequest model_request(const Params& p) {
  service::FootprintModelRequest o;
  o.level = p.text("level");
  o.demand = p.text("demand") == "grid" ? service::Demand::kGrid : service::Demand::kAreas;
  o.demand_level = p.text("demand_level");
  const std::string threat = p.text("threat");
  o.threat = threat == "forecast" ? service::ThreatWeight::kForecast
             : threat == "index"  ? service::ThreatWeight::kIndex
             : threat == "none"   ? service::ThreatWeight::kNone
                                  : service::ThreatWeight::kRecent;
  o.threat_months = static_cast<int>(p.integer("threat_months"));
  o.month = p.month("month");
  o.candidates = p.text("candidates") == "none" ? service::Candidates::kNone : service::Candidates::kDemand;
  o.default_population = p.number("default_population");
  o.candidate_limit = static_cast<std::size_t>(p.integer("candidate_limit"));
  o.coverage.response_hours = p.number("response_hours");
  o.coverage.reach.road_kmh = p.number("road_kmh");
  o.coverage.reach.detour = p.number("detour");
  o.coverage.reach.air_kmh = p.number("air_kmh");
  o.coverage.reach.air_prep_hours = p.number("air_prep_hours");
  o.coverage.reach.air_max_km = p.number("air_max_km");
  return o;
}

}  // namespace

std::vector<Route> footprint_routes() {
  std::vector<Route> out;
  {
    Route r{
        "POST", "/api/footprint/optimize", "footprint_optimize",
        "Recommended open sites and troops per site (maximal covering location) against today's footprint (a job)."};
    r.kind = "footprint";
    r.needs = Capability::kRun;
    r.job = true;
    r.body = Body::kJson;
    r.params =
        with(model_params(),
             {int_param("ceiling", "troop ceiling across open sites", "", 0, 1e7),
              int_param("max_sites", "at most P open sites (0 = no limit)", "0", 0, 1e6),
              int_param("min_troops", "troops an open site needs", "150", 0, 1e5),
              num_param("load_per_troop", "capacitated coverage: weight per troop", "", 1e-12, 1e12),
              num_param("backup_weight", "weight covered twice counts (1 + B) times", "0", 0, 100),
              list_param("lock", "sites (key or name) that must stay open"),
              list_param("forbid", "sites (key or name) that may not open"),
              bool_param("keep_today", "lock every site of today's footprint"),
              choice_param("solver", "exact MILP, heuristic, or auto by size", {"exact", "heuristic", "auto"}, "auto"),
              num_param("time_limit", "solver time limit in seconds", "60", 0.1, 1e6)});
    r.formats = {"json", "geojson", "csv"};
    r.views = {"sites", "coverage", "reach"};
    r.prepare = [](const Call& c) -> Run {
      const Params& p = c.params;
      service::FootprintOptimizeRequest q;
      q.model = model_request(p);
      q.ceiling = p.maybe_integer("ceiling");
      q.max_sites = static_cast<int>(p.integer("max_sites"));
      q.min_troops = p.integer("min_troops");
      q.load_per_troop = p.maybe_number("load_per_troop");
      q.backup_weight = p.number("backup_weight");
      q.lock = p.list("lock");
      q.forbid = p.list("forbid");
      q.lock_today = p.flag("keep_today");
      q.solve.solver = *fp::parse_solver(p.text("solver"));
      q.solve.time_limit_s = p.number("time_limit");
      return [q, o = c.write](service::Engine& e) { return render(e.footprint_optimize(q), o); };
    };
    out.push_back(std::move(r));
  }
  {
    Route r{"POST", "/api/footprint/gaps", "footprint_gaps",
            "Protection gap of every open site, or of a list of closures with who loses coverage and the "
            "mitigations (a job)."};
    r.kind = "footprint_gaps";
    r.needs = Capability::kRun;
    r.job = true;
    r.body = Body::kJson;
    r.params = with(model_params(),
                    {list_param("close", "a proposed list of closures (keys or names)"),
                     num_param("mitigation_hours", "air mitigation window (default 2 x response_hours)", "", 0, 1000),
                     int_param("top", "the N largest gaps (0 = all)", "0", 0, 1e6)});
    r.formats = {"json", "geojson", "csv"};
    r.prepare = [](const Call& c) -> Run {
      const Params& p = c.params;
      service::FootprintGapsRequest q;
      q.model = model_request(p);
      q.close = p.list("close");
      q.mitigation_hours = p.maybe_number("mitigation_hours");
      const auto top = static_cast<std::size_t>(p.integer("top"));
      return [q, top, o = c.write](service::Engine& e) {
        std::ostringstream s;
        io::write(s, e.footprint_gaps(q), o, top);
        return Output{content_type(o.format), s.str()};
      };
    };
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace endstate::server::detail
