// End-to-end tests of `endstate forecast run|backtest` and `endstate alerts` on Carana.
#include <map>

#include <nlohmann/json.hpp>

#include "cli_harness.hpp"

namespace endstate::testing {
namespace {

class ForecastCli : public CliFixture {
 protected:
  std::string demo_db() {
    const auto r = run({"demo", "--out", path("demo")});
    EXPECT_EQ(r.code, 0) << r.err;
    return on_backend(path("demo") + "/endstate.db");
  }
  RunResult on(const std::string& db, std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", db});
    return run(args);
  }
};

TEST_F(ForecastCli, RunCsvHasOneRowPerAreaAndMonth) {
  const auto db = demo_db();
  const auto r = on(db, {"forecast", "run", "--level", "province", "--horizon", "3", "--samples", "200", "--format", "csv",
                         "--samples-out", path("draws.csv")});
  ASSERT_EQ(r.code, 0) << r.err;
  std::istringstream in(r.out);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "area_id,area_name,month,h,mean,q05,q25,q50,q75,q95,p_ge_1,p_ge_10,p_ge_25");
  int rows = 0;
  while (std::getline(in, line)) ++rows;
  EXPECT_EQ(rows, 8 * 3);
  const std::string draws = read_file(path("draws.csv"));
  EXPECT_EQ(std::count(draws.begin(), draws.end(), '\n'), 1 + 8 * 3 * 200);
}

TEST_F(ForecastCli, RunJsonIsIdenticalAcrossThreadsAndTargetsWork) {
  const auto db = demo_db();
  const auto a = on(db, {"forecast", "run", "--horizon", "2", "--samples", "300", "--threads", "1", "--format", "json"});
  const auto b = on(db, {"forecast", "run", "--horizon", "2", "--samples", "300", "--threads", "3", "--format", "json"});
  ASSERT_EQ(a.code, 0) << a.err;
  EXPECT_EQ(a.out, b.out);
  const auto j = nlohmann::json::parse(a.out);
  EXPECT_EQ(j["model"], "nb");
  EXPECT_EQ(j["first_month"], "2025-01");
  EXPECT_EQ(j["forecasts"].size(), 16u);
  for (const auto& f : j["forecasts"]) {
    EXPECT_LE(f["q05"].get<double>(), f["q50"].get<double>());
    EXPECT_LE(f["q50"].get<double>(), f["q95"].get<double>());
    EXPECT_GE(f["p_ge_1"].get<double>(), f["p_ge_10"].get<double>());
  }
  const auto v = on(db, {"forecast", "run", "--target", "vac-events", "--model", "conflictology", "--horizon", "1",
                         "--samples", "50", "--format", "json"});
  ASSERT_EQ(v.code, 0) << v.err;
  EXPECT_EQ(nlohmann::json::parse(v.out)["target"], "vac-events");
}

TEST_F(ForecastCli, BadFlagsGiveUsageErrors) {
  const auto db = demo_db();
  EXPECT_EQ(on(db, {"forecast", "run", "--model", "lstm"}).code, 1);
  EXPECT_EQ(on(db, {"forecast", "run", "--target", "deaths"}).code, 1);
  EXPECT_EQ(on(db, {"forecast", "run", "--horizon", "0"}).code, 1);
  EXPECT_EQ(on(db, {"forecast", "run", "--level", "district"}).code, 3);
  EXPECT_EQ(on(db, {"forecast", "backtest", "--from", "2012-03", "--to", "2012-06"}).code, 2);
  EXPECT_EQ(on(db, {"alerts"}).code, 1);
}

TEST_F(ForecastCli, BacktestTablesAndReproducibility) {
  const auto db = demo_db();
  const std::vector<std::string> args{"forecast", "backtest", "--level", "province", "--from", "2023-01", "--to", "2023-12",
                                      "--horizon", "3", "--samples", "100", "--format", "json"};
  auto a1 = args, a2 = args;
  a1.insert(a1.end(), {"--threads", "1"});
  a2.insert(a2.end(), {"--threads", "2"});
  const auto r1 = on(db, a1), r2 = on(db, a2);
  ASSERT_EQ(r1.code, 0) << r1.err;
  EXPECT_EQ(r1.out, r2.out);
  const auto j = nlohmann::json::parse(r1.out);
  EXPECT_EQ(j["origins"], 12);
  EXPECT_EQ(j["overall"].size(), 5u);
  EXPECT_EQ(j["by_year"].size(), 5u);
  EXPECT_EQ(j["overall"][0]["rank"], 1);
  EXPECT_EQ(j["overall"].back()["model"], "zero");  // the zero forecast is worst on Carana
  const auto t = on(db, {"forecast", "backtest", "--from", "2024-01", "--to", "2024-03", "--horizon", "2",
                         "--samples", "50", "--models", "bootstrap,nb"});
  ASSERT_EQ(t.code, 0) << t.err;
  EXPECT_NE(t.out.find("Overall ranking"), std::string::npos);
}

TEST_F(ForecastCli, AlertsLevelsReasonsAndGeoJson) {
  const auto db = demo_db();
  const auto r = on(db, {"alerts", "--month", "2024-06", "--samples", "300", "--format", "json"});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["history_to"], "2024-05");
  ASSERT_EQ(j["alerts"].size(), 8u);
  int total = 0;
  for (const auto& a : j["alerts"]) {
    EXPECT_FALSE(a["reasons"].empty());
    const std::string lv = a["alert"];
    EXPECT_TRUE(lv == "green" || lv == "amber" || lv == "red");
    EXPECT_EQ(a["responders"].size(), a["responders_in_reach"].get<std::size_t>());
  }
  for (const char* k : {"green", "amber", "red"}) total += j["counts"][k].get<int>();
  EXPECT_EQ(total, 8);
  // With a response time of zero hours nobody is in reach: every amber/red area is a gap.
  const auto z = on(db, {"alerts", "--month", "2024-06", "--samples", "300", "--response-hours", "0", "--format", "json"});
  const auto jz = nlohmann::json::parse(z.out);
  EXPECT_EQ(jz["counts"]["response_gaps"].get<int>(), jz["counts"]["amber"].get<int>() + jz["counts"]["red"].get<int>());
  const auto g = on(db, {"alerts", "--month", "2024-06", "--samples", "100", "--format", "geojson"});
  ASSERT_EQ(g.code, 0) << g.err;
  const auto gj = nlohmann::json::parse(g.out);
  EXPECT_EQ(gj["type"], "FeatureCollection");
  EXPECT_EQ(gj["features"].size(), 8u);
  EXPECT_FALSE(gj["features"][0]["geometry"].is_null());
}

