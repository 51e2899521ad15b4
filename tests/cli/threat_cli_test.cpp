// endstate threat panel | index | hotspots end to end on Carana: zero rows
// kept, totals consistent across levels, weights files, GeoJSON for QGIS, the
// escalation province (Tembeli, trajectory "escalation" in the default
// config) as a significant prospective cluster, identical results for any
// thread count, and clear errors that leave the database untouched.
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

class Threat : public CliFixture {
 protected:
  void SetUp() override {
    CliFixture::SetUp();
    db = demo_store();
  }
  RunResult on_db(std::vector<std::string> args) const {
    args.insert(args.begin(), {"--db", db});
    return run(args);
  }
  json json_of(std::vector<std::string> args) const {
    args.insert(args.end(), {"--format", "json"});
    const auto r = on_db(args);
    EXPECT_EQ(r.code, 0) << r.err;
    return json::parse(r.out);
  }
  std::string db;
};

TEST_F(Threat, PanelKeepsZeroRowsAndAddsUpAcrossLevels) {
  const json p = json_of({"threat", "panel", "--level", "province", "--from", "2024-01", "--to", "2024-12"});
  EXPECT_EQ(p["level"], "province");
  EXPECT_EQ(p["from"], "2024-01");
  ASSERT_EQ(p["rows"].size(), 8u * 12u);  // every province x month, quiet ones too
  std::int64_t prov_events = 0, prov_fat = 0;
  int zero_rows = 0;
  for (const auto& r : p["rows"]) {
    prov_events += r["events_total"].get<std::int64_t>();
    prov_fat += r["fatalities_total"].get<std::int64_t>();
    zero_rows += r["events_total"] == 0;
    EXPECT_EQ(r["events_total"].get<std::int64_t>(),
              r["events_state"].get<std::int64_t>() + r["events_nonstate"].get<std::int64_t>() +
                  r["events_vac"].get<std::int64_t>() + r["events_other"].get<std::int64_t>());
    ASSERT_TRUE(r["population"].is_number());
    EXPECT_NEAR(r["fatalities_per_100k"].get<double>(),
                r["fatalities_total"].get<double>() * 1e5 / r["population"].get<double>(), 1e-9);
  }
  EXPECT_GT(zero_rows, 0);  // the quiet province has months without events
  const json c = json_of({"threat", "panel", "--level", "country", "--from", "2024-01", "--to", "2024-12"});
  ASSERT_EQ(c["rows"].size(), 12u);
  std::int64_t country_events = 0, country_fat = 0;
  for (const auto& r : c["rows"]) {
    country_events += r["events_total"].get<std::int64_t>();
    country_fat += r["fatalities_total"].get<std::int64_t>();
  }
  EXPECT_EQ(prov_events, country_events);
  EXPECT_EQ(prov_fat, country_fat);
  EXPECT_GT(country_events, 500);
  const auto csv = on_db({"threat", "panel", "--from", "2024-12", "--to", "2024-12", "--format", "csv"});
  ASSERT_EQ(csv.code, 0) << csv.err;
  EXPECT_EQ(csv.out.substr(0, csv.out.find('\n')),
            "area_id,area_name,month,population,events_state,events_nonstate,events_vac,events_other,events_total,"
            "fatalities_state,fatalities_nonstate,fatalities_vac,fatalities_other,fatalities_total,civilian_deaths,"
            "fatalities_per_100k,vac_fatalities_per_100k,civilian_deaths_per_100k,vac_events_per_100k");
  EXPECT_EQ(std::count(csv.out.begin(), csv.out.end(), '\n'), 9);
}

