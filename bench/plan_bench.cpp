// plan: the transition planner on 10,000 demand points x 500 bases x 12
// phases (issue 12). Compares in the same run:
//  - the heuristic (backward rolling horizon over the footprint MCLP
//    heuristic + interval local search; bound from the phases relaxed one by
//    one) against CBC alone on the MILP (no heuristic start): CBC's objective
//    and best bound within a time limit, the heuristic's gap to that bound;
//  - CBC alone until it reaches the heuristic's objective (its time to the
//    same objective).
// The instance: clustered population over a 10 x 10 degree box, 20 provinces
// (a 5 x 4 grid), 400 of today's bases and 100 candidates, a sector HQ per
// province locked until its exit and the mission HQ for the whole plan, 8
// provinces exiting one after the other (phases 2 to 11 of 12), each phase its own threat (provinces
// trending up or down), a troop ceiling cut from 400 to 180 bases' minimum,
// at most 62 closures per phase, a 6-month opening lead time, one base per
// province held.
// Sizes: PLAN_BENCH_POINTS, PLAN_BENCH_SITES, PLAN_BENCH_PHASES,
// PLAN_BENCH_RESPONSE_MINUTES (default 90), PLAN_BENCH_CBC_SECONDS (default
// 600), PLAN_BENCH_LAGRANGE_ITERATIONS (the heuristic's bound; default 1000) in the environment.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <ctime>
#include <string>

#include "endstate/core/rng.hpp"
#include "endstate/footprint/coverage.hpp"
#include "endstate/footprint/location.hpp"
#include "endstate/plan/planner.hpp"

