// geo over ../shared/data: DR Congo's 51 pre-2015 districts (Who's On First)
// dissolved into the 26 provinces of the 2015 decoupage, checked against the
// country outline and against the areas WOF publishes for each district.
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "endstate/geo/area_index.hpp"
#include "endstate/geo/areas_io.hpp"
#include "endstate/geo/dissolve.hpp"
#include "endstate/geo/priogrid.hpp"
#include "test_config.hpp"

namespace endstate::geo {
namespace {

std::string boundaries(const std::string& file) {
  return (testing::shared_data_dir() / "drc" / "boundaries" / file).string();
}

std::vector<Area> read_districts() {
  AreaReadOptions opt;
  opt.level = "district";
  opt.id_field = "wof:id";
  opt.name_field = "wof:name";
  return read_areas(boundaries("districts_pre2015.geojson"), opt);
}

TEST(GeoRealData, DistrictsDissolveIntoTwentySixProvinces) {
  ENDSTATE_REQUIRE_SHARED_DATA();
  std::vector<Area> districts = read_districts();
  ASSERT_EQ(districts.size(), 51u);
  const auto crosswalk = read_crosswalk(boundaries("district_to_province_2015.csv"), "wof_id", "province_2015");
  const std::vector<Area> provinces = dissolve(districts, crosswalk, "province");
  ASSERT_EQ(provinces.size(), 26u);

  std::set<std::string> ids;
  double sum_km2 = 0;
  for (const Area& p : provinces) {
    ids.insert(p.id);
    sum_km2 += p.area_km2;
    EXPECT_EQ(p.level, "province");
    EXPECT_GT(p.area_km2, 0);
  }
  EXPECT_TRUE(ids.count("nord-kivu")) << "slug of Nord-Kivu";
  EXPECT_TRUE(ids.count("kinshasa"));
  EXPECT_TRUE(
      std::is_sorted(provinces.begin(), provinces.end(), [](const Area& a, const Area& b) { return a.id < b.id; }));

  // Every district in exactly one province, and that province exists.
  std::map<std::string, int> per_province;
  for (const Area& d : districts) {
    ASSERT_FALSE(d.parent_id.empty()) << d.id;
    EXPECT_TRUE(ids.count(d.parent_id)) << d.parent_id;
    ++per_province[d.parent_id];
  }
  EXPECT_EQ(per_province.size(), 26u);

  // The provinces together cover the country: areas within 1 %.
  AreaReadOptions copt;
  copt.level = "country";
  const std::vector<Area> country = read_areas(boundaries("country.geojson"), copt);
  ASSERT_EQ(country.size(), 1u);
  EXPECT_NEAR(sum_km2 / country[0].area_km2, 1.0, 0.01) << sum_km2 << " vs " << country[0].area_km2;
  // DR Congo is 2,344,858 km² (UN Statistics Division); boundary data differs by generalisation.
  EXPECT_NEAR(country[0].area_km2, 2344858.0, 0.02 * 2344858.0);
}

TEST(GeoRealData, DistrictAreasMatchWhosOnFirst) {
  ENDSTATE_REQUIRE_SHARED_DATA();
  // WOF's "geom:area_square_m" is an independent ellipsoidal area of each district.
  AreaReadOptions opt;
  opt.level = "district";
  opt.id_field = "wof:id";
  opt.population_field = "geom:area_square_m";  // read a number column through the population slot
  const std::vector<Area> districts = read_areas(boundaries("districts_pre2015.geojson"), opt);
  for (const Area& d : districts) {
    ASSERT_TRUE(d.population.has_value()) << d.id;
    const double wof_km2 = *d.population / 1e6;
    EXPECT_NEAR(d.area_km2 / wof_km2, 1.0, 0.005) << d.id << " " << d.name;
  }
}

TEST(GeoRealData, IndexAssignsEveryDistrictCentroidToItsProvince) {
  ENDSTATE_REQUIRE_SHARED_DATA();
  std::vector<Area> districts = read_districts();
  const auto crosswalk = read_crosswalk(boundaries("district_to_province_2015.csv"), "wof_id", "province_2015");
  std::vector<Area> all = dissolve(districts, crosswalk, "province");
  const std::size_t n_provinces = all.size();
  for (const Area& d : districts) all.push_back(d);
  const AreaIndex index(all);
  ASSERT_EQ(index.levels(), (std::vector<std::string>{"district", "province"}));
  std::vector<int> hits;
  int checked = 0;
  for (std::size_t i = n_provinces; i < all.size(); ++i) {
    const Area& d = all[i];
    // The centroid can fall outside a concave district; check only those it owns.
    index.lookup(d.centroid, hits);
    if (hits[0] != static_cast<int>(i)) continue;
    ++checked;
    ASSERT_GE(hits[1], 0) << d.name;
    EXPECT_EQ(all[static_cast<std::size_t>(hits[1])].id, d.parent_id) << d.name;
  }
  EXPECT_GE(checked, 40);
  // Kinshasa (the city) lies in the province of Kinshasa.
  index.lookup(LatLon{-4.325, 15.322}, hits);
  ASSERT_GE(hits[1], 0);
  EXPECT_EQ(all[static_cast<std::size_t>(hits[1])].id, "kinshasa");
}

}  // namespace
}  // namespace endstate::geo
