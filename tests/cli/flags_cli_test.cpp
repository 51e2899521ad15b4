// Every flag of every command against absurd values (issue 18 items 4 and 12):
// the test walks the command table (cli::commands()) and runs each command in
// process (cli::run) with one flag set to a value no one means. An integer
// flag must answer with a usage error (exit 1) that names the flag and its
// allowed range, and a count-like one (threads, replications, samples, ...)
// must have an upper bound; no flag value may crash endstate or be called an
// internal defect (exit 4). The database named is absent, so a value that is
// accepted ends in "not found" (exit 3) before any work.
#include <filesystem>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "cli.hpp"

namespace endstate::cli {
namespace {

namespace fs = std::filesystem;

struct Result {
  int code = -1;
  std::string out, err;
};

class CliFlags : public ::testing::Test {
 protected:
  void SetUp() override {
    // One folder per test: ctest runs the two tests side by side.
    dir_ = fs::temp_directory_path() / "endstate_cli" /
           ("CliFlags_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    // Commands run in this process: anything written to a relative path lands here.
    cwd_ = fs::current_path();
    fs::current_path(dir_);
  }
  void TearDown() override {
    fs::current_path(cwd_);
    if (!HasFailure()) fs::remove_all(dir_);
  }

  Result run(std::vector<std::string> args) const {
    args.insert(args.begin(), {"endstate", "--db", (dir_ / "absent.db").string()});
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    std::ostringstream out, err;
    Result r;
    r.code = cli::run(static_cast<int>(argv.size()), argv.data(), out, err);
    r.out = out.str();
    r.err = err.str();
    return r;
  }

  /// The command's words, its positionals (absent files) and its required flags
  /// (plausible values), without `skip`.
  std::vector<std::string> base_args(const CommandSpec& c, const std::string& skip) const {
    std::vector<std::string> a{c.noun};
    if (!c.verb.empty()) a.push_back(c.verb);
    for (std::size_t i = 0; i < c.positionals.size(); ++i) {
      a.push_back(c.positionals[i].name == "NAME" ? "carana"
                                                  : (dir_ / ("absent" + std::to_string(i) + ".csv")).string());
    }
    for (const auto& f : c.flags) {
      if (!f.required || f.name == skip) continue;
      a.push_back("--" + f.name);
      if (!f.value_name.empty()) a.push_back(plausible(f));
    }
    return a;
  }

  std::string plausible(const FlagSpec& f) const {
    if (f.value_name == "YYYY-MM") return "2024-06";
    if (f.value_name == "DIR") return (dir_ / "never-written").string();
    if (f.value_name == "FILE" || f.value_name == "CSV" || f.value_name == "YAML")
      return (dir_ / "absent.txt").string();
    return "x";
  }

  static bool is_path(const FlagSpec& f) {
    static const std::set<std::string> kPaths{"FILE", "DIR", "CSV", "YAML", "PATH"};
    return kPaths.count(f.value_name) > 0;
  }

  std::string name(const CommandSpec& c, const FlagSpec& f) const {
    return c.noun + (c.verb.empty() ? "" : " " + c.verb) + " --" + f.name;
  }

  /// Integer flags: those that refuse 2.5 as "must be an integer".
  std::vector<std::pair<const CommandSpec*, const FlagSpec*>> integer_flags() const {
    std::vector<std::pair<const CommandSpec*, const FlagSpec*>> out;
    for (const auto& c : commands()) {
      for (const auto& f : c.flags) {
        if (f.value_name.empty() || is_path(f)) continue;
        auto a = base_args(c, f.name);
        a.insert(a.end(), {"--" + f.name, "2.5"});
        const Result r = run(a);
        if (r.code == 1 && r.err.find("--" + f.name + " must be an integer") != std::string::npos) {
          out.emplace_back(&c, &f);
        }
      }
    }
    return out;
  }

  fs::path dir_, cwd_;
};

// Integer flags that are not counts: a seed, a stored version number and a
// row limit of a listing take any non-negative value (nothing is sized by them).
const std::set<std::string> kNotCounts{"seed", "version", "framework-version", "limit"};

TEST_F(CliFlags, EveryIntegerFlagHasARangeAndCountsHaveAnUpperBound) {
  const auto flags = integer_flags();
  // The walk found the integer flags (threat hotspots alone has seven).
  ASSERT_GE(flags.size(), 30u);
  std::set<std::string> seen;
  for (const auto& [c, f] : flags) {
    seen.insert(f->name);
    const std::string what = name(*c, *f);
    std::vector<std::string> values{"99999999999999999999", "-99999999999999999999", "1e300", "-1"};
    // A count must be bounded above as well (1e12 fits in 64 bits).
    if (!kNotCounts.count(f->name)) values.push_back("1000000000000");
    for (const auto& v : values) {
      auto a = base_args(*c, f->name);
      a.insert(a.end(), {"--" + f->name, v});
      const Result r = run(a);
      EXPECT_EQ(r.code, 1) << what << " " << v << ": " << r.err;
      EXPECT_NE(r.err.find("--" + f->name), std::string::npos) << what << " " << v << ": " << r.err;
      EXPECT_TRUE(r.err.find(" in ") != std::string::npos || r.err.find(">=") != std::string::npos)
          << what << " " << v << ": the message should give the allowed range: " << r.err;
    }
  }
  for (const char* expected : {"threads", "replications", "samples", "horizon", "max-clusters", "reject-limit",
                               "max-stream-mib", "candidate-limit", "top", "max-sites"}) {
    EXPECT_TRUE(seen.count(expected)) << "--" << expected << " was not found as an integer flag";
  }
}

TEST_F(CliFlags, AbsurdValuesNeverCrashOrClaimADefect) {
  int runs = 0;
  for (const auto& c : commands()) {
    for (const auto& f : c.flags) {
      if (f.value_name.empty() || is_path(f)) continue;
      for (const std::string v : {"1e308", "-1e308", "nan", "inf", "99999999999999999999", "", "\xff\xfe"}) {
        auto a = base_args(c, f.name);
        a.insert(a.end(), {"--" + f.name, v});
        const Result r = run(a);
        ++runs;
        EXPECT_TRUE(r.code == 1 || r.code == 2 || r.code == 3)
            << name(c, f) << " '" << v << "': exit " << r.code << ": " << r.err;
        EXPECT_EQ(r.err.find("internal error"), std::string::npos) << name(c, f) << " '" << v << "': " << r.err;
      }
    }
  }
  EXPECT_GT(runs, 500);
  EXPECT_FALSE(fs::exists(dir_ / "absent.db")) << "a refused command created the database";
  EXPECT_FALSE(fs::exists(dir_ / "never-written")) << "a refused command wrote its output folder";
  EXPECT_FALSE(fs::exists(dir_ / "demo-out")) << "a refused demo wrote its output folder";
}

}  // namespace
}  // namespace endstate::cli
