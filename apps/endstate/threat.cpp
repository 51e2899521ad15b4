// endstate threat panel | index | hotspots
#include "commands.hpp"
#include "common.hpp"
#include "endstate/core/error.hpp"
#include "endstate/io/writers.hpp"
#include "endstate/service/folders.hpp"

namespace endstate::cli {
namespace {

service::PanelRange range(const Args& a) { return {a.get("level"), month_flag(a, "from"), month_flag(a, "to")}; }

std::vector<FlagSpec> range_flags() {
  return {{"level", "L", "area level (default: province when present, else the first level below the top)", ""},
          {"from", "YYYY-MM", "first month (default: month of the first stored event)", ""},
          {"to", "YYYY-MM", "last month (default: month of the last stored event)", ""}};
}

std::vector<FlagSpec> with(std::vector<FlagSpec> base, const std::vector<FlagSpec>& more) {
  base.insert(base.end(), more.begin(), more.end());
  return base;
}

int threat_panel(const Args& a, std::ostream& out) {
  const auto wo = write_options(a, false);
  io::write(out, engine(a).threat_panel({range(a)}), wo);
  return 0;
}

int threat_index(const Args& a, std::ostream& out) {
  const auto wo = write_options(a, true);
  service::ThreatIndexRequest r;
  r.range = range(a);
  r.month = month_flag(a, "month");
  r.options.lambda = number_flag(a, "lambda", 1e-9, 1);
  r.options.trend_months = static_cast<std::size_t>(int_flag(a, "trend-months", 3, 600));
  r.options.alpha = number_flag(a, "alpha", 1e-9, 0.999999);
  r.weights_file = a.has("weights") ? input_path(a.get("weights")) : "";
  r.with_geometry = wo.format == io::Format::kGeoJson;
  io::write(out, engine(a).threat_index(r), wo);
  return 0;
}

int threat_hotspots(const Args& a, std::ostream& out) {
  const auto wo = write_options(a, true);
  service::HotspotsRequest r;
  r.range = range(a);
  const std::string mode = a.get("mode");
  if (mode == "retrospective") {
    r.options.mode = threat::ScanMode::kRetrospective;
  } else if (mode == "prospective") {
    r.options.mode = threat::ScanMode::kProspective;
  } else {
    throw usage_error("--mode must be retrospective or prospective (got '" + mode + "')");
  }
  const std::string model = a.get("model");
  if (model == "auto") {
    r.model = service::ScanModelChoice::kAuto;
  } else if (model == "poisson") {
    r.model = service::ScanModelChoice::kPoisson;
  } else if (model == "permutation") {
    r.model = service::ScanModelChoice::kPermutation;
  } else {
    throw usage_error("--model must be poisson, permutation or auto (got '" + model + "')");
  }
  const std::string measure = a.get("measure");
  if (measure != "events" && measure != "fatalities") {
    throw usage_error("--measure must be events or fatalities (got '" + measure + "')");
  }
  r.measure = measure == "events" ? service::ScanMeasure::kEvents : service::ScanMeasure::kFatalities;
  const std::string type = a.get("type");
  if (type == "vac") {
    r.type = service::ViolenceGroup::kVac;
  } else if (type == "all") {
    r.type = service::ViolenceGroup::kAll;
  } else if (type == "state") {
    r.type = service::ViolenceGroup::kState;
  } else if (type == "nonstate") {
    r.type = service::ViolenceGroup::kNonState;
  } else {
    throw usage_error("--type must be vac, all, state or nonstate (got '" + type + "')");
  }
  auto& o = r.options;
  o.max_population_share = number_flag(a, "max-share", 1e-9, 1);
  if (a.has("max-radius-km")) o.max_radius_km = number_flag(a, "max-radius-km", 1e-9, 20000);
  o.max_months = static_cast<std::size_t>(int_flag(a, "max-months", 1, 600));
  o.replications = static_cast<std::size_t>(int_flag(a, "replications", 0, 100000));
  o.seed = static_cast<std::uint64_t>(int_flag(a, "seed", 0));
  o.threads = static_cast<std::size_t>(int_flag(a, "threads", 0, 256));
  o.max_clusters = static_cast<std::size_t>(int_flag(a, "max-clusters", 1, 1000));
  o.report_p = number_flag(a, "max-p", 0, 1);
  const std::string sec = a.get("secondary");
  if (sec == "disjoint") {
    o.secondary = threat::SecondaryRule::kDisjoint;
  } else if (sec == "satscan") {
    o.secondary = threat::SecondaryRule::kSatscan;
  } else {
    throw usage_error("--secondary must be disjoint or satscan (got '" + sec + "')");
  }
  const std::string pv = a.get("p-value");
  if (pv == "montecarlo") {
    o.p_value = threat::PValueMethod::kMonteCarlo;
  } else if (pv == "sequential") {
    o.p_value = threat::PValueMethod::kSequential;
  } else if (pv == "gumbel") {
    o.p_value = threat::PValueMethod::kGumbel;
  } else {
    throw usage_error("--p-value must be montecarlo, sequential or gumbel (got '" + pv + "')");
  }
  o.sequential_exceedances = static_cast<std::size_t>(int_flag(a, "sequential-exceedances", 1, 100000));
  o.min_cases = int_flag(a, "min-cases", 1, 1000000);
  const std::string eq = a.get("equidistant");
  if (eq != "group" && eq != "one-at-a-time") {
    throw usage_error("--equidistant must be group or one-at-a-time (got '" + eq + "')");
  }
  o.group_equidistant = eq == "group";
  r.satscan_files = a.has("export-satscan");
  const auto res = engine(a).threat_hotspots(r);
  if (res.satscan) {
    const std::string dir = a.get("export-satscan");
    service::prepare_output_folder(dir, false, "export_satscan");
    const threat::SatscanExportInput names;
    write_text_file(dir + "/" + names.case_file, res.satscan->cases);
    write_text_file(dir + "/" + names.coordinates_file, res.satscan->coordinates);
    if (!res.satscan->population.empty()) write_text_file(dir + "/" + names.population_file, res.satscan->population);
    write_text_file(dir + "/analysis.prm", res.satscan->parameters);
  }
  io::write(out, res, wo);
  return 0;
}

}  // namespace

std::vector<CommandSpec> threat_commands() {
  return {
      {"threat",
       "panel",
       "Area x month panel of events and fatalities by violence type (state, nonstate, vac = violence against "
       "civilians, other), civilian deaths and rates per 100,000 people; months without events are kept as zero rows.",
       {},
       with(range_flags(), {format_flag(false), bom_flag()}),
       threat_panel},
      {"threat",
       "index",
       "Composite threat index per area and month (weighted sum of components; weights from --weights), its EWMA "
       "level and a Mann-Kendall trend over the last months (rising, stable, falling). GeoJSON: area polygons with the "
       "index of the last month (or --month).",
       {},
       with(range_flags(), {{"month", "YYYY-MM", "report only this month", ""},
                            {"lambda", "X", "EWMA smoothing in (0, 1]", "0.3"},
                            {"weights", "FILE",
                             "YAML 'name: weight' (vac_fatalities_per_100k 1, vac_events 0.5, battle_events 0.25, "
                             "battle_fatalities_per_100k 0.25, civilian_deaths_per_100k 0, other_events 0)",
                             ""},
                            {"trend-months", "K", "Mann-Kendall over the last K months (>= 3)", "12"},
                            {"alpha", "A", "trend significance level", "0.05"},
                            format_flag(true),
                            bom_flag()}),
       threat_index},
      {"threat",
       "hotspots",
       "Kulldorff space-time scan statistic: clusters of events (circles around area centroids x runs of months) with "
       "Monte Carlo p-values; Poisson model with population at risk or space-time permutation model. Defaults: "
       "violence against civilians only, windows up to 12 months, circles up to 50% of the population (or of the "
       "events), 999 replications.",
       {},
       with(
           range_flags(),
           {{"model", "M", "poisson, permutation or auto (poisson when every area has a population)", "auto"},
            {"mode", "M", "retrospective, or prospective (windows end at the last month: clusters still alive)",
             "retrospective"},
            {"measure", "M", "events or fatalities", "events"},
            {"type", "T", "vac (violence against civilians), all, state or nonstate", "vac"},
            {"max-share", "X", "largest circle as a share of the population (permutation: of the count)", "0.5"},
            {"max-radius-km", "KM", "also cap circles at this radius", ""},
            {"max-months", "N", "longest temporal window in months", "12"},
            {"replications", "R", "Monte Carlo replications (at most 100000)", "999"},
            {"seed", "N", "random seed", "1"},
            {"threads", "N", "worker threads (0 = all cores, at most 256); results do not depend on it", "0"},
            {"max-clusters", "N", "most clusters reported (primary + non-overlapping secondary)", "10"},
            {"max-p", "P", "report only clusters with p-value <= P", "1", false, "max_p"},
            {"secondary", "RULE",
             "disjoint: the best window of every circle sharing no area with a reported cluster; satscan: SaTScan's "
             "rule, one window per centre, dropped when it overlaps a reported cluster in space and time",
             "disjoint"},
            {"p-value", "METHOD",
             "montecarlo: rank/(R+1); sequential: stop once H replications reach the primary LLR (Besag & Clifford "
             "1991, p = H/l); gumbel: Gumbel fit to the replication maxima (an approximation, as SaTScan)",
             "montecarlo"},
            {"sequential-exceedances", "H", "H for --p-value sequential (SaTScan's early-termination threshold)", "50"},
            {"min-cases", "N", "fewest cases in a scored window (SaTScan requires at least 2)", "1"},
            {"equidistant", "group|one-at-a-time",
             "cells at equal distance from a centre join a circle together (a true circle) or one at a time by id",
             "group"},
            {"export-satscan", "DIR",
             "also write the SaTScan case, coordinates, population and parameter files of this analysis into DIR (new "
             "or empty)",
             ""},
            format_flag(true),
            bom_flag()}),
       threat_hotspots},
  };
}

}  // namespace endstate::cli
