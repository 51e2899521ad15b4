#pragma once
// Circles on the sphere, for maps of reach areas and scan clusters.

#include <vector>

#include "endstate/core/types.hpp"

namespace endstate::geo {

/// A geodesic circle (all points `radius_km` from `centre` on a sphere of
/// radius kEarthRadiusKm) as a closed ring of `points` + 1 vertices,
/// counter-clockwise as RFC 7946 wants exterior rings; longitudes wrapped to
/// [-180, 180].
std::vector<LatLon> geodesic_circle(LatLon centre, double radius_km, int points = 64);

}  // namespace endstate::geo
