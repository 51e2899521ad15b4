// endstate footprint optimize | gaps | solve, end to end over Carana and
// small OR-Library files.
#include <map>

#include <nlohmann/json.hpp>

#include "cli_harness.hpp"

namespace endstate::testing {
namespace {

using nlohmann::json;

class FootprintCli : public CliFixture {
 protected:
  void SetUp() override {
    CliFixture::SetUp();
    db_path_ = demo_store();
    loc_ = path("demo") + "/inputs/localities.csv";
  }
  RunResult fp(std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", db_path_, "footprint"});
    return run(args);
  }
  std::vector<std::string> model() const {
    return {"--demand", "localities", "--localities", loc_, "--response-hours", "2", "--level", "territory"};
  }
  std::string db_path_, loc_;
};

TEST_F(FootprintCli, OptimizeJsonHasStableKeysAndMeetsTheCeiling) {
  auto args = std::vector<std::string>{"optimize", "--ceiling", "2000", "--min-troops", "200", "--format", "json"};
  for (const auto& m : model()) args.push_back(m);
  const auto r = fp(args);
  ASSERT_EQ(r.code, 0) << r.err;
  const json j = json::parse(r.out);
  for (const char* k : {"objective", "bound", "gap", "seconds", "solver", "binding", "sites", "coverage", "today"}) {
    EXPECT_TRUE(j.contains(k)) << k;
  }
  EXPECT_GE(j["bound"].get<double>(), j["objective"].get<double>() - 1e-6);
  EXPECT_GE(j["gap"].get<double>(), 0);
  std::int64_t troops = 0;
  int open = 0;
  for (const auto& s : j["sites"]) {
    if (s["open"]) {
      ++open;
      troops += s["troops"].get<std::int64_t>();
      EXPECT_GE(s["troops"].get<std::int64_t>(), 200);
    } else {
      EXPECT_EQ(s["troops"], 0);
    }
  }
  EXPECT_EQ(open, 10);  // 2000 / 200
  EXPECT_EQ(troops, 2000);
  EXPECT_NE(std::find(j["binding"].begin(), j["binding"].end(), "troop_ceiling"), j["binding"].end())
      << j["binding"].dump();
  EXPECT_EQ(j["coverage"].size(), 40u);  // Carana's territories
  double covered = 0;
  for (const auto& c : j["coverage"]) covered += c["covered"].get<double>();
  EXPECT_NEAR(covered, j["recommended"]["covered"].get<double>(), 1e-6 * (1 + covered));
  // Ten well-placed sites cover at least as much as any ten of today's.
  EXPECT_GT(j["recommended"]["covered"].get<double>(), 0);
}

TEST_F(FootprintCli, ExactAndHeuristicAgreeClosely) {
  std::vector<double> obj;
  for (const std::string s : {"exact", "heuristic"}) {
    auto args = std::vector<std::string>{"optimize", "--max-sites", "6", "--solver", s, "--format", "json"};
    for (const auto& m : model()) args.push_back(m);
    const auto r = fp(args);
    ASSERT_EQ(r.code, 0) << r.err;
    const json j = json::parse(r.out);
    EXPECT_EQ(j["solver"], s == "exact" ? "cbc" : "heuristic");
    obj.push_back(j["objective"].get<double>());
    if (s == "exact") {
      EXPECT_EQ(j["status"], "optimal");
    }
  }
  EXPECT_LE(obj[1], obj[0] + 1e-6);
  EXPECT_GE(obj[1], 0.98 * obj[0]);
}

TEST_F(FootprintCli, GeoJsonAndCsv) {
  auto args = std::vector<std::string>{"optimize", "--max-sites", "5", "--format", "geojson"};
  for (const auto& m : model()) args.push_back(m);
  auto r = fp(args);
  ASSERT_EQ(r.code, 0) << r.err;
  // One geometry type per layer: site points, then (--layer reach) the reach polygons of the open sites.
  const json g = json::parse(r.out);
  EXPECT_EQ(g["type"], "FeatureCollection");
  EXPECT_EQ(g["kind"], "footprint_sites");
  int points = 0, polygons = 0, open = 0;
  for (const auto& f : g["features"]) {
    EXPECT_EQ(f["geometry"]["type"], "Point");
    ++points;
    open += f["properties"]["open"] == true ? 1 : 0;
  }
  EXPECT_GT(points, 5);
  EXPECT_EQ(open, 5);
  auto reach_args = args;
  reach_args.insert(reach_args.end(), {"--layer", "reach"});
  r = fp(reach_args);
  ASSERT_EQ(r.code, 0) << r.err;
  const json reach = json::parse(r.out);
  EXPECT_EQ(reach["kind"], "footprint_reach");
  for (const auto& f : reach["features"]) {
    ASSERT_EQ(f["geometry"]["type"], "Polygon");
    ++polygons;
    const auto& ring = f["geometry"]["coordinates"][0];
    EXPECT_EQ(ring.front(), ring.back());
  }
  EXPECT_GE(polygons, 5);
  args[4] = "csv";
  r = fp(args);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.substr(0, r.out.find('\n')),
            "id,name,latitude,longitude,area_id,existing,open,troops,troops_today,police_today,has_air,covered_weight");
  args.push_back("--table");
  args.push_back("coverage");
  r = fp(args);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("area_id,area_name,population,weight,covered,covered_today", 0), 0u) << r.out.substr(0, 200);
}

