// Many users at once on one PostgreSQL store (issue 17): parallel imports of
// the same and of different files, imports that deadlock on their sources,
// sign-offs from two processes, and an analysis reading during an import. No
// row is lost, duplicated or half-written and the audit chain stays one chain.
#include <filesystem>
#include <fstream>
#include <future>
#include <latch>
#include <map>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "endstate/core/error.hpp"
#include "endstate/store/database.hpp"
#include "postgres/test_store.hpp"
#include "test_config.hpp"

namespace endstate::testing {
namespace {

using nlohmann::json;
using store::Database;
namespace fs = std::filesystem;

// Two 1 x 1 degree provinces side by side.
constexpr const char* kProvinces = R"({"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"id":"north","name":"Nord"},"geometry":{"type":"Polygon","coordinates":[[[28,-1],[29,-1],[29,0],[28,0],[28,-1]]]}},
{"type":"Feature","properties":{"id":"south","name":"Sud"},"geometry":{"type":"Polygon","coordinates":[[[29,-1],[30,-1],[30,0],[29,0],[29,-1]]]}}
]})";

struct CliRun {
  int code = -1;
  std::string out, err;
};

class Concurrency : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(postgres_backend()) << "run with ENDSTATE_TEST_DB_BACKEND=postgresql (ctest -L postgres)";
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    db_ = std::make_unique<ScratchDatabase>(info->name());
    dir_ = fs::temp_directory_path() / "endstate_pg" / info->name();
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    if (!HasFailure()) fs::remove_all(dir_);
  }

  /// Runs endstate on the test database; safe from several threads at once.
  CliRun cli(const std::vector<std::string>& args) const {
    static std::atomic<int> n{0};
    const std::string err = (dir_ / ("stderr." + std::to_string(n++))).string();
    std::string cmd = quote(endstate_binary()) + " --db " + quote(db_->location());
    for (const auto& a : args) cmd += " " + quote(a);
    CliRun r;
    r.code = shell(cmd + " 2>" + quote(err), &r.out);
    std::ifstream in(err);
    std::stringstream ss;
    ss << in.rdbuf();
    r.err = ss.str();
    return r;
  }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(dir_ / name, std::ios::binary) << text;
    return (dir_ / name).string();
  }
  /// A generic events CSV: `rows` events per source, ids prefixed, points
  /// alternating between the two provinces.
  std::string events_file(const std::string& name, const std::vector<std::string>& sources, int rows,
                          const std::string& prefix) const {
    std::string csv = "id,date,latitude,longitude,fatalities,source\n";
    for (const auto& s : sources) {
      for (int i = 0; i < rows; ++i) {
        csv += prefix + std::to_string(i) + ",2021-0" + std::to_string(1 + i % 9) + "-1" + std::to_string(i % 10) +
               ",-0." + std::to_string(1 + i % 8) + "," + (i % 2 ? "28.5" : "29.5") + "," + std::to_string(i % 7) +
               "," + s + "\n";
      }
    }
    return write(name, csv);
  }
  void import_provinces() const {
    const auto r = cli({"areas", "import", write("prov.geojson", kProvinces), "--level", "province"});
    ASSERT_EQ(r.code, 0) << r.err;
  }
  std::int64_t count(const std::string& table) const {
    std::string out;
    EXPECT_EQ(db_->psql("SELECT count(*) FROM " + table, &out), 0) << out;
    return std::stoll(out);
  }

  std::unique_ptr<ScratchDatabase> db_;
  fs::path dir_;
};

/// Runs `fn` for each of `n` workers at once; their results in order.
template <typename Fn>
auto in_parallel(int n, Fn fn) {
  std::vector<std::future<decltype(fn(0))>> f;
  for (int i = 0; i < n; ++i) f.push_back(std::async(std::launch::async, fn, i));
  std::vector<decltype(fn(0))> out;
  for (auto& x : f) out.push_back(x.get());
  return out;
}

TEST_F(Concurrency, TheSameFileFourTimesAtOnceStoresEachEventOnce) {
  import_provinces();
  constexpr int kRows = 4000;
  const auto file = events_file("a.csv", {"alpha"}, kRows, "a");
  const auto runs = in_parallel(4, [&](int) {
    return cli({"events", "import", file, "--source", "csv", "--format", "json"});
  });
  int all_new = 0, all_duplicate = 0;
  for (const auto& r : runs) {
    ASSERT_EQ(r.code, 0) << r.err;
    const auto j = json::parse(r.out);
    EXPECT_EQ(j["read"], kRows);
    if (j["imported"] == kRows && j["duplicates"] == 0) ++all_new;
    if (j["imported"] == 0 && j["duplicates"] == kRows) ++all_duplicate;
  }
  EXPECT_EQ(all_new, 1) << "exactly one import stores the rows";
  EXPECT_EQ(all_duplicate, 3) << "the others count every row as a duplicate";
  EXPECT_EQ(count("events"), kRows);
  EXPECT_EQ(count("event_areas"), kRows);
  EXPECT_EQ(count("(SELECT DISTINCT source, source_id FROM events) d"), kRows);
  // Re-imports of an identical file that add nothing leave no log entry (ingest).
  EXPECT_EQ(count("import_log WHERE kind = 'events'"), 1);
  EXPECT_EQ(count("import_log WHERE kind = 'events' AND imported = read"), 1);
}

