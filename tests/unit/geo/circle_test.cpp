#include <gtest/gtest.h>

#include "endstate/geo/circle.hpp"

namespace endstate::geo {
namespace {

TEST(GeodesicCircle, VerticesAtTheRadiusAndClosed) {
  const LatLon c{-4.5, 28.6};
  const auto ring = geodesic_circle(c, 120, 32);
  ASSERT_EQ(ring.size(), 33u);
  EXPECT_EQ(ring.front(), ring.back());
  for (const auto& p : ring) EXPECT_NEAR(great_circle_km(c, p), 120, 1e-6);
  // counter-clockwise: signed area (shoelace on lon/lat) is positive
  double area2 = 0;
  for (std::size_t k = 0; k + 1 < ring.size(); ++k)
    area2 += ring[k].lon * ring[k + 1].lat - ring[k + 1].lon * ring[k].lat;
  EXPECT_GT(area2, 0);
}

TEST(GeodesicCircle, WrapsLongitudesAcrossTheAntimeridian) {
  const auto ring = geodesic_circle({0, 179.9}, 50, 16);
  for (const auto& p : ring) {
    EXPECT_GE(p.lon, -180);
    EXPECT_LE(p.lon, 180);
  }
}

}  // namespace
}  // namespace endstate::geo
