// Readers against bad input (issue 18): bytes that are not text, implausible
// years, old-Mac line ends, stray quotes, pipes, and GeoJSON read as a stream.
#include <csignal>
#include <string>
#include <thread>

#include <gtest/gtest.h>
#include <unistd.h>

#include "endstate/core/error.hpp"
#include "endstate/core/io.hpp"
#include "endstate/core/types.hpp"
#include "endstate/ingest/readers.hpp"
#include "ingest_test_util.hpp"

namespace endstate::ingest {
namespace {

using testing::EventCollector;
using testing::expect_error;
using testing::ObservationCollector;
using testing::SiteCollector;

EventCollector read_csv_events(const std::string& content) {
  EventCollector sink;
  read_events(InputStream::from_memory(content, "mem.csv"), EventSource::kCsv, {}, sink);
  return sink;
}

ObservationCollector read_obs(const std::string& content) {
  ObservationCollector sink;
  read_observations(InputStream::from_memory(content, "obs.csv"), sink);
  return sink;
}

// --- 18.11: NUL bytes and implausible years --------------------------------------

TEST(InputHardening, NulByteInAFieldIsARowReject) {
  const std::string content = std::string("id,date,latitude,longitude,actor1\n") + "1,2020-01-01,1,2,ok\n" +
                              std::string("2,2020-01-01,1,2,bad\0actor\n", 27) + "3,2020-01-01,1,2,ok\n";
  auto sink = read_csv_events(content);
  ASSERT_EQ(sink.events.size(), 2u);
  ASSERT_EQ(sink.rejects.size(), 1u);
  EXPECT_EQ(sink.rejects[0].line, 3);
  EXPECT_EQ(sink.rejects[0].field, "actor1");
  EXPECT_NE(sink.rejects[0].reason.find("NUL"), std::string::npos);
}

TEST(InputHardening, NulByteInTheHeaderIsBinaryData) {
  const Error e = expect_error([] { read_csv_events(std::string("id,da\0te\n1,2\n", 13)); });
  EXPECT_EQ(e.category(), ErrorCategory::kBadInput);
  EXPECT_NE(e.message().find("binary"), std::string::npos);
}

TEST(InputHardening, HeaderThatIsNotUtf8IsFatal) {
  const Error e = expect_error([] { read_csv_events("id,r\xE9gion,date,latitude,longitude\n"); });
  EXPECT_NE(e.message().find("column 2"), std::string::npos) << e.what();
}

TEST(InputHardening, EventYearsOutsideThePlausibleRangeAreRejects) {
  const std::string next = std::to_string(last_event_year() + 1);
  auto sink = read_csv_events(
      "id,date,latitude,longitude\n"
      "1,9999-01-01,1,2\n"
      "2,1900-05-05,1,2\n"
      "3," +
      next + "-01-01,1,2\n" + "4,1946-01-01,1,2\n" + "5,2024-02-29,1,2\n");
  ASSERT_EQ(sink.events.size(), 2u);
  ASSERT_EQ(sink.rejects.size(), 3u);
  EXPECT_EQ(sink.rejects[0].field, "date");
  EXPECT_NE(sink.rejects[0].reason.find("year 9999 is outside the plausible range 1946.."), std::string::npos)
      << sink.rejects[0].reason;
  EXPECT_EQ(sink.rejects[2].line, 4);
}

TEST(InputHardening, ObservationAndSiteYearsAreBoundedToo) {
  auto obs = read_obs("indicator,area,month,value\nx,a,9999-01,1\nx,a,2023-01,1\n");
  ASSERT_EQ(obs.rejects.size(), 1u);
  EXPECT_EQ(obs.rejects[0].field, "month");
  SiteCollector sites;
  read_sites(InputStream::from_memory("site_id,latitude,longitude,period\na,1,2,1900\nb,1,2,2020-03\n", "s.csv"),
             SiteSource::kCsv, sites);
  ASSERT_EQ(sites.rejects.size(), 1u);
  EXPECT_EQ(sites.rejects[0].field, "period");
  EXPECT_EQ(sites.rows.size(), 1u);
}

// --- 18.10 and 18.3 through a reader ----------------------------------------------

TEST(InputHardening, CrOnlyObservationsImportEveryRow) {
  auto sink = read_obs("indicator,area,month,value\rx,a,2023-01,1\rx,b,2023-02,2\r");
  EXPECT_TRUE(sink.rejects.empty());
  ASSERT_EQ(sink.observations.size(), 2u);
  EXPECT_EQ(sink.observations[1].second, 3);
}

TEST(InputHardening, StrayQuoteInObservationsStopsTheImportAtItsLine) {
  std::string content = "indicator,area,month,value\n";
  for (int i = 1; i <= 4; ++i) content += "x,a" + std::to_string(i) + ",2023-0" + std::to_string(i) + ",1\n";
  content += "x,\"a5,2023-05,1\n";  // line 6: the quote is never meant to open
  for (int i = 6; i <= 9; ++i) content += "x,a" + std::to_string(i) + ",2023-0" + std::to_string(i) + ",1\n";
  content += "x,a10\",2023-10\n";  // line 11: a stray closing quote
  content += "x,a11,2023-11,1\n";
  const Error e = expect_error([&] { read_obs(content); });
  EXPECT_EQ(e.category(), ErrorCategory::kBadInput);
  EXPECT_EQ(e.where().line, 6);
  EXPECT_EQ(e.where().file, "obs.csv");
}

// --- 18.9: pipes -----------------------------------------------------------------------

/// A pipe named like a process substitution, fed by a thread.
class PipeFile {
 public:
  explicit PipeFile(std::string content) {
    std::signal(SIGPIPE, SIG_IGN);
    int fds[2];
    if (::pipe(fds) != 0) throw std::runtime_error("pipe");
    read_fd_ = fds[0];
    writer_ = std::thread([fd = fds[1], c = std::move(content)] {
      std::size_t off = 0;
      while (off < c.size()) {
        const auto n = ::write(fd, c.data() + off, c.size() - off);
        if (n <= 0) break;
        off += static_cast<std::size_t>(n);
      }
      ::close(fd);
    });
  }
  ~PipeFile() {
    ::close(read_fd_);
    writer_.join();
  }
  [[nodiscard]] std::string path() const { return "/proc/self/fd/" + std::to_string(read_fd_); }

