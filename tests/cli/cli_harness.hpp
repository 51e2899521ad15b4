#pragma once
// Runs the endstate binary in a scratch directory and captures exit code,
// stdout and stderr; helpers to write fixture files and fingerprint a database.

#include <fcntl.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "postgres/test_store.hpp"
#include "test_config.hpp"

namespace endstate::testing {

struct RunResult {
  int code = -1;
  std::string out;
  std::string err;
};

inline std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline void write_file(const std::filesystem::path& p, const std::string& content) {
  std::filesystem::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << content;
}

inline std::string shell_quote(const std::string& s) {
  std::string o = "'";
  for (char c : s) o += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return o + "'";
}

/// The Carana demo (`endstate demo --out`), run once per build of the binary
/// and kept in `temp/endstate_cli/_demo/<key>/demo`: the demo is deterministic,
/// so the tests copy that folder instead of running the demo again (7 s each,
/// for about a hundred tests, twice with the PostgreSQL runs). The key is the
/// binary's path, size and time, so a rebuilt binary makes a fresh demo. Made
/// under a file lock, so test processes running side by side wait for one
/// another; "" and the folder in *dir, or the demo's error output.
inline std::string cached_demo(std::filesystem::path* dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path bin = endstate_binary();
  const auto stamp = fs::last_write_time(bin, ec).time_since_epoch().count();
  const std::string what = bin.string() + "|" + std::to_string(fs::file_size(bin, ec)) + "|" + std::to_string(stamp);
  char key[17];
  std::snprintf(key, sizeof key, "%016zx", std::hash<std::string>{}(what));
  const fs::path root = fs::temp_directory_path() / "endstate_cli" / "_demo";
  fs::create_directories(root);
  const fs::path done = root / key / "done";
  *dir = root / key / "demo";
  const int fd = ::open((root / "lock").c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0644);
  if (fd < 0 || ::flock(fd, LOCK_EX) != 0) return "cannot lock " + (root / "lock").string();
  std::string problem;
  if (!fs::exists(done)) {
    // Demos of earlier builds of this binary go first.
    const std::string mine = std::to_string(std::hash<std::string>{}(bin.string()));
    for (const auto& e : fs::directory_iterator(root)) {
      if (e.is_directory() && fs::exists(e.path() / "binary") && read_file(e.path() / "binary") == mine)
        fs::remove_all(e.path(), ec);
    }
    fs::remove_all(root / key, ec);
    fs::create_directories(root / key);
    write_file(root / key / "binary", mine);
    const std::string cmd = shell_quote(bin.string()) + " demo --out " + shell_quote(dir->string()) + " >/dev/null 2>" +
                            shell_quote((root / key / "demo.err").string());
    if (std::system(cmd.c_str()) == 0) {
      write_file(done, "");
    } else {
      problem = "demo failed: " + read_file(root / key / "demo.err");
    }
  }
  ::close(fd);
  return problem;
}

/// Copies the cached demo (cached_demo) into `dest`: its database, inputs and
/// results; "" or what went wrong.
inline std::string copy_demo(const std::filesystem::path& dest) {
  std::filesystem::path src;
  if (auto problem = cached_demo(&src); !problem.empty()) return problem;
  std::error_code ec;
  std::filesystem::remove_all(dest, ec);
  std::filesystem::create_directories(dest.parent_path(), ec);
  std::filesystem::copy(src, dest, std::filesystem::copy_options::recursive, ec);
  return ec ? "cannot copy the demo to " + dest.string() + ": " + ec.message() : std::string();
}

/// A folder `temp/endstate_cli/<name>_<pid>` holding a copy of the demo in
/// `demo/` (the Carana database and its inputs), for the tests of a suite
/// run in this process to share (ctest runs each test in a process of its
/// own, side by side: the folder is the process's); "" or the problem.
inline std::string make_shared_demo(const std::filesystem::path& dir) {
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return copy_demo(dir / "demo");
}

/// The per-process shared folder of a suite: temp/endstate_cli/<suite>_<pid>.
inline std::filesystem::path shared_folder(const std::string& suite) {
  return std::filesystem::temp_directory_path() / "endstate_cli" / (suite + "_" + std::to_string(::getpid()));
}

/// Makes `db` (a PostgreSQL database of the test cluster) a copy of the
/// cached demo's store, from a template database holding it (exported once
/// per cluster and binary, under a file lock); "" or the problem.
inline std::string demo_into(ScratchDatabase& db) {
  std::filesystem::path src;
  if (auto problem = cached_demo(&src); !problem.empty()) return problem;
  const std::string tmpl = "es_demo_" + src.parent_path().filename().string();
  const auto root = src.parent_path().parent_path();
  const int fd = ::open((root / "lock").c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0644);
  if (fd < 0 || ::flock(fd, LOCK_EX) != 0) return "cannot lock " + (root / "lock").string();
  std::string problem;
  if (!ScratchDatabase::exists(tmpl)) {
    ScratchDatabase making("demo_template");
    const auto err = root / ("export_" + std::to_string(::getpid()) + ".err");
    const int status =
        std::system((shell_quote(endstate_binary()) + " --db " + shell_quote((src / "endstate.db").string()) +
                     " export --to " + shell_quote(making.location()) + " >/dev/null 2>" + shell_quote(err.string()))
                        .c_str());
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) problem = "export of the demo failed: " + read_file(err);
    std::error_code ec;
    std::filesystem::remove(err, ec);
    if (problem.empty() && making.rename_to(tmpl) != 0) problem = "cannot rename the demo's template database";
  }
  ::close(fd);
  if (problem.empty() && db.recreate_from(tmpl) != 0) problem = "cannot make " + db.name() + " from " + tmpl;
  return problem;
}

