// Unit tests of the footprint module: coverage sets, MCLP and extensions,
// p-median (OR-Library reader, heuristic, exact), protection gaps.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "endstate/core/error.hpp"
#include "endstate/core/rng.hpp"
#include "endstate/footprint/coverage.hpp"
#include "endstate/footprint/gaps.hpp"
#include "endstate/footprint/location.hpp"
#include "endstate/footprint/pmedian.hpp"

namespace endstate::footprint {
namespace {

// A hand-made coverage: 4 sites over 6 points.
CoverProblem toy() {
  CoverProblem p;
  p.weights = {10, 5, 5, 8, 1, 3};
  p.coverage.demand_count = 6;
  p.coverage.points = {{0, 1}, {1, 2, 3}, {3, 4}, {0, 5}};
  for (const auto& v : p.coverage.points) p.coverage.hours.push_back(std::vector<float>(v.size(), 1.0f));
  return p;
}

SolveOptions opts(SolverKind k) {
  SolveOptions o;
  o.solver = k;
  o.time_limit_s = 30;
  return o;
}

TEST(Coverage, RadiusByRoadAndAir) {
  CoverageParams p;  // 25 km/h, detour 1.5, air 180 km/h + 1 h prep, 300 km max
  p.response_hours = 3;
  EXPECT_NEAR(reach_radius_km(false, p), 3 * 25 / 1.5, 1e-9);  // 50 km
  EXPECT_NEAR(reach_radius_km(true, p), 300.0, 1e-9);          // min(300, 2 h x 180)
  p.response_hours = 1.5;
  EXPECT_NEAR(reach_radius_km(true, p), 90.0, 1e-9);  // 0.5 h x 180 km/h
}

TEST(Coverage, GridBucketsEqualAllPairs) {
  Rng rng(7, 1);
  std::vector<DemandPoint> d(3000);
  for (std::size_t i = 0; i < d.size(); ++i) {
    d[i].where = {-5 + 10 * rng.uniform(), 20 + 10 * rng.uniform()};
    d[i].weight = 1;
  }
  std::vector<Site> s(40);
  for (std::size_t j = 0; j < s.size(); ++j) {
    s[j].where = {-5 + 10 * rng.uniform(), 20 + 10 * rng.uniform()};
    s[j].has_air = j % 5 == 0;
  }
  CoverageParams p;
  p.response_hours = 4;
  const Coverage a = build_coverage(d, s, p), b = build_coverage_all_pairs(d, s, p);
  ASSERT_EQ(a.points, b.points);
  EXPECT_GT(a.pairs(), 1000u);
  EXPECT_LT(a.pairs(), d.size() * s.size());
}

TEST(Coverage, PointAtTheEdge) {
  // 0.1 degree of latitude = 11.12 km; road 11.12 x 1.5 / 25 = 0.667 h
  std::vector<DemandPoint> d = {{"a", "a", {0.1, 0}, 1, ""}, {"b", "b", {1.0, 0}, 1, ""}};
  std::vector<Site> s(1);
  s[0].where = {0, 0};
  CoverageParams p;
  p.response_hours = 0.7;
  const Coverage c = build_coverage(d, s, p);
  ASSERT_EQ(c.points[0].size(), 1u);
  EXPECT_EQ(c.points[0][0], 0u);
  EXPECT_NEAR(c.hours[0][0], 0.1 * 111.195 * 1.5 / 25, 0.01);
  p.response_hours = 0.6;
  EXPECT_TRUE(build_coverage(d, s, p).points[0].empty());
  EXPECT_THROW(build_coverage(d, s, CoverageParams{{}, 0.0}), Error);
}

TEST(Mclp, HandSolvedWithTwoSites) {
  // Best pair: {0 (15), 1 (18 incl. point 1 again)}: sites 0+1 cover 0,1,2,3 = 28;
  // 1+3 cover 1,2,3,0,5 = 31 (optimum); 0+2 = 24.
  CoverProblem p = toy();
  p.max_sites = 2;
  for (auto k : {SolverKind::kHeuristic, SolverKind::kExact}) {
    const auto s = solve_cover(p, opts(k));
    EXPECT_DOUBLE_EQ(s.objective, 31) << s.solver;
    EXPECT_TRUE(s.open[1] && s.open[3]);
    EXPECT_GE(s.bound, 31 - 1e-9);
    EXPECT_NE(std::find(s.binding.begin(), s.binding.end(), "max_sites"), s.binding.end());
  }
  EXPECT_NEAR(solve_cover(p, opts(SolverKind::kExact)).gap, 0, 1e-9);
}

TEST(Mclp, LockedAndForbidden) {
  CoverProblem p = toy();
  p.max_sites = 2;
  p.locked = {false, false, true, false};  // site 2 must stay (covers 3, 4: 9)
  p.forbidden = {false, true, false, false};
  for (auto k : {SolverKind::kHeuristic, SolverKind::kExact}) {
    const auto s = solve_cover(p, opts(k));
    EXPECT_DOUBLE_EQ(s.objective, 9 + 15) << s.solver;  // {2,0}: 8+1 + 10+5 (vs {2,3}: 9 + 13)
    EXPECT_TRUE(s.open[2] && s.open[0] && !s.open[1]);
  }
  p.locked = {false, true, false, false};
  EXPECT_THROW(validate(p), Error);  // locked and forbidden
}

TEST(Mclp, TroopCeiling) {
  CoverProblem p = toy();
  p.site_troops = {100, 300, 100, 200};
  p.troop_ceiling = 300;  // {0,2}=24 (200 troops), {1}=18, {3,0}: 0,1,5 = 18 ... best {0,2}
  for (auto k : {SolverKind::kHeuristic, SolverKind::kExact}) {
    const auto s = solve_cover(p, opts(k));
    EXPECT_DOUBLE_EQ(s.objective, 24) << s.solver;
    EXPECT_TRUE(s.open[0] && s.open[2]);
    EXPECT_NE(std::find(s.binding.begin(), s.binding.end(), "troop_ceiling"), s.binding.end());
  }
}

// Issue 11: locked sites that alone break the ceiling or the number of sites
// are an infeasible problem (a conclusion), not a time-out and not an error.
TEST(Mclp, InfeasibleIsReportedAsInfeasibleWithItsConstraints) {
  CoverProblem p = toy();
  p.site_troops = {100, 300, 100, 200};
  p.locked = {false, true, false, true};  // 500 troops locked
  p.troop_ceiling = 400;
  for (auto k : {SolverKind::kHeuristic, SolverKind::kExact, SolverKind::kAuto}) {
    const auto s = solve_cover(p, opts(k));
    EXPECT_EQ(s.status, SolveStatus::kInfeasible) << s.solver;
    EXPECT_EQ(to_string(s.status), "infeasible");
    EXPECT_EQ(s.binding, (std::vector<std::string>{"locked", "troop_ceiling"})) << s.solver;
    EXPECT_EQ(std::count(s.open.begin(), s.open.end(), true), 0);
  }
  p.troop_ceiling.reset();
  p.max_sites = 1;
  EXPECT_EQ(infeasibility(p), (std::vector<std::string>{"locked", "max_sites"}));
  p.max_sites = 2;
  EXPECT_TRUE(infeasibility(p).empty());
  EXPECT_NE(solve_cover(p, opts(SolverKind::kExact)).status, SolveStatus::kInfeasible);
}

TEST(Mclp, BackupCoverage) {
  CoverProblem p = toy();
  p.max_sites = 2;
  p.backup_weight = 1.0;  // {0,3} cover 0 twice: 10+5+3 + 10 = 28 < {1,3} 31; {0,1}: 28 + 5 = 33
  for (auto k : {SolverKind::kHeuristic, SolverKind::kExact}) {
    const auto s = solve_cover(p, opts(k));
    EXPECT_DOUBLE_EQ(s.objective, 33) << s.solver;
    EXPECT_DOUBLE_EQ(s.covered, 28);
    EXPECT_DOUBLE_EQ(s.covered_twice, 5);
  }
}

TEST(Mclp, CapacitatedCoverage) {
  CoverProblem p = toy();
  p.max_sites = 2;
  p.site_troops = {1, 1, 1, 1};
  p.load_per_troop = 12;  // each site serves at most 12
  const auto s = solve_cover(p, opts(SolverKind::kExact));
  EXPECT_NEAR(s.objective, 24, 1e-6);  // two sites x 12
  const auto h = solve_cover(p, opts(SolverKind::kHeuristic));
  EXPECT_NEAR(h.objective, 24, 1e-6);
  EXPECT_FALSE(h.binding.empty());
}

// A random MCLP: nd points with weights 1..100, ns sites each covering a
// point with probability `density`, at most `max_sites` open.
CoverProblem random_cover(std::uint64_t seed, std::uint64_t stream, std::size_t nd, std::size_t ns, double density,
                          int max_sites) {
  Rng rng(seed, stream);
  CoverProblem p;
  p.weights.resize(nd);
  for (auto& w : p.weights) w = std::floor(1 + 100 * rng.uniform());
  p.coverage.demand_count = nd;
  p.coverage.points.resize(ns);
  p.coverage.hours.resize(ns);
  for (std::size_t j = 0; j < ns; ++j) {
    for (std::uint32_t i = 0; i < nd; ++i) {
      if (rng.uniform() < density) {
        p.coverage.points[j].push_back(i);
        p.coverage.hours[j].push_back(1);
      }
    }
  }
  p.max_sites = max_sites;
  return p;
}

// The variable neighbourhood search after the 1-swap search never loses
// coverage, is deterministic, and on random instances where the swap search
// stops short of the optimum it reaches the optimum more often.
TEST(Mclp, VariableNeighbourhoodSearchImprovesTheSwapSearch) {
  int improved = 0, optimal_swap = 0, optimal_vns = 0;
  for (std::uint64_t seed = 1; seed <= 6; ++seed) {
    const CoverProblem p = random_cover(seed, 9, 300, 40, 0.06, 8);
    SolveOptions swap_only = opts(SolverKind::kHeuristic);
    swap_only.vns_shakes = 0;
    const auto h0 = solve_cover(p, swap_only);
    const auto h1 = solve_cover(p, opts(SolverKind::kHeuristic));
    const auto h2 = solve_cover(p, opts(SolverKind::kHeuristic));
    const auto e = solve_cover(p, opts(SolverKind::kExact));
    ASSERT_EQ(e.status, footprint::SolveStatus::kOptimal);
    EXPECT_GE(h1.objective, h0.objective - 1e-9) << "seed " << seed;
    EXPECT_LE(h1.objective, e.objective + 1e-9) << "seed " << seed;
    EXPECT_EQ(h1.open, h2.open) << "seed " << seed;
    improved += h1.objective > h0.objective + 1e-9 ? 1 : 0;
    optimal_swap += h0.objective >= e.objective - 1e-9 ? 1 : 0;
    optimal_vns += h1.objective >= e.objective - 1e-9 ? 1 : 0;
  }
  std::printf("swap search optimal on %d of 6, with VNS %d of 6 (%d improved)\n", optimal_swap, optimal_vns, improved);
  EXPECT_GT(improved, 0);
  EXPECT_GT(optimal_vns, optimal_swap);
}

// The 1-swap search keeps gain, loss and the pairwise correction up to date
// incrementally; whatever it returns must be a true local optimum: no single
// addition or swap that respects P, the ceiling, locked and forbidden sites
// improves the objective as evaluate() computes it from scratch. Fractional
// weights, backup coverage and many VNS moves exercise the bookkeeping.
TEST(Mclp, HeuristicEndsAtATrueLocalOptimum) {
  for (std::uint64_t seed = 1; seed <= 8; ++seed) {
    CoverProblem p = random_cover(seed, 11, 400, 60, 0.05, 9);
    Rng rng(seed, 12);
    for (auto& w : p.weights) w *= 0.37;
    p.backup_weight = seed % 2 == 0 ? 0.5 : 0.0;
    p.site_troops.resize(60);
    for (auto& t : p.site_troops) t = 1 + static_cast<std::int64_t>(rng.below(5));
    p.troop_ceiling = 24;
    p.locked.assign(60, false);
    p.forbidden.assign(60, false);
    p.locked[seed] = true;
    p.forbidden[seed + 20] = true;
    for (int shakes : {0, 300}) {
      SolveOptions o = opts(SolverKind::kHeuristic);
      o.vns_shakes = shakes;
      const auto h = solve_cover(p, o);
      ASSERT_TRUE(h.open[seed]) << "locked site closed";
      ASSERT_FALSE(h.open[seed + 20]) << "forbidden site opened";
      int count = 0;
      std::int64_t used = 0;
      for (std::size_t j = 0; j < 60; ++j) {
        if (!h.open[j]) continue;
        ++count;
        used += p.site_troops[j];
      }
      ASSERT_LE(count, p.max_sites);
      ASSERT_LE(used, *p.troop_ceiling);
      const double tol = 1e-9 * h.objective;
      for (std::size_t a = 0; a < 60; ++a) {
        if (h.open[a] || p.forbidden[a]) continue;
        std::vector<bool> op = h.open;
        op[a] = true;
        if (count < p.max_sites && used + p.site_troops[a] <= *p.troop_ceiling) {
          EXPECT_LE(evaluate(p, op).objective, h.objective + tol) << "seed " << seed << " add " << a;
        }
        for (std::size_t r = 0; r < 60; ++r) {
          if (!h.open[r] || p.locked[r] || used - p.site_troops[r] + p.site_troops[a] > *p.troop_ceiling) continue;
          op[r] = false;
          EXPECT_LE(evaluate(p, op).objective, h.objective + tol)
              << "seed " << seed << " shakes " << shakes << " swap " << r << " -> " << a;
          op[r] = true;
        }
      }
    }
  }
}

TEST(Mclp, HeuristicMatchesExactOnRandomInstances) {
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    const CoverProblem p = random_cover(seed, 3, 300, 30, 0.08, 5);
    const auto e = solve_cover(p, opts(SolverKind::kExact));
    const auto h = solve_cover(p, opts(SolverKind::kHeuristic));
    EXPECT_EQ(e.status, footprint::SolveStatus::kOptimal);
    EXPECT_LE(h.objective, e.objective + 1e-9);
    EXPECT_GE(h.objective, 0.97 * e.objective) << "seed " << seed;
    EXPECT_GE(h.bound, e.objective - 1e-6) << "heuristic bound must be valid";
    EXPECT_LE(e.bound, h.bound + 1e-9);
    // CBC alone under a short limit: its bound is a valid upper bound in the
    // model's sense; stopping at a target returns a solution at least as good.
    SolveOptions c = opts(SolverKind::kExact);
    c.heuristic_start = false;
    c.time_limit_s = 0.2;
    const auto cb = solve_cover(p, c);
    EXPECT_GE(cb.bound, e.objective - 1e-6) << "seed " << seed;
    EXPECT_LE(cb.objective, e.objective + 1e-6);
    c.time_limit_s = 30;
    c.stop_at_objective = 0.9 * e.objective;
    const auto r = solve_cover(p, c);
    EXPECT_EQ(r.status, footprint::SolveStatus::kReached);
    EXPECT_GE(r.objective, 0.9 * e.objective - 1e-6);
  }
}

TEST(Mclp, LagrangianBoundIsValidAndTight) {
  CoverProblem p = toy();
  p.max_sites = 2;
  const double b = lagrangian_cover_bound(p, 31, 300);
  EXPECT_GE(b, 31 - 1e-9);
  EXPECT_LE(b, 32 + 1e-9);  // total weight is 32
}

TEST(Mclp, LagrangianBoundStoppedAtAStallIsValidAndNoTighterThanTheFullRun) {
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    const CoverProblem p = random_cover(seed, 3, 300, 30, 0.08, 5);
    const auto e = solve_cover(p, opts(SolverKind::kExact));
    ASSERT_EQ(e.status, footprint::SolveStatus::kOptimal);
    const double full = lagrangian_cover_bound(p, e.objective, 1000);
    const double stalled = lagrangian_cover_bound(p, e.objective, 1000, 1e-4);
    const double loose = lagrangian_cover_bound(p, e.objective, 1000, 0.5);  // stops at the second check
    EXPECT_GE(full, e.objective - 1e-6) << "seed " << seed;
    // the same steps, stopped earlier: never below the full run's best
    EXPECT_GE(stalled, full - 1e-9) << "seed " << seed;
    EXPECT_GE(loose, stalled - 1e-9) << "seed " << seed;
    EXPECT_EQ(loose, lagrangian_cover_bound(p, e.objective, 100)) << "seed " << seed;
  }
}

