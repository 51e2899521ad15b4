// End-to-end tests of the endstate CLI: commands, exit codes, messages, and
// that bad input leaves the database exactly as it was.

#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli_harness.hpp"

namespace endstate::testing {
namespace {

using nlohmann::json;

// Two adjacent 1x1 degree provinces sharing the meridian lon=29, inside a country.
constexpr const char* kProvinces = R"({"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"id":"north","name":"Nord","pop":1000000},"geometry":{"type":"Polygon","coordinates":[[[28,-1],[29,-1],[29,0],[28,0],[28,-1]]]}},
{"type":"Feature","properties":{"id":"south","name":"Sud","pop":2000000},"geometry":{"type":"Polygon","coordinates":[[[29,-1],[30,-1],[30,0],[29,0],[29,-1]]]}}
]})";

const char* kGedHeader =
    "id,relid,year,active_year,code_status,type_of_violence,conflict_dset_id,conflict_new_id,conflict_name,"
    "dyad_dset_id,dyad_new_id,dyad_name,side_a_dset_id,side_a_new_id,side_a,side_b_dset_id,side_b_new_id,side_b,"
    "number_of_sources,source_article,source_office,source_date,source_headline,source_original,where_prec,"
    "where_coordinates,where_description,adm_1,adm_2,latitude,longitude,geom_wkt,priogrid_gid,country,country_id,"
    "region,event_clarity,date_prec,date_start,date_end,deaths_a,deaths_b,deaths_civilians,deaths_unknown,best,high,"
    "low,gwnoa,gwnob\n";

// One GED row: id, violence type, lat, lon, date, best.
std::string ged_row(const std::string& id, int type, const std::string& lat, const std::string& lon,
                    const std::string& date, const std::string& best) {
  return id + ",REL-" + id + ",2020,1,Clear," + std::to_string(type) +
         ",1,1,Conflict,1,1,Dyad,1,1,Government of DR Congo,2,2,ADF,1,src,office,2020-01-01,head,orig,1,Beni,desc,"
         "Nord-Kivu,Beni," +
         lat + "," + lon + ",POINT (" + lon + " " + lat + "),123,DR Congo (Zaire),490,Africa,1,1," + date + "," + date +
         ",0,0," + best + ",0," + best + "," + best + "," + best + ",490,NA\n";
}

class Cli : public CliFixture {
 protected:
  void import_provinces() {
    const auto r =
        run({"areas", "import", write("prov.geojson", kProvinces), "--level", "province", "--population-field", "pop"});
    ASSERT_EQ(r.code, 0) << r.err;
  }
  /// Imports `content` as UCDP events and checks the outcome is a clean failure.
  void expect_rejected_file(const std::string& content, int code, const std::string& message,
                            const std::vector<std::string>& extra = {}) {
    import_provinces();
    const std::string before = db_fingerprint();
    std::vector<std::string> args = {"events", "import", write("bad.csv", content), "--source", "ucdp"};
    args.insert(args.end(), extra.begin(), extra.end());
    const auto r = run(args);
    EXPECT_EQ(r.code, code) << r.out << r.err;
    EXPECT_NE(r.err.find(message), std::string::npos) << "stderr was: " << r.err;
    EXPECT_NE(r.err.find("bad.csv"), std::string::npos) << "message must name the file: " << r.err;
    EXPECT_EQ(db_fingerprint(), before) << "the database changed";
  }
  json import_json(const std::string& content) {
    const auto r = run({"events", "import", write("ev.csv", content), "--source", "ucdp", "--format", "json"});
    EXPECT_EQ(r.code, 0) << r.err;
    return json::parse(r.out);
  }
};

