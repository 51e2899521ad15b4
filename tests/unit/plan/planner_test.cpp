// The transition planner: every constraint holds in every phase (closures
// monotone, ceilings, locks, lead times, closure limits, exits, pauses,
// presence), the exact planner matches brute force on small random
// instances, the heuristic is feasible with a valid bound, and an infeasible
// plan is reported as infeasible with its binding constraints.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <string>

#include "endstate/core/rng.hpp"
#include "endstate/plan/planner.hpp"
#include "plan/detail/plan_internal.hpp"

namespace endstate::plan {
namespace {

namespace fp = endstate::footprint;

fp::SolveOptions opts(fp::SolverKind k) {
  fp::SolveOptions o;
  o.solver = k;
  o.time_limit_s = 30;
  o.vns_shakes = 50;
  o.lagrange_iterations = 200;
  return o;
}

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}
std::string joined(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += x + " ";
  return s;
}

/// A random instance: `S` sites (some today's, some new), `P` phases of 6
/// months, `N` points, two provinces; every kind of constraint drawn at random.
PlanProblem random_problem(std::uint64_t seed, std::size_t S, std::size_t P, std::size_t N) {
  Rng rng(seed, 1);
  PlanProblem p;
  for (std::size_t t = 0; t < P; ++t) {
    p.phase_labels.push_back("p" + std::to_string(t));
    p.phase_offset.push_back(static_cast<int>(6 * t));
  }
  p.provinces = {"A", "B"};
  p.coverage.demand_count = N;
  p.coverage.points.resize(S);
  p.coverage.hours.resize(S);
  for (std::size_t j = 0; j < S; ++j) {
    for (std::size_t i = 0; i < N; ++i) {
      if (rng.uniform() < 0.35) {
        p.coverage.points[j].push_back(static_cast<std::uint32_t>(i));
        p.coverage.hours[j].push_back(1.0f);
      }
    }
    PlanSite s;
    s.id = "s" + std::to_string(j);
    s.name = s.id;
    s.province = static_cast<int>(rng.below(2));
    s.existing = rng.uniform() < 0.6;
    s.troops = 100 + 50 * static_cast<std::int64_t>(rng.below(3));
    const double u = rng.uniform();
    if (u < 0.1) s.lock = Lock::kUntilExit;
    p.sites.push_back(s);
  }
  p.weights.assign(P, std::vector<double>(N));
  for (auto& w : p.weights) {
    for (auto& x : w) x = rng.uniform() < 0.2 ? 0.0 : std::floor(rng.uniform() * 20);
  }
  p.exit_phase = {-1, rng.uniform() < 0.5 ? static_cast<int>(rng.below(P)) : -1};
  for (std::size_t t = 0; t < P; ++t) p.troop_ceiling.push_back(200 + 100 * static_cast<std::int64_t>(rng.below(4)));
  if (rng.uniform() < 0.5) {
    for (std::size_t t = 0; t < P; ++t) p.max_closures.push_back(static_cast<std::int64_t>(rng.below(3)));
  }
  p.min_sites_per_province = rng.uniform() < 0.5 ? 1 : 0;
  p.close_lead_months = rng.uniform() < 0.3 ? 6 : 0;
  p.open_lead_months = rng.uniform() < 0.3 ? 6 : 0;
  if (rng.uniform() < 0.3) {
    p.paused.assign(2, std::vector<char>(P, 0));
    p.paused[rng.below(2)][rng.below(P)] = 1;
  }
  if (rng.uniform() < 0.3) {
    p.reopen.assign(2, std::vector<char>(P, 0));
    p.reopen[rng.below(2)][rng.below(P)] = 1;
  }
  return p;
}

/// Brute force: every open/closed pattern, the best feasible one (nullopt: none).
std::optional<double> brute_force(const PlanProblem& p) {
  const std::size_t P = p.phases(), S = p.sites.size();
  const std::size_t bits = P * S;
  std::optional<double> best;
  OpenPlan open(P, std::vector<char>(S, 0));
  for (std::uint64_t mask = 0; mask < (std::uint64_t{1} << bits); ++mask) {
    for (std::size_t t = 0; t < P; ++t) {
      for (std::size_t j = 0; j < S; ++j) open[t][j] = (mask >> (t * S + j)) & 1U ? 1 : 0;
    }
    if (!violations(p, open).empty()) continue;
    double v = 0;
    for (double c : phase_coverage(p, open)) v += c;
    if (!best || v > *best) best = v;
  }
  return best;
}

TEST(Planner, ExactMatchesBruteForceOnSmallRandomInstances) {
  int feasible = 0, infeasible = 0;
  for (std::uint64_t seed = 1; seed <= 60; ++seed) {
    const std::size_t S = 3 + seed % 2, P = 2 + seed % 2;
    const auto p = random_problem(seed, S, P, 8);
    const auto want = brute_force(p);
    const auto got = solve_plan_exact(p, opts(fp::SolverKind::kExact));
    if (!want) {
      ++infeasible;
      EXPECT_EQ(got.status, fp::SolveStatus::kInfeasible) << "seed " << seed;
      EXPECT_FALSE(got.binding.empty()) << "seed " << seed;
      continue;
    }
    ++feasible;
    ASSERT_EQ(got.status, fp::SolveStatus::kOptimal) << "seed " << seed << " " << joined(got.binding);
    EXPECT_NEAR(got.objective, *want, 1e-6) << "seed " << seed;
    EXPECT_TRUE(violations(p, got.open).empty()) << "seed " << seed << ": " << joined(violations(p, got.open));
    EXPECT_EQ(got.gap, 0);
    // the heuristic is feasible, never better than the optimum, and its bound holds
    const auto h = solve_plan_heuristic(p, opts(fp::SolverKind::kHeuristic));
    if (h.status == fp::SolveStatus::kFeasible) {
      EXPECT_TRUE(violations(p, h.open).empty()) << "seed " << seed << ": " << joined(violations(p, h.open));
      EXPECT_LE(h.objective, *want + 1e-6) << "seed " << seed;
      EXPECT_GE(h.bound, *want - 1e-6) << "seed " << seed;
    } else {
      EXPECT_EQ(h.status, fp::SolveStatus::kNoSolution) << "seed " << seed;
    }
  }
  EXPECT_GT(feasible, 30);
  EXPECT_GT(infeasible, 0) << "the random instances should include infeasible ones";
}

/// Today's bases 0..3 in province A, a new base 4 in B; four phases.
PlanProblem hand_made() {
  PlanProblem p;
  p.phase_labels = {"2025-01", "2025-07", "2026-01", "2026-07"};
  p.phase_offset = {0, 6, 12, 18};
  p.provinces = {"A", "B"};
  p.coverage.demand_count = 6;
  p.coverage.points = {{0, 1}, {1, 2}, {3}, {4}, {5}};
  for (const auto& v : p.coverage.points) p.coverage.hours.push_back(std::vector<float>(v.size(), 1.0f));
  for (int j = 0; j < 5; ++j) {
    PlanSite s;
    s.id = "s" + std::to_string(j);
    s.name = s.id;
    s.province = j < 4 ? 0 : 1;
    s.existing = j < 4;
    s.troops = 100;
    p.sites.push_back(s);
  }
  p.sites[0].lock = Lock::kPlan;  // the headquarters
  p.weights = {{5, 4, 3, 2, 1, 6}, {5, 4, 3, 2, 1, 6}, {5, 4, 3, 2, 1, 6}, {5, 4, 3, 2, 1, 6}};
  p.exit_phase = {-1, -1};
  p.troop_ceiling = {400, 300, 200, 100};
  return p;
}

TEST(Planner, ClosuresAreMonotoneAndEveryConstraintHoldsInEveryPhase) {
  for (auto kind : {fp::SolverKind::kExact, fp::SolverKind::kHeuristic}) {
    for (std::uint64_t seed = 100; seed < 130; ++seed) {
      const auto p = random_problem(seed, 8, 4, 30);
      const auto s = solve_plan(p, opts(kind));
      if (s.status == fp::SolveStatus::kInfeasible || s.status == fp::SolveStatus::kNoSolution) continue;
      EXPECT_TRUE(violations(p, s.open).empty()) << "seed " << seed << ": " << joined(violations(p, s.open));
      for (std::size_t t = 0; t < p.phases(); ++t) {
        std::int64_t troops = 0, closures = 0;
        for (std::size_t j = 0; j < p.sites.size(); ++j) {
          const bool prev = t == 0 ? p.sites[j].existing : s.open[t - 1][j] != 0;
          troops += s.open[t][j] ? p.sites[j].troops : 0;
          if (prev && !s.open[t][j]) {
            ++closures;
            EXPECT_TRUE(p.closures_allowed(t)) << "closure before the lead time";
            EXPECT_FALSE(p.is_paused(p.sites[j].province, t)) << "closure in a paused province";
          }
          if (!prev && s.open[t][j] && p.sites[j].existing) {
            EXPECT_TRUE(p.may_reopen(p.sites[j].province, t)) << "a closed base reopened without a trigger";
          }
          if (!prev && s.open[t][j]) {
            EXPECT_TRUE(p.openings_allowed(t)) << "opening before the lead time";
          }
          if (p.exited(p.sites[j].province, t)) {
            EXPECT_FALSE(s.open[t][j]) << "a base open in an exited province";
          }
          // locked until the exit: open whenever it may be (a new base once the opening lead time has passed)
          if (p.sites[j].lock == Lock::kUntilExit && !p.exited(p.sites[j].province, t) &&
              (p.sites[j].existing || p.openings_allowed(t))) {
            EXPECT_TRUE(s.open[t][j]) << "seed " << seed << " site " << j << " phase " << t;
          }
        }
        EXPECT_LE(troops, p.troop_ceiling[t]);
        if (p.closure_limit(t) >= 0) {
          EXPECT_LE(closures, p.closure_limit(t));
        }
      }
    }
  }
}

TEST(Planner, HeadquartersIsNeverClosedUnlessUnlocked) {
  auto p = hand_made();
  // s0 covers little that others do not; the ceilings fall to one base
  p.weights.assign(4, {0.1, 0.1, 9, 8, 7, 6});
  for (auto kind : {fp::SolverKind::kExact, fp::SolverKind::kHeuristic}) {
    const auto s = solve_plan(p, opts(kind));
    ASSERT_NE(s.status, fp::SolveStatus::kInfeasible) << joined(s.binding);
    for (std::size_t t = 0; t < 4; ++t) EXPECT_TRUE(s.open[t][0]) << "phase " << t;
  }
  p.sites[0].lock = Lock::kNone;  // unlocked: it goes first
  const auto s = solve_plan_exact(p, opts(fp::SolverKind::kExact));
  EXPECT_FALSE(s.open[3][0]);
}

TEST(Planner, LeadTimesClosureLimitsAndExits) {
  auto p = hand_made();
  p.close_lead_months = 12;  // no closure before 2026-01
  p.troop_ceiling = {400, 400, 200, 100};
  p.max_closures = {-1, -1, 2, 1};
  p.exit_phase = {-1, 2};  // province B exited from 2026-01
  p.open_lead_months = 6;  // the new base may open from 2025-07
  const auto s = solve_plan_exact(p, opts(fp::SolverKind::kExact));
  ASSERT_EQ(s.status, fp::SolveStatus::kOptimal) << joined(s.binding);
  EXPECT_TRUE(violations(p, s.open).empty()) << joined(violations(p, s.open));
  for (std::size_t j = 0; j < 4; ++j) EXPECT_TRUE(s.open[1][j]) << "closed before the lead time";
  EXPECT_FALSE(s.open[0][4]) << "opened before the lead time";
  EXPECT_FALSE(s.open[2][4]);
  EXPECT_FALSE(s.open[3][4]);
  // a closure limit of 1 in the last phase: 2026-01 must already be down to 2 bases
  int open2 = 0;
  for (std::size_t j = 0; j < 5; ++j) open2 += s.open[2][j];
  EXPECT_EQ(open2, 2);
}

TEST(Planner, InfeasiblePlansNameTheirBindingConstraints) {
  // a ceiling below the locked headquarters
  auto p = hand_made();
  p.troop_ceiling[2] = 50;
  for (auto kind : {fp::SolverKind::kExact, fp::SolverKind::kHeuristic}) {
    const auto s = solve_plan(p, opts(kind));
    EXPECT_EQ(s.status, fp::SolveStatus::kInfeasible);
    EXPECT_TRUE(contains(s.binding, "troop_ceiling@2026-01")) << joined(s.binding);
    EXPECT_TRUE(contains(s.binding, "locked")) << joined(s.binding);
  }
  // the headquarters' province exited
  p = hand_made();
  p.exit_phase = {3, -1};
  auto s = solve_plan_exact(p, opts(fp::SolverKind::kExact));
  EXPECT_EQ(s.status, fp::SolveStatus::kInfeasible);
  EXPECT_TRUE(contains(s.binding, "locked:s0")) << joined(s.binding);
  EXPECT_TRUE(contains(s.binding, "exit:A")) << joined(s.binding);
  // an exit date earlier than the closing lead time
  p = hand_made();
  p.sites[0].lock = Lock::kNone;
  p.exit_phase = {1, -1};
  p.close_lead_months = 12;
  s = solve_plan_exact(p, opts(fp::SolverKind::kExact));
  EXPECT_EQ(s.status, fp::SolveStatus::kInfeasible);
  EXPECT_TRUE(contains(s.binding, "exit:A")) << joined(s.binding);
  EXPECT_TRUE(contains(s.binding, "lead_time_close")) << joined(s.binding);
  // more forced closures than the limits allow
  p = hand_made();
  p.sites[0].lock = Lock::kNone;
  p.exit_phase = {2, -1};
  p.max_closures = {1, 1, 1, 1};
  s = solve_plan_exact(p, opts(fp::SolverKind::kExact));
  EXPECT_EQ(s.status, fp::SolveStatus::kInfeasible);
  EXPECT_TRUE(contains(s.binding, "max_closures@2026-01")) << joined(s.binding);
  EXPECT_TRUE(contains(s.binding, "exit:A")) << joined(s.binding);
}

TEST(Planner, InfeasibilityOnlyTheSolverSeesIsNamedByTheDeletionFilter) {
  // No closure in the first phase (lead time), province A paused in the
  // second, and the second phase's ceiling below today's bases: no structural
  // check sees it, CBC proves it; the filter names the three families.
  auto p = hand_made();
  p.sites[0].lock = Lock::kNone;
  p.close_lead_months = 6;
  p.paused.assign(2, std::vector<char>(4, 0));
  p.paused[0][1] = 1;
  p.troop_ceiling = {400, 300, 300, 300};
  EXPECT_TRUE(infeasibility(p).empty()) << joined(infeasibility(p));
  const auto s = solve_plan_exact(p, opts(fp::SolverKind::kExact));
  EXPECT_EQ(s.status, fp::SolveStatus::kInfeasible);
  EXPECT_EQ(s.binding, (std::vector<std::string>{"troop_ceiling", "lead_time_close", "pause"})) << joined(s.binding);
}

TEST(Planner, AReopenTriggerLetsAClosedBaseReopen) {
  auto p = hand_made();
  p.sites[0].lock = Lock::kNone;
  // base 3 (point 4) is worth a lot in the last phase only; bases 0 and 1
  // cover points 0-2. Two bases fit in the middle phases, three in the last.
  p.weights = {{1, 1, 1, 0, 0, 0}, {1, 1, 1, 0, 0, 0}, {1, 1, 1, 0, 0, 0}, {1, 1, 1, 0, 50, 0}};
  p.troop_ceiling = {400, 200, 200, 300};
  p.min_sites_per_province = 0;
  auto s = solve_plan_exact(p, opts(fp::SolverKind::kExact));
  ASSERT_EQ(s.status, fp::SolveStatus::kOptimal);
  // without a trigger base 3 must be kept through (2 + 2 + 52 beats 3 + 3 + 3)
  EXPECT_TRUE(s.open[1][3] && s.open[2][3] && s.open[3][3]);
  EXPECT_NEAR(s.objective, 3 + 2 + 2 + 52, 1e-9);
  // a trigger that reopens capacity in province A in the last phase: 3 + 3 + 3 + 53
  p.reopen.assign(2, std::vector<char>(4, 0));
  p.reopen[0][3] = 1;
  s = solve_plan_exact(p, opts(fp::SolverKind::kExact));
  ASSERT_EQ(s.status, fp::SolveStatus::kOptimal);
  EXPECT_TRUE(violations(p, s.open).empty()) << joined(violations(p, s.open));
  EXPECT_FALSE(s.open[1][3]);
  EXPECT_TRUE(s.open[3][3]) << "closed, then reopened";
  EXPECT_NEAR(s.objective, 3 + 3 + 3 + 53, 1e-9);
}

TEST(Planner, HeuristicIsCloseToExactOnMediumInstances) {
  double worst = 0;
  for (std::uint64_t seed = 200; seed < 210; ++seed) {
    auto p = random_problem(seed, 25, 6, 300);
    p.paused.clear();
    p.reopen.clear();
    const auto e = solve_plan_exact(p, opts(fp::SolverKind::kExact));
    const auto h = solve_plan_heuristic(p, opts(fp::SolverKind::kHeuristic));
    if (e.status != fp::SolveStatus::kOptimal) continue;
    ASSERT_EQ(h.status, fp::SolveStatus::kFeasible) << "seed " << seed << " " << joined(h.binding);
    EXPECT_TRUE(violations(p, h.open).empty());
    EXPECT_GE(h.bound, e.objective - 1e-6);
    worst = std::max(worst, (e.objective - h.objective) / std::max(1.0, e.objective));
  }
  EXPECT_LT(worst, 0.05) << "the heuristic should be within 5% of the optimum on these";
}

TEST(Planner, PointGroupsGiveEveryPlanTheSameValue) {
  // the heuristic searches on points grouped by their covering bases: on
  // random plans (any bases that may be open in each phase) every phase's
  // coverage must be the same
  for (std::uint64_t seed = 300; seed < 306; ++seed) {
    auto p = random_problem(seed, 12, 4, 200);
    // duplicate points and points no base covers, so that groups form
    for (std::size_t j = 0; j < p.sites.size(); ++j) {
      auto& pts = p.coverage.points[j];
      pts.erase(std::remove_if(pts.begin(), pts.end(), [](std::uint32_t i) { return i % 7 == 3; }), pts.end());
      p.coverage.hours[j].assign(pts.size(), 1.0f);
    }
    const detail::Structure st(p);
    const auto q = detail::merge_points(p, st);
    EXPECT_LT(q.coverage.demand_count, p.coverage.demand_count) << "seed " << seed;
    Rng rng(seed, 9);
    for (int k = 0; k < 40; ++k) {
      OpenPlan open(p.phases(), std::vector<char>(p.sites.size(), 0));
      for (std::size_t t = 0; t < open.size(); ++t) {
        for (std::size_t j = 0; j < open[t].size(); ++j) open[t][j] = st.can_open[t][j] && rng.uniform() < 0.4 ? 1 : 0;
      }
      const auto a = phase_coverage(p, open), b = phase_coverage(q, open);
      ASSERT_EQ(a.size(), b.size());
      for (std::size_t t = 0; t < a.size(); ++t) EXPECT_NEAR(a[t], b[t], 1e-9 * std::max(1.0, a[t])) << "seed " << seed;
    }
  }
}

TEST(Planner, HeuristicIsDeterministicAndItsBoundHoldsWithEarlyStoppedSteps) {
  for (std::uint64_t seed = 200; seed < 204; ++seed) {
    auto p = random_problem(seed, 25, 6, 300);
    p.paused.clear();
    p.reopen.clear();
    auto o = opts(fp::SolverKind::kHeuristic);
    o.lagrange_iterations = 1000;
    const auto h1 = solve_plan_heuristic(p, o), h2 = solve_plan_heuristic(p, o);
    ASSERT_EQ(h1.status, h2.status);
    EXPECT_EQ(h1.open, h2.open);
    EXPECT_EQ(h1.objective, h2.objective);
    EXPECT_EQ(h1.bound, h2.bound);
    EXPECT_LE(h1.search_seconds, h1.seconds);
    const auto e = solve_plan_exact(p, opts(fp::SolverKind::kExact));
    if (e.status == fp::SolveStatus::kOptimal && h1.status == fp::SolveStatus::kFeasible) {
      EXPECT_GE(h1.bound, e.objective - 1e-6) << "seed " << seed;
    }
  }
}

}  // namespace
}  // namespace endstate::plan
