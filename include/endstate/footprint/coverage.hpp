#pragma once
// Coverage sets of the footprint model: which demand points each site reaches
// within a response time. Travel time follows geo/reach.hpp (great-circle
// distance x detour / road speed; helicopters from sites that have them).
// Candidate pairs come from a spatial grid of buckets around each site, not
// from all pairs: only points in the buckets within the site's largest reach
// radius are timed.

#include <cstdint>
#include <string>
#include <vector>

#include "endstate/core/types.hpp"
#include "endstate/geo/reach.hpp"

namespace endstate::footprint {

/// A place people live (locality, grid cell, area centroid). `weight` is
/// population x threat, computed by the caller.
struct DemandPoint {
  std::string id;
  std::string name;
  LatLon where;
  double weight = 0;
  std::string area_id;  ///< the area reported in coverage statistics ("" = none)
};

/// An existing or candidate base.
struct Site {
  std::string id;
  std::string name;
  LatLon where;
  bool has_air = false;     ///< helicopters based here: air reach counts
  bool existing = false;    ///< open in today's footprint
  std::int64_t troops = 0;  ///< today's troops (existing sites)
  std::int64_t police = 0;  ///< today's police (existing sites)
  bool locked = false;      ///< must stay open
  bool forbidden = false;   ///< may not be opened
  std::string area_id;
};

/// Reach assumptions of the coverage model.
struct CoverageParams {
  geo::ReachParams reach;
  double response_hours = 6.0;  ///< a point is covered when a site reaches it within this time
};

/// For each site, the demand points it covers (ascending index) and the
/// response time to each.
struct Coverage {
  std::size_t demand_count = 0;
  std::vector<std::vector<std::uint32_t>> points;  ///< [site] -> covered demand indices
  std::vector<std::vector<float>> hours;           ///< [site] -> response hours, parallel to points
  /// Number of (site, point) pairs.
  [[nodiscard]] std::size_t pairs() const;
};

/// Largest great-circle distance (km) at which a site can cover a point.
double reach_radius_km(bool has_air, const CoverageParams& p);

/// Coverage sets through a spatial grid of buckets (cell side about the
/// largest reach radius); exact response times for the candidates found.
Coverage build_coverage(const std::vector<DemandPoint>& demand, const std::vector<Site>& sites,
                        const CoverageParams& p);

/// The same by checking every (site, point) pair; for tests and benchmarks.
Coverage build_coverage_all_pairs(const std::vector<DemandPoint>& demand, const std::vector<Site>& sites,
                                  const CoverageParams& p);

}  // namespace endstate::footprint
