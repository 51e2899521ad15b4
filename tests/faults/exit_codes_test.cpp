// Exit codes by cause (issue 18 item 12): one table of failure causes and the
// exit code each must give (1 usage, 2 bad input, 3 not found, 5 environment;
// 4 only for a defect in endstate, so never here), with a word the message
// must hold. A run that dies by a signal (SIGABRT, SIGSEGV) fails the row.
#include <functional>

#include "fault_harness.hpp"

namespace endstate::faults {
namespace {

class ExitCodes : public FaultFixture {};

struct Row {
  std::string cause;
  std::vector<std::string> args;  ///< after --db DB; "@" stands for the scratch folder
  int code;
  std::string message;  ///< a part of stderr
  std::function<void(Spawn&)> fault = nullptr;
};

TEST_F(ExitCodes, EachCauseHasItsCode) {
  const fs::path db = copy_demo(dir_ / "db");
  const std::string d = dir_.string();
  write_events(demo_, dir_ / "ged.csv", 3000, 500000000, 0);
  write_file(dir_ / "typed.yaml",
             std::string("framework:\n  id: x\n  name: x\n  version: \"1\"\n  area_level: province\n") +
                 "  indicators:\n    - id: a\n      name: a\n      direction: lower_is_better\n      source: events\n"
                 "      derivation:\n        measure: fatalities\n        violence_types: [[one_sided]]\n");
  write_file(dir_ / "listy.yaml", read_file(demo_ / "inputs" / "framework.yaml") + "indicators: [{a: 1}]\n");
  write_file(dir_ / "huge.geojson",
             R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"x","name":"X"},)"
             R"("geometry":{"type":"Polygon","coordinates":[[[1000,0],[1001,0],[1001,1],[1000,0]]]}}]})");
  write_file(dir_ / "inf.geojson",
             R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"x","name":"X"},)"
             R"("geometry":{"type":"Polygon","coordinates":[[[1e999,0],[10,0],[10,1],[1e999,0]]]}}]})");
  write_file(dir_ / "text.db", "not a database\n");
  fs::create_directories(dir_ / "a-folder");

  auto fsize = [](rlim_t n) { return [n](Spawn& s) { s.fsize_limit = n; }; };
  auto address_space = [](rlim_t n) { return [n](Spawn& s) { s.address_space = n; }; };
  const std::vector<Row> rows{
      // usage (1): flags
      {"unknown flag", {"threat", "hotspots", "--bogus", "1"}, 1, "unknown option --bogus"},
      {"threads beyond the bound", {"threat", "hotspots", "--threads", "100000"}, 1, "--threads"},
      {"replications beyond the bound", {"threat", "hotspots", "--replications", "1000000000"}, 1, "--replications"},
      {"samples beyond the bound", {"forecast", "run", "--samples", "1000000000"}, 1, "--samples"},
      {"samples x horizon x areas beyond memory",
       {"forecast", "run", "--level", "territory", "--samples", "100000", "--horizon", "120"},
       1,
       "--samples"},
      {"not a number", {"forecast", "run", "--horizon", "twelve"}, 1, "--horizon"},
      {"missing argument", {"events", "import"}, 1, "expected 1 argument"},
      {"empty signer", {"benchmarks", "signoff", "--stakeholder", "un", "--by", ""}, 1, "--by"},
      {"impossible sign-off date",
       {"benchmarks", "signoff", "--stakeholder", "un", "--by", "X", "--date", "2024-13-45"},
       1,
       "--date"},
      // bad input (2): special files, typed YAML, huge coordinates, foreign files
      {"/dev/null as an import file", {"events", "import", "/dev/null", "--source", "ucdp"}, 2, "no bytes"},
      {"/dev/zero as a framework", {"benchmarks", "import", "/dev/zero"}, 2, "NUL"},
      {"a folder as --weights", {"threat", "index", "--weights", d + "/a-folder"}, 2, "directory"},
      {"a folder as an import file", {"events", "import", d + "/a-folder", "--source", "ucdp"}, 2, "directory"},
      {"wrongly typed YAML list", {"benchmarks", "import", d + "/typed.yaml"}, 2, "violence_types"},
      {"unknown top-level key", {"benchmarks", "import", d + "/listy.yaml"}, 2, "listy.yaml"},
      {"longitude 1000", {"areas", "import", d + "/huge.geojson", "--level", "district"}, 2, "outside longitude"},
      {"an infinite vertex", {"areas", "import", d + "/inf.geojson", "--level", "district"}, 2, "inf.geojson"},
      {"a text file as --db", {"--db", d + "/text.db", "status"}, 2, "not an SQLite database"},
      // not found (3)
      {"missing import file", {"events", "import", d + "/nothing.csv", "--source", "ucdp"}, 3, "no such file"},
      {"missing database for a read", {"--db", d + "/nothing.db", "status"}, 3, "no database here"},
      {"missing --weights file", {"threat", "index", "--weights", d + "/nothing.yaml"}, 3, "nothing.yaml"},
      // environment (5): disk full, threads the system refuses
      {"disk full during an import",
       {"events", "import", d + "/ged.csv", "--source", "ucdp"},
       5,
       "nothing was written",
       fsize(64 * 1024)},
      {"disk full writing a folder of outputs",
       {"scenario", "generate", "carana", "--out", d + "/gen"},
       5,
       "gen/",
       fsize(64 * 1024)},
      {"threads the system refuses",
       {"threat", "hotspots", "--level", "territory", "--threads", "256", "--replications", "999"},
       5,
       "threads",
       address_space(1024ull * 1024 * 1024)},
  };
  for (const Row& r : rows) {
    SCOPED_TRACE(r.cause);
    std::vector<std::string> args = r.args;
    const bool own_db = !args.empty() && args[0] == "--db";
    Spawn s = command(db, {});
    s.args = own_db ? args : std::vector<std::string>{"--db", db.string()};
    if (!own_db) s.args.insert(s.args.end(), args.begin(), args.end());
    if (r.fault) r.fault(s);
    const std::string before = read_file(db);
    const Outcome o = run(s);
    EXPECT_EQ(o.signal, 0) << r.cause << ": killed by signal " << o.signal << "\n" << o.err;
    EXPECT_EQ(o.code, r.code) << r.cause << ": " << o.err;
    EXPECT_NE(o.err.find(r.message), std::string::npos)
        << r.cause << ": the message should name '" << r.message << "': " << o.err;
    EXPECT_EQ(o.err.find("internal error"), std::string::npos) << o.err;
    EXPECT_EQ(read_file(db), before) << r.cause << " changed the database";
  }
  EXPECT_EQ(listing(dir_ / "db"), std::set<std::string>{"endstate.db"});
}

TEST_F(ExitCodes, ALockPastTheBusyTimeoutIs5) {
  const fs::path db = copy_demo(dir_ / "db");
  write_events(demo_, dir_ / "ged.csv", 100, 510000000, 0);
  WriteLock lock(db);
  const Outcome o = run(command(db, {"events", "import", (dir_ / "ged.csv").string(), "--source", "ucdp"}));
  EXPECT_EQ(o.code, 5) << o.err;
  EXPECT_NE(o.err.find("locked by another process"), std::string::npos) << o.err;
}

}  // namespace
}  // namespace endstate::faults
