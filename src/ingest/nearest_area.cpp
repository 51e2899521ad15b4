#include "detail/nearest_area.hpp"

#include <algorithm>
#include <cmath>
#include <memory>

#include <ogr_geometry.h>

namespace endstate::ingest::detail {
namespace {

constexpr double kDeg = 3.14159265358979323846 / 180.0;
constexpr double kEarthRadiusKm = 6371.0088;

void to_unit(double lat, double lon, double out[3]) {
  const double cl = std::cos(lat * kDeg);
  out[0] = cl * std::cos(lon * kDeg);
  out[1] = cl * std::sin(lon * kDeg);
  out[2] = std::sin(lat * kDeg);
}

/// Calls fn(ring) for every linear ring of a polygonal geometry.
template <typename Fn>
void for_each_ring(const OGRGeometry& g, Fn&& fn) {
  const OGRwkbGeometryType t = wkbFlatten(g.getGeometryType());
  if (t == wkbPolygon) {
    const auto& poly = *g.toPolygon();
    for (const OGRLinearRing* r : poly) fn(*r);
  } else if (t == wkbMultiPolygon || t == wkbGeometryCollection) {
    const auto& coll = *g.toGeometryCollection();
    for (const OGRGeometry* part : coll) for_each_ring(*part, fn);
  }
}

std::unique_ptr<OGRGeometry> geometry_of(const Area& a) {
  if (a.wkb.empty()) return nullptr;
  OGRGeometry* g = nullptr;
  std::size_t consumed = 0;
  if (OGRGeometryFactory::createFromWkb(a.wkb.data(), nullptr, &g, a.wkb.size(), wkbVariantIso, consumed) !=
      OGRERR_NONE) {
    return nullptr;
  }
  return std::unique_ptr<OGRGeometry>(g);
}

}  // namespace

NearestArea::NearestArea(const std::vector<Area>& areas, double spacing_km) : spacing_km_(spacing_km) {
  std::vector<std::unique_ptr<OGRGeometry>> geoms;
  geoms.reserve(areas.size());
  double total_km = 0;
  std::size_t vertices = 0;
  for (const Area& a : areas) {
    geoms.push_back(geometry_of(a));
    if (!geoms.back()) continue;
    for_each_ring(*geoms.back(), [&](const OGRLinearRing& r) {
      const int n = r.getNumPoints();
      vertices += static_cast<std::size_t>(std::max(n, 0));
      for (int i = 1; i < n; ++i) {
        total_km += great_circle_km({r.getY(i - 1), r.getX(i - 1)}, {r.getY(i), r.getX(i)});
      }
    });
  }
  // Widen the spacing when the boundaries would need more samples than the budget.
  if (vertices + static_cast<std::size_t>(total_km / spacing_km_) > kMaxSamples) {
    spacing_km_ = std::max(spacing_km_, total_km / (static_cast<double>(kMaxSamples) / 2));
  }
  points_.reserve(std::min(kMaxSamples, vertices + static_cast<std::size_t>(total_km / spacing_km_) + 1));
  for (std::size_t k = 0; k < geoms.size(); ++k) {
    if (!geoms[k]) continue;
    const int area = static_cast<int>(k);
    for_each_ring(*geoms[k], [&](const OGRLinearRing& r) {
      const int n = r.getNumPoints();
      for (int i = 0; i < n; ++i) {
        const double lat1 = r.getY(i), lon1 = r.getX(i);
        if (!std::isfinite(lat1) || !std::isfinite(lon1)) continue;
        double u[3];
        to_unit(lat1, lon1, u);
        points_.push_back({u[0], u[1], u[2], area});
        if (i + 1 >= n) continue;
        const double lat2 = r.getY(i + 1), lon2 = r.getX(i + 1);
        if (!std::isfinite(lat2) || !std::isfinite(lon2)) continue;
        const double len = great_circle_km({lat1, lon1}, {lat2, lon2});
        const int steps = static_cast<int>(std::min(1e6, std::ceil(len / spacing_km_)));
        for (int s = 1; s < steps; ++s) {
          const double f = static_cast<double>(s) / steps;
          to_unit(lat1 + f * (lat2 - lat1), lon1 + f * (lon2 - lon1), u);
          points_.push_back({u[0], u[1], u[2], area});
        }
      }
    });
  }
  axis_.assign(points_.size(), 0);
  if (!points_.empty()) build(0, points_.size());
}

void NearestArea::build(std::size_t lo, std::size_t hi) {
  while (hi - lo > 1) {
    // Split on the widest coordinate of this node's points.
    double mn[3] = {2, 2, 2}, mx[3] = {-2, -2, -2};
    for (std::size_t i = lo; i < hi; ++i) {
      const double c[3] = {points_[i].x, points_[i].y, points_[i].z};
      for (int d = 0; d < 3; ++d) {
        mn[d] = std::min(mn[d], c[d]);
        mx[d] = std::max(mx[d], c[d]);
      }
    }
    int axis = 0;
    for (int d = 1; d < 3; ++d) {
      if (mx[d] - mn[d] > mx[axis] - mn[axis]) axis = d;
    }
    const std::size_t mid = lo + (hi - lo) / 2;
    auto key = [axis](const Point& p) { return axis == 0 ? p.x : axis == 1 ? p.y : p.z; };
    std::nth_element(points_.begin() + static_cast<std::ptrdiff_t>(lo),
                     points_.begin() + static_cast<std::ptrdiff_t>(mid),
                     points_.begin() + static_cast<std::ptrdiff_t>(hi),
                     [&](const Point& a, const Point& b) { return key(a) < key(b); });
    axis_[mid] = static_cast<std::uint8_t>(axis);
    build(lo, mid);
    lo = mid + 1;
  }
}

void NearestArea::search(std::size_t lo, std::size_t hi, const double q[3], double& best2, int& best) const {
  if (lo >= hi) return;
  const std::size_t mid = lo + (hi - lo) / 2;
  const Point& p = points_[mid];
  const double dx = p.x - q[0], dy = p.y - q[1], dz = p.z - q[2];
  const double d2 = dx * dx + dy * dy + dz * dz;
  if (d2 < best2) {
    best2 = d2;
    best = static_cast<int>(mid);
  }
  if (hi - lo == 1) return;
  const int axis = axis_[mid];
  const double diff = q[axis] - (axis == 0 ? p.x : axis == 1 ? p.y : p.z);
  // The near side first; the far side only when the splitting plane is closer than the best so far.
  if (diff < 0) {
    search(lo, mid, q, best2, best);
    if (diff * diff < best2) search(mid + 1, hi, q, best2, best);
  } else {
    search(mid + 1, hi, q, best2, best);
    if (diff * diff < best2) search(lo, mid, q, best2, best);
  }
}

NearestArea::Hit NearestArea::nearest(LatLon p) const {
  Hit h;
  if (points_.empty() || !p.valid()) return h;
  double q[3];
  to_unit(p.lat, p.lon, q);
  double best2 = 1e9;
  int best = -1;
  search(0, points_.size(), q, best2, best);
  if (best < 0) return h;
  const Point& s = points_[static_cast<std::size_t>(best)];
  h.area = s.area;
  h.at = LatLon{std::asin(std::clamp(s.z, -1.0, 1.0)) / kDeg, std::atan2(s.y, s.x) / kDeg};
  const double chord = std::sqrt(best2);
  h.distance_km = 2.0 * kEarthRadiusKm * std::asin(std::min(1.0, chord / 2.0));
  return h;
}

}  // namespace endstate::ingest::detail
