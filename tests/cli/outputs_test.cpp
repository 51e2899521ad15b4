// The output layer end to end (issue 11): every JSON and GeoJSON document the
// CLI writes validates against its schema in docs/schemas/; every GeoJSON has
// RFC 7946 ring orientation and one geometry type per layer (checked with OGR);
// CSV cells are guarded against formulas; a read-only copy of the demo
// database answers every read verb and leaves no file behind.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include <gdal.h>
#include <ogrsf_frmts.h>

#include <nlohmann/json.hpp>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>

#include "cli_harness.hpp"

namespace endstate::testing {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

/// The demo database shared by the tests of this file (built once).
class Outputs : public CliFixture {
 protected:
  static void SetUpTestSuite() {
    shared_ = shared_folder("Outputs");
    ASSERT_EQ(make_shared_demo(shared_), "");
  }
  static void TearDownTestSuite() { fs::remove_all(shared_); }
  static std::string demo_db() { return (shared_ / "demo" / "endstate.db").string(); }
  static std::string input(const std::string& name) { return (shared_ / "demo" / "inputs" / name).string(); }

  /// The commands whose JSON/GeoJSON are checked, on the demo database (args after --db).
  static std::vector<std::vector<std::string>> read_commands() {
    const std::vector<std::string> fp_model{"--demand",         "localities", "--localities", input("localities.csv"),
                                            "--response-hours", "1.5"};
    auto with = [](std::vector<std::string> a, const std::vector<std::string>& b) {
      a.insert(a.end(), b.begin(), b.end());
      return a;
    };
    return {
        {"status", "--format", "json"},
        {"areas", "list", "--format", "json"},
        {"areas", "list", "--level", "province", "--format", "geojson"},
        {"events", "list", "--limit", "50", "--format", "json"},
        {"events", "list", "--limit", "50", "--level", "province", "--format", "json"},
        {"events", "list", "--limit", "50", "--format", "geojson"},
        {"sites", "list", "--format", "json"},
        {"sites", "list", "--month", "2024-06", "--format", "geojson"},
        {"observations", "list", "--area", "kalemba", "--format", "json"},
        {"threat", "panel", "--from", "2024-01", "--format", "json"},
        {"threat", "index", "--month", "2024-12", "--format", "json"},
        {"threat", "index", "--format", "geojson"},
        {"threat", "hotspots", "--level", "territory", "--replications", "99", "--format", "json"},
        {"threat", "hotspots", "--level", "territory", "--replications", "99", "--format", "geojson"},
        {"forecast", "run", "--horizon", "2", "--samples", "100", "--format", "json"},
        {"forecast", "backtest", "--from", "2024-07", "--horizon", "2", "--samples", "50", "--models", "zero,nb,hurdle",
         "--format", "json"},
        {"alerts", "--month", "2025-01", "--level", "territory", "--format", "json"},
        {"alerts", "--month", "2025-01", "--fixed-thresholds", "--format", "json"},
        {"alerts", "--month", "2025-01", "--level", "territory", "--format", "geojson"},
        {"benchmarks", "versions", "--format", "json"},
        {"benchmarks", "assess", "--no-save", "--format", "json"},
        {"benchmarks", "assess", "--no-save", "--format", "geojson"},
        {"benchmarks", "disagreements", "--format", "json"},
        {"benchmarks", "disagreements", "--format", "geojson"},
        {"benchmarks", "project", "--area", "kalemba", "--samples", "50", "--format", "json"},
        {"benchmarks", "project", "--samples", "50", "--horizon", "12", "--format", "geojson"},
        {"benchmarks", "history", "--area", "kalemba", "--from", "2024-01", "--format", "json"},
        {"benchmarks", "history", "--area", "kalemba", "--saved", "--format", "json"},
        {"audit", "log", "--format", "json"},
        {"audit", "verify", "--format", "json"},
        with({"footprint", "optimize", "--max-sites", "6", "--format", "json"}, fp_model),
        with({"footprint", "optimize", "--max-sites", "6", "--format", "geojson"}, fp_model),
        with({"footprint", "optimize", "--max-sites", "6", "--format", "geojson", "--layer", "reach"}, fp_model),
        with({"footprint", "gaps", "--format", "json"}, fp_model),
        with({"footprint", "gaps", "--close", "Kalo,Nyuyu", "--format", "json"}, fp_model),
        with({"footprint", "gaps", "--close", "Kalo,Nyuyu", "--format", "geojson"}, fp_model),
        {"plan", "run", input("plan_end_state.yaml"), "--projection-samples", "50", "--format", "json"},
        {"plan", "run", input("plan_end_state.yaml"), "--projection-samples", "50", "--format", "geojson"},
        {"plan", "run", input("plan_end_date.yaml"), "--projection-samples", "50", "--format", "geojson", "--layer",
         "provinces"},
        {"plan", "compare", input("plan_end_state.yaml"), input("plan_end_date.yaml"), "--projection-samples", "50",
         "--solver", "heuristic", "--format", "json"},
        {"plan", "validate", input("plan_end_date.yaml"), "--format", "json"},
        {"tasks", "validate", "--register", input("tasks.yaml"), "--format", "json"},
        {"tasks", "schedule", "--register", input("tasks.yaml"), "--samples", "50", "--format", "json"},
        {"tasks", "continuity", "--register", input("tasks.yaml"), "--no-projection", "--format", "geojson"},
        {"simulate", "run", "--plans", input("plan_end_state.yaml") + "," + input("plan_end_date.yaml"), "--paths",
         "40", "--horizon", "12", "--level", "territory", "--format", "json"},
        {"benchmarks", "ready-by", "--month", "2025-12", "--paths", "40", "--format", "json"},
        {"simulate", "backtest", "--from", "2023-01", "--to", "2023-07", "--horizon", "6", "--paths", "40", "--format",
         "json"},
    };
  }

