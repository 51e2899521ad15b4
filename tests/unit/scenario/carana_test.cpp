// The default Carana, generated once: files, counts, formats (UCDP GED 49
// columns, Geo-PKO v2.3, observations CSV, GeoJSON), geometry (tiling,
// containment), drawdown, and determinism.

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include "endstate/core/rng.hpp"
#include "endstate/core/types.hpp"
#include "endstate/scenario/carana.hpp"
#include "scenario_test_util.hpp"

namespace endstate::scenario {
namespace {

using testing::area_km2;
using testing::contains;
using testing::read_shapes;
using testing::read_table;
using testing::Shape;
using testing::Table;
using testing::TempDir;
using testing::to_double;
using testing::to_int;

const std::vector<std::string> kGedColumns = {"id",
                                              "relid",
                                              "year",
                                              "active_year",
                                              "code_status",
                                              "type_of_violence",
                                              "conflict_dset_id",
                                              "conflict_new_id",
                                              "conflict_name",
                                              "dyad_dset_id",
                                              "dyad_new_id",
                                              "dyad_name",
                                              "side_a_dset_id",
                                              "side_a_new_id",
                                              "side_a",
                                              "side_b_dset_id",
                                              "side_b_new_id",
                                              "side_b",
                                              "number_of_sources",
                                              "source_article",
                                              "source_office",
                                              "source_date",
                                              "source_headline",
                                              "source_original",
                                              "where_prec",
                                              "where_coordinates",
                                              "where_description",
                                              "adm_1",
                                              "adm_2",
                                              "latitude",
                                              "longitude",
                                              "geom_wkt",
                                              "priogrid_gid",
                                              "country",
                                              "country_id",
                                              "region",
                                              "event_clarity",
                                              "date_prec",
                                              "date_start",
                                              "date_end",
                                              "deaths_a",
                                              "deaths_b",
                                              "deaths_civilians",
                                              "deaths_unknown",
                                              "best",
                                              "high",
                                              "low",
                                              "gwnoa",
                                              "gwnob"};

constexpr std::uint64_t kSeed = 7;

class DefaultCarana : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir("default");
    data_ = new GeneratedDataset(generate_carana(default_config(), kSeed, dir_->str()));
  }
  static void TearDownTestSuite() {
    delete data_;
    delete dir_;
    data_ = nullptr;
    dir_ = nullptr;
  }
  static const GeneratedDataset& ds() { return *data_; }
  static TempDir* dir_;
  static GeneratedDataset* data_;
};
TempDir* DefaultCarana::dir_ = nullptr;
GeneratedDataset* DefaultCarana::data_ = nullptr;

TEST_F(DefaultCarana, WritesEveryFileAndReportsWhatItWrote) {
  for (const auto& p : {ds().country_geojson, ds().territories_geojson, ds().crosswalk_csv, ds().localities_csv,
                        ds().events_csv, ds().sites_csv, ds().observations_csv, ds().framework_yaml, ds().tasks_yaml,
                        ds().config_yaml, ds().plan_end_state_yaml, ds().plan_end_date_yaml}) {
    ASSERT_TRUE(std::filesystem::exists(p)) << p;
    EXPECT_GT(std::filesystem::file_size(p), 100u) << p;
  }
  const CaranaConfig c = default_config();
  EXPECT_EQ(ds().provinces, c.provinces);
  EXPECT_EQ(ds().territories, c.territories);
  EXPECT_EQ(ds().localities, c.localities);
  EXPECT_EQ(ds().population, static_cast<std::int64_t>(c.population));
  EXPECT_EQ(ds().groups, 5);
  EXPECT_EQ(ds().first_year, c.first_year);
  EXPECT_EQ(ds().last_year, c.first_year + c.years - 1);
  EXPECT_EQ(read_table(ds().events_csv).rows.size(), static_cast<std::size_t>(ds().events));
  EXPECT_EQ(read_table(ds().localities_csv).rows.size(), static_cast<std::size_t>(ds().localities));
  EXPECT_EQ(read_table(ds().crosswalk_csv).rows.size(), static_cast<std::size_t>(ds().territories));
  EXPECT_EQ(read_table(ds().observations_csv).rows.size(), static_cast<std::size_t>(ds().observations));
  EXPECT_EQ(ds().observations, 5 * c.provinces * 12 * c.years);
  const Table sites = read_table(ds().sites_csv);
  EXPECT_EQ(sites.rows.size(), static_cast<std::size_t>(ds().deployments));
  std::set<std::string> locations;
  for (const auto& r : sites.rows) locations.insert(r[3]);
  EXPECT_EQ(locations.size(), static_cast<std::size_t>(ds().sites));
  std::int64_t sum = 0;
  for (auto n : ds().events_by_year) sum += n;
  EXPECT_EQ(sum, ds().events);
  ASSERT_EQ(ds().province_trajectories.size(), 8u);
  for (Trajectory t : {Trajectory::kStabilising, Trajectory::kDeteriorating, Trajectory::kEscalation,
                       Trajectory::kQuiet, Trajectory::kSteady})
    EXPECT_NE(std::find(ds().province_trajectories.begin(), ds().province_trajectories.end(), t),
              ds().province_trajectories.end())
        << to_string(t);
}

