// Distance to the nearest area (src/ingest/detail/nearest_area.hpp), against
// distances worked out by hand and against a brute-force scan.
#include <cstring>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "detail/nearest_area.hpp"
#include "endstate/core/types.hpp"

namespace endstate::ingest::detail {
namespace {

using Ring = std::vector<LatLon>;

void put(std::vector<std::uint8_t>& out, const void* p, std::size_t n) {
  const auto* b = static_cast<const std::uint8_t*>(p);
  out.insert(out.end(), b, b + n);
}

/// Little-endian ISO WKB of a polygon (first ring outer, others holes).
Area polygon(const std::string& id, const std::vector<Ring>& rings) {
  Area a;
  a.id = id;
  const std::uint8_t order = 1;
  const std::uint32_t type = 3, n_rings = static_cast<std::uint32_t>(rings.size());
  put(a.wkb, &order, 1);
  put(a.wkb, &type, 4);
  put(a.wkb, &n_rings, 4);
  for (const Ring& r : rings) {
    const auto n = static_cast<std::uint32_t>(r.size() + 1);
    put(a.wkb, &n, 4);
    for (std::size_t i = 0; i <= r.size(); ++i) {
      const LatLon& p = r[i % r.size()];
      put(a.wkb, &p.lon, 8);
      put(a.wkb, &p.lat, 8);
    }
  }
  return a;
}

Ring box(double lon0, double lat0, double lon1, double lat1) {
  return {{lat0, lon0}, {lat0, lon1}, {lat1, lon1}, {lat1, lon0}};
}

TEST(NearestArea, LongEdgesAreSampledNotOnlyTheirCorners) {
  const NearestArea f({polygon("strip", {box(0, 0, 10, 1)})});
  const auto h = f.nearest({1.5, 5.0});  // half a degree north of the middle of a 10-degree edge
  EXPECT_EQ(h.area, 0);
  EXPECT_NEAR(h.distance_km, great_circle_km({1.5, 5.0}, {1.0, 5.0}), 2.5);
}

TEST(NearestArea, APointInAHoleIsNearTheHolesRing) {
  const NearestArea f({polygon("ring", {box(0, 0, 10, 10), box(4, 4, 6, 6)}), polygon("far", {box(50, 50, 51, 51)})});
  const auto h = f.nearest({5.0, 5.0});
  EXPECT_EQ(h.area, 0);
  EXPECT_NEAR(h.distance_km, great_circle_km({5.0, 5.0}, {4.0, 5.0}), 2.5);
}

TEST(NearestArea, NoGeometryNoAnswer) {
  Area empty;
  empty.id = "x";
  const NearestArea f({empty});
  EXPECT_EQ(f.nearest({0, 0}).area, -1);
  EXPECT_EQ(f.samples(), 0u);
}

// The k-d tree answers what a scan of every boundary point (sampled 5 times
// finer) answers, within the two sampling errors (2.5 + 0.5 km).
TEST(NearestArea, AgreesWithABruteForceScan) {
  std::vector<Area> areas;
  std::vector<std::pair<LatLon, int>> fine;
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> lon(-170, 160), lat(-70, 60), size(0.2, 4);
  for (int k = 0; k < 25; ++k) {
    const double x = lon(rng), y = lat(rng), d = size(rng);
    areas.push_back(polygon("a" + std::to_string(k), {box(x, y, x + d, y + d)}));
    const Ring r = box(x, y, x + d, y + d);
    for (std::size_t i = 0; i < r.size(); ++i) {
      const LatLon a = r[i], b = r[(i + 1) % r.size()];
      const int steps = static_cast<int>(great_circle_km(a, b) / 1.0) + 1;
      for (int s = 0; s <= steps; ++s) {
        const double t = static_cast<double>(s) / steps;
        fine.push_back({{a.lat + t * (b.lat - a.lat), a.lon + t * (b.lon - a.lon)}, k});
      }
    }
  }
  const NearestArea f(areas);
  std::uniform_real_distribution<double> qlat(-89, 89), qlon(-180, 180);
  for (int q = 0; q < 100; ++q) {
    const LatLon p{qlat(rng), qlon(rng)};
    double best = 1e18;
    for (const auto& [s, k] : fine) best = std::min(best, great_circle_km(p, s));
    const auto h = f.nearest(p);
    ASSERT_GE(h.area, 0);
    EXPECT_NEAR(h.distance_km, best, 3.0) << p.lat << "," << p.lon;
  }
}

}  // namespace
}  // namespace endstate::ingest::detail
