// Routes of the threat picture: panel, composite index, space-time scan (a job).
#include "endstate/core/error.hpp"
#include "endstate/io/writers.hpp"
#include "server/detail/route.hpp"

namespace endstate::server::detail {

namespace {

std::vector<ParamSpec> range_params() {
  return {str_param("level", "area level (default: province when present, else the first level below the top)"),
          month_param("from", "first month (default: month of the first stored event)"),
          month_param("to", "last month (default: month of the last stored event)")};
}

service::PanelRange range(const Params& p) { return {p.text("level"), p.month("from"), p.month("to")}; }

template <class T>
std::vector<T> with(std::vector<T> a, const std::vector<T>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

}  // namespace

std::vector<Route> threat_routes() {
  std::vector<Route> out;
  {
    Route r{"GET", "/api/threat/panel", "threat_panel",
            "Area x month panel of events and fatalities by violence type, civilian deaths and rates."};
    r.kind = "threat_panel";
    r.params = range_params();
    r.formats = {"json", "csv"};
    r.prepare = [](const Call& c) -> Run {
      service::ThreatPanelRequest q{range(c.params)};
      return [q, o = c.write](service::Engine& e) { return render(e.threat_panel(q), o); };
    };
    out.push_back(std::move(r));
  }
  {
    Route r{"GET", "/api/threat/index", "threat_index",
            "Composite threat index per area and month, its EWMA level and Mann-Kendall trend; GeoJSON: the last "
            "month (or month) on the area polygons."};
    r.kind = "threat_index";
    r.params = with(range_params(), {month_param("month", "report only this month"),
                                     num_param("lambda", "EWMA smoothing in (0, 1]", "0.3", 1e-9, 1),
                                     int_param("trend_months", "Mann-Kendall over the last K months", "12", 3, 600),
                                     num_param("alpha", "trend significance level", "0.05", 1e-9, 0.999999)});
    r.formats = {"json", "geojson", "csv"};
    r.prepare = [](const Call& c) -> Run {
      service::ThreatIndexRequest q;
      q.range = range(c.params);
      q.month = c.params.month("month");
      q.options.lambda = c.params.number("lambda");
      q.options.trend_months = static_cast<std::size_t>(c.params.integer("trend_months"));
      q.options.alpha = c.params.number("alpha");
      q.with_geometry = c.write.format == io::Format::kGeoJson;
      return [q, o = c.write](service::Engine& e) { return render(e.threat_index(q), o); };
    };
    out.push_back(std::move(r));
  }
  {
    Route r{"POST", "/api/threat/hotspots", "threat_hotspots",
            "Kulldorff space-time scan (a job): clusters of events with Monte Carlo p-values."};
    r.kind = "hotspots";
    r.needs = Capability::kRun;
    r.job = true;
    r.body = Body::kJson;
    r.params = with(range_params(),
                    {choice_param("model", "scan model", {"auto", "poisson", "permutation"}, "auto"),
                     choice_param("mode", "retrospective, or prospective (windows end at the last month)",
                                  {"retrospective", "prospective"}, "retrospective"),
                     choice_param("measure", "what is counted", {"events", "fatalities"}, "events"),
                     choice_param("type", "violence counted", {"vac", "all", "state", "nonstate"}, "vac"),
                     num_param("max_share", "largest circle as a share of the population", "0.5", 1e-9, 1),
                     num_param("max_radius_km", "also cap circles at this radius", "", 1e-9, 20000),
                     int_param("max_months", "longest temporal window in months", "12", 1, 600),
                     int_param("replications", "Monte Carlo replications", "999", 0, 100000),
                     int_param("seed", "random seed", "1", 0, 9e15),
                     int_param("threads", "worker threads (0 = all cores); results do not depend on it", "0", 0, 256),
                     int_param("max_clusters", "most clusters reported", "10", 1, 1000),
                     num_param("max_p", "report only clusters with p-value <= max_p", "1", 0, 1),
                     choice_param("secondary", "secondary cluster rule", {"disjoint", "satscan"}, "disjoint"),
                     choice_param("p_value", "p-value method", {"montecarlo", "sequential", "gumbel"}, "montecarlo"),
                     int_param("sequential_exceedances", "H for the sequential p-value", "50", 1, 100000),
                     int_param("min_cases", "fewest cases in a scored window", "1", 1, 1000000),
                     choice_param("equidistant", "cells at equal distance join together or one at a time",
                                  {"group", "one-at-a-time"}, "group")});
    r.formats = {"json", "geojson", "csv"};
    r.prepare = [](const Call& c) -> Run {
      const Params& p = c.params;
      service::HotspotsRequest q;
      q.range = range(p);
      const std::string model = p.text("model");
      q.model = model == "poisson"       ? service::ScanModelChoice::kPoisson
                : model == "permutation" ? service::ScanModelChoice::kPermutation
                                         : service::ScanModelChoice::kAuto;
      q.options.mode =
          p.text("mode") == "prospective" ? threat::ScanMode::kProspective : threat::ScanMode::kRetrospective;
      q.measure = p.text("measure") == "fatalities" ? service::ScanMeasure::kFatalities : service::ScanMeasure::kEvents;
      const std::string type = p.text("type");
      q.type = type == "all"        ? service::ViolenceGroup::kAll
               : type == "state"    ? service::ViolenceGroup::kState
               : type == "nonstate" ? service::ViolenceGroup::kNonState
                                    : service::ViolenceGroup::kVac;
      auto& o = q.options;
      o.max_population_share = p.number("max_share");
      o.max_radius_km = p.maybe_number("max_radius_km");
      o.max_months = static_cast<std::size_t>(p.integer("max_months"));
      o.replications = static_cast<std::size_t>(p.integer("replications"));
      o.seed = static_cast<std::uint64_t>(p.integer("seed"));
      o.threads = static_cast<std::size_t>(p.integer("threads"));
      o.max_clusters = static_cast<std::size_t>(p.integer("max_clusters"));
      o.report_p = p.number("max_p");
      o.secondary =
          p.text("secondary") == "satscan" ? threat::SecondaryRule::kSatscan : threat::SecondaryRule::kDisjoint;
      const std::string pv = p.text("p_value");
      o.p_value = pv == "sequential" ? threat::PValueMethod::kSequential
                  : pv == "gumbel"   ? threat::PValueMethod::kGumbel
                                     : threat::PValueMethod::kMonteCarlo;
      o.sequential_exceedances = static_cast<std::size_t>(p.integer("sequential_exceedances"));
      o.min_cases = p.integer("min_cases");
      o.group_equidistant = p.text("equidistant") == "group";
      return [q, wo = c.write](service::Engine& e) { return render(e.threat_hotspots(q), wo); };
    };
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace endstate::server::detail
