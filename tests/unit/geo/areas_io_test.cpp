#include <cmath>
#include <filesystem>
#include <string>

#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <ogrsf_frmts.h>

#include "endstate/core/error.hpp"
#include "endstate/geo/areas_io.hpp"
#include "geo_test_util.hpp"

namespace endstate::geo {
namespace {

namespace fs = std::filesystem;
using testutil::expect_bad_input;
using testutil::TempDir;
using testutil::write_text;

// Karney's geodesic area (PROJ geod_polygonarea, WGS84) of [10, 10.5] x [0, 0.5].
constexpr double kCellKm2Lat0 = 3077.249667;

std::string square(double x0, double y0, double size) {
  auto pt = [](double x, double y) { return "[" + std::to_string(x) + "," + std::to_string(y) + "]"; };
  return "{\"type\":\"Polygon\",\"coordinates\":[[" + pt(x0, y0) + "," + pt(x0 + size, y0) + "," +
         pt(x0 + size, y0 + size) + "," + pt(x0, y0 + size) + "," + pt(x0, y0) + "]]}";
}

std::string feature(const std::string& props, const std::string& geometry) {
  return "{\"type\":\"Feature\",\"properties\":{" + props + "},\"geometry\":" + geometry + "}";
}

std::string collection(const std::vector<std::string>& features, const std::string& extra = "") {
  std::string out = "{\"type\":\"FeatureCollection\"" + extra + ",\"features\":[";
  for (std::size_t i = 0; i < features.size(); ++i) out += (i ? "," : "") + features[i];
  return out + "]}";
}

AreaReadOptions level(const std::string& name) {
  AreaReadOptions o;
  o.level = name;
  return o;
}

/// Writes a layer through OGR (Shapefile or GeoPackage) with string fields
/// `id` and `name` and one polygon per feature, in `epsg`.
void write_ogr(const std::string& driver, const std::string& path, const std::string& layer_name, int epsg,
               const std::vector<std::pair<std::string, std::string>>& id_wkt, bool append_layer = false) {
  GDALAllRegister();
  GDALDriver* drv = GetGDALDriverManager()->GetDriverByName(driver.c_str());
  ASSERT_NE(drv, nullptr);
  GDALDataset* ds = append_layer ? GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE)
                                 : drv->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr);
  ASSERT_NE(ds, nullptr);
  OGRSpatialReference srs;
  srs.importFromEPSG(epsg);
  srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  OGRLayer* layer = ds->CreateLayer(layer_name.c_str(), &srs, wkbPolygon, nullptr);
  ASSERT_NE(layer, nullptr);
  OGRFieldDefn id("id", OFTString);
  OGRFieldDefn name("name", OFTString);
  layer->CreateField(&id);
  layer->CreateField(&name);
  for (const auto& [fid, wkt] : id_wkt) {
    OGRFeature f(layer->GetLayerDefn());
    f.SetField("id", fid.c_str());
    f.SetField("name", ("Area " + fid).c_str());
    OGRGeometry* g = nullptr;
    OGRGeometryFactory::createFromWkt(wkt.c_str(), nullptr, &g);
    f.SetGeometryDirectly(g);
    ASSERT_EQ(layer->CreateFeature(&f), OGRERR_NONE);
  }
  GDALClose(ds);
}

