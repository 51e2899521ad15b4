#include <cmath>
#include <map>
#include <set>

#include <gtest/gtest.h>

#include "endstate/core/error.hpp"
#include "endstate/geo/areas_io.hpp"
#include "endstate/geo/priogrid.hpp"
#include "geo_test_util.hpp"

namespace endstate::geo {
namespace {

using testutil::area_from_wkt;

// Reference areas of 0.5° cells from Karney's geodesic polygon area
// (PROJ geod_polygonarea, WGS84), for cells [10, 10.5] x [lat, lat + 0.5].
constexpr double kCellKm2Lat0 = 3077.249667;
constexpr double kCellKm2Lat45 = 2181.131784;
constexpr double kCellKm2Lat60 = 1542.501556;

TEST(PrioGrid, GidFollowsTheFormula) {
  // Kinshasa: row = floor(85.670278 / 0.5) = 171, col = floor(195.315 / 0.5) = 390.
  EXPECT_EQ(priogrid_gid(LatLon{-4.329722, 15.315}), 171 * 720 + 390 + 1);
  EXPECT_EQ(priogrid_gid(LatLon{-4.329722, 15.315}), 123511);
  EXPECT_EQ(priogrid_gid(LatLon{-90, -180}), 1);
  EXPECT_EQ(priogrid_gid(LatLon{-89.9, -179.6}), 1);
  EXPECT_EQ(priogrid_gid(LatLon{-89.9, -179.4}), 2);
  EXPECT_EQ(priogrid_gid(LatLon{-89.4, -180}), 721);
  EXPECT_EQ(priogrid_gid(LatLon{0, 0}), 180 * 720 + 360 + 1);
  EXPECT_EQ(priogrid_gid(LatLon{89.99, 179.99}), 259200);
  // The north pole and the antimeridian belong to the last row / column.
  EXPECT_EQ(priogrid_gid(LatLon{90, 180}), 259200);
}

TEST(PrioGrid, CentreRoundTrips) {
  const LatLon c = priogrid_centre(123511);
  EXPECT_DOUBLE_EQ(c.lat, -4.25);
  EXPECT_DOUBLE_EQ(c.lon, 15.25);
  for (std::int64_t gid : {1L, 2L, 720L, 721L, 123511L, 259200L}) EXPECT_EQ(priogrid_gid(priogrid_centre(gid)), gid);
  EXPECT_THROW(priogrid_centre(0), Error);
  EXPECT_THROW(priogrid_centre(259201), Error);
}

TEST(PrioGrid, CellsOfABox) {
  // [15, 16] x [-5, -4]: exactly 2 x 2 cells; cells that only touch the box are out.
  const auto cells = priogrid_cells(15.0, -5.0, 16.0, -4.0);
  ASSERT_EQ(cells.size(), 4u);
  std::set<std::int64_t> gids;
  for (const Area& a : cells) {
    ASSERT_TRUE(a.priogrid_gid);
    gids.insert(*a.priogrid_gid);
    EXPECT_EQ(a.id, "pg-" + std::to_string(*a.priogrid_gid));
    EXPECT_EQ(a.name, "PRIO-GRID " + std::to_string(*a.priogrid_gid));
    EXPECT_EQ(a.level, "grid");
    EXPECT_TRUE(a.parent_id.empty());
    ASSERT_TRUE(a.share_inside);
    EXPECT_DOUBLE_EQ(*a.share_inside, 1.0);
    const LatLon c = priogrid_centre(*a.priogrid_gid);
    EXPECT_DOUBLE_EQ(a.min_lon, c.lon - 0.25);
    EXPECT_DOUBLE_EQ(a.max_lon, c.lon + 0.25);
    EXPECT_DOUBLE_EQ(a.min_lat, c.lat - 0.25);
    EXPECT_DOUBLE_EQ(a.max_lat, c.lat + 0.25);
    EXPECT_NEAR(a.centroid.lat, c.lat, 1e-12);
    EXPECT_NEAR(a.centroid.lon, c.lon, 1e-12);
  }
  EXPECT_EQ(gids, (std::set<std::int64_t>{170 * 720 + 390 + 1, 170 * 720 + 391 + 1, 171 * 720 + 390 + 1,
                                          171 * 720 + 391 + 1}));
  // A box inside one cell gives that cell.
  const auto one = priogrid_cells(15.3, -4.4, 15.4, -4.3);
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].id, "pg-123511");
}

