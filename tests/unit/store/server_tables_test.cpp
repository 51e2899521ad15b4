// The server's tables (users, login tokens, jobs) on the backend under test
// (store_fixture.hpp): the same expectations for SQLite and PostgreSQL. They
// share the store's transactions (a user and the audit entry recording it
// commit or roll back together), and a long-lived connection (the server's)
// sees at once what another committed: a revoked token, a finished job.
#include <gtest/gtest.h>

#include "endstate/core/error.hpp"
#include "endstate/store/database.hpp"
#include "endstate/store/server_tables.hpp"
#include "store_fixture.hpp"

namespace endstate::store {
namespace {

class ServerTablesTest : public testing::StoreTest {
 protected:
  static UserRow user(const std::string& name, const std::string& role = "analyst") {
    UserRow u;
    u.name = name;
    u.role = role;
    u.password_hash = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA";
    u.created_at = "2026-12-01T00:00:00Z";
    u.created_by = "admin";
    return u;
  }
  static JobRow job(const std::string& who, const std::string& state = "queued") {
    JobRow j;
    j.kind = "plan_run";
    j.user_name = who;
    j.params = R"({"plan":"x.yaml"})";
    j.state = state;
    j.created_at = "2026-12-01T00:00:01Z";
    return j;
  }
};

TEST_F(ServerTablesTest, UsersAndTokensRoundTripAndRevokingAUserRevokesItsTokens) {
  auto db = Database::open(path_, Access::kReadWrite);
  auto t = server_tables(db);
  const auto id = t->insert_user(user("zoe", "signatory:un"));
  t->insert_user(user("Ana"));
  t->insert_user(user("bob", "planner"));
  try {
    t->insert_user(user("zoe"));
    FAIL() << "a second user named zoe";
  } catch (const Error& e) {
    EXPECT_EQ(e.category(), ErrorCategory::kBadInput);
    EXPECT_EQ(e.where().field, "name");
  }
  const auto z = t->user("zoe");
  ASSERT_TRUE(z);
  EXPECT_EQ(z->id, id);
  EXPECT_EQ(z->role, "signatory:un");
  EXPECT_EQ(z->password_hash, user("zoe").password_hash);
  EXPECT_FALSE(z->revoked_at);
  EXPECT_EQ(t->user_by_id(id)->name, "zoe");
  EXPECT_FALSE(t->user("nobody"));
  // bytewise order on both backends: capitals first
  const auto all = t->users();
  ASSERT_EQ(all.size(), 3U);
  EXPECT_EQ(all[0].name, "Ana");
  EXPECT_EQ(all[1].name, "bob");
  EXPECT_EQ(all[2].name, "zoe");

  t->insert_token({"hash-1", id, "2026-12-01T00:00:00Z", "2026-12-02T00:00:00Z", std::nullopt});
  t->insert_token({"hash-2", id, "2026-12-01T00:00:00Z", "2026-12-02T00:00:00Z", std::nullopt});
  EXPECT_EQ(t->token("hash-1")->user_id, id);
  EXPECT_FALSE(t->token("hash-1")->revoked_at);
  t->revoke_token("hash-1", "2026-12-01T01:00:00Z");
  EXPECT_EQ(t->token("hash-1")->revoked_at, "2026-12-01T01:00:00Z");
  EXPECT_FALSE(t->token("nope"));

  EXPECT_TRUE(t->revoke_user("zoe", "2026-12-01T02:00:00Z"));
  EXPECT_FALSE(t->revoke_user("zoe", "2026-12-01T03:00:00Z"));  // once
  EXPECT_FALSE(t->revoke_user("nobody", "2026-12-01T03:00:00Z"));
  EXPECT_EQ(t->user("zoe")->revoked_at, "2026-12-01T02:00:00Z");
  EXPECT_EQ(t->token("hash-1")->revoked_at, "2026-12-01T01:00:00Z");  // kept its own time
  EXPECT_EQ(t->token("hash-2")->revoked_at, "2026-12-01T02:00:00Z");
}

TEST_F(ServerTablesTest, AUserAndItsAuditEntryCommitOrRollBackTogether) {
  auto db = Database::open(path_, Access::kReadWrite);
  auto t = server_tables(db);
  {
    Database::Transaction tx(db);
    t->insert_user(user("x"));
    db.insert_audit({1, "t", "user_add", "x", "{}", "0", "h1"});
    // no commit: both roll back
  }
  EXPECT_FALSE(t->user("x"));
  EXPECT_FALSE(db.last_audit());
  {
    Database::Transaction tx(db);
    t->insert_user(user("x"));
    db.insert_audit({1, "t", "user_add", "x", "{}", "0", "h1"});
    tx.commit();
  }
  EXPECT_TRUE(t->user("x"));
  ASSERT_TRUE(db.last_audit());
  EXPECT_EQ(db.last_audit()->subject, "x");
}

TEST_F(ServerTablesTest, JobsKeepTheirProgressBinaryResultsAndAreInterruptedOnce) {
  auto db = Database::open(path_, Access::kReadWrite);
  auto t = server_tables(db);
  const auto a = t->insert_job(job("ana"));
  const auto b = t->insert_job(job("bob", "running"));
  EXPECT_GT(b, a);
  auto row = *t->job(a, true);
  EXPECT_EQ(row.state, "queued");
  EXPECT_EQ(row.warnings, "[]");
  EXPECT_EQ(row.result, "");
  EXPECT_EQ(row.problem, "");
  EXPECT_FALSE(row.started_at);
  row.state = "done";
  row.started_at = "2026-12-01T00:00:02Z";
  row.finished_at = "2026-12-01T00:00:03Z";
  row.stage = "solve";
  row.done = 7;
  row.total = 9;
  row.warnings = R"(["one"])";
  row.content_type = "text/csv";
  row.result = std::string("a\0b\xff\n", 5);
  t->update_job(row);
  const auto back = *t->job(a, true);
  EXPECT_EQ(back.result, std::string("a\0b\xff\n", 5));
  EXPECT_EQ(back.done, 7);
  EXPECT_EQ(back.total, 9);
  EXPECT_EQ(back.stage, "solve");
  EXPECT_EQ(back.warnings, R"(["one"])");
  EXPECT_EQ(back.content_type, "text/csv");
  EXPECT_EQ(back.finished_at, "2026-12-01T00:00:03Z");
  EXPECT_EQ(t->job(a, false)->result, "");
  EXPECT_FALSE(t->job(a + b + 100, false));
  // newest first, one user's or everyone's
  EXPECT_EQ(t->jobs("", 10).size(), 2U);
  EXPECT_EQ(t->jobs("", 10).front().id, b);
  EXPECT_EQ(t->jobs("", 1).size(), 1U);
  ASSERT_EQ(t->jobs("ana", 10).size(), 1U);
  EXPECT_EQ(t->jobs("ana", 10).front().id, a);
  // a stopped server's running job fails; a finished one stays
  EXPECT_EQ(t->interrupt_jobs("2026-12-01T00:00:04Z", R"({"title":"server stopped"})"), 1);
  EXPECT_EQ(t->job(b, false)->state, "failed");
  EXPECT_EQ(t->job(b, false)->problem, R"({"title":"server stopped"})");
  EXPECT_EQ(t->job(a, false)->state, "done");
  EXPECT_EQ(t->interrupt_jobs("2026-12-01T00:00:05Z", "{}"), 0);
}

TEST_F(ServerTablesTest, ALongLivedConnectionSeesRevocationsAndJobsOfAnotherAtOnce) {
  auto writer = Database::open(path_, Access::kReadWrite);
  auto reader = Database::open(path_, Access::kReadWrite);
  auto w = server_tables(writer);
  auto r = server_tables(reader);
  const auto id = w->insert_user(user("ana"));
  w->insert_token({"tok", id, "2026-12-01T00:00:00Z", "2026-12-02T00:00:00Z", std::nullopt});
  const auto j = w->insert_job(job("ana"));
  // the reader reads the store (on PostgreSQL: a read snapshot begins) ...
  EXPECT_FALSE(reader.last_audit());
  ASSERT_TRUE(r->token("tok"));
  EXPECT_FALSE(r->token("tok")->revoked_at);
  EXPECT_EQ(r->job(j, false)->state, "queued");
  EXPECT_FALSE(reader.last_audit());
  // ... another connection revokes and finishes ...
  EXPECT_TRUE(w->revoke_user("ana", "2026-12-01T01:00:00Z"));
  auto row = *w->job(j, true);
  row.state = "done";
  w->update_job(row);
  // ... and the reader's next reads see it, not its snapshot
  EXPECT_TRUE(r->token("tok")->revoked_at);
  EXPECT_TRUE(r->user("ana")->revoked_at);
  EXPECT_EQ(r->job(j, false)->state, "done");
}

}  // namespace
}  // namespace endstate::store