TEST(ReadAreas, GeoJsonWithGuessedFields) {
  TempDir dir;
  const std::string path = dir.file("a.geojson");
  write_text(path, collection({feature("\"id\": 7.0, \"name\": \"Nord-Kivu\", \"pop\": 1200", square(10, 0, 0.5)),
                               feature("\"id\": 8, \"name\": \"Équateur\", \"pop\": null", square(10.5, 0, 0.5))}));
  AreaReadOptions opt = level("province");
  opt.population_field = "POP";  // field names match case-insensitively
  const auto areas = read_areas(path, opt);
  ASSERT_EQ(areas.size(), 2u);
  EXPECT_EQ(areas[0].id, "7");  // an integral real is written without ".0"
  EXPECT_EQ(areas[0].name, "Nord-Kivu");
  EXPECT_EQ(areas[0].level, "province");
  ASSERT_TRUE(areas[0].population);
  EXPECT_DOUBLE_EQ(*areas[0].population, 1200);
  EXPECT_FALSE(areas[1].population);
  EXPECT_EQ(areas[1].id, "8");
  EXPECT_EQ(areas[1].name, "Équateur");
  EXPECT_NEAR(areas[0].area_km2 / kCellKm2Lat0, 1.0, 1e-5);
  EXPECT_DOUBLE_EQ(areas[0].min_lon, 10.0);
  EXPECT_DOUBLE_EQ(areas[0].max_lon, 10.5);
  EXPECT_DOUBLE_EQ(areas[0].min_lat, 0.0);
  EXPECT_DOUBLE_EQ(areas[0].max_lat, 0.5);
  EXPECT_NEAR(areas[0].centroid.lon, 10.25, 1e-12);
  EXPECT_NEAR(areas[0].centroid.lat, 0.25, 1e-12);
  // ISO WKB, little-endian, Polygon (type 3).
  ASSERT_GE(areas[0].wkb.size(), 5u);
  EXPECT_EQ(areas[0].wkb[0], 1);
  EXPECT_EQ(areas[0].wkb[1], 3);
}

TEST(ReadAreas, GuessesGadmAndWofFieldsAndFallsBackToFeatureIds) {
  TempDir dir;
  const std::string gadm = dir.file("gadm.geojson");
  write_text(gadm, collection({feature("\"GID_0\": \"COD\", \"GID_2\": \"COD.1.2_1\", \"NAME_0\": \"DRC\", "
                                       "\"NAME_2\": \"Beni\", \"GID_1\": \"COD.1_1\"",
                                       square(0, 0, 1))}));
  auto areas = read_areas(gadm, level("territory"));
  ASSERT_EQ(areas.size(), 1u);
  EXPECT_EQ(areas[0].id, "COD.1.2_1");
  EXPECT_EQ(areas[0].name, "Beni");

  const std::string wof = dir.file("wof.geojson");
  write_text(wof, collection({feature("\"wof:id\": 1091679353, \"wof:name\": \"Bandundu\"", square(0, 0, 1))}));
  areas = read_areas(wof, level("district"));
  EXPECT_EQ(areas.at(0).id, "1091679353");
  EXPECT_EQ(areas.at(0).name, "Bandundu");

  const std::string bare = dir.file("bare.geojson");
  write_text(bare,
             collection({feature("\"kind\": \"x\"", square(0, 0, 1)), feature("\"kind\": \"y\"", square(1, 0, 1))}));
  areas = read_areas(bare, level("x"));
  ASSERT_EQ(areas.size(), 2u);
  EXPECT_EQ(areas[0].id, "0");
  EXPECT_EQ(areas[1].id, "1");
  EXPECT_EQ(areas[1].name, "1");  // no name field: the id
}

TEST(ReadAreas, ParentField) {
  TempDir dir;
  const std::string path = dir.file("p.geojson");
  write_text(path, collection({feature("\"id\": \"t1\", \"prov\": 42", square(0, 0, 1))}));
  AreaReadOptions opt = level("territory");
  opt.parent_field = "prov";
  EXPECT_EQ(read_areas(path, opt).at(0).parent_id, "42");
}

TEST(ReadAreas, ReprojectsGeoJsonWithACrsMember) {
  TempDir dir;
  const std::string path = dir.file("m.geojson");
  // Web Mercator: x = R*lon, y = R*ln(tan(pi/4 + lat/2)); 10°E -> 1113194.9079 m, 0.5°N -> 55660.4519 m.
  const std::string poly =
      "{\"type\":\"Polygon\",\"coordinates\":[[[1113194.9079327357,0],[1168854.6533293726,0],"
      "[1168854.6533293726,55660.45186542052],[1113194.9079327357,55660.45186542052],[1113194.9079327357,0]]]}";
  write_text(path, collection({feature("\"id\": \"m\"", poly)},
                              ",\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"urn:ogc:def:crs:EPSG::3857\"}}"));
  const auto areas = read_areas(path, level("x"));
  ASSERT_EQ(areas.size(), 1u);
  EXPECT_NEAR(areas[0].min_lon, 10.0, 1e-7);
  EXPECT_NEAR(areas[0].max_lon, 10.5, 1e-7);
  EXPECT_NEAR(areas[0].min_lat, 0.0, 1e-7);
  EXPECT_NEAR(areas[0].max_lat, 0.5, 1e-7);
  EXPECT_NEAR(areas[0].area_km2 / kCellKm2Lat0, 1.0, 1e-5);
}

