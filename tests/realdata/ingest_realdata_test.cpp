// The ingest readers over the real files in ../shared/data (see its
// PROVENANCE.md): UCDP GED 23.1 sample and Geo-PKO v2.0 / v2.3 for MONUC/MONUSCO.
#include <algorithm>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "endstate/ingest/readers.hpp"
#include "test_config.hpp"

namespace endstate::ingest {
namespace {

struct Events final : EventSink {
  std::vector<Event> events;
  std::vector<Reject> rejects;
  void on_event(Event&& e, std::int64_t) override { events.push_back(std::move(e)); }
  void on_reject(Reject&& r) override { rejects.push_back(std::move(r)); }
};

struct Sites final : SiteSink {
  std::vector<Site> sites;
  std::vector<Deployment> deployments;
  std::vector<Reject> rejects;
  void on_site(Site&& s, Deployment&& d, std::int64_t) override {
    sites.push_back(std::move(s));
    deployments.push_back(std::move(d));
  }
  void on_reject(Reject&& r) override { rejects.push_back(std::move(r)); }
};

std::string describe(const std::vector<Reject>& rejects) {
  std::string out;
  for (const auto& r : rejects) out += std::to_string(r.line) + " " + r.field + ": " + r.reason + "\n";
  return out;
}

bool has_mojibake(const std::string& s) { return s.find("\xC3\x83") != std::string::npos; }  // "Ã"

TEST(IngestRealData, UcdpGedSample) {
  ENDSTATE_REQUIRE_SHARED_DATA();
  Events sink;
  read_events((testing::shared_data_dir() / "ucdp/ged231_sample1000.csv").string(), EventSource::kUcdp, {}, sink);
  EXPECT_TRUE(sink.rejects.empty()) << describe(sink.rejects);
  ASSERT_EQ(sink.events.size(), 1000u);
  int drc = 0;
  std::set<std::string> ids;
  for (const auto& e : sink.events) {
    if (e.country == "DR Congo (Zaire)") ++drc;
    ids.insert(e.source_id);
    EXPECT_TRUE(e.where.valid()) << e.source_id;
    EXPECT_LE(e.fatalities_low, e.fatalities_best);
    EXPECT_LE(e.fatalities_best, e.fatalities_high);
    EXPECT_LE(e.date_start, e.date_end);
    EXPECT_EQ(e.violence_original.size(), 1u);
  }
  EXPECT_EQ(drc, 35);
  EXPECT_EQ(ids.size(), 1000u);
  // 13 rows of the sample have low > best or best > high; they are kept with
  // the interval widened to hold best (see events_ucdp.cpp).
  const auto it =
      std::find_if(sink.events.begin(), sink.events.end(), [](const Event& e) { return e.source_id == "464847"; });
  ASSERT_NE(it, sink.events.end());
  EXPECT_EQ(it->fatalities_best, 333);
  EXPECT_EQ(it->fatalities_low, 333);
  EXPECT_EQ(it->fatalities_high, 333);
  // The first record of the file (id 300380, Syria, 2013-01-03, 2 deaths).
  const Event& first = sink.events.front();
  EXPECT_EQ(first.source_id, "300380");
  EXPECT_EQ(first.violence, ViolenceType::kStateBased);
  EXPECT_EQ(first.date_start.iso(), "2013-01-03");
  EXPECT_EQ(first.actor1, "Government of Syria");
  EXPECT_EQ(first.fatalities_best, 2);
  EXPECT_EQ(first.priogrid_gid, 181154);
}

TEST(IngestRealData, GeoPkoV20MapLevel) {
  ENDSTATE_REQUIRE_SHARED_DATA();
  Sites sink;
  read_sites((testing::shared_data_dir() / "drc/peacekeeping/geopko_v2.0_monuc_monusco_maplevel.csv").string(),
             SiteSource::kGeoPko, sink);
  EXPECT_TRUE(sink.rejects.empty()) << describe(sink.rejects);
  ASSERT_EQ(sink.sites.size(), 2598u);
  int equateur = 0;
  int unknown_troops = 0;
  int hq = 0;
  for (std::size_t i = 0; i < sink.sites.size(); ++i) {
    const Site& s = sink.sites[i];
    EXPECT_FALSE(has_mojibake(s.name) || has_mojibake(s.admin1) || has_mojibake(s.admin2) || has_mojibake(s.country) ||
                 has_mojibake(sink.deployments[i].notes))
        << s.key << " " << s.admin1;
    if (s.admin1 == "\xC3\x89quateur") ++equateur;
    if (s.kind == "hq") ++hq;
    if (sink.deployments[i].notes.find("No.troops not reported") != std::string::npos) ++unknown_troops;
    EXPECT_EQ(sink.deployments[i].source.rfind("geopko-2.0 Map no. ", 0), 0u) << sink.deployments[i].source;
    EXPECT_EQ(sink.deployments[i].period_start, sink.deployments[i].period_end);
  }
  EXPECT_GT(equateur, 0);
  EXPECT_EQ(unknown_troops, 2);  // Bangui and Mbuji-Mayi: "unknown" in the source, kept as 0 with a note
  EXPECT_EQ(hq, 76);             // Kinshasa, HQ code 3, on every map
  std::set<std::string> keys;
  for (const auto& s : sink.sites) keys.insert(s.key);
  EXPECT_EQ(keys.size(), 188u);  // distinct mission|location|lat|lon
}

TEST(IngestRealData, GeoPkoV23LocationYear) {
  ENDSTATE_REQUIRE_SHARED_DATA();
  Sites sink;
  read_sites((testing::shared_data_dir() / "drc/peacekeeping/geopko_v2.3_frontmap_monuc_monusco.csv").string(),
             SiteSource::kGeoPko, sink);
  EXPECT_TRUE(sink.rejects.empty()) << describe(sink.rejects);
  ASSERT_EQ(sink.sites.size(), 1317u);
  int unknown_troops = 0;
  std::set<std::string> keys;
  for (std::size_t i = 0; i < sink.sites.size(); ++i) {
    const Site& s = sink.sites[i];
    EXPECT_FALSE(has_mojibake(s.name) || has_mojibake(s.country)) << s.key;
    keys.insert(s.key);
    const Deployment& d = sink.deployments[i];
    EXPECT_EQ(d.source, "geopko-2.3");
    EXPECT_EQ(d.period_start.month(), 1);
    EXPECT_EQ(d.period_end.month(), 12);
    if (d.notes.find("NoTroops not reported") != std::string::npos) ++unknown_troops;
  }
  EXPECT_EQ(unknown_troops, 2);  // Bangui 2001 and Mbuji-Mayi 2014 are NA in the source
  EXPECT_EQ(keys.size(), 206u);  // distinct mission|location|lat|lon
}

}  // namespace
}  // namespace endstate::ingest
