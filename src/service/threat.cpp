// The threat picture through the engine: panel, composite index, space-time scan.
#include <cmath>

#include "endstate/core/error.hpp"
#include "endstate/service/engine.hpp"
#include "service/detail/engine_impl.hpp"

namespace endstate::service {

std::string to_string(ScanMeasure m) { return m == ScanMeasure::kEvents ? "events" : "fatalities"; }

std::string to_string(ViolenceGroup g) {
  switch (g) {
    case ViolenceGroup::kVac:
      return "vac";
    case ViolenceGroup::kAll:
      return "all";
    case ViolenceGroup::kState:
      return "state";
    case ViolenceGroup::kNonState:
      return "nonstate";
  }
  return "vac";
}

namespace {

struct Loaded {
  std::string level;
  Panel panel;
};

Loaded load(store::Database& db, const PanelRange& r) {
  const std::string level = detail::level_or_default(db, r.level);
  return {level, detail::load_panel(db, level, r.from, r.to)};
}

SeriesSpec series_spec(ScanMeasure measure, ViolenceGroup type) {
  SeriesSpec s;
  s.measure = measure == ScanMeasure::kEvents ? SeriesSpec::Measure::kEvents : SeriesSpec::Measure::kFatalities;
  switch (type) {
    case ViolenceGroup::kVac:
      s.types = {ViolenceType::kOneSided};
      break;
    case ViolenceGroup::kState:
      s.types = {ViolenceType::kStateBased};
      break;
    case ViolenceGroup::kNonState:
      s.types = {ViolenceType::kNonState};
      break;
    case ViolenceGroup::kAll:
      break;
  }
  return s;
}

}  // namespace

ThreatPanelResult Engine::threat_panel(const ThreatPanelRequest& r) {
  auto [level, panel] = load(reader(), r.range);
  ThreatPanelResult out;
  out.rows = threat::panel_rows(panel);
  out.level = std::move(level);
  out.panel = std::move(panel);
  return out;
}

ThreatIndexResult Engine::threat_index(const ThreatIndexRequest& r) {
  ThreatIndexResult out;
  out.options = r.options;
  if (!(out.options.lambda > 0 && out.options.lambda <= 1)) {
    throw invalid_field("lambda", "must be in (0, 1] (got " + std::to_string(out.options.lambda) + ")");
  }
  if (out.options.trend_months < 3 || out.options.trend_months > 600) {
    throw invalid_field("trend_months", "must be an integer in 3..600");
  }
  if (!(out.options.alpha > 0 && out.options.alpha < 1)) throw invalid_field("alpha", "must be in (0, 1)");
  if (!r.weights_file.empty()) {
    out.options.weights = threat::parse_weights_yaml(detail::read_text(r.weights_file, "weights"), r.weights_file);
  }
  auto& db = reader();
  auto [level, panel] = load(db, r.range);
  if (r.month) {
    out.only_month = panel.month_index(*r.month);
    if (!out.only_month) {
      throw invalid_field("month",
                          r.month->str() + " is outside the panel " + panel.first().str() + ".." + panel.last().str());
    }
  }
  out.report_month = out.only_month.value_or(panel.month_count() - 1);
  auto rows = threat::threat_index(panel, out.options);
  for (auto& row : rows) {
    if (!out.only_month || row.month == *out.only_month) out.rows.push_back(row);
  }
  if (r.with_geometry) out.shapes = detail::shapes(db, level);
  out.level = std::move(level);
  out.panel = std::move(panel);
  return out;
}

HotspotsResult Engine::threat_hotspots(const HotspotsRequest& r) {
  threat::ScanOptions o = r.options;
  if (!(o.max_population_share > 0 && o.max_population_share <= 1)) {
    throw invalid_field("max_share", "must be in (0, 1]");
  }
  if (o.max_radius_km && !(*o.max_radius_km > 0)) throw invalid_field("max_radius_km", "must be > 0");
  // Counts are bounded before anything is allocated or started: replications
  // size an array, threads are started up front (issue 18.4).
  if (o.max_months < 1 || o.max_months > 600) throw invalid_field("max_months", "must be an integer in 1..600");
  if (o.max_clusters < 1 || o.max_clusters > 1000) throw invalid_field("max_clusters", "must be an integer in 1..1000");
  if (o.replications > 100000) throw invalid_field("replications", "must be an integer in 0..100000");
  if (o.threads > 256) throw invalid_field("threads", "must be an integer in 0..256 (0 = all cores)");
  if (o.min_cases < 1 || o.min_cases > 1000000) throw invalid_field("min_cases", "must be an integer in 1..1000000");
  if (o.sequential_exceedances < 1 || o.sequential_exceedances > 100000) {
    throw invalid_field("sequential_exceedances", "must be an integer in 1..100000");
  }
  if (!(o.report_p >= 0 && o.report_p <= 1)) throw invalid_field("max_p", "must be in [0, 1]");
  auto& db = reader();
  auto [level, panel] = load(db, r.range);
  threat::ScanData d;
  bool all_pop = true;
  for (const auto& ar : panel.areas()) {
    d.centroids.push_back(ar.centroid);
    all_pop = all_pop && ar.population && *ar.population > 0;
  }
  if (r.model == ScanModelChoice::kPoisson && !all_pop) {
    throw bad_input("the Poisson model needs a population for every area at level '" + level +
                    "'; import populations (areas import --population-field) or use the permutation model");
  }
  o.model = r.model == ScanModelChoice::kPermutation || (r.model == ScanModelChoice::kAuto && !all_pop)
                ? threat::ScanModel::kPermutation
                : threat::ScanModel::kPoisson;
  if (o.model == threat::ScanModel::kPoisson) {
    for (const auto& ar : panel.areas()) d.population.push_back(*ar.population);
  }
  d.months = panel.month_count();
  for (double v : series(panel, series_spec(r.measure, r.type))) d.counts.push_back(std::llround(v));
  HotspotsResult out;
  out.scan = threat::space_time_scan(d, o);
  if (r.satscan_files) {
    threat::SatscanExportInput in;
    for (const auto& ar : panel.areas()) {
      std::string id = ar.id;  // SaTScan ids hold no whitespace
      for (auto& ch : id) {
        if (ch == ' ' || ch == '\t') ch = '_';
      }
      in.area_ids.push_back(id);
    }
    in.start_year = panel.first().year();
    in.start_month = panel.first().month();
    out.satscan = threat::satscan_export(d, o, in);
  }
  out.level = std::move(level);
  out.panel = std::move(panel);
  out.measure = r.measure;
  out.type = r.type;
  out.options = o;
  return out;
}

}  // namespace endstate::service
