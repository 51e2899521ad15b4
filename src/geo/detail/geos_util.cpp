#include "geo/detail/geos_util.hpp"

#include "geo/detail/geodesy.hpp"

namespace endstate::geo::detail {
namespace {

/// One GEOS context per thread: the reentrant API needs no locking as long as
/// a context (and the geometries made in it) stays on its thread.
struct ThreadContext {
  GEOSContextHandle_t handle = nullptr;
  std::string last_error;

  ThreadContext() {
    handle = GEOS_init_r();
    GEOSContext_setErrorMessageHandler_r(handle, &ThreadContext::on_error, this);
    GEOSContext_setNoticeMessageHandler_r(handle, &ThreadContext::on_notice, this);
  }
  ~ThreadContext() { GEOS_finish_r(handle); }
  ThreadContext(const ThreadContext&) = delete;
  ThreadContext& operator=(const ThreadContext&) = delete;

  static void on_error(const char* message, void* self) { static_cast<ThreadContext*>(self)->last_error = message; }
  static void on_notice(const char* /*message*/, void* /*self*/) {}
};

ThreadContext& context() {
  thread_local ThreadContext ctx;
  return ctx;
}

}  // namespace

GEOSContextHandle_t geos() { return context().handle; }

std::string geos_last_error() { return context().last_error; }

void GeomDeleter::operator()(GEOSGeometry* g) const {
  if (g) GEOSGeom_destroy_r(geos(), g);
}

void PreparedDeleter::operator()(const GEOSPreparedGeometry* g) const {
  if (g) GEOSPreparedGeom_destroy_r(geos(), g);
}

GeomPtr read_wkb(const std::vector<std::uint8_t>& wkb) {
  if (wkb.empty()) return nullptr;
  GEOSContextHandle_t h = geos();
  GEOSWKBReader* reader = GEOSWKBReader_create_r(h);
  GEOSGeometry* g = GEOSWKBReader_read_r(h, reader, wkb.data(), wkb.size());
  GEOSWKBReader_destroy_r(h, reader);
  return GeomPtr(g);
}

std::vector<std::uint8_t> write_wkb(const GEOSGeometry* g) {
  GEOSContextHandle_t h = geos();
  GEOSWKBWriter* writer = GEOSWKBWriter_create_r(h);
  GEOSWKBWriter_setOutputDimension_r(h, writer, 2);
  GEOSWKBWriter_setByteOrder_r(h, writer, GEOS_WKB_NDR);
  GEOSWKBWriter_setFlavor_r(h, writer, GEOS_WKB_ISO);
  std::size_t size = 0;
  unsigned char* buf = GEOSWKBWriter_write_r(h, writer, g, &size);
  GEOSWKBWriter_destroy_r(h, writer);
  std::vector<std::uint8_t> out;
  if (buf) {
    out.assign(buf, buf + size);
    GEOSFree_r(h, buf);
  }
  return out;
}

namespace {

/// Appends clones of the non-empty polygons found in `g` (recursively).
void collect_polygons(const GEOSGeometry* g, std::vector<GEOSGeometry*>& out) {
  GEOSContextHandle_t h = geos();
  const int type = GEOSGeomTypeId_r(h, g);
  if (type == GEOS_POLYGON) {
    if (GEOSisEmpty_r(h, g) == 0) out.push_back(GEOSGeom_clone_r(h, g));
  } else if (type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION) {
    const int n = GEOSGetNumGeometries_r(h, g);
    for (int i = 0; i < n; ++i) collect_polygons(GEOSGetGeometryN_r(h, g, i), out);
  }
}

}  // namespace

GeomPtr clean_polygonal(const GEOSGeometry* g) {
  GEOSContextHandle_t h = geos();
  GeomPtr repaired;
  const GEOSGeometry* src = g;
  if (GEOSisValid_r(h, g) != 1) {
    GEOSMakeValidParams* params = GEOSMakeValidParams_create_r(h);
    GEOSMakeValidParams_setMethod_r(h, params, GEOS_MAKE_VALID_STRUCTURE);
    GEOSMakeValidParams_setKeepCollapsed_r(h, params, 0);
    repaired.reset(GEOSMakeValidWithParams_r(h, g, params));
    GEOSMakeValidParams_destroy_r(h, params);
    if (!repaired) repaired.reset(GEOSMakeValid_r(h, g));
    if (!repaired) return nullptr;
    src = repaired.get();
  }
  std::vector<GEOSGeometry*> polys;
  collect_polygons(src, polys);
  if (polys.empty()) return nullptr;
  if (polys.size() == 1) return GeomPtr(polys.front());
  GEOSGeometry* multi =
      GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, polys.data(), static_cast<unsigned>(polys.size()));
  if (!multi) {
    for (GEOSGeometry* p : polys) GEOSGeom_destroy_r(h, p);
    return nullptr;
  }
  GeomPtr out(multi);
  // Polygons extracted from a repaired collection may touch along edges; a
  // union merges them so that the MultiPolygon is valid.
  if (GEOSisValid_r(h, out.get()) != 1) {
    GeomPtr merged(GEOSUnaryUnion_r(h, out.get()));
    if (!merged) return nullptr;
    std::vector<GEOSGeometry*> again;
    collect_polygons(merged.get(), again);
    if (again.empty()) return nullptr;
    if (again.size() == 1) return GeomPtr(again.front());
    return GeomPtr(
        GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, again.data(), static_cast<unsigned>(again.size())));
  }
  return out;
}

void ring_coords(const GEOSGeometry* ring, std::vector<double>& xy) {
  GEOSContextHandle_t h = geos();
  const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(h, ring);
  unsigned int n = 0;
  if (!seq || GEOSCoordSeq_getSize_r(h, seq, &n) == 0) {
    xy.clear();
    return;
  }
  xy.resize(2 * static_cast<std::size_t>(n));
  if (n > 0) GEOSCoordSeq_copyToBuffer_r(h, seq, xy.data(), 0, 0);
}

double polygonal_area_km2(const GEOSGeometry* g) {
  GEOSContextHandle_t h = geos();
  const int type = GEOSGeomTypeId_r(h, g);
  if (type == GEOS_POLYGON) {
    if (GEOSisEmpty_r(h, g) == 1) return 0.0;
    std::vector<double> xy;
    ring_coords(GEOSGetExteriorRing_r(h, g), xy);
    double area = ring_area_km2(xy.data(), xy.size() / 2);
    const int holes = GEOSGetNumInteriorRings_r(h, g);
    for (int i = 0; i < holes; ++i) {
      ring_coords(GEOSGetInteriorRingN_r(h, g, i), xy);
      area -= ring_area_km2(xy.data(), xy.size() / 2);
    }
    return area;
  }
  double total = 0.0;
  if (type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION) {
    const int n = GEOSGetNumGeometries_r(h, g);
    for (int i = 0; i < n; ++i) total += polygonal_area_km2(GEOSGetGeometryN_r(h, g, i));
  }
  return total;
}

}  // namespace endstate::geo::detail