TEST_F(Concurrency, DifferentFilesSideBySideAndSourcesInOppositeOrders) {
  import_provinces();
  constexpr int kRows = 2500;
  const std::vector<std::string> files = {
      events_file("a.csv", {"alpha"}, kRows, "a"), events_file("b.csv", {"beta"}, kRows, "b"),
      // Two sources each, locked in opposite orders: a deadlock the importer replays.
      events_file("ab.csv", {"gamma", "delta"}, kRows, "x"), events_file("ba.csv", {"delta", "gamma"}, kRows, "y")};
  auto runs = in_parallel(8, [&](int i) {
    return cli({"events", "import", files[static_cast<std::size_t>(i % 4)], "--source", "csv", "--format", "json"});
  });
  // A deadlock victim whose twin (the same file) committed while it backed off
  // cannot replay without changing an answer it gave: it fails cleanly (exit 5,
  // nothing written) and asks to be run again, which then counts duplicates.
  // A victim of a cycle through three imports at a point the importer does not
  // replay fails the same clean way (seen once in 6 runs of make test); the
  // counts below show that nothing of it was written.
  int refused = 0;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    if (runs[i].code == 5 && (runs[i].err.find("while this one waited after a deadlock") != std::string::npos ||
                              runs[i].err.find("a deadlock with another writer") != std::string::npos)) {
      ++refused;
      runs[i] = cli({"events", "import", files[i % 4], "--source", "csv", "--format", "json"});
    }
  }
  EXPECT_LE(refused, 7) << "at least one import of the eight goes through first time";
  std::map<std::string, std::pair<int, int>> by_file;  // file -> (imports storing rows, imports of duplicates only)
  for (std::size_t i = 0; i < runs.size(); ++i) {
    ASSERT_EQ(runs[i].code, 0) << runs[i].err;
    const auto j = json::parse(runs[i].out);
    const auto per_file =
        files[i % 4].find("ab.csv") != std::string::npos || files[i % 4].find("ba.csv") != std::string::npos ? 2 * kRows
                                                                                                             : kRows;
    EXPECT_EQ(j["imported"].get<int>() + j["duplicates"].get<int>(), per_file);
    auto& tally = by_file[files[i % 4]];
    if (j["imported"] == per_file) ++tally.first;
    if (j["duplicates"] == per_file) ++tally.second;
  }
  for (const auto& [file, tally] : by_file) {
    EXPECT_EQ(tally, std::make_pair(1, 1)) << file;
  }
  EXPECT_EQ(count("events"), 6 * kRows);
  EXPECT_EQ(count("event_areas"), 6 * kRows);
  EXPECT_EQ(count("events WHERE source = 'gamma'"), 2 * kRows);
}

Event event(const std::string& source, const std::string& id) {
  Event e;
  e.source = source;
  e.source_id = id;
  e.date_start = e.date_end = *Date::parse("2021-03-04");
  e.where = {-0.5, 28.5};
  return e;
}

TEST_F(Concurrency, ImportsThatDeadlockOnTheirSourcesAreReplayed) {
  { auto init = Database::open(db_->location()); }
  // Each takes one source, then wants the other's: a deadlock every time.
  std::latch both_hold_one(2);
  auto work = [&](int i) -> std::string {
    try {
      auto db = Database::open(db_->location());
      Database::Transaction tx(db, Database::Transaction::kBulk);
      const auto imp = db.begin_import("events", "f" + std::to_string(i), "sha", "csv");
      const std::string first = i == 0 ? "alpha" : "beta", second = i == 0 ? "beta" : "alpha";
      EXPECT_TRUE(db.insert_event(event(first, "own-" + std::to_string(i)), imp));
      both_hold_one.arrive_and_wait();
      EXPECT_TRUE(db.insert_event(event(second, "other-" + std::to_string(i)), imp));
      ImportSummary s;
      s.read = s.imported = 2;
      db.finish_import(imp, s);
      tx.commit();
      return "";
    } catch (const Error& e) {
      return e.what();
    }
  };
  const auto results = in_parallel(2, work);
  EXPECT_EQ(results[0], "");
  EXPECT_EQ(results[1], "");
  EXPECT_EQ(count("events"), 4);
  EXPECT_EQ(count("import_log WHERE imported = 2"), 2);
}

