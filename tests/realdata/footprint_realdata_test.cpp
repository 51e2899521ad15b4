// footprint over real data: the exact p-median solver reproduces the OR-Library
// optima of pmed1-10 (Beasley 1990), and MONUSCO's Geo-PKO v2.3 footprint over
// DR Congo's localities is compared with the recommended one for several years.
#include <fstream>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "../cli/cli_harness.hpp"
#include "endstate/footprint/pmedian.hpp"

namespace endstate::testing {
namespace {

using nlohmann::json;

std::map<std::string, double> pmed_optima() {
  std::map<std::string, double> m;
  std::ifstream f(shared_data_dir() / "optimization" / "pmed" / "pmedopt_1_10.txt");
  std::string name;
  std::string value;
  while (f >> name >> value) {
    if (name.rfind("pmed", 0) == 0) m[name] = std::stod(value);
  }
  return m;
}

class PMedOrLib : public ::testing::TestWithParam<int> {};

TEST_P(PMedOrLib, ExactSolverReproducesTheOptimum) {
  ENDSTATE_REQUIRE_SHARED_DATA();
  const std::string name = "pmed" + std::to_string(GetParam());
  const auto optima = pmed_optima();
  ASSERT_TRUE(optima.count(name)) << name;
  const auto inst =
      footprint::read_orlib_pmed((shared_data_dir() / "optimization" / "pmed" / (name + ".txt")).string());
  footprint::SolveOptions o;
  o.solver = footprint::SolverKind::kExact;
  o.time_limit_s = 300;
  const auto s = footprint::solve_pmedian_exact(inst, o);
  EXPECT_EQ(s.status, footprint::SolveStatus::kOptimal) << name;
  EXPECT_DOUBLE_EQ(s.objective, optima.at(name)) << name;
  EXPECT_DOUBLE_EQ(s.bound, optima.at(name)) << name;
  EXPECT_EQ(static_cast<int>(s.open.size()), inst.p);
  EXPECT_DOUBLE_EQ(footprint::pmedian_cost(inst, s.open), s.objective);
  // the heuristic's bound is a valid lower bound
  const auto h = footprint::solve_pmedian_heuristic(inst, o);
  EXPECT_LE(h.bound, optima.at(name) + 1e-9);
  EXPECT_GE(h.objective, optima.at(name) - 1e-9);
  // greedy + interchange + variable neighbourhood search finds every optimum of pmed1-10
  EXPECT_DOUBLE_EQ(h.objective, optima.at(name)) << name;
}

INSTANTIATE_TEST_SUITE_P(Pmed1To10, PMedOrLib, ::testing::Range(1, 11));

class DrcFootprint : public CliFixture {
 protected:
  void SetUp() override {
    CliFixture::SetUp();
    if (!have_shared_data()) return;
    const auto b = shared_data_dir() / "drc" / "boundaries";
    auto r = run({"areas", "import", (b / "country.geojson").string(), "--level", "country", "--format", "json"});
    ASSERT_EQ(r.code, 0) << r.err;
    r = run({"areas", "list", "--level", "country", "--format", "json"});
    const std::string country = json::parse(r.out)["areas"].at(0)["id"];
    r = run({"areas", "import", (b / "districts_pre2015.geojson").string(), "--level", "district", "--id-field",
             "wof:id", "--name-field", "wof:name", "--dissolve-by", (b / "district_to_province_2015.csv").string(),
             "--key", "wof_id", "--into", "province_2015", "--into-parent", country, "--format", "json"});
    ASSERT_EQ(r.code, 0) << r.err;
    r = run({"sites", "import",
             (shared_data_dir() / "drc" / "peacekeeping" / "geopko_v2.3_frontmap_monuc_monusco.csv").string(),
             "--source", "geopko", "--format", "json"});
    ASSERT_EQ(r.code, 0) << r.err;
    localities_ = (b / "localities.csv").string();
  }
  std::string localities_;
};

TEST_F(DrcFootprint, RecommendedCoversAtLeastTodayWithTheSameNumberOfSites) {
  ENDSTATE_REQUIRE_SHARED_DATA();
  for (const std::string year : {"2008", "2013", "2018"}) {
    auto r = run({"sites", "list", "--month", year + "-06", "--format", "json"});
    ASSERT_EQ(r.code, 0) << r.err;
    // today's footprint: the active sites (troops or police deployed)
    std::size_t today_sites = 0;
    const json listed = json::parse(r.out)["sites"];
    for (const auto& s : listed) today_sites += s["active"] == true ? 1 : 0;
    ASSERT_GT(today_sites, 20u) << year;
    r = run({"footprint", "optimize", "--month", year + "-06", "--threat", "none", "--demand", "localities",
             "--localities", localities_, "--response-hours", "4", "--max-sites", std::to_string(today_sites),
             "--solver", "exact", "--format", "json"});
    ASSERT_EQ(r.code, 0) << r.err;
    const json j = json::parse(r.out);
    EXPECT_EQ(j["status"], "optimal") << year;
    EXPECT_EQ(j["model"]["demand_points"].get<int>() + j["model"]["dropped_outside"].get<int>(), 36606) << year;
    EXPECT_EQ(j["today"]["sites"].get<std::size_t>(), today_sites);
    // today's sites are candidates too, so the optimum can only be better
    EXPECT_GE(j["recommended"]["covered"].get<double>(), j["today"]["covered"].get<double>() - 1e-6) << year;
    EXPECT_GT(j["today"]["share"].get<double>(), 0.05) << year;
    EXPECT_LE(j["recommended"]["share"].get<double>(), 1.0);
    std::cout << "[drc " << year << "] sites " << today_sites << ": today share " << j["today"]["share"]
              << ", recommended share " << j["recommended"]["share"] << ", " << j["seconds"] << " s\n";
  }
}

TEST_F(DrcFootprint, GapsOfTheFootprint) {
  ENDSTATE_REQUIRE_SHARED_DATA();
  const auto r = run({"footprint", "gaps", "--month", "2013-06", "--threat", "none", "--demand", "localities",
                      "--localities", localities_, "--response-hours", "4", "--format", "json"});
  ASSERT_EQ(r.code, 0) << r.err;
  const json j = json::parse(r.out);
  ASSERT_GT(j["sites"].size(), 20u);
  EXPECT_GT(j["sites"][0]["weight_lost"].get<double>(), 0);
  for (std::size_t k = 1; k < j["sites"].size(); ++k) {
    EXPECT_GE(j["sites"][k - 1]["weight_lost"].get<double>(), j["sites"][k]["weight_lost"].get<double>());
  }
}

}  // namespace
}  // namespace endstate::testing
