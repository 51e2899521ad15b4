// store::tables() against the schema each backend creates, and copy_store()
// across backends: every row, id and audit entry arrives unchanged.
#include <sqlite3.h>

#include <map>

#include <gtest/gtest.h>

#include "endstate/core/error.hpp"
#include "endstate/store/database.hpp"
#include "endstate/store/server_tables.hpp"
#include "endstate/store/tables.hpp"
#include "store_fixture.hpp"

namespace endstate::store {
namespace {

class TablesTest : public testing::StoreTest {
 protected:
  /// Puts at least one row into every table (nulls and blobs included).
  void fill(Database& db) {
    Database::Transaction tx(db);
    const auto imp = db.begin_import("areas", "f.geojson", "sha", "gdal");
    Area c;
    c.id = "cd";
    c.name = "Congo";
    c.level = "country";
    c.wkb = square_wkb(28, -2);
    c.area_km2 = 1234.5;
    c.population = 1e6;
    db.insert_area(c, imp);
    Area p = c;
    p.id = "nk";
    p.name = "Nord-Kivu \"north\"\tside";
    p.level = "province";
    p.parent_id = "cd";
    p.population.reset();
    p.priogrid_gid = 123456;
    p.share_inside = 0.25;
    db.insert_area(p, imp);
    for (int i = 0; i < 3; ++i) {
      Event e;
      e.source = "ucdp";
      e.source_id = std::to_string(100 + i);
      e.date_start = e.date_end = *Date::parse("2021-0" + std::to_string(i + 1) + "-15");
      e.where = {-1.5 + 0.1 * i, 28.3};
      e.violence = ViolenceType::kOneSided;
      e.violence_original = "3";
      e.actor1 = "ADF\\back slash";
      e.location = "Beni\nline two";
      e.fatalities_best = e.fatalities_low = e.fatalities_high = i;
      if (i == 1) e.civilian_deaths = 4;
      if (i == 2) e.priogrid_gid = 99;
      const auto id = db.insert_event(e, imp);
      db.link_event_area(*id, "cd");
      db.link_event_area(*id, "nk");
    }
    Site s;
    s.key = "M|Beni";
    s.mission = "M";
    s.name = "Beni";
    s.where = {0.49, 29.47};
    s.kind = "hq";
    const auto [sid, fresh] = db.upsert_site(s, imp);
    Deployment d;
    d.period_start = *Month::parse("2020-01");
    d.period_end = *Month::parse("2020-12");
    d.source = "geopko";
    d.troops = 850;
    d.notes = "n";
    db.insert_deployment(sid, d, imp);
    db.link_site_area(sid, "nk");
    db.ensure_indicator("courts");
    db.insert_observation({"courts", "nk", *Month::parse("2021-01"), 0.1, "mission"}, imp);
    ConsultationRow cons;
    cons.id = "c1";
    cons.locality = "Beni";
    cons.territory = "nk";
    cons.date = "2021-02-01";
    cons.channel = "meeting";
    cons.who = "women's association";
    cons.summary = "asked \"when\" the base closes";
    cons.concerns = {"night patrols", "roads"};
    db.insert_consultation(cons, imp);
    ImportSummary done;
    done.read = 7;
    done.imported = 6;
    db.finish_import(imp, done);
    db.insert_audit({1, "2026-01-01T00:00:00Z", "framework_import", "f", "{}", "0", "h1"});
    FrameworkRow f;
    f.framework_id = "f";
    f.label = "1";
    f.name = "F";
    f.area_level = "province";
    f.file = "f.yaml";
    f.sha256 = "aa";
    f.yaml = "framework:\n  id: f\n";
    f.imported_at = "2026-01-01T00:00:00Z";
    f.audit_seq = 1;
    const auto v = db.insert_framework(f);
    db.insert_audit({2, "2026-01-02T00:00:00Z", "signoff", "f by un", "{\"a\":1}", "h1", "h2"});
    db.insert_signoff({0, v, "un", "SRSG", "2026-01-02", "aa", 2});
    db.insert_audit({3, "2026-01-03T00:00:00Z", "assessment", "2021-01", "{}", "h2", "h3"});
    AssessmentRow a;
    a.framework_version = v;
    a.month = *Month::parse("2021-01");
    a.level = "province";
    a.data_fingerprint = "ff";
    a.created_at = "2026-01-03T00:00:00Z";
    a.audit_seq = 3;
    db.insert_assessment(
        a, {{"nk", "", "indicator", "courts", 0.1, "value"}, {"nk", "un", "readiness", "", std::nullopt, "no_data"}});
    if (!testing::postgres_backend()) {
      // The server's tables, through their repositories (SQLite keeps them for the server).
      auto server = server_tables(db);
      UserRow u;
      u.name = "ana";
      u.role = "signatory:un";
      u.password_hash = "$argon2id$v=19$m=65536,t=2,p=1$x$y";
      u.created_at = "2026-01-04T00:00:00Z";
      u.created_by = "admin";
      const auto uid = server->insert_user(u);
      server->insert_token({"ab12", uid, "2026-01-04T00:00:00Z", "2026-01-05T00:00:00Z", std::nullopt});
      JobRow j;
      j.kind = "threat_hotspots";
      j.user_name = "ana";
      j.params = "{\"months\":12}";
      j.state = "done";
      j.created_at = "2026-01-04T00:00:01Z";
      j.finished_at = "2026-01-04T00:00:02Z";
      j.result = "{\"type\":\"FeatureCollection\"}";
      server->insert_job(j);
    }
    tx.commit();
    if (testing::postgres_backend()) {
      // The PostgreSQL store has the same tables (copy_store moves them) but the
      // server keeps its users and jobs in SQLite, so the rows go in by SQL.
      std::string out;
      ASSERT_EQ(scratch_->psql("INSERT INTO endstate.users(name, role, password_hash, created_at, created_by) "
                               "VALUES ('ana', 'signatory:un', '$argon2id$x', '2026-01-04T00:00:00Z', 'admin'); "
                               "INSERT INTO endstate.user_tokens VALUES ('ab12', 1, '2026-01-04T00:00:00Z', "
                               "'2026-01-05T00:00:00Z', NULL); "
                               "INSERT INTO endstate.jobs(kind, user_name, params, state, created_at, result) "
                               "VALUES ('threat_hotspots', 'ana', '{}', 'done', '2026-01-04T00:00:01Z', "
                               "'\\x7b7d'::bytea)",
                               &out),
                0)
          << out;
    }
  }