TEST_F(DefaultCarana, TerritoriesTileTheCountryWithoutGapsOrOverlaps) {
  const auto country = read_shapes(ds().country_geojson);
  ASSERT_EQ(country.size(), 1u);
  EXPECT_EQ(country[0].id, "carana");
  EXPECT_EQ(country[0].name, "Carana");
  EXPECT_EQ(country[0].population, ds().population);
  const auto terr = read_shapes(ds().territories_geojson);
  ASSERT_EQ(terr.size(), 40u);
  // Same projection for all, so the areas add up exactly when there are no gaps or overlaps.
  const double lat0 = (country[0].min_lat + country[0].max_lat) / 2;
  double sum = 0;
  for (const auto& t : terr) sum += area_km2(t, lat0);
  const double area = area_km2(country[0], lat0);
  EXPECT_NEAR(sum / area, 1.0, 1e-6);
  // About the size of eastern DR Congo: a 700 x 900 km box, mostly filled.
  EXPECT_GT(area, 0.6 * 700 * 900);
  EXPECT_LT(area, 1.0 * 700 * 900);
  // Random points: inside the country <=> in exactly one territory.
  Rng rng(99);
  const Shape& c = country[0];
  int inside = 0;
  for (int i = 0; i < 4000; ++i) {
    const double lat = c.min_lat + (c.max_lat - c.min_lat) * rng.uniform();
    const double lon = c.min_lon + (c.max_lon - c.min_lon) * rng.uniform();
    int n = 0;
    for (const auto& t : terr) n += contains(t, lat, lon) ? 1 : 0;
    const bool in = contains(c, lat, lon);
    inside += in;
    ASSERT_EQ(n, in ? 1 : 0) << lat << "," << lon;
  }
  EXPECT_GT(inside, 2000);
}

TEST_F(DefaultCarana, CrosswalkGroupsTerritoriesIntoNamedProvinces) {
  const auto terr = read_shapes(ds().territories_geojson);
  const Table xw = read_table(ds().crosswalk_csv);
  ASSERT_EQ(xw.header, (std::vector<std::string>{"territory_id", "province"}));
  std::map<std::string, std::string> province_of;
  for (const auto& r : xw.rows) EXPECT_TRUE(province_of.emplace(r[0], r[1]).second) << "duplicate " << r[0];
  std::map<std::string, int> per_province;
  for (const auto& t : terr) {
    ASSERT_TRUE(province_of.count(t.id)) << t.id;
    EXPECT_EQ(province_of[t.id], t.province);
    EXPECT_FALSE(t.name.empty());
    ++per_province[t.province];
  }
  ASSERT_EQ(per_province.size(), 8u);
  for (const auto& name : ds().province_names) {
    EXPECT_GE(per_province[name], 2) << name;
    EXPECT_LE(per_province[name], 10) << name;
  }
}

