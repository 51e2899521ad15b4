#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "endstate/core/error.hpp"
#include "endstate/core/strings.hpp"
#include "endstate/ingest/readers.hpp"
#include "ingest_test_util.hpp"

namespace endstate::ingest {
namespace {

using testing::expect_error;
using testing::SiteCollector;

/// The Geo-PKO v2.0 map-level header (columns as published).
std::vector<std::string> v20_columns() {
  std::vector<std::string> c = {"Source",   "Mission",   "year",      "month", "location", "country",
                                "latitude", "longitude", "No.troops", "RPF",   "RPF_No",   "RES",
                                "RES_No",   "FP",        "FP_No",     "No.TCC"};
  for (int i = 1; i <= 14; ++i) {
    c.push_back("name.of.TCC" + std::to_string(i));
    c.push_back("No.troops.per.TCC" + std::to_string(i));
  }
  for (const char* n : {"UNPOL..dummy.", "UNMO..dummy.", "HQ", "LO", "comments", "cow_code", "gwno", "name"}) {
    c.emplace_back(n);
  }
  for (int i = 1; i <= 14; ++i) c.push_back("TCC" + std::to_string(i));
  for (const char* n : {"ADM1_id", "ADM1_name", "ADM2_id", "ADM2_name", "PRIOID"}) c.emplace_back(n);
  return c;
}

std::string v20_row(const std::map<std::string, std::string>& set) {
  std::map<std::string, std::string> v = {{"Source", "Map no. 4412 Rev. 30"},
                                          {"Mission", "MONUSCO"},
                                          {"year", "2012"},
                                          {"month", "6"},
                                          {"location", "Mbandaka"},
                                          {"country", "DRC"},
                                          {"latitude", "0.0487"},
                                          {"longitude", "18.2603"},
                                          {"No.troops", "150"},
                                          {"FP_No", "0"},
                                          {"UNPOL..dummy.", "0"},
                                          {"UNMO..dummy.", "1"},
                                          {"HQ", "0"},
                                          {"LO", "0"},
                                          {"comments", ""},
                                          {"ADM1_name", "\xC3\x83\xE2\x80\xB0quateur"},
                                          {"ADM2_name", "Mbandaka"}};
  for (const auto& [k, x] : set) v[k] = x;
  std::vector<std::string> cells;
  for (const auto& c : v20_columns()) cells.push_back(v.count(c) ? v[c] : "NA");
  return join(cells, ",") + "\r\n";
}

std::string v20_file(const std::vector<std::string>& rows) {
  std::string s = join(v20_columns(), ",") + "\r\n";
  for (const auto& r : rows) s += r;
  return s;
}

const char* kV23Header =
    "mission,year,country,location,latitude,longitude,Infantry,NoTroops,Reserve,hq,UNPOL,Med,Av,UNMO,"
    "ave.no.troops\n";

class Sites : public testing::TempDir {
 protected:
  SiteCollector read(const std::string& content, SiteSource source = SiteSource::kGeoPko) {
    SiteCollector sink;
    read_sites(write("sites.csv", content), source, sink);
    return sink;
  }
};

TEST_F(Sites, GeoPkoV20MapLevel) {
  auto sink = read(v20_file({v20_row({})}));
  ASSERT_TRUE(sink.rejects.empty()) << sink.rejects[0].reason;
  ASSERT_EQ(sink.rows.size(), 1u);
  const Site& s = sink.rows[0].site;
  const Deployment& d = sink.rows[0].deployment;
  EXPECT_EQ(sink.rows[0].line, 2);
  EXPECT_EQ(s.mission, "MONUSCO");
  EXPECT_EQ(s.name, "Mbandaka");
  EXPECT_EQ(s.country, "DRC");
  EXPECT_EQ(s.admin1, "\xC3\x89quateur");  // repaired from the double-encoded "Ã‰quateur"
  EXPECT_EQ(s.admin2, "Mbandaka");
  EXPECT_EQ(s.key, "MONUSCO|Mbandaka|0.0487|18.2603");
  EXPECT_EQ(s.kind, "company_base");
  EXPECT_EQ(d.site_key, s.key);
  EXPECT_EQ(d.period_start.str(), "2012-06");
  EXPECT_EQ(d.period_end.str(), "2012-06");
  EXPECT_EQ(d.source, "geopko-2.0 Map no. 4412 Rev. 30");
  EXPECT_EQ(d.troops, 150);
  EXPECT_EQ(d.police, 0);
  EXPECT_EQ(d.observers, 1);
  EXPECT_EQ(d.hq, 0);
}

TEST_F(Sites, GeoPkoV20PoliceAndNotes) {
  auto sink = read(v20_file(
      {v20_row({{"FP_No", "140"}, {"UNPOL..dummy.", "1"}, {"No.troops", "0"}, {"comments", "\"FPU, Bangladesh\""}}),
       v20_row({{"FP_No", "unknown"}, {"UNPOL..dummy.", "1"}, {"No.troops", "0"}})}));
  ASSERT_EQ(sink.rows.size(), 2u);
  EXPECT_EQ(sink.rows[0].deployment.police, 141);
  EXPECT_EQ(sink.rows[0].deployment.notes, "FPU, Bangladesh");
  EXPECT_EQ(sink.rows[0].site.kind, "police_post");
  EXPECT_EQ(sink.rows[1].deployment.police, 1);  // FP_No not numeric counts as 0
}

TEST_F(Sites, GeoPkoV20Kinds) {
  auto sink = read(v20_file({v20_row({{"HQ", "3"}, {"LO", "1"}}), v20_row({{"HQ", "2"}}),
                             v20_row({{"HQ", "1"}, {"No.troops", "650"}}),
                             v20_row({{"LO", "1"}, {"No.troops", "0"}, {"comments", "4 liaison officers"}}),
                             v20_row({{"No.troops", "0"}, {"UNMO..dummy.", "1"}})}));
  ASSERT_EQ(sink.rows.size(), 5u);
  EXPECT_EQ(sink.rows[0].site.kind, "hq");
  EXPECT_EQ(sink.rows[0].deployment.hq, 3);
  EXPECT_EQ(sink.rows[1].site.kind, "sector_hq");
  EXPECT_EQ(sink.rows[2].site.kind, "company_base");  // contingent HQ: a troop base
  EXPECT_EQ(sink.rows[2].deployment.hq, 1);
  EXPECT_EQ(sink.rows[3].site.kind, "liaison");
  EXPECT_EQ(sink.rows[3].deployment.notes, "4 liaison officers");
  EXPECT_EQ(sink.rows[4].site.kind, "site");
}

TEST_F(Sites, GeoPkoV20UnknownTroopsKeptWithNote) {
  auto sink = read(v20_file({v20_row({{"No.troops", "unknown"}, {"comments", "LOG-unit of unknown size"}})}));
  ASSERT_TRUE(sink.rejects.empty());
  ASSERT_EQ(sink.rows.size(), 1u);
  EXPECT_EQ(sink.rows[0].deployment.troops, 0);
  EXPECT_EQ(sink.rows[0].deployment.notes, "LOG-unit of unknown size; No.troops not reported (unknown) in source");
}

TEST_F(Sites, GeoPkoV20RepairsNamesAndComments) {
  auto sink = read(v20_file({v20_row({{"ADM1_name", "Kasa\xC3\x83\xC2\xAF-Oriental"},
                                      {"location", "Mbuji-Mayi"},
                                      {"comments", "\"ASU (size \xC3\x83\xC2\xBAnknown)\""}})}));
  ASSERT_EQ(sink.rows.size(), 1u);
  EXPECT_EQ(sink.rows[0].site.admin1, "Kasa\xC3\xAF-Oriental");
  EXPECT_EQ(sink.rows[0].deployment.notes, "ASU (size \xC3\xBAnknown)");
  EXPECT_EQ(sink.rows[0].site.key, "MONUSCO|Mbuji-Mayi|0.0487|18.2603");
}

TEST_F(Sites, RepairedLocationIsPartOfKey) {
  auto sink = read(v20_file({v20_row({{"location", "B\xC3\x83\xC2\xA9ni"}, {"latitude", "-0.00001"}})}));
  ASSERT_EQ(sink.rows.size(), 1u);
  EXPECT_EQ(sink.rows[0].site.name, "B\xC3\xA9ni");
  EXPECT_EQ(sink.rows[0].site.key, "MONUSCO|B\xC3\xA9ni|0.0000|18.2603");
}

TEST_F(Sites, GeoPkoV20RowRejects) {
  auto sink = read(v20_file({v20_row({{"month", "13"}}), v20_row({{"latitude", "NA"}}), v20_row({{"No.troops", "-5"}}),
                             v20_row({{"location", "NA"}}), v20_row({{"HQ", "x"}}), v20_row({})}));
  ASSERT_EQ(sink.rejects.size(), 5u);
  EXPECT_EQ(sink.rejects[0].field, "month");
  EXPECT_EQ(sink.rejects[0].line, 2);
  EXPECT_EQ(sink.rejects[1].field, "latitude");
  EXPECT_EQ(sink.rejects[2].field, "No.troops");
  EXPECT_EQ(sink.rejects[2].reason, "negative troops (-5)");
  EXPECT_EQ(sink.rejects[3].field, "location");
  EXPECT_EQ(sink.rejects[4].field, "HQ");
  ASSERT_EQ(sink.rows.size(), 1u);
  EXPECT_EQ(sink.rows[0].line, 7);
}

TEST_F(Sites, GeoPkoV23LocationYear) {
  auto sink = read(std::string(kV23Header) +
                   "MONUSCO,2016,DRC,Bunia,1.566667,30.25,650,800,0,2,1,1,2,1,780\n"
                   "MONUC,2001,Central African Republic,Bangui,4.383333,18.566667,0,NA,0,0,0,0,0,0,NA\n"
                   "MONUSCO,2019,DRC,Goma,-1.679444,29.233611,0,0,0,0,1,0,0,0,0\n"
                   "MONUSCO,20x9,DRC,Goma,-1.679444,29.233611,0,0,0,0,1,0,0,0,0\n");
  ASSERT_EQ(sink.rows.size(), 3u);
  const Site& s = sink.rows[0].site;
  const Deployment& d = sink.rows[0].deployment;
  EXPECT_EQ(s.key, "MONUSCO|Bunia|1.5667|30.2500");
  EXPECT_EQ(s.kind, "sector_hq");
  EXPECT_EQ(s.country, "DRC");
  EXPECT_EQ(d.period_start.str(), "2016-01");
  EXPECT_EQ(d.period_end.str(), "2016-12");
  EXPECT_EQ(d.source, "geopko-2.3");
  EXPECT_EQ(d.troops, 800);
  EXPECT_EQ(d.police, 1);
  EXPECT_EQ(d.observers, 1);
  EXPECT_EQ(d.hq, 2);
  EXPECT_EQ(d.aviation, 2);
  EXPECT_EQ(d.medical, 1);
  EXPECT_EQ(sink.rows[1].deployment.troops, 0);
  EXPECT_EQ(sink.rows[1].deployment.notes, "NoTroops not reported (NA) in source");
  EXPECT_EQ(sink.rows[1].site.kind, "site");
  EXPECT_EQ(sink.rows[2].site.kind, "police_post");
  ASSERT_EQ(sink.rejects.size(), 1u);
  EXPECT_EQ(sink.rejects[0].line, 5);
  EXPECT_EQ(sink.rejects[0].field, "year");
}

TEST_F(Sites, VersionDetectedFromHeader) {
  // The same location in both layouts: one monthly deployment, one yearly.
  auto v20 = read(v20_file({v20_row({})}));
  auto v23 = read(std::string(kV23Header) + "MONUSCO,2012,DRC,Mbandaka,0.0487,18.2603,0,150,0,0,0,0,0,1,150\n");
  ASSERT_EQ(v20.rows.size(), 1u);
  ASSERT_EQ(v23.rows.size(), 1u);
  EXPECT_EQ(v20.rows[0].deployment.source.rfind("geopko-2.0 ", 0), 0u);
  EXPECT_EQ(v23.rows[0].deployment.source, "geopko-2.3");
  EXPECT_EQ(v20.rows[0].site.key, v23.rows[0].site.key);
  EXPECT_EQ(v20.rows[0].deployment.period_end.str(), "2012-06");
  EXPECT_EQ(v23.rows[0].deployment.period_end.str(), "2012-12");
}

TEST_F(Sites, FatalUnknownGeoPkoHeader) {
  const Error e = expect_error([&] { read("mission,year,place\nMONUSCO,2012,Goma\n"); });
  EXPECT_EQ(e.category(), ErrorCategory::kBadInput);
  EXPECT_NE(e.message().find("not a Geo-PKO header"), std::string::npos);
}

TEST_F(Sites, FatalMissingV23Columns) {
  const Error e = expect_error([&] { read("mission,year,location,NoTroops\nMONUSCO,2012,Goma,5\n"); });
  EXPECT_NE(e.message().find("latitude, longitude"), std::string::npos) << e.message();
  EXPECT_NE(e.message().find("Geo-PKO v2.3"), std::string::npos);
}

TEST_F(Sites, FatalEmptyAndWrongDelimiter) {
  EXPECT_NE(expect_error([&] { read(""); }).message().find("file is empty"), std::string::npos);
  EXPECT_NE(expect_error([&] { read("mission;year;location\n"); }).message().find("wrong delimiter"),
            std::string::npos);
}

TEST_F(Sites, GenericSitesCsv) {
  auto sink = read(
      "site_id,name,latitude,longitude,kind,mission,period,troops,police,observers,civilians,hq,"
      "aviation,medical\n"
      "s1,Camp A,-1.5,29.2,,UNMIC,2024-03,150,0,0,12,0,1,0\n"
      "s2,,-1.6,29.3,tob,UNMIC,2024,35,,,,,,\n"
      "s3,Camp C,-1.6,29.3,,UNMIC,March,0,0,0,0,0,0,0\n"
      "s4,Camp D,-1.6,29.3,,UNMIC,2024-01,-1,0,0,0,0,0,0\n",
      SiteSource::kCsv);
  ASSERT_EQ(sink.rows.size(), 2u);
  EXPECT_EQ(sink.rows[0].site.key, "s1");
  EXPECT_EQ(sink.rows[0].site.kind, "company_base");
  EXPECT_EQ(sink.rows[0].deployment.period_start.str(), "2024-03");
  EXPECT_EQ(sink.rows[0].deployment.period_end.str(), "2024-03");
  EXPECT_EQ(sink.rows[0].deployment.civilians, 12);
  EXPECT_EQ(sink.rows[0].deployment.aviation, 1);
  EXPECT_EQ(sink.rows[0].deployment.source, "csv");
  EXPECT_EQ(sink.rows[1].site.name, "s2");
  EXPECT_EQ(sink.rows[1].site.kind, "tob");
  EXPECT_EQ(sink.rows[1].deployment.period_start.str(), "2024-01");
  EXPECT_EQ(sink.rows[1].deployment.period_end.str(), "2024-12");
  ASSERT_EQ(sink.rejects.size(), 2u);
  EXPECT_EQ(sink.rejects[0].field, "period");
  EXPECT_EQ(sink.rejects[0].line, 4);
  EXPECT_EQ(sink.rejects[1].field, "troops");
}

TEST_F(Sites, GenericSitesCsvFatalMissing) {
  const Error e = expect_error([&] { read("name,latitude\nA,1\n", SiteSource::kCsv); });
  EXPECT_NE(e.message().find("site_id (or key), longitude, period"), std::string::npos) << e.message();
}

}  // namespace
}  // namespace endstate::ingest
