#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "endstate/core/error.hpp"
#include "endstate/geo/areas_io.hpp"
#include "endstate/geo/dissolve.hpp"
#include "geo_test_util.hpp"

namespace endstate::geo {
namespace {

using testutil::area_from_wkt;
using testutil::expect_bad_input;
using testutil::TempDir;
using testutil::write_text;

std::string unit_square(int x, int y) {
  const std::string x0 = std::to_string(x), y0 = std::to_string(y), x1 = std::to_string(x + 1),
                    y1 = std::to_string(y + 1);
  return "POLYGON((" + x0 + " " + y0 + "," + x1 + " " + y0 + "," + x1 + " " + y1 + "," + x0 + " " + y1 + "," + x0 +
         " " + y0 + "))";
}

/// A 2 x 2 block of unit squares: u1 (0,0), u2 (1,0), u3 (0,1), u4 (1,1), plus u5 apart at (5,5).
std::vector<Area> units() {
  std::vector<Area> u;
  u.push_back(area_from_wkt("u1", "district", unit_square(0, 0)));
  u.push_back(area_from_wkt("u2", "district", unit_square(1, 0)));
  u.push_back(area_from_wkt("u3", "district", unit_square(0, 1)));
  u.push_back(area_from_wkt("u4", "district", unit_square(1, 1)));
  u.push_back(area_from_wkt("u5", "district", unit_square(5, 5)));
  for (std::size_t i = 0; i < u.size(); ++i) u[i].population = 100.0 * static_cast<double>(i + 1);
  return u;
}

TEST(Dissolve, UnionsSquaresIntoGroups) {
  std::vector<Area> u = units();
  // The bottom row is Nord-Kivu; the top row and the far square are Équateur.
  const std::map<std::string, std::string> crosswalk = {
      {"u1", "Nord-Kivu"}, {"u2", "Nord-Kivu"}, {"u3", "Équateur"}, {"u4", "Équateur"}, {"u5", "Équateur"}};
  const auto groups = dissolve(u, crosswalk, "province");
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[0].id, "equateur");  // sorted by id
  EXPECT_EQ(groups[0].name, "Équateur");
  EXPECT_EQ(groups[1].id, "nord-kivu");
  EXPECT_EQ(groups[1].level, "province");
  EXPECT_TRUE(groups[1].parent_id.empty());

  // Nord-Kivu is one rectangle [0,2] x [0,1]: a Polygon, not a MultiPolygon.
  const std::string nk = wkb_to_geojson(groups[1].wkb, 6);
  EXPECT_NE(nk.find("\"type\": \"Polygon\""), std::string::npos) << nk;
  EXPECT_NEAR(groups[1].area_km2, u[0].area_km2 + u[1].area_km2, 1e-6 * groups[1].area_km2);
  EXPECT_DOUBLE_EQ(groups[1].min_lon, 0.0);
  EXPECT_DOUBLE_EQ(groups[1].max_lon, 2.0);
  EXPECT_DOUBLE_EQ(groups[1].max_lat, 1.0);
  ASSERT_TRUE(groups[1].population);
  EXPECT_DOUBLE_EQ(*groups[1].population, 300.0);

  // Équateur has two parts.
  const std::string eq = wkb_to_geojson(groups[0].wkb, 6);
  EXPECT_NE(eq.find("MultiPolygon"), std::string::npos) << eq;
  EXPECT_NEAR(groups[0].area_km2, u[2].area_km2 + u[3].area_km2 + u[4].area_km2, 1e-6 * groups[0].area_km2);
  EXPECT_DOUBLE_EQ(*groups[0].population, 300.0 + 400.0 + 500.0);