TEST_F(DefaultCarana, LocalitiesAreInsideTheirTerritoryWithHeavyTailedPopulation) {
  const auto terr = read_shapes(ds().territories_geojson);
  std::map<std::string, const Shape*> by_id;
  for (const auto& t : terr) by_id[t.id] = &t;
  const Table loc = read_table(ds().localities_csv);
  ASSERT_EQ(loc.header,
            (std::vector<std::string>{"id", "name", "latitude", "longitude", "population", "territory_id"}));
  std::map<std::string, std::int64_t> pop;
  std::vector<std::int64_t> sizes;
  std::set<std::string> ids, names;
  for (const auto& r : loc.rows) {
    EXPECT_TRUE(ids.insert(r[0]).second);
    EXPECT_TRUE(names.insert(r[1]).second) << r[1];
    ASSERT_TRUE(by_id.count(r[5])) << r[5];
    EXPECT_TRUE(contains(*by_id[r[5]], to_double(r[2]), to_double(r[3]))) << r[0];
    pop[r[5]] += to_int(r[4]);
    sizes.push_back(to_int(r[4]));
    EXPECT_GT(sizes.back(), 0);
  }
  for (const auto& t : terr) EXPECT_EQ(t.population, pop[t.id]) << t.id;
  std::sort(sizes.rbegin(), sizes.rend());
  std::int64_t total = 0, top = 0;
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    total += sizes[i];
    if (i < sizes.size() / 100) top += sizes[i];
  }
  EXPECT_EQ(total, 20'000'000);
  EXPECT_GT(static_cast<double>(top) / static_cast<double>(total), 0.15);  // a few cities
  EXPECT_GT(sizes[0], 50 * sizes[sizes.size() / 2]);
}

TEST_F(DefaultCarana, EventsAreWellFormedUcdpGed) {
  const std::string header = testing::first_line(ds().events_csv);
  std::string expected;
  for (const auto& c : kGedColumns) expected += (expected.empty() ? "\"" : ",\"") + c + "\"";
  EXPECT_EQ(header, expected);
  ASSERT_EQ(kGedColumns.size(), 49u);

  const Table ev = read_table(ds().events_csv);
  ASSERT_EQ(ev.header, kGedColumns);
  const auto country = read_shapes(ds().country_geojson)[0];
  const auto terr = read_shapes(ds().territories_geojson);
  std::map<std::string, const Shape*> territory_by_name;
  for (const auto& t : terr) territory_by_name[t.name] = &t;
  std::set<std::string> ids, relids;
  auto col = [&](const char* name) { return ev.col(name); };
  const int c_id = col("id"), c_relid = col("relid"), c_year = col("year"), c_type = col("type_of_violence"),
            c_sideb = col("side_b"), c_sideb_id = col("side_b_dset_id"), c_lat = col("latitude"),
            c_lon = col("longitude"), c_wkt = col("geom_wkt"), c_gid = col("priogrid_gid"), c_adm1 = col("adm_1"),
            c_adm2 = col("adm_2"), c_ds = col("date_start"), c_de = col("date_end"), c_a = col("deaths_a"),
            c_b = col("deaths_b"), c_civ = col("deaths_civilians"), c_unk = col("deaths_unknown"), c_best = col("best"),
            c_high = col("high"), c_low = col("low"), c_country = col("country"), c_cid = col("country_id"),
            c_gwnoa = col("gwnoa"), c_prec = col("where_prec"), c_nsrc = col("number_of_sources"),
            c_office = col("source_office");
  for (const auto& r : ev.rows) {
    ASSERT_EQ(r.size(), 49u);
    EXPECT_TRUE(ids.insert(r[c_id]).second) << r[c_id];
    EXPECT_TRUE(relids.insert(r[c_relid]).second) << r[c_relid];
    for (const auto& f : r) EXPECT_FALSE(f.empty()) << "empty field in event " << r[c_id];
    const int type = static_cast<int>(to_int(r[c_type]));
    ASSERT_TRUE(type >= 1 && type <= 3);
    if (type == 3) {
      EXPECT_EQ(r[c_sideb], "Civilians");
      EXPECT_EQ(r[c_sideb_id], "1");
      EXPECT_EQ(r[c_gwnoa], "NA");
    }
    if (type == 1) {
      EXPECT_EQ(r[c_gwnoa], "999");
    }
    const double lat = to_double(r[c_lat]), lon = to_double(r[c_lon]);
    ASSERT_TRUE((LatLon{lat, lon}.valid()));
    EXPECT_TRUE(lat >= country.min_lat && lat <= country.max_lat && lon >= country.min_lon && lon <= country.max_lon);
    EXPECT_EQ(r[c_wkt], "POINT (" + r[c_lon] + " " + r[c_lat] + ")");
    const auto row = static_cast<std::int64_t>(std::floor((lat + 90) / 0.5));
    const auto gcol = static_cast<std::int64_t>(std::floor((lon + 180) / 0.5));
    EXPECT_EQ(to_int(r[c_gid]), row * 720 + gcol + 1);
    ASSERT_TRUE(territory_by_name.count(r[c_adm2])) << r[c_adm2];
    const Shape& t = *territory_by_name[r[c_adm2]];
    EXPECT_EQ(t.province, r[c_adm1]);
    EXPECT_TRUE(contains(t, lat, lon)) << "event " << r[c_id] << " outside " << t.name;
    const auto ds_ = Date::parse(r[c_ds]), de_ = Date::parse(r[c_de]);
    ASSERT_TRUE(ds_ && de_);
    EXPECT_LE(*ds_, *de_);
    EXPECT_EQ(ds_->year(), to_int(r[c_year]));
    EXPECT_EQ(de_->year(), to_int(r[c_year]));
    EXPECT_GE(ds_->year(), 2012);
    EXPECT_LE(de_->year(), 2024);
    const std::int64_t best = to_int(r[c_best]);
    EXPECT_EQ(best, to_int(r[c_a]) + to_int(r[c_b]) + to_int(r[c_civ]) + to_int(r[c_unk]));
    if (type == 3) {
      EXPECT_EQ(to_int(r[c_civ]), best);
    }
    EXPECT_LE(to_int(r[c_low]), best);
    EXPECT_LE(best, to_int(r[c_high]));
    EXPECT_GE(to_int(r[c_low]), 0);
    EXPECT_EQ(r[c_country], "Carana");
    EXPECT_EQ(r[c_cid], "999");
    const auto prec = to_int(r[c_prec]);
    EXPECT_TRUE(prec >= 1 && prec <= 3);
    const auto nsrc = to_int(r[c_nsrc]);
    EXPECT_EQ(static_cast<std::int64_t>(std::count(r[c_office].begin(), r[c_office].end(), ';')) + 1, nsrc);
  }
  // Rows are in date order.
  for (std::size_t i = 1; i < ev.rows.size(); ++i) ASSERT_LE(ev.rows[i - 1][c_year], ev.rows[i][c_year]);
}