namespace {

using namespace endstate;
namespace fp = endstate::footprint;
namespace pl = endstate::plan;

std::size_t env_size(const char* name, std::size_t def) {
  const char* v = std::getenv(name);
  return v ? static_cast<std::size_t>(std::atoll(v)) : def;
}

const pl::PlanProblem& instance() {
  static const pl::PlanProblem inst = [] {
    const std::size_t N = env_size("PLAN_BENCH_POINTS", 10000), S = env_size("PLAN_BENCH_SITES", 500),
                      P = env_size("PLAN_BENCH_PHASES", 12);
    Rng rng(2025, 1);
    std::vector<fp::DemandPoint> demand(N);
    std::vector<LatLon> towns(120);
    for (auto& t : towns) t = {-5 + 10 * rng.uniform(), 22 + 10 * rng.uniform()};
    auto province_of = [](LatLon p) {
      const int r = std::clamp(static_cast<int>((p.lat + 5) / 2.5), 0, 3);
      const int c = std::clamp(static_cast<int>((p.lon - 22) / 2.0), 0, 4);
      return r * 5 + c;
    };
    std::vector<int> point_province(N);
    for (std::size_t i = 0; i < N; ++i) {
      const auto& t = towns[static_cast<std::size_t>(rng.uniform() * towns.size()) % towns.size()];
      const double r = 0.6 * std::sqrt(rng.uniform()), a = 2 * M_PI * rng.uniform();
      demand[i].where = {std::clamp(t.lat + r * std::cos(a), -4.999, 4.999),
                         std::clamp(t.lon + r * std::sin(a), 22.001, 31.999)};
      demand[i].weight = std::floor(std::exp(4 + 2 * rng.uniform()));
      demand[i].id = std::to_string(i);
      point_province[i] = province_of(demand[i].where);
    }
    std::vector<fp::Site> sites(S);
    pl::PlanProblem p;
    p.provinces.resize(20);
    for (int a = 0; a < 20; ++a) p.provinces[static_cast<std::size_t>(a)] = "P" + std::to_string(a);
    std::vector<char> has_sector(20, 0);
    for (std::size_t j = 0; j < S; ++j) {
      sites[j].where = demand[static_cast<std::size_t>(rng.uniform() * N) % N].where;
      sites[j].id = std::to_string(j);
      pl::PlanSite s;
      s.id = s.name = sites[j].id;
      s.province = province_of(sites[j].where);
      s.existing = j < S * 4 / 5;
      s.troops = 200;
      if (s.existing && !has_sector[static_cast<std::size_t>(s.province)]) {
        has_sector[static_cast<std::size_t>(s.province)] = 1;
        s.lock = pl::Lock::kUntilExit;
      }
      p.sites.push_back(s);
    }
    p.sites[0].lock = pl::Lock::kPlan;  // the mission HQ
    fp::CoverageParams cp;
    // 1.5 h = 25 km by road (default); PLAN_BENCH_RESPONSE_MINUTES widens it
    cp.response_hours = static_cast<double>(env_size("PLAN_BENCH_RESPONSE_MINUTES", 90)) / 60.0;
    p.coverage = fp::build_coverage(demand, sites, cp);
    for (std::size_t t = 0; t < P; ++t) {
      p.phase_labels.push_back("phase" + std::to_string(t + 1));
      p.phase_offset.push_back(static_cast<int>(6 * t));
    }
    std::vector<double> trend(20);
    for (auto& x : trend) x = -0.08 + 0.16 * rng.uniform();
    p.weights.assign(P, std::vector<double>(N));
    for (std::size_t t = 0; t < P; ++t) {
      for (std::size_t i = 0; i < N; ++i) {
        const double f =
            std::max(0.05, 1 + trend[static_cast<std::size_t>(point_province[i])] * static_cast<double>(t));
        p.weights[t][i] = std::floor(demand[i].weight * f * (0.8 + 0.4 * rng.uniform()));
      }
    }
    p.exit_phase.assign(20, -1);
    const int hq_province = p.sites[0].province;
    for (int k = 0, a = 0; k < 8 && a < 20; ++a) {
      if (a == hq_province) continue;
      p.exit_phase[static_cast<std::size_t>(a)] = 1 + static_cast<int>((static_cast<std::size_t>(k) * (P - 1)) / 8);
      ++k;
    }
    const double first = 0.8 * static_cast<double>(S), last = 0.36 * static_cast<double>(S);
    for (std::size_t t = 0; t < P; ++t) {
      const double bases =
          first - (first - last) * static_cast<double>(t) / static_cast<double>(std::max<std::size_t>(1, P - 1));
      p.troop_ceiling.push_back(static_cast<std::int64_t>(bases) * 200);
    }
    p.max_closures.assign(P, static_cast<std::int64_t>(S / 8));
    p.min_sites_per_province = 1;
    p.open_lead_months = 6;
    return p;
  }();
  return inst;
}

double cpu_since(std::clock_t c0) { return static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC; }

void BM_PlanHeuristicVsCbc(benchmark::State& state) {
  const auto& p = instance();
  const double cbc_limit = static_cast<double>(env_size("PLAN_BENCH_CBC_SECONDS", 600));
  for (auto _ : state) {
    fp::SolveOptions ho;
    ho.solver = fp::SolverKind::kHeuristic;
    ho.time_limit_s = 600;
    ho.lagrange_iterations = static_cast<int>(env_size("PLAN_BENCH_LAGRANGE_ITERATIONS", 1000));
    ho.vns_shakes = static_cast<int>(env_size("PLAN_BENCH_VNS_SHAKES", 1000));
    std::clock_t c0 = std::clock();
    const auto h = pl::solve_plan(p, ho);
    const double heur_cpu = cpu_since(c0);
    if (h.status == fp::SolveStatus::kInfeasible || h.status == fp::SolveStatus::kNoSolution) {
      std::string why = "no heuristic plan (" + fp::to_string(h.status) + "):";
      for (const auto& b : h.binding) why += " " + b;
      state.SkipWithError(why.c_str());
      break;
    }
    if (const auto v = pl::violations(p, h.open); !v.empty()) {
      std::string why = "the heuristic plan breaks " + std::to_string(v.size()) + " constraints:";
      for (std::size_t k = 0; k < v.size() && k < 8; ++k) why += " " + v[k];
      state.SkipWithError(why.c_str());
      break;
    }
    // CBC alone to optimality or the time limit: its best bound
    fp::SolveOptions eo;
    eo.solver = fp::SolverKind::kExact;
    eo.heuristic_start = false;
    eo.time_limit_s = cbc_limit;
    c0 = std::clock();
    const auto e = pl::solve_plan(p, eo);
    const double cbc_cpu = cpu_since(c0);
    // CBC alone until it reaches the heuristic's objective
    fp::SolveOptions ro = eo;
    ro.stop_at_objective = h.objective;
    c0 = std::clock();
    const auto r = pl::solve_plan(p, ro);
    const double reach_cpu = cpu_since(c0);
    state.counters["pairs"] = static_cast<double>(p.coverage.pairs());
    state.counters["milp_columns"] = static_cast<double>(e.milp_columns);
    state.counters["milp_rows"] = static_cast<double>(e.milp_rows);
    state.counters["heur_s"] = h.seconds;
    state.counters["heur_search_s"] = h.search_seconds;
    state.counters["heur_cpu_s"] = heur_cpu;
    state.counters["heur_obj"] = h.objective;
    state.counters["heur_own_gap_pct"] = 100 * h.gap;
    state.counters["cbc_s"] = e.seconds;
    state.counters["cbc_cpu_s"] = cbc_cpu;
    state.counters["cbc_obj"] = e.objective;
    state.counters["cbc_bound"] = e.bound;
    state.counters["cbc_optimal"] = e.status == fp::SolveStatus::kOptimal ? 1 : 0;
    state.counters["heur_gap_to_cbc_bound_pct"] = 100 * (e.bound - h.objective) / std::max(h.objective, 1e-9);
    state.counters["cbc_reach_s"] = r.seconds;
    state.counters["cbc_reach_cpu_s"] = reach_cpu;
    state.counters["cbc_reached"] =
        r.status == fp::SolveStatus::kReached || r.status == fp::SolveStatus::kOptimal ? 1 : 0;
    state.counters["speedup_vs_cbc_reach"] = reach_cpu / std::max(heur_cpu, 1e-9);  // CPU: one core each
  }
}

BENCHMARK(BM_PlanHeuristicVsCbc)->Iterations(1)->Unit(benchmark::kSecond);

}  // namespace

BENCHMARK_MAIN();