/// A scratch directory with its own database, removed at the end of the test:
/// an SQLite file in the directory, or (ENDSTATE_TEST_DB_BACKEND=postgresql,
/// ctest label `postgres`) a fresh database of the test cluster.
class CliFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::temp_directory_path() / "endstate_cli" /
           (std::string(info->test_suite_name()) + "_" + info->name() + "_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    if (postgres_backend()) {
      scratch_ = std::make_unique<ScratchDatabase>(info->name());
      db_ = scratch_->location();
    } else {
      db_ = (dir_ / "test.db").string();
    }
  }
  void TearDown() override {
    if (!HasFailure()) std::filesystem::remove_all(dir_);
    scratch_.reset();
  }

  /// True when the tests run against the PostgreSQL test cluster.
  [[nodiscard]] bool on_server() const { return scratch_ != nullptr; }
  /// True when an endstate store exists at db_.
  [[nodiscard]] bool store_exists() const { return scratch_ ? scratch_->has_store() : std::filesystem::exists(db_); }
  /// Copies the SQLite store `file` (a demo's, say) into this test's
  /// PostgreSQL database with `endstate export --to` and returns the --db
  /// location to use: `file` itself on SQLite.
  /// Copies the cached demo into this test's folder (path("demo")) and
  /// returns the --db location of its store: the copied SQLite file, or on
  /// PostgreSQL this test's database made from a template database holding
  /// the demo's store (exported once per cluster and binary).
  std::string demo_store() const {
    EXPECT_EQ(copy_demo(dir_ / "demo"), "");
    const std::string file = (dir_ / "demo" / "endstate.db").string();
    if (!scratch_) return file;
    EXPECT_EQ(demo_into(*scratch_), "");
    return scratch_->location();
  }

  std::string on_backend(const std::string& file) const {
    if (!scratch_) return file;
    const auto r = run({"--db", file, "export", "--to", scratch_->location()});
    EXPECT_EQ(r.code, 0) << r.err;
    return scratch_->location();
  }

  RunResult run(const std::vector<std::string>& args) const {
    std::string cmd =
        "cd " + shell_quote(dir_.string()) + " && " + shell_quote(endstate_binary()) + " --db " + shell_quote(db_);
    for (const auto& a : args) cmd += " " + shell_quote(a);
    const auto out_path = dir_ / ".stdout";
    const auto err_path = dir_ / ".stderr";
    cmd += " >" + shell_quote(out_path.string()) + " 2>" + shell_quote(err_path.string());
    RunResult r;
    const int status = std::system(cmd.c_str());
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = read_file(out_path);
    r.err = read_file(err_path);
    return r;
  }

  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  std::string write(const std::string& name, const std::string& content) const {
    write_file(dir_ / name, content);
    return path(name);
  }
  /// Bytes of the database and its WAL (on PostgreSQL: the rows of its
  /// tables, ScratchDatabase::data_fingerprint): identical fingerprints mean
  /// nothing was written.
  std::string db_fingerprint() const {
    if (scratch_) return scratch_->data_fingerprint();
    std::string f = read_file(db_);
    if (std::filesystem::exists(db_ + "-wal")) f += "|wal:" + read_file(db_ + "-wal");
    return f;
  }

  std::filesystem::path dir_;
  std::string db_;
  std::unique_ptr<ScratchDatabase> scratch_;
};

}  // namespace endstate::testing