  RunResult on_demo(std::vector<std::string> args, const std::string& db = demo_db()) const {
    args.insert(args.begin(), {"--db", db});
    return run(args);
  }

  static fs::path shared_;
};

fs::path Outputs::shared_;

/// Validates documents against the schemas in docs/schemas/, remembering which were used.
class SchemaBook {
 public:
  SchemaBook() {
    for (const auto& e : fs::directory_iterator(source_dir() / "docs" / "schemas")) {
      if (e.path().extension() == ".json") names_.insert(e.path().filename().string());
    }
  }
  /// Empty when `doc` is valid; else the errors (or "no schema").
  std::string check(const json& doc) {
    if (!doc.is_object() || !doc.contains("kind") || !doc.contains("format_version")) {
      return "not an endstate document (no kind/format_version)";
    }
    const bool geo = doc.value("type", "") == "FeatureCollection";
    const std::string name = doc["kind"].get<std::string>() + (geo ? ".geojson" : "") + ".schema.json";
    if (!names_.count(name)) return "no schema " + name + " in docs/schemas";
    used_.insert(name);
    auto it = schemas_.find(name);
    if (it == schemas_.end()) {
      const json sj = json::parse(read_file(source_dir() / "docs" / "schemas" / name));
      auto schema = std::make_unique<valijson::Schema>();
      valijson::SchemaParser parser;
      valijson::adapters::NlohmannJsonAdapter adapter(sj);
      parser.populateSchema(adapter, *schema);
      it = schemas_.emplace(name, std::move(schema)).first;
    }
    valijson::Validator validator;
    valijson::ValidationResults results;
    valijson::adapters::NlohmannJsonAdapter target(doc);
    if (validator.validate(*it->second, target, &results)) return "";
    std::string errors = name + ":";
    valijson::ValidationResults::Error e;
    int n = 0;
    while (results.popError(e) && n++ < 8) {
      std::string where;
      for (const auto& c : e.context) where += c;
      errors += "\n  " + where + ": " + e.description;
    }
    return errors;
  }
  [[nodiscard]] std::set<std::string> unused() const {
    std::set<std::string> out;
    for (const auto& n : names_) {
      if (!used_.count(n)) out.insert(n);
    }
    return out;
  }

