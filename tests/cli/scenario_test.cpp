// The Carana generator and the demo through the CLI: what is generated imports
// with zero rejects through the ordinary import commands, the counts match what
// the generator reports, and the same seed gives the same bytes.
#include <algorithm>
#include <filesystem>
#include <map>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli_harness.hpp"

namespace endstate::testing {
namespace {

using json = nlohmann::json;
namespace fs = std::filesystem;

class Scenario : public CliFixture {
 protected:
  json generate(const std::string& out, int seed) {
    const auto r =
        run({"scenario", "generate", "carana", "--seed", std::to_string(seed), "--out", path(out), "--format", "json"});
    EXPECT_EQ(r.code, 0) << r.err;
    return json::parse(r.out);
  }
  json import(const std::vector<std::string>& args) {
    std::vector<std::string> full = args;
    full.insert(full.end(), {"--format", "json"});
    const auto r = run(full);
    EXPECT_EQ(r.code, 0) << r.err;
    return json::parse(r.out);
  }
};

std::map<std::string, std::string> files_in(const fs::path& dir) {
  std::map<std::string, std::string> m;
  for (const auto& e : fs::directory_iterator(dir)) m[e.path().filename().string()] = read_file(e.path());
  return m;
}

TEST_F(Scenario, SameSeedSameBytesOtherSeedOtherEvents) {
  generate("a", 3);
  generate("b", 3);
  generate("c", 4);
  const auto a = files_in(dir_ / "a");
  const auto b = files_in(dir_ / "b");
  const auto c = files_in(dir_ / "c");
  ASSERT_EQ(a.size(), 12u);
  for (const auto& [name, bytes] : a) {
    ASSERT_TRUE(b.count(name)) << name;
    EXPECT_TRUE(bytes == b.at(name)) << name << " differs between two runs with seed 3";
  }
  EXPECT_NE(a.at("events_ged.csv"), c.at("events_ged.csv"));
}

TEST_F(Scenario, GeneratedFilesImportThroughTheCliWithZeroRejects) {
  const json g = generate("carana", 1);
  const json& n = g["counts"];
  const json& f = g["files"];
  std::vector<json> summaries;
  summaries.push_back(
      import({"areas", "import", f["country"], "--level", "country", "--population-field", "population"}));
  summaries.push_back(import({"areas", "import", f["territories"], "--level", "territory", "--population-field",
                              "population", "--dissolve-by", f["crosswalk"], "--key", "territory_id", "--into",
                              "province", "--into-parent", "carana"}));
  summaries.push_back(import({"events", "import", f["events"], "--source", "ucdp"}));
  summaries.push_back(import({"sites", "import", f["sites"], "--source", "geopko"}));
  summaries.push_back(import({"observations", "import", f["observations"]}));
  for (const auto& s : summaries) {
    EXPECT_EQ(s["rejected"], 0) << s.dump(1);
    EXPECT_EQ(s["outside_areas"], 0) << s.dump(1);
    EXPECT_EQ(s["duplicates"], 0) << s.dump(1);
    EXPECT_EQ(s["read"], s["imported"]) << s.dump(1);
  }
  EXPECT_EQ(summaries[1]["imported"], n["territories"].get<int>() + n["provinces"].get<int>());
  EXPECT_EQ(summaries[2]["imported"], n["events"]);
  EXPECT_EQ(summaries[3]["imported"], n["deployments"]);
  EXPECT_EQ(summaries[4]["imported"], n["observations"]);

  const auto st = run({"status", "--format", "json"});
  ASSERT_EQ(st.code, 0) << st.err;
  const json status = json::parse(st.out);
  EXPECT_EQ(status["counts"]["events"], n["events"]);
  EXPECT_EQ(status["counts"]["sites"], n["sites"]);
  EXPECT_EQ(status["counts"]["deployments"], n["deployments"]);
  EXPECT_EQ(status["counts"]["observations"], n["observations"]);
  EXPECT_EQ(status["areas_by_level"]["province"], n["provinces"]);
  // Every event lies in exactly one territory, one province and the country.
  EXPECT_EQ(status["counts"]["event_areas"], 3 * n["events"].get<int>());
  EXPECT_EQ(status["first_event"].get<std::string>().substr(0, 4), std::to_string(g["first_year"].get<int>()));
  EXPECT_EQ(status["last_event"].get<std::string>().substr(0, 4), std::to_string(g["last_year"].get<int>()));

  // The generated population arrives with the areas.
  const auto ar = run({"areas", "list", "--level", "province", "--format", "json"});
  ASSERT_EQ(ar.code, 0) << ar.err;
  double population = 0;
  const json areas = json::parse(ar.out)["areas"];
  for (const auto& p : areas) population += p["population"].get<double>();
  EXPECT_EQ(static_cast<std::int64_t>(population), n["population"].get<std::int64_t>());
}

TEST_F(Scenario, DemoBuildsTheDatabaseAndBriefs) {
  const auto r = run({"demo", "--out", path("demo")});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("Most violent provinces"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Mission footprint"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(path("demo") + "/endstate.db"), std::string::npos) << "says where its outputs are";
  // Five ranked provinces, each with a trend word.
  const auto from = r.out.find("Most violent provinces");
  const auto to = r.out.find("Mission footprint");
  const std::string section = r.out.substr(from, to - from);
  int trends = 0;
  for (const char* w : {" rising ", " falling ", " stable "}) {
    for (auto p = section.find(w); p != std::string::npos; p = section.find(w, p + 1)) ++trends;
  }
  EXPECT_EQ(trends, 5) << section;
  // Every analysis has its section, in order, and its files, which parse.
  std::size_t at = 0;
  for (const char* h : {"5. Threat picture",
                        "6. Hotspots",
                        "7. Alerts for",
                        "Thresholds from a backtest of the rules",
                        "No responder within",
                        "8. Transition benchmarks",
                        "Readiness per province",
                        "Where stakeholders disagree",
                        "When the unmet core benchmarks",
                        "9. Footprint under a ceiling",
                        "Largest:",
                        "Smallest (above zero):",
                        "10. Transition plan",
                        "an end state or an end date",
                        "11. Mandate tasks and handovers",
                        "Handover timeline",
                        "Tasks at risk",
                        "Shortfall per budget year",
                        "Continuity of protection",
                        "12. End state or end date",
                        "Exit month per province",
                        "Paired differences:",
                        "presence effect none",
                        "13. Council report and public notices",
                        "report.html",
                        "Public notices for closing",
                        "Outputs"}) {
    const auto p = r.out.find(h, at);
    ASSERT_NE(p, std::string::npos) << "missing or out of order: " << h << "\n" << r.out;
    at = p;
  }
  // Tasks: the timeline has one column per period of the three budget years; the shortfall one row per year;
  // the continuity map one feature per territory.
  const std::string timeline = read_file(path("demo") + "/results/tasks_timeline.csv");
  const std::string header = timeline.substr(0, timeline.find('\n'));
  EXPECT_EQ(std::count(header.begin(), header.end(), ','), 3 + 6) << header;
  const std::string shortfall = read_file(path("demo") + "/results/tasks_shortfall.csv");
  EXPECT_EQ(std::count(shortfall.begin(), shortfall.end(), '\n'), 1 + 3) << shortfall;
  const json cont = json::parse(read_file(path("demo") + "/results/tasks_continuity.geojson"));
  EXPECT_EQ(cont["features"].size(), 40u);
  // End state or end date: with presence none the violence is the same on both policies.
  const auto none_line = r.out.find("- presence effect none");
  ASSERT_NE(none_line, std::string::npos);
  EXPECT_NE(r.out.substr(none_line, 160).find("fatalities plan_end_date minus plan_end_state 0 (90%: 0..0)"),
            std::string::npos)
      << r.out.substr(none_line, 200);
  const json sim = json::parse(read_file(path("demo") + "/results/simulation.json"));
  EXPECT_EQ(sim["kind"], "simulation");
  EXPECT_EQ(sim["policies"].size(), 2u);
  // Hotspots: five clusters, the primary one significant.
  const json hs = json::parse(read_file(path("demo") + "/results/hotspots.geojson"));
  ASSERT_EQ(hs["features"].size(), 5u);
  EXPECT_LT(hs["features"][0]["properties"]["p_value"].get<double>(), 0.05);
  // Alerts: one feature per territory; the areas the briefing names without a responder are the GeoJSON's gaps.
  const json al = json::parse(read_file(path("demo") + "/results/alerts.geojson"));
  EXPECT_EQ(al["features"].size(), 40u);
  for (const auto& f : al["features"]) {
    const auto& p = f["properties"];
    if (p["response_gap"] == true) {
      EXPECT_NE(r.out.find(p["area_name"].get<std::string>() + " (" + p["alert"].get<std::string>() + ")"),
                std::string::npos)
          << p.dump();
    }
  }
  for (const char* f :
       {"threat_index.geojson", "readiness.geojson", "footprint_sites.geojson", "footprint_reach.geojson"}) {
    const json g = json::parse(read_file(path("demo") + "/results/" + f));
    EXPECT_EQ(g["type"], "FeatureCollection") << f;
    EXPECT_FALSE(g["features"].empty()) << f;
  }
  for (const char* f : {"benchmarks_readiness.csv", "benchmarks_disagreements.csv", "benchmarks_projections.csv",
                        "footprint_gaps.csv"}) {
    const std::string text = read_file(path("demo") + "/results/" + f);
    EXPECT_GT(std::count(text.begin(), text.end(), '\n'), 2) << f;
  }
  // The recommended footprint respects the reduced ceiling the briefing states.
  const json fp = json::parse(read_file(path("demo") + "/results/footprint_sites.geojson"));
  std::int64_t troops = 0;
  for (const auto& f : fp["features"]) {
    if (f["properties"]["open"] == true) troops += f["properties"]["troops"].get<std::int64_t>();
  }
  EXPECT_GT(troops, 0);
  EXPECT_NE(r.out.find("ceiling of " + std::to_string(troops) + " troops"), std::string::npos) << troops;
  // The briefing is also a file; inputs and results are apart.
  EXPECT_EQ(read_file(path("demo") + "/results/briefing.md"), r.out);
  EXPECT_TRUE(std::filesystem::exists(path("demo") + "/inputs/events_ged.csv"));
  // Issue 18: a folder holding a database with an audit history is never written over, even with --force.
  const std::string db = path("demo") + "/endstate.db";
  const std::string before = read_file(db);
  for (const bool force : {false, true}) {
    std::vector<std::string> args{"demo", "--out", path("demo")};
    if (force) args.push_back("--force");
    const auto again = run(args);
    EXPECT_EQ(again.code, 1) << again.err;
    EXPECT_NE(again.err.find("audit history"), std::string::npos) << again.err;
  }
  EXPECT_EQ(read_file(db), before);
  // Into a new folder it builds the same database from scratch.
  const auto s1 = run({"--db", db, "status", "--format", "json"});
  const auto again = run({"demo", "--out", path("demo2")});
  ASSERT_EQ(again.code, 0) << again.err;
  const auto s2 = run({"--db", path("demo2") + "/endstate.db", "status", "--format", "json"});
  EXPECT_EQ(json::parse(s1.out)["counts"], json::parse(s2.out)["counts"]);
}

// Issue 18: an output folder that is not empty is refused unless --force.
TEST_F(Scenario, NonEmptyFolderIsRefusedUnlessForced) {
  write("out/notes.txt", "mine");
  auto r = run({"scenario", "generate", "carana", "--out", path("out")});
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_NE(r.err.find("--out"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("not empty"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(path("out/events_ged.csv")));
  r = run({"scenario", "generate", "carana", "--out", path("out"), "--force"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(read_file(path("out/notes.txt")), "mine");
  EXPECT_TRUE(std::filesystem::exists(path("out/events_ged.csv")));
}

TEST_F(Scenario, UnknownScenarioAndBadSeedAreUsageErrors) {
  auto r = run({"scenario", "generate", "atlantis", "--out", path("x")});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("carana"), std::string::npos) << r.err;
  r = run({"scenario", "generate", "carana", "--seed", "-2", "--out", path("x")});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("--seed"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace endstate::testing
