#pragma once
// Reach: how long a response from a site takes to get somewhere, without a
// road network. Road time = great-circle distance x detour factor / road
// speed; air time (sites with helicopters) = preparation time + great-circle
// distance / air speed. The defaults are planning assumptions for eastern
// DR Congo (docs/footprint.md, "Reach"), not measurements; every command exposes them.

#include <optional>

#include "endstate/core/types.hpp"

namespace endstate::geo {

struct ReachParams {
  double road_kmh = 25.0;       ///< average convoy speed on the roads there are
  double detour = 1.5;          ///< road distance / great-circle distance
  double air_kmh = 180.0;       ///< utility helicopter cruise
  double air_prep_hours = 1.0;  ///< from call to take-off
  double air_max_km = 300.0;    ///< radius of action without refuelling (one way)
};

/// Hours by road from `from` to `to`.
double road_hours(LatLon from, LatLon to, const ReachParams& p);

/// Hours by air, or nullopt beyond the radius of action.
std::optional<double> air_hours(LatLon from, LatLon to, const ReachParams& p);

/// The faster of road and (when `has_air`) air.
double response_hours(LatLon from, LatLon to, bool has_air, const ReachParams& p);

/// The great-circle radius (km) reached within `hours`: by road, or the
/// larger of road and air (capped at the radius of action) when `has_air`.
/// The inverse of response_hours.
double reach_km(double hours, bool has_air, const ReachParams& p);

}  // namespace endstate::geo
