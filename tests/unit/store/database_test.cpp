// The store's repositories on the backend under test (store_fixture.hpp):
// the same expectations for SQLite and PostgreSQL.
#include <filesystem>

#include <gtest/gtest.h>

#include "endstate/core/error.hpp"
#include "endstate/store/database.hpp"
#include "store_fixture.hpp"

namespace endstate::store {
namespace {

class DatabaseTest : public testing::StoreTest {
 protected:
  static Area square(const std::string& id, const std::string& level, const std::string& parent = "") {
    Area a;
    a.id = id;
    a.name = "Area " + id;
    a.level = level;
    a.parent_id = parent;
    a.wkb = square_wkb();
    a.area_km2 = 12.5;
    return a;
  }
  static Event event(const std::string& id, const char* date) {
    Event e;
    e.source = "ucdp";
    e.source_id = id;
    e.date_start = e.date_end = *Date::parse(date);
    e.where = {-1.5, 29.2};
    e.violence = ViolenceType::kOneSided;
    e.violence_original = "3";
    e.fatalities_best = e.fatalities_low = e.fatalities_high = 5;
    return e;
  }
};

TEST_F(DatabaseTest, CreatesMigratesAndReopens) {
  {
    auto db = Database::open(path_);
    EXPECT_EQ(db.schema_version(), latest_schema_version());
    EXPECT_GE(latest_schema_version(), 1);
  }
  auto db = Database::open(path_);  // second open applies nothing
  EXPECT_EQ(db.schema_version(), latest_schema_version());
  auto ro = Database::open_read_only(path_);
  EXPECT_EQ(ro.status().table_counts.front().second, 0);
}

TEST_F(DatabaseTest, ReadOnlyOpenOfMissingFileIsNotFound) {
  try {
    Database::open_read_only(path_);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.category(), ErrorCategory::kNotFound);
  }
  EXPECT_FALSE(store_exists());
}

TEST_F(DatabaseTest, ImportLogListsTheLatestOrEveryEntry) {
  auto db = Database::open(path_);
  for (int i = 0; i < 3; ++i) {
    Database::Transaction tx(db);
    db.begin_import("events", "f" + std::to_string(i), "sha" + std::to_string(i), "ucdp");
    tx.commit();
  }
  const auto latest = db.imports(2);
  ASSERT_EQ(latest.size(), 2u);
  EXPECT_EQ(latest[0].file, "f2");
  EXPECT_EQ(db.imports(-1).size(), 3u) << "a negative limit lists every entry (ingest asks for all)";
}

TEST_F(DatabaseTest, RollbackLeavesNothing) {
  auto db = Database::open(path_);
  {
    Database::Transaction tx(db);
    const auto imp = db.begin_import("areas", "f", "sha", "test");
    EXPECT_TRUE(db.insert_area(square("a", "province"), imp));
  }  // no commit
  EXPECT_TRUE(db.areas().empty());
  EXPECT_TRUE(db.imports().empty());
}

TEST_F(DatabaseTest, BulkTransactionSkipsForeignKeysOnlyWhileItLasts) {
  if (testing::postgres_backend()) GTEST_SKIP() << "SQLite only: PostgreSQL checks every row (LinkToUnknownArea...)";
  auto db = Database::open(path_);
  std::int64_t event_id = 0;
  {
    Database::Transaction tx(db, Database::Transaction::Mode::kBulk);
    const auto imp = db.begin_import("events", "f", "sha", "ucdp");
    event_id = *db.insert_event(event("1", "2020-01-03"), imp);
    EXPECT_NO_THROW(db.link_event_area(event_id, "nowhere")) << "not checked inside a bulk transaction";
  }  // rolled back
  Database::Transaction tx(db);
  const auto imp = db.begin_import("events", "f", "sha", "ucdp");
  event_id = *db.insert_event(event("1", "2020-01-03"), imp);
  EXPECT_THROW(db.link_event_area(event_id, "nowhere"), Error) << "checks are back on afterwards";
}

TEST_F(DatabaseTest, AreasHierarchyAndLookupByName) {
  auto db = Database::open(path_);
  Database::Transaction tx(db);
  const auto imp = db.begin_import("areas", "f", "sha", "test");
  EXPECT_TRUE(db.insert_area(square("cd", "country"), imp));
  EXPECT_TRUE(db.insert_area(square("nk", "province", "cd"), imp));
  EXPECT_TRUE(db.insert_area(square("beni", "territory", "nk"), imp));
  EXPECT_FALSE(db.insert_area(square("nk", "province", "cd"), imp));  // duplicate id
  tx.commit();
  EXPECT_EQ(db.areas("province").size(), 1u);
  EXPECT_EQ(db.area_levels(), (std::vector<std::string>{"country", "province", "territory"}));
  EXPECT_EQ(db.find_area("AREA NK")->id, "nk");
  EXPECT_FALSE(db.find_area("nowhere"));
  EXPECT_EQ(db.area_subtree("cd"), (std::vector<std::string>{"beni", "cd", "nk"}));
  EXPECT_EQ(db.areas("province").front().wkb, square_wkb());
}

TEST_F(DatabaseTest, AmbiguousNameIsBadInput) {
  auto db = Database::open(path_);
  Database::Transaction tx(db);
  const auto imp = db.begin_import("areas", "f", "sha", "test");
  Area a = square("x1", "province");
  Area b = square("x2", "district");
  a.name = b.name = "Kasai";
  db.insert_area(a, imp);
  db.insert_area(b, imp);
  tx.commit();
  EXPECT_THROW(db.find_area("kasai"), Error);
}

TEST_F(DatabaseTest, EventsDeduplicateOnSourceAndIdAndFilter) {
  auto db = Database::open(path_);
  Database::Transaction tx(db);
  const auto imp = db.begin_import("events", "f", "sha", "ucdp");
  db.insert_area(square("nk", "province"), imp);
  const auto id1 = db.insert_event(event("1", "2020-01-03"), imp);
  ASSERT_TRUE(id1);
  std::int64_t existing = -1;
  EXPECT_FALSE(db.insert_event(event("1", "2020-01-03"), imp, &existing));
  EXPECT_EQ(existing, imp);
  Event acled = event("1", "2020-03-01");
  acled.source = "acled";
  acled.violence = ViolenceType::kStateBased;
  ASSERT_TRUE(db.insert_event(acled, imp));
  db.link_event_area(*id1, "nk");
  tx.commit();

  int n = 0;
  db.for_each_event({}, [&](const EventRow&) { ++n; });
  EXPECT_EQ(n, 2);
  EventFilter f;
  f.area_ids = {"nk"};
  std::vector<EventRow> rows;
  db.for_each_event(f, [&](const EventRow& r) { rows.push_back(r); });
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].area_ids, std::vector<std::string>{"nk"});
  EXPECT_EQ(rows[0].event.violence, ViolenceType::kOneSided);
  EXPECT_EQ(rows[0].event.date_start.iso(), "2020-01-03");
  f = {};
  f.from = Month::parse("2020-02");
  n = 0;
  db.for_each_event(f, [&](const EventRow& r) {
    ++n;
    EXPECT_EQ(r.event.source, "acled");
  });
  EXPECT_EQ(n, 1);
  f = {};
  f.type = ViolenceType::kStateBased;
  n = 0;
  db.for_each_event(f, [&](const EventRow&) { ++n; });
  EXPECT_EQ(n, 1);
  const auto st = db.status();
  EXPECT_EQ(st.first_event->iso(), "2020-01-03");
  EXPECT_EQ(st.last_event->iso(), "2020-03-01");
}

