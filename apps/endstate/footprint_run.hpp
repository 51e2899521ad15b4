#pragma once
// The footprint commands' reusable side (also called by `endstate demo`):
// builds the coverage model from the store (demand points, threat weights,
// today's sites and candidate sites), runs the optimisation and the
// protection-gap analysis, and prints the results.

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "cli.hpp"
#include "endstate/core/domain.hpp"
#include "endstate/footprint/coverage.hpp"
#include "endstate/footprint/gaps.hpp"
#include "endstate/footprint/location.hpp"
#include "endstate/store/database.hpp"

namespace endstate::cli::footprint_run {

/// How the coverage model is built from the store.
struct ModelOptions {
  std::string level;                 ///< areas for statistics and threat ("" = province or first level)
  std::string demand = "areas";      ///< areas | grid | localities
  std::string demand_level;          ///< --demand areas: level of the centroids ("" = level)
  std::string localities_csv;        ///< --demand localities FILE
  std::string threat = "recent";     ///< forecast | index | recent | none
  int threat_months = 12;            ///< window of the observed violence against civilians
  std::optional<Month> month;        ///< today's deployments and end of the threat window (default: last event month)
  std::string candidates = "demand"; ///< none | demand | FILE.csv
  std::size_t candidate_limit = 300; ///< --candidates demand: the heaviest demand points
  double default_population = 1000;  ///< population of a demand point whose population is unknown and cannot be derived
  footprint::CoverageParams coverage;
};

/// The model: demand, sites (today's first, then candidates) and coverage.
struct Model {
  std::string level;
  Month month;
  std::vector<footprint::DemandPoint> demand;
  std::vector<double> population;                     ///< [demand point]
  std::vector<footprint::Site> sites;
  footprint::Coverage coverage;
  footprint::CoverageParams params;                   ///< the reach assumptions used
  std::vector<std::string> area_ids, area_names;      ///< areas of `level`
  std::vector<int> demand_area;                       ///< [demand point] -> area index or -1
  std::size_t population_imputed = 0;                 ///< localities whose population came from the rule
  std::size_t population_unknown = 0;                 ///< ... of which got default_population
  std::size_t dropped_outside = 0;                    ///< localities outside every area of `level`
};

/// Threat multiplier per area of `level` (index parallel to `areas`):
/// "none" = 1; "recent" = one-sided violence events (UCDP type 3, ACLED
/// violence against civilians) over the last `months` months to `end`,
/// divided by `population[a]` (the area's demand population). Extend here for
/// "forecast" and "index".
std::vector<double> threat_by_area(store::Database& db, const std::string& mode, const std::string& level,
                                   const std::vector<std::string>& area_ids, const std::vector<double>& population,
                                   int months, Month end);

/// Builds the model. Errors: kUsage for bad flags, kBadInput naming
/// file:line:field for bad CSVs, kNotFound when the store lacks areas/events.
Model load_model(store::Database& db, const ModelOptions& o);

struct OptimizeOptions {
  std::optional<std::int64_t> ceiling;   ///< troops across open sites
  int max_sites = 0;                     ///< 0 = no limit
  std::int64_t min_troops = 150;         ///< troops an open site needs (a company)
  std::optional<double> load_per_troop;  ///< capacitated coverage
  double backup_weight = 0;
  std::vector<std::string> lock, forbid; ///< site ids or names
  bool lock_today = false;               ///< keep every site of today's footprint open
  footprint::SolveOptions solve;
};

struct AreaCoverage {
  std::string area_id, area_name;
  double population = 0, weight = 0;
  double covered = 0, covered_today = 0;        ///< weight
  double pop_covered = 0, pop_covered_today = 0;
};

struct OptimizeResult {
  footprint::CoverSolution recommended;
  footprint::CoverSolution today;
  std::vector<std::int64_t> troops;         ///< [site] recommended troops (0 when closed)
  std::vector<double> site_weight;          ///< [site] weight the site covers in the recommendation (shared split equally)
  std::vector<AreaCoverage> by_area;        ///< one per area of the level, then "(none)" when needed
  double total_weight = 0, total_population = 0;
};

OptimizeResult optimize(const Model& m, const OptimizeOptions& o);

struct GapsResult {
  std::vector<footprint::SiteGap> ranked;           ///< today's open sites, largest gap first
  std::optional<footprint::ClosureGap> closure;     ///< when a list was given
  std::vector<std::size_t> closed;                  ///< site indices of the list
  double covered_today = 0, total_weight = 0;
  double seconds = 0;
};

/// Gaps over today's footprint; `close` holds site ids or names.
GapsResult gaps(const Model& m, const std::vector<std::string>& close, double mitigation_hours);

void print_optimize(std::ostream& out, const Model& m, const OptimizeResult& r, Format f, const std::string& table);
void print_gaps(std::ostream& out, const Model& m, const GapsResult& r, Format f, std::size_t top);

}  // namespace endstate::cli::footprint_run
