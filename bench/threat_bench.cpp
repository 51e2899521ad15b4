// threat: Kulldorff space-time scan on PRIO-GRID-sized data.
//
// Data: a square of 0.5-degree cells (default 100 x 100 = 10,000 cells) x 120
// months, populations 1k-200k, events Poisson with mean 0.05 per cell-month
// (about 60k events, UCDP-Africa scale) plus a few hot spots.
// Scan: Poisson model, prospective (windows end at the last month), circles up
// to 150 km and 50% of the population, windows up to 12 months, 999
// replications.
// Compared in the same run with the straightforward implementation (every
// window re-summed from its cells) on fewer replications: the ratio is per
// replication, single thread against single thread.
// Sizes: ENDSTATE_THREAT_BENCH_CELLS, _MONTHS, _REPLICATIONS, _NAIVE_REPLICATIONS,
// _RETRO_REPLICATIONS.
#include <chrono>
#include <ctime>
#include <cmath>
#include <cstdlib>
#include <string>
#include <thread>

#include <benchmark/benchmark.h>

#include "endstate/core/rng.hpp"
#include "endstate/threat/scan.hpp"

namespace {

using endstate::Rng;
using namespace endstate::threat;

std::size_t env(const char* name, std::size_t def) {
  const char* v = std::getenv(name);
  return v ? static_cast<std::size_t>(std::strtoull(v, nullptr, 10)) : def;
}

std::int64_t poisson(Rng& rng, double mean) {
  const double limit = std::exp(-mean);
  std::int64_t k = 0;
  double prod = rng.uniform();
  while (prod > limit) {
    ++k;
    prod *= rng.uniform();
  }
  return k;
}

const ScanData& data() {
  static const ScanData data_set = [] {
    ScanData d;
    const std::size_t cells = env("ENDSTATE_THREAT_BENCH_CELLS", 10000);
    const std::size_t side = static_cast<std::size_t>(std::ceil(std::sqrt(static_cast<double>(cells))));
    d.months = env("ENDSTATE_THREAT_BENCH_MONTHS", 120);
    Rng rng(42, 0);
    for (std::size_t k = 0; k < cells; ++k) {
      const double lat = -25.0 + 0.5 * static_cast<double>(k / side) + 0.25;
      const double lon = 0.0 + 0.5 * static_cast<double>(k % side) + 0.25;
      d.centroids.push_back({lat, lon});
      d.population.push_back(1000.0 + static_cast<double>(rng.below(199000)));
    }
    for (std::size_t k = 0; k < cells; ++k) {
      const bool hot = k % 997 == 0;  // a few hot cells
      for (std::size_t t = 0; t < d.months; ++t)
        d.counts.push_back(poisson(rng, hot && t + 6 >= d.months ? 2.0 : 0.05));
    }
    return d;
  }();
  return data_set;
}

ScanOptions options(std::size_t replications, std::size_t threads) {
  ScanOptions o;
  o.model = ScanModel::kPoisson;
  o.mode = ScanMode::kProspective;
  o.max_radius_km = 150;
  o.max_population_share = 0.5;
  o.max_months = 12;
  o.replications = replications;
  o.threads = threads;
  o.seed = 7;
  return o;
}

double g_naive_seconds_per_rep = 0;
double g_fast1_seconds_per_rep = 0;

void BM_ScanNaive(benchmark::State& state) {
  const auto reps = env("ENDSTATE_THREAT_BENCH_NAIVE_REPLICATIONS", 4);
  const auto& d = data();
  ScanResult r;
  double secs = 0;
  for (auto _ : state) {
    const auto t0 = std::chrono::steady_clock::now();
    r = space_time_scan_naive(d, options(reps, 1));
    secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  }
  g_naive_seconds_per_rep = secs / static_cast<double>(reps + 1);  // + the observed scan
  state.counters["replications"] = static_cast<double>(reps);
  state.counters["seconds_per_replication"] = g_naive_seconds_per_rep;
  state.counters["windows"] = static_cast<double>(r.windows);
  state.counters["primary_llr"] = r.clusters.empty() ? 0.0 : r.clusters[0].llr;
}

void BM_Scan(benchmark::State& state) {
  const auto threads = static_cast<std::size_t>(state.range(0));
  const auto reps = env("ENDSTATE_THREAT_BENCH_REPLICATIONS", 999);
  const auto& d = data();
  ScanResult r;
  double secs = 0, cpu = 0;
  for (auto _ : state) {
    const auto t0 = std::chrono::steady_clock::now();
    const std::clock_t c0 = std::clock();
    r = space_time_scan(d, options(reps, threads));
    cpu = static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;
    secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  }
  state.counters["process_cpu_seconds"] = cpu;
  state.counters["wall_seconds"] = secs;
  state.counters["cpu_seconds_per_replication"] = cpu / static_cast<double>(reps + 1);
  const double per_rep = secs / static_cast<double>(reps + 1);
  if (threads == 1) g_fast1_seconds_per_rep = per_rep;
  state.counters["threads"] = static_cast<double>(threads);
  state.counters["cells"] = static_cast<double>(d.centroids.size() * d.months);
  state.counters["circles"] = static_cast<double>(r.circles);
  state.counters["windows"] = static_cast<double>(r.windows);
  state.counters["replications"] = static_cast<double>(reps);
  state.counters["seconds_per_replication"] = per_rep;
  state.counters["primary_llr"] = r.clusters.empty() ? 0.0 : r.clusters[0].llr;
  state.counters["primary_p"] = r.clusters.empty() ? 1.0 : r.clusters[0].p_value;
  if (g_naive_seconds_per_rep > 0) state.counters["naive_over_this_per_rep"] = g_naive_seconds_per_rep / per_rep;
  if (g_fast1_seconds_per_rep > 0) state.counters["speedup_vs_1_thread"] = g_fast1_seconds_per_rep / per_rep;
}

// Retrospective (every run of up to 12 months, 120 x 12 - 66 = 1374 windows per
// circle instead of 12): per-replication cost on fewer replications.
void BM_ScanRetrospective(benchmark::State& state) {
  const auto reps = env("ENDSTATE_THREAT_BENCH_RETRO_REPLICATIONS", 19);
  const auto& d = data();
  auto o = options(reps, 0);
  o.mode = ScanMode::kRetrospective;
  ScanResult r;
  double secs = 0, cpu = 0;
  for (auto _ : state) {
    const auto t0 = std::chrono::steady_clock::now();
    const std::clock_t c0 = std::clock();
    r = space_time_scan(d, o);
    cpu = static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;
    secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  }
  state.counters["process_cpu_seconds"] = cpu;
  state.counters["replications"] = static_cast<double>(reps);
  state.counters["windows"] = static_cast<double>(r.windows);
  state.counters["seconds_per_replication"] = secs / static_cast<double>(reps + 1);
  state.counters["cpu_seconds_per_replication"] = cpu / static_cast<double>(reps + 1);
}

BENCHMARK(BM_ScanNaive)->Iterations(1)->Unit(benchmark::kSecond)->UseRealTime();
BENCHMARK(BM_Scan)
    ->Arg(1)
    ->Arg(static_cast<int>(std::max(2u, std::thread::hardware_concurrency())))
    ->Iterations(1)
    ->Unit(benchmark::kSecond)
    ->UseRealTime();
BENCHMARK(BM_ScanRetrospective)->Iterations(1)->Unit(benchmark::kSecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