TEST(Mclp, Evaluate) {
  CoverProblem p = toy();
  const auto s = evaluate(p, {true, true, false, false});
  EXPECT_DOUBLE_EQ(s.covered, 28);
  EXPECT_DOUBLE_EQ(s.covered_twice, 5);
  EXPECT_THROW(evaluate(p, {true}), Error);
}

TEST(PMedian, OrLibReaderLastEdgeWins) {
  // path 1-2-3 plus a direct 1-3 edge listed twice: the last (cost 3) counts.
  const auto in = parse_orlib_pmed("3 4 1\n1 2 2\n2 3 2\n1 3 10\n1 3 3\n", "t");
  EXPECT_EQ(in.n, 3);
  EXPECT_EQ(in.p, 1);
  EXPECT_DOUBLE_EQ(in.d(0, 2), 3);
  EXPECT_DOUBLE_EQ(in.d(2, 0), 3);
  EXPECT_DOUBLE_EQ(in.d(0, 1), 2);
  const auto in2 = parse_orlib_pmed("3 4 1\n1 2 2\n2 3 2\n1 3 3\n1 3 10\n", "t");
  EXPECT_DOUBLE_EQ(in2.d(0, 2), 4);  // via node 2
}

TEST(PMedian, OrLibReaderErrors) {
  try {
    parse_orlib_pmed("3 2 1\n1 2 2\n2 x 1\n", "bad.txt");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.category(), ErrorCategory::kBadInput);
    EXPECT_NE(std::string(e.what()).find("bad.txt:3"), std::string::npos) << e.what();
  }
  EXPECT_THROW(parse_orlib_pmed("3 1 1\n1 2 2\n", "t"), Error);         // node 3 unreachable
  EXPECT_THROW(parse_orlib_pmed("3 2 4\n1 2 2\n2 3 1\n", "t"), Error);  // p > n
  EXPECT_THROW(parse_orlib_pmed("3 3 1\n1 2 2\n2 3 1\n", "t"), Error);  // fewer edges than m
}

