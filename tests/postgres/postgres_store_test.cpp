// What only a server store shows: databases of other applications and newer
// schemas refused before anything changes, connection failures as
// environment errors (never echoing a password), PostGIS geometry that GDAL
// lists with its types, snapshots for readers, a failed statement ending its
// transaction, and the roles of docs/deployment.md.
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "endstate/core/error.hpp"
#include "endstate/store/database.hpp"
#include "postgres/test_store.hpp"
#include "test_config.hpp"

namespace endstate::testing {
namespace {

using store::Database;

class PostgresStore : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(postgres_backend()) << "run with ENDSTATE_TEST_DB_BACKEND=postgresql (ctest -L postgres)";
    db_ = std::make_unique<ScratchDatabase>(::testing::UnitTest::GetInstance()->current_test_info()->name());
  }
  std::string sql(const std::string& q) const {
    std::string out;
    EXPECT_EQ(db_->psql(q, &out), 0) << q << ": " << out;
    while (!out.empty() && out.back() == '\n') out.pop_back();
    return out;
  }
  static Area square(const std::string& id, double lon, double lat) {
    Area a;
    a.id = id;
    a.name = id;
    a.level = "province";
    std::vector<std::uint8_t> w = {1, 3, 0, 0, 0, 1, 0, 0, 0, 5, 0, 0, 0};
    const double pts[5][2] = {{lon, lat}, {lon + 1, lat}, {lon + 1, lat + 1}, {lon, lat + 1}, {lon, lat}};
    for (const auto& p : pts) {
      for (double v : p) {
        const auto* b = reinterpret_cast<const std::uint8_t*>(&v);
        w.insert(w.end(), b, b + sizeof v);
      }
    }
    a.wkb = w;
    a.min_lon = lon;
    a.min_lat = lat;
    a.max_lon = lon + 1;
    a.max_lat = lat + 1;
    a.area_km2 = 12300;
    a.centroid = {lat + 0.5, lon + 0.5};
    return a;
  }
  static Event event(const std::string& id, LatLon where) {
    Event e;
    e.source = "ucdp";
    e.source_id = id;
    e.date_start = e.date_end = *Date::parse("2021-03-04");
    e.where = where;
    e.violence = ViolenceType::kStateBased;
    e.fatalities_best = e.fatalities_low = e.fatalities_high = 2;
    return e;
  }
  /// A store with one area, one event linked to it and one site.
  void small_store() {
    auto db = Database::open(db_->location());
    Database::Transaction tx(db);
    const auto imp = db.begin_import("areas", "f", "sha", "test");
    db.insert_area(square("north", 28, -1), imp);
    const auto id = db.insert_event(event("1", {-0.5, 28.5}), imp);
    db.link_event_area(*id, "north");
    Site s;
    s.key = "M|Beni";
    s.mission = "M";
    s.name = "Beni";
    s.where = {-0.4, 28.4};
    s.kind = "hq";
    db.upsert_site(s, imp);
    tx.commit();
  }

  std::unique_ptr<ScratchDatabase> db_;
};

Error error_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e;
  }
  ADD_FAILURE() << "expected an endstate::Error";
  return Error(ErrorCategory::kInternal, "none");
}

TEST_F(PostgresStore, DatabaseOfAnotherApplicationIsRefusedBeforeAnyChange) {
  sql("CREATE TABLE public.payroll (id int)");
  const auto e = error_of([&] { Database::open(db_->location()); });
  EXPECT_EQ(e.category(), ErrorCategory::kBadInput);
  EXPECT_NE(std::string(e.what()).find("another application (public.payroll)"), std::string::npos) << e.what();
  EXPECT_FALSE(db_->has_store()) << "the schema was created anyway";
  EXPECT_EQ(error_of([&] { Database::open_read_only(db_->location()); }).category(), ErrorCategory::kNotFound);
}

