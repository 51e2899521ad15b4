#pragma once
// Exact "covers" test of a point against one (multi)polygon, thread-safe and
// allocation-free, giving the same answer as GEOS's prepared covers:
// it is GEOS's RayCrossingCounter (ray to +x, half-open edge rule, a point on
// any edge or vertex counts as covered; parity over all rings decides inside)
// with the robust orientation predicate (Shewchuk-style floating-point filter
// with GEOS's error bound, falling back to GEOS's double-double
// GEOSOrientationIndex_r when the filter cannot decide). Edges are bucketed
// in horizontal bands so that a test reads only the edges near its latitude.

#include <cstdint>
#include <vector>

#include <geos_c.h>

namespace endstate::geo::detail {

/// One polygon's rings, indexed by latitude band.
class PolygonLocator {
 public:
  PolygonLocator() = default;
  /// Builds from a Polygon/MultiPolygon (any other geometry gives an empty locator).
  explicit PolygonLocator(const GEOSGeometry* g);

  /// True when (x, y) lies in the interior or on the boundary.
  [[nodiscard]] bool covers(double x, double y) const;
  [[nodiscard]] bool empty() const { return edges_.empty(); }
  [[nodiscard]] double min_x() const { return min_x_; }
  [[nodiscard]] double min_y() const { return min_y_; }
  [[nodiscard]] double max_x() const { return max_x_; }
  [[nodiscard]] double max_y() const { return max_y_; }
  /// Calls f(x1, y1, x2, y2) for every edge of every ring, once.
  template <typename F>
  void for_each_edge(F&& f) const {
    for (const Edge& e : unique_edges_) f(e.x1, e.y1, e.x2, e.y2);
  }
  /// Planar area in square degrees (shoelace; holes subtracted).
  [[nodiscard]] double planar_area() const { return planar_area_; }

 private:
  struct Edge {
    double x1, y1, x2, y2;
  };
  double min_x_ = 0, min_y_ = 0, max_x_ = 0, max_y_ = 0;
  double band_y0_ = 0, band_inv_h_ = 0;
  int bands_ = 0;
  double planar_area_ = 0;
  std::vector<std::uint32_t> band_start_;  // bands_ + 1 offsets into edges_
  std::vector<Edge> edges_;                // edges copied into every band they touch
  std::vector<Edge> unique_edges_;
};

/// Orientation of (x, y) against the directed segment (x1,y1)->(x2,y2):
/// 1 left (counter-clockwise), -1 right, 0 collinear. Exact for doubles as far
/// as GEOS's CGAlgorithmsDD is.
int orientation(double x1, double y1, double x2, double y2, double x, double y);

}  // namespace endstate::geo::detail