TEST_F(DefaultCarana, EventsQuoteLikeUcdp) {
  // Strings quoted (inner quotes doubled), numbers and dates bare, missing values bare NA.
  std::ifstream in(ds().events_csv);
  std::string line;
  std::getline(in, line);
  std::getline(in, line);
  EXPECT_TRUE(line.rfind("900001,\"CRN-", 0) == 0) << line;
  EXPECT_NE(line.find(",\"Clear\","), std::string::npos);
  EXPECT_NE(line.find("\"\""), std::string::npos);  // source_article holds quoted references
  EXPECT_NE(line.find(",NA"), std::string::npos);
  EXPECT_EQ(line.find(",\"NA\""), std::string::npos);
}

TEST_F(DefaultCarana, SitesFollowGeoPkoWithAPartialDrawdown) {
  const Table s = read_table(ds().sites_csv);
  EXPECT_EQ(testing::first_line(ds().sites_csv),
            "mission,year,country,location,latitude,longitude,Infantry,NoTroops,Reserve,hq,UNPOL,Med,Av,UNMO,"
            "ave.no.troops");
  const auto country = read_shapes(ds().country_geojson)[0];
  const auto terr = read_shapes(ds().territories_geojson);
  std::map<int, int> mission_hq_per_year;
  std::map<int, std::int64_t> troops;
  std::map<int, std::set<std::string>> open;
  std::map<std::string, std::string> province_of_site;
  for (const auto& r : s.rows) {
    ASSERT_EQ(r.size(), 15u);
    EXPECT_EQ(r[0], "UNMIC");
    const int year = static_cast<int>(to_int(r[1]));
    EXPECT_TRUE(year >= 2012 && year <= 2024);
    EXPECT_EQ(r[2], "Carana");
    const double lat = to_double(r[4]), lon = to_double(r[5]);
    EXPECT_TRUE(contains(country, lat, lon)) << r[3];
    for (const auto& t : terr)
      if (contains(t, lat, lon)) province_of_site[r[3]] = t.province;
    const auto infantry = to_int(r[6]), no_troops = to_int(r[7]);
    EXPECT_LE(infantry, no_troops);
    const auto hq = to_int(r[9]);
    EXPECT_TRUE(hq >= 0 && hq <= 3);
    if (hq == 3) ++mission_hq_per_year[year];
    for (int c : {10, 11, 13}) EXPECT_TRUE(r[c] == "0" || r[c] == "1");
    EXPECT_EQ(r[14], r[7]);
    troops[year] += no_troops;
    open[year].insert(r[3]);
  }
  for (int y = 2012; y <= 2024; ++y) {
    EXPECT_EQ(mission_hq_per_year[y], 1) << y;
    EXPECT_EQ(troops[y], ds().troops_by_year[static_cast<std::size_t>(y - 2012)]);
  }
  std::int64_t peak = 0;
  for (const auto& [y, t] : troops) peak = std::max(peak, t);
  const double share = default_config().drawdown_share;
  EXPECT_NEAR(static_cast<double>(troops[2024]) / static_cast<double>(peak), 1 - share, 0.02);
  EXPECT_GT(troops[2023], troops[2024]);
  // Bases open before the drawdown close more often in stabilising and quiet provinces than elsewhere.
  std::map<std::string, Trajectory> traj;
  for (std::size_t p = 0; p < ds().province_names.size(); ++p)
    traj[ds().province_names[p]] = ds().province_trajectories[p];
  int calm = 0, calm_closed = 0, other = 0, other_closed = 0;
  for (const auto& loc : open[2020]) {
    const Trajectory t = traj[province_of_site[loc]];
    const bool is_calm = t == Trajectory::kStabilising || t == Trajectory::kQuiet;
    const bool closed = open[2024].count(loc) == 0;
    (is_calm ? calm : other) += 1;
    (is_calm ? calm_closed : other_closed) += closed ? 1 : 0;
  }
  EXPECT_GE(calm_closed + other_closed, 2);
  ASSERT_GT(calm, 0);
  ASSERT_GT(other, 0);
  EXPECT_GT(static_cast<double>(calm_closed) / calm, static_cast<double>(other_closed) / other);
}