TEST(PMedian, HandSolvedLine) {
  // Line 1-2-3-4-5 with unit edges; p = 2: medians {2,4} (or {2,5}...) cost 1+0+1+0+1 = 3
  const auto in = parse_orlib_pmed("5 4 2\n1 2 1\n2 3 1\n3 4 1\n4 5 1\n", "line");
  for (auto k : {SolverKind::kHeuristic, SolverKind::kExact}) {
    const auto s = solve_pmedian(in, opts(k));
    EXPECT_DOUBLE_EQ(s.objective, 3);
    EXPECT_DOUBLE_EQ(pmedian_cost(in, s.open), 3);
    EXPECT_EQ(s.open.size(), 2u);
  }
  const auto e = solve_pmedian(in, opts(SolverKind::kExact));
  EXPECT_EQ(e.status, footprint::SolveStatus::kOptimal);
  EXPECT_DOUBLE_EQ(e.bound, 3);
}

// Random p-median instances shaped like OR-Library's (a cycle plus random
// edges, costs 1..100, shortest paths; n = 30, p = 4): the tree search, CBC
// on the radius formulation and brute force over every p-set agree, and on
// some instances the root relaxation leaves a gap that only branching closes.
TEST(PMedian, TreeSearchMatchesBruteForceAndCbc) {
  constexpr int n = 30, p = 4;
  int branched = 0;
  std::int64_t weak_nodes = 0;
  for (std::uint64_t seed = 1; seed <= 16; ++seed) {
    Rng rng(seed, 21);
    std::string text = std::to_string(n) + " " + std::to_string(n + 18) + " " + std::to_string(p) + "\n";
    for (int k = 1; k <= n; ++k)
      text += std::to_string(k) + " " + std::to_string(k % n + 1) + " " + std::to_string(1 + rng.below(100)) + "\n";
    for (int e = 0; e < 18; ++e) {
      const auto a = 1 + rng.below(n), b = 1 + (a + rng.below(n - 1)) % n;
      text += std::to_string(a) + " " + std::to_string(b) + " " + std::to_string(1 + rng.below(100)) + "\n";
    }
    const PMedianInstance in = parse_orlib_pmed(text, "random");
    double best = 1e300;
    for (int a = 0; a < n; ++a)
      for (int b = a + 1; b < n; ++b)
        for (int c = b + 1; c < n; ++c)
          for (int d = c + 1; d < n; ++d) best = std::min(best, pmedian_cost(in, {a, b, c, d}));
    SolveOptions tree = opts(SolverKind::kExact), cbc = tree;
    cbc.pmedian_tree = false;
    const auto t = solve_pmedian_exact(in, tree);
    const auto m = solve_pmedian_exact(in, cbc);
    EXPECT_EQ(t.status, footprint::SolveStatus::kOptimal) << "seed " << seed;
    EXPECT_DOUBLE_EQ(t.objective, best) << "seed " << seed;
    EXPECT_DOUBLE_EQ(pmedian_cost(in, t.open), best) << "seed " << seed;
    EXPECT_DOUBLE_EQ(t.bound, best) << "seed " << seed;
    EXPECT_DOUBLE_EQ(m.objective, best) << "seed " << seed;
    EXPECT_EQ(m.tree_nodes, 0);
    // the tree alone from the worst start (nodes 1..p) and a weak root
    // (20 subgradient steps) must still prove the optimum
    SolveOptions weak = tree;
    weak.lagrange_iterations = 20;
    const auto w = solve_pmedian_tree(in, {0, 1, 2, 3}, weak);
    EXPECT_EQ(w.status, footprint::SolveStatus::kOptimal) << "seed " << seed;
    EXPECT_DOUBLE_EQ(w.objective, best) << "seed " << seed << " after " << w.tree_nodes << " nodes";
    EXPECT_DOUBLE_EQ(pmedian_cost(in, w.open), best) << "seed " << seed;
    weak_nodes += w.tree_nodes;
    EXPECT_THROW(solve_pmedian_tree(in, {0, 1, 2}, weak), Error) << "an incumbent of p - 1 facilities";
    if (t.tree_nodes > 1) {
      ++branched;
      EXPECT_EQ(t.solver, "lagrangian-tree");
      EXPECT_EQ(m.solver, "cbc-radius");
    }
  }
  std::printf("%d of 16 instances needed branching; from a bad start and a weak root %lld nodes in all\n", branched,
              static_cast<long long>(weak_nodes));
  EXPECT_GT(branched, 0);
  EXPECT_GT(weak_nodes, 16);
}

