#include <string>

#include <gtest/gtest.h>

#include "endstate/core/error.hpp"
#include "endstate/ingest/readers.hpp"
#include "ingest_test_util.hpp"

namespace endstate::ingest {
namespace {

using testing::EventCollector;
using testing::expect_error;

class GenericCsv : public testing::TempDir {
 protected:
  EventCollector read(const std::string& content, const std::string& map = "") {
    EventCollector sink;
    read_events(write("events.csv", content), EventSource::kCsv, parse_column_map(map), sink);
    return sink;
  }
};

TEST_F(GenericCsv, MappedColumnsAndDefaults) {
  auto sink = read(
      "evt_no,day,lat,lon,deaths,kind,country\n"
      "A-1,2021-06-01,-1.68,29.22,3,one-sided,DRC\n",
      "evt_no=id,day=date,lat=latitude,lon=longitude,deaths=fatalities,kind=violence_type");
  ASSERT_TRUE(sink.rejects.empty()) << sink.rejects[0].reason;
  ASSERT_EQ(sink.events.size(), 1u);
  const Event& e = sink.events[0].first;
  EXPECT_EQ(e.source, "csv");
  EXPECT_EQ(e.source_id, "A-1");
  EXPECT_EQ(e.date_start.iso(), "2021-06-01");
  EXPECT_EQ(e.date_end.iso(), "2021-06-01");
  EXPECT_DOUBLE_EQ(e.where.lat, -1.68);
  EXPECT_EQ(e.fatalities_best, 3);
  EXPECT_EQ(e.fatalities_low, 3);
  EXPECT_EQ(e.fatalities_high, 3);
  EXPECT_EQ(e.violence, ViolenceType::kOneSided);
  EXPECT_EQ(e.violence_original, "one-sided");
  EXPECT_EQ(e.country, "DRC");  // unmapped target read from the same-named column
  EXPECT_FALSE(e.civilian_deaths.has_value());
}

TEST_F(GenericCsv, SameNamedColumnsNeedNoMap) {
  auto sink = read(
      "id,date_start,date_end,latitude,longitude,violence_type,fatalities_best,fatalities_low,"
      "fatalities_high,civilian_deaths,actor1,actor2,admin1,location,source\n"
      "7,2020-01-01,2020-01-03,1,2,2,5,4,9,1,A,B,Ituri,Djugu,field office\n");
  ASSERT_EQ(sink.events.size(), 1u);
  const Event& e = sink.events[0].first;
  EXPECT_EQ(e.date_end.iso(), "2020-01-03");
  EXPECT_EQ(e.violence, ViolenceType::kNonState);
  EXPECT_EQ(e.fatalities_low, 4);
  EXPECT_EQ(e.fatalities_high, 9);
  EXPECT_EQ(e.civilian_deaths, 1);
  EXPECT_EQ(e.actor1, "A");
  EXPECT_EQ(e.actor2, "B");
  EXPECT_EQ(e.admin1, "Ituri");
  EXPECT_EQ(e.location, "Djugu");
  EXPECT_EQ(e.source, "field office");
}

TEST_F(GenericCsv, ViolenceTypeValues) {
  auto sink = read(
      "id,date,latitude,longitude,violence_type\n"
      "1,2020-01-01,1,2,1\n"
      "2,2020-01-01,1,2,state_based\n"
      "3,2020-01-01,1,2,Violence against civilians\n"
      "4,2020-01-01,1,2,kidnapping\n"
      "5,2020-01-01,1,2,\n");
  ASSERT_EQ(sink.events.size(), 5u);
  EXPECT_EQ(sink.events[0].first.violence, ViolenceType::kStateBased);
  EXPECT_EQ(sink.events[1].first.violence, ViolenceType::kStateBased);
  EXPECT_EQ(sink.events[2].first.violence, ViolenceType::kOneSided);
  EXPECT_EQ(sink.events[3].first.violence, ViolenceType::kOther);
  EXPECT_EQ(sink.events[3].first.violence_original, "kidnapping");
  EXPECT_EQ(sink.events[4].first.violence, ViolenceType::kOther);
  EXPECT_EQ(sink.events[4].first.violence_original, "");
  EXPECT_EQ(sink.events[4].first.fatalities_best, 0);  // no fatalities column
}

TEST_F(GenericCsv, RejectsNameTheFileColumn) {
  auto sink = read(
      "evt_no,day,lat,lon\n"
      ",2021-06-01,1,2\n"
      "B,yesterday,1,2\n"
      "C,2021-06-01,1,-200\n",
      "evt_no=id,day=date,lat=latitude,lon=longitude");
  ASSERT_EQ(sink.rejects.size(), 3u);
  EXPECT_EQ(sink.rejects[0].field, "evt_no");
  EXPECT_EQ(sink.rejects[1].field, "day");
  EXPECT_EQ(sink.rejects[2].field, "lon");
  EXPECT_EQ(sink.rejects[2].line, 4);
}

TEST_F(GenericCsv, EndBeforeStartAndBoundsRejected) {
  auto sink = read(
      "id,date_start,date_end,latitude,longitude,fatalities_best,fatalities_low\n"
      "1,2020-02-01,2020-01-01,1,2,1,1\n"
      "2,2020-02-01,,1,2,3,5\n");
  ASSERT_EQ(sink.rejects.size(), 2u);
  EXPECT_EQ(sink.rejects[0].field, "date_end");
  EXPECT_EQ(sink.rejects[1].field, "fatalities_low");
  EXPECT_EQ(sink.rejects[1].reason, "fatalities_low (5) > fatalities_best (3)");
}

TEST_F(GenericCsv, FatalMissingRequired) {
  const Error e = expect_error([&] { read("evt,when,x,y\n1,2020-01-01,1,2\n"); });
  EXPECT_EQ(e.category(), ErrorCategory::kBadInput);
  EXPECT_NE(e.message().find("id, date (or date_start), latitude, longitude"), std::string::npos) << e.message();
  EXPECT_NE(e.message().find("--map"), std::string::npos);
}

TEST_F(GenericCsv, FatalMappedColumnAbsent) {
  const Error e = expect_error([&] { read("id,date,latitude,longitude\n1,2020-01-01,1,2\n", "deaths=fatalities"); });
  EXPECT_NE(e.message().find("column 'deaths' (mapped to field 'fatalities'"), std::string::npos) << e.message();
  EXPECT_EQ(e.where().field, "deaths");
}

}  // namespace
}  // namespace endstate::ingest
