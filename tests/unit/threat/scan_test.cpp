// Space-time scan: log-likelihood ratios against hand-computed cases (both
// models), window geometry, determinism across thread counts and agreement
// with the straightforward implementation.
#include <cmath>
#include <set>

#include <gtest/gtest.h>

#include "endstate/core/error.hpp"
#include "endstate/core/rng.hpp"
#include "endstate/threat/scan.hpp"

namespace endstate::threat {
namespace {

TEST(PoissonLlr, HandComputed) {
  // 10 ln(10/4) + 10 ln(10/16)
  EXPECT_NEAR(poisson_llr(10, 4, 20), 10 * 0.9162907318741551 + 10 * -0.4700036292457356, 1e-12);
  EXPECT_NEAR(poisson_llr(10, 4, 20), 4.462871026284195, 1e-9);
  EXPECT_DOUBLE_EQ(poisson_llr(4, 4, 20), 0.0);  // not a high-rate window
  EXPECT_DOUBLE_EQ(poisson_llr(3, 4, 20), 0.0);
  EXPECT_NEAR(poisson_llr(5, 2, 5), 5 * std::log(2.5), 1e-12);  // every case inside
}

// Two areas far apart on the equator, two months.
// counts: area 0 = [6, 2], area 1 = [2, 2]; C_t = [8, 4], C = 12.
ScanData two_by_two() {
  ScanData d;
  d.centroids = {{0, 0}, {0, 20}};
  d.population = {1000, 1000};
  d.months = 2;
  d.counts = {6, 2, 2, 2};
  return d;
}

TEST(Scan, PoissonHandComputed) {
  ScanOptions o;
  o.replications = 0;
  o.max_months = 2;
  const auto r = space_time_scan(two_by_two(), o);
  // circles: {0}, {1} (two areas would exceed 50% of the population)
  // mu_zt = C_t pop_z / P = [4, 2] for each area.
  // {0} x month 0: c 6, E 4 -> 6 ln 1.5 + 6 ln 0.75 = 0.70669...
  // {0} x months 0-1: c 8, E 6 -> 8 ln(4/3) + 4 ln(2/3) = 0.67959...
  ASSERT_FALSE(r.clusters.empty());
  const auto& c = r.clusters[0];
  EXPECT_EQ(c.centre, 0u);
  EXPECT_EQ(c.areas, std::vector<std::size_t>{0});
  EXPECT_EQ(c.start, 0u);
  EXPECT_EQ(c.end, 0u);
  EXPECT_DOUBLE_EQ(c.observed, 6);
  EXPECT_DOUBLE_EQ(c.expected, 4);
  EXPECT_NEAR(c.llr, 6 * std::log(1.5) + 6 * std::log(0.75), 1e-12);
  EXPECT_NEAR(c.relative_risk, (6.0 / 4) / (6.0 / 8), 1e-12);
  EXPECT_DOUBLE_EQ(c.radius_km, 0);
  EXPECT_DOUBLE_EQ(c.p_value, 1.0);  // no replications: rank 1 of 1
  EXPECT_DOUBLE_EQ(r.total, 12);
  EXPECT_EQ(r.circles, 2u);
  EXPECT_EQ(r.windows, 2u * 3u);
}

TEST(Scan, PermutationHandComputed) {
  ScanData d = two_by_two();
  d.population.clear();
  ScanOptions o;
  o.model = ScanModel::kPermutation;
  o.replications = 0;
  o.max_months = 2;
  o.max_population_share = 1.0;  // circles up to every case
  const auto r = space_time_scan(d, o);
  // mu_zt = C_z C_t / C with C_z = [8, 4], C_t = [8, 4]:
  // {0} x m0: c 6, E 64/12 -> 0.07453...; {1} x m1: c 2, E 16/12 -> 2 ln 1.5 + 10 ln(10/(12-4/3)) = 0.16554...
  ASSERT_FALSE(r.clusters.empty());
  const auto& c = r.clusters[0];
  EXPECT_EQ(c.centre, 1u);
  EXPECT_EQ(c.areas.size(), 1u);
  EXPECT_EQ(c.start, 1u);
  EXPECT_EQ(c.end, 1u);
  EXPECT_NEAR(c.expected, 16.0 / 12, 1e-12);
  EXPECT_NEAR(c.llr, 2 * std::log(1.5) + 10 * std::log(10 / (12 - 16.0 / 12)), 1e-12);
  EXPECT_NEAR(c.llr, 0.1655444, 1e-6);
  // the secondary cluster shares no area with the first: {0} x m0
  ASSERT_EQ(r.clusters.size(), 2u);
  EXPECT_EQ(r.clusters[1].areas, std::vector<std::size_t>{0});
  EXPECT_NEAR(r.clusters[1].llr, 6 * std::log(6 / (64.0 / 12)) + 6 * std::log(6 / (12 - 64.0 / 12)), 1e-12);
}

TEST(Scan, ProspectiveWindowsEndAtTheLastMonth) {
  ScanOptions o;
  o.replications = 0;
  o.max_months = 2;
  o.mode = ScanMode::kProspective;
  const auto r = space_time_scan(two_by_two(), o);
  // windows ending at month 1 only: {0} x m1: c 2 = E 2; {0} x m0-1: c 8, E 6.
  ASSERT_FALSE(r.clusters.empty());
  EXPECT_EQ(r.clusters[0].start, 0u);
  EXPECT_EQ(r.clusters[0].end, 1u);
  EXPECT_NEAR(r.clusters[0].llr, 8 * std::log(8 / 6.0) + 4 * std::log(4 / 6.0), 1e-12);
  EXPECT_EQ(r.windows, 2u * 2u);
}

TEST(Scan, CirclesGrowByDistanceUpToTheShareAndRadius) {
  ScanData d;
  // a row of five areas 0.5 degrees apart (about 55.6 km)
  for (int i = 0; i < 5; ++i) d.centroids.push_back({0, 0.5 * i});
  d.population = {1, 1, 1, 1, 1};
  d.months = 1;
  d.counts = {0, 0, 9, 9, 0};
  ScanOptions o;
  o.replications = 0;
  o.max_months = 1;
  o.max_population_share = 0.4;  // at most 2 areas
  o.group_equidistant = false;   // the old rule: equidistant cells join one at a time, lower index first
  auto r = space_time_scan(d, o);
  ASSERT_FALSE(r.clusters.empty());
  std::set<std::size_t> got(r.clusters[0].areas.begin(), r.clusters[0].areas.end());
  EXPECT_EQ(got, (std::set<std::size_t>{2, 3}));
  EXPECT_NEAR(r.clusters[0].radius_km, great_circle_km({0, 1.0}, {0, 1.5}), 1e-9);
  EXPECT_EQ(r.circles, 5u * 2u);
  o.max_radius_km = 50;  // single areas only
  r = space_time_scan(d, o);
  EXPECT_EQ(r.circles, 5u);
  EXPECT_EQ(r.clusters[0].areas.size(), 1u);
  // the two single-area clusters do not overlap: both reported
  ASSERT_GE(r.clusters.size(), 2u);
  EXPECT_NE(r.clusters[0].areas[0], r.clusters[1].areas[0]);
}

ScanData random_data(std::uint64_t seed, std::size_t side, std::size_t months) {
  ScanData d;
  Rng rng(seed, 0);
  for (std::size_t i = 0; i < side; ++i)
    for (std::size_t j = 0; j < side; ++j) {
      d.centroids.push_back({0.5 * static_cast<double>(i), 0.5 * static_cast<double>(j)});
      d.population.push_back(1000.0 + static_cast<double>(rng.below(9000)));
    }
  d.months = months;
  for (std::size_t k = 0; k < side * side * months; ++k) d.counts.push_back(static_cast<std::int64_t>(rng.below(4)));
  return d;
}

TEST(Scan, SameResultsForAnyThreadCount) {
  const ScanData d = random_data(7, 6, 18);
  for (auto model : {ScanModel::kPoisson, ScanModel::kPermutation}) {
    ScanOptions o;
    o.model = model;
    o.replications = 49;
    o.max_months = 4;
    o.seed = 11;
    o.threads = 1;
    const auto a = space_time_scan(d, o);
    o.threads = 3;
    const auto b = space_time_scan(d, o);
    ASSERT_EQ(a.null_max_llr.size(), 49u);
    EXPECT_EQ(a.null_max_llr, b.null_max_llr);  // bit for bit
    ASSERT_EQ(a.clusters.size(), b.clusters.size());
    for (std::size_t k = 0; k < a.clusters.size(); ++k) {
      EXPECT_EQ(a.clusters[k].areas, b.clusters[k].areas);
      EXPECT_EQ(a.clusters[k].llr, b.clusters[k].llr);
      EXPECT_EQ(a.clusters[k].p_value, b.clusters[k].p_value);
    }
    o.seed = 12;
    const auto c = space_time_scan(d, o);
    EXPECT_NE(a.null_max_llr, c.null_max_llr);
  }
}

TEST(Scan, AgreesWithTheStraightforwardImplementation) {
  const ScanData d = random_data(3, 5, 14);
  for (auto model : {ScanModel::kPoisson, ScanModel::kPermutation}) {
    for (auto mode : {ScanMode::kRetrospective, ScanMode::kProspective}) {
      ScanOptions o;
      o.model = model;
      o.mode = mode;
      o.replications = 9;
      o.max_months = 5;
      o.threads = 2;
      const auto fast = space_time_scan(d, o);
      const auto slow = space_time_scan_naive(d, o);
      ASSERT_EQ(fast.null_max_llr.size(), slow.null_max_llr.size());
      for (std::size_t r = 0; r < fast.null_max_llr.size(); ++r)
        EXPECT_NEAR(fast.null_max_llr[r], slow.null_max_llr[r], 1e-9 * (1 + slow.null_max_llr[r]));
      ASSERT_FALSE(fast.clusters.empty());
      EXPECT_NEAR(fast.clusters[0].llr, slow.clusters[0].llr, 1e-9);
      EXPECT_EQ(fast.clusters[0].areas, slow.clusters[0].areas);
      EXPECT_EQ(fast.clusters[0].start, slow.clusters[0].start);
      if (mode == ScanMode::kProspective) {
        for (const auto& c : fast.clusters) EXPECT_EQ(c.end, 13u);
      }
    }
  }
}

TEST(Scan, SecondaryClustersShareNoArea) {
  const ScanData d = random_data(5, 6, 12);
  ScanOptions o;
  o.replications = 0;
  o.max_clusters = 20;
  const auto r = space_time_scan(d, o);
  ASSERT_GT(r.clusters.size(), 1u);
  std::set<std::size_t> seen;
  for (const auto& c : r.clusters)
    for (auto z : c.areas) EXPECT_TRUE(seen.insert(z).second) << "area " << z << " in two clusters";
  for (std::size_t k = 1; k < r.clusters.size(); ++k) EXPECT_LE(r.clusters[k].llr, r.clusters[k - 1].llr);
}

TEST(Scan, BadInputIsAnError) {
  ScanData d = two_by_two();
  ScanOptions o;
  d.population = {1000};
  EXPECT_THROW(space_time_scan(d, o), Error);
  d.population = {1000, 0};
  try {
    space_time_scan(d, o);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.category(), ErrorCategory::kBadInput);
  }
  d = two_by_two();
  d.counts[1] = -1;
  EXPECT_THROW(space_time_scan(d, o), Error);
  d = two_by_two();
  d.counts.pop_back();
  EXPECT_THROW(space_time_scan(d, o), Error);
  d = two_by_two();
  d.centroids[0] = {95, 0};
  EXPECT_THROW(space_time_scan(d, o), Error);
  d = two_by_two();
  o.max_population_share = 0;
  try {
    space_time_scan(d, o);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.category(), ErrorCategory::kUsage);
  }
}

TEST(Scan, NoCasesNoClusters) {
  ScanData d = two_by_two();
  d.counts = {0, 0, 0, 0};
  ScanOptions o;
  o.replications = 5;
  const auto r = space_time_scan(d, o);
  EXPECT_TRUE(r.clusters.empty());
}

}  // namespace
}  // namespace endstate::threat