TEST_F(FootprintCli, GapsRankedAndClosureList) {
  auto args = std::vector<std::string>{"gaps", "--format", "json"};
  for (const auto& m : model()) args.push_back(m);
  auto r = fp(args);
  ASSERT_EQ(r.code, 0) << r.err;
  const json j = json::parse(r.out);
  ASSERT_GT(j["sites"].size(), 3u);
  for (std::size_t k = 1; k < j["sites"].size(); ++k) {
    EXPECT_GE(j["sites"][k - 1]["weight_lost"].get<double>(), j["sites"][k]["weight_lost"].get<double>());
  }
  const std::string top = j["sites"][0]["id"], second = j["sites"][1]["id"];
  const double single = j["sites"][0]["weight_lost"].get<double>() + j["sites"][1]["weight_lost"].get<double>();
  args.push_back("--close");
  args.push_back(top + "," + second);
  r = fp(args);
  ASSERT_EQ(r.code, 0) << r.err;
  const json c = json::parse(r.out);
  // Closing two sites together loses at least what each alone loses.
  EXPECT_GE(c["closure"]["weight_lost"].get<double>(), single - 1e-9);
  double lost = 0;
  for (const auto& p : c["coverage"]) {
    lost += p["weight"].get<double>();
    EXPECT_TRUE(p["mitigation"] == "air" || p["mitigation"] == "police_or_civilian_presence");
  }
  EXPECT_NEAR(lost, c["closure"]["weight_lost"].get<double>(), 1e-6 * (1 + lost));
}

TEST_F(FootprintCli, Errors) {
  const std::string before = read_file(db_path_);
  auto r = fp({"optimize", "--response-hours", "2"});
  EXPECT_EQ(r.code, 1) << r.err;  // neither --ceiling nor --max-sites
  r = fp({"optimize", "--max-sites", "3", "--threat", "tomorrow"});
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_NE(r.err.find("--threat"), std::string::npos) << r.err;
  r = fp({"gaps", "--close", "Nowhere"});
  EXPECT_EQ(r.code, 3) << r.err;
  const auto bad = write("bad.csv", "name,latitude,longitude,population\nA,1.0,2.0,10\nB,north,2.0,5\n");
  r = fp({"optimize", "--max-sites", "3", "--demand", "localities", "--localities", bad});
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("bad.csv:3"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("latitude"), std::string::npos) << r.err;
  EXPECT_EQ(read_file(db_path_), before);
}