TEST_F(DefaultCarana, ObservationsFollowTheTrajectories) {
  const Table t = read_table(ds().observations_csv);
  ASSERT_EQ(t.header, (std::vector<std::string>{"indicator", "area", "month", "value", "source"}));
  std::map<std::string, std::map<std::string, std::vector<double>>> series;  // indicator -> province -> months
  std::set<std::string> months;
  for (const auto& r : t.rows) {
    ASSERT_TRUE(Month::parse(r[2]).has_value()) << r[2];
    months.insert(r[2]);
    series[r[0]][r[1]].push_back(to_double(r[3]));
    EXPECT_FALSE(r[4].empty());
  }
  EXPECT_EQ(*months.begin(), "2012-01");
  EXPECT_EQ(*months.rbegin(), "2024-12");
  EXPECT_EQ(months.size(), 156u);
  for (const char* ind :
       {"state_authority_presence", "courts_functioning", "ddr_caseload", "idp_returns", "police_per_100k"}) {
    ASSERT_EQ(series[ind].size(), 8u) << ind;
    for (const auto& [p, v] : series[ind]) {
      ASSERT_EQ(v.size(), 156u);
      for (double x : v) EXPECT_GE(x, 0);
    }
  }
  auto mean = [](const std::vector<double>& v, std::size_t from, std::size_t to) {
    double s = 0;
    for (std::size_t i = from; i < to; ++i) s += v[i];
    return s / static_cast<double>(to - from);
  };
  for (std::size_t p = 0; p < ds().province_names.size(); ++p) {
    const auto& name = ds().province_names[p];
    const auto& sap = series["state_authority_presence"][name];
    const auto& courts = series["courts_functioning"][name];
    const auto& returns = series["idp_returns"][name];
    for (double x : sap) EXPECT_LE(x, 100);
    const double first = mean(sap, 0, 12), last = mean(sap, 144, 156);
    switch (ds().province_trajectories[p]) {
      case Trajectory::kStabilising:
        EXPECT_GT(last, first + 15) << name;
        EXPECT_GT(mean(courts, 144, 156), mean(courts, 0, 12) + 10) << name;
        EXPECT_GT(mean(returns, 144, 156), 2 * mean(returns, 0, 12)) << name;
        break;
      case Trajectory::kDeteriorating:
        EXPECT_LT(last, first - 10) << name;
        EXPECT_LT(mean(returns, 144, 156), mean(returns, 0, 12)) << name;
        break;
      case Trajectory::kEscalation:
        EXPECT_LT(last, mean(sap, 0, 120) - 10) << name;
        break;
      case Trajectory::kQuiet:
        EXPECT_GT(mean(sap, 0, 156), 75) << name;
        break;
      case Trajectory::kSteady:
        EXPECT_NEAR(last, first, 10) << name;
        break;
    }
  }
}