TEST_F(PostgresStore, SchemaOfAnotherApplicationIsRefused) {
  sql("CREATE SCHEMA endstate; CREATE TABLE endstate.meta (key text, value text); "
      "INSERT INTO endstate.meta VALUES ('application', 'other'), ('schema_version', '1')");
  EXPECT_EQ(error_of([&] { Database::open(db_->location()); }).category(), ErrorCategory::kBadInput);
  EXPECT_EQ(error_of([&] { Database::open_read_only(db_->location()); }).category(), ErrorCategory::kBadInput);
  EXPECT_EQ(sql("SELECT count(*) FROM pg_tables WHERE schemaname = 'endstate'"), "1");
}

TEST_F(PostgresStore, NewerSchemaIsRefusedBeforeAnyChange) {
  { auto db = Database::open(db_->location()); }
  sql("UPDATE endstate.meta SET value = '99' WHERE key = 'schema_version'");
  const std::string before = db_->fingerprint();
  for (auto access : {store::Access::kReadWrite, store::Access::kReadOnly}) {
    const auto e = error_of([&] { Database::open(db_->location(), access); });
    EXPECT_EQ(e.category(), ErrorCategory::kBadInput);
    EXPECT_NE(std::string(e.what()).find("newer than this build"), std::string::npos) << e.what();
  }
  EXPECT_EQ(db_->fingerprint(), before);
}

TEST_F(PostgresStore, MigratesAnOlderStoreInOrder) {
  { auto db = Database::open(db_->location()); }
  // Back to version 2 with an audit chain: 0003's head record, 0004's indexes,
  // 0005's consultations and 0006's server tables gone.
  sql("DROP INDEX endstate.event_areas_area, endstate.site_areas_area, endstate.events_day; "
      "DROP TABLE endstate.audit_head, endstate.consultations, endstate.jobs, endstate.user_tokens, "
      "endstate.users; "
      "INSERT INTO endstate.audit_log VALUES (1, 't', 'k', 's', '{}', '0', 'h1'), (2, 't', 'k', 's', '{}', 'h1', "
      "'h2'); "
      "UPDATE endstate.meta SET value = '2' WHERE key = 'schema_version'");
  EXPECT_EQ(error_of([&] { Database::open_read_only(db_->location()); }).category(), ErrorCategory::kBadInput);
  auto db = Database::open(db_->location());
  EXPECT_EQ(db.schema_version(), store::latest_schema_version());
  EXPECT_EQ(sql("SELECT count(*) FROM pg_indexes WHERE schemaname = 'endstate' AND indexname IN "
                "('event_areas_area', 'site_areas_area', 'events_day')"),
            "3");
  EXPECT_EQ(sql("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'endstate' AND table_name IN "
                "('consultations', 'users', 'user_tokens', 'jobs')"),
            "4");
  // 0003 filled the head from the chain that was there.
  const auto head = db.audit_head();
  ASSERT_TRUE(head.has_value());
  EXPECT_EQ(head->entries, 2);
  EXPECT_EQ(head->hash, "h2");
}

TEST_F(PostgresStore, ServerProblemsAreEnvironmentErrorsAndNeverShowThePassword) {
  const auto e = error_of([] { Database::open("postgresql://analyst:s3cret@127.0.0.1:1/mission?connect_timeout=3"); });
  EXPECT_EQ(e.category(), ErrorCategory::kEnvironment);
  EXPECT_EQ(std::string(e.what()).find("s3cret"), std::string::npos) << e.what();
  EXPECT_NE(std::string(e.what()).find("cannot connect"), std::string::npos) << e.what();
  const auto missing = error_of([&] { Database::open("postgresql:///" + db_->name() + "_absent"); });
  EXPECT_EQ(missing.category(), ErrorCategory::kNotFound) << missing.what();
  // PG* variables alone select the database: "postgresql:".
  ::setenv("PGDATABASE", db_->name().c_str(), 1);
  auto db = Database::open("postgresql:");
  ::unsetenv("PGDATABASE");
  EXPECT_NE(db.path().find(db_->name()), std::string::npos) << db.path();
  EXPECT_EQ(db.schema_version(), store::latest_schema_version());
}

