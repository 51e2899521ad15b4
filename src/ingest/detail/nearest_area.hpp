#pragma once
// Distance from a point outside every area to the nearest area (module-private).
//
// Method: every ring of every area (outer rings and holes) is sampled along
// its edges at most `spacing_km` apart (edges interpolated linearly in
// longitude/latitude, as GIS draws them); the samples go into a k-d tree over
// unit vectors on the sphere, whose chord distance orders great-circle
// distance. The answer is the great-circle distance (haversine) to the nearest
// sample, so it exceeds the true distance to the boundary by at most half the
// spacing (2.5 km by default; more when the boundaries are so long that the
// sample budget, kMaxSamples, widens the spacing). For points outside every
// area, the distance to the nearest boundary is the distance to that area.

#include <cstdint>
#include <string>
#include <vector>

#include "endstate/core/domain.hpp"

namespace endstate::ingest::detail {

class NearestArea {
 public:
  /// Most boundary samples kept (32 bytes each).
  static constexpr std::size_t kMaxSamples = std::size_t{4} << 20;

  /// Samples the boundaries of `areas` (their WKB); areas without geometry are skipped.
  explicit NearestArea(const std::vector<Area>& areas, double spacing_km = 5.0);

  struct Hit {
    int area = -1;           ///< index into the constructor's areas, -1 when there is none
    double distance_km = 0;  ///< great-circle distance to the nearest boundary sample
    LatLon at;               ///< that sample
  };
  /// The nearest area to `p`. Thread-safe (const).
  [[nodiscard]] Hit nearest(LatLon p) const;
  [[nodiscard]] std::size_t samples() const { return points_.size(); }
  [[nodiscard]] double spacing_km() const { return spacing_km_; }

 private:
  struct Point {
    double x, y, z;
    int area;
  };
  void build(std::size_t lo, std::size_t hi);
  void search(std::size_t lo, std::size_t hi, const double q[3], double& best2, int& best) const;
  std::vector<Point> points_;
  std::vector<std::uint8_t> axis_;  // split axis of the node whose median sits at this index
  double spacing_km_;
};

}  // namespace endstate::ingest::detail