  EXPECT_EQ(u[0].parent_id, "nord-kivu");
  EXPECT_EQ(u[1].parent_id, "nord-kivu");
  EXPECT_EQ(u[2].parent_id, "equateur");
  EXPECT_EQ(u[4].parent_id, "equateur");
}

TEST(Dissolve, PopulationOnlyWhenEveryMemberHasOne) {
  std::vector<Area> u = units();
  u[1].population.reset();
  const std::map<std::string, std::string> crosswalk = {
      {"u1", "A"}, {"u2", "A"}, {"u3", "B"}, {"u4", "B"}, {"u5", "B"}};
  const auto groups = dissolve(u, crosswalk, "province");
  EXPECT_FALSE(groups[0].population);  // a: u2 has none
  EXPECT_TRUE(groups[1].population);
}

TEST(Dissolve, Errors) {
  std::vector<Area> u = units();
  const std::map<std::string, std::string> partial = {{"u1", "A"}, {"u2", "A"}, {"u3", "B"}, {"u4", "B"}};
  expect_bad_input([&] { dissolve(u, partial, "province"); }, {"unit 'u5'", "not in the crosswalk"});
  EXPECT_TRUE(u[0].parent_id.empty()) << "a failed dissolve leaves the units alone";

  const std::map<std::string, std::string> clash = {
      {"u1", "Nord Kivu"}, {"u2", "Nord-Kivu"}, {"u3", "B"}, {"u4", "B"}, {"u5", "B"}};
  expect_bad_input([&] { dissolve(u, clash, "province"); }, {"'nord-kivu'", "Nord Kivu", "Nord-Kivu"});

  const std::map<std::string, std::string> unsluggable = {
      {"u1", "Киву"}, {"u2", "A"}, {"u3", "A"}, {"u4", "A"}, {"u5", "A"}};
  expect_bad_input([&] { dissolve(u, unsluggable, "province"); }, {"empty id"});
}

TEST(ReadCrosswalk, ReadsKeysAndGroups) {
  TempDir dir;
  const std::string path = dir.file("cw.csv");
  write_text(path,
             "\xEF\xBB\xBFwof_id,District,Province_2015\r\n1,Lukaya,Kongo Central\r\n2, Boma ,Kongo Central\r\n"
             "\r\n2,Boma,Kongo Central\r\n3,\"Tshopo, city\",Tshopo\r\n");
  const auto cw = read_crosswalk(path, "WOF_ID", "province_2015");
  ASSERT_EQ(cw.size(), 3u);
  EXPECT_EQ(cw.at("1"), "Kongo Central");
  EXPECT_EQ(cw.at("2"), "Kongo Central");
  EXPECT_EQ(cw.at("3"), "Tshopo");
}

TEST(ReadCrosswalk, Errors) {
  TempDir dir;
  const std::string path = dir.file("cw.csv");
  write_text(path, "key,group\n1,A\n");
  expect_bad_input([&] { read_crosswalk(path, "wof_id", "group"); },
                   {path + ":1", "no key column 'wof_id'", "key, group"}, "wof_id");
  expect_bad_input([&] { read_crosswalk(path, "key", "province"); }, {"no group column 'province'", "key, group"},
                   "province");

  write_text(path, "key,group\n1,A\n,B\n");
  expect_bad_input([&] { read_crosswalk(path, "key", "group"); }, {path + ":3", "empty key"}, "key");

  write_text(path, "key,group\n1,A\n2,\n");
  expect_bad_input([&] { read_crosswalk(path, "key", "group"); }, {path + ":3", "empty group for key '2'"}, "group");

  write_text(path, "key,group\n1,A\n2,B\n1,C\n");
  expect_bad_input([&] { read_crosswalk(path, "key", "group"); },
                   {path + ":4", "key '1' is listed twice", "'A' on line 2", "'C' here"}, "group");

  write_text(path, "key,other,group\n1,x,A\n2\n");
  expect_bad_input([&] { read_crosswalk(path, "key", "group"); }, {path + ":3", "row has 1 fields"});

  write_text(path, "key,group\n");
  expect_bad_input([&] { read_crosswalk(path, "key", "group"); }, {"no rows"});
}

// Issue 18, items 5 and 9: crosswalk names that are not UTF-8 went into the
// store; /dev/zero as a crosswalk read without end.
TEST(ReadCrosswalk, NamesMustBeUtf8AndDevZeroIsBinary) {
  TempDir dir;
  const std::string path = dir.file("cw.csv");
  write_text(path, "key,group\n1,A\n2,Nord\xFFKivu\n");
  expect_bad_input([&] { read_crosswalk(path, "key", "group"); }, {path + ":3", "not valid UTF-8"}, "group");
  write_text(path, std::string("key,group\n1,A\0B\n", 16));
  expect_bad_input([&] { read_crosswalk(path, "key", "group"); }, {path + ":2", "NUL"});
  expect_bad_input([&] { read_crosswalk("/dev/zero", "key", "group"); }, {"/dev/zero", "NUL byte"});
  expect_bad_input([&] { read_crosswalk(dir.file(""), "key", "group"); }, {"directory"});
}

}  // namespace
}  // namespace endstate::geo
