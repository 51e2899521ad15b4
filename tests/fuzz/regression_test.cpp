// Replays every input in tests/fuzz/corpus/<target>/ through its fuzz target:
// each crash found by fuzzing becomes a permanent regression input here.
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

#include <gtest/gtest.h>

#include "fuzz_targets.hpp"
#include "test_config.hpp"

namespace endstate::fuzz {
namespace {

std::vector<std::uint8_t> bytes_of(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void replay(const std::string& target, int (*fn)(const std::uint8_t*, std::size_t)) {
  const auto dir = endstate::testing::source_dir() / "tests" / "fuzz" / "corpus" / target;
  int n = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    const auto b = bytes_of(e.path());
    SCOPED_TRACE(e.path().string());
    EXPECT_EQ(fn(b.data(), b.size()), 0);
    ++n;
  }
  EXPECT_GT(n, 0) << "empty corpus " << dir;
}

TEST(FuzzRegression, Csv) { replay("csv", &csv_target); }
TEST(FuzzRegression, Events) { replay("events", &events_target); }

}  // namespace
}  // namespace endstate::fuzz