TEST(ReadAreas, ShapefileWithPrjIsReprojected) {
  TempDir dir;
  const std::string path = dir.file("utm.shp");
  // UTM zone 33S (EPSG:32733): a 10 km square near Kinshasa.
  write_ogr("ESRI Shapefile", path, "utm", 32733,
            {{"k1", "POLYGON((500000 9500000,510000 9500000,510000 9510000,500000 9510000,500000 9500000))"}});
  ASSERT_TRUE(fs::exists(dir.file("utm.prj")));
  const auto areas = read_areas(path, level("x"));
  ASSERT_EQ(areas.size(), 1u);
  EXPECT_EQ(areas[0].id, "k1");
  EXPECT_EQ(areas[0].name, "Area k1");
  // Central meridian 15°E; northing 9,500,000 m in the south is about 4.52°S.
  EXPECT_NEAR(areas[0].min_lon, 15.0, 1e-6);
  EXPECT_NEAR(areas[0].min_lat, -4.52, 0.01);
  EXPECT_LT(areas[0].max_lat, 0);
  // UTM's scale factor 0.9996 on the central meridian: 100 km² on the map is about 100.08 km² on the ground.
  EXPECT_NEAR(areas[0].area_km2, 100.0 / (0.9996 * 0.9996), 0.1);
}

TEST(ReadAreas, ShapefileDbfInAnyCase) {
  TempDir dir;
  const std::string path = dir.file("up.shp");
  write_ogr("ESRI Shapefile", path, "up", 4326, {{"u", "POLYGON((0 0,1 0,1 1,0 1,0 0))"}});
  fs::rename(dir.file("up.dbf"), dir.file("up.DBF"));
  const auto areas = read_areas(path, level("x"));
  ASSERT_EQ(areas.size(), 1u);
  EXPECT_EQ(areas[0].id, "u");
}

TEST(ReadAreas, ShapefileWithoutDbf) {
  TempDir dir;
  const std::string path = dir.file("nodbf.shp");
  write_ogr("ESRI Shapefile", path, "nodbf", 4326, {{"u", "POLYGON((0 0,1 0,1 1,0 1,0 0))"}});
  fs::remove(dir.file("nodbf.dbf"));
  expect_bad_input([&] { read_areas(path, level("x")); }, {path, "nodbf.dbf", "missing"});
}

TEST(ReadAreas, GeoPackageLayers) {
  TempDir dir;
  const std::string path = dir.file("two.gpkg");
  write_ogr("GPKG", path, "provinces", 4326, {{"p1", "POLYGON((0 0,1 0,1 1,0 1,0 0))"}});
  write_ogr("GPKG", path, "districts", 4326,
            {{"d1", "POLYGON((0 0,0.5 0,0.5 1,0 1,0 0))"}, {"d2", "POLYGON((0.5 0,1 0,1 1,0.5 1,0.5 0))"}}, true);
  expect_bad_input([&] { read_areas(path, level("x")); }, {"2 layers", "provinces", "districts", "--layer"}, "layer");
  AreaReadOptions opt = level("district");
  opt.layer = "districts";
  const auto areas = read_areas(path, opt);
  ASSERT_EQ(areas.size(), 2u);
  EXPECT_EQ(areas[1].id, "d2");
  opt.layer = "territories";
  expect_bad_input([&] { read_areas(path, opt); }, {"no layer 'territories'", "provinces, districts"}, "layer");
}

TEST(ReadAreas, RepairsInvalidGeometry) {
  TempDir dir;
  const std::string path = dir.file("bowtie.geojson");
  // A self-intersecting "bow tie" becomes two triangles meeting at (1, 1).
  write_text(path, collection({feature("\"id\": \"b\"",
                                       "{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[2,2],[2,0],[0,2],[0,0]]]}")}));
  const auto areas = read_areas(path, level("x"));
  ASSERT_EQ(areas.size(), 1u);
  EXPECT_EQ(areas[0].wkb[1], 6);  // ISO WKB MultiPolygon
  const std::string json = wkb_to_geojson(areas[0].wkb);
  EXPECT_NE(json.find("MultiPolygon"), std::string::npos) << json;
  // Two triangles of 1 square degree each near the equator: about 2 * 12,308 km².
  EXPECT_NEAR(areas[0].area_km2, 2 * 12308.0, 30.0);
}