TEST_F(DatabaseTest, ConstraintsRejectNegativeFatalities) {
  auto db = Database::open(path_);
  Database::Transaction tx(db);
  const auto imp = db.begin_import("events", "f", "sha", "ucdp");
  Event e = event("9", "2020-01-01");
  e.fatalities_best = -1;
  EXPECT_THROW(db.insert_event(e, imp), Error);
}

TEST_F(DatabaseTest, SitesDeploymentsAndMonthFilter) {
  auto db = Database::open(path_);
  Database::Transaction tx(db);
  const auto imp = db.begin_import("sites", "f", "sha", "geopko");
  Site s;
  s.key = "MONUSCO|Beni|0.4900|29.4700";
  s.mission = "MONUSCO";
  s.name = "Beni";
  s.where = {0.49, 29.47};
  s.kind = "company_base";
  auto [id, inserted] = db.upsert_site(s, imp);
  EXPECT_TRUE(inserted);
  EXPECT_EQ(db.upsert_site(s, imp), std::make_pair(id, false));
  Deployment d;
  d.period_start = *Month::parse("2019-01");
  d.period_end = *Month::parse("2019-12");
  d.source = "geopko-2.3";
  d.troops = 850;
  EXPECT_TRUE(db.insert_deployment(id, d, imp));
  EXPECT_FALSE(db.insert_deployment(id, d, imp));
  d.period_start = *Month::parse("2020-01");
  d.period_end = *Month::parse("2020-12");
  d.troops = 600;
  EXPECT_TRUE(db.insert_deployment(id, d, imp));
  tx.commit();
  auto all = db.sites();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].latest->troops, 600);
  EXPECT_EQ(all[0].deployments, 2);
  auto in2019 = db.sites({}, Month::parse("2019-05"));
  ASSERT_EQ(in2019.size(), 1u);
  EXPECT_EQ(in2019[0].latest->troops, 850);
  EXPECT_TRUE(db.sites({}, Month::parse("2021-01")).empty());
  EXPECT_EQ(db.deployments(id).size(), 2u);
}

TEST_F(DatabaseTest, ObservationsNeedKnownAreaAndIndicator) {
  auto db = Database::open(path_);
  Database::Transaction tx(db);
  const auto imp = db.begin_import("observations", "f", "sha", "csv");
  db.insert_area(square("nk", "province"), imp);
  db.ensure_indicator("courts");
  Observation o{"courts", "nk", *Month::parse("2023-01"), 3.0, "mission"};
  EXPECT_TRUE(db.insert_observation(o, imp));
  EXPECT_FALSE(db.insert_observation(o, imp));
  tx.commit();
  EXPECT_EQ(db.observations("courts").size(), 1u);
  // An unknown area is refused (foreign key) and the transaction writes nothing.
  Database::Transaction tx2(db);
  Observation bad{"courts", "atlantis", *Month::parse("2023-01"), 3.0, "mission"};
  try {
    db.insert_observation(bad, imp);
    tx2.commit();
    FAIL() << "an observation of an unknown area was stored";
  } catch (const Error& e) {
    EXPECT_EQ(e.category(), ErrorCategory::kBadInput) << e.what();
  }
}

TEST_F(DatabaseTest, ForeignFileIsRefused) {
  if (testing::postgres_backend())
    GTEST_SKIP() << "SQLite only: see PostgresStore.DatabaseOfAnotherApplicationIsRefused";
  {
    std::FILE* f = std::fopen(path_.c_str(), "wb");
    std::fputs("plain text, not a database", f);
    std::fclose(f);
  }
  EXPECT_THROW(Database::open(path_), Error);
}

}  // namespace
}  // namespace endstate::store