TEST_F(DefaultCarana, FrameworkAndTasksReferToWhatExists) {
  const YAML::Node fw = YAML::LoadFile(ds().framework_yaml)["framework"];
  ASSERT_TRUE(fw.IsMap());
  std::set<std::string> indicators, benchmarks, observed;
  for (const auto& r : read_table(ds().observations_csv).rows) observed.insert(r[0]);
  for (const auto& i : fw["indicators"]) {
    indicators.insert(i["id"].as<std::string>());
    const auto source = i["source"].as<std::string>();
    if (source == "observed") {
      EXPECT_TRUE(observed.count(i["observed"]["indicator"].as<std::string>())) << i["id"];
    } else {
      EXPECT_EQ(source, "events");
      EXPECT_GT(i["derivation"]["window_months"].as<int>(), 0);
    }
    const auto dir = i["direction"].as<std::string>();
    EXPECT_TRUE(dir == "lower_is_better" || dir == "higher_is_better");
  }
  int core = 0, contextual = 0;
  for (const auto& b : fw["benchmarks"]) {
    benchmarks.insert(b["id"].as<std::string>());
    for (const auto& i : b["indicators"]) EXPECT_TRUE(indicators.count(i.as<std::string>())) << b["id"];
    const auto kind = b["kind"].as<std::string>();
    core += kind == "core";
    contextual += kind == "contextual";
  }
  std::set<std::string> stakeholders;
  for (const auto& s : fw["stakeholders"]) {
    stakeholders.insert(s["id"].as<std::string>());
    EXPECT_GT(s["sustain_months"].as<int>(), 0);
    for (const auto& id : indicators) EXPECT_TRUE(s["thresholds"][id].IsDefined()) << s["id"] << " " << id;
  }
  EXPECT_EQ(stakeholders, (std::set<std::string>{"government", "un", "humanitarian", "communities"}));
  EXPECT_GE(core, 2);
  EXPECT_GE(contextual, 4);
  EXPECT_EQ(fw["area_level"].as<std::string>(), "province");

  // The task register (docs/tasks.md): every mandate area, known places, dependencies, benchmarks and partners.
  const YAML::Node reg = YAML::LoadFile(ds().tasks_yaml)["register"];
  ASSERT_TRUE(reg.IsMap());
  EXPECT_EQ(reg["budget_years"].size(), 3u);
  const YAML::Node tasks = reg["tasks"];
  ASSERT_TRUE(tasks.IsSequence());
  std::set<std::string> ids, partners, areas;
  for (const auto& t : tasks) ids.insert(t["id"].as<std::string>());
  for (const auto& p : reg["partners"]) {
    partners.insert(p["id"].as<std::string>());
    EXPECT_EQ(p["funding"].size(), 3u);
    EXPECT_EQ(p["capacity"].size(), 3u);
  }
  const std::set<std::string> provinces(ds().province_names.begin(), ds().province_names.end());
  for (const auto& t : tasks) {
    const int tier = t["tier"].as<int>();
    EXPECT_TRUE(tier >= 1 && tier <= 3);
    areas.insert(t["area"].as<std::string>());
    for (const auto& d : t["depends_on"]) EXPECT_TRUE(ids.count(d.as<std::string>())) << d;
    for (const auto& p : t["places"]) EXPECT_TRUE(provinces.count(p.as<std::string>())) << p;
    EXPECT_GT(t["places"].size(), 0u);
    for (const auto& b : t["benchmarks"]) EXPECT_TRUE(benchmarks.count(b.as<std::string>())) << b;
    EXPECT_EQ(t["cost"].size(), 3u);
    if (t["handover"].IsDefined() && !t["handover"]["to"].IsNull()) {
      EXPECT_TRUE(partners.count(t["handover"]["to"].as<std::string>())) << t["id"];
      for (const auto& c : t["handover"]["conditions"]) EXPECT_TRUE(benchmarks.count(c.as<std::string>())) << c;
    }
  }
  EXPECT_EQ(areas.size(), 16u);  // every mandate area of docs/tasks.md
  std::set<std::string> kinds;
  for (const auto& c : reg["continuity"]) {
    kinds.insert(c["kind"].as<std::string>());
    EXPECT_FALSE(c["contact"]["name"].as<std::string>().empty());
  }
  EXPECT_EQ(kinds.size(), 3u);
}

