// The store in a long-lived process with many connections (the server):
// each connection sees what another committed and can then write, and opening
// one more connection never drops the locks the others hold (another process
// would then delete the -wal and -shm of databases in use). Regression tests
// for the SQLite backend.
#include <fstream>

#include "endstate/benchmarks/audit.hpp"
#include "endstate/core/types.hpp"
#include "endstate/store/server_tables.hpp"
#include "server_fixture.hpp"

namespace endstate::testing {
namespace {

class StoreConnections : public CliFixture {};

AuditEntry entry(store::Database& db, const std::string& subject) {
  const auto last = db.last_audit();
  AuditEntry e;
  e.at = utc_now_iso();
  e.kind = "test";
  e.subject = subject;
  e.payload = "{}";
  benchmarks::chain(e, last ? &*last : nullptr);
  return e;
}

void append(store::Database& db, const std::string& subject) {
  store::Database::Transaction tx(db);
  db.insert_audit(entry(db, subject));
  tx.commit();
}

TEST_F(StoreConnections, EachConnectionSeesOthersWritesAndCanWriteAfterThem) {
  auto a = store::Database::open(db_, store::Access::kReadWrite);
  auto b = store::Database::open(db_, store::Access::kReadWrite);
  append(a, "first");
  ASSERT_TRUE(b.last_audit());  // b reads (a single-row lookup) ...
  EXPECT_EQ(b.last_audit()->subject, "first");
  append(a, "second");  // ... a writes again ...
  ASSERT_TRUE(b.last_audit());
  EXPECT_EQ(b.last_audit()->subject, "second");  // ... and b sees it
  append(b, "third");                            // and b can write after it
  EXPECT_EQ(a.last_audit()->seq, 3);
  auto r = store::Database::open(db_, store::Access::kReadOnly);
  EXPECT_EQ(r.last_audit()->subject, "third");
  append(a, "fourth");
  EXPECT_EQ(r.last_audit()->subject, "fourth");
}

TEST_F(StoreConnections, ReadingTheAuditHeadKeepsNoSnapshotOpen) {
  auto a = store::Database::open(db_, store::Access::kReadWrite);
  auto b = store::Database::open(db_, store::Access::kReadWrite);
  append(a, "first");
  ASSERT_TRUE(b.audit_head());                   // b reads the head (a single-row lookup) ...
  append(a, "second");                           // ... a writes again ...
  EXPECT_EQ(b.last_audit()->subject, "second");  // ... and b's other reads see it
  EXPECT_EQ(b.audit_head()->entries, 2);
  append(b, "third");  // and b can write after it
  EXPECT_EQ(a.audit_head()->entries, 3);
}

TEST_F(StoreConnections, OpeningAnotherConnectionKeepsTheLocksOfTheOpenOnes) {
  auto a = store::Database::open(db_, store::Access::kReadWrite);
  append(a, "first");
  ASSERT_TRUE(std::filesystem::exists(db_ + "-wal"));
  // One more connection in this process (its header check reads the file).
  { auto b = store::Database::open(db_, store::Access::kReadOnly); }
  { auto c = store::Database::open(db_, store::Access::kReadWrite); }
  // Another process opens and closes the database: it must see that this
  // process still uses it and leave the -wal and -shm in place.
  const auto [rc, out] = shell("sqlite3 " + shell_quote(db_) + " 'SELECT count(*) FROM audit_log'");
  ASSERT_EQ(rc, 0);
  EXPECT_TRUE(std::filesystem::exists(db_ + "-wal"));
  EXPECT_TRUE(std::filesystem::exists(db_ + "-shm"));
  append(a, "second");
  EXPECT_EQ(shell("sqlite3 " + shell_quote(db_) + " 'SELECT count(*) FROM audit_log'").second, "2\n");
}

TEST_F(StoreConnections, ServerTablesShareTheStoresTransactions) {
  auto db = store::Database::open(db_, store::Access::kReadWrite);
  auto t = store::server_tables(db);
  {
    store::Database::Transaction tx(db);
    store::UserRow u;
    u.name = "x";
    u.role = "analyst";
    u.password_hash = "h";
    u.created_at = utc_now_iso();
    u.created_by = "test";
    t->insert_user(u);
    db.insert_audit(entry(db, "user x"));
    // no commit: both roll back
  }
  EXPECT_FALSE(t->user("x"));
  EXPECT_FALSE(db.last_audit());
  store::JobRow j;
  j.kind = "k";
  j.user_name = "x";
  j.params = "{}";
  j.state = "queued";
  j.created_at = utc_now_iso();
  const auto id = t->insert_job(j);
  auto row = *t->job(id, true);
  row.state = "done";
  row.result = std::string("a\0b", 3);
  row.content_type = "text/csv";
  t->update_job(row);
  EXPECT_EQ(t->job(id, true)->result, std::string("a\0b", 3));
  EXPECT_EQ(t->job(id, false)->result, "");
  EXPECT_EQ(t->interrupt_jobs(utc_now_iso(), "{}"), 0);
  j.state = "running";
  t->insert_job(j);
  EXPECT_EQ(t->interrupt_jobs(utc_now_iso(), "{}"), 1);
  EXPECT_EQ(t->jobs("", 10).front().state, "failed");
}

TEST_F(StoreConnections, UsersCliAddsListsAndRevokesWithAudit) {
  write("pw", "cli-password-12\n");
  auto r = run(
      {"users", "add", "--name", "cli.user", "--role", "planner", "--password-file", path("pw"), "--format", "json"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(Json::parse(r.out)["users"][0]["role"], "planner");
  r = run({"users", "add", "--name", "cli.user", "--role", "planner", "--password-file", path("pw")});
  EXPECT_EQ(r.code, 2) << r.err;
  r = run({"users", "add", "--name", "other", "--role", "king", "--password-file", path("pw")});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("--role"), std::string::npos) << r.err;
  write("short", "abc\n");
  r = run({"users", "add", "--name", "other", "--role", "analyst", "--password-file", path("short")});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("--password-file"), std::string::npos) << r.err;
  r = run({"users", "list", "--format", "csv"});
  ASSERT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("cli.user,planner,"), std::string::npos) << r.out;
  r = run({"users", "revoke", "--name", "cli.user", "--format", "json"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_FALSE(Json::parse(r.out)["users"][0]["revoked_at"].is_null());
  EXPECT_EQ(run({"users", "revoke", "--name", "cli.user"}).code, 3);
  r = run({"audit", "log", "--format", "json"});
  const auto entries = Json::parse(r.out)["entries"];
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0]["kind"], "user_add");
  EXPECT_EQ(entries[1]["kind"], "user_revoke");
  EXPECT_EQ(entries[1]["payload"]["user"].get<std::string>().rfind("cli:", 0), 0u);
  EXPECT_EQ(run({"audit", "verify"}).code, 0);
  // The password is stored as an Argon2id hash only.
  const auto dump = shell("sqlite3 " + shell_quote(db_) + " 'SELECT password_hash FROM users'").second;
  EXPECT_EQ(dump.find("cli-password-12"), std::string::npos);
  EXPECT_EQ(dump.rfind("$argon2id$", 0), 0u) << dump;
}

}  // namespace
}  // namespace endstate::testing