TEST(PMedian, ExactMatchesBruteForce) {
  Rng rng(11, 2);
  PMedianInstance in;
  in.n = 14;
  in.p = 3;
  in.dist.resize(14 * 14);
  std::vector<std::pair<double, double>> xy(14);
  for (auto& q : xy) q = {std::floor(100 * rng.uniform()), std::floor(100 * rng.uniform())};
  for (int i = 0; i < 14; ++i) {
    for (int j = 0; j < 14; ++j)
      in.dist[i * 14 + j] = std::abs(xy[i].first - xy[j].first) + std::abs(xy[i].second - xy[j].second);
  }
  in.weight.assign(14, 1);
  for (int i = 0; i < 14; ++i) in.weight[i] = 1 + (i % 3);
  double best = 1e300;
  for (int a = 0; a < 14; ++a)
    for (int b = a + 1; b < 14; ++b)
      for (int c = b + 1; c < 14; ++c) best = std::min(best, pmedian_cost(in, {a, b, c}));
  const auto s = solve_pmedian_exact(in, opts(SolverKind::kExact));
  EXPECT_DOUBLE_EQ(s.objective, best);
  EXPECT_EQ(s.status, footprint::SolveStatus::kOptimal);
  const auto h = solve_pmedian_heuristic(in, opts(SolverKind::kHeuristic));
  EXPECT_LE(h.bound, best + 1e-9);
  EXPECT_GE(h.objective, best);
}