TEST_F(Concurrency, AReplayThatWouldChangeAnAnswerFailsCleanly) {
  { auto init = Database::open(db_->location()); }
  // Worker 0 answers "alpha/k is new", then waits for beta; worker 1 asks for
  // alpha/k a little later: a deadlock whose victim is worker 0 (it waited
  // first, so its check runs first). Worker 1 then stores alpha/k, so worker
  // 0's replay finds its answer changed: it must fail writing nothing, never
  // store a duplicate.
  std::latch both_hold_one(2);
  auto work = [&](int i) -> std::string {
    try {
      auto db = Database::open(db_->location());
      Database::Transaction tx(db, Database::Transaction::kBulk);
      const auto imp = db.begin_import("events", "f" + std::to_string(i), "sha", "csv");
      if (i == 0) {
        EXPECT_TRUE(db.insert_event(event("alpha", "k"), imp));
        both_hold_one.arrive_and_wait();
        db.insert_event(event("beta", "w0"), imp);
      } else {
        EXPECT_TRUE(db.insert_event(event("beta", "b1"), imp));
        both_hold_one.arrive_and_wait();
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        db.insert_event(event("alpha", "k"), imp);
      }
      tx.commit();
      return "";
    } catch (const Error& e) {
      return e.what();
    }
  };
  const auto results = in_parallel(2, work);
  EXPECT_TRUE(results[0].empty() || results[1].empty()) << results[0] << " | " << results[1];
  if (!results[0].empty()) {
    EXPECT_NE(results[0].find("another import stored events of source 'alpha'"), std::string::npos) << results[0];
    EXPECT_NE(results[0].find("nothing was written"), std::string::npos) << results[0];
    EXPECT_EQ(count("events"), 2);
    EXPECT_EQ(count("import_log"), 1);
  } else {
    std::cout << "worker 1 was the deadlock victim (timing): both committed\n";
  }
  EXPECT_EQ(count("events WHERE source = 'alpha' AND source_id = 'k'"), 1);
  EXPECT_EQ(count("events"), count("(SELECT DISTINCT source, source_id FROM events) d"));
}

TEST_F(Concurrency, SignoffsFromTwoProcessesKeepOneAuditChain) {
  const auto gen = cli({"scenario", "generate", "carana", "--out", (dir_ / "carana").string()});
  ASSERT_EQ(gen.code, 0) << gen.err;
  const auto imp = cli({"benchmarks", "import", (dir_ / "carana" / "framework.yaml").string(), "--format", "json"});
  ASSERT_EQ(imp.code, 0) << imp.err;
  const auto before = json::parse(cli({"audit", "log", "--format", "json"}).out)["entries"].size();
  constexpr int kEach = 6;
  const auto runs = in_parallel(2, [&](int p) {
    std::vector<CliRun> mine;
    for (int k = 0; k < kEach; ++k) {
      mine.push_back(cli({"benchmarks", "signoff", "--stakeholder", "government", "--by",
                          "officer " + std::to_string(p) + "." + std::to_string(k), "--format", "json"}));
    }
    return mine;
  });
  for (const auto& mine : runs) {
    for (const auto& r : mine) EXPECT_EQ(r.code, 0) << r.err;
  }
  const auto verify = cli({"audit", "verify", "--format", "json"});
  ASSERT_EQ(verify.code, 0) << verify.out << verify.err;
  const auto v = json::parse(verify.out);
  EXPECT_TRUE(v["intact"].get<bool>());
  EXPECT_EQ(v["entries"], before + 2 * kEach);
  const auto log = json::parse(cli({"audit", "log", "--format", "json"}).out)["entries"];
  for (std::size_t i = 0; i < log.size(); ++i) {
    EXPECT_EQ(log[i]["seq"], i + 1);
    if (i > 0) {
      EXPECT_EQ(log[i]["prev_hash"], log[i - 1]["hash"]);
    }
  }
  EXPECT_EQ(count("benchmark_signoffs WHERE signed_by LIKE 'officer %'"), 2 * kEach);
}

TEST_F(Concurrency, AnAnalysisDuringAnImportSeesAllOrNothing) {
  import_provinces();
  constexpr int kRows = 30000;
  const auto file = events_file("big.csv", {"alpha"}, kRows, "e");
  auto import = std::async(std::launch::async, [&] { return cli({"events", "import", file, "--source", "csv"}); });
  int reads = 0, saw_before = 0, saw_after = 0;
  for (;;) {
    const bool done = import.wait_for(std::chrono::milliseconds(0)) == std::future_status::ready;
    auto db = Database::open_read_only(db_->location());
    const auto st = db.status();
    const auto events = st.table_counts[1].second, links = st.table_counts[2].second;
    std::int64_t listed = 0;
    db.for_each_event({}, [&](const store::EventRow& r) { listed += r.area_ids.size() == 1 ? 1 : 0; });
    std::int64_t logged = 0;
    for (const auto& i : db.imports(5)) {
      if (i.kind == "events") logged += i.imported;
    }
    ++reads;
    EXPECT_TRUE(events == 0 || events == kRows) << "half an import visible: " << events;
    EXPECT_EQ(links, events) << "events and their areas from different moments";
    EXPECT_EQ(listed, events) << "one snapshot for the whole analysis";
    EXPECT_EQ(logged, events) << "the import log and the rows disagree";
    (events == 0 ? saw_before : saw_after)++;
    if (done) break;
  }
  const auto r = import.get();
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_GE(reads, 2);
  EXPECT_GE(saw_after, 1);
  std::cout << "reads during the import: " << reads << " (" << saw_before << " before it committed)\n";
}

}  // namespace
}  // namespace endstate::testing