TEST_F(Threat, IndexFollowsTheWeightsFileAndMapsAsGeoJson) {
  const json d = json_of({"threat", "index", "--month", "2024-12"});
  EXPECT_EQ(d["trend_test"], "mann-kendall");
  EXPECT_EQ(d["weights"]["vac_events"], 0.5);
  ASSERT_EQ(d["rows"].size(), 8u);
  for (const auto& r : d["rows"]) {
    EXPECT_EQ(r["month"], "2024-12");
    const std::string t = r["trend"];
    EXPECT_TRUE(t == "rising" || t == "stable" || t == "falling") << t;
  }
  // with only vac_events weighted 1, the index is the count of VAC events
  const auto w =
      write("w.yaml", "vac_fatalities_per_100k: 0\nvac_events: 1\nbattle_events: 0\nbattle_fatalities_per_100k: 0\n");
  const json i = json_of({"threat", "index", "--from", "2024-01", "--to", "2024-12", "--weights", w, "--lambda", "1"});
  const json p = json_of({"threat", "panel", "--from", "2024-01", "--to", "2024-12"});
  ASSERT_EQ(i["rows"].size(), p["rows"].size());
  for (std::size_t k = 0; k < p["rows"].size(); ++k) {
    EXPECT_EQ(i["rows"][k]["area_id"], p["rows"][k]["area_id"]);
    EXPECT_DOUBLE_EQ(i["rows"][k]["index"].get<double>(), p["rows"][k]["events_vac"].get<double>());
    EXPECT_DOUBLE_EQ(i["rows"][k]["ewma"].get<double>(), i["rows"][k]["index"].get<double>());  // lambda 1
  }
  const auto g = on_db({"threat", "index", "--format", "geojson"});
  ASSERT_EQ(g.code, 0) << g.err;
  const json fc = json::parse(g.out);
  EXPECT_EQ(fc["type"], "FeatureCollection");
  ASSERT_EQ(fc["features"].size(), 8u);
  for (const auto& f : fc["features"]) {
    EXPECT_EQ(f["properties"]["month"], "2024-12");  // the last month
    const std::string gt = f["geometry"]["type"];
    EXPECT_TRUE(gt == "Polygon" || gt == "MultiPolygon") << gt;
  }
}

TEST_F(Threat, EscalationProvinceIsASignificantProspectiveCluster) {
  for (const std::string model : {"poisson", "permutation"}) {
    const json h = json_of({"threat", "hotspots", "--mode", "prospective", "--model", model, "--replications", "199"});
    EXPECT_EQ(h["model"], model);
    EXPECT_EQ(h["mode"], "prospective");
    ASSERT_FALSE(h["clusters"].empty());
    const auto& c = h["clusters"][0];
    EXPECT_EQ(c["centre_id"], "tembeli") << model;
    EXPECT_EQ(c["areas"], json::array({"tembeli"}));
    EXPECT_EQ(c["end"], "2024-12");  // alive at the end of the period
    EXPECT_LE(c["p_value"].get<double>(), 0.05);
    EXPECT_GT(c["relative_risk"].get<double>(), 2.0);
    EXPECT_GT(c["observed"].get<double>(), c["expected"].get<double>());
  }
  // the quiet province is never the primary cluster
  const auto t = on_db({"threat", "hotspots", "--mode", "prospective", "--replications", "99", "--max-p", "0.05"});
  ASSERT_EQ(t.code, 0) << t.err;
  EXPECT_NE(t.out.find("tembeli"), std::string::npos);
  EXPECT_EQ(t.out.find("ubeka"), std::string::npos);
}

TEST_F(Threat, HotspotsSameForAnyThreadCountAndMapAsCircles) {
  const std::vector<std::string> base{
      "threat", "hotspots",       "--level", "territory", "--mode", "prospective", "--max-months",
      "6",      "--replications", "99",      "--seed",    "5",      "--format",    "json"};
  auto one = base, two = base;
  one.insert(one.end(), {"--threads", "1"});
  two.insert(two.end(), {"--threads", "2"});
  const auto a = on_db(one), b = on_db(two);
  ASSERT_EQ(a.code, 0) << a.err;
  EXPECT_EQ(a.out, b.out);  // byte for byte
  const json h = json::parse(a.out);
  ASSERT_FALSE(h["clusters"].empty());
  // secondary clusters share no territory with earlier ones
  std::map<std::string, int> seen;
  for (const auto& c : h["clusters"])
    for (const auto& z : c["areas"]) EXPECT_EQ(++seen[z.get<std::string>()], 1) << z;
  auto geo = base;
  geo.back() = "geojson";
  const auto g = on_db(geo);
  ASSERT_EQ(g.code, 0) << g.err;
  const json fc = json::parse(g.out);
  EXPECT_EQ(fc["type"], "FeatureCollection");
  ASSERT_EQ(fc["features"].size(), h["clusters"].size());
  for (const auto& f : fc["features"]) {
    EXPECT_EQ(f["geometry"]["type"], "Polygon");
    const auto& ring = f["geometry"]["coordinates"][0];
    ASSERT_EQ(ring.size(), 65u);
    EXPECT_EQ(ring.front(), ring.back());
    EXPECT_TRUE(f["properties"].contains("llr"));
    EXPECT_TRUE(f["properties"].contains("p_value"));
  }
  const auto csv = on_db({"threat", "hotspots", "--replications", "9", "--mode", "prospective", "--format", "csv"});
  ASSERT_EQ(csv.code, 0) << csv.err;
  EXPECT_EQ(csv.out.substr(0, csv.out.find('\n')),
            "rank,centre_id,centre_name,lat,lon,radius_km,n_areas,areas,start,end,observed,expected,relative_risk,"
            "llr,p_value,p_value_monte_carlo,p_value_gumbel");
}

