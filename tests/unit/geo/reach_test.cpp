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

// reach_km is the inverse of response_hours: a point at the radius is reached
// in exactly the time; air only helps past the preparation time and stops at
// the radius of action.
TEST(Reach, RadiusReachedWithinATime) {
  ReachParams p;  // 25 km/h, detour 1.5, air 180 km/h after 1 h, 300 km
  EXPECT_DOUBLE_EQ(reach_km(3, false, p), 50.0);
  EXPECT_DOUBLE_EQ(reach_km(0.5, true, p), reach_km(0.5, false, p));
  EXPECT_DOUBLE_EQ(reach_km(1.5, true, p), 90.0);
  EXPECT_DOUBLE_EQ(reach_km(10, true, p), 300.0);
  const double km = reach_km(4, false, p);
  const LatLon far{0.0, 29.0 + km / 111.19508};
  EXPECT_NEAR(response_hours(kA, far, false, p), 4.0, 1e-3);
}

}  // namespace
}  // namespace endstate::geo