// --threat forecast weighs each province by the forecast module's expected
// events of violence against civilians (shared by population, so the province's
// weight is that expectation); --threat index by the threat index's EWMA level.
TEST_F(FootprintCli, ThreatFromForecastAndIndex) {
  auto weights = [&](const std::string& mode) {
    const auto r = fp({"optimize", "--max-sites", "3", "--threat", mode, "--threat-months", "3", "--format", "json"});
    EXPECT_EQ(r.code, 0) << mode << ": " << r.err;
    std::map<std::string, double> w;
    if (r.code != 0) return w;
    const json j = json::parse(r.out);
    for (const auto& c : j["coverage"]) w[c["area_id"]] = c["weight"].get<double>();
    return w;
  };
  const auto forecast = weights("forecast");
  const auto index = weights("index");
  const auto recent = weights("recent");
  ASSERT_EQ(forecast.size(), 8u);
  auto f = run({"--db", db_path_, "forecast", "run", "--horizon", "3", "--target", "vac-events", "--samples", "200",
                "--seed", "1", "--format", "json"});
  ASSERT_EQ(f.code, 0) << f.err;
  std::map<std::string, double> expected;
  const json rows = json::parse(f.out);
  for (const auto& row : rows["forecasts"]) {
    expected[row["area_id"]] += row["mean"].get<double>();
  }
  double total = 0;
  for (const auto& [id, w] : forecast) {
    ASSERT_TRUE(expected.count(id)) << id;
    EXPECT_NEAR(w, expected[id], 0.01 * (1 + expected[id])) << id;
    total += w;
  }
  EXPECT_GT(total, 0);
  EXPECT_NE(forecast, recent);
  EXPECT_NE(index, recent);
  double index_total = 0;
  for (const auto& [id, w] : index) {
    EXPECT_GE(w, 0) << id;
    index_total += w;
  }
  EXPECT_GT(index_total, 0);
}

class FootprintSolve : public CliFixture {};

TEST_F(FootprintSolve, SolvesAndReportsErrors) {
  // Two triangles joined by a long edge; p = 2 puts one median in each: cost 1+1+1+1 = 4.
  const auto f = write("tri.txt", "6 7 2\n1 2 1\n2 3 1\n1 3 1\n4 5 1\n5 6 1\n4 6 1\n3 4 50\n");
  for (const std::string s : {"exact", "heuristic"}) {
    const auto r = run({"footprint", "solve", "--orlib-pmed", f, "--solver", s, "--format", "json"});
    ASSERT_EQ(r.code, 0) << r.err;
    const json j = json::parse(r.out);
    EXPECT_DOUBLE_EQ(j["objective"].get<double>(), 4);
    EXPECT_DOUBLE_EQ(j["bound"].get<double>(), 4);
    EXPECT_EQ(j["medians"].size(), 2u);
    EXPECT_TRUE(j.contains("tree_nodes"));
    const std::string solver = j["solver"];
    if (s == "exact") {
      EXPECT_TRUE(solver == "lagrangian" || solver == "lagrangian-tree" || solver == "cbc-radius") << solver;
    } else {
      EXPECT_EQ(solver, "heuristic");
    }
  }
  {
    const auto r = run({"footprint", "solve", "--orlib-pmed", f, "--format", "csv"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(
        r.out.rfind("objective,bound,gap,seconds,solver,status,n,p,fixed_closed,tree_nodes,milp_columns,medians\n", 0),
        0u)
        << r.out;
  }
  const auto bad = write("bad.txt", "6 2 2\n1 2 1\n2 7 1\n");
  auto r = run({"footprint", "solve", "--orlib-pmed", bad});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("bad.txt:3"), std::string::npos) << r.err;
  r = run({"footprint", "solve", "--orlib-pmed", path("missing.txt")});
  EXPECT_EQ(r.code, 3) << r.err;
  r = run({"footprint", "solve"});
  EXPECT_EQ(r.code, 1) << r.err;
}

}  // namespace
}  // namespace endstate::testing
