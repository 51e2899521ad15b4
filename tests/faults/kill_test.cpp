// kill -9 at seeded points of an events import and of a benchmark assessment
// (issue 18, fault suite): afterwards the database passes PRAGMA
// integrity_check and `audit verify`, holds either everything the command
// would have written or nothing of it (no half-written rows, no rejects list
// of an import that is not there, no temporary file anywhere), and running the
// command again gives the same content as a run that was never interrupted.
//
// Kill points are fractions of the uninterrupted run's work, measured in the
// child's CPU ticks (parsing, area lookup, inserts) or in the bytes it has
// written (the WAL at commit, the checkpoint, the rejects list), both read
// from /proc while it runs; the fractions come from a fixed seed.
#include <random>

#include "fault_harness.hpp"

namespace endstate::faults {
namespace {

constexpr std::uint64_t kSeed = 18;
constexpr int kKillPoints = 6;

/// Seeded kill points over an uninterrupted run that used `ticks` CPU ticks
/// and wrote `bytes` bytes: alternately by CPU and by bytes written, at
/// fractions in [0.05, 0.95].
std::vector<KillPoint> kill_points(long long ticks, long long bytes) {
  std::mt19937_64 rng(kSeed);
  std::uniform_real_distribution<double> frac(0.05, 0.95);
  std::vector<KillPoint> out;
  for (int i = 0; i < kKillPoints; ++i) {
    KillPoint k;
    k.by = i % 2 == 0 ? KillPoint::By::kCpuTicks : KillPoint::By::kBytesWritten;
    const double f = frac(rng);
    k.at = std::max<long long>(
        1, static_cast<long long>(f * static_cast<double>(k.by == KillPoint::By::kCpuTicks ? ticks : bytes)));
    out.push_back(k);
  }
  return out;
}

std::string describe(const KillPoint& k) {
  return std::string(k.by == KillPoint::By::kCpuTicks ? "after CPU tick " : "after byte ") + std::to_string(k.at);
}

/// Runs `s` to the end, watching its progress: the last CPU ticks and bytes written seen.
std::pair<Outcome, Progress> run_watched(const Spawn& s) {
  const pid_t pid = spawn(s);
  Progress last;
  for (;;) {
    const Progress p = progress_of(pid);
    if (!p.running) break;
    last = p;
    const timespec ts{0, 500000};
    ::nanosleep(&ts, nullptr);
  }
  return {wait_for(pid, s), last};
}

/// Files beside the database other than the database itself.
std::set<std::string> extra_files(const fs::path& folder) {
  auto s = listing(folder);
  s.erase("endstate.db");
  return s;
}

class Kill : public FaultFixture {};

TEST_F(Kill, EventsImportLandsWholeOrNotAtAll) {
  // 30 000 GED rows (1 in 97 with an impossible date), every reject
  // listed in the CSV beside the database (--reject-limit 0).
  const fs::path input = dir_ / "inputs" / "big_ged.csv";
  fs::create_directories(input.parent_path());
  write_events(demo_, input, 30000, 900000000, 97);
  const std::vector<std::string> import{"events", "import", input.string(), "--source", "ucdp", "--reject-limit", "0"};

  // The uninterrupted run: what "everything" means.
  const fs::path base = dir_ / "base";
  const fs::path base_db = copy_demo(base);
  const std::string before = content(base_db);
  Spawn s = command(base_db, import);
  s.tmpdir = dir_ / "tmp-base";
  fs::create_directories(s.tmpdir);
  const auto [full, used] = run_watched(s);
  ASSERT_EQ(full.code, 0) << full.err;
  const std::string after = content(base_db);
  ASSERT_NE(after, before);
  const auto rejects = extra_files(base);
  ASSERT_EQ(rejects.size(), 1u) << "one rejects CSV beside the database";
  const std::string rejects_name = *rejects.begin();
  const std::string rejects_text = read_file(base / rejects_name);
  ASSERT_TRUE(listing(s.tmpdir).empty());
  std::cout << "uninterrupted import: " << used.ticks << " CPU ticks, " << used.wchar << " bytes written, "
            << full.cpu_s << " s CPU\n";

  int killed = 0, landed_before = 0, landed_after = 0;
  const auto points = kill_points(used.ticks, used.wchar);
  for (std::size_t i = 0; i < points.size(); ++i) {
    SCOPED_TRACE("kill point " + std::to_string(i) + " " + describe(points[i]));
    const fs::path folder = dir_ / ("kill" + std::to_string(i));
    const fs::path db = copy_demo(folder);
    Spawn k = command(db, import);
    k.tmpdir = dir_ / ("tmp" + std::to_string(i));
    fs::create_directories(k.tmpdir);
    const Outcome o = run_and_kill(k, points[i]);
    if (o.signal == SIGKILL)
      ++killed;
    else
      ASSERT_EQ(o.code, 0) << o.err;

    // The next command finds an intact database and an intact audit chain.
    const Outcome verify = run(command(db, {"audit", "verify"}));
    EXPECT_EQ(verify.code, 0) << verify.out << verify.err;
    EXPECT_EQ(integrity_check(db), "ok\n");
    const std::string now = content(db);
    const bool whole = now == after;
    EXPECT_TRUE(whole || now == before) << "half an import: " << counts(db);
    (whole ? landed_after : landed_before)++;
    // The rejects list exists exactly when its import does; no temporary file anywhere.
    const auto files = extra_files(folder);
    if (whole) {
      EXPECT_EQ(files, std::set<std::string>{rejects_name});
      EXPECT_EQ(read_file(folder / rejects_name), rejects_text);
    } else {
      EXPECT_TRUE(files.empty()) << "left behind: " << *files.begin();
    }
    EXPECT_TRUE(listing(k.tmpdir).empty()) << "left in TMPDIR: " << *listing(k.tmpdir).begin();

    // Running it again ends where the uninterrupted run did.
    const Outcome again = run(k);
    ASSERT_EQ(again.code, 0) << again.err;
    EXPECT_EQ(content(db), after);
    EXPECT_EQ(extra_files(folder), std::set<std::string>{rejects_name});
    EXPECT_EQ(read_file(folder / rejects_name), rejects_text);
  }
  std::cout << killed << " of " << points.size() << " kills landed before the import ended; afterwards "
            << landed_before << " databases held nothing of it and " << landed_after << " all of it\n";
  EXPECT_GE(killed, kKillPoints / 2) << "the input is too small for the kill points to land mid-import";
}

TEST_F(Kill, BenchmarkAssessmentIsSavedWholeOrNotAtAll) {
  const fs::path base = dir_ / "base";
  const fs::path base_db = copy_demo(base);
  const std::vector<std::string> assess{"benchmarks", "assess", "--format", "json"};
  const std::string before = content(base_db);
  const auto [full, used] = run_watched(command(base_db, assess));
  ASSERT_EQ(full.code, 0) << full.err;
  const std::string after = content(base_db);
  ASSERT_NE(after, before);
  std::cout << "uninterrupted assessment: " << used.ticks << " CPU ticks, " << used.wchar << " bytes written\n";

  int killed = 0, landed_before = 0, landed_after = 0;
  const auto points = kill_points(used.ticks, used.wchar);
  for (std::size_t i = 0; i < points.size(); ++i) {
    SCOPED_TRACE("kill point " + std::to_string(i) + " " + describe(points[i]));
    const fs::path folder = dir_ / ("kill" + std::to_string(i));
    const fs::path db = copy_demo(folder);
    const Spawn k = command(db, assess);
    const Outcome o = run_and_kill(k, points[i]);
    if (o.signal == SIGKILL)
      ++killed;
    else
      ASSERT_EQ(o.code, 0) << o.err;

    const Outcome verify = run(command(db, {"audit", "verify"}));
    EXPECT_EQ(verify.code, 0) << verify.out << verify.err;
    EXPECT_EQ(integrity_check(db), "ok\n");
    const std::string now = content(db);
    const bool whole = now == after;
    EXPECT_TRUE(whole || now == before) << "half an assessment: " << counts(db);
    (whole ? landed_after : landed_before)++;
    EXPECT_TRUE(extra_files(folder).empty());

    // Assessing again: a database that held nothing of it ends as the
    // uninterrupted run did; one that held it all gains a second assessment.
    const Outcome again = run(k);
    ASSERT_EQ(again.code, 0) << again.err;
    if (!whole) {
      EXPECT_EQ(content(db), after);
    }
    EXPECT_EQ(run(command(db, {"audit", "verify"})).code, 0);
  }
  std::cout << killed << " of " << points.size() << " kills landed before the assessment ended; afterwards "
            << landed_before << " databases held nothing of it and " << landed_after << " all of it\n";
  EXPECT_GE(killed, kKillPoints / 2);
}

}  // namespace
}  // namespace endstate::faults