 private:
  std::set<std::string> names_, used_;
  std::map<std::string, std::unique_ptr<valijson::Schema>> schemas_;
};

/// RFC 7946 checks through OGR: one geometry type per layer (Polygon and
/// MultiPolygon count as one), exterior rings counter-clockwise, holes clockwise.
std::string check_geojson_file(const fs::path& file) {
  GDALAllRegister();
  GDALDatasetUniquePtr ds(GDALDataset::Open(file.string().c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
  if (!ds) return "OGR cannot open " + file.string();
  if (ds->GetLayerCount() != 1) return "expected one layer";
  OGRLayer* layer = ds->GetLayer(0);
  std::set<std::string> families;
  std::string problems;
  for (auto& f : *layer) {
    const OGRGeometry* g = f->GetGeometryRef();
    if (!g) continue;
    const auto t = wkbFlatten(g->getGeometryType());
    families.insert(t == wkbPoint || t == wkbMultiPoint       ? "point"
                    : t == wkbPolygon || t == wkbMultiPolygon ? "polygon"
                                                              : "other");
    auto check_polygon = [&](const OGRPolygon* p) {
      for (int r = 0; r <= p->getNumInteriorRings(); ++r) {
        const OGRLinearRing* ring = r == 0 ? p->getExteriorRing() : p->getInteriorRing(r - 1);
        if (!ring || ring->getNumPoints() < 4) continue;
        const bool cw = ring->isClockwise() != 0;
        if (cw != (r > 0))
          problems = "feature " + std::to_string(f->GetFID()) + ": ring " + std::to_string(r) +
                     (cw ? " is clockwise" : " is counter-clockwise");
      }
    };
    if (t == wkbPolygon) check_polygon(g->toPolygon());
    if (t == wkbMultiPolygon) {
      for (const auto* p : *g->toMultiPolygon()) check_polygon(p);
    }
  }
  if (families.size() > 1) problems += " mixed geometry types in one layer";
  if (families.count("other")) problems += " unexpected geometry type";
  return problems;
}

TEST_F(Outputs, EveryJsonAndGeoJsonValidatesAndGeoJsonIsRfc7946) {
  SchemaBook book;
  std::vector<RunResult> outs;
  std::size_t geojson = 0;
  auto check = [&](const RunResult& r, const std::string& what) {
    ASSERT_EQ(r.code, 0) << what << ": " << r.err;
    const json doc = json::parse(r.out);
    EXPECT_EQ(doc["format_version"], 1) << what;
    EXPECT_EQ(book.check(doc), "") << what;
    if (doc.value("type", "") == "FeatureCollection") {
      const auto file = dir_ / ("out" + std::to_string(geojson++) + ".geojson");
      write_file(file, r.out);
      EXPECT_EQ(check_geojson_file(file), "") << what;
    }
  };
  for (const auto& args : read_commands()) {
    std::string what;
    for (const auto& a : args) what += a + " ";
    check(on_demo(args), what);
  }
  // The writing commands, on a fresh database.
  const std::string db = path("w.db");
  check(on_demo({"areas", "import", input("country.geojson"), "--level", "country", "--format", "json"}, db), "import");
  check(on_demo({"areas", "grid", "--bbox", "28,-2,29,-1", "--format", "json"}, db), "grid");
  check(on_demo({"benchmarks", "import", input("framework.yaml"), "--format", "json"}, db), "benchmarks import");
  check(on_demo({"benchmarks", "signoff", "--stakeholder", "un", "--by", "A. Signer", "--format", "json"}, db),
        "signoff");
  check(run({"scenario", "generate", "carana", "--out", path("gen"), "--format", "json"}), "scenario");
  const auto cons = write("c.csv",
                          "locality,territory,date,channel,who,summary,concerns\nAlpha,,2024-03-02,meeting,"
                          "youth group,asked about the closure,night patrols;roads\n");
  check(on_demo({"consultations", "import", cons, "--format", "json"}, db), "consultations import");
  check(on_demo({"consultations", "list", "--format", "json"}, db), "consultations list");
  check(run({"notices", "templates", "--out", path("tpl"), "--format", "json"}), "notices templates");
  check(on_demo({"report", "council", "--out", path("r.html"), "--replications", "19", "--format", "json"}),
        "report council");
  {
    const auto gaps = json::parse(on_demo({"footprint", "gaps", "--demand", "localities", "--localities",
                                           input("localities.csv"), "--format", "json"})
                                      .out);
    check(on_demo({"notices", "--close", gaps["sites"][0]["id"].get<std::string>(), "--localities",
                   input("localities.csv"), "--format", "json"}),
          "notices");
  }
  const auto pmed = write("p.txt", "4 4 2\n1 2 1\n2 3 1\n3 4 1\n1 4 2\n");
  check(run({"footprint", "solve", "--orlib-pmed", pmed, "--format", "json"}), "footprint solve");
  // The demo's own map files too.
  for (const auto& e : fs::directory_iterator(shared_ / "demo" / "results")) {
    if (e.path().extension() != ".geojson") continue;
    EXPECT_EQ(book.check(json::parse(read_file(e.path()))), "") << e.path();
    EXPECT_EQ(check_geojson_file(e.path()), "") << e.path();
  }
  EXPECT_EQ(book.unused(), std::set<std::string>{}) << "schemas that no output exercised";
}

// The schemas are strict enough to catch a changed output.
TEST_F(Outputs, SchemasRejectWhatTheyDoNotDescribe) {
  SchemaBook book;
  const auto r = on_demo({"status", "--format", "json"});
  ASSERT_EQ(r.code, 0) << r.err;
  const json good = json::parse(r.out);
  ASSERT_EQ(book.check(good), "");
  json bad = good;
  bad["counts"]["events"] = "12";  // a number as text
  EXPECT_NE(book.check(bad), "");
  bad = good;
  bad.erase("schema_version");
  EXPECT_NE(book.check(bad), "");
  bad = good;
  bad["unexpected"] = 1;
  EXPECT_NE(book.check(bad), "");
  bad = good;
  bad["kind"] = "nothing";
  EXPECT_NE(book.check(bad), "");
  const auto g = on_demo({"threat", "index", "--format", "geojson"});
  json geo = json::parse(g.out);
  ASSERT_EQ(book.check(geo), "");
  geo["features"][0]["geometry"] = {{"type", "Point"}, {"coordinates", {1, 2}}};
  EXPECT_NE(book.check(geo), "") << "area maps hold polygons";
}

// Vega-Lite in Chromium drew a clockwise ring as the whole world minus the
// area: the maps of the demo must not hold one.
TEST_F(Outputs, DissolvedProvincesAndReachCirclesAreCounterClockwise) {
  const auto r = on_demo({"areas", "list", "--level", "province", "--format", "geojson"});
  ASSERT_EQ(r.code, 0) << r.err;
  write("prov.geojson", r.out);
  EXPECT_EQ(check_geojson_file(path("prov.geojson")), "");
  EXPECT_EQ(check_geojson_file(shared_ / "demo" / "results" / "footprint_reach.geojson"), "");
}

TEST_F(Outputs, CsvGuardsFormulasSplitsListsAndWritesABomWhenAsked) {
  // A site whose name a spreadsheet would run as a formula.
  const std::string db = path("csv.db");
  ASSERT_EQ(on_demo({"areas", "import", input("country.geojson"), "--level", "country"}, db).code, 0);
  const auto csv = write("s.csv",
                         "mission,year,country,location,latitude,longitude,Infantry,NoTroops,Reserve,hq,UNPOL,Med,Av,"
                         "UNMO,ave.no.troops\nUNMIC,2020,Carana,=HYPERLINK(\"x\"),-3.0,29.5,1,100,0,0,0,0,0,0,100\n");
  ASSERT_EQ(on_demo({"sites", "import", csv, "--source", "geopko"}, db).code, 0);
  auto r = on_demo({"sites", "list", "--format", "csv"}, db);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("\"'=HYPERLINK(\"\"x\"\")\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(",-3.000000,"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("'-3"), std::string::npos) << "numbers are not guarded";
  r = on_demo({"sites", "list", "--format", "csv", "--bom"}, db);
  EXPECT_EQ(r.out.rfind("\xEF\xBB\xBFkey,", 0), 0u);
  // Lists inside a cell are joined by ';'.
  r = on_demo({"benchmarks", "assess", "--no-save", "--format", "csv"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("area_id,area,stakeholder,readiness,core_met,core_total,contextual_share,not_met,no_data\n", 0),
            0u);
  EXPECT_NE(r.out.find("poc-civilian-deaths;"), std::string::npos) << r.out.substr(0, 600);
}

/// Runs the CLI as an unprivileged user when the tests run as root (root
/// ignores file permissions); otherwise as the current user.
RunResult run_unprivileged(const fs::path& cwd, const std::string& db, const std::vector<std::string>& args) {
  std::string cmd = "cd " + shell_quote(cwd.string()) + " && ";
  if (geteuid() == 0) cmd += "setpriv --reuid=65534 --regid=65534 --clear-groups ";
  cmd += shell_quote(endstate_binary()) + " --db " + shell_quote(db);
  for (const auto& a : args) cmd += " " + shell_quote(a);
  const fs::path out = fs::temp_directory_path() / ("endstate_ro_" + std::to_string(getpid()));
  cmd += " >" + shell_quote(out.string() + ".out") + " 2>" + shell_quote(out.string() + ".err");
  RunResult r;
  const int status = std::system(cmd.c_str());
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = read_file(out.string() + ".out");
  r.err = read_file(out.string() + ".err");
  fs::remove(out.string() + ".out");
  fs::remove(out.string() + ".err");
  return r;
}

std::set<std::string> listing(const fs::path& d) {
  std::set<std::string> s;
  for (const auto& e : fs::directory_iterator(d)) s.insert(e.path().filename().string());
  return s;
}

TEST_F(Outputs, ReadOnlyCopyAnswersEveryReadVerbAndLeavesNoFiles) {
  // A read-only folder holding a read-only copy, and a read-only file in a writable folder.
  const fs::path ro = dir_ / "ro", rofile = dir_ / "rofile";
  fs::create_directories(ro);
  fs::create_directories(rofile);
  fs::copy_file(demo_db(), ro / "endstate.db");
  fs::copy_file(demo_db(), rofile / "endstate.db");
  fs::copy_file(input("localities.csv"), dir_ / "localities.csv");
  ::chmod((dir_ / "localities.csv").c_str(), 0644);
  ::chmod(dir_.c_str(), 0755);
  ::chmod((ro / "endstate.db").c_str(), 0444);
  ::chmod(ro.c_str(), 0555);
  ::chmod((rofile / "endstate.db").c_str(), 0444);
  ::chmod(rofile.c_str(), 0777);
  const std::string before = read_file(ro / "endstate.db");
  for (const fs::path& d : {ro, rofile}) {
    const auto files = listing(d);
    for (auto args : read_commands()) {
      for (auto& a : args) {
        if (a == input("localities.csv")) a = (dir_ / "localities.csv").string();
      }
      std::string what;
      for (const auto& a : args) what += a + " ";
      const auto r = run_unprivileged(dir_, (d / "endstate.db").string(), args);
      EXPECT_EQ(r.code, 0) << d << ": " << what << r.err;
      EXPECT_EQ(listing(d), files) << d << ": " << what << "left files behind";
    }
    EXPECT_EQ(read_file(d / "endstate.db"), before) << d;
  }
  // A writing verb on the read-only copy says why it cannot (exit 5), and changes nothing.
  const auto w = run_unprivileged(dir_, (ro / "endstate.db").string(), {"benchmarks", "assess"});
  EXPECT_EQ(w.code, 5) << w.err;
  EXPECT_EQ(read_file(ro / "endstate.db"), before);
  ::chmod(ro.c_str(), 0755);
  ::chmod(rofile.c_str(), 0755);
}

// Read verbs on the writable demo database leave no -wal/-shm either.
TEST_F(Outputs, ReadVerbsLeaveNoWalBehindInAWritableFolder) {
  const auto files = listing(shared_ / "demo");
  for (const auto& args : {std::vector<std::string>{"status"}, {"benchmarks", "disagreements"}, {"audit", "verify"}}) {
    ASSERT_EQ(on_demo(args).code, 0);
    EXPECT_EQ(listing(shared_ / "demo"), files);
  }
}

}  // namespace
}  // namespace endstate::testing
