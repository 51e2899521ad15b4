#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "endstate/core/error.hpp"
#include "endstate/ingest/readers.hpp"
#include "ingest_test_util.hpp"

namespace endstate::ingest {
namespace {

using testing::EventCollector;
using testing::expect_error;

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

/// The quoted GED header, as UCDP writes it.
std::string ged_header() {
  std::string h;
  for (std::size_t i = 0; i < kGedColumns.size(); ++i) h += (i ? ",\"" : "\"") + kGedColumns[i] + "\"";
  return h + "\n";
}

/// A valid GED row (an eastern DR Congo one-sided event); `set` overrides raw cell text.
std::string ged_row(const std::map<std::string, std::string>& set = {}) {
  std::map<std::string, std::string> v = {{"id", "431"},
                                          {"relid", "\"DRC-2019-3-1-1\""},
                                          {"year", "2019"},
                                          {"type_of_violence", "3"},
                                          {"side_a", "\"ADF\""},
                                          {"side_b", "\"Civilians\""},
                                          {"where_prec", "2"},
                                          {"where_coordinates", "\"Beni town\""},
                                          {"adm_1", "\"Nord-Kivu province\""},
                                          {"latitude", "0.49113"},
                                          {"longitude", "29.47306"},
                                          {"priogrid_gid", "130379"},
                                          {"country", "\"DR Congo (Zaire)\""},
                                          {"date_prec", "1"},
                                          {"date_start", "2019-11-05"},
                                          {"date_end", "2019-11-06"},
                                          {"deaths_civilians", "7"},
                                          {"best", "9"},
                                          {"high", "12"},
                                          {"low", "8"}};
  for (const auto& [k, x] : set) v[k] = x;
  std::string row;
  for (std::size_t i = 0; i < kGedColumns.size(); ++i) {
    if (i) row += ",";
    auto it = v.find(kGedColumns[i]);
    row += it == v.end() ? "NA" : it->second;
  }
  return row + "\n";
}

class UcdpCsv : public testing::TempDir {
 protected:
  EventCollector read(const std::string& content) {
    EventCollector sink;
    read_events(write("ged.csv", content), EventSource::kUcdp, {}, sink);
    return sink;
  }
};

TEST_F(UcdpCsv, MapsEveryField) {
  auto sink = read(ged_header() + ged_row());
  ASSERT_TRUE(sink.rejects.empty()) << sink.rejects[0].reason;
  ASSERT_EQ(sink.events.size(), 1u);
  const Event& e = sink.events[0].first;
  EXPECT_EQ(sink.events[0].second, 2);
  EXPECT_EQ(e.source, "ucdp");
  EXPECT_EQ(e.source_id, "431");
  EXPECT_EQ(e.date_start.iso(), "2019-11-05");
  EXPECT_EQ(e.date_end.iso(), "2019-11-06");
  EXPECT_EQ(e.date_precision, 1);
  EXPECT_DOUBLE_EQ(e.where.lat, 0.49113);
  EXPECT_DOUBLE_EQ(e.where.lon, 29.47306);
  EXPECT_EQ(e.location_precision, 2);
  EXPECT_EQ(e.violence, ViolenceType::kOneSided);
  EXPECT_EQ(e.violence_original, "3");
  EXPECT_EQ(e.actor1, "ADF");
  EXPECT_EQ(e.actor2, "Civilians");
  EXPECT_EQ(e.fatalities_best, 9);
  EXPECT_EQ(e.fatalities_low, 8);
  EXPECT_EQ(e.fatalities_high, 12);
  EXPECT_EQ(e.civilian_deaths, 7);
  EXPECT_EQ(e.country, "DR Congo (Zaire)");
  EXPECT_EQ(e.admin1, "Nord-Kivu province");
  EXPECT_EQ(e.location, "Beni town");
  EXPECT_EQ(e.priogrid_gid, 130379);
}

TEST_F(UcdpCsv, ViolenceTypesOneTwoThree) {
  auto sink =
      read(ged_header() + ged_row({{"id", "1"}, {"type_of_violence", "1"}}) +
           ged_row({{"id", "2"}, {"type_of_violence", "2"}}) + ged_row({{"id", "3"}, {"type_of_violence", "3"}}) +
           ged_row({{"id", "4"}, {"type_of_violence", "4"}}));
  ASSERT_EQ(sink.events.size(), 3u);
  EXPECT_EQ(sink.events[0].first.violence, ViolenceType::kStateBased);
  EXPECT_EQ(sink.events[0].first.violence_original, "1");
  EXPECT_EQ(sink.events[1].first.violence, ViolenceType::kNonState);
  EXPECT_EQ(sink.events[1].first.violence_original, "2");
  EXPECT_EQ(sink.events[2].first.violence, ViolenceType::kOneSided);
  ASSERT_EQ(sink.rejects.size(), 1u);
  EXPECT_EQ(sink.rejects[0].line, 5);
  EXPECT_EQ(sink.rejects[0].field, "type_of_violence");
  EXPECT_NE(sink.rejects[0].reason.find("'4'"), std::string::npos);
}

TEST_F(UcdpCsv, MissingValuesAreNA) {
  auto sink = read(ged_header() + ged_row({{"deaths_civilians", "NA"},
                                           {"priogrid_gid", "NA"},
                                           {"side_b", "NA"},
                                           {"low", "NA"},
                                           {"high", "NA"},
                                           {"date_prec", "NA"}}));
  ASSERT_EQ(sink.events.size(), 1u);
  const Event& e = sink.events[0].first;
  EXPECT_FALSE(e.civilian_deaths.has_value());
  EXPECT_FALSE(e.priogrid_gid.has_value());
  EXPECT_EQ(e.actor2, "");
  EXPECT_EQ(e.fatalities_low, 9);
  EXPECT_EQ(e.fatalities_high, 9);
  EXPECT_EQ(e.date_precision, 1);
}

TEST_F(UcdpCsv, LowAndHighDefaultToBestWhenColumnsAbsent) {
  auto sink = read(
      "id,type_of_violence,latitude,longitude,date_start,date_end,best\n"
      "7,2,-1.5,29.1,2020-01-02,2020-01-02,5\n");
  ASSERT_EQ(sink.events.size(), 1u);
  EXPECT_EQ(sink.events[0].first.fatalities_low, 5);
  EXPECT_EQ(sink.events[0].first.fatalities_high, 5);
  EXPECT_EQ(sink.events[0].first.violence, ViolenceType::kNonState);
}

struct RowCase {
  const char* name;
  std::map<std::string, std::string> set;
  const char* field;
  const char* reason_part;
};

class UcdpRejects : public UcdpCsv, public ::testing::WithParamInterface<RowCase> {};

TEST_P(UcdpRejects, RejectsRowAndGoesOn) {
  const RowCase& c = GetParam();
  auto sink = read(ged_header() + ged_row({{"id", "1"}}) + ged_row(c.set) + ged_row({{"id", "3"}}));
  ASSERT_EQ(sink.rejects.size(), 1u) << c.name;
  EXPECT_EQ(sink.rejects[0].line, 3);
  EXPECT_EQ(sink.rejects[0].field, c.field);
  EXPECT_NE(sink.rejects[0].reason.find(c.reason_part), std::string::npos) << sink.rejects[0].reason;
  ASSERT_EQ(sink.events.size(), 2u);
  EXPECT_EQ(sink.events[1].first.source_id, "3");
  EXPECT_EQ(sink.events[1].second, 4);
}

INSTANTIATE_TEST_SUITE_P(
    AllReasons, UcdpRejects,
    ::testing::Values(
        RowCase{"bad_date", {{"date_start", "2019-02-30"}}, "date_start", "'2019-02-30' is not a date"},
        RowCase{"garbage_date", {{"date_end", "soon"}}, "date_end", "'soon' is not a date"},
        RowCase{"missing_date", {{"date_start", "NA"}}, "date_start", "date_start is missing"},
        RowCase{"end_before_start",
                {{"date_start", "2019-11-07"}},
                "date_end",
                "end date 2019-11-06 is before start date 2019-11-07"},
        RowCase{"lat_not_number", {{"latitude", "north"}}, "latitude", "'north' is not a number"},
        RowCase{"lon_nan", {{"longitude", "NaN"}}, "longitude", "longitude is NaN"},
        RowCase{"lat_missing", {{"latitude", "NA"}}, "latitude", "latitude is missing"},
        RowCase{"lat_out_of_range",
                {{"latitude", "95"}, {"longitude", "120"}},
                "latitude",
                "latitude 95 is out of range [-90, 90]"},
        RowCase{"lon_out_of_range", {{"longitude", "190.5"}}, "longitude", "longitude 190.5 is out of range"},
        RowCase{"swapped_really", {{"latitude", "129.47"}, {"longitude", "0.49"}}, "latitude", "lat/lon look swapped"},
        RowCase{"negative_best", {{"best", "-3"}, {"low", "NA"}, {"high", "NA"}}, "best", "negative fatalities (-3)"},
        RowCase{"negative_civilians", {{"deaths_civilians", "-1"}}, "deaths_civilians", "negative fatalities (-1)"},
        RowCase{"best_not_number", {{"best", "many"}}, "best", "'many' is not a whole number"},
        RowCase{"missing_id", {{"id", "NA"}}, "id", "missing id"},
        RowCase{"empty_id", {{"id", "\"\""}}, "id", "missing id"},
        RowCase{"bad_utf8", {{"side_a", "\"Ma\xff\xfei-Mai\""}}, "side_a", "not valid UTF-8 at byte 2"}),
    [](const ::testing::TestParamInfo<RowCase>& p) { return std::string(p.param.name); });

// GED 23.1 itself has rows with low > best or best > high: the interval is
// widened to hold best, which is never changed.
TEST_F(UcdpCsv, InconsistentBoundsWidenedNotRejected) {
  auto sink =
      read(ged_header() + ged_row({{"id", "1"}, {"low", "10"}}) + ged_row({{"id", "2"}, {"low", "2"}, {"high", "8"}}) +
           ged_row({{"id", "3"}, {"low", "334"}, {"best", "333"}, {"high", "333"}}));
  ASSERT_TRUE(sink.rejects.empty());
  ASSERT_EQ(sink.events.size(), 3u);
  EXPECT_EQ(sink.events[0].first.fatalities_low, 9);
  EXPECT_EQ(sink.events[0].first.fatalities_best, 9);
  EXPECT_EQ(sink.events[0].first.fatalities_high, 12);
  EXPECT_EQ(sink.events[1].first.fatalities_low, 2);
  EXPECT_EQ(sink.events[1].first.fatalities_high, 9);
  EXPECT_EQ(sink.events[2].first.fatalities_low, 333);
  EXPECT_EQ(sink.events[2].first.fatalities_best, 333);
  EXPECT_EQ(sink.events[2].first.fatalities_high, 333);
}

// A plausible (lat 29, lon 0.5) point is not "swapped" by the row check: only
// |lat| > 90 with |lon| <= 90 is; the importer catches the rest against areas.
TEST_F(UcdpCsv, PlausibleSwapIsNotARowReject) {
  auto sink = read(ged_header() + ged_row({{"latitude", "29.47306"}, {"longitude", "0.49113"}}));
  EXPECT_TRUE(sink.rejects.empty());
  EXPECT_EQ(sink.events.size(), 1u);
}

TEST_F(UcdpCsv, TruncatedRowNamesFirstMissingColumn) {
  const std::string full = ged_row();
  // Cut the row after its 30th field (…latitude), dropping longitude onwards.
  std::size_t pos = 0;
  for (int i = 0; i < 30; ++i) pos = full.find(',', pos) + 1;
  auto sink = read(ged_header() + full.substr(0, pos - 1) + "\n" + ged_row({{"id", "9"}}));
  ASSERT_EQ(sink.rejects.size(), 1u);
  EXPECT_EQ(sink.rejects[0].line, 2);
  EXPECT_EQ(sink.rejects[0].field, "longitude");
  EXPECT_EQ(sink.rejects[0].reason, "expected 49 fields, found 30");
  ASSERT_EQ(sink.events.size(), 1u);
  EXPECT_EQ(sink.events[0].second, 3);
}

TEST_F(UcdpCsv, TooManyFields) {
  std::string row = ged_row();
  row.insert(row.size() - 1, ",extra");
  auto sink = read(ged_header() + row);
  ASSERT_EQ(sink.rejects.size(), 1u);
  EXPECT_EQ(sink.rejects[0].field, "");
  EXPECT_EQ(sink.rejects[0].reason, "expected 49 fields, found 50");
}

TEST_F(UcdpCsv, EmbeddedNewlinesKeepLineNumbers) {
  auto sink = read(ged_header() + ged_row({{"id", "1"}, {"source_article", "\"line one\nline two\nline three\""}}) +
                   ged_row({{"id", "2"}, {"best", "-1"}, {"low", "NA"}, {"high", "NA"}}) + ged_row({{"id", "3"}}));
  ASSERT_EQ(sink.events.size(), 2u);
  EXPECT_EQ(sink.events[0].second, 2);
  ASSERT_EQ(sink.rejects.size(), 1u);
  EXPECT_EQ(sink.rejects[0].line, 5);
  EXPECT_EQ(sink.events[1].second, 6);
}

TEST_F(UcdpCsv, CrlfAndBom) {
  std::string content =
      "\xEF\xBB\xBF" + ged_header() + ged_row({{"id", "1"}}) + ged_row({{"id", "2"}, {"latitude", "x"}});
  std::string crlf;
  for (char ch : content) {
    if (ch == '\n') crlf += '\r';
    crlf += ch;
  }
  auto sink = read(crlf);
  ASSERT_EQ(sink.events.size(), 1u);
  EXPECT_EQ(sink.events[0].first.source_id, "1");
  EXPECT_EQ(sink.events[0].first.priogrid_gid, 130379);
  EXPECT_EQ(sink.events[0].first.fatalities_low, 8);  // "low" is the last column: no stray '\r'
  ASSERT_EQ(sink.rejects.size(), 1u);
  EXPECT_EQ(sink.rejects[0].line, 3);
  EXPECT_EQ(sink.rejects[0].field, "latitude");
}

TEST_F(UcdpCsv, FatalEmptyFile) {
  const Error e = expect_error([&] { read(""); });
  EXPECT_EQ(e.category(), ErrorCategory::kBadInput);
  EXPECT_NE(e.message().find("file is empty"), std::string::npos);
}

TEST_F(UcdpCsv, FatalMissingColumnsListsThem) {
  const Error e = expect_error([&] { read("id,latitude,longitude,date_start\n1,0,0,2020-01-01\n"); });
  EXPECT_EQ(e.category(), ErrorCategory::kBadInput);
  EXPECT_NE(e.message().find("type_of_violence, date_end, best"), std::string::npos) << e.message();
  EXPECT_NE(e.message().find("--source csv"), std::string::npos);
  EXPECT_EQ(e.where().line, 1);
  EXPECT_EQ(e.where().field, "type_of_violence");
  EXPECT_NE(e.where().file.find("ged.csv"), std::string::npos);
}

TEST_F(UcdpCsv, FatalWrongDelimiter) {
  const Error semi = expect_error([&] { read("id;type_of_violence;latitude\n1;2;3\n"); });
  EXPECT_NE(semi.message().find("wrong delimiter"), std::string::npos);
  EXPECT_NE(semi.message().find("';'"), std::string::npos);
  const Error tab = expect_error([&] { read("id\ttype_of_violence\tlatitude\n1\t2\t3\n"); });
  EXPECT_NE(tab.message().find("wrong delimiter"), std::string::npos);
  EXPECT_NE(tab.message().find("tab"), std::string::npos);
}

TEST_F(UcdpCsv, FatalUnterminatedQuote) {
  const Error e = expect_error([&] { read(ged_header() + ged_row() + "432,\"never closed,3\n"); });
  EXPECT_EQ(e.category(), ErrorCategory::kBadInput);
  EXPECT_NE(e.message().find("unterminated"), std::string::npos);
  EXPECT_EQ(e.where().line, 3);
}

TEST_F(UcdpCsv, ProgressReportedAtEnd) {
  auto sink = read(ged_header() + ged_row());
  ASSERT_FALSE(sink.progress.empty());
  EXPECT_EQ(sink.progress.back().first, sink.progress.back().second);
  EXPECT_GT(sink.progress.back().second, 0);
}

TEST_F(UcdpCsv, ProgressEvery64kRows) {
  std::string content = "id,type_of_violence,latitude,longitude,date_start,date_end,best\n";
  for (int i = 0; i < 70000; ++i) content += std::to_string(i) + ",1,1.5,2.5,2020-01-01,2020-01-01,1\n";
  auto sink = read(content);
  EXPECT_EQ(sink.events.size(), 70000u);
  ASSERT_EQ(sink.progress.size(), 2u);  // one at row 65,536 and one at the end
  EXPECT_LT(sink.progress[0].first, sink.progress[0].second);
  EXPECT_EQ(sink.progress[1].first, sink.progress[1].second);
}

// ---- GeoJSON export ----

class UcdpGeoJson : public UcdpCsv {};

std::string feature(const std::string& properties, const std::string& geometry = "null") {
  return R"j({"type":"Feature","geometry":)j" + geometry + R"j(,"properties":{)j" + properties + "}}";
}

const std::string kProps =
    R"j("id":431,"type_of_violence":3,"side_a":"ADF","side_b":"Civilians","where_prec":2,)j"
    R"j("where_coordinates":"Beni town","adm_1":"Nord-Kivu province","latitude":0.49113,"longitude":29.47306,)j"
    R"j("priogrid_gid":130379,"country":"DR Congo (Zaire)","date_prec":1,"date_start":"2019-11-05",)j"
    R"j("date_end":"2019-11-06","deaths_civilians":7,"best":9,"high":12,"low":8,"gwnob":null)j";

TEST_F(UcdpGeoJson, ReadsFeaturesLikeCsvRows) {
  auto sink = read("  \n{\"type\":\"FeatureCollection\",\"features\":[" + feature(kProps) + "]}");
  ASSERT_TRUE(sink.rejects.empty()) << sink.rejects[0].reason;
  ASSERT_EQ(sink.events.size(), 1u);
  const Event& e = sink.events[0].first;
  EXPECT_EQ(sink.events[0].second, 1);
  EXPECT_EQ(e.source_id, "431");
  EXPECT_EQ(e.violence, ViolenceType::kOneSided);
  EXPECT_EQ(e.violence_original, "3");
  EXPECT_DOUBLE_EQ(e.where.lat, 0.49113);
  EXPECT_DOUBLE_EQ(e.where.lon, 29.47306);
  EXPECT_EQ(e.date_start.iso(), "2019-11-05");
  EXPECT_EQ(e.fatalities_low, 8);
  EXPECT_EQ(e.fatalities_high, 12);
  EXPECT_EQ(e.civilian_deaths, 7);
  EXPECT_EQ(e.actor1, "ADF");
  EXPECT_EQ(e.admin1, "Nord-Kivu province");
  EXPECT_EQ(e.priogrid_gid, 130379);
}

TEST_F(UcdpGeoJson, PointGeometryStandsInForCoordinates) {
  const std::string props =
      R"j("id":"5","type_of_violence":"1","date_start":"2019-11-05","date_end":"2019-11-05","best":1)j";
  auto sink = read("{\"type\":\"FeatureCollection\",\"features\":[" +
                   feature(props, R"j({"type":"Point","coordinates":[29.25,-1.75]})j") + "]}");
  ASSERT_EQ(sink.events.size(), 1u);
  EXPECT_DOUBLE_EQ(sink.events[0].first.where.lat, -1.75);
  EXPECT_DOUBLE_EQ(sink.events[0].first.where.lon, 29.25);
}

TEST_F(UcdpGeoJson, RejectLineIsFeatureIndex) {
  std::string bad = kProps;
  bad.replace(bad.find("\"best\":9"), 8, "\"best\":-2");
  auto sink = read("{\"type\":\"FeatureCollection\",\"features\":[\n" + feature(kProps) + ",\n" + feature(bad) + ",\n" +
                   R"j({"type":"Feature","geometry":null})j" + "]}");
  EXPECT_EQ(sink.events.size(), 1u);
  ASSERT_EQ(sink.rejects.size(), 2u);
  EXPECT_EQ(sink.rejects[0].line, 2);
  EXPECT_EQ(sink.rejects[0].field, "best");
  EXPECT_EQ(sink.rejects[1].line, 3);
  EXPECT_EQ(sink.rejects[1].field, "properties");
}

TEST_F(UcdpGeoJson, FatalNotAFeatureCollection) {
  const Error e = expect_error([&] { read(R"j({"type":"Feature","properties":{}})j"); });
  EXPECT_EQ(e.category(), ErrorCategory::kBadInput);
  EXPECT_NE(e.message().find("not a FeatureCollection"), std::string::npos);
}

TEST_F(UcdpGeoJson, FatalInvalidJson) {
  const Error e = expect_error([&] { read(R"j({"type":"FeatureCollection","features":[)j"); });
  EXPECT_EQ(e.category(), ErrorCategory::kBadInput);
  EXPECT_NE(e.message().find("not valid JSON"), std::string::npos);
}

TEST_F(UcdpGeoJson, FatalMissingRequiredProperties) {
  const Error e = expect_error([&] {
    read("{\"type\":\"FeatureCollection\",\"features\":[" + feature(R"j("id":1,"latitude":1,"longitude":2)j") + "]}");
  });
  EXPECT_NE(e.message().find("type_of_violence, date_start, date_end, best"), std::string::npos) << e.message();
}

TEST_F(UcdpGeoJson, OtherSourcesRefuseJson) {
  EventCollector sink;
  const auto path = write("x.json", R"j({"type":"FeatureCollection","features":[]})j");
  const Error e = expect_error([&] { read_events(path, EventSource::kAcled, {}, sink); });
  EXPECT_NE(e.message().find("JSON"), std::string::npos);
}

}  // namespace
}  // namespace endstate::ingest