TEST_F(PostgresStore, GeometryColumnsFollowTheStoredCoordinates) {
  small_store();
  EXPECT_EQ(sql("SELECT ST_AsText(geom) || ' ' || ST_SRID(geom) FROM endstate.events"), "POINT(28.5 -0.5) 4326");
  EXPECT_EQ(sql("SELECT ST_AsText(geom) FROM endstate.sites"), "POINT(28.4 -0.4)");
  EXPECT_EQ(sql("SELECT GeometryType(geom) || ' ' || ST_Area(geom) FROM endstate.areas"), "MULTIPOLYGON 1");
  EXPECT_EQ(sql("SELECT string_agg(f_table_name || ':' || type || ':' || srid, ' ' ORDER BY f_table_name) FROM "
                "geometry_columns WHERE f_table_schema = 'endstate'"),
            "areas:MULTIPOLYGON:4326 events:POINT:4326 sites:POINT:4326");
  EXPECT_EQ(sql("SELECT string_agg(tablename, ' ' ORDER BY tablename) FROM pg_indexes WHERE schemaname = "
                "'endstate' AND indexdef LIKE '%USING gist%'"),
            "areas events sites");
  // A point-in-area query a GIS user would write agrees with event_areas.
  EXPECT_EQ(sql("SELECT count(*) FROM endstate.events e JOIN endstate.areas a ON ST_Covers(a.geom, e.geom)"), "1");
}

TEST_F(PostgresStore, OgrinfoListsTheTablesWithTheirGeometryTypes) {
  small_store();
  std::string out;
  const int rc = shell("ogrinfo -ro -q " + quote("PG:dbname=" + db_->name()) + " 2>&1", &out);
  ASSERT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("endstate.areas (Multi Polygon)"), std::string::npos) << out;
  EXPECT_NE(out.find("endstate.events (Point)"), std::string::npos) << out;
  EXPECT_NE(out.find("endstate.sites (Point)"), std::string::npos) << out;
  // And the features with their attributes.
  ASSERT_EQ(shell("ogrinfo -ro -al -q " + quote("PG:dbname=" + db_->name()) + " endstate.events 2>&1", &out), 0);
  EXPECT_NE(out.find("source_id (String) = 1"), std::string::npos) << out;
  EXPECT_NE(out.find("POINT (28.5 -0.5)"), std::string::npos) << out;
}

TEST_F(PostgresStore, ReadsSeeOneSnapshotUntilItEnds) {
  small_store();
  auto reader = Database::open_read_only(db_->location());
  auto writer = Database::open(db_->location());
  EXPECT_EQ(reader.status().table_counts[1].second, 1);  // events
  {
    Database::Transaction tx(writer);
    const auto imp = writer.begin_import("events", "g", "sha", "ucdp");
    const auto id = writer.insert_event(event("2", {-0.5, 28.6}), imp);
    writer.link_event_area(*id, "north");
    tx.commit();
  }
  const auto st = reader.status();
  EXPECT_EQ(st.table_counts[1].second, 1) << "a reader's snapshot changed under it";
  EXPECT_EQ(st.table_counts[2].second, 1);
  reader.end_snapshot();
  const auto now = reader.status();
  EXPECT_EQ(now.table_counts[1].second, 2);
  EXPECT_EQ(now.table_counts[2].second, 2);
}

TEST_F(PostgresStore, LinkToAnUnknownAreaFailsTheCommitAndWritesNothing) {
  small_store();
  const std::string before = db_->fingerprint();
  auto db = Database::open(db_->location());
  {
    Database::Transaction tx(db);
    const auto imp = db.begin_import("events", "g", "sha", "ucdp");
    const auto id = db.insert_event(event("2", {-0.5, 28.6}), imp);
    db.link_event_area(*id, "atlantis");
    EXPECT_EQ(error_of([&] { tx.commit(); }).category(), ErrorCategory::kBadInput);
  }
  EXPECT_EQ(db_->fingerprint(), before);
}

TEST_F(PostgresStore, CommitAfterAFailedStatementIsRefused) {
  auto db = Database::open(db_->location());
  db.insert_audit({1, "t", "k", "s", "{}", "0", "h1"});
  const std::string before = db_->fingerprint();
  {
    Database::Transaction tx(db);
    db.insert_audit({2, "t", "k", "s", "{}", "h1", "h2"});
    EXPECT_EQ(error_of([&] {
                db.insert_audit({1, "t", "k", "s", "{}", "0", "h1"});
              }).category(),
              ErrorCategory::kBadInput);
    // PostgreSQL ended the transaction at the failed statement: a commit must not pretend.
    EXPECT_THROW(tx.commit(), Error);
  }
  EXPECT_EQ(db_->fingerprint(), before);
  EXPECT_EQ(db.audit_log().size(), 1u);
}