TEST(Gaps, SoleCoverageIsLost) {
  CoverProblem p = toy();
  const std::vector<bool> open = {true, true, true, false};
  const auto g = site_gaps(p.weights, p.coverage, open);
  ASSERT_EQ(g.size(), 3u);
  // site 0 alone covers point 0 (10); site 2 alone covers 4 (1); site 1 alone covers 2 (5)
  EXPECT_EQ(g[0].site, 0u);
  EXPECT_DOUBLE_EQ(g[0].weight_lost, 10);
  EXPECT_EQ(g[1].site, 1u);
  EXPECT_DOUBLE_EQ(g[1].weight_lost, 5);
  EXPECT_EQ(g[2].site, 2u);
  EXPECT_DOUBLE_EQ(g[2].weight_lost, 1);
}

TEST(Gaps, ClosureListAndAirMitigation) {
  std::vector<DemandPoint> d = {{"a", "a", {0, 0}, 10, ""}, {"b", "b", {0, 1.0}, 4, ""}};
  std::vector<Site> s(2);
  s[0].where = {0, 0.01};
  s[1].where = {0, 1.5};  // 55 km from b: out of road reach in 1 h, in air reach in 2 h
  s[1].has_air = true;
  CoverageParams p;
  p.response_hours = 1;
  const Coverage c = build_coverage(d, s, p);
  ASSERT_EQ(c.points[0].size(), 1u);
  // close site 0: point a loses coverage; site 1 reaches it by air in 1 + 166/180 h
  const auto g = closure_gap(d, s, c, {true, true}, {0}, p, 2.5);
  EXPECT_DOUBLE_EQ(g.weight_lost, 10);
  ASSERT_EQ(g.lost.size(), 1u);
  EXPECT_EQ(g.lost[0].mitigation, "air");
  EXPECT_EQ(*g.lost[0].air_site, 1u);
  const auto g2 = closure_gap(d, s, c, {true, true}, {0}, p, 1.5);
  EXPECT_EQ(g2.lost[0].mitigation, "police_or_civilian_presence");
  EXPECT_THROW(closure_gap(d, s, c, {true, false}, {1}, p, 2), Error);
}