// Acceptance check on Carana (issue #4): rolling-origin backtest 2019-01..2024-06
// (66 origins), horizon 12, seed 1, at province and grid level. nb must beat
// the best benchmark on CRPS overall, and in most years (>= 4 of the 6 origin
// years) at grid level. At province level nb wins 3 of 6 years against the
// bootstrap (see docs/forecast.md); the test asserts that it wins at least 3.
TEST_F(ForecastCli, CaranaBacktestProvinceAndGrid) {
  const auto db = demo_db();
  ASSERT_EQ(on(db, {"areas", "grid", "--within", "carana"}).code, 0);
  for (const std::string level : {"province", "grid"}) {
    const auto r = on(db, {"forecast", "backtest", "--level", level, "--from", "2019-01", "--to", "2024-06", "--horizon",
                           "12", "--samples", "200", "--seed", "1", "--format", "json"});
    ASSERT_EQ(r.code, 0) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    ASSERT_EQ(j["overall"].size(), 5u);
    EXPECT_EQ(j["overall"][0]["model"], "nb") << level;
    const std::string bench = j["overall"][0]["model"] == "nb" ? j["overall"][1]["model"] : j["overall"][0]["model"];
    std::map<int, double> nb, bm;
    for (const auto& row : j["by_year"]) {
      if (row["model"] == "nb") nb[row["year"].get<int>()] = row["crps"];
      if (row["model"] == bench) bm[row["year"].get<int>()] = row["crps"];
    }
    int wins = 0;
    for (const auto& [year, c] : nb) wins += c < bm.at(year) ? 1 : 0;
    std::cout << level << ": nb CRPS " << j["overall"][0]["crps"] << " vs " << bench << ", nb wins " << wins << " of "
              << nb.size() << " years\n";
    EXPECT_EQ(nb.size(), 6u);
    EXPECT_GE(wins, level == "grid" ? 4 : 3) << level;
  }
}

}  // namespace
}  // namespace endstate::testing