 private:
  int read_fd_ = -1;
  std::thread writer_;
};

// Checking for JSON used to read (and lose) the first 4 KiB of a pipe.
TEST(InputHardening, EventsFromAPipeLoseNothing) {
  std::string content = "id,date,latitude,longitude\n";
  for (int i = 0; i < 2000; ++i) content += std::to_string(i) + ",2020-01-01,1,2\n";
  PipeFile pipe(content);
  EventCollector sink;
  read_events(pipe.path(), EventSource::kCsv, {}, sink);
  EXPECT_TRUE(sink.rejects.empty());
  ASSERT_EQ(sink.events.size(), 2000u);
  EXPECT_EQ(sink.events.front().first.source_id, "0");
}

TEST(InputHardening, DevZeroAsEventsStopsWithBadInput) {
  EventCollector sink;
  const Error e = expect_error([&] { read_events("/dev/zero", EventSource::kCsv, {}, sink); });
  EXPECT_EQ(e.category(), ErrorCategory::kBadInput);
}

// --- GeoJSON: streamed, checked per feature ----------------------------------------------

std::string feature(const std::string& id, const std::string& extra = "") {
  return R"j({"type":"Feature","geometry":{"type":"Point","coordinates":[29.25,-1.75]},"properties":{"id":")j" + id +
         R"j(","type_of_violence":3,"date_start":"2019-11-05","date_end":"2019-11-05","best":1)j" + extra + "}}";
}

EventCollector read_geojson(const std::string& text) {
  EventCollector sink;
  read_events(InputStream::from_memory(text, "ged.geojson"), EventSource::kUcdp, {}, sink);
  return sink;
}

TEST(GeoJsonStream, TypeAfterFeaturesAndOtherMembersAreFine) {
  auto sink = read_geojson(R"j({"bbox":[1,2,3,4],"features":[)j" + feature("1") + "," + feature("2") +
                           R"j(],"name":"ged","type":"FeatureCollection"})j");
  EXPECT_TRUE(sink.rejects.empty());
  ASSERT_EQ(sink.events.size(), 2u);
  EXPECT_EQ(sink.events[1].first.source_id, "2");
}

TEST(GeoJsonStream, NonObjectFeaturesAreRejectsWithTheirIndex) {
  auto sink = read_geojson(R"j({"type":"FeatureCollection","features":[)j" + feature("1") + R"j(,5,[1],"x",)j" +
                           feature("2") + "]}");
  ASSERT_EQ(sink.events.size(), 2u);
  EXPECT_EQ(sink.events[1].second, 5);
  ASSERT_EQ(sink.rejects.size(), 3u);
  EXPECT_EQ(sink.rejects[1].line, 3);
}

TEST(GeoJsonStream, NulEscapeInAPropertyIsARowReject) {
  auto sink =
      read_geojson(R"j({"type":"FeatureCollection","features":[)j" + feature("1", R"j(,"side_a":"A\u0000B")j") + "]}");
  EXPECT_TRUE(sink.events.empty());
  ASSERT_EQ(sink.rejects.size(), 1u);
  EXPECT_EQ(sink.rejects[0].field, "side_a");
}

TEST(GeoJsonStream, InvalidUtf8IsFatalWithItsLine) {
  const Error e = expect_error([] {
    read_geojson("{\"type\":\"FeatureCollection\",\n\"features\":[\n" + feature("1") + ",\n" +
                 feature("2", ",\"side_a\":\"\xC3(\"") + "]}");
  });
  EXPECT_EQ(e.category(), ErrorCategory::kBadInput);
  EXPECT_EQ(e.where().line, 4);
}

TEST(GeoJsonStream, FeaturesThatAreNotAListOrAWrongTypeFail) {
  EXPECT_NE(expect_error([] { read_geojson(R"j({"type":"FeatureCollection","features":{}})j"); })
                .message()
                .find("not a FeatureCollection"),
            std::string::npos);
  EXPECT_EQ(expect_error([] { read_geojson(R"j({"features":[],"type":"Topology"})j"); }).where().field, "type");
}

}  // namespace
}  // namespace endstate::ingest
