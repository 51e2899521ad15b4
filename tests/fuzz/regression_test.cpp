// Replays every input in tests/fuzz/corpus/<target>/ through its fuzz target:
// the seeds, and each input fuzzing found a crash with (a permanent regression
// input, named after what it found; tests/fuzz/README.md lists them). Under the
// sanitizer build (ctest -L sanitize) this replay runs with ASan and UBSan.
// Below, the reader contracts those inputs exercise, checked directly.
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "endstate/core/error.hpp"
#include "endstate/footprint/pmedian.hpp"
#include "endstate/plan/spec.hpp"
#include "endstate/tasks/register.hpp"
#include "endstate/threat/picture.hpp"
#include "fuzz_targets.hpp"
#include "test_config.hpp"

namespace endstate::fuzz {
namespace {

std::vector<std::uint8_t> bytes_of(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

class Replay : public ::testing::TestWithParam<std::string_view> {};

TEST_P(Replay, EveryCorpusInput) {
  const std::string target(GetParam());
  const Target fn = target_named(target);
  ASSERT_NE(fn, nullptr);
  const auto dir = endstate::testing::source_dir() / "tests" / "fuzz" / "corpus" / target;
  ASSERT_TRUE(std::filesystem::is_directory(dir)) << "no corpus folder " << dir;
  int n = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    const auto b = bytes_of(e.path());
    SCOPED_TRACE(e.path().string());
    EXPECT_EQ(fn(b.data(), b.size()), 0);
    ++n;
  }
  EXPECT_GT(n, 0) << "empty corpus " << dir;
}

INSTANTIATE_TEST_SUITE_P(Targets, Replay, ::testing::ValuesIn(target_names()),
                         [](const auto& p) { return std::string(p.param); });

template <typename Fn>
Error error_of(Fn&& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e;
  }
  ADD_FAILURE() << "expected an endstate::Error";
  return Error(ErrorCategory::kInternal, "none");
}

// Threat weights (issue 18, items 9 and 10): a key twice, a second document,
// text that is not UTF-8 are bad input with their line; an empty file keeps
// the defaults.
TEST(WeightsYaml, DuplicateKeysExtraDocumentsAndBadBytes) {
  const auto w = threat::parse_weights_yaml("vac_events: 2\nbattle_events: 0.5\n", "w.yaml");
  EXPECT_DOUBLE_EQ(w.vac_events, 2);
  EXPECT_DOUBLE_EQ(threat::parse_weights_yaml("", "w.yaml").vac_events, threat::IndexWeights{}.vac_events);
  Error e = error_of([] { threat::parse_weights_yaml("vac_events: 2\nbattle_events: 1\nvac_events: 3\n", "w.yaml"); });
  EXPECT_EQ(e.category(), ErrorCategory::kBadInput);
  EXPECT_EQ(e.where().line, 3);
  EXPECT_EQ(e.where().field, "vac_events");
  e = error_of([] { threat::parse_weights_yaml("vac_events: 2\n---\nvac_events: 3\n", "w.yaml"); });
  EXPECT_EQ(e.where().line, 2);
  e = error_of([] { threat::parse_weights_yaml("vac_events: 2\nother_events: \xFF\n", "w.yaml"); });
  EXPECT_EQ(e.where().line, 2);
  e = error_of([] { threat::parse_weights_yaml("vac_events: [1, [2]]\n", "w.yaml"); });
  EXPECT_EQ(e.where().field, "vac_events");
}

// OR-Library (issue 18, item 9): a header alone used to allocate n x n doubles
// (3.2 GB for n = 20000) and run Floyd-Warshall before finding the graph
// disconnected; now the edges are checked first.
TEST(OrLibrary, HeaderAloneIsCheapAndDisconnectedIsBadInput) {
  const Error e = error_of([] { (void)footprint::parse_orlib_pmed("20000 0 1\n", "big.txt"); });
  EXPECT_EQ(e.category(), ErrorCategory::kBadInput);
  const Error d = error_of([] { (void)footprint::parse_orlib_pmed("20000 1 1\n1 2 5\n", "big.txt"); });
  EXPECT_NE(d.message().find("not connected"), std::string::npos);
  const auto ok = footprint::parse_orlib_pmed("3 2 1\n1 2 2\n2 3 1\n", "ok.txt");
  EXPECT_DOUBLE_EQ(ok.d(0, 2), 3);
}

TEST(OrLibrary, DevZeroAndFoldersAreBadInput) {
  EXPECT_EQ(error_of([] { (void)footprint::read_orlib_pmed("/dev/zero"); }).category(), ErrorCategory::kBadInput);
  EXPECT_EQ(error_of([] { (void)footprint::read_orlib_pmed("/tmp"); }).category(), ErrorCategory::kBadInput);
}

// Plan and task register YAML (found by plan_fuzz): yaml-cpp 0.7's LoadAll
// loops for ever (and grows its memory) on a line starting with a comma; the
// readers now check the document without it. A second document is still refused.
TEST(PlanAndRegisterYaml, LeadingCommaIsBadInputNotAHang) {
  for (const char* text : {",a: 1\n", ",ri\": 2026-07  # s////////////////1\n"}) {
    EXPECT_EQ(error_of([&] { (void)plan::parse_plan(text, "p.yaml"); }).category(), ErrorCategory::kBadInput);
    EXPECT_EQ(error_of([&] { (void)tasks::parse_register(text, "t.yaml"); }).category(), ErrorCategory::kBadInput);
  }
  const Error e = error_of([] { (void)plan::parse_plan("plan:\n  id: a\n---\nplan: {}\n", "p.yaml"); });
  EXPECT_NE(e.message().find("more than one YAML document"), std::string::npos) << e.message();
  EXPECT_EQ(e.where().line, 3);
}

}  // namespace
}  // namespace endstate::fuzz