TEST(ReadAreas, BadInputs) {
  TempDir dir;
  const std::string missing = dir.file("nope.geojson");
  expect_bad_input([&] { read_areas(missing, level("x")); }, {missing, "no such file"});

  const std::string text = dir.file("notes.txt");
  write_text(text, "this is not geodata\n");
  expect_bad_input([&] { read_areas(text, level("x")); }, {text, "not a readable vector dataset"});

  const std::string bare_feature = dir.file("feature.geojson");
  write_text(bare_feature, feature("\"id\": 1", square(0, 0, 1)));
  expect_bad_input([&] { read_areas(bare_feature, level("x")); },
                   {bare_feature, "not a GeoJSON FeatureCollection", "Feature"});

  const std::string bare_geometry = dir.file("geometry.json");
  write_text(bare_geometry, square(0, 0, 1));
  expect_bad_input([&] { read_areas(bare_geometry, level("x")); }, {"not a GeoJSON FeatureCollection", "Polygon"});

  const std::string array = dir.file("array.geojson");
  write_text(array, "[" + feature("\"id\": 1", square(0, 0, 1)) + "]");
  expect_bad_input([&] { read_areas(array, level("x")); }, {"not a JSON object"});

  const std::string empty = dir.file("empty.geojson");
  write_text(empty, collection({}));
  expect_bad_input([&] { read_areas(empty, level("x")); }, {empty, "no features"});

  const std::string points = dir.file("points.geojson");
  write_text(points, collection({feature("\"id\": 1", square(0, 0, 1)),
                                 feature("\"id\": 2", "{\"type\":\"Point\",\"coordinates\":[1,2]}")}));
  try {
    read_areas(points, level("x"));
    ADD_FAILURE() << "a Point was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.category(), ErrorCategory::kBadInput);
    EXPECT_EQ(e.where().line, 2);  // the feature number
    EXPECT_NE(std::string(e.what()).find("Point"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("polygons or multipolygons"), std::string::npos) << e.what();
  }

  const std::string dup = dir.file("dup.geojson");
  write_text(dup, collection({feature("\"id\": \"a\", \"code\": 1", square(0, 0, 1)),
                              feature("\"id\": \"b\", \"code\": 2", square(1, 0, 1)),
                              feature("\"id\": \"a\", \"code\": 3", square(2, 0, 1))}));
  expect_bad_input([&] { read_areas(dup, level("x")); }, {"id 'a' repeats", "features 1 and 3", "code"}, "id");

  const std::string fields = dir.file("fields.geojson");
  write_text(fields, collection({feature("\"code\": \"a\", \"label\": \"A\", \"pop\": \"many\"", square(0, 0, 1))}));
  for (const char* which : {"id", "name", "parent", "population"}) {
    AreaReadOptions opt = level("x");
    const std::string wanted = std::string("no_") + which;
    if (std::string(which) == "id") opt.id_field = wanted;
    if (std::string(which) == "name") opt.name_field = wanted;
    if (std::string(which) == "parent") opt.parent_field = wanted;
    if (std::string(which) == "population") opt.population_field = wanted;
    expect_bad_input([&] { read_areas(fields, opt); },
                     {std::string("no ") + which + " field '" + wanted + "'", "available fields: code, label, pop"},
                     wanted);
  }
  AreaReadOptions pop = level("x");
  pop.id_field = "code";
  pop.population_field = "pop";
  expect_bad_input([&] { read_areas(fields, pop); }, {"population 'many'"}, "pop");
}

TEST(WkbToGeoJson, CoordinatePrecision) {
  const auto wkb = testutil::wkb_from_wkt("POLYGON((15.123456789 -4.3,15.2 -4.3,15.2 -4.2,15.123456789 -4.3))");
  const std::string six = wkb_to_geojson(wkb);
  EXPECT_NE(six.find("\"type\": \"Polygon\""), std::string::npos) << six;
  EXPECT_NE(six.find("15.123457"), std::string::npos) << six;
  EXPECT_EQ(six.find("15.1234568"), std::string::npos) << six;
  const std::string two = wkb_to_geojson(wkb, 2);
  EXPECT_NE(two.find("15.12,"), std::string::npos) << two;
  EXPECT_THROW(wkb_to_geojson({1, 2, 3}), Error);
}

TEST(Slugify, LowerAsciiWithAccentsStripped) {
  EXPECT_EQ(slugify("Nord-Kivu"), "nord-kivu");
  EXPECT_EQ(slugify("Équateur"), "equateur");
  EXPECT_EQ(slugify("  Kasaï  Oriental!! "), "kasai-oriental");
  EXPECT_EQ(slugify("Ça va -- très bien"), "ca-va-tres-bien");
  EXPECT_EQ(slugify("São Tomé e Príncipe"), "sao-tome-e-principe");
  EXPECT_EQ(slugify("Côte d'Ivoire"), "cote-d-ivoire");
  EXPECT_EQ(slugify("ÀÁÂÃÄÅ ÈÉÊË ÌÍÎÏ ÒÓÔÕÖØ ÙÚÛÜ Ý Ñ Ç"), "aaaaaa-eeee-iiii-oooooo-uuuu-y-n-c");
  EXPECT_EQ(slugify("Æsir Œuvre Straße"), "aesir-oeuvre-strasse");
  EXPECT_EQ(slugify("Kinshasa 2015"), "kinshasa-2015");
  EXPECT_EQ(slugify("--Haut_Uele--"), "haut-uele");
  EXPECT_EQ(slugify("a×b"), "a-b");
  EXPECT_EQ(slugify("Кинша"), "");
  EXPECT_EQ(slugify(""), "");
  EXPECT_EQ(slugify("\xff\xfe bad bytes"), "bad-bytes");
}

// Issue 18, item 11: polygons at longitude 1000 or with infinite vertices
// were imported; item 5: names that are not UTF-8 were stored; item 9: a
// device or a folder went to GDAL.
TEST(ReadAreas, VerticesOutOfRangeOrNotFinite) {
  TempDir dir;
  const std::string far = dir.file("far.geojson");
  write_text(far, collection({feature("\"id\": 1", square(0, 0, 1)), feature("\"id\": 2", square(999, 0, 1))}));
  expect_bad_input([&] { read_areas(far, level("x")); }, {far + ":2", "feature 2", "(999, 0)", "longitude [-180, 180]"},
                   "geometry");
  const std::string north = dir.file("north.geojson");
  write_text(north, collection({feature("\"id\": 1", square(10, 89.5, 1))}));
  expect_bad_input([&] { read_areas(north, level("x")); }, {"feature 1", "latitude [-90, 90]"}, "geometry");
  const std::string inf = dir.file("inf.geojson");
  write_text(inf, collection({feature(
                      "\"id\": 1", "{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1e999,0],[1,1],[0,1],[0,0]]]}")}));
  expect_bad_input([&] { read_areas(inf, level("x")); }, {"feature 1", "not a finite number", "(inf, 0)"}, "geometry");
}

TEST(ReadAreas, TextMustBeUtf8) {
  TempDir dir;
  const std::string path = dir.file("names.geojson");
  write_text(path, collection({feature("\"id\": \"a\", \"name\": \"ok\"", square(0, 0, 1)),
                               feature("\"id\": \"b\", \"name\": \"Nord\xC3(\"", square(2, 0, 1))}));
  expect_bad_input([&] { read_areas(path, level("x")); }, {path + ":2", "feature 2", "not valid UTF-8"}, "name");
}

TEST(ReadAreas, DevicesPipesAndFoldersAreRefusedBeforeGdal) {
  TempDir dir;
  expect_bad_input([&] { read_areas("/dev/zero", level("x")); }, {"/dev/zero", "character device", "regular file"});
  expect_bad_input([&] { read_areas(dir.file(""), level("x")); }, {"is a directory", ".gdb"});
}

}  // namespace
}  // namespace endstate::geo
