// footprint: maximal covering location with 100k demand points x 1k candidate
// sites (P = 50). Compares in the same run:
//  - coverage sets through grid buckets vs checking all 1e8 pairs;
//  - the heuristic (lazy greedy + 1-swap + VNS, Lagrangian bound) vs CBC alone on
//    the MILP (no heuristic start): CBC's best bound within a time limit, and
//    CBC's time to reach the heuristic's objective.
// Sizes: FOOTPRINT_BENCH_POINTS, FOOTPRINT_BENCH_SITES, FOOTPRINT_BENCH_P,
// FOOTPRINT_BENCH_CBC_SECONDS (default 300), FOOTPRINT_BENCH_VNS_SHAKES
// (default: the solver's) in the environment.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <ctime>
#include <string>

#include "endstate/core/rng.hpp"
#include "endstate/footprint/coverage.hpp"
#include "endstate/footprint/location.hpp"
#include "endstate/footprint/pmedian.hpp"

namespace {

using namespace endstate;
using namespace endstate::footprint;

std::size_t env_size(const char* name, std::size_t def) {
  const char* v = std::getenv(name);
  return v ? static_cast<std::size_t>(std::atoll(v)) : def;
}

struct Instance {
  std::vector<DemandPoint> demand;
  std::vector<Site> sites;
  CoverageParams params;
  CoverProblem problem;
};

const Instance& instance() {
  static const Instance inst = [] {
    Instance in;
    const std::size_t nd = env_size("FOOTPRINT_BENCH_POINTS", 100000), ns = env_size("FOOTPRINT_BENCH_SITES", 1000);
    Rng rng(2024, 1);
    // clustered population over a 10 x 10 degree box (eastern DR Congo's size)
    std::vector<LatLon> towns(200);
    for (auto& t : towns) t = {-5 + 10 * rng.uniform(), 22 + 10 * rng.uniform()};
    in.demand.resize(nd);
    for (std::size_t i = 0; i < nd; ++i) {
      const auto& t = towns[static_cast<std::size_t>(rng.uniform() * towns.size()) % towns.size()];
      const double r = 0.8 * std::sqrt(rng.uniform()), a = 2 * M_PI * rng.uniform();
      in.demand[i].where = {t.lat + r * std::cos(a), t.lon + r * std::sin(a)};
      in.demand[i].weight = std::floor(std::exp(4 + 2 * rng.uniform()));  // 55..2980
      in.demand[i].id = std::to_string(i);
    }
    in.sites.resize(ns);
    for (std::size_t j = 0; j < ns; ++j) {
      in.sites[j].where = in.demand[static_cast<std::size_t>(rng.uniform() * nd) % nd].where;
      in.sites[j].id = std::to_string(j);
    }
    in.params.response_hours = 4.0;  // 66.7 km by road
    in.problem.coverage = build_coverage(in.demand, in.sites, in.params);
    for (const auto& d : in.demand) in.problem.weights.push_back(d.weight);
    in.problem.max_sites = static_cast<int>(env_size("FOOTPRINT_BENCH_P", 50));
    return in;
  }();
  return inst;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

void BM_CoverageGridVsAllPairs(benchmark::State& state) {
  const auto& in = instance();
  double grid_s = 0, all_s = 0;
  std::size_t pairs = 0;
  for (auto _ : state) {
    auto t0 = std::chrono::steady_clock::now();
    const auto c = build_coverage(in.demand, in.sites, in.params);
    grid_s = seconds_since(t0);
    t0 = std::chrono::steady_clock::now();
    const auto d = build_coverage_all_pairs(in.demand, in.sites, in.params);
    all_s = seconds_since(t0);
    pairs = c.pairs();
    if (c.points != d.points) state.SkipWithError("grid and all-pairs coverage differ");
  }
  state.counters["grid_s"] = grid_s;
  state.counters["all_pairs_s"] = all_s;
  state.counters["speedup"] = all_s / grid_s;
  state.counters["pairs"] = static_cast<double>(pairs);
}

void BM_MclpHeuristicVsCbc(benchmark::State& state) {
  const auto& in = instance();
  const double cbc_limit = static_cast<double>(env_size("FOOTPRINT_BENCH_CBC_SECONDS", 300));
  for (auto _ : state) {
    SolveOptions ho;
    ho.solver = SolverKind::kHeuristic;
    ho.time_limit_s = 600;
    ho.vns_shakes = static_cast<int>(env_size("FOOTPRINT_BENCH_VNS_SHAKES", static_cast<std::size_t>(ho.vns_shakes)));
    std::clock_t c0 = std::clock();
    const auto h = solve_cover(in.problem, ho);
    const double heur_cpu = static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;
    // CBC alone, to optimality or the time limit: its best bound
    SolveOptions eo;
    eo.solver = SolverKind::kExact;
    eo.heuristic_start = false;
    eo.time_limit_s = cbc_limit;
    c0 = std::clock();
    const auto e = solve_cover(in.problem, eo);
    const double cbc_cpu = static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;
    // CBC alone until it reaches the heuristic's objective
    SolveOptions ro = eo;
    ro.stop_at_objective = h.objective;
    c0 = std::clock();
    const auto r = solve_cover(in.problem, ro);
    const double reach_cpu = static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;
    const double best_bound = std::min(e.bound, h.bound);
    state.counters["heur_s"] = h.seconds;
    state.counters["heur_cpu_s"] = heur_cpu;
    state.counters["cbc_cpu_s"] = cbc_cpu;
    state.counters["cbc_reach_cpu_s"] = reach_cpu;
    state.counters["speedup_cpu_vs_cbc_reach"] = reach_cpu / heur_cpu;
    state.counters["heur_obj"] = h.objective;
    state.counters["heur_own_gap_pct"] = 100 * h.gap;
    state.counters["cbc_s"] = e.seconds;
    state.counters["cbc_obj"] = e.objective;
    state.counters["cbc_bound"] = e.bound;
    state.counters["cbc_optimal"] = e.status == endstate::footprint::SolveStatus::kOptimal ? 1 : 0;
    state.counters["heur_gap_to_cbc_bound_pct"] = 100 * (e.bound - h.objective) / h.objective;
    state.counters["heur_gap_to_best_bound_pct"] = 100 * (best_bound - h.objective) / h.objective;
    state.counters["cbc_reach_s"] = r.seconds;
    state.counters["cbc_reached"] = r.status == endstate::footprint::SolveStatus::kReached ? 1 : 0;
    state.counters["speedup_vs_cbc_reach"] = r.seconds / h.seconds;
  }
}

// Exact p-median on an instance shaped like OR-Library's pmed11-40 (cycle +
// random edges up to n^2/50, costs 1..100; PMEDIAN_BENCH_N, PMEDIAN_BENCH_P,
// default 500 and 5): the Lagrangian tree search vs CBC on the radius
// formulation after the same root, in the same run.
void BM_PMedianTreeVsCbc(benchmark::State& state) {
  const int n = static_cast<int>(env_size("PMEDIAN_BENCH_N", 500)),
            p = static_cast<int>(env_size("PMEDIAN_BENCH_P", 5));
  Rng rng(1990, 7);
  const std::size_t m = static_cast<std::size_t>(n) * static_cast<std::size_t>(n) / 50;
  std::string text = std::to_string(n) + " " + std::to_string(m) + " " + std::to_string(p) + "\n";
  std::size_t edges = 0;
  for (int k = 1; k <= n; ++k, ++edges) {
    text += std::to_string(k) + " " + std::to_string(k % n + 1) + " " + std::to_string(1 + rng.below(100)) + "\n";
  }
  while (edges < m) {
    const auto a = 1 + rng.below(static_cast<std::uint64_t>(n)), b = 1 + rng.below(static_cast<std::uint64_t>(n));
    if (a == b) continue;
    text += std::to_string(a) + " " + std::to_string(b) + " " + std::to_string(1 + rng.below(100)) + "\n";
    ++edges;
  }
  const PMedianInstance in = parse_orlib_pmed(text, "bench");
  for (auto _ : state) {
    SolveOptions o;
    o.solver = SolverKind::kExact;
    o.time_limit_s = 600;
    const auto t = solve_pmedian_exact(in, o);
    o.pmedian_tree = false;
    const auto c = solve_pmedian_exact(in, o);
    state.counters["tree_s"] = t.seconds;
    state.counters["tree_obj"] = t.objective;
    state.counters["tree_nodes"] = static_cast<double>(t.tree_nodes);
    state.counters["tree_optimal"] = t.status == endstate::footprint::SolveStatus::kOptimal ? 1 : 0;
    state.counters["cbc_s"] = c.seconds;
    state.counters["cbc_obj"] = c.objective;
    state.counters["cbc_optimal"] = c.status == endstate::footprint::SolveStatus::kOptimal ? 1 : 0;
    state.counters["speedup"] = c.seconds / t.seconds;
    if (t.status == endstate::footprint::SolveStatus::kOptimal &&
        c.status == endstate::footprint::SolveStatus::kOptimal && t.objective != c.objective)
      state.SkipWithError("tree and CBC disagree");
  }
}

}  // namespace

BENCHMARK(BM_CoverageGridVsAllPairs)->Iterations(1)->Unit(benchmark::kSecond);
BENCHMARK(BM_MclpHeuristicVsCbc)->Iterations(1)->Unit(benchmark::kSecond);
BENCHMARK(BM_PMedianTreeVsCbc)->Iterations(1)->Unit(benchmark::kSecond);
BENCHMARK_MAIN();
