#include "endstate/geo/reach.hpp"

#include <gtest/gtest.h>

namespace endstate::geo {
namespace {

// Goma -> Beni is about 300 km by great circle... use points on the equator,
// where one degree of longitude is 111.195 km on the mean sphere.
const LatLon kA{0.0, 29.0};
const LatLon kB{0.0, 30.0};

TEST(Reach, RoadTimeIsDistanceTimesDetourOverSpeed) {
  ReachParams p;
  p.road_kmh = 20;
  p.detour = 1.5;
  EXPECT_NEAR(road_hours(kA, kB, p), 111.195 * 1.5 / 20, 0.01);
  EXPECT_DOUBLE_EQ(road_hours(kA, kA, p), 0.0);
}

TEST(Reach, AirAddsPreparationAndStopsAtTheRadius) {
  ReachParams p;
  p.air_kmh = 200;
  p.air_prep_hours = 0.5;
  p.air_max_km = 150;
  ASSERT_TRUE(air_hours(kA, kB, p));
  EXPECT_NEAR(*air_hours(kA, kB, p), 0.5 + 111.195 / 200, 0.001);
  EXPECT_FALSE(air_hours(kA, LatLon{0.0, 31.0}, p)) << "222 km is beyond a 150 km radius";
}

TEST(Reach, ResponseTakesTheFasterModeOnlyWithHelicopters) {
  ReachParams p;
  const double road = road_hours(kA, kB, p);
  EXPECT_DOUBLE_EQ(response_hours(kA, kB, false, p), road);
  EXPECT_LT(response_hours(kA, kB, true, p), road);
  // Next door, driving beats waiting for the helicopter.
  const LatLon near{0.0, 29.05};
  EXPECT_DOUBLE_EQ(response_hours(kA, near, true, p), road_hours(kA, near, p));
}

}  // namespace
}  // namespace endstate::geo
