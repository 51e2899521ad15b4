#pragma once
// Requests and results of the footprint: the coverage model built from the
// store (demand points, threat weights, today's sites and candidates), the
// recommended footprint, protection gaps of closures, and OR-Library
// p-median instances (docs/footprint.md).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "endstate/footprint/coverage.hpp"
#include "endstate/footprint/gaps.hpp"
#include "endstate/footprint/location.hpp"
#include "endstate/footprint/pmedian.hpp"
#include "endstate/service/common.hpp"

namespace endstate::service {

/// Where people are (demand points).
enum class Demand {
  kAreas,       ///< centroids of the areas of a level
  kGrid,        ///< PRIO-GRID cells
  kLocalities,  ///< a localities CSV (name, latitude, longitude, population)
};

/// The threat multiplier of a demand point's area.
enum class ThreatWeight {
  kForecast,  ///< expected violence against civilians per capita over the next months (forecast module)
  kIndex,     ///< the threat index's EWMA level in the month
  kRecent,    ///< observed violence against civilians per capita over the last months
  kNone,      ///< population only
};

/// Where new sites may open.
enum class Candidates {
  kDemand,  ///< the heaviest demand points
  kNone,    ///< only today's sites
  kFile,    ///< a CSV (name, latitude, longitude[, has_air])
};

std::string to_string(Demand d);
std::string to_string(ThreatWeight t);
std::string to_string(Candidates c);

/// How the coverage model is built from the store.
struct FootprintModelRequest {
  std::string level;  ///< areas for statistics and threat ("" = default level)
  Demand demand = Demand::kAreas;
  std::string demand_level;     ///< kAreas: level of the centroids ("" = level)
  std::string localities_file;  ///< kLocalities: the CSV
  ThreatWeight threat = ThreatWeight::kRecent;
  int threat_months = 12;      ///< window of the threat (ahead for forecast, back for recent/index)
  std::optional<Month> month;  ///< today's deployments and end of the threat window (default: last event month)
  Candidates candidates = Candidates::kDemand;
  std::string candidates_file;        ///< kFile: the CSV
  std::size_t candidate_limit = 300;  ///< kDemand: how many demand points become candidates
  double default_population = 1000;   ///< a demand point whose population is unknown and cannot be derived
  footprint::CoverageParams coverage;
};

/// The model: demand, sites (today's first, then candidates) and coverage.
struct FootprintModel {
  std::string level;
  Month month;
  std::vector<footprint::DemandPoint> demand;
  std::vector<double> population;  ///< [demand point]
  std::vector<footprint::Site> sites;
  footprint::Coverage coverage;
  footprint::CoverageParams params;               ///< the reach assumptions used
  std::vector<std::string> area_ids, area_names;  ///< areas of `level`
  std::vector<int> demand_area;                   ///< [demand point] -> area index or -1
  std::size_t population_imputed = 0;             ///< localities whose population came from the rule
  std::size_t population_unknown = 0;             ///< ... of which got default_population
  std::size_t dropped_outside = 0;                ///< localities outside every area of `level`

  /// Site index by key or name; Error(kNotFound) or (ambiguous name) kUsage.
  [[nodiscard]] std::size_t find_site(const std::string& key_or_name) const;
};

struct FootprintOptimizeRequest {
  FootprintModelRequest model;
  std::optional<std::int64_t> ceiling;   ///< troops across open sites
  int max_sites = 0;                     ///< 0 = no limit
  std::int64_t min_troops = 150;         ///< troops an open site needs (a company)
  std::optional<double> load_per_troop;  ///< capacitated coverage
  double backup_weight = 0;
  std::vector<std::string> lock, forbid;  ///< site keys or names
  bool lock_today = false;                ///< keep every site of today's footprint open
  footprint::SolveOptions solve;
};

struct AreaCoverage {
  std::string area_id, area_name;
  double population = 0, weight = 0;
  double covered = 0, covered_today = 0;  ///< weight
  double pop_covered = 0, pop_covered_today = 0;
};

struct FootprintOptimizeResult {
  FootprintModel model;
  footprint::CoverSolution recommended;
  footprint::CoverSolution today;
  std::vector<std::int64_t> troops;   ///< [site] recommended troops (0 when closed)
  std::vector<double> site_weight;    ///< [site] weight the site covers in the recommendation (shared split equally)
  std::vector<AreaCoverage> by_area;  ///< one per area of the level
  double total_weight = 0, total_population = 0;
};

struct FootprintGapsRequest {
  FootprintModelRequest model;             ///< candidates are ignored: gaps are of today's footprint
  std::vector<std::string> close;          ///< a proposed list of closures (keys or names)
  std::optional<double> mitigation_hours;  ///< air mitigation window (default 2 x response hours)
};

struct FootprintGapsResult {
  FootprintModel model;
  std::vector<footprint::SiteGap> ranked;        ///< today's open sites, largest gap first
  std::optional<footprint::ClosureGap> closure;  ///< when a list was given
  std::vector<std::size_t> closed;               ///< site indices of the list
  double covered_today = 0, total_weight = 0;
  double mitigation_hours = 0;
  double seconds = 0;
};

struct PMedianRequest {
  std::string file;  ///< OR-Library pmed file
  footprint::SolveOptions solve;
};

struct PMedianResult {
  int n = 0, p = 0;
  footprint::PMedianSolution solution;
};

}  // namespace endstate::service
