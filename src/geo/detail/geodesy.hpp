#pragma once
// Ellipsoidal area of lon/lat polygons (WGS84), without PROJ.
//
// Method: map every vertex to the authalic sphere (radius R_q = 6371.0072 km)
// through the authalic latitude beta, then integrate in the cylindrical
// equal-area projection x = R_q*lambda, y = R_q*sin(beta), which preserves
// area exactly (Snyder 1987, "Map Projections: A Working Manual", USGS
// Professional Paper 1395, eqs. 3-11/3-12 for q and beta, and ch. 10 for the
// ellipsoidal cylindrical equal-area projection). The ring area is then the
// shoelace sum R_q^2 * sum (lambda_{i+1}-lambda_i)(sin beta_i + sin beta_{i+1})/2
// (the trapezoid form of Chamberlain & Duquette 2007, "Some algorithms for
// polygons on a sphere", JPL 07-03). Edges are taken as straight in that
// projection, i.e. parallels stay parallels, which is how lon/lat data (and
// PRIO-GRID cells) mean them; for the short edges of boundary data the
// difference to geodesic edges is negligible: against Karney's geodesic
// polygon area (PROJ geod_polygonarea) the 51 DR Congo districts agree within
// 7e-6 relative, and the unit tests hold 0.5° cells to 1e-5.

#include <cstddef>

namespace endstate::geo::detail {

/// sin of the authalic latitude for a geodetic latitude in degrees (WGS84).
double sin_authalic_latitude(double lat_deg);

/// Unsigned area in km² of one closed ring given as interleaved lon,lat degrees
/// (n points, first == last or not: the ring is closed implicitly).
double ring_area_km2(const double* xy, std::size_t n);

}  // namespace endstate::geo::detail
