#pragma once
// Runs the endstate binary in a scratch directory and captures exit code,
// stdout and stderr; helpers to write fixture files and fingerprint a database.

#include <sys/wait.h>
#include <cstdio>
#include <filesystem>
#include <fstream>
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

/// A fresh folder `temp/endstate_cli/<name>` holding `endstate demo --out
/// .../demo` (the Carana database and its inputs), for the tests of a suite to
/// share; "" when the demo ran, else its error output.
inline std::string make_shared_demo(const std::filesystem::path& dir) {
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string cmd = shell_quote(endstate_binary()) + " demo --out " + shell_quote((dir / "demo").string()) +
                          " >/dev/null 2>" + shell_quote((dir / "demo.err").string());
  return std::system(cmd.c_str()) == 0 ? std::string() : "demo failed: " + read_file(dir / "demo.err");
}

/// A scratch directory with its own database, removed at the end of the test:
/// an SQLite file in the directory, or (ENDSTATE_TEST_DB_BACKEND=postgresql,
/// ctest label `postgres`) a fresh database of the test cluster.
class CliFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::temp_directory_path() / "endstate_cli" /
           (std::string(info->test_suite_name()) + "_" + info->name());
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
