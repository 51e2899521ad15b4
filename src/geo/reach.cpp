#include "endstate/geo/reach.hpp"

#include <algorithm>

namespace endstate::geo {

double road_hours(LatLon from, LatLon to, const ReachParams& p) {
  return great_circle_km(from, to) * p.detour / p.road_kmh;
}

std::optional<double> air_hours(LatLon from, LatLon to, const ReachParams& p) {
  const double km = great_circle_km(from, to);
  if (km > p.air_max_km) return std::nullopt;
  return p.air_prep_hours + km / p.air_kmh;
}

double response_hours(LatLon from, LatLon to, bool has_air, const ReachParams& p) {
  const double road = road_hours(from, to, p);
  if (!has_air) return road;
  const auto air = air_hours(from, to, p);
  return air ? std::min(road, *air) : road;
}

double reach_km(double hours, bool has_air, const ReachParams& p) {
  double r = hours * p.road_kmh / p.detour;
  if (has_air && hours > p.air_prep_hours)
    r = std::max(r, std::min(p.air_max_km, (hours - p.air_prep_hours) * p.air_kmh));
  return r;
}

}  // namespace endstate::geo
