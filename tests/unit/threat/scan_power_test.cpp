// Size and power of the space-time scan across seeds (label: slow).
//
// Set-up: a 6 x 6 grid of areas 0.5 degrees apart with equal populations,
// 12 months, counts Poisson(2) per cell under the null; 99 replications,
// circles up to 25% of the population, windows up to 3 months.
// Bounds tested (200 null data sets, alpha = 0.05, so the number of
// rejections is Binomial(200, 0.05) when the test has the right size: mean
// 10, sd 3.1): between 2 and 18 rejections, i.e. a type I error rate of at
// most 9% (P(X >= 19) = 0.008 for a correct test). Power: a cluster
// planted in a 2 x 2 block for 3 months with relative risk 3 (Poisson; 4 for
// the permutation model, which also conditions on the area totals) must be
// found (p <= 0.05 and the primary cluster overlapping the planted areas and
// months) in at least 90 of 100 data sets. Runs print the observed rates.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "endstate/core/rng.hpp"
#include "endstate/threat/scan.hpp"

namespace endstate::threat {
namespace {

constexpr std::size_t kSide = 6;
constexpr std::size_t kMonths = 12;

std::int64_t poisson(Rng& rng, double mean) {
  // Knuth's multiplication method (small means)
  const double limit = std::exp(-mean);
  std::int64_t k = 0;
  double prod = rng.uniform();
  while (prod > limit) {
    ++k;
    prod *= rng.uniform();
  }
  return k;
}

bool planted(std::size_t area) {
  const std::size_t i = area / kSide, j = area % kSide;
  return i >= 2 && i <= 3 && j >= 2 && j <= 3;
}

/// Poisson(2) per cell; planted cells in months [m0, m0+3) get rate 2 * rr.
ScanData simulate(std::uint64_t seed, double rr, std::size_t m0) {
  ScanData d;
  Rng rng(seed, 1000);
  for (std::size_t i = 0; i < kSide; ++i)
    for (std::size_t j = 0; j < kSide; ++j) {
      d.centroids.push_back({-5.0 + 0.5 * static_cast<double>(i), 25.0 + 0.5 * static_cast<double>(j)});
      d.population.push_back(50000);
    }
  d.months = kMonths;
  for (std::size_t z = 0; z < kSide * kSide; ++z)
    for (std::size_t t = 0; t < kMonths; ++t) {
      const bool in = planted(z) && t >= m0 && t < m0 + 3;
      d.counts.push_back(poisson(rng, in ? 2.0 * rr : 2.0));
    }
  return d;
}

ScanOptions options(ScanModel model, ScanMode mode, std::uint64_t seed) {
  ScanOptions o;
  o.model = model;
  o.mode = mode;
  o.replications = 99;
  o.max_population_share = 0.25;
  o.max_months = 3;
  o.seed = seed;
  o.threads = 2;
  o.max_clusters = 1;
  return o;
}

struct Rates {
  int rejections = 0;
  int found = 0;
};

Rates run(ScanModel model, ScanMode mode, double rr, int datasets, std::size_t m0) {
  Rates r;
  for (int s = 0; s < datasets; ++s) {
    ScanData d = simulate(static_cast<std::uint64_t>(s) + 1, rr, m0);
    if (model == ScanModel::kPermutation) d.population.clear();
    const auto res = space_time_scan(d, options(model, mode, static_cast<std::uint64_t>(s) + 500));
    if (std::getenv("SCAN_DEBUG") && !res.clusters.empty())
      std::fprintf(stderr, "seed %d llr %.2f p %.3f areas %zu t %zu-%zu obs %.0f exp %.1f\n", s, res.clusters[0].llr,
                   res.clusters[0].p_value, res.clusters[0].areas.size(), res.clusters[0].start, res.clusters[0].end,
                   res.clusters[0].observed, res.clusters[0].expected);
    if (res.clusters.empty() || res.clusters[0].p_value > 0.05) continue;
    ++r.rejections;
    const auto& c = res.clusters[0];
    bool area_hit = false;
    for (auto z : c.areas) area_hit = area_hit || planted(z);
    const bool time_hit = c.end >= m0 && c.start < m0 + 3;
    if (area_hit && time_hit) ++r.found;
  }
  std::printf("%s %s rr %.1f: %d of %d data sets significant at 0.05, %d with the planted cluster\n",
              std::string(model_name(model)).c_str(), std::string(mode_name(mode)).c_str(), rr, r.rejections, datasets,
              r.found);
  return r;
}

TEST(ScanSize, PoissonNullRejectsAboutFivePercent) {
  const auto r = run(ScanModel::kPoisson, ScanMode::kRetrospective, 1.0, 200, 0);
  EXPECT_GE(r.rejections, 2);
  EXPECT_LE(r.rejections, 18) << "type I error " << r.rejections / 200.0;
}

TEST(ScanSize, PermutationNullRejectsAboutFivePercent) {
  const auto r = run(ScanModel::kPermutation, ScanMode::kRetrospective, 1.0, 200, 0);
  EXPECT_GE(r.rejections, 2);
  EXPECT_LE(r.rejections, 18) << "type I error " << r.rejections / 200.0;
}

TEST(ScanSize, ProspectivePoissonNullRejectsAboutFivePercent) {
  const auto r = run(ScanModel::kPoisson, ScanMode::kProspective, 1.0, 200, 0);
  EXPECT_GE(r.rejections, 2);
  EXPECT_LE(r.rejections, 18) << "type I error " << r.rejections / 200.0;
}

TEST(ScanPower, PoissonFindsAPlantedCluster) {
  const auto r = run(ScanModel::kPoisson, ScanMode::kRetrospective, 3.0, 100, 5);
  EXPECT_GE(r.found, 90) << "power " << r.found / 100.0;
}

TEST(ScanPower, PermutationFindsAPlantedCluster) {
  const auto r = run(ScanModel::kPermutation, ScanMode::kRetrospective, 4.0, 100, 5);
  EXPECT_GE(r.found, 90) << "power " << r.found / 100.0;
}

TEST(ScanPower, ProspectiveFindsAClusterAliveAtTheEnd) {
  const auto r = run(ScanModel::kPoisson, ScanMode::kProspective, 3.0, 100, kMonths - 3);
  EXPECT_GE(r.found, 90) << "power " << r.found / 100.0;
}

}  // namespace
}  // namespace endstate::threat
