// PRIO-GRID (Tollefsen, Strand & Buhaug 2012, "PRIO-GRID: A unified spatial
// data structure", Journal of Peace Research 49(2)): 0.5-degree cells numbered
// row-major from the south-west corner, gid = row*720 + col + 1.
#include "endstate/geo/priogrid.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "endstate/core/error.hpp"
#include "endstate/geo/areas_io.hpp"
#include "geo/detail/geos_util.hpp"

namespace endstate::geo {
namespace {

constexpr double kCellDeg = 0.5;
constexpr std::int64_t kCols = 720;
constexpr std::int64_t kRows = 360;

std::int64_t row_of(double lat) {
  return std::clamp(static_cast<std::int64_t>(std::floor((lat + 90.0) / kCellDeg)), std::int64_t{0}, kRows - 1);
}
std::int64_t col_of(double lon) {
  return std::clamp(static_cast<std::int64_t>(std::floor((lon + 180.0) / kCellDeg)), std::int64_t{0}, kCols - 1);
}

/// The cell square as a GEOS polygon (counter-clockwise shell).
detail::GeomPtr cell_polygon(std::int64_t row, std::int64_t col) {
  const double x0 = -180.0 + static_cast<double>(col) * kCellDeg;
  const double y0 = -90.0 + static_cast<double>(row) * kCellDeg;
  return detail::GeomPtr(GEOSGeom_createRectangle_r(detail::geos(), x0, y0, x0 + kCellDeg, y0 + kCellDeg));
}

Area make_cell(std::int64_t row, std::int64_t col) {
  const std::int64_t gid = row * kCols + col + 1;
  Area a;
  a.id = "pg-" + std::to_string(gid);
  a.name = "PRIO-GRID " + std::to_string(gid);
  a.level = "grid";
  a.priogrid_gid = gid;
  detail::GeomPtr g = cell_polygon(row, col);
  a.wkb = detail::write_wkb(g.get());
  compute_metrics(a);
  return a;
}

}  // namespace

std::int64_t priogrid_gid(LatLon p) { return row_of(p.lat) * kCols + col_of(p.lon) + 1; }

LatLon priogrid_centre(std::int64_t gid) {
  if (gid < 1 || gid > kRows * kCols) {
    throw bad_input("no PRIO-GRID cell " + std::to_string(gid) + " (gids run from 1 to 259200)");
  }
  const std::int64_t row = (gid - 1) / kCols;
  const std::int64_t col = (gid - 1) % kCols;
  return LatLon{-90.0 + (static_cast<double>(row) + 0.5) * kCellDeg,
                -180.0 + (static_cast<double>(col) + 0.5) * kCellDeg};
}

std::vector<Area> priogrid_cells(double min_lon, double min_lat, double max_lon, double max_lat) {
  std::vector<Area> cells;
  if (!(min_lon <= max_lon && min_lat <= max_lat)) return cells;
  // Cells sharing more than an edge or corner with the box: the last row/col
  // is the one containing max, unless max lies exactly on its lower edge.
  auto last = [](double v, double origin, std::int64_t n) {
    const double t = (v - origin) / kCellDeg;
    auto i = static_cast<std::int64_t>(std::ceil(t)) - 1;
    return std::clamp(i, std::int64_t{0}, n - 1);
  };
  const std::int64_t r0 = row_of(min_lat);
  const std::int64_t c0 = col_of(min_lon);
  const std::int64_t r1 = std::max(r0, last(max_lat, -90.0, kRows));
  const std::int64_t c1 = std::max(c0, last(max_lon, -180.0, kCols));
  cells.reserve(static_cast<std::size_t>((r1 - r0 + 1) * (c1 - c0 + 1)));
  for (std::int64_t r = r0; r <= r1; ++r) {
    for (std::int64_t c = c0; c <= c1; ++c) {
      Area a = make_cell(r, c);
      a.share_inside = 1.0;
      cells.push_back(std::move(a));
    }
  }
  return cells;
}

std::vector<Area> priogrid_cells_within(const Area& area) {
  detail::GeomPtr g = detail::read_wkb(area.wkb);
  if (!g) throw bad_input("area '" + area.id + "' has no readable geometry");
  GEOSContextHandle_t h = detail::geos();
  std::vector<Area> cells;
  if (GEOSisEmpty_r(h, g.get()) == 1) return cells;
  double xmin = 0, ymin = 0, xmax = 0, ymax = 0;
  GEOSGeom_getXMin_r(h, g.get(), &xmin);
  GEOSGeom_getYMin_r(h, g.get(), &ymin);
  GEOSGeom_getXMax_r(h, g.get(), &xmax);
  GEOSGeom_getYMax_r(h, g.get(), &ymax);
  const detail::PreparedPtr prepared(GEOSPrepare_r(h, g.get()));
  // share_inside is the ratio of ellipsoidal areas (geodesy.hpp), so that it
  // stays exact for cells far from the equator.
  for (std::int64_t r = row_of(ymin); r <= row_of(ymax); ++r) {
    for (std::int64_t c = col_of(xmin); c <= col_of(xmax); ++c) {
      detail::GeomPtr cell = cell_polygon(r, c);
      double share = 0.0;
      if (GEOSPreparedContains_r(h, prepared.get(), cell.get()) == 1) {
        share = 1.0;
      } else if (GEOSPreparedIntersects_r(h, prepared.get(), cell.get()) == 1) {
        detail::GeomPtr inter(GEOSIntersection_r(h, g.get(), cell.get()));
        if (inter) {
          share = std::min(1.0, detail::polygonal_area_km2(inter.get()) / detail::polygonal_area_km2(cell.get()));
        }
      }
      if (share <= 0.0) continue;
      Area a = make_cell(r, c);
      a.share_inside = share;
      a.parent_id = area.id;
      cells.push_back(std::move(a));
    }
  }
  return cells;
}

}  // namespace endstate::geo
