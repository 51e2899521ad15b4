// Databases endstate may not write (issue 18 item 6 and the fault suite): a
// read-only database file, a read-only folder, and an SQLite file of another
// application given as --db. Read verbs answer and leave no file behind;
// write verbs exit with a clear message and change no byte (a foreign file is
// not even switched to WAL).
#include "fault_harness.hpp"

namespace endstate::faults {
namespace {

class ReadOnly : public FaultFixture {
 protected:
  /// Write verbs on the demo database: an import, an assessment, a sign-off.
  std::vector<std::vector<std::string>> write_verbs() const {
    return {{"events", "import", (dir_ / "inputs" / "ged.csv").string(), "--source", "ucdp"},
            {"benchmarks", "assess"},
            {"benchmarks", "signoff", "--stakeholder", "un", "--by", "A. Tester", "--date", "2024-06-30"},
            {"observations", "import", (demo_ / "inputs" / "observations.csv").string()}};
  }
  std::vector<std::vector<std::string>> read_verbs() const {
    return {{"status"},
            {"events", "list", "--limit", "5"},
            {"benchmarks", "assess", "--no-save"},
            {"audit", "verify"},
            {"threat", "index", "--format", "csv"}};
  }
};

TEST_F(ReadOnly, ReadVerbsWorkAndWriteVerbsExit5WithoutChangingAByte) {
  write_events(demo_, dir_ / "inputs" / "ged.csv", 500, 600000000, 0);
  open_to_all(dir_);
  open_to_all(dir_ / "inputs");
  struct Case {
    std::string name;
    mode_t folder_mode, file_mode;
  };
  // Folder and file modes: a read-only file in a writable folder, a writable
  // file in a read-only folder, both read-only.
  for (const Case& c : {Case{"file", 0777, 0444}, Case{"folder", 0555, 0666}, Case{"both", 0555, 0444}}) {
    SCOPED_TRACE(c.name + " read-only");
    const fs::path folder = dir_ / c.name;
    const fs::path db = copy_demo(folder);
    ::chmod(db.c_str(), c.file_mode);
    ::chmod(folder.c_str(), c.folder_mode);
    const std::string before = read_file(db);
    const auto files = listing(folder);
    for (const auto& args : read_verbs()) {
      Spawn s = command(db, args);
      s.unprivileged = true;
      const Outcome o = run(s);
      EXPECT_EQ(o.code, 0) << args[0] << " " << (args.size() > 1 ? args[1] : "") << ": " << o.err;
      EXPECT_EQ(listing(folder), files) << args[0] << " left a file behind";
    }
    for (const auto& args : write_verbs()) {
      Spawn s = command(db, args);
      s.unprivileged = true;
      const Outcome o = run(s);
      const std::string what = args[0] + " " + args[1];
      EXPECT_EQ(o.code, 5) << what << ": " << o.err;
      EXPECT_NE(o.err.find("cannot proceed"), std::string::npos) << what << ": " << o.err;
      EXPECT_TRUE(o.err.find("cannot be written") != std::string::npos ||
                  o.err.find("not writable") != std::string::npos)
          << what << ": the message should say the database cannot be written: " << o.err;
      EXPECT_EQ(read_file(db), before) << what;
      EXPECT_EQ(listing(folder), files) << what << " left a file behind";
    }
    ::chmod(folder.c_str(), 0755);
  }
}

/// An SQLite file of another application: a table of its own, rollback journal.
void make_foreign(const fs::path& p, const std::string& application_id) {
  Sqlite s(p, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  ASSERT_EQ(s.exec("PRAGMA application_id = " + application_id), SQLITE_OK);
  ASSERT_EQ(s.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT); INSERT INTO notes(text) VALUES ('mine')"),
            SQLITE_OK);
}

TEST_F(ReadOnly, AForeignSqliteFileIsRefusedAndNotTouched) {
  write_events(demo_, dir_ / "inputs" / "ged.csv", 50, 600000000, 0);
  // Plain SQLite (application id 0) and a GeoPackage ("GPKG"), an easy mix-up.
  for (const std::string& id : {std::string("0"), std::to_string(0x47504B47)}) {
    SCOPED_TRACE("application_id " + id);
    const fs::path folder = dir_ / ("foreign" + id);
    fs::create_directories(folder);
    const fs::path db = folder / "other.sqlite";
    make_foreign(db, id);
    const std::string before = read_file(db);
    ASSERT_EQ(before[18], 1) << "the file is in rollback-journal mode (WAL would make it 2)";
    for (const auto& args : {write_verbs()[0], write_verbs()[1], read_verbs()[0], read_verbs()[1]}) {
      const Outcome o = run(command(db, args));
      EXPECT_EQ(o.code, 2) << args[0] << ": " << o.err;
      EXPECT_NE(o.err.find("not an endstate database"), std::string::npos) << o.err;
      EXPECT_EQ(read_file(db), before) << args[0] << " changed the file";
      EXPECT_EQ(listing(folder), std::set<std::string>{"other.sqlite"}) << args[0] << " left a -wal, -shm or -journal";
    }
  }
}

}  // namespace
}  // namespace endstate::faults
