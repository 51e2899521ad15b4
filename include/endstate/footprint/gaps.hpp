#pragma once
// Protection gaps: what coverage a closure loses. For each open site, the
// weight only it covers (lost if it closes); for a proposed set of closures,
// the points that lose coverage and their mitigations: a remaining open site
// with aviation (Site::has_air) that reaches them by air within a wider
// window, else police or civilian presence is needed. A site without
// helicopters never mitigates by air, however close it is.

#include <optional>
#include <string>
#include <vector>

#include "endstate/footprint/coverage.hpp"

namespace endstate::footprint {

/// One open site's gap if it closed alone.
struct SiteGap {
  std::size_t site = 0;
  double weight_lost = 0;                ///< weight covered by this site only
  std::vector<std::size_t> points_lost;  ///< demand indices that lose all coverage
};

/// Gap of every open site, ranked by weight lost (descending, then site index).
std::vector<SiteGap> site_gaps(const std::vector<double>& weights, const Coverage& cov, const std::vector<bool>& open);

/// A point that loses coverage under a closure list, and what could cover it.
struct LostPoint {
  std::size_t point = 0;
  double weight = 0;
  std::optional<std::size_t>
      air_site;  ///< remaining open site with aviation reaching it by air within the mitigation window
  double air_hours = 0;
  std::string mitigation;  ///< "air" or "police_or_civilian_presence"
};

struct ClosureGap {
  double weight_before = 0;  ///< covered weight with every open site
  double weight_after = 0;
  double weight_lost = 0;
  std::vector<LostPoint> lost;  ///< descending weight, then index
};

/// The gap of closing `close` (site indices, all open) together.
/// Mitigation by air: a remaining open site with aviation (has_air) whose air
/// time (geo::air_hours) is within `mitigation_hours`.
ClosureGap closure_gap(const std::vector<DemandPoint>& demand, const std::vector<Site>& sites, const Coverage& cov,
                       const std::vector<bool>& open, const std::vector<std::size_t>& close,
                       const CoverageParams& params, double mitigation_hours);

}  // namespace endstate::footprint
