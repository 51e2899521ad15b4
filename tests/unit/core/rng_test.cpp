#include <set>

#include <gtest/gtest.h>

#include "endstate/core/rng.hpp"

namespace endstate {
namespace {

TEST(Rng, SameSeedAndStreamSameSequence) {
  Rng a(42, 7);
  Rng b(42, 7);
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(a(), b());
}

TEST(Rng, StreamsDiffer) {
  Rng a(42, 0);
  Rng b(42, 1);
  int same = 0;
  for (int i = 0; i < 1000; ++i) same += a() == b();
  EXPECT_EQ(same, 0);
}

TEST(Rng, UniformMomentsAndBelowRange) {
  Rng r(1);
  double sum = 0;
  const int n = 200000;
  for (int i = 0; i < n; ++i) {
    const double u = r.uniform();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    sum += u;
  }
  EXPECT_NEAR(sum / n, 0.5, 0.005);  // ~7 standard errors
  std::set<std::uint64_t> seen;
  for (int i = 0; i < 1000; ++i) {
    const auto v = r.below(6);
    ASSERT_LT(v, 6u);
    seen.insert(v);
  }
  EXPECT_EQ(seen.size(), 6u);
}

}  // namespace
}  // namespace endstate
