// Space-time scan, issue 19: the pruned replications give the exhaustive
// answer bit for bit (random instances across seeds, models, modes and thread
// counts); equidistant cells join circles together; sequential Monte Carlo and
// Gumbel p-values; SaTScan's secondary-cluster rule; the null summary;
// scoring a window; the SaTScan export files.
#include <cmath>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "endstate/core/error.hpp"
#include "endstate/core/rng.hpp"
#include "endstate/threat/scan.hpp"

namespace endstate::threat {
namespace {

/// A side x side grid of 0.5-degree cells; a share `active` of the cells ever
/// sees an event (Poisson-ish counts), plus a hot block in a few months.
ScanData sparse_grid(std::uint64_t seed, std::size_t side, std::size_t months, double active) {
  ScanData d;
  Rng rng(seed, 0);
  for (std::size_t i = 0; i < side; ++i)
    for (std::size_t j = 0; j < side; ++j) {
      d.centroids.push_back({10.25 + 0.5 * static_cast<double>(i), 20.25 + 0.5 * static_cast<double>(j)});
      d.population.push_back(1000.0 + static_cast<double>(rng.below(9000)));
    }
  d.months = months;
  const std::size_t n = side * side;
  d.counts.assign(n * months, 0);
  for (std::size_t z = 0; z < n; ++z) {
    if (rng.uniform() >= active) continue;
    for (std::size_t t = 0; t < months; ++t)
      if (rng.uniform() < 0.25) d.counts[z * months + t] = static_cast<std::int64_t>(1 + rng.below(3));
  }
  // a hot spot: two neighbouring cells, three months
  const std::size_t hot = rng.below(n - 1);
  const std::size_t t0 = rng.below(months - 3);
  for (std::size_t t = t0; t < t0 + 3; ++t) {
    d.counts[hot * months + t] += 4;
    d.counts[(hot + 1) * months + t] += 3;
  }
  return d;
}

void expect_same(const ScanResult& a, const ScanResult& b) {
  EXPECT_EQ(a.null_max_llr, b.null_max_llr);  // bit for bit
  ASSERT_EQ(a.clusters.size(), b.clusters.size());
  for (std::size_t k = 0; k < a.clusters.size(); ++k) {
    EXPECT_EQ(a.clusters[k].areas, b.clusters[k].areas);
    EXPECT_EQ(a.clusters[k].start, b.clusters[k].start);
    EXPECT_EQ(a.clusters[k].end, b.clusters[k].end);
    EXPECT_EQ(a.clusters[k].llr, b.clusters[k].llr);
    EXPECT_EQ(a.clusters[k].p_value, b.clusters[k].p_value);
  }
}

TEST(ScanPruning, SameMaximaAsTheExhaustiveScanAcrossSeedsModelsModesAndThreads) {
  for (std::uint64_t seed : {1u, 2u, 3u, 4u, 5u}) {
    // seed 5: very sparse, many months without any case (ties between a window
    // and its trimmed version must resolve as in the reference)
    const ScanData d = sparse_grid(seed, 7, 30, seed == 5 ? 0.04 : seed % 2 == 0 ? 0.3 : 0.8);
    for (auto model : {ScanModel::kPermutation, ScanModel::kPoisson}) {
      for (auto mode : {ScanMode::kRetrospective, ScanMode::kProspective}) {
        ScanOptions o;
        o.model = model;
        o.mode = mode;
        o.replications = 39;
        o.max_months = 6;
        o.seed = 100 + seed;
        o.min_cases = seed == 3 ? 2 : 1;
        o.threads = 1;
        const auto ref = space_time_scan_reference(d, o);
        const auto fast1 = space_time_scan(d, o);
        o.threads = 3;
        const auto fast3 = space_time_scan(d, o);
        SCOPED_TRACE("seed " + std::to_string(seed) + " " + std::string(model_name(model)) + " " +
                     std::string(mode_name(mode)));
        ASSERT_EQ(ref.null_max_llr.size(), 39u);
        expect_same(ref, fast1);
        expect_same(fast1, fast3);
        ASSERT_FALSE(fast1.clusters.empty());
      }
    }
  }
}

TEST(ScanPruning, TiesResolveAsInTheReference) {
  // cell 0 has the same cases in months 0 and 5, and both months the same
  // total: the two windows tie; the reference keeps the earlier one
  ScanData d;
  for (int i = 0; i < 4; ++i) d.centroids.push_back({0.25, 0.25 + 2.0 * i});
  d.months = 8;
  d.counts.assign(4 * 8, 1);
  for (std::size_t t = 0; t < 8; ++t) d.counts[t] = 0;
  d.counts[0] = d.counts[5] = 3;
  for (auto mode : {ScanMode::kRetrospective, ScanMode::kProspective}) {
    ScanOptions o;
    o.model = ScanModel::kPermutation;
    o.mode = mode;
    o.replications = 0;
    o.max_months = mode == ScanMode::kRetrospective ? 3 : 8;
    o.max_clusters = 20;
    o.secondary = SecondaryRule::kSatscan;
    const auto ref = space_time_scan_reference(d, o);
    const auto fast = space_time_scan(d, o);
    expect_same(ref, fast);
    if (mode == ScanMode::kRetrospective) {
      ASSERT_FALSE(fast.clusters.empty());
      EXPECT_EQ(fast.clusters[0].areas, std::vector<std::size_t>{0});
      EXPECT_EQ(fast.clusters[0].start, 0u);
      EXPECT_EQ(fast.clusters[0].end, 0u);
    }
  }
}

TEST(ScanPruning, SameAsTheStraightforwardEnumerationWithGroupsAndRadius) {
  const ScanData d = sparse_grid(9, 6, 20, 0.5);
  for (bool group : {true, false}) {
    ScanOptions o;
    o.model = ScanModel::kPermutation;
    o.replications = 9;
    o.max_months = 5;
    o.group_equidistant = group;
    o.max_radius_km = 120;
    const auto fast = space_time_scan(d, o);
    const auto slow = space_time_scan_naive(d, o);
    ASSERT_EQ(fast.null_max_llr.size(), slow.null_max_llr.size());
    for (std::size_t r = 0; r < fast.null_max_llr.size(); ++r)
      EXPECT_NEAR(fast.null_max_llr[r], slow.null_max_llr[r], 1e-9 * (1 + slow.null_max_llr[r]));
    ASSERT_FALSE(fast.clusters.empty());
    EXPECT_EQ(fast.clusters[0].areas, slow.clusters[0].areas);
    EXPECT_NEAR(fast.clusters[0].llr, slow.clusters[0].llr, 1e-9);
    EXPECT_EQ(fast.circles, slow.circles);
  }
}

// A row of cells 0.5 degrees apart on the equator: from every inner centre the
// two neighbours are exactly equidistant.
ScanData row_of_cells(std::size_t n) {
  ScanData d;
  for (std::size_t i = 0; i < n; ++i) {
    d.centroids.push_back({0.25, 0.25 + 0.5 * static_cast<double>(i)});
    d.population.push_back(1.0);
  }
  d.months = 1;
  d.counts.assign(n, 1);
  return d;
}

TEST(ScanCircles, EquidistantCellsJoinTogether) {
  ScanData d = row_of_cells(5);
  d.counts = {0, 0, 9, 9, 0};
  ScanOptions o;
  o.replications = 0;
  o.max_months = 1;
  o.max_population_share = 0.4;  // at most 2 of the 5 equal populations
  const auto r = space_time_scan(d, o);
  // centre 0: {0}, {0,1}; 1: {1} ({0,2} together would be 3); 2: {2}; 3: {3}; 4: {4}, {4,3}
  EXPECT_EQ(r.circles, 7u);
  ASSERT_FALSE(r.clusters.empty());
  // {2,3} is no circle about 2 or 3 (the other neighbour is as close; the old
  // rule reported it): the best is cell 2 alone, c 9, E 18 x 1/5
  EXPECT_EQ(r.clusters[0].areas, std::vector<std::size_t>{2});
  EXPECT_NEAR(r.clusters[0].llr, 9 * std::log(9 / 3.6) + 9 * std::log(9 / 14.4), 1e-12);
  // every reported circle holds every centroid within its radius
  ScanOptions all = o;
  all.max_population_share = 1.0;
  all.max_clusters = 100;
  const auto many = space_time_scan(d, all);
  for (const auto& c : many.clusters)
    for (std::size_t z = 0; z < d.centroids.size(); ++z) {
      const bool inside = std::find(c.areas.begin(), c.areas.end(), z) != c.areas.end();
      const bool within = great_circle_km(d.centroids[c.centre], d.centroids[z]) <= c.radius_km + 1e-6;
      EXPECT_EQ(inside, within) << "centre " << c.centre << " area " << z;
    }
}

TEST(ScanCircles, NearlyEquidistantWithinTheToleranceGroup) {
  ScanData d = row_of_cells(3);
  d.centroids[2].lon += 1e-12;  // a rounding-sized difference: still one group
  ScanOptions o;
  o.replications = 0;
  o.max_months = 1;
  o.max_population_share = 1.0;
  EXPECT_EQ(space_time_scan(d, o).circles, 3u + 2u + 3u);  // 0: {0},{0,1},{0,1,2}; 1: {1},{0,1,2}; 2: 3
  o.tie_tolerance_km = 0;
  EXPECT_EQ(space_time_scan(d, o).circles, 3u + 3u + 3u);
}

/// Uniform data: no cluster, the primary p-value is large.
ScanData null_data(std::uint64_t seed) {
  ScanData d;
  Rng rng(seed, 0);
  for (std::size_t i = 0; i < 36; ++i)
    d.centroids.push_back({0.5 * static_cast<double>(i / 6), 0.5 * static_cast<double>(i % 6)});
  d.population.assign(36, 1000.0);
  d.months = 12;
  for (std::size_t k = 0; k < 36 * 12; ++k) d.counts.push_back(static_cast<std::int64_t>(rng.below(3)));
  return d;
}

TEST(ScanPValues, SequentialStopsWhenDecidedTheSameForAnyThreadCount) {
  const ScanData d = null_data(4);
  ScanOptions o;
  o.model = ScanModel::kPermutation;
  o.max_months = 3;
  o.replications = 999;
  o.p_value = PValueMethod::kSequential;
  o.sequential_exceedances = 10;
  o.threads = 1;
  const auto a = space_time_scan(d, o);
  o.threads = 3;
  const auto b = space_time_scan(d, o);
  ASSERT_FALSE(a.clusters.empty());
  EXPECT_TRUE(a.stopped_early);
  const std::size_t l = a.null_max_llr.size();
  EXPECT_LT(l, 999u);
  EXPECT_EQ(a.null_max_llr, b.null_max_llr);
  EXPECT_EQ(a.clusters[0].p_value, b.clusters[0].p_value);
  // Besag-Clifford: the l-th replication is the 10th to reach the primary LLR; p = 10 / l
  std::size_t g = 0;
  for (double m : a.null_max_llr) g += m >= a.clusters[0].llr * (1 - 1e-12) ? 1 : 0;
  EXPECT_EQ(g, 10u);
  EXPECT_GE(a.null_max_llr.back(), a.clusters[0].llr * (1 - 1e-12));
  EXPECT_DOUBLE_EQ(a.clusters[0].p_value, 10.0 / static_cast<double>(l));
  // the same first l maxima as the full Monte Carlo run
  o.p_value = PValueMethod::kMonteCarlo;
  const auto full = space_time_scan(d, o);
  EXPECT_FALSE(full.stopped_early);
  ASSERT_EQ(full.null_max_llr.size(), 999u);
  EXPECT_TRUE(std::equal(a.null_max_llr.begin(), a.null_max_llr.end(), full.null_max_llr.begin()));
}

TEST(ScanPValues, SequentialRunsEveryReplicationForAStrongCluster) {
  ScanData d = null_data(5);
  for (std::size_t t = 4; t < 7; ++t) d.counts[14 * 12 + t] += 12;
  ScanOptions o;
  o.model = ScanModel::kPermutation;
  o.max_months = 3;
  o.replications = 99;
  o.p_value = PValueMethod::kSequential;
  o.sequential_exceedances = 5;
  const auto r = space_time_scan(d, o);
  EXPECT_FALSE(r.stopped_early);
  EXPECT_EQ(r.null_max_llr.size(), 99u);
  ASSERT_FALSE(r.clusters.empty());
  EXPECT_DOUBLE_EQ(r.clusters[0].p_value, 0.01);
}

TEST(ScanPValues, GumbelKnownCase) {
  // maxima 1..5: mean 3, population variance 2, beta = sqrt(12)/pi, mu = 3 - gamma beta
  const std::vector<double> m{1, 2, 3, 4, 5};
  EXPECT_NEAR(gumbel_p_value(6, m), 0.03628547074257105, 1e-12);
  EXPECT_NEAR(gumbel_p_value(3, m), 0.4296239983249769, 1e-12);
  const auto s = summarise_null(m);
  EXPECT_NEAR(s.gumbel_beta, 1.1026577908435842, 1e-12);
  EXPECT_NEAR(s.gumbel_mu, 2.363528650099365, 1e-12);
  EXPECT_TRUE(std::isnan(gumbel_p_value(3, {1.0})));
  EXPECT_TRUE(std::isnan(gumbel_p_value(3, {2.0, 2.0})));
  // draws from a Gumbel(10, 2): the fitted tail matches the true one
  Rng rng(3, 0);
  std::vector<double> g;
  for (int k = 0; k < 20000; ++k) g.push_back(10 - 2 * std::log(-std::log(rng.uniform() * (1 - 2e-16) + 1e-16)));
  for (double x : {12.0, 16.0, 20.0}) {
    const double truth = 1 - std::exp(-std::exp(-(x - 10) / 2));
    EXPECT_NEAR(gumbel_p_value(x, g) / truth, 1.0, 0.1) << x;
  }
}

TEST(ScanPValues, GumbelMethodReportedAsSuch) {
  ScanData d = null_data(6);
  for (std::size_t t = 4; t < 7; ++t) d.counts[14 * 12 + t] += 12;
  ScanOptions o;
  o.model = ScanModel::kPermutation;
  o.max_months = 3;
  o.replications = 99;
  o.p_value = PValueMethod::kGumbel;
  const auto r = space_time_scan(d, o);
  ASSERT_FALSE(r.clusters.empty());
  EXPECT_EQ(r.p_value_method, PValueMethod::kGumbel);
  EXPECT_EQ(r.clusters[0].p_value, r.clusters[0].p_value_gumbel);
  EXPECT_EQ(r.clusters[0].p_value, gumbel_p_value(r.clusters[0].llr, r.null_max_llr));
  EXPECT_LT(r.clusters[0].p_value, 0.01);  // below the Monte Carlo floor 1/(R+1)
  EXPECT_DOUBLE_EQ(r.clusters[0].p_value_monte_carlo, 0.01);
}

TEST(ScanNullSummary, QuantilesAndCriticalValues) {
  std::vector<double> m;
  for (int k = 1; k <= 999; ++k) m.push_back(static_cast<double>(1000 - k));  // 999 .. 1, any order
  const auto s = summarise_null(m);
  EXPECT_EQ(s.count, 999u);
  EXPECT_DOUBLE_EQ(s.min, 1);
  EXPECT_DOUBLE_EQ(s.max, 999);
  EXPECT_DOUBLE_EQ(s.q50, 500);
  EXPECT_DOUBLE_EQ(s.q90, 1 + 0.9 * 998);
  EXPECT_DOUBLE_EQ(s.mean, 500);
  // 50th and 10th largest of 999: an LLR above them has p <= 0.05 / 0.01
  EXPECT_DOUBLE_EQ(s.critical_05, 950);
  EXPECT_DOUBLE_EQ(s.critical_01, 990);
  EXPECT_TRUE(std::isnan(summarise_null({}).mean));
}

TEST(ScanNullSummary, InTheResult) {
  const ScanData d = null_data(7);
  ScanOptions o;
  o.model = ScanModel::kPermutation;
  o.replications = 49;
  o.max_months = 3;
  const auto r = space_time_scan(d, o);
  EXPECT_EQ(r.null_summary.count, 49u);
  EXPECT_DOUBLE_EQ(r.null_summary.max, *std::max_element(r.null_max_llr.begin(), r.null_max_llr.end()));
  EXPECT_LE(r.null_summary.q50, r.null_summary.q95);
}

// Secondary rules on a row of 10 cells, 12 months, 2 events per cell-month: a
// strong cluster {2,3} in months 0-2, and cell 3 hot again in months 8-9.
ScanData secondary_case() {
  ScanData d = row_of_cells(10);
  d.months = 12;
  d.counts.assign(10 * 12, 2);
  for (std::size_t t = 0; t < 3; ++t) d.counts[2 * 12 + t] = d.counts[3 * 12 + t] = 12;
  for (std::size_t t = 8; t < 10; ++t) d.counts[3 * 12 + t] = 14;
  return d;
}

TEST(ScanSecondary, SatscanRuleKeepsClustersThatOverlapOnlyInSpace) {
  const ScanData d = secondary_case();
  ScanOptions o;
  o.model = ScanModel::kPermutation;
  o.replications = 0;
  o.max_months = 3;
  o.max_clusters = 5;
  o.group_equidistant = false;  // {3,2} is a circle about 3 (2 before 4: ties by index)
  const auto disjoint = space_time_scan(d, o);
  o.secondary = SecondaryRule::kSatscan;
  const auto sat = space_time_scan(d, o);
  ASSERT_GE(disjoint.clusters.size(), 1u);
  ASSERT_GE(sat.clusters.size(), 2u);
  EXPECT_EQ(disjoint.clusters[0].areas, sat.clusters[0].areas);
  const auto& first = sat.clusters[0];
  EXPECT_EQ((std::set<std::size_t>(first.areas.begin(), first.areas.end())), (std::set<std::size_t>{2, 3}));
  EXPECT_EQ(first.start, 0u);
  // the satscan rule reports cell 3 in months 8-9 (shares cell 3, but not the months)
  bool found = false;
  for (const auto& c : sat.clusters)
    if (c.start == 8 && c.end == 9 && std::find(c.areas.begin(), c.areas.end(), 3u) != c.areas.end()) found = true;
  EXPECT_TRUE(found);
  // the disjoint rule cannot: cell 3 is taken
  for (std::size_t k = 1; k < disjoint.clusters.size(); ++k)
    EXPECT_EQ(std::find(disjoint.clusters[k].areas.begin(), disjoint.clusters[k].areas.end(), 3u),
              disjoint.clusters[k].areas.end());
  // one cluster per centre; no two share a cell in overlapping months
  std::set<std::size_t> centres;
  for (std::size_t k = 0; k < sat.clusters.size(); ++k) {
    EXPECT_TRUE(centres.insert(sat.clusters[k].centre).second);
    for (std::size_t j = 0; j < k; ++j) {
      const auto& a = sat.clusters[j];
      const auto& b = sat.clusters[k];
      const bool months = !(a.end < b.start || b.end < a.start);
      bool cells = false;
      for (auto z : a.areas) cells = cells || std::find(b.areas.begin(), b.areas.end(), z) != b.areas.end();
      EXPECT_FALSE(months && cells) << j << " and " << k;
    }
  }
}

TEST(ScanSecondary, SatscanRulePrefersFewerCellsOnEqualLlr) {
  // permutation model: cell 1 has no case, so {0} and {0,1} about 0 score the same
  ScanData d = row_of_cells(4);
  d.months = 4;
  d.counts = {6, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1};
  ScanOptions o;
  o.model = ScanModel::kPermutation;
  o.replications = 0;
  o.max_months = 1;
  o.max_population_share = 0.5;
  o.secondary = SecondaryRule::kSatscan;
  const auto r = space_time_scan(d, o);
  ASSERT_FALSE(r.clusters.empty());
  EXPECT_EQ(r.clusters[0].areas, std::vector<std::size_t>{0});
  EXPECT_EQ(r.clusters[0].start, 0u);
}

TEST(ScanScoreWindow, HandComputedAndEqualToTheReportedCluster) {
  ScanData d;
  d.centroids = {{0, 0}, {0, 20}};
  d.population = {1000, 1000};
  d.months = 2;
  d.counts = {6, 2, 2, 2};
  ScanOptions o;
  const auto s = score_window(d, o, {0}, 0, 0);
  EXPECT_DOUBLE_EQ(s.observed, 6);
  EXPECT_DOUBLE_EQ(s.expected, 4);
  EXPECT_NEAR(s.llr, 6 * std::log(1.5) + 6 * std::log(0.75), 1e-12);
  EXPECT_THROW(score_window(d, o, {2}, 0, 0), Error);
  EXPECT_THROW(score_window(d, o, {0}, 1, 2), Error);
  const ScanData g = sparse_grid(11, 6, 24, 0.4);
  ScanOptions p;
  p.model = ScanModel::kPermutation;
  p.replications = 0;
  const auto r = space_time_scan(g, p);
  ASSERT_FALSE(r.clusters.empty());
  const auto w = score_window(g, p, r.clusters[0].areas, r.clusters[0].start, r.clusters[0].end);
  EXPECT_EQ(w.observed, r.clusters[0].observed);
  EXPECT_NEAR(w.llr, r.clusters[0].llr, 1e-9);
}

TEST(ScanSatscanExport, FileContents) {
  ScanData d;
  d.centroids = {{0.25, 10.25}, {-0.75, 10.75}};
  d.population = {1000, 2500.5};
  d.months = 14;
  d.counts.assign(28, 0);
  d.counts[1] = 3;        // area 0, 2019-12
  d.counts[14 + 13] = 2;  // area 1, 2020-12
  ScanOptions o;
  o.replications = 999;
  o.max_months = 12;
  o.seed = 7;
  SatscanExportInput in;
  in.area_ids = {"pg-100", "pg-200"};
  in.start_year = 2019;
  in.start_month = 11;
  const auto f = satscan_export(d, o, in);
  EXPECT_EQ(f.cases, "pg-100 3 2019/12\npg-200 2 2020/12\n");
  EXPECT_EQ(f.coordinates, "pg-100 0.2500000000 10.2500000000\npg-200 -0.7500000000 10.7500000000\n");
  EXPECT_EQ(f.population, "pg-100 2019 1000\npg-200 2019 2500.5\n");
  for (const char* line : {"CaseFile=cases.cas\n",
                           "CoordinatesFile=coordinates.geo\n",
                           "PopulationFile=population.pop\n",
                           "StartDate=2019/11/1\n",
                           "EndDate=2020/12/31\n",
                           "PrecisionCaseTimes=2\n",
                           "CoordinatesType=1\n",
                           "AnalysisType=3\n",
                           "ModelType=0\n",
                           "TimeAggregationUnits=2\n",
                           "MaxSpatialSizeInPopulationAtRisk=50\n",
                           "UseDistanceFromCenterOption=n\n",
                           "MaxTemporalSizeInterpretation=1\n",
                           "MaxTemporalSize=12\n",
                           "MonteCarloReps=999\n",
                           "PValueReportType=1\n",
                           "MinimumCasesInHighRateClusters=2\n",
                           "CriteriaForReportingSecondaryClusters=0\n",
                           "RandomSeed=7\n",
                           "SaveSimLLRsASCII=y\n"})
    EXPECT_NE(f.parameters.find(line), std::string::npos) << line;
  // SaTScan needs >= 2 cases: the file says so when endstate scored single cases
  EXPECT_NE(f.parameters.find("; note: SaTScan needs at least 2 cases"), std::string::npos);
  o.model = ScanModel::kPermutation;
  o.mode = ScanMode::kProspective;
  o.max_radius_km = 150;
  o.min_cases = 3;
  o.p_value = PValueMethod::kGumbel;
  const auto g = satscan_export(d, o, in);
  EXPECT_TRUE(g.population.empty());
  for (const char* line : {"PopulationFile=\n", "AnalysisType=4\n", "ModelType=2\n", "UseDistanceFromCenterOption=y\n",
                           "MaxSpatialSizeInDistanceFromCenter=150\n", "PValueReportType=3\n",
                           "ProspectiveStartDate=2020/12/31\n", "MinimumCasesInHighRateClusters=3\n"})
    EXPECT_NE(g.parameters.find(line), std::string::npos) << line;
  in.area_ids = {"pg-100", "pg 200"};
  EXPECT_THROW(satscan_export(d, o, in), Error);
  in.area_ids = {"pg-100", "pg-100"};
  EXPECT_THROW(satscan_export(d, o, in), Error);
  in.area_ids = {"pg-100"};
  EXPECT_THROW(satscan_export(d, o, in), Error);
}

}  // namespace
}  // namespace endstate::threat
