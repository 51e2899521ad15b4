// Point-in-polygon as in GEOS (algorithm/RayCrossingCounter.cpp and
// algorithm/CGAlgorithmsDD.cpp, orientationIndexFilter), so that the index
// agrees with GEOSPreparedCovers on every point, boundary points included.
// The filter's error bound is Shewchuk's (1997, "Adaptive precision
// floating-point arithmetic and fast robust geometric predicates").
#include "geo/detail/polygon_locator.hpp"

#include <algorithm>
#include <cmath>

#include "geo/detail/geos_util.hpp"

namespace endstate::geo::detail {

int orientation(double x1, double y1, double x2, double y2, double x, double y) {
  constexpr double kSafeEpsilon = 1e-15;  // GEOS CGAlgorithmsDD DP_SAFE_EPSILON
  const double detleft = (x1 - x) * (y2 - y);
  const double detright = (y1 - y) * (x2 - x);
  const double det = detleft - detright;
  double detsum = 0;
  auto sign = [](double d) { return d > 0 ? 1 : (d < 0 ? -1 : 0); };
  if (detleft > 0) {
    if (detright <= 0) return sign(det);
    detsum = detleft + detright;
  } else if (detleft < 0) {
    if (detright >= 0) return sign(det);
    detsum = -detleft - detright;
  } else {
    return sign(det);
  }
  const double errbound = kSafeEpsilon * detsum;
  if (det >= errbound || -det >= errbound) return sign(det);
  const int r = GEOSOrientationIndex_r(geos(), x1, y1, x2, y2, x, y);
  return (r >= -1 && r <= 1) ? r : sign(det);
}

PolygonLocator::PolygonLocator(const GEOSGeometry* g) {
  bool first = true;
  for_each_ring(g, [&](const double* xy, std::size_t n) {
    if (n < 2) return;
    for (std::size_t i = 0; i + 1 < n; ++i) {
      const Edge e{xy[2 * i], xy[2 * i + 1], xy[2 * i + 2], xy[2 * i + 3]};
      unique_edges_.push_back(e);
      if (first) {
        min_x_ = max_x_ = e.x1;
        min_y_ = max_y_ = e.y1;
        first = false;
      }
      min_x_ = std::min({min_x_, e.x1, e.x2});
      max_x_ = std::max({max_x_, e.x1, e.x2});
      min_y_ = std::min({min_y_, e.y1, e.y2});
      max_y_ = std::max({max_y_, e.y1, e.y2});
    }
  });
  double a = 0;
  if (GEOSArea_r(geos(), g, &a) == 1) planar_area_ = a;
  if (unique_edges_.empty()) return;
  // About four edges per band on average; an edge goes into every band its
  // y-range touches (padded, so that a point on a band line finds it).
  bands_ = static_cast<int>(std::clamp<std::size_t>(unique_edges_.size() / 4, 1, 1 << 16));
  const double height = max_y_ - min_y_;
  band_y0_ = min_y_;
  band_inv_h_ = height > 0 ? bands_ / height : 0;
  auto band_range = [&](const Edge& e, int& b0, int& b1) {
    constexpr double kPad = 1e-9;
    const double lo = (std::min(e.y1, e.y2) - band_y0_) * band_inv_h_;
    const double hi = (std::max(e.y1, e.y2) - band_y0_) * band_inv_h_;
    b0 = std::clamp(static_cast<int>(std::floor(lo - kPad)), 0, bands_ - 1);
    b1 = std::clamp(static_cast<int>(std::floor(hi + kPad)), 0, bands_ - 1);
  };
  std::vector<std::uint32_t> count(static_cast<std::size_t>(bands_) + 1, 0);
  for (const Edge& e : unique_edges_) {
    int b0 = 0, b1 = 0;
    band_range(e, b0, b1);
    for (int b = b0; b <= b1; ++b) ++count[static_cast<std::size_t>(b) + 1];
  }
  for (std::size_t b = 1; b < count.size(); ++b) count[b] += count[b - 1];
  band_start_ = count;
  edges_.resize(count.back());
  for (const Edge& e : unique_edges_) {
    int b0 = 0, b1 = 0;
    band_range(e, b0, b1);
    for (int b = b0; b <= b1; ++b) edges_[count[static_cast<std::size_t>(b)]++] = e;
  }
}

bool PolygonLocator::covers(double x, double y) const {
  if (edges_.empty() || x < min_x_ || x > max_x_ || y < min_y_ || y > max_y_) return false;
  const int band = std::clamp(static_cast<int>(std::floor((y - band_y0_) * band_inv_h_)), 0, bands_ - 1);
  const Edge* e = edges_.data() + band_start_[static_cast<std::size_t>(band)];
  const Edge* end = edges_.data() + band_start_[static_cast<std::size_t>(band) + 1];
  int crossings = 0;
  for (; e != end; ++e) {
    // GEOS RayCrossingCounter::countSegment(p1 = (x1,y1), p2 = (x2,y2)).
    if (e->x1 < x && e->x2 < x) continue;
    if (x == e->x2 && y == e->y2) return true;
    if (e->y1 == y && e->y2 == y) {
      if (x >= std::min(e->x1, e->x2) && x <= std::max(e->x1, e->x2)) return true;
      continue;
    }
    if ((e->y1 > y && e->y2 <= y) || (e->y2 > y && e->y1 <= y)) {
      int s = orientation(e->x1, e->y1, e->x2, e->y2, x, y);
      if (s == 0) return true;
      if (e->y2 < e->y1) s = -s;
      if (s > 0) ++crossings;
    }
  }
  return (crossings & 1) != 0;
}

}  // namespace endstate::geo::detail
