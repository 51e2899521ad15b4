// A full disk (issue 18, fault suite), made with a small file-size limit
// (RLIMIT_FSIZE in the child, SIGXFSZ ignored, so a write past it fails with
// EFBIG as it would with ENOSPC): during an import and while writing outputs,
// endstate exits 5 with a message that says what could not be written, and
// the database is as it was (same bytes) with nothing left beside it.
#include "fault_harness.hpp"

namespace endstate::faults {
namespace {

constexpr rlim_t kLimit = 256 * 1024;

class DiskFull : public FaultFixture {
 protected:
  /// The database's bytes (and its -wal's, when there is one).
  static std::string bytes(const fs::path& db) {
    std::string b = read_file(db);
    if (fs::exists(db.string() + "-wal")) b += "|wal|" + read_file(db.string() + "-wal");
    return b;
  }
  static void expect_disk_full(const Outcome& o, const std::string& what) {
    EXPECT_EQ(o.code, 5) << what << ": " << o.err;
    EXPECT_NE(o.err.find("cannot proceed"), std::string::npos) << o.err;
    bool says = false;
    for (const char* words : {"disk is full", "disk full", "file-size limit", "File too large", "No space left"}) {
      says = says || o.err.find(words) != std::string::npos;
    }
    EXPECT_TRUE(says) << what << ": the message should say the disk is full: " << o.err;
  }
};

TEST_F(DiskFull, DuringAnImportNothingIsWritten) {
  const fs::path input = dir_ / "inputs" / "ged.csv";
  fs::create_directories(input.parent_path());
  write_events(demo_, input, 20000, 800000000, 50);
  const fs::path folder = dir_ / "db";
  const fs::path db = copy_demo(folder);
  const std::string before = bytes(db);
  ASSERT_GT(before.size(), kLimit) << "the limit must be below the database size";
  for (const std::string reject_limit : {"50", "0"}) {
    SCOPED_TRACE("--reject-limit " + reject_limit);
    Spawn s = command(db, {"events", "import", input.string(), "--source", "ucdp", "--reject-limit", reject_limit});
    s.fsize_limit = kLimit;
    s.tmpdir = dir_ / "tmp";
    fs::create_directories(s.tmpdir);
    const Outcome o = run(s);
    expect_disk_full(o, "events import");
    EXPECT_NE(o.err.find("nothing was written"), std::string::npos) << o.err;
    EXPECT_EQ(bytes(db), before) << "the database changed";
    EXPECT_EQ(listing(folder), std::set<std::string>{"endstate.db"});
    EXPECT_TRUE(listing(s.tmpdir).empty());
  }
  // With room, the same import works.
  const Outcome ok = run(command(db, {"events", "import", input.string(), "--source", "ucdp"}));
  EXPECT_EQ(ok.code, 0) << ok.err;
  EXPECT_EQ(integrity_check(db), "ok\n");
}

TEST_F(DiskFull, WritingTheOutputOfAReadVerb) {
  const fs::path folder = dir_ / "db";
  const fs::path db = copy_demo(folder);
  const std::string before = bytes(db);
  // Standard output redirected to a file on the full disk.
  Spawn s = command(db, {"events", "list", "--format", "csv"});
  s.out = dir_ / "events.csv";
  s.fsize_limit = 64 * 1024;
  const Outcome o = run(s);
  expect_disk_full(o, "events list > file");
  EXPECT_NE(o.err.find("output"), std::string::npos) << o.err;
  EXPECT_EQ(bytes(db), before);
  EXPECT_EQ(listing(folder), std::set<std::string>{"endstate.db"});

  // A file named on the command line: every draw of a forecast.
  Spawn f = command(
      db, {"forecast", "run", "--horizon", "3", "--samples", "500", "--samples-out", (dir_ / "draws.csv").string()});
  f.fsize_limit = 64 * 1024;
  const Outcome fo = run(f);
  expect_disk_full(fo, "forecast run --samples-out");
  EXPECT_NE(fo.err.find("draws.csv"), std::string::npos) << fo.err;
  EXPECT_EQ(bytes(db), before);
  EXPECT_EQ(listing(folder), std::set<std::string>{"endstate.db"});
}

TEST_F(DiskFull, GeneratingTheScenarioOrTheDemo) {
  Spawn g;
  g.args = {"scenario", "generate", "carana", "--out", (dir_ / "carana").string()};
  g.cwd = dir_;
  g.fsize_limit = kLimit;
  expect_disk_full(run(g), "scenario generate");

  Spawn d;
  d.args = {"demo", "--out", (dir_ / "demo").string()};
  d.cwd = dir_;
  d.fsize_limit = 1024 * 1024;
  expect_disk_full(run(d), "demo");
}

}  // namespace
}  // namespace endstate::faults
