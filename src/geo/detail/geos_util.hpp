#pragma once
// Module-private GEOS helpers: a per-thread reentrant context, owning pointers,
// ISO WKB in and out, and repair of polygonal geometry. Never included from a
// public header.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <geos_c.h>

namespace endstate::geo::detail {

/// The calling thread's GEOS context (created on first use, finished at thread exit).
GEOSContextHandle_t geos();
/// The last error GEOS reported on this thread's context (empty when none).
std::string geos_last_error();

struct GeomDeleter {
  void operator()(GEOSGeometry* g) const;
};
/// Owns a GEOS geometry created in the calling thread's context.
using GeomPtr = std::unique_ptr<GEOSGeometry, GeomDeleter>;

struct PreparedDeleter {
  void operator()(const GEOSPreparedGeometry* g) const;
};
/// Owns a prepared geometry created in the calling thread's context.
using PreparedPtr = std::unique_ptr<const GEOSPreparedGeometry, PreparedDeleter>;

/// Parses WKB (ISO or extended); null when the bytes are not WKB.
GeomPtr read_wkb(const std::vector<std::uint8_t>& wkb);
/// 2D ISO WKB, little-endian.
std::vector<std::uint8_t> write_wkb(const GEOSGeometry* g);

/// A valid Polygon or MultiPolygon from any geometry: repairs it when invalid
/// (GEOS make-valid, "structure" method) and keeps only its polygonal parts.
/// Null when nothing polygonal remains.
GeomPtr clean_polygonal(const GEOSGeometry* g);

/// Calls f(xy, n) for every ring (shells and holes) of a (multi)polygon, with
/// `xy` the interleaved x,y coordinates of its n points.
template <typename F>
void for_each_ring(const GEOSGeometry* g, F&& f);

/// Geodesic area of a (multi)polygon in lon/lat degrees, in km² (see geodesy.hpp).
double polygonal_area_km2(const GEOSGeometry* g);

// ---------------------------------------------------------------------------

void ring_coords(const GEOSGeometry* ring, std::vector<double>& xy);

template <typename F>
void for_each_ring(const GEOSGeometry* g, F&& f) {
  GEOSContextHandle_t h = geos();
  const int type = GEOSGeomTypeId_r(h, g);
  std::vector<double> xy;
  if (type == GEOS_POLYGON) {
    if (GEOSisEmpty_r(h, g) == 1) return;
    ring_coords(GEOSGetExteriorRing_r(h, g), xy);
    f(xy.data(), xy.size() / 2);
    const int holes = GEOSGetNumInteriorRings_r(h, g);
    for (int i = 0; i < holes; ++i) {
      ring_coords(GEOSGetInteriorRingN_r(h, g, i), xy);
      f(xy.data(), xy.size() / 2);
    }
  } else if (type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION) {
    const int n = GEOSGetNumGeometries_r(h, g);
    for (int i = 0; i < n; ++i) for_each_ring(GEOSGetGeometryN_r(h, g, i), f);
  }
}

}  // namespace endstate::geo::detail