  static std::map<std::string, std::vector<Row>> contents(Database& db) {
    std::map<std::string, std::vector<Row>> out;
    for (const auto& t : tables()) {
      auto& rows = out[t.name];
      db.read_table(t, [&](const Row& r) { rows.push_back(r); });
    }
    db.end_snapshot();
    return out;
  }
};

ColumnType sqlite_type(const std::string& declared) {
  if (declared == "INTEGER") return ColumnType::kInteger;
  if (declared == "REAL") return ColumnType::kReal;
  if (declared == "BLOB") return ColumnType::kBlob;
  return ColumnType::kText;
}

ColumnType postgres_type(const std::string& declared) {
  if (declared == "bigint" || declared == "integer") return ColumnType::kInteger;
  if (declared == "double precision") return ColumnType::kReal;
  if (declared == "bytea") return ColumnType::kBlob;
  if (declared == "date") return ColumnType::kDate;
  return ColumnType::kText;
}

TEST_F(TablesTest, TablesDescribeTheSchema) {
  { auto db = Database::open(path_); }
  // table -> [(column, type)] as the backend created them.
  std::map<std::string, std::vector<std::pair<std::string, ColumnType>>> actual;
  if (testing::postgres_backend()) {
    std::string out;
    ASSERT_EQ(scratch_->psql("SELECT table_name, column_name, data_type FROM information_schema.columns WHERE "
                             "table_schema = 'endstate' AND table_name <> 'meta' AND column_name <> 'geom' "
                             "ORDER BY table_name, ordinal_position",
                             &out),
              0)
        << out;
    std::size_t i = 0;
    while (i < out.size()) {
      const auto end = out.find('\n', i);
      const std::string line = out.substr(i, end - i);
      i = end == std::string::npos ? out.size() : end + 1;
      const auto a = line.find('|'), b = line.rfind('|');
      if (a == std::string::npos) continue;
      actual[line.substr(0, a)].emplace_back(line.substr(a + 1, b - a - 1), postgres_type(line.substr(b + 1)));
    }
  } else {
    sqlite3* h = nullptr;
    ASSERT_EQ(sqlite3_open_v2(path_.c_str(), &h, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    sqlite3_stmt* s = nullptr;
    sqlite3_prepare_v2(h,
                       "SELECT m.name, p.name, p.type FROM sqlite_master m JOIN pragma_table_info(m.name) p "
                       "WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' ORDER BY m.name, p.cid",
                       -1, &s, nullptr);
    while (sqlite3_step(s) == SQLITE_ROW) {
      const auto text = [&](int c) { return std::string(reinterpret_cast<const char*>(sqlite3_column_text(s, c))); };
      actual[text(0)].emplace_back(text(1), sqlite_type(text(2)));
    }
    sqlite3_finalize(s);
    sqlite3_close(h);
  }
  ASSERT_EQ(actual.size(), tables().size()) << "tables() must list every table of the schema";
  for (const auto& t : tables()) {
    ASSERT_TRUE(actual.count(t.name)) << t.name;
    const auto& cols = actual[t.name];
    ASSERT_EQ(cols.size(), t.columns.size()) << t.name;
    for (std::size_t c = 0; c < cols.size(); ++c) {
      EXPECT_EQ(cols[c].first, t.columns[c].name) << t.name;
      const ColumnType want = t.columns[c].type == ColumnType::kDate && !testing::postgres_backend()
                                  ? ColumnType::kText
                                  : t.columns[c].type;
      EXPECT_EQ(cols[c].second, want) << t.name << "." << cols[c].first;
    }
  }
}

TEST_F(TablesTest, CopyStoreKeepsEveryRowAcrossBackends) {
  auto a = Database::open(path_);
  fill(a);
  const auto original = contents(a);
  for (const auto& t : tables()) EXPECT_FALSE(original.at(t.name).empty()) << t.name << " has no test row";
  // Into an SQLite file, and from it into a second store of the backend under test.
  auto b = Database::open((dir_ / "copy.db").string());
  const auto counts = copy_store(a, b);
  ASSERT_EQ(counts.size(), tables().size());
  EXPECT_EQ(counts[2].first, "events");
  EXPECT_EQ(counts[2].second, 3);
  EXPECT_EQ(contents(b), original);
  std::unique_ptr<testing::ScratchDatabase> second;
  std::string c_location = (dir_ / "copy2.db").string();
  if (testing::postgres_backend()) {
    second = std::make_unique<testing::ScratchDatabase>("copy2");
    c_location = second->location();
  }
  {
    auto c = Database::open(c_location);
    copy_store(b, c);
    EXPECT_EQ(contents(c), original);
    // Ids assigned after a copy follow the copied ones.
    Database::Transaction tx(c);
    const auto imp = c.begin_import("events", "g", "sha", "ucdp");
    EXPECT_GT(imp, 1);
    Event e;
    e.source = "ucdp";
    e.source_id = "new";
    e.date_start = e.date_end = *Date::parse("2022-01-01");
    const auto id = c.insert_event(e, imp);
    ASSERT_TRUE(id);
    for (const auto& r : original.at("events")) EXPECT_GT(*id, std::get<std::int64_t>(r[0]));
    tx.commit();
  }
}

TEST_F(TablesTest, CopyIntoAStoreWithRowsIsRefusedAndChangesNothing) {
  auto a = Database::open(path_);
  fill(a);
  auto b = Database::open((dir_ / "copy.db").string());
  copy_store(a, b);
  const auto before = contents(b);
  try {
    copy_store(a, b);
    FAIL() << "copied into a store that holds rows";
  } catch (const Error& e) {
    EXPECT_EQ(e.category(), ErrorCategory::kBadInput);
    EXPECT_NE(std::string(e.what()).find("not empty"), std::string::npos) << e.what();
  }
  EXPECT_EQ(contents(b), before);
}

}  // namespace
}  // namespace endstate::store
