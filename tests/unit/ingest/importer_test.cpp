// The importer against bad input and repeated input (issue 18 items 9, 11, 13;
// issue 19 item 5): streams as inputs, identical re-imports, rejects files of
// failed imports, conflicts, and the points outside every area.
#include <csignal>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "endstate/core/error.hpp"
#include "endstate/core/hash.hpp"
#include "endstate/ingest/importer.hpp"
#include "endstate/store/database.hpp"
#include "ingest_test_util.hpp"

namespace endstate::ingest {
namespace {

using testing::expect_error;

/// One square area per (id, min_lon, min_lat, size) as a GeoJSON FeatureCollection.
std::string squares(const std::vector<std::tuple<std::string, double, double, double>>& sq) {
  std::string out = R"j({"type":"FeatureCollection","features":[)j";
  for (std::size_t i = 0; i < sq.size(); ++i) {
    const auto& [id, x, y, d] = sq[i];
    char buf[512];
    std::snprintf(buf, sizeof buf,
                  R"j(%s{"type":"Feature","properties":{"id":"%s","name":"%s"},"geometry":{"type":"Polygon",)j"
                  R"j("coordinates":[[[%g,%g],[%g,%g],[%g,%g],[%g,%g],[%g,%g]]]}})j",
                  i ? "," : "", id.c_str(), id.c_str(), x, y, x + d, y, x + d, y + d, x, y + d, x, y);
    out += buf;
  }
  return out + "]}";
}

class Importer : public testing::TempDir {
 protected:
  void SetUp() override {
    TempDir::SetUp();
    db_ = std::make_unique<store::Database>(store::Database::open((dir_ / "t.db").string()));
  }
  void TearDown() override {
    db_.reset();
    TempDir::TearDown();
  }
  store::Database& db() { return *db_; }
  void add_areas(const std::string& geojson) {
    AreaImportOptions o;
    o.read.level = "province";
    import_areas(db(), write("areas.geojson", geojson), o);
  }
  ImportSummary events(const std::string& name, const std::string& content, ImportOptions o = {}) {
    return import_events(db(), write(name, content), EventSource::kCsv, {}, o);
  }
  std::vector<std::string> rejects_files() const {
    std::vector<std::string> out;
    for (const auto& e : std::filesystem::directory_iterator(dir_)) {
      if (e.path().filename().string().find("rejects") != std::string::npos) out.push_back(e.path().string());
    }
    return out;
  }