TEST_F(Cli, HelpAndUsageErrors) {
  auto r = run({"--help"});
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("events import"), std::string::npos);
  r = run({"nonsense"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("unknown command"), std::string::npos);
  r = run({"events", "import", "x.csv", "--source", "ucdp", "--bogus"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("unknown option --bogus"), std::string::npos);
  r = run({"events", "import", "x.csv", "--source", "nope"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("--source must be"), std::string::npos);
  r = run({"events", "list", "--from", "2020-13"});
  EXPECT_EQ(r.code, 1);
  // Numeric flags name the flag, the range and the value.
  r = run({"forecast", "run", "--horizon", "0"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("--horizon must be an integer in 1..120 (got '0')"), std::string::npos) << r.err;
  r = run({"alerts", "--month", "2020-01", "--road-kmh", "fast"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("--road-kmh must be a number >= 0.100 (got 'fast')"), std::string::npos) << r.err;
  // Help columns stay apart when a name or flag is wider than the column.
  r = run({"--help"});
  EXPECT_NE(r.out.find("benchmarks disagreements  "), std::string::npos) << r.out;
  r = run({"footprint", "solve", "--help"});
  EXPECT_NE(r.out.find("--solver exact|heuristic|auto  "), std::string::npos) << r.out;
}

TEST_F(Cli, ReferenceInDocsMatchesTheBinary) {
  const auto r = run({"help", "--markdown"});
  ASSERT_EQ(r.code, 0);
  EXPECT_EQ(r.out, read_file(source_dir() / "docs" / "cli.md")) << "docs/cli.md is out of date: run `make docs`";
}

TEST_F(Cli, MissingDatabaseIsNotFoundForReads) {
  const auto r = run({"status"});
  EXPECT_EQ(r.code, 3);
  EXPECT_NE(r.err.find(on_server() ? "no endstate store in this database" : "no database"), std::string::npos) << r.err;
  EXPECT_FALSE(store_exists()) << "a read created the store";
}

TEST_F(Cli, ImportAssignListAndReimportAddsNothing) {
  import_provinces();
  std::string csv = kGedHeader;
  csv += ged_row("1", 3, "-0.5", "28.5", "2020-01-05", "4");   // north
  csv += ged_row("2", 1, "-0.5", "29.5", "2020-02-05", "10");  // south
  csv += ged_row("3", 2, "-0.5", "29.0", "2020-03-05", "1");   // on the shared boundary -> smallest id: north
  csv += ged_row("4", 3, "5.0", "20.0", "2020-03-06", "2");    // outside every area
  json s = import_json(csv);
  EXPECT_EQ(s["read"], 4);
  EXPECT_EQ(s["imported"], 4);
  EXPECT_EQ(s["rejected"], 0);
  EXPECT_EQ(s["outside_areas"], 1);
  EXPECT_EQ(s["duplicates"], 0);
  EXPECT_EQ(s["sha256"].get<std::string>().size(), 64u);
  for (const char* k : {"file", "sha256", "read", "imported", "duplicates", "rejected", "outside_areas", "rejects"}) {
    EXPECT_TRUE(s.contains(k)) << k;
  }

  json again = import_json(csv);
  EXPECT_EQ(again["imported"], 0);
  EXPECT_EQ(again["duplicates"], 4);

  auto r = run({"events", "list", "--area", "Nord", "--format", "json"});
  ASSERT_EQ(r.code, 0) << r.err;
  const json evdoc = json::parse(r.out);
  EXPECT_EQ(evdoc["format_version"], 1);
  EXPECT_EQ(evdoc["kind"], "events");
  const json& ev = evdoc["events"];
  ASSERT_EQ(ev.size(), 2u);
  EXPECT_EQ(ev[0]["source_id"], "1");
  EXPECT_EQ(ev[1]["source_id"], "3");
  EXPECT_EQ(ev[0]["violence_type"], "one_sided");
  EXPECT_EQ(ev[0]["violence_original"], "3");

  r = run({"events", "list", "--type", "state_based", "--format", "csv"});
  ASSERT_EQ(r.code, 0);
  EXPECT_NE(r.out.find(",2,2020-02-05"), std::string::npos) << r.out;
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 2);

  r = run({"events", "list", "--from", "2020-02", "--to", "2020-02", "--format", "geojson"});
  ASSERT_EQ(r.code, 0);
  json fc = json::parse(r.out);
  EXPECT_EQ(fc["type"], "FeatureCollection");
  ASSERT_EQ(fc["features"].size(), 1u);
  EXPECT_EQ(fc["features"][0]["geometry"]["coordinates"][0], 29.5);

  r = run({"status", "--format", "json"});
  ASSERT_EQ(r.code, 0);
  json st = json::parse(r.out);
  EXPECT_EQ(st["counts"]["events"], 4);
  EXPECT_EQ(st["counts"]["areas"], 2);
  EXPECT_EQ(st["first_event"], "2020-01-05");
  EXPECT_EQ(st["last_imports"].size(), 2u);  // the identical re-import is not logged
}

// issue 17: the store as a GeoPackage, one layer per table, that GDAL opens
// with the geometry types and row counts of the store (on either backend).
TEST_F(Cli, ExportGpkgOpensInGdalWithEveryLayer) {
  import_provinces();
  std::string csv = kGedHeader;
  csv += ged_row("1", 3, "-0.5", "28.5", "2020-01-05", "4");
  csv += ged_row("2", 1, "-0.5", "29.5", "2020-02-05", "10");
  import_json(csv);
  const auto r = run({"export", "--gpkg", path("store.gpkg"), "--format", "json"});
  ASSERT_EQ(r.code, 0) << r.err;
  std::map<std::string, int> rows;
  const json written = json::parse(r.out);
  for (const auto& t : written["tables"]) rows[t["table"].get<std::string>()] = t["rows"].get<int>();
  EXPECT_EQ(rows["areas"], 2);
  EXPECT_EQ(rows["events"], 2);
  std::string info;
  ASSERT_EQ(shell("ogrinfo -ro -q " + shell_quote(path("store.gpkg")) + " 2>&1", &info), 0) << info;
  EXPECT_NE(info.find("areas (Multi Polygon)"), std::string::npos) << info;
  EXPECT_NE(info.find("events (Point)"), std::string::npos) << info;
  EXPECT_NE(info.find("sites (Point)"), std::string::npos) << info;
  for (const char* t : {"import_log", "event_areas", "audit_log", "audit_head", "benchmark_results"}) {
    EXPECT_NE(info.find(std::string(t)), std::string::npos) << t << " missing:\n" << info;
  }
  ASSERT_EQ(shell("ogrinfo -ro -so " + shell_quote(path("store.gpkg")) + " events 2>&1", &info), 0);
  EXPECT_NE(info.find("Feature Count: 2"), std::string::npos) << info;
  EXPECT_NE(info.find("EPSG\",4326"), std::string::npos) << info;
  // An existing file is kept unless --force.
  EXPECT_EQ(run({"export", "--gpkg", path("store.gpkg")}).code, 1);
  EXPECT_EQ(run({"export", "--gpkg", path("store.gpkg"), "--force"}).code, 0);
}

TEST_F(Cli, AreasImportedAfterEventsReassignThem) {
  std::string csv = kGedHeader;
  csv += ged_row("1", 3, "-0.5", "28.5", "2020-01-05", "4");
  ASSERT_EQ(run({"events", "import", write("ev.csv", csv), "--source", "ucdp"}).code, 0);
  import_provinces();
  const auto r = run({"events", "list", "--area", "north", "--format", "csv"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 2) << r.out;
}

TEST_F(Cli, RowProblemsAreRejectedWithLineAndField) {
  import_provinces();
  std::string csv = kGedHeader;
  csv += ged_row("1", 3, "-0.5", "28.5", "2020-01-05", "4");   // line 2 ok
  csv += ged_row("2", 3, "-0.5", "28.5", "2020-02-30", "4");   // line 3 bad date
  csv += ged_row("3", 3, "NaN", "28.5", "2020-01-05", "4");    // line 4 NaN
  csv += ged_row("4", 3, "-95", "28.5", "2020-01-05", "4");    // line 5 out of range
  csv += ged_row("5", 3, "28.5", "-0.5", "2020-01-05", "4");   // line 6 outside, inside if swapped
  csv += ged_row("6", 3, "-0.5", "28.5", "2020-01-05", "-3");  // line 7 negative fatalities
  csv += ged_row("1", 3, "-0.5", "28.5", "2020-01-05", "4");   // line 8 duplicate id
  csv += "7,REL,2020\n";                                       // line 9 truncated
  csv += ged_row("8", 3, "-0.5", "28.5", "2020-01-05", "4");
  csv.replace(csv.rfind("Beni,desc"), 4, "B\xff\xfei");  // line 10 not UTF-8
  json s = import_json(csv);
  EXPECT_EQ(s["read"], 9);
  EXPECT_EQ(s["imported"], 2);
  EXPECT_EQ(s["rejected"], 7);
  // Outside every area but inside one when swapped: kept, counted, pointed at.
  EXPECT_EQ(s["outside_areas"], 1);
  EXPECT_EQ(s["outside_inside_if_swapped"], 1);
  EXPECT_EQ(s["outside_inside_if_swapped_lines"], json::array({6}));
  std::map<int, std::pair<std::string, std::string>> by_line;
  for (const auto& r : s["rejects"]) by_line[r["line"]] = {r["field"], r["reason"]};
  auto has = [&](int line, const std::string& reason_part) {
    ASSERT_TRUE(by_line.count(line)) << "no reject for line " << line << ": " << s.dump(1);
    EXPECT_NE(by_line[line].second.find(reason_part), std::string::npos)
        << "line " << line << ": " << by_line[line].first << ": " << by_line[line].second;
    EXPECT_FALSE(by_line[line].first.empty()) << "line " << line << " names no field";
  };
  has(3, "date");
  has(4, "");
  has(5, "range");
  has(5, "swapped");
  EXPECT_FALSE(by_line.count(6)) << "a point abroad is not a reject";
  has(7, "negative");
  has(8, "duplicate");
  has(9, "fields");
  has(10, "UTF-8");
}

TEST_F(Cli, StrictAbortsAtFirstRejectAndWritesNothing) {
  std::string csv = kGedHeader;
  csv += ged_row("1", 3, "-0.5", "28.5", "2020-01-05", "4");
  csv += ged_row("2", 3, "-0.5", "28.5", "2020-99-05", "4");
  expect_rejected_file(csv, 2, ":3:", {"--strict"});
}

TEST_F(Cli, WrongDelimiterIsFatal) {
  std::string csv = kGedHeader;
  std::replace(csv.begin(), csv.end(), ',', ';');
  expect_rejected_file(csv + "1;2;3\n", 2, "delimiter");
}

TEST_F(Cli, EmptyFileIsFatal) { expect_rejected_file("", 2, "empty"); }

TEST_F(Cli, MissingRequiredColumnIsFatal) { expect_rejected_file("id,year,latitude\n1,2020,3\n", 2, "longitude"); }

TEST_F(Cli, UnterminatedQuoteIsFatal) {
  std::string csv = kGedHeader;
  csv += ged_row("1", 3, "-0.5", "28.5", "2020-01-05", "4");
  csv += "2,\"REL\n";
  expect_rejected_file(csv, 2, "unterminated");
}

TEST_F(Cli, RejectsPastTheLimitGoToACsvBesideTheDatabase) {
  import_provinces();
  std::string csv = kGedHeader;
  for (int i = 0; i < 30; ++i) csv += ged_row(std::to_string(i), 3, "-0.5", "28.5", "2020-13-01", "1");
  csv += ged_row("good", 3, "-0.5", "28.5", "2020-01-05", "1");
  const auto r =
      run({"events", "import", write("many.csv", csv), "--source", "ucdp", "--reject-limit", "5", "--format", "json"});
  ASSERT_EQ(r.code, 0) << r.err;
  json s = json::parse(r.out);
  EXPECT_EQ(s["rejected"], 30);
  EXPECT_EQ(s["rejects"].size(), 5u);
  const std::string rej = s["rejects_csv"];
  ASSERT_FALSE(rej.empty());
  EXPECT_EQ(std::filesystem::path(rej).parent_path(), dir_);
  const std::string text = read_file(rej);
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 31);
  EXPECT_EQ(text.rfind("file,line,field,reason\n", 0), 0u);
}

TEST_F(Cli, ImportWithEveryRowRejectedExitsTwoAndChangesNothing) {
  import_provinces();
  std::string csv = kGedHeader;
  for (int i = 0; i < 3; ++i) csv += ged_row(std::to_string(i), 3, "-0.5", "28.5", "2020-13-01", "1");
  const std::string before = db_fingerprint();
  const auto r = run({"events", "import", write("all_bad.csv", csv), "--source", "ucdp"});
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("every one of the 3 rows was rejected"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("all_bad.csv:2"), std::string::npos) << r.err;
  EXPECT_EQ(db_fingerprint(), before);
}

TEST_F(Cli, GeoJsonThatIsNotAFeatureCollectionIsFatal) {
  const std::string before = db_fingerprint();
  const auto r =
      run({"areas", "import", write("g.geojson", R"({"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]})")});
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("FeatureCollection"), std::string::npos) << r.err;
  EXPECT_EQ(db_fingerprint(), before);
}

TEST_F(Cli, ShapefileWithoutDbfIsFatal) {
  // Write a shapefile through the areas list -> ogr path is not available here; create it with GDAL's CLI
  // when present, else build the .shp by converting the GeoJSON fixture with ogr2ogr.
  const std::string src = write("prov.geojson", kProvinces);
  const std::string shp = path("prov.shp");
  const int rc = std::system(
      ("ogr2ogr -f 'ESRI Shapefile' " + shell_quote(shp) + " " + shell_quote(src) + " >/dev/null 2>&1").c_str());
  if (rc != 0) GTEST_SKIP() << "SKIPPED: ogr2ogr (gdal-bin) is not installed";
  std::filesystem::remove(path("prov.dbf"));
  const std::string before = db_fingerprint();
  const auto r = run({"areas", "import", shp});
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find(".dbf"), std::string::npos) << r.err;
  EXPECT_EQ(db_fingerprint(), before);
}

TEST_F(Cli, AreasListFormatsAndGrid) {
  import_provinces();
  auto r = run({"areas", "list", "--format", "csv"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("id,name,level,parent_id,population,area_km2", 0), 0u) << r.out;
  r = run({"areas", "grid", "--within", "north", "--format", "json"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["imported"], 4);  // a 1x1 degree square = 4 half-degree cells
  r = run({"areas", "list", "--level", "grid", "--format", "geojson"});
  ASSERT_EQ(r.code, 0) << r.err;
  json fc = json::parse(r.out);
  ASSERT_EQ(fc["features"].size(), 4u);
  EXPECT_EQ(fc["features"][0]["properties"]["level"], "grid");
  EXPECT_NEAR(fc["features"][0]["properties"]["share_inside"].get<double>(), 1.0, 1e-9);
  r = run({"areas", "list", "--level", "nowhere"});
  EXPECT_EQ(r.code, 3);
}

TEST_F(Cli, ObservationsImportResolvesAreaNamesAndRejectsUnknownOnes) {
  import_provinces();
  const auto r = run({"observations", "import",
                      write("obs.csv",
                            "indicator,area,month,value,source\n"
                            "courts_functioning,Nord,2023-01,3,MONUSCO\n"
                            "courts_functioning,south,2023-01,5,MONUSCO\n"
                            "courts_functioning,Atlantis,2023-01,5,MONUSCO\n"
                            "courts_functioning,north,2023-13,5,MONUSCO\n"),
                      "--format", "json"});
  ASSERT_EQ(r.code, 0) << r.err;
  json s = json::parse(r.out);
  EXPECT_EQ(s["imported"], 2);
  EXPECT_EQ(s["rejected"], 2);
  const auto l = run({"observations", "list", "--area", "north", "--format", "csv"});
  EXPECT_NE(l.out.find("courts_functioning,north,2023-01,3"), std::string::npos) << l.out;
}

TEST_F(Cli, SitesImportAndList) {
  import_provinces();
  const auto r = run({"sites", "import",
                      write("pko.csv",
                            "mission,year,country,location,latitude,longitude,Infantry,NoTroops,Reserve,hq,"
                            "UNPOL,Med,Av,UNMO,ave.no.troops\n"
                            "MONUSCO,2019,DRC,Beni,-0.5,28.5,1,850,0,0,1,1,0,1,850\n"
                            "MONUSCO,2020,DRC,Beni,-0.5,28.5,1,700,0,0,1,1,0,1,700\n"
                            "MONUSCO,2020,Uganda,Kampala,0.31,32.58,0,0,0,0,0,0,0,0,0\n"),
                      "--source", "geopko", "--format", "json"});
  ASSERT_EQ(r.code, 0) << r.err;
  json s = json::parse(r.out);
  EXPECT_EQ(s["imported"], 3);
  EXPECT_EQ(s["outside_areas"], 1);
  const auto l = run({"sites", "list", "--area", "north", "--format", "json"});
  ASSERT_EQ(l.code, 0) << l.err;
  json sites = json::parse(l.out)["sites"];
  ASSERT_EQ(sites.size(), 1u);
  EXPECT_EQ(sites[0]["troops"], 700);
  EXPECT_EQ(sites[0]["deployments"], 2);
  const auto m = run({"sites", "list", "--month", "2019-06", "--format", "json"});
  json in2019 = json::parse(m.out)["sites"];
  ASSERT_EQ(in2019.size(), 1u);
  EXPECT_EQ(in2019[0]["troops"], 850);
}

TEST_F(Cli, NotAnEndstateDatabase) {
  if (on_server()) {  // a database holding another application's tables
    ASSERT_EQ(scratch_->psql("CREATE TABLE public.customers (id integer)"), 0);
  } else {
    write("test.db", "this is not sqlite at all, just text that is long enough to look like a header........");
  }
  const std::string before = db_fingerprint();
  const auto r = run({"areas", "import", write("prov.geojson", kProvinces)});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("database"), std::string::npos) << r.err;
  EXPECT_EQ(db_fingerprint(), before);
  if (on_server()) {
    EXPECT_FALSE(store_exists());
  }
}

// --- CLI manners (issue 11) ----------------------------------------------------------

TEST_F(Cli, HelpForOneCommandAndForANoun) {
  auto r = run({"help", "footprint", "optimize"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("usage: endstate [--db PATH] footprint optimize", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("--ceiling TROOPS"), std::string::npos);
  r = run({"help", "footprint"});
  EXPECT_EQ(r.code, 0);
  for (const char* v : {"footprint optimize", "footprint gaps", "footprint solve"}) {
    EXPECT_NE(r.out.find(v), std::string::npos) << v;
  }
  EXPECT_EQ(run({"help", "nowhere"}).code, 1);
}

TEST_F(Cli, HelpWrapsToTheTerminalWidth) {
  const std::string cmd = "COLUMNS=60 " + shell_quote(endstate_binary()) + " help footprint optimize";
  FILE* p = popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  std::string out;
  char buf[4096];
  while (std::size_t n = fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  pclose(p);
  std::istringstream lines(out);
  std::size_t longest = 0, count = 0;
  for (std::string line; std::getline(lines, line);) {
    ++count;
    if (line.rfind("usage:", 0) == 0) continue;  // the usage line is one line
    std::size_t w = 0;
    for (unsigned char c : line) w += (c & 0xC0) != 0x80;
    // a single word longer than the room left may overflow; nothing else may
    if (w > 60 && line.find(' ', 31) != std::string::npos) longest = std::max(longest, w);
  }
  EXPECT_GT(count, 30u);
  EXPECT_EQ(longest, 0u) << out;
}

TEST_F(Cli, RequiredFlagsAreMarkedAndEnforced) {
  auto r = run({"events", "import", "--help"});
  EXPECT_NE(r.out.find("input format (required)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("usage: endstate [--db PATH] events import FILE --source ucdp|acled|csv [options]"),
            std::string::npos)
      << r.out;
  r = run({"events", "import", "x.csv"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("--source ucdp|acled|csv is required"), std::string::npos) << r.err;
}

TEST_F(Cli, NearestFlagAndCommandAreSuggested) {
  auto r = run({"footprint", "optimize", "--ceilng", "3000"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("did you mean --ceiling?"), std::string::npos) << r.err;
  r = run({"threatt", "index"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("did you mean 'threat'?"), std::string::npos) << r.err;
  r = run({"threat", "hotspot"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("did you mean 'hotspots'?"), std::string::npos) << r.err;
}

TEST_F(Cli, FlagValuesAreCheckedBeforeTheDatabase) {
  // No database here: a bad value is a usage error naming the flag, not "not found".
  auto r = run({"threat", "index", "--lambda", "2"});
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_NE(r.err.find("--lambda"), std::string::npos) << r.err;
  r = run({"footprint", "optimize", "--max-sites", "0"});
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_NE(r.err.find("--ceiling"), std::string::npos) << r.err;
  r = run({"benchmarks", "signoff", "--stakeholder", "un", "--by", "X", "--date", "2024-13-45"});
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_NE(r.err.find("--date"), std::string::npos) << r.err;
  EXPECT_FALSE(store_exists()) << "a database was created";
}

TEST_F(Cli, DashReadsStandardInput) {
  import_provinces();
  std::string csv = kGedHeader;
  csv += ged_row("1", 3, "-0.5", "28.5", "2020-01-05", "4");
  const auto file = write("ev.csv", csv);
  const std::string cmd = "cd " + shell_quote(dir_.string()) + " && " + shell_quote(endstate_binary()) + " --db " +
                          shell_quote(db_) + " events import - --source ucdp --format json < " + shell_quote(file) +
                          " > " + shell_quote(path("out.json"));
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  EXPECT_EQ(json::parse(read_file(path("out.json")))["imported"], 1);
}

TEST_F(Cli, VersionNamesTheCommitAndTheLibraries) {
  const auto r = run({"--version"});
  EXPECT_EQ(r.code, 0);
  for (const char* k : {"endstate 0.1.0 (commit ", "GDAL ", "GEOS ", "CBC ", "SQLite "}) {
    EXPECT_NE(r.out.find(k), std::string::npos) << k << " in " << r.out;
  }
}

// A report names its store so that its commands can be run again; a server
// store's location may carry a password, which must never be printed.
TEST_F(Cli, ReportNamesAServerStoreWithoutItsPassword) {
  if (!on_server()) GTEST_SKIP() << "only a PostgreSQL location carries a password (label postgres)";
  const std::string db = demo_store();
  const std::string with_password = db + (db.find('?') == std::string::npos ? "?" : "&") + "password=s3cr3t-pw";
  const auto r = run(
      {"--db", with_password, "report", "council", "--replications", "9", "--samples", "10", "--out", path("r.html")});
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string html = read_file(path("r.html"));
  EXPECT_NE(html.find("endstate --db postgresql://"), std::string::npos);
  EXPECT_EQ(html.find("s3cr3t-pw"), std::string::npos);
  EXPECT_EQ(html.find("password"), std::string::npos);
}

// '-' reads standard input whatever it is: a process manager (Node's
// child_process, systemd) hands its child a socket, which /dev/stdin cannot
// be opened on.
TEST_F(Cli, StandardInputOnASocketIsRead) {
  const std::string db = demo_store();
  int sv[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
  const std::string err = path("err.txt");
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::close(sv[0]);
    ::dup2(sv[1], STDIN_FILENO);
    const std::string bin = endstate_binary();
    const std::string cmd =
        shell_quote(bin) + " --db " + shell_quote(db) + " observations import - >/dev/null 2>" + shell_quote(err);
    ::execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(sv[1]);
  const std::string csv = "indicator,area,month,value,source\nstate_authority_presence,Kalemba,2025-06,50,test\n";
  ASSERT_EQ(::write(sv[0], csv.data(), csv.size()), static_cast<ssize_t>(csv.size()));
  ::shutdown(sv[0], SHUT_WR);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ::close(sv[0]);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << read_file(err);
  const auto r = run({"--db", db, "observations", "list", "--format", "csv"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("2025-06"), std::string::npos);
}

TEST_F(Cli, OutputThatCannotBeWrittenIsAnError) {
  const std::string cmd =
      shell_quote(endstate_binary()) + " help --markdown > /dev/full 2> " + shell_quote(path("err.txt"));
  const int status = std::system(cmd.c_str());
  EXPECT_EQ(WEXITSTATUS(status), 5);
  EXPECT_NE(read_file(path("err.txt")).find("cannot write the output"), std::string::npos)
      << read_file(path("err.txt"));
}

TEST_F(Cli, ManPageAndBashCompletionComeFromTheCommandTable) {
  auto r = run({"help", "--man"});
  ASSERT_EQ(r.code, 0);
  EXPECT_EQ(r.out.rfind(".TH ENDSTATE 1", 0), 0u);
  for (const char* s : {".SH NAME", ".SH SYNOPSIS", ".SH COMMANDS", ".SH EXIT STATUS", "endstate footprint optimize",
                        "\\-\\-ceiling"}) {
    EXPECT_NE(r.out.find(s), std::string::npos) << s;
  }
  write("endstate.1", r.out);
  const std::string render = "groff -man -Tutf8 -P-cbou " + shell_quote(path("endstate.1")) + " > " +
                             shell_quote(path("man.txt")) + " 2> " + shell_quote(path("groff.err"));
  if (std::system("command -v groff >/dev/null") == 0) {
    EXPECT_EQ(std::system(render.c_str()), 0);
    EXPECT_EQ(read_file(path("groff.err")), "");
    EXPECT_NE(read_file(path("man.txt")).find("benchmarks signoff"), std::string::npos);
  }
  r = run({"help", "--bash-completion"});
  ASSERT_EQ(r.code, 0);
  const auto script = write("completion.bash", r.out);
  auto complete = [&](const std::string& words, int cword) {
    const std::string cmd = "bash -c " +
                            shell_quote("source " + shell_quote(script) + "; COMP_WORDS=(" + words + "); COMP_CWORD=" +
                                        std::to_string(cword) + "; _endstate; printf '%s\\n' \"${COMPREPLY[@]}\"") +
                            " > " + shell_quote(path("c.txt"));
    EXPECT_EQ(std::system(cmd.c_str()), 0);
    return read_file(path("c.txt"));
  };
  EXPECT_NE(complete("endstate thr", 1).find("threat"), std::string::npos);
  EXPECT_NE(complete("endstate footprint o", 2).find("optimize"), std::string::npos);
  const auto flags = complete("endstate footprint optimize --cei", 3);
  EXPECT_EQ(flags, "--ceiling\n");
}

TEST_F(Cli, CmakeInstallPutsBinaryManPageAndCompletionInPlace) {
  const std::string cmd = "cmake --install " + shell_quote(binary_dir().string()) + " --prefix " +
                          shell_quote(path("prefix")) + " > " + shell_quote(path("install.log")) + " 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << read_file(path("install.log"));
  EXPECT_TRUE(std::filesystem::exists(path("prefix/bin/endstate")));
  EXPECT_TRUE(std::filesystem::exists(path("prefix/share/man/man1/endstate.1")));
  EXPECT_TRUE(std::filesystem::exists(path("prefix/share/bash-completion/completions/endstate")));
}

}  // namespace
}  // namespace endstate::testing
