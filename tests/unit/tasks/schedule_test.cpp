// Handover scheduling: exact (CBC) equals brute force on small random
// instances, and the list-scheduling heuristic agrees with it; no schedule
// breaks a window, a precedence, a capacity or a funding limit.
#include <gtest/gtest.h>

#include <functional>

#include "endstate/core/rng.hpp"
#include "endstate/tasks/schedule.hpp"

namespace endstate::tasks {
namespace {

namespace fp = endstate::footprint;

/// A small random instance: 2 budget years of 2 periods, 2 partners.
ScheduleProblem random_problem(std::uint64_t seed, std::size_t items) {
  Rng rng(seed, 0);
  auto uni = [&](int lo, int hi) { return lo + static_cast<int>(rng.uniform() * (hi - lo + 1)) % (hi - lo + 1); };
  ScheduleProblem p;
  p.period_labels = {"a", "b", "c", "d"};
  p.period_year = {0, 0, 1, 1};
  p.period_months = {6, 6, 6, 6};
  p.years = 2;
  p.capacity = {{static_cast<double>(uni(0, 3)), static_cast<double>(uni(1, 3))},
                {static_cast<double>(uni(1, 2)), static_cast<double>(uni(0, 2))}};
  p.funding = {{static_cast<double>(uni(0, 400)), static_cast<double>(uni(100, 900))},
               {static_cast<double>(uni(0, 400)), static_cast<double>(uni(100, 900))}};
  for (std::size_t i = 0; i < items; ++i) {
    ScheduleItem it;
    it.name = "i" + std::to_string(i);
    it.partner = uni(0, 9) == 0 ? -1 : uni(0, 1);
    it.load = uni(1, 2);
    it.weight = uni(1, 3);
    it.rank = static_cast<int>(i);
    it.latest = uni(-1, 3);
    it.earliest = it.latest < 0 ? 0 : uni(0, it.latest);
    it.running = {static_cast<double>(uni(0, 400)), static_cast<double>(uni(0, 400))};
    p.items.push_back(it);
  }
  for (std::size_t b = 1; b < items; ++b) {
    if (uni(0, 3) == 0) p.precedes.emplace_back(static_cast<std::size_t>(uni(0, static_cast<int>(b) - 1)), b);
  }
  return p;
}

/// The best objective over every assignment (each item: none or a period of its window).
double brute_force(const ScheduleProblem& p) {
  std::vector<int> at(p.items.size(), -1);
  double best = 0;
  std::function<void(std::size_t)> go = [&](std::size_t i) {
    if (i == p.items.size()) {
      if (violations(p, at).empty()) best = std::max(best, objective(p, at));
      return;
    }
    at[i] = -1;
    go(i + 1);
    if (p.items[i].partner < 0) return;
    for (int q = p.items[i].earliest; q <= p.items[i].latest; ++q) {
      at[i] = q;
      go(i + 1);
    }
    at[i] = -1;
  };
  go(0);
  return best;
}

TEST(Schedule, ExactEqualsBruteForceAndHeuristicAgrees) {
  ScheduleOptions o;
  int heuristic_optimal = 0, heuristic_same_weight = 0;
  const int n = 60;
  for (int k = 0; k < n; ++k) {
    const auto p = random_problem(1000 + k, 4 + k % 4);
    const double best = brute_force(p);
    const auto ex = schedule_exact(p, o);
    const auto he = schedule_heuristic(p, o);
    EXPECT_TRUE(violations(p, ex.period).empty()) << "instance " << k;
    EXPECT_TRUE(violations(p, he.period).empty()) << "instance " << k;
    EXPECT_NEAR(ex.objective, best, 1e-6) << "instance " << k;
    EXPECT_EQ(ex.status, fp::SolveStatus::kOptimal);
    EXPECT_LE(he.objective, ex.objective + 1e-6);
    heuristic_optimal += std::abs(he.objective - ex.objective) < 1e-6 ? 1 : 0;
    heuristic_same_weight += he.weight == ex.weight ? 1 : 0;
    EXPECT_EQ(he.weight, ex.weight) << "instance " << k << ": heuristic hands over less priority weight";
  }
  RecordProperty("heuristic_optimal", heuristic_optimal);
  EXPECT_GE(heuristic_optimal, n * 9 / 10);
}

TEST(Schedule, CapacityAndFundingHold) {
  ScheduleProblem p;
  p.period_labels = {"a", "b"};
  p.period_year = {0, 1};
  p.period_months = {12, 12};
  p.years = 2;
  p.capacity = {{1, 1}};
  p.funding = {{0, 100}};
  for (int i = 0; i < 3; ++i) {
    ScheduleItem it;
    it.name = "i" + std::to_string(i);
    it.partner = 0;
    it.latest = 1;
    it.running = {100, 100};
    p.items.push_back(it);
  }
  for (auto kind : {fp::SolverKind::kExact, fp::SolverKind::kHeuristic}) {
    ScheduleOptions o;
    o.solver = kind;
    const auto s = schedule(p, o);
    EXPECT_TRUE(violations(p, s.period).empty());
    // capacity 1 per year: two handovers at most; funding 100 in year 1: one handed over in year 0 at most
    int n = 0;
    for (int q : s.period) n += q >= 0 ? 1 : 0;
    EXPECT_EQ(n, 2);
    EXPECT_EQ(s.weight, 2);
    EXPECT_NE(s.rule.find(kind == fp::SolverKind::kExact ? "exact" : "heuristic"), std::string::npos);
  }
  // a third handover would break a limit, and violations() names it
  EXPECT_EQ(violations(p, {0, 1, 1}), std::vector<std::string>{"capacity:0@1"});
  EXPECT_EQ(violations(p, {0, 0, -1}), (std::vector<std::string>{"capacity:0@0", "funding:0@1"}));
}

TEST(Schedule, PrecedenceAndWindow) {
  ScheduleProblem p;
  p.period_labels = {"a", "b", "c"};
  p.period_year = {0, 0, 0};
  p.period_months = {4, 4, 4};
  p.years = 1;
  p.capacity = {{10}};
  p.funding = {{1e9}};
  ScheduleItem a{"a", 0, 1, 1, 0, 1, 2, {}}, b{"b", 0, 1, 1, 0, 0, 2, {}};
  p.items = {a, b};
  p.precedes = {{0, 1}};
  const auto s = schedule_exact(p, {});
  EXPECT_EQ(s.period, (std::vector<int>{1, 1}));  // b waits for a, as early as allowed
  EXPECT_EQ(violations(p, {1, 0}), std::vector<std::string>{"precedence:a->b"});
  EXPECT_EQ(violations(p, {0, 0}), std::vector<std::string>{"window:a"});
}

TEST(Schedule, AutoPicksByCells) {
  auto p = random_problem(7, 6);
  ScheduleOptions o;
  o.auto_exact_cells = 1;
  EXPECT_EQ(schedule(p, o).solver, "list");
  o.auto_exact_cells = 1000;
  EXPECT_EQ(schedule(p, o).solver, "cbc");
}

}  // namespace
}  // namespace endstate::tasks
