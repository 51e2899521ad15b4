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

using testing::EventCollector;
using testing::expect_error;

const std::vector<std::string> kAcledColumns = {
    "event_id_cnty", "event_date",     "year",     "time_precision", "disorder_type",
    "event_type",    "sub_event_type", "actor1",   "assoc_actor_1",  "inter1",
    "actor2",        "assoc_actor_2",  "inter2",   "interaction",    "civilian_targeting",
    "iso",           "region",         "country",  "admin1",         "admin2",
    "admin3",        "location",       "latitude", "longitude",      "geo_precision",
    "source",        "source_scale",   "notes",    "fatalities",     "tags",
    "timestamp"};

std::string acled_header() { return join(kAcledColumns, ",") + "\n"; }

std::string acled_row(const std::map<std::string, std::string>& set) {
  std::map<std::string, std::string> v = {{"event_id_cnty", "DRC1"},
                                          {"event_date", "2023-03-12"},
                                          {"year", "2023"},
                                          {"time_precision", "1"},
                                          {"event_type", "Battles"},
                                          {"sub_event_type", "Armed clash"},
                                          {"actor1", "M23: March 23 Movement"},
                                          {"inter1", "2"},
                                          {"actor2", "Mai-Mai Militia"},
                                          {"inter2", "3"},
                                          {"iso", "180"},
                                          {"region", "Middle Africa"},
                                          {"country", "Democratic Republic of Congo"},
                                          {"admin1", "Nord-Kivu"},
                                          {"admin2", "Rutshuru"},
                                          {"location", "Kiwanja"},
                                          {"latitude", "-1.2"},
                                          {"longitude", "29.45"},
                                          {"geo_precision", "2"},
                                          {"source", "Radio Okapi"},
                                          {"notes", "\"On 12 March 2023, clashes, near Kiwanja.\""},
                                          {"fatalities", "4"},
                                          {"timestamp", "1680000000"}};
  for (const auto& [k, x] : set) v[k] = x;
  std::vector<std::string> cells;
  for (const auto& c : kAcledColumns) cells.push_back(v.count(c) ? v[c] : "");
  return join(cells, ",") + "\n";
}

class Acled : public testing::TempDir {
 protected:
  EventCollector read(const std::string& content) {
    EventCollector sink;
    read_events(write("acled.csv", content), EventSource::kAcled, {}, sink);
    return sink;
  }
  Event one(const std::map<std::string, std::string>& set) {
    auto sink = read(acled_header() + acled_row(set));
    EXPECT_TRUE(sink.rejects.empty()) << (sink.rejects.empty() ? "" : sink.rejects[0].reason);
    EXPECT_EQ(sink.events.size(), 1u);
    return sink.events.empty() ? Event{} : sink.events[0].first;
  }
};

TEST_F(Acled, MapsFields) {
  const Event e = one({});
  EXPECT_EQ(e.source, "acled");
  EXPECT_EQ(e.source_id, "DRC1");
  EXPECT_EQ(e.date_start.iso(), "2023-03-12");
  EXPECT_EQ(e.date_end, e.date_start);
  EXPECT_EQ(e.date_precision, 1);
  EXPECT_EQ(e.location_precision, 2);
  EXPECT_DOUBLE_EQ(e.where.lat, -1.2);
  EXPECT_DOUBLE_EQ(e.where.lon, 29.45);
  EXPECT_EQ(e.actor1, "M23: March 23 Movement");
  EXPECT_EQ(e.actor2, "Mai-Mai Militia");
  EXPECT_EQ(e.country, "Democratic Republic of Congo");
  EXPECT_EQ(e.admin1, "Nord-Kivu");
  EXPECT_EQ(e.location, "Kiwanja");
  EXPECT_EQ(e.fatalities_best, 4);
  EXPECT_EQ(e.fatalities_low, 4);
  EXPECT_EQ(e.fatalities_high, 4);
  EXPECT_EQ(e.violence_original, "Battles / Armed clash");
}

TEST_F(Acled, TextDate) {
  EXPECT_EQ(one({{"event_date", "\"12 March 2023\""}}).date_start.iso(), "2023-03-12");
  EXPECT_EQ(one({{"event_date", "1 Feb 2021"}}).date_start.iso(), "2021-02-01");
}

TEST_F(Acled, ViolenceAgainstCivilians) {
  const Event e = one({{"event_type", "Violence against civilians"}, {"sub_event_type", "Attack"}});
  EXPECT_EQ(e.violence, ViolenceType::kOneSided);
  EXPECT_EQ(e.violence_original, "Violence against civilians / Attack");
  EXPECT_EQ(e.civilian_deaths, 4);
}

