// AreaIndex against an independent oracle: GEOS prepared "covers" over every
// area of a level, owner = smallest id (then smallest input index). Random
// points use fixed seeds; boundary points (vertices, 0.5° lines, shared edges)
// are added on purpose, since that is where fast paths go wrong.
#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <geos_c.h>
#include <gtest/gtest.h>

#include "endstate/geo/area_index.hpp"
#include "endstate/geo/areas_io.hpp"
#include "endstate/geo/priogrid.hpp"
#include "geo_test_util.hpp"

namespace endstate::geo {
namespace {

using testutil::area_from_wkt;

/// The oracle: no index, no raster, one GEOS prepared covers per area. On the
/// levels named in `grid_levels` (PRIO-GRID cells), the covering cell with the
/// largest gid owns the point (PRIO-GRID's floor rule: priogrid_gid(p) when the
/// level has that cell); elsewhere the smallest id.
class BruteForce {
 public:
  explicit BruteForce(const std::vector<Area>& areas, std::set<std::string> grid_levels = {})
      : h_(GEOS_init_r()), areas_(areas), grid_levels_(std::move(grid_levels)) {
    std::map<std::string, std::vector<int>> by_level;
    for (std::size_t i = 0; i < areas.size(); ++i) by_level[areas[i].level].push_back(static_cast<int>(i));
    GEOSWKBReader* reader = GEOSWKBReader_create_r(h_);
    for (auto& [name, idx] : by_level) {
      Level level;
      level.name = name;
      level.members = idx;
      for (int i : idx) {
        const auto& wkb = areas[static_cast<std::size_t>(i)].wkb;
        GEOSGeometry* g = GEOSWKBReader_read_r(h_, reader, wkb.data(), wkb.size());
        level.geoms.push_back(g);
        level.prepared.push_back(GEOSPrepare_r(h_, g));
      }
      levels_.push_back(std::move(level));
    }
    GEOSWKBReader_destroy_r(h_, reader);
  }
  ~BruteForce() {
    for (auto& l : levels_) {
      for (auto* p : l.prepared) GEOSPreparedGeom_destroy_r(h_, p);
      for (auto* g : l.geoms) GEOSGeom_destroy_r(h_, g);
    }
    GEOS_finish_r(h_);
  }
  BruteForce(const BruteForce&) = delete;
  BruteForce& operator=(const BruteForce&) = delete;

  std::vector<int> lookup(LatLon p) const {
    std::vector<int> out;
    GEOSGeometry* pt = GEOSGeom_createPointFromXY_r(h_, p.lon, p.lat);
    for (const auto& l : levels_) {
      int best = -1, floor_cell = -1;
      const bool grid = grid_levels_.count(l.name) > 0;
      for (std::size_t k = 0; k < l.members.size(); ++k) {
        if (GEOSPreparedCovers_r(h_, l.prepared[k], pt) != 1) continue;
        const int i = l.members[k];
        const Area& a = areas_[static_cast<std::size_t>(i)];
        if (best < 0 || a.id < areas_[static_cast<std::size_t>(best)].id ||
            (a.id == areas_[static_cast<std::size_t>(best)].id && i < best)) {
          best = i;
        }
        if (!grid) continue;
        const Area* f = floor_cell < 0 ? nullptr : &areas_[static_cast<std::size_t>(floor_cell)];
        if (!f || *a.priogrid_gid > *f->priogrid_gid || (*a.priogrid_gid == *f->priogrid_gid && a.id < f->id)) {
          floor_cell = i;
        }
      }
      out.push_back(floor_cell >= 0 ? floor_cell : best);
    }
    GEOSGeom_destroy_r(h_, pt);
    return out;
  }