TEST_F(DefaultCarana, WrittenConfigReproducesTheDataset) {
  const CaranaConfig loaded = load_config(ds().config_yaml);
  EXPECT_EQ(config_to_yaml(loaded), config_to_yaml(effective_config(default_config())));
  TempDir again("reload");
  generate_carana(loaded, kSeed, again.str());
  for (const char* f : {"events_ged.csv", "territories.geojson", "sites_geopko.csv", "observations.csv"})
    EXPECT_EQ(testing::read_bytes((again.path() / f).string()), testing::read_bytes((dir_->path() / f).string())) << f;
}

TEST(CaranaDeterminism, SameSeedSameBytesOtherSeedOtherData) {
  CaranaConfig c = default_config();
  c.localities = 600;
  c.territories = 24;
  TempDir a("a"), b("b"), other("c");
  const auto da = generate_carana(c, 42, a.str());
  const auto db = generate_carana(c, 42, b.str());
  const auto dc = generate_carana(c, 43, other.str());
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(a.path())) {
    const auto name = entry.path().filename();
    EXPECT_EQ(testing::read_bytes(entry.path().string()), testing::read_bytes((b.path() / name).string())) << name;
    ++files;
  }
  EXPECT_EQ(files, 12);
  EXPECT_EQ(da.events, db.events);
  EXPECT_NE(testing::read_bytes(da.events_csv), testing::read_bytes(dc.events_csv));
  EXPECT_NE(testing::read_bytes(da.territories_geojson), testing::read_bytes(dc.territories_geojson));
  EXPECT_NE(testing::read_bytes(da.localities_csv), testing::read_bytes(dc.localities_csv));
}

TEST(CaranaCounts, FollowTheConfiguration) {
  CaranaConfig c = default_config();
  c.provinces = 5;
  c.territories = 17;
  c.localities = 321;
  c.cities = 2;
  c.population = 1'234'567;
  c.years = 12;
  c.first_year = 2001;
  TempDir d("counts");
  const auto ds = generate_carana(c, 5, d.str());
  EXPECT_EQ(ds.provinces, 5);
  EXPECT_EQ(ds.territories, 17);
  EXPECT_EQ(ds.localities, 321);
  EXPECT_EQ(ds.population, 1'234'567);
  EXPECT_EQ(ds.first_year, 2001);
  EXPECT_EQ(ds.last_year, 2012);
  EXPECT_EQ(read_shapes(ds.territories_geojson).size(), 17u);
  EXPECT_EQ(read_table(ds.localities_csv).rows.size(), 321u);
  EXPECT_EQ(ds.observations, 5 * 5 * 12 * 12);
  std::set<std::string> provinces;
  for (const auto& r : read_table(ds.crosswalk_csv).rows) provinces.insert(r[1]);
  EXPECT_EQ(provinces.size(), 5u);
  const Table ev = read_table(ds.events_csv);
  EXPECT_EQ(ev.rows.size(), static_cast<std::size_t>(ds.events));
  for (const auto& r : ev.rows) {
    const auto y = to_int(r[2]);
    ASSERT_TRUE(y >= 2001 && y <= 2012) << y;
  }
}

TEST(CaranaGroups, ConfiguredGroupsAreTheOnlyActors) {
  CaranaConfig c = default_config();
  c.localities = 400;
  c.groups = {ArmedGroup{"Alpha Front", 0.0, 1.0, 20, 1.5, {0, 1}}, ArmedGroup{"Beta Band", 1.0, 0.0, 10, 2.0, {2}}};
  TempDir d("groups");
  const auto ds = generate_carana(c, 11, d.str());
  EXPECT_EQ(ds.groups, 2);
  const Table ev = read_table(ds.events_csv);
  ASSERT_GT(ev.rows.size(), 100u);
  for (const auto& r : ev.rows) {
    const auto type = r[ev.col("type_of_violence")];
    if (r[ev.col("side_b")] == "Alpha Front") {
      EXPECT_EQ(type, "1");
    } else {
      EXPECT_EQ(r[ev.col("side_a")], "Beta Band");
      EXPECT_EQ(type, "3");
    }
  }
}

}  // namespace
}  // namespace endstate::scenario
