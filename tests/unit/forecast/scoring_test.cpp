#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "endstate/forecast/scoring.hpp"

namespace endstate::forecast {
namespace {

// Brute-force energy form over all pairs, to check the sorted formula.
double crps_pairs(const std::vector<float>& x, double y) {
  const double m = static_cast<double>(x.size());
  double a = 0, b = 0;
  for (float xi : x) a += std::abs(xi - y);
  for (float xi : x) {
    for (float xj : x) b += std::abs(xi - xj);
  }
  return a / m - 0.5 * b / (m * m);
}

TEST(Crps, HandComputedTwoDraws) {
  const std::vector<float> x{1, 3};
  // E|X-2| = 1, E|X-X'| = 1 -> 1 - 0.5
  EXPECT_DOUBLE_EQ(crps_sorted(x.data(), 2, 2.0), 0.5);
}

TEST(Crps, PointForecastIsAbsoluteError) {
  const std::vector<float> x{5};
  EXPECT_DOUBLE_EQ(crps_sorted(x.data(), 1, 2.0), 3.0);
  const std::vector<float> z{0, 0, 0};
  EXPECT_DOUBLE_EQ(crps_sorted(z.data(), 3, 7.0), 7.0);
}

TEST(Crps, SortedFormulaMatchesAllPairs) {
  const std::vector<float> x{0, 0, 1, 2, 2, 5, 9, 40};
  for (double y : {0.0, 1.0, 3.0, 100.0}) EXPECT_NEAR(crps_sorted(x.data(), x.size(), y), crps_pairs(x, y), 1e-12);
}

TEST(Quantile, Type7) {
  const std::vector<float> x{1, 2, 3, 4};
  EXPECT_DOUBLE_EQ(quantile_sorted(x.data(), 4, 0.5), 2.5);
  EXPECT_DOUBLE_EQ(quantile_sorted(x.data(), 4, 0.25), 1.75);
  EXPECT_DOUBLE_EQ(quantile_sorted(x.data(), 4, 0.0), 1.0);
  EXPECT_DOUBLE_EQ(quantile_sorted(x.data(), 4, 1.0), 4.0);
}

TEST(ShareAtLeast, CountsTies) {
  const std::vector<float> x{0, 0, 1, 10, 30};
  EXPECT_DOUBLE_EQ(share_at_least_sorted(x.data(), 5, 10), 0.4);
  EXPECT_DOUBLE_EQ(share_at_least_sorted(x.data(), 5, 1), 0.6);
  EXPECT_DOUBLE_EQ(share_at_least_sorted(x.data(), 5, 0), 1.0);
  EXPECT_DOUBLE_EQ(share_at_least_sorted(x.data(), 5, 31), 0.0);
}

TEST(ScoreSums, HandComputed) {
  const std::vector<float> x{0, 0, 10, 30};  // mean 10
  ScoreSums s;
  s.add(x.data(), 4, 10.0);
  EXPECT_DOUBLE_EQ(s.n, 1);
  EXPECT_DOUBLE_EQ(s.se, 0.0);
  EXPECT_DOUBLE_EQ(s.sle, 0.0);
  EXPECT_DOUBLE_EQ(s.brier1, 0.25);     // P(>=1) = 0.5, observed 1
  EXPECT_DOUBLE_EQ(s.brier10, 0.25);    // P(>=10) = 0.5, observed 1
  EXPECT_DOUBLE_EQ(s.brier25, 0.0625);  // P(>=25) = 0.25, observed 0
  // 50% interval [q25, q75] = [0, 15] contains 10; 90% [0, 27] too.
  EXPECT_DOUBLE_EQ(s.cover50, 1.0);
  EXPECT_DOUBLE_EQ(s.cover90, 1.0);
  // CRPS: E|X-10| = (10+10+0+20)/4 = 10; E|X-X'| = 2/16 * (-3*0 - 1*0 + 1*10 + 3*30) = 12.5
  EXPECT_DOUBLE_EQ(s.crps, 10 - 0.5 * 12.5);
  ScoreSums t;
  t.add(x.data(), 4, 40.0);
  EXPECT_DOUBLE_EQ(t.cover90, 0.0);
  s.merge(t);
  EXPECT_DOUBLE_EQ(s.n, 2);
  EXPECT_DOUBLE_EQ(s.se, 900.0);
}

TEST(Ignorance, ViewsBinsWithOnePseudoDrawPerBin) {
  // Draws {0, 0, 10, 30}: 2 in bin {0}, 1 in 6-10, 1 in 26-50; 11 bins, so
  // P(bin) = (count + 1) / 15 (prio-data/prediction_competition_2023).
  const std::vector<float> x{0, 0, 10, 30};
  EXPECT_NEAR(ignorance_sorted(x.data(), 4, 0), -std::log2(3.0 / 15), 1e-12);
  EXPECT_NEAR(ignorance_sorted(x.data(), 4, 10), -std::log2(2.0 / 15), 1e-12);
  EXPECT_NEAR(ignorance_sorted(x.data(), 4, 6), -std::log2(2.0 / 15), 1e-12);     // same bin 6-10
  EXPECT_NEAR(ignorance_sorted(x.data(), 4, 11), -std::log2(1.0 / 15), 1e-12);    // 11-25: empty
  EXPECT_NEAR(ignorance_sorted(x.data(), 4, 26), -std::log2(2.0 / 15), 1e-12);    // 26-50 holds 30
  EXPECT_NEAR(ignorance_sorted(x.data(), 4, 2000), -std::log2(1.0 / 15), 1e-12);  // > 1000
  const std::vector<float> big{0, 1001, 5000};
  EXPECT_NEAR(ignorance_sorted(big.data(), 3, 1200), -std::log2(3.0 / 14), 1e-12);
  EXPECT_NEAR(ignorance_sorted(big.data(), 3, 1000), -std::log2(1.0 / 14), 1e-12);  // 501-1000
}

TEST(IntervalScore, WidthPlusTwentyTimesTheMiss) {
  // 90% interval of {0, 0, 10, 30}: q05 = 0, q95 = 10 + 0.85 * 20 = 27.
  const std::vector<float> x{0, 0, 10, 30};
  EXPECT_NEAR(interval_score_sorted(x.data(), 4, 10), 27, 1e-12);
  EXPECT_NEAR(interval_score_sorted(x.data(), 4, 40), 27 + 20 * 13, 1e-9);
  const std::vector<float> y{5, 5, 5, 5};
  EXPECT_NEAR(interval_score_sorted(y.data(), 4, 2), 20 * 3, 1e-12);
  EXPECT_NEAR(interval_score_sorted(y.data(), 4, 5), 0, 1e-12);
}

TEST(ScoreSums, PitCoverageReliabilityByHand) {
  const std::vector<float> x{0, 0, 10, 30};
  ScoreSums s;
  s.add(x.data(), 4, 10.0);
  // F(9) = 0.5, F(10) = 0.75: the PIT mass 1 spread over [0.5, 0.75].
  EXPECT_NEAR(s.pit[5], 0.4, 1e-12);
  EXPECT_NEAR(s.pit[6], 0.4, 1e-12);
  EXPECT_NEAR(s.pit[7], 0.2, 1e-12);
  EXPECT_NEAR(s.pit[0] + s.pit[9], 0, 1e-12);
  EXPECT_EQ(s.pit, s.pit_nonzero);
  EXPECT_EQ(s.by_size[2].n, 1);  // 10-24
  EXPECT_EQ(s.by_size[2].c90, 1);
  EXPECT_EQ(s.called.n, 1);  // P(>=1) = 0.5
  // P(>=1) = 0.5 -> bin 5, observed; P(>=25) = 0.25 -> bin 2, not observed.
  EXPECT_EQ(s.reliability[0][5].n, 1);
  EXPECT_EQ(s.reliability[0][5].o, 1);
  EXPECT_EQ(s.reliability[2][2].n, 1);
  EXPECT_EQ(s.reliability[2][2].o, 0);
  EXPECT_NEAR(s.expected[0], 0.5, 1e-12);
  EXPECT_EQ(s.observed[2], 0);
  // A zero outcome against an all-zero forecast: PIT uniform over [0, 1].
  const std::vector<float> z{0, 0, 0, 0};
  ScoreSums t;
  t.add(z.data(), 4, 0.0);
  for (double v : t.pit) EXPECT_NEAR(v, 0.1, 1e-12);
  EXPECT_EQ(t.n_nonzero, 0);
  EXPECT_EQ(t.by_size[0].c50, 1);
  EXPECT_EQ(t.called.n, 0);
  s.merge(t);
  EXPECT_EQ(s.n, 2);
  EXPECT_NEAR(s.pit[5], 0.5, 1e-12);
  EXPECT_EQ(s.n_nonzero, 1);
  EXPECT_NEAR(s.ign, -std::log2(2.0 / 15) - std::log2(5.0 / 15), 1e-12);
}

}  // namespace
}  // namespace endstate::forecast