TEST_F(Acled, BattlesBetweenNonStateGroups) {
  const Event e = one({});
  EXPECT_EQ(e.violence, ViolenceType::kNonState);
  EXPECT_FALSE(e.civilian_deaths.has_value());
}

TEST_F(Acled, BattlesWithStateForcesByInterCode) {
  EXPECT_EQ(one({{"inter1", "1"}}).violence, ViolenceType::kStateBased);
  EXPECT_EQ(one({{"inter2", "1"}}).violence, ViolenceType::kStateBased);
  EXPECT_EQ(one({{"inter2", "State forces"}}).violence, ViolenceType::kStateBased);  // 2024+ text codes
  EXPECT_EQ(one({{"inter1", "Rebel group"}, {"inter2", "Identity militia"}}).violence, ViolenceType::kNonState);
}

TEST_F(Acled, BattlesWithStateForcesByActorName) {
  EXPECT_EQ(one({{"actor2", "\"Military Forces of the Democratic Republic of Congo (2019-)\""}}).violence,
            ViolenceType::kStateBased);
  EXPECT_EQ(one({{"actor1", "Police Forces of the Democratic Republic of Congo (2019-)"}}).violence,
            ViolenceType::kStateBased);
}

TEST_F(Acled, ExplosionsRemoteViolence) {
  const Event remote =
      one({{"event_type", "Explosions/Remote violence"}, {"sub_event_type", "Shelling/artillery/missile attack"}});
  EXPECT_EQ(remote.violence, ViolenceType::kRemote);
  EXPECT_FALSE(remote.civilian_deaths.has_value());
  const Event civ = one({{"event_type", "Explosions/Remote violence"}, {"civilian_targeting", "Civilian targeting"}});
  EXPECT_EQ(civ.violence, ViolenceType::kOneSided);
  EXPECT_EQ(civ.civilian_deaths, 4);
}

TEST_F(Acled, Riots) {
  EXPECT_EQ(one({{"event_type", "Riots"}, {"sub_event_type", "Violent demonstration"}}).violence, ViolenceType::kRiots);
  const Event mob =
      one({{"event_type", "Riots"}, {"sub_event_type", "Mob violence"}, {"civilian_targeting", "Civilian targeting"}});
  EXPECT_EQ(mob.violence, ViolenceType::kOneSided);
  EXPECT_EQ(mob.civilian_deaths, 4);
}

TEST_F(Acled, ProtestsStrategicAndOther) {
  EXPECT_EQ(one({{"event_type", "Protests"}, {"fatalities", "0"}}).violence, ViolenceType::kProtests);
  const Event s = one({{"event_type", "Strategic developments"}, {"sub_event_type", ""}});
  EXPECT_EQ(s.violence, ViolenceType::kStrategic);
  EXPECT_EQ(s.violence_original, "Strategic developments");
  const Event o = one({{"event_type", "Something new"}});
  EXPECT_EQ(o.violence, ViolenceType::kOther);
  EXPECT_EQ(o.violence_original, "Something new / Armed clash");
}

TEST_F(Acled, RowRejects) {
  auto sink = read(acled_header() + acled_row({{"event_id_cnty", ""}}) + acled_row({{"event_date", "2023-13-01"}}) +
                   acled_row({{"fatalities", "-2"}}) + acled_row({{"latitude", "-91"}, {"longitude", "29"}}) +
                   acled_row({{"notes", "\"caf\xc3\""}}) + acled_row({}));
  ASSERT_EQ(sink.rejects.size(), 5u);
  const std::vector<std::pair<std::string, std::string>> want = {{"event_id_cnty", "missing id"},
                                                                 {"event_date", "'2023-13-01' is not a date"},
                                                                 {"fatalities", "negative fatalities (-2)"},
                                                                 {"latitude", "lat/lon look swapped"},
                                                                 {"notes", "not valid UTF-8 at byte 3"}};
  for (std::size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(sink.rejects[i].line, static_cast<std::int64_t>(i) + 2);
    EXPECT_EQ(sink.rejects[i].field, want[i].first);
    EXPECT_NE(sink.rejects[i].reason.find(want[i].second), std::string::npos) << sink.rejects[i].reason;
  }
  ASSERT_EQ(sink.events.size(), 1u);
  EXPECT_EQ(sink.events[0].second, 7);
}

TEST_F(Acled, FatalMissingColumns) {
  const Error e = expect_error([&] { read("event_id_cnty,event_date,latitude,longitude\nX,2023-01-01,1,2\n"); });
  EXPECT_EQ(e.category(), ErrorCategory::kBadInput);
  EXPECT_NE(e.message().find("event_type, fatalities"), std::string::npos) << e.message();
  EXPECT_EQ(e.where().line, 1);
}

}  // namespace
}  // namespace endstate::ingest