 private:
  struct Level {
    std::string name;
    std::vector<int> members;
    std::vector<GEOSGeometry*> geoms;
    std::vector<const GEOSPreparedGeometry*> prepared;
  };
  GEOSContextHandle_t h_;
  const std::vector<Area>& areas_;
  std::set<std::string> grid_levels_;
  std::vector<Level> levels_;
};

std::vector<int> lookup(const AreaIndex& index, LatLon p) {
  std::vector<int> out;
  index.lookup(p, out);
  return out;
}

/// Compares index and oracle on `points`; reports the first few differences.
void expect_agreement(const std::vector<Area>& areas, const std::vector<LatLon>& points,
                      std::set<std::string> grid_levels = {}) {
  const AreaIndex index(areas);
  const BruteForce oracle(areas, std::move(grid_levels));
  int mismatches = 0;
  std::vector<int> got;
  for (const LatLon& p : points) {
    index.lookup(p, got);
    const std::vector<int> want = oracle.lookup(p);
    if (got != want && ++mismatches <= 5) {
      ADD_FAILURE() << "at lat " << p.lat << " lon " << p.lon << ": index " << ::testing::PrintToString(got)
                    << ", brute force " << ::testing::PrintToString(want);
    }
  }
  EXPECT_EQ(mismatches, 0) << "of " << points.size() << " points";
}

/// Every vertex of every area, and the midpoint of every edge.
std::vector<LatLon> boundary_points(const std::vector<Area>& areas) {
  std::vector<LatLon> out;
  GEOSContextHandle_t h = GEOS_init_r();
  GEOSWKBReader* reader = GEOSWKBReader_create_r(h);
  for (const Area& a : areas) {
    GEOSGeometry* g = GEOSWKBReader_read_r(h, reader, a.wkb.data(), a.wkb.size());
    GEOSGeometry* coords = GEOSGeom_extractUniquePoints_r(h, g);
    for (int i = 0; i < GEOSGetNumGeometries_r(h, coords); ++i) {
      double x = 0, y = 0;
      const GEOSGeometry* pt = GEOSGetGeometryN_r(h, coords, i);
      GEOSGeomGetX_r(h, pt, &x);
      GEOSGeomGetY_r(h, pt, &y);
      out.push_back(LatLon{y, x});
    }
    GEOSGeom_destroy_r(h, coords);
    GEOSGeom_destroy_r(h, g);
  }
  GEOSWKBReader_destroy_r(h, reader);
  GEOS_finish_r(h);
  const std::size_t n = out.size();
  for (std::size_t i = 0; i + 1 < n; i += 3) {
    out.push_back(LatLon{(out[i].lat + out[i + 1].lat) / 2, (out[i].lon + out[i + 1].lon) / 2});
  }
  return out;
}

std::vector<LatLon> random_points(std::mt19937_64& rng, int n, double lon0, double lat0, double lon1, double lat1) {
  std::uniform_real_distribution<double> x(lon0, lon1), y(lat0, lat1);
  std::vector<LatLon> out;
  out.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) out.push_back(LatLon{y(rng), x(rng)});
  return out;
}

const char* kWest = "POLYGON((0 0,1 0,1 1,0 1,0 0))";
const char* kEast = "POLYGON((1 0,2 0,2 1,1 1,1 0))";

TEST(AreaIndex, InsideOutsideAndSharedEdge) {
  for (const bool west_first : {true, false}) {
    std::vector<Area> areas;
    const Area west = area_from_wkt("b-west", "province", kWest);
    const Area east = area_from_wkt("a-east", "province", kEast);
    areas.push_back(west_first ? west : east);
    areas.push_back(west_first ? east : west);
    const int iw = west_first ? 0 : 1;
    const int ie = 1 - iw;
    const AreaIndex index(areas);
    EXPECT_EQ(index.size(), 2u);
    EXPECT_EQ(index.levels(), std::vector<std::string>{"province"});
    EXPECT_EQ(lookup(index, LatLon{0.5, 0.5}), std::vector<int>{iw});
    EXPECT_EQ(lookup(index, LatLon{0.5, 1.5}), std::vector<int>{ie});
    EXPECT_EQ(lookup(index, LatLon{3, 3}), std::vector<int>{-1});
    EXPECT_EQ(lookup(index, LatLon{0.5, -0.000001}), std::vector<int>{-1});
    // The outer boundary belongs to the area; the shared edge to the smaller id ("a-east").
    EXPECT_EQ(lookup(index, LatLon{0.5, 0.0}), std::vector<int>{iw});
    EXPECT_EQ(lookup(index, LatLon{0.5, 1.0}), std::vector<int>{ie});
    EXPECT_EQ(lookup(index, LatLon{1.0, 1.0}), std::vector<int>{ie});
    EXPECT_EQ(lookup(index, LatLon{0.0, 1.0}), std::vector<int>{ie});
    EXPECT_TRUE(index.inside_any(LatLon{0.5, 0.5}));
    EXPECT_FALSE(index.inside_any(LatLon{-0.5, 0.5}));
  }
}

TEST(AreaIndex, SharedDiagonalGoesToTheSmallestId) {
  // Two triangles sharing the diagonal y = x: points on it are exactly collinear.
  for (const bool swap : {false, true}) {
    std::vector<Area> areas = {area_from_wkt("zz", "t", "POLYGON((0 0,4 0,4 4,0 0))"),
                               area_from_wkt("m", "t", "POLYGON((0 0,4 4,0 4,0 0))")};
    if (swap) std::swap(areas[0], areas[1]);
    const int m = swap ? 0 : 1;
    const AreaIndex index(areas);
    for (double v : {0.25, 1.0, 1.5, 3.75, 0.1}) EXPECT_EQ(lookup(index, LatLon{v, v}), std::vector<int>{m}) << v;
    EXPECT_EQ(lookup(index, LatLon{1.0, 3.0}), std::vector<int>{1 - m});
  }
}

TEST(AreaIndex, HolesAndIslands) {
  const std::vector<Area> areas = {
      area_from_wkt("lake-shore", "province", "POLYGON((0 0,10 0,10 10,0 10,0 0),(3 3,7 3,7 7,3 7,3 3))"),
      area_from_wkt("island", "province", "MULTIPOLYGON(((4 4,6 4,6 6,4 6,4 4)),((20 20,21 20,21 21,20 21,20 20)))")};
  const AreaIndex index(areas);
  EXPECT_EQ(lookup(index, LatLon{1, 1}), std::vector<int>{0});
  EXPECT_EQ(lookup(index, LatLon{3.5, 3.5}), std::vector<int>{-1});  // in the hole, off the island
  EXPECT_EQ(lookup(index, LatLon{5, 5}), std::vector<int>{1});
  EXPECT_EQ(lookup(index, LatLon{20.5, 20.5}), std::vector<int>{1});
  EXPECT_EQ(lookup(index, LatLon{5, 3}), std::vector<int>{0});  // on the hole's edge: the boundary is covered
}

TEST(AreaIndex, SeveralLevelsInOneLookup) {
  std::vector<Area> areas = {area_from_wkt("cd", "country", "POLYGON((0 0,2 0,2 1,0 1,0 0))"),
                             area_from_wkt("west", "province", kWest), area_from_wkt("east", "province", kEast)};
  for (Area& cell : priogrid_cells(0.0, 0.0, 2.0, 1.0)) areas.push_back(std::move(cell));
  AreaIndex index(areas);
  ASSERT_EQ(index.levels(), (std::vector<std::string>{"country", "grid", "province"}));
  EXPECT_EQ(index.size(), 3u + 8u);
  const std::vector<int> hit = lookup(index, LatLon{0.7, 1.2});
  ASSERT_EQ(hit.size(), 3u);
  EXPECT_EQ(hit[0], 0);
  EXPECT_EQ(areas[static_cast<std::size_t>(hit[1])].priogrid_gid, priogrid_gid(LatLon{0.7, 1.2}));
  EXPECT_EQ(areas[static_cast<std::size_t>(hit[2])].id, "east");
  EXPECT_EQ(lookup(index, LatLon{5, 5}), (std::vector<int>{-1, -1, -1}));
  EXPECT_EQ(lookup(index, LatLon{std::nan(""), 1}), (std::vector<int>{-1, -1, -1}));
  EXPECT_EQ(lookup(index, LatLon{95, 1}), (std::vector<int>{-1, -1, -1}));
  AreaIndex moved(std::move(index));
  EXPECT_EQ(lookup(moved, LatLon{0.7, 1.2}), hit);
}

TEST(AreaIndex, EmptyInputAndAreasWithoutGeometry) {
  const AreaIndex none(std::vector<Area>{});
  EXPECT_TRUE(none.levels().empty());
  EXPECT_TRUE(lookup(none, LatLon{0, 0}).empty());
  EXPECT_FALSE(none.inside_any(LatLon{0, 0}));
  Area bare;
  bare.id = "bare";
  bare.level = "x";
  const AreaIndex only_bare(std::vector<Area>{bare});
  EXPECT_EQ(lookup(only_bare, LatLon{0, 0}), std::vector<int>{-1});
  Area broken = bare;
  broken.wkb = {1, 2, 3, 4};
  EXPECT_THROW({ const AreaIndex bad(std::vector<Area>{broken}); }, Error);
}

/// PRIO-GRID cells over [10, 20] x [-5, 5] in shuffled order, and points on
/// cell lines and corners: the gid fast path must pick PRIO-GRID's floor cell
/// (else, on the level's outer edge, the covering cell with the smallest id).
TEST(AreaIndex, GridFastPathAgreesWithBruteForce) {
  std::vector<Area> cells = priogrid_cells(10.0, -5.0, 20.0, 5.0);
  ASSERT_EQ(cells.size(), 400u);
  std::mt19937_64 rng(20240601);
  std::shuffle(cells.begin(), cells.end(), rng);
  std::vector<LatLon> points = random_points(rng, 10000, 9.0, -6.0, 21.0, 6.0);
  std::uniform_int_distribution<int> line(0, 24);
  for (std::size_t i = 0; i < points.size(); i += 3) {
    if (i % 2 == 0) points[i].lat = -6.0 + 0.5 * line(rng);
    if (i % 9 == 0 || i % 2 == 1) points[i].lon = 9.0 + 0.5 * line(rng);
  }
  // Ids "pg-N" do not sort like gids ("pg-100" < "pg-99"); corners make that matter.
  expect_agreement(cells, points, {"grid"});

  // The same through a level whose cells came from priogrid_cells_within.
  const Area blob = area_from_wkt("blob", "province", "POLYGON((12.2 -3.1,17.9 -2.2,18.3 3.9,11.1 2.2,12.2 -3.1))");
  std::vector<Area> within = priogrid_cells_within(blob);
  within.push_back(blob);
  expect_agreement(within, points, {"grid"});
}

/// Issue 19: events on cell edges go to the cell priogrid_gid() names (north
/// and/or east of the edge), as UCDP's priogrid_gid column does; on the outer
/// edge of the level, to the cell that holds them.
TEST(AreaIndex, GridEdgesAndCornersFollowPrioGridFloorRule) {
  std::vector<Area> cells = priogrid_cells(30.0, 10.0, 31.0, 11.0);  // 2 x 2 cells
  ASSERT_EQ(cells.size(), 4u);
  const AreaIndex index(cells);
  auto gid_at = [&](LatLon p) -> std::int64_t {
    const int k = lookup(index, p)[0];
    return k < 0 ? -1 : *cells[static_cast<std::size_t>(k)].priogrid_gid;
  };
  const std::int64_t sw = priogrid_gid(LatLon{10.25, 30.25}), se = priogrid_gid(LatLon{10.25, 30.75});
  const std::int64_t nw = priogrid_gid(LatLon{10.75, 30.25}), ne = priogrid_gid(LatLon{10.75, 30.75});
  // inner corner: north-east
  EXPECT_EQ(gid_at({10.5, 30.5}), ne);
  // inner edges: north of a horizontal edge, east of a vertical one
  EXPECT_EQ(gid_at({10.5, 30.25}), nw);
  EXPECT_EQ(gid_at({10.5, 30.75}), ne);
  EXPECT_EQ(gid_at({10.25, 30.5}), se);
  EXPECT_EQ(gid_at({10.75, 30.5}), ne);
  // south and west outer edges are the cells' own (floor) edges
  EXPECT_EQ(gid_at({10.0, 30.25}), sw);
  EXPECT_EQ(gid_at({10.25, 30.0}), sw);
  EXPECT_EQ(gid_at({10.0, 30.0}), sw);
  EXPECT_EQ(gid_at({10.0, 30.5}), se);
  // north and east outer edges: the floor cell is outside the level, the cell
  // below / west holds them (east of a vertical line, north of a horizontal one)
  EXPECT_EQ(gid_at({11.0, 30.25}), nw);
  EXPECT_EQ(gid_at({10.25, 31.0}), se);
  EXPECT_EQ(gid_at({11.0, 31.0}), ne);
  EXPECT_EQ(gid_at({11.0, 30.5}), ne);
  // outside
  EXPECT_EQ(gid_at({11.01, 30.5}), -1);
  // every inner edge and corner agrees with priogrid_gid()
  for (double lat : {10.25, 10.5, 10.75})
    for (double lon : {30.25, 30.5, 30.75})
      EXPECT_EQ(gid_at({lat, lon}), priogrid_gid(LatLon{lat, lon})) << lat << " " << lon;
}

TEST(AreaIndex, GridAreaByGid) {
  std::vector<Area> areas = priogrid_cells(30.0, 10.0, 31.0, 11.0);
  areas.push_back(area_from_wkt("p", "province", "POLYGON((30 10,31 10,31 11,30 10))"));
  const AreaIndex index(areas);
  ASSERT_EQ(index.levels(), (std::vector<std::string>{"grid", "province"}));
  for (std::size_t i = 0; i < 4; ++i) {
    const int k = index.grid_area(0, *areas[i].priogrid_gid);
    ASSERT_GE(k, 0);
    EXPECT_EQ(areas[static_cast<std::size_t>(k)].id, areas[i].id);
  }
  EXPECT_EQ(index.grid_area(0, priogrid_gid(LatLon{20.25, 30.25})), -1);  // not in the level
  EXPECT_EQ(index.grid_area(1, *areas[0].priogrid_gid), -1);              // not a grid level
  EXPECT_EQ(index.grid_area(2, *areas[0].priogrid_gid), -1);              // no such level
  EXPECT_EQ(index.grid_area(0, 0), -1);
  EXPECT_EQ(index.grid_area(0, 259201), -1);
}

TEST(AreaIndex, GridLevelWithAForeignShapeFallsBackToGeometry) {
  std::vector<Area> cells = priogrid_cells(0.0, 0.0, 2.0, 2.0);
  // Claims a gid but is not that cell's square: the level must be answered by geometry.
  Area odd = area_from_wkt("pg-0-odd", "grid", "POLYGON((0.25 0.25,1.75 0.25,1 1.75,0.25 0.25))");
  odd.priogrid_gid = cells[0].priogrid_gid;
  cells.push_back(odd);
  std::mt19937_64 rng(7);
  std::vector<LatLon> points = random_points(rng, 5000, -0.5, -0.5, 2.5, 2.5);
  const std::vector<LatLon> edges = boundary_points(cells);
  points.insert(points.end(), edges.begin(), edges.end());
  expect_agreement(cells, points);
  const AreaIndex index(cells);
  EXPECT_EQ(cells[static_cast<std::size_t>(lookup(index, LatLon{1.0, 1.0})[0])].id, "pg-0-odd");
}

/// Irregular tessellations (Voronoi cells clipped to a box, with exactly shared
/// edges), a ring with a hole overlapping them on another level, and 10k random
/// points plus every vertex and many edge midpoints.
TEST(AreaIndex, ExactPathAgreesWithBruteForce) {
  std::mt19937_64 rng(42);
  GEOSContextHandle_t h = GEOS_init_r();
  std::uniform_real_distribution<double> u(0.0, 10.0);
  std::vector<double> xy;
  for (int i = 0; i < 60; ++i) {
    xy.push_back(u(rng));
    xy.push_back(u(rng));
  }
  GEOSCoordSequence* seq = GEOSCoordSeq_copyFromBuffer_r(h, xy.data(), 60, 0, 0);
  GEOSGeometry* sites = GEOSGeom_createLineString_r(h, seq);
  GEOSGeometry* env = GEOSGeom_createRectangle_r(h, 0, 0, 10, 10);
  GEOSGeometry* voronoi = GEOSVoronoiDiagram_r(h, sites, env, 0.0, 0);
  ASSERT_NE(voronoi, nullptr);
  GEOSWKBWriter* writer = GEOSWKBWriter_create_r(h);
  std::vector<Area> areas;
  for (int i = 0; i < GEOSGetNumGeometries_r(h, voronoi); ++i) {
    GEOSGeometry* cell = GEOSIntersection_r(h, GEOSGetGeometryN_r(h, voronoi, i), env);
    std::size_t size = 0;
    unsigned char* buf = GEOSWKBWriter_write_r(h, writer, cell, &size);
    Area a;
    a.id = "v" + std::to_string(i);
    a.level = "tile";
    a.wkb.assign(buf, buf + size);
    compute_metrics(a);
    areas.push_back(std::move(a));
    GEOSFree_r(h, buf);
    GEOSGeom_destroy_r(h, cell);
  }
  GEOSWKBWriter_destroy_r(h, writer);
  GEOSGeom_destroy_r(h, voronoi);
  GEOSGeom_destroy_r(h, env);
  GEOSGeom_destroy_r(h, sites);
  GEOS_finish_r(h);
  areas.push_back(area_from_wkt("ring", "ring", "POLYGON((2 2,8 2.5,7.5 8,2.5 7,2 2),(4 4,6 4.2,5.5 6,4.1 5.2,4 4))"));
  areas.push_back(area_from_wkt("dot", "ring", "POLYGON((4.5 4.5,5 4.5,5 5,4.5 5,4.5 4.5))"));
  std::shuffle(areas.begin(), areas.end(), rng);

  std::vector<LatLon> points = random_points(rng, 10000, -1.0, -1.0, 11.0, 11.0);
  const std::vector<LatLon> edges = boundary_points(areas);
  points.insert(points.end(), edges.begin(), edges.end());
  expect_agreement(areas, points);
}

TEST(AreaIndex, ConcurrentLookupsAgree) {
  std::vector<Area> areas = priogrid_cells(0.0, 0.0, 3.0, 3.0);
  areas.push_back(area_from_wkt("a", "province", "POLYGON((0 0,3 0,1.5 3,0 0))"));
  areas.push_back(area_from_wkt("b", "province", "POLYGON((3 0,3 3,1.5 3,3 0))"));
  const AreaIndex index(areas);
  std::mt19937_64 rng(3);
  const std::vector<LatLon> points = random_points(rng, 20000, -0.5, -0.5, 3.5, 3.5);
  std::vector<std::vector<int>> expected;
  for (const LatLon& p : points) expected.push_back(lookup(index, p));
  std::vector<int> failures(4, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      std::vector<int> got;
      for (std::size_t i = 0; i < points.size(); ++i) {
        index.lookup(points[i], got);
        if (got != expected[i]) ++failures[static_cast<std::size_t>(t)];
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures, std::vector<int>(4, 0));
}

}  // namespace
}  // namespace endstate::geo