  std::unique_ptr<store::Database> db_;
};

const std::string kHeader = "id,date,latitude,longitude,fatalities\n";

// --- 18.9: streams and special files -----------------------------------------------------

TEST_F(Importer, EventsFromAFifo) {
  const auto fifo = dir_ / "events.fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const std::string content = kHeader + "a,2020-01-01,1,2,3\nb,2020-02-01,1,2,0\n";
  std::thread writer([&] { std::ofstream(fifo, std::ios::binary) << content; });
  const ImportSummary s = import_events(db(), fifo.string(), EventSource::kCsv, {}, {});
  writer.join();
  EXPECT_EQ(s.imported, 2);
  EXPECT_EQ(s.sha256, sha256_hex(content));
  EXPECT_EQ(db().imports(-1).front().sha256, sha256_hex(content));
}

TEST_F(Importer, DevNullIsEmptyDevZeroIsBinaryADirectoryIsRefused) {
  const Error empty = expect_error([&] { import_events(db(), "/dev/null", EventSource::kCsv, {}, {}); });
  EXPECT_EQ(empty.category(), ErrorCategory::kBadInput);
  EXPECT_NE(empty.message().find("nothing to import"), std::string::npos);
  const Error zero = expect_error([&] { import_observations(db(), "/dev/zero", {}); });
  EXPECT_EQ(zero.category(), ErrorCategory::kBadInput);
  EXPECT_NE(zero.message().find("NUL"), std::string::npos);
  const Error folder = expect_error([&] { import_sites(db(), dir_.string(), SiteSource::kCsv, {}); });
  EXPECT_EQ(folder.category(), ErrorCategory::kBadInput);
  EXPECT_TRUE(db().imports(-1).empty());
}

TEST_F(Importer, StreamsPastTheBoundStop) {
  ImportOptions o;
  o.max_stream_bytes = 1 << 16;
  std::string content = kHeader;
  while (content.size() < (1 << 17)) content += "a" + std::to_string(content.size()) + ",2020-01-01,1,2,3\n";
  const auto fifo = dir_ / "big.fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  std::signal(SIGPIPE, SIG_IGN);
  std::thread writer([&] { std::ofstream(fifo, std::ios::binary) << content; });
  const Error e = expect_error([&] { import_events(db(), fifo.string(), EventSource::kCsv, {}, o); });
  writer.join();
  EXPECT_EQ(e.category(), ErrorCategory::kBadInput);
  EXPECT_NE(e.message().find("limit"), std::string::npos);
}

TEST_F(Importer, AreasRefuseStreamsAndFoldersBeforeGdal) {
  AreaImportOptions o;
  EXPECT_NE(expect_error([&] { import_areas(db(), "/dev/zero", o); }).message().find("character device"),
            std::string::npos);
  EXPECT_NE(expect_error([&] { import_areas(db(), dir_.string(), o); }).message().find("directory"), std::string::npos);
}

TEST_F(Importer, CrosswalkFromDevZeroIsBinary) {
  AreaImportOptions o;
  o.dissolve_csv = "/dev/zero";
  o.dissolve_key = "id";
  o.dissolve_into = "group";
  const Error e = expect_error([&] { import_areas(db(), write("a.geojson", squares({{"u1", 0, 0, 1}})), o); });
  EXPECT_EQ(e.category(), ErrorCategory::kBadInput);
  EXPECT_NE(e.message().find("NUL"), std::string::npos);
}

// --- 18.13: repeated imports, failed imports, conflicts --------------------------------

TEST_F(Importer, IdenticalReimportWritesNoLogEntry) {
  const std::string content = kHeader + "a,2020-01-01,1,2,3\n";
  const ImportSummary first = events("e.csv", content);
  EXPECT_EQ(first.imported, 1);
  EXPECT_EQ(first.previous_import, 0);
  const ImportSummary again = events("e.csv", content);
  EXPECT_EQ(again.imported, 0);
  EXPECT_EQ(again.duplicates, 1);
  EXPECT_EQ(again.previous_import, db().imports(-1).front().id);
  EXPECT_EQ(db().imports(-1).size(), 1u);
  // A different file that adds nothing is still logged.
  const ImportSummary other = events("f.csv", content + "\n");
  EXPECT_EQ(other.previous_import, 0);
  EXPECT_EQ(db().imports(-1).size(), 2u);
}

TEST_F(Importer, IdenticalReimportOfAreasWritesNoLogEntry) {
  add_areas(squares({{"p1", 0, 0, 1}}));
  add_areas(squares({{"p1", 0, 0, 1}}));
  EXPECT_EQ(db().imports(-1).size(), 1u);
}

TEST_F(Importer, FailedImportLeavesNoRejectsFile) {
  ImportOptions o;
  o.reject_limit = 1;
  std::string content = kHeader;
  for (int i = 0; i < 5; ++i) content += "r" + std::to_string(i) + ",not-a-date,1,2,3\n";
  content += "z,2020-01-01,1,2,\"never closed\n";
  expect_error([&] { events("bad.csv", content, o); });
  EXPECT_TRUE(rejects_files().empty());
  EXPECT_TRUE(db().imports(-1).empty());
  // The same rejects in a file that imports: the CSV is there, under its final name.
  content.resize(content.rfind("z,"));
  content += "ok,2020-01-01,1,2,3\n";
  const ImportSummary s = events("bad2.csv", content, o);
  ASSERT_EQ(rejects_files().size(), 1u);
  EXPECT_EQ(rejects_files()[0], s.rejects_csv);
}

TEST_F(Importer, EveryRowRejectedIsBadInputAndWritesNothing) {
  ImportOptions o;
  o.reject_limit = 1;  // past the limit: the rejects file must not be left behind either
  std::string content = kHeader;
  for (int i = 0; i < 3; ++i) content += "r" + std::to_string(i) + ",not-a-date,1,2,3\n";
  try {
    events("all_bad.csv", content, o);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.category(), ErrorCategory::kBadInput);
    EXPECT_EQ(e.where().line, 2);
    EXPECT_EQ(e.where().field, "date");
    EXPECT_NE(std::string(e.what()).find("every one of the 3 rows was rejected"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(rejects_files().empty());
  EXPECT_TRUE(db().imports(-1).empty());
}

TEST_F(Importer, SameIdDifferentContentIsAConflict) {
  events("a.csv", kHeader + "a,2020-01-01,1,2,3\nb,2020-01-01,1,2,3\nc,2020-01-01,1,2,3\n");
  const ImportSummary s = events("b.csv", kHeader + "a,2020-01-01,1,2,3\nb,2020-01-01,1,2,4\nc,2020-01-02,1,2,3\n");
  EXPECT_EQ(s.duplicates, 1);
  EXPECT_EQ(s.conflicts, 2);
  EXPECT_EQ(s.conflict_lines, (std::vector<std::int64_t>{3, 4}));
  EXPECT_EQ(s.imported, 0);
}

TEST_F(Importer, ObservationConflicts) {
  add_areas(squares({{"p1", 0, 0, 1}}));
  import_observations(db(), write("o1.csv", "indicator,area,month,value\nx,p1,2023-01,1\nx,p1,2023-02,2\n"), {});
  const ImportSummary s =
      import_observations(db(), write("o2.csv", "indicator,area,month,value\nx,p1,2023-01,1\nx,p1,2023-02,5\n"), {});
  EXPECT_EQ(s.duplicates, 1);
  EXPECT_EQ(s.conflicts, 1);
  EXPECT_EQ(s.conflict_lines, (std::vector<std::int64_t>{3}));
}

TEST_F(Importer, DeploymentConflicts) {
  const std::string h = "site_id,latitude,longitude,period,troops\n";
  import_sites(db(), write("s1.csv", h + "a,1,2,2020-01,100\nb,1,3,2020-01,50\n"), SiteSource::kCsv, {});
  const ImportSummary s =
      import_sites(db(), write("s2.csv", h + "a,1,2,2020-01,100\nb,1,3,2020-01,80\n"), SiteSource::kCsv, {});
  EXPECT_EQ(s.duplicates, 1);
  EXPECT_EQ(s.conflicts, 1);
}

// --- 19.5: points outside every area -----------------------------------------------------

TEST_F(Importer, OutsidePointsListedFarthestFirstWithDistance) {
  add_areas(squares({{"west", 0, 0, 1}, {"east", 10, 0, 1}}));
  const ImportSummary s = events("e.csv", kHeader +
                                              "in,2020-01-01,0.5,0.5,0\n"      // inside west
                                              "near,2020-01-01,0.5,3,0\n"      // 2 degrees east of west: 222 km
                                              "far,2020-01-01,-1.5,-78.5,0\n"  // Ecuador
                                              "mid,2020-01-01,0.5,6,0\n");     // 4 degrees from either: 445 km
  EXPECT_EQ(s.outside_areas, 3);
  ASSERT_EQ(s.outside.size(), 3u);
  EXPECT_EQ(s.outside[0].id, "far");
  EXPECT_EQ(s.outside[0].line, 4);
  EXPECT_EQ(s.outside[0].nearest_area, "west");
  EXPECT_GT(s.outside[0].distance_km, 8000);
  EXPECT_EQ(s.outside[1].id, "mid");
  EXPECT_NEAR(s.outside[1].distance_km, great_circle_km({0.5, 6}, {0.5, 10}), 3.0);
  EXPECT_EQ(s.outside[2].id, "near");
  EXPECT_EQ(s.outside[2].line, 3);
  EXPECT_EQ(s.outside[2].nearest_area, "west");
  EXPECT_NEAR(s.outside[2].distance_km, great_circle_km({0.5, 3}, {0.5, 1}), 3.0);
}

TEST_F(Importer, OutsideListKeepsTheFarthestWithinTheLimit) {
  add_areas(squares({{"a", 0, 0, 1}}));
  std::string content = kHeader;
  for (int i = 1; i <= 30; ++i)
    content += "e" + std::to_string(i) + ",2020-01-01,0.5," + std::to_string(1 + i) + ",0\n";
  ImportOptions o;
  o.outside_limit = 5;
  const ImportSummary s = events("e.csv", content, o);
  EXPECT_EQ(s.outside_areas, 30);
  ASSERT_EQ(s.outside.size(), 5u);
  EXPECT_EQ(s.outside[0].id, "e30");
  EXPECT_EQ(s.outside[4].id, "e26");
}

TEST_F(Importer, SwappedCoordinatesFlaggedForSitesAsForEvents) {
  add_areas(squares({{"p", 10, 0, 1}}));  // lon 10..11, lat 0..1
  const std::string sites =
      "site_id,name,latitude,longitude,period\ns1,Swapped,10.5,0.5,2020-01\n"
      "s2,Inside,0.5,10.5,2020-01\n";
  const ImportSummary s = import_sites(db(), write("s.csv", sites), SiteSource::kCsv, {});
  EXPECT_EQ(s.outside_areas, 1);
  EXPECT_EQ(s.outside_swapped, 1);
  EXPECT_EQ(s.outside_swapped_lines, (std::vector<std::int64_t>{2}));
  ASSERT_EQ(s.outside.size(), 1u);
  EXPECT_EQ(s.outside[0].id, "Swapped");
  EXPECT_TRUE(s.outside[0].inside_if_swapped);
}

// --- 18.5 and 18.11 for areas ---------------------------------------------------------------

TEST_F(Importer, AreasWithCoordinatesOutOfRangeAreRefusedNamingTheFeature) {
  AreaImportOptions o;
  const Error e = expect_error([&] {
    import_areas(db(), write("far.geojson", squares({{"ok", 0, 0, 1}, {"x", 999, 0, 1}})), o);
  });
  EXPECT_EQ(e.category(), ErrorCategory::kBadInput);
  EXPECT_EQ(e.where().line, 2);
  EXPECT_NE(e.message().find("feature 2"), std::string::npos) << e.what();
  EXPECT_NE(e.message().find("longitude"), std::string::npos);
  EXPECT_TRUE(db().areas().empty());
}

TEST_F(Importer, AreaNamesThatAreNotUtf8AreRefused) {
  AreaImportOptions o;
  std::string text = squares({{"ok", 0, 0, 1}});
  text.replace(text.find("\"name\":\"ok\""), 11, "\"name\":\"\xC3(\"");
  const Error e = expect_error([&] { import_areas(db(), write("utf.geojson", text), o); });
  EXPECT_EQ(e.category(), ErrorCategory::kBadInput);
  EXPECT_EQ(e.where().field, "name");
  EXPECT_EQ(e.where().line, 1);
}

TEST_F(Importer, CrosswalkNamesThatAreNotUtf8AreRefused) {
  AreaImportOptions o;
  o.dissolve_csv = write("cw.csv", "id,group\nu1,Nord\xFF\n");
  o.dissolve_key = "id";
  o.dissolve_into = "group";
  const Error e = expect_error([&] { import_areas(db(), write("u.geojson", squares({{"u1", 0, 0, 1}})), o); });
  EXPECT_EQ(e.where().line, 2);
  EXPECT_EQ(e.where().field, "group");
}

}  // namespace
}  // namespace endstate::ingest
