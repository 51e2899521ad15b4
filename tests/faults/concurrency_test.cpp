// Concurrent writers (issue 18 items 7 and 12, fault suite): a writer waits
// up to the 5 s busy timeout for another process's transaction; past it, it
// fails with exit 5 saying the database is locked by another process and
// writes nothing; within it, it goes on and succeeds. Two imports at once and
// an import during an assessment both land whole.
#include <thread>

#include "fault_harness.hpp"

namespace endstate::faults {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

class Locks : public FaultFixture {
 protected:
  void SetUp() override {
    FaultFixture::SetUp();
    input_ = dir_ / "inputs" / "ged.csv";
    fs::create_directories(input_.parent_path());
    write_events(demo_, input_, 2000, 700000000, 0);
  }
  fs::path input_;
};

TEST_F(Locks, AWriterPastTheBusyTimeoutFailsWithExit5AndWritesNothing) {
  const fs::path folder = dir_ / "db";
  const fs::path db = copy_demo(folder);
  const std::string before = content(db);
  // Held for the whole command, longer than the 5 s timeout.
  auto lock = std::make_unique<WriteLock>(db);
  const auto t0 = Clock::now();
  const Outcome o = run(command(db, {"events", "import", input_.string(), "--source", "ucdp"}));
  const double waited = seconds_since(t0);
  lock.reset();  // closes this test's connection too (its -wal/-shm go with it)
  EXPECT_EQ(o.code, 5) << o.err;
  EXPECT_NE(o.err.find("locked by another process"), std::string::npos) << o.err;
  EXPECT_GE(waited, 4.5) << "it gave up before the busy timeout: " << o.err;
  EXPECT_EQ(content(db), before);
  EXPECT_EQ(listing(folder), std::set<std::string>{"endstate.db"});

  // The same for a sign-off and an assessment (writers of the audit chain).
  lock = std::make_unique<WriteLock>(db);
  const Outcome a = run(command(db, {"benchmarks", "assess"}));
  lock.reset();
  EXPECT_EQ(a.code, 5) << a.err;
  EXPECT_NE(a.err.find("locked by another process"), std::string::npos) << a.err;
  EXPECT_EQ(content(db), before);
  EXPECT_EQ(run(command(db, {"audit", "verify"})).code, 0);
}

TEST_F(Locks, AWriterWithinTheBusyTimeoutWaitsAndSucceeds) {
  const fs::path db = copy_demo(dir_ / "db");
  auto lock = std::make_unique<WriteLock>(db);
  const pid_t pid = spawn(command(db, {"events", "import", input_.string(), "--source", "ucdp"}));
  // Once it has the database open it is about to wait for the lock.
  const auto t0 = Clock::now();
  while (!has_open(pid, db) && progress_of(pid).running && seconds_since(t0) < 30) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  std::this_thread::sleep_for(std::chrono::seconds(1));
  lock.reset();  // released after 1 s: the import was waiting, not failed
  const Outcome o = wait_for(pid, command(db, {}));
  EXPECT_EQ(o.code, 0) << o.err;
  EXPECT_NE(o.out.find("2000"), std::string::npos) << o.out;
  EXPECT_EQ(integrity_check(db), "ok\n");
}

TEST_F(Locks, ReadersAreNotBlockedByAWriter) {
  const fs::path db = copy_demo(dir_ / "db");
  WriteLock lock(db);
  const auto t0 = Clock::now();
  const Outcome o = run(command(db, {"status"}));
  EXPECT_EQ(o.code, 0) << o.err;
  EXPECT_LT(seconds_since(t0), 4.5) << "a reader waited for the writer";
}

TEST_F(Locks, TwoImportsAtOnceBothLandWhole) {
  // The first import holds the write lock while the second starts; the second
  // waits and lands after it (or, on a machine slow enough that the first
  // takes longer than the busy timeout, fails with exit 5 and writes nothing).
  const fs::path second = dir_ / "inputs" / "ged2.csv";
  write_events(demo_, second, 2000, 710000000, 0);
  const fs::path big = dir_ / "inputs" / "ged_big.csv";
  write_events(demo_, big, 20000, 720000000, 0);
  const fs::path db = copy_demo(dir_ / "db");
  const Spawn first = command(db, {"events", "import", big.string(), "--source", "ucdp"});
  const Spawn other = command(db, {"events", "import", second.string(), "--source", "ucdp"});
  Spawn a = first, b = other;
  a.out = dir_ / "a.out";
  a.err = dir_ / "a.err";
  b.out = dir_ / "b.out";
  b.err = dir_ / "b.err";
  const pid_t pa = spawn(a);
  // Start the second once the first holds the write lock.
  const auto t0 = Clock::now();
  while (!write_locked(db) && seconds_since(t0) < 30 && progress_of(pa).running) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  const pid_t pb = spawn(b);
  const Outcome oa = wait_for(pa, a);
  const Outcome ob = wait_for(pb, b);
  EXPECT_EQ(oa.code, 0) << oa.err;
  EXPECT_TRUE(ob.code == 0 || (ob.code == 5 && ob.err.find("locked by another process") != std::string::npos))
      << ob.code << " " << ob.err;
  EXPECT_EQ(integrity_check(db), "ok\n");
  Sqlite s(db);
  EXPECT_EQ(s.rows("SELECT count(*) FROM events WHERE CAST(source_id AS INTEGER) BETWEEN 720000000 AND 720019999"),
            "20000\n");
  EXPECT_EQ(s.rows("SELECT count(*) FROM events WHERE CAST(source_id AS INTEGER) BETWEEN 710000000 AND 710001999"),
            ob.code == 0 ? "2000\n" : "0\n");
}

TEST_F(Locks, AnImportDuringAnAssessmentBothLandWhole) {
  const fs::path db = copy_demo(dir_ / "db");
  Spawn a = command(db, {"benchmarks", "assess"});
  a.out = dir_ / "a.out";
  a.err = dir_ / "a.err";
  Spawn b = command(db, {"events", "import", input_.string(), "--source", "ucdp"});
  b.out = dir_ / "b.out";
  b.err = dir_ / "b.err";
  const pid_t pa = spawn(a);
  // The import starts once the assessment is at work (a few CPU ticks in).
  while (progress_of(pa).running && progress_of(pa).ticks < 3)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  const pid_t pb = spawn(b);
  const Outcome oa = wait_for(pa, a);
  const Outcome ob = wait_for(pb, b);
  EXPECT_EQ(oa.code, 0) << oa.err;
  EXPECT_EQ(ob.code, 0) << ob.err;
  EXPECT_EQ(integrity_check(db), "ok\n");
  EXPECT_EQ(run(command(db, {"audit", "verify"})).code, 0);
  Sqlite s(db);
  EXPECT_EQ(s.rows("SELECT count(*) FROM events WHERE CAST(source_id AS INTEGER) BETWEEN 700000000 AND 700001999"),
            "2000\n");
}

}  // namespace
}  // namespace endstate::faults