TEST(PrioGrid, CellPolygonIsTheSquare) {
  const auto cells = priogrid_cells(15.1, -4.4, 15.2, -4.3);
  ASSERT_EQ(cells.size(), 1u);
  const std::string json = wkb_to_geojson(cells[0].wkb, 3);
  EXPECT_NE(json.find("\"Polygon\""), std::string::npos) << json;
  for (const char* corner : {"[ 15.0, -4.5 ]", "[ 15.5, -4.5 ]", "[ 15.5, -4.0 ]", "[ 15.0, -4.0 ]"}) {
    EXPECT_NE(json.find(corner), std::string::npos) << corner << " in " << json;
  }
}

TEST(PrioGrid, CellAreasAreEllipsoidal) {
  auto cell_at = [](double lat) { return priogrid_cells(10.1, lat + 0.1, 10.2, lat + 0.2).at(0); };
  EXPECT_NEAR(cell_at(0.0).area_km2 / kCellKm2Lat0, 1.0, 1e-5);
  EXPECT_NEAR(cell_at(45.0).area_km2 / kCellKm2Lat45, 1.0, 1e-5);
  EXPECT_NEAR(cell_at(60.0).area_km2 / kCellKm2Lat60, 1.0, 1e-5);
}

TEST(PrioGrid, CellsWithinAnAreaCarryTheirShare) {
  // The square [15.25, 16] x [-4.25, -3.5] covers a quarter of cell (row 171, col 390),
  // half of (171, 391) and of (172, 390), and all of (172, 391); col 392 only touches it.
  const Area area = area_from_wkt("sq", "province", "POLYGON((15.25 -4.25,16 -4.25,16 -3.5,15.25 -3.5,15.25 -4.25))");
  const auto cells = priogrid_cells_within(area);
  ASSERT_EQ(cells.size(), 4u);
  std::map<std::int64_t, double> share;
  double covered_km2 = 0;
  for (const Area& c : cells) {
    EXPECT_EQ(c.parent_id, "sq");
    EXPECT_EQ(c.level, "grid");
    share[*c.priogrid_gid] = *c.share_inside;
    covered_km2 += *c.share_inside * c.area_km2;
  }
  auto gid = [](int row, int col) { return static_cast<std::int64_t>(row) * 720 + col + 1; };
  // Ellipsoidal shares: exact halves in longitude, within 1e-3 of halves in latitude.
  EXPECT_NEAR(share.at(gid(171, 390)), 0.25, 1e-3);
  EXPECT_NEAR(share.at(gid(171, 391)), 0.5, 1e-3);
  EXPECT_NEAR(share.at(gid(172, 390)), 0.5, 1e-3);
  EXPECT_DOUBLE_EQ(share.at(gid(172, 391)), 1.0);
  EXPECT_NEAR(covered_km2 / area.area_km2, 1.0, 1e-9);
}

TEST(PrioGrid, CellsWithinSkipCellsThatOnlyTouch) {
  // A triangle whose envelope spans 2 x 2 cells but that never enters (row 0 + 1, col 1).
  const Area tri = area_from_wkt("tri", "x", "POLYGON((0.1 0.1,0.9 0.1,0.1 0.9,0.1 0.1))");
  const auto cells = priogrid_cells_within(tri);
  ASSERT_EQ(cells.size(), 3u);
  for (const Area& c : cells) EXPECT_NE(*c.priogrid_gid, priogrid_gid(LatLon{0.75, 0.75}));
}

}  // namespace
}  // namespace endstate::geo