TEST_F(PostgresStore, AuditLogRefusesUpdateDeleteAndTruncate) {
  auto db = Database::open(db_->location());
  db.insert_audit({1, "t", "k", "s", "{}", "0", "h1"});
  std::string out;
  for (const char* q : {"UPDATE endstate.audit_log SET payload = 'x'", "DELETE FROM endstate.audit_log",
                        "TRUNCATE endstate.audit_log"}) {
    EXPECT_NE(db_->psql(q, &out), 0) << q;
    EXPECT_NE(out.find("append-only"), std::string::npos) << out;
  }
}

/// The SQL block between "<!-- roles.sql -->" and "<!-- /roles.sql -->" in docs/deployment.md.
std::string roles_sql() {
  std::ifstream in(source_dir() / "docs" / "deployment.md");
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string doc = ss.str();
  const auto a = doc.find("<!-- roles.sql -->"), b = doc.find("<!-- /roles.sql -->");
  if (a == std::string::npos || b == std::string::npos) return {};
  std::string block = doc.substr(a, b - a);
  const auto open = block.find("```sql\n"), close = block.rfind("```");
  return open == std::string::npos ? std::string() : block.substr(open + 7, close - open - 7);
}

TEST_F(PostgresStore, RolesOfTheDeploymentGuide) {
  std::string roles = roles_sql();
  ASSERT_FALSE(roles.empty()) << "docs/deployment.md has no roles.sql block";
  // Roles are cluster-wide: unique names for this test.
  const std::string suffix = "_" + db_->name();
  for (const char* r : {"endstate_owner", "endstate_analyst", "endstate_reader"}) {
    for (auto p = roles.find(r); p != std::string::npos; p = roles.find(r, p + 1)) {
      roles.insert(p + std::string(r).size(), suffix);
    }
  }
  std::string out;
  ASSERT_EQ(shell("psql -X -q -v ON_ERROR_STOP=1 -d " + quote(db_->name()) + " -c " + quote(roles) + " 2>&1", &out), 0)
      << roles << "\n"
      << out;
  const std::string owner = "postgresql:///" + db_->name() + "?user=endstate_owner" + suffix;
  const std::string analyst = "postgresql:///" + db_->name() + "?user=endstate_analyst" + suffix;
  const std::string reader = "postgresql:///" + db_->name() + "?user=endstate_reader" + suffix;
  { auto db = Database::open(owner); }  // the owner creates the schema
  {
    auto db = Database::open(analyst);  // analysts write data and the audit log
    Database::Transaction tx(db);
    const auto imp = db.begin_import("areas", "f", "sha", "test");
    db.insert_area(square("north", 28, -1), imp);
    const auto id = db.insert_event(event("1", {-0.5, 28.5}), imp);
    db.link_event_area(*id, "north");
    db.insert_audit({1, "t", "k", "s", "{}", "0", "h1"});
    tx.commit();
  }
  auto r = Database::open_read_only(reader);
  EXPECT_EQ(r.status().table_counts[1].second, 1);
  EXPECT_EQ(r.audit_log().size(), 1u);
  const auto denied = error_of([&] {
    auto w = Database::open(reader);
    w.insert_audit({2, "t", "k", "s", "{}", "h1", "h2"});
  });
  EXPECT_EQ(denied.category(), ErrorCategory::kEnvironment) << denied.what();
  // Analysts may not rewrite history, not even around the triggers.
  EXPECT_NE(shell("psql -X -q -v ON_ERROR_STOP=1 -d " + quote(analyst) +
                  " -c 'ALTER TABLE endstate.audit_log DISABLE TRIGGER USER' 2>&1"),
            0);
  EXPECT_NE(shell("psql -X -q -v ON_ERROR_STOP=1 -d " + quote(analyst) + " -c 'DELETE FROM endstate.audit_log' 2>&1"),
            0);
}

}  // namespace
}  // namespace endstate::testing
