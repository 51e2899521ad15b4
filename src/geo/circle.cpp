// Destination point on a sphere given distance and bearing (the "direct"
// problem on a sphere; e.g. Snyder 1987, Map Projections: A Working Manual,
// USGS PP 1395, eq. 5-5 and 5-6).
#include "endstate/geo/circle.hpp"

#include <cmath>
#include <numbers>

namespace endstate::geo {

std::vector<LatLon> geodesic_circle(LatLon centre, double radius_km, int points) {
  if (points < 3) points = 3;
  const double d = radius_km / kEarthRadiusKm;
  const double lat1 = centre.lat * std::numbers::pi / 180.0;
  const double lon1 = centre.lon * std::numbers::pi / 180.0;
  std::vector<LatLon> ring;
  ring.reserve(static_cast<std::size_t>(points) + 1);
  for (int k = 0; k < points; ++k) {
    // counter-clockwise: bearing decreasing from north (0, -360/points, ...)
    const double brg = -2.0 * std::numbers::pi * k / points;
    const double lat2 = std::asin(std::sin(lat1) * std::cos(d) + std::cos(lat1) * std::sin(d) * std::cos(brg));
    const double lon2 =
        lon1 + std::atan2(std::sin(brg) * std::sin(d) * std::cos(lat1), std::cos(d) - std::sin(lat1) * std::sin(lat2));
    double lon_deg = lon2 * 180.0 / std::numbers::pi;
    if (lon_deg > 180) lon_deg -= 360;
    if (lon_deg < -180) lon_deg += 360;
    ring.push_back({lat2 * 180.0 / std::numbers::pi, lon_deg});
  }
  ring.push_back(ring.front());
  return ring;
}

}  // namespace endstate::geo