TEST_F(Threat, BadInputIsAClearErrorAndWritesNothing) {
  // the demo database's bytes (an empty WAL file appearing on a read is no write)
  auto bytes = [&] {
    return read_file(db) + "|" + (std::filesystem::exists(db + "-wal") ? read_file(db + "-wal") : std::string());
  };
  const std::string before = bytes();
  auto r = on_db({"threat", "hotspots", "--model", "bogus"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("--model"), std::string::npos);
  r = on_db({"threat", "hotspots", "--measure", "deaths"});
  EXPECT_EQ(r.code, 1);
  r = on_db({"threat", "index", "--lambda", "0"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("lambda"), std::string::npos);
  r = on_db({"threat", "index", "--month", "1999-01"});
  EXPECT_EQ(r.code, 1);
  r = on_db({"threat", "panel", "--level", "district"});
  EXPECT_EQ(r.code, 3);
  EXPECT_NE(r.err.find("province"), std::string::npos);  // names the levels there are
  r = on_db({"threat", "index", "--weights", path("missing.yaml")});
  EXPECT_EQ(r.code, 3);
  const auto w = write("bad.yaml", "vac_events: 1\nbattle_events: lots\n");
  r = on_db({"threat", "index", "--weights", w});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("bad.yaml:2"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("battle_events"), std::string::npos) << r.err;
  EXPECT_TRUE(bytes() == before);
}

// Issue 19: the scan's p-value methods, SaTScan's secondary rule, the null
// distribution and the SaTScan export are reachable from the CLI.
TEST_F(Threat, HotspotsPValueMethodsNullSummaryAndSatscanExport) {
  const std::vector<std::string> base{"threat", "hotspots", "--level", "territory", "--replications", "99"};
  auto with = [&](std::vector<std::string> more) {
    auto a = base;
    a.insert(a.end(), more.begin(), more.end());
    return json_of(a);
  };
  const json mc = with({});
  EXPECT_EQ(mc["p_value_method"], "montecarlo");
  EXPECT_EQ(mc["null_summary"]["count"], 99);
  EXPECT_GE(mc["null_summary"]["critical_05"].get<double>(), mc["null_summary"]["q50"].get<double>());
  const json gu = with({"--p-value", "gumbel"});
  EXPECT_EQ(gu["p_value_method"], "gumbel");
  EXPECT_EQ(gu["clusters"][0]["p_value"], gu["clusters"][0]["p_value_gumbel"]);
  const json sq = with({"--p-value", "sequential", "--sequential-exceedances", "5"});
  EXPECT_EQ(sq["p_value_method"], "sequential");
  const json sat = with({"--secondary", "satscan"});
  EXPECT_EQ(sat["secondary"], "satscan");
  EXPECT_EQ(sat["clusters"][0]["llr"], mc["clusters"][0]["llr"]) << "the primary cluster does not depend on the rule";
  EXPECT_EQ(on_db({"threat", "hotspots", "--p-value", "exact"}).code, 1);
  auto exp = base;
  exp.insert(exp.end(), {"--export-satscan", path("satscan")});
  const auto r = on_db(exp);
  ASSERT_EQ(r.code, 0) << r.err;
  for (const char* f : {"cases.cas", "coordinates.geo", "population.pop", "analysis.prm"}) {
    EXPECT_TRUE(std::filesystem::exists(path("satscan") + "/" + f)) << f;
  }
  EXPECT_NE(read_file(path("satscan") + "/analysis.prm").find("MonteCarloReps=99"), std::string::npos);
  // Never into a folder with files in it.
  EXPECT_EQ(on_db(exp).code, 1);
}

}  // namespace
}  // namespace endstate::testing
