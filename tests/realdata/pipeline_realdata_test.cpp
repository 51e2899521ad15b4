// The CLI over the real datasets in ../shared/data: DR Congo's 26 provinces
// dissolved from the pre-2015 districts, the UCDP GED sample and both Geo-PKO
// files, each assigned to provinces or reported outside them.

#include <nlohmann/json.hpp>

#include "../cli/cli_harness.hpp"

namespace endstate::testing {
namespace {

using nlohmann::json;

class RealPipeline : public CliFixture {
 protected:
  void SetUp() override {
    CliFixture::SetUp();
    if (!have_shared_data()) return;
    const auto b = shared_data_dir() / "drc" / "boundaries";
    auto r = run({"areas", "import", (b / "country.geojson").string(), "--level", "country", "--format", "json"});
    ASSERT_EQ(r.code, 0) << r.err;
    country_id_ = first_id("country");
    r = run({"areas", "import", (b / "districts_pre2015.geojson").string(), "--level", "district", "--id-field",
             "wof:id", "--name-field", "wof:name", "--dissolve-by", (b / "district_to_province_2015.csv").string(),
             "--key", "wof_id", "--into", "province_2015", "--into-parent", country_id_, "--format", "json"});
    ASSERT_EQ(r.code, 0) << r.err;
    const json s = json::parse(r.out);
    EXPECT_EQ(s["imported"], 26 + 51);
  }
  std::string first_id(const std::string& level) {
    const auto r = run({"areas", "list", "--level", level, "--format", "json"});
    EXPECT_EQ(r.code, 0) << r.err;
    return json::parse(r.out)["areas"].at(0)["id"];
  }
  /// The listing's rows (the document's "areas", "events" or "sites" array, named after the noun).
  json list(const std::vector<std::string>& args) {
    const auto r = run(args);
    EXPECT_EQ(r.code, 0) << r.err;
    const json doc = json::parse(r.out);
    EXPECT_EQ(doc["format_version"], 1);
    return doc[args.at(0)];
  }
  std::string country_id_;
};

TEST_F(RealPipeline, TwentySixProvincesCoverTheCountry) {
  ENDSTATE_REQUIRE_SHARED_DATA();
  const json provinces = list({"areas", "list", "--level", "province", "--format", "json"});
  ASSERT_EQ(provinces.size(), 26u);
  const json country = list({"areas", "list", "--level", "country", "--format", "json"});
  double sum = 0;
  for (const auto& p : provinces) {
    sum += p["area_km2"].get<double>();
    EXPECT_EQ(p["parent_id"], country_id_);
  }
  const double total = country.at(0)["area_km2"].get<double>();
  EXPECT_NEAR(sum / total, 1.0, 0.01) << "provinces " << sum << " km2, country " << total << " km2";
  EXPECT_NEAR(total, 2.345e6, 0.03e6);  // DR Congo: 2,345,000 km2
  // Every district has exactly one province as parent.
  const json districts = list({"areas", "list", "--level", "district", "--format", "json"});
  ASSERT_EQ(districts.size(), 51u);
  std::set<std::string> province_ids;
  for (const auto& p : provinces) province_ids.insert(p["id"]);
  for (const auto& d : districts) EXPECT_TRUE(province_ids.count(d["parent_id"])) << d.dump();
}

TEST_F(RealPipeline, GedSampleAssignsTheCongoleseEvents) {
  ENDSTATE_REQUIRE_SHARED_DATA();
  const auto r = run({"events", "import", (shared_data_dir() / "ucdp" / "ged231_sample1000.csv").string(), "--source",
                      "ucdp", "--format", "json"});
  ASSERT_EQ(r.code, 0) << r.err;
  const json s = json::parse(r.out);
  EXPECT_EQ(s["read"], 1000);
  EXPECT_EQ(s["imported"], 1000);
  EXPECT_EQ(s["rejected"], 0) << s.dump(1);
  EXPECT_EQ(s["outside_areas"], 1000 - 35);
  const json in_drc = list({"events", "list", "--area", country_id_, "--level", "province", "--format", "json"});
  ASSERT_EQ(in_drc.size(), 35u);
  // The provinces rebuilt from districts leave out the great lakes (the
  // country outline includes them): the one event placed on Lake Albert is in
  // the country but in no province. Every other one has its province.
  std::vector<std::string> without_province;
  for (const auto& e : in_drc) {
    EXPECT_EQ(e["country"], "DR Congo (Zaire)");
    if (e["area"].is_null()) without_province.push_back(e["location"]);
  }
  EXPECT_EQ(without_province, std::vector<std::string>{"Lake Albert (off Irumu)"});
  // "Nord-Kivu" names both a district and a province: the name is refused as
  // ambiguous, the id works.
  const auto ambiguous = run({"events", "list", "--area", "Nord-Kivu", "--format", "json"});
  EXPECT_EQ(ambiguous.code, 2);
  EXPECT_NE(ambiguous.err.find("ambiguous"), std::string::npos) << ambiguous.err;
  const json nk = list({"events", "list", "--area", "nord-kivu", "--format", "json"});
  EXPECT_GT(nk.size(), 0u);
  // Importing again adds nothing.
  const auto again = run({"events", "import", (shared_data_dir() / "ucdp" / "ged231_sample1000.csv").string(),
                          "--source", "ucdp", "--format", "json"});
  EXPECT_EQ(json::parse(again.out)["duplicates"], 1000);
}

void check_geopko(RealPipeline& t, const std::string& file, std::function<json(const std::vector<std::string>&)> list,
                  std::function<RunResult(const std::vector<std::string>&)> run) {
  const auto r = run({"sites", "import", (shared_data_dir() / "drc" / "peacekeeping" / file).string(), "--source",
                      "geopko", "--format", "json"});
  ASSERT_EQ(r.code, 0) << r.err;
  const json s = json::parse(r.out);
  EXPECT_EQ(s["rejected"], 0) << s.dump(1);
  EXPECT_GT(s["imported"].get<int>(), 0);
  const json sites = list({"sites", "list", "--format", "json"});
  int outside = 0;
  for (const auto& site : sites) {
    for (const char* k : {"name", "admin1", "admin2"}) {
      EXPECT_EQ(site[k].get<std::string>().find("\xC3\x83"), std::string::npos) << "not repaired: " << site.dump();
    }
    if (site["areas"].empty()) {
      ++outside;
      // Outside every province only when the site is abroad (liaison offices in Kampala, Kigali, ...).
      EXPECT_NE(site["country"], "DRC") << site.dump();
      EXPECT_EQ(site["country"].get<std::string>().find("Congo, Democratic"), std::string::npos) << site.dump();
    }
  }
  EXPECT_EQ(outside, s["outside_areas"].get<int>());
  EXPECT_GT(outside, 0) << "the liaison offices abroad should be reported";
  (void)t;
}

TEST_F(RealPipeline, GeoPkoMapLevelSitesAreAssignedOrAbroad) {
  ENDSTATE_REQUIRE_SHARED_DATA();
  check_geopko(
      *this, "geopko_v2.0_monuc_monusco_maplevel.csv", [&](auto a) { return list(a); }, [&](auto a) { return run(a); });
  // Équateur is spelled right after the repair.
  const json eq = list({"sites", "list", "--area", "Équateur", "--format", "json"});
  EXPECT_GT(eq.size(), 0u);
}

TEST_F(RealPipeline, GeoPkoLocationYearSitesAreAssignedOrAbroad) {
  ENDSTATE_REQUIRE_SHARED_DATA();
  check_geopko(
      *this, "geopko_v2.3_frontmap_monuc_monusco.csv", [&](auto a) { return list(a); }, [&](auto a) { return run(a); });
}

}  // namespace
}  // namespace endstate::testing