// Issue 12: 'footprint gaps' counted air mitigation from sites without
// helicopters (a police post, a 35-troop base). Only a site with aviation
// mitigates by air, however close the others are.
TEST(Gaps, AirMitigationOnlyFromSitesWithAviation) {
  std::vector<DemandPoint> d = {{"a", "a", {0, 0}, 10, ""}};
  std::vector<Site> s(4);
  s[0].where = {0, 0.01};  // the site that closes
  s[1].where = {0, 0.3};   // 33 km: close, but no helicopters (a police post)
  s[2].where = {0, 0.2};   // 22 km: closer still, no helicopters (a temporary base)
  s[3].where = {0, 2.0};   // 222 km, with aviation: 1 + 222/180 = 2.24 h by air
  s[3].has_air = true;
  CoverageParams p;
  p.response_hours = 0.5;
  const Coverage c = build_coverage(d, s, p);
  const std::vector<bool> open = {true, true, true, true};
  const auto g = closure_gap(d, s, c, open, {0}, p, 3.0);
  ASSERT_EQ(g.lost.size(), 1u);
  EXPECT_EQ(g.lost[0].mitigation, "air");
  ASSERT_TRUE(g.lost[0].air_site.has_value());
  EXPECT_EQ(*g.lost[0].air_site, 3u);
  // without the aviation site, nobody mitigates by air
  const auto g2 = closure_gap(d, s, c, {true, true, true, false}, {0}, p, 3.0);
  ASSERT_EQ(g2.lost.size(), 1u);
  EXPECT_EQ(g2.lost[0].mitigation, "police_or_civilian_presence");
  EXPECT_FALSE(g2.lost[0].air_site.has_value());
}

}  // namespace
}  // namespace endstate::footprint
