// benchmarks: assessing every month of a long history for many areas
// (default 10,000 areas x 50 indicators x 360 months, 4 stakeholders, 25
// benchmarks), the module's sliding windows and running sustain counts
// against the straightforward implementation that recomputes every window
// and every sustain run from scratch. Sizes: ENDSTATE_BENCH_AREAS,
// ENDSTATE_BENCH_MONTHS. Counters: cells/s (area x indicator x month) and
// the ratio naive/fast time (same synthetic data, same run).
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "endstate/benchmarks/assess.hpp"
#include "endstate/core/rng.hpp"

namespace {

namespace bm = endstate::benchmarks;

std::size_t env_size(const char* name, std::size_t def) {
  const char* v = std::getenv(name);
  return v ? static_cast<std::size_t>(std::strtoull(v, nullptr, 10)) : def;
}

constexpr std::size_t kIndicators = 50;

bm::Framework synthetic_framework() {
  bm::Framework fw;
  fw.id = "bench";
  fw.version = "1";
  fw.contextual_share = 0.6;
  const int windows[] = {1, 3, 6, 12, 24};
  const bm::Statistic stats[] = {bm::Statistic::kSum, bm::Statistic::kMean, bm::Statistic::kMax,
                                 bm::Statistic::kMonthsWithAny, bm::Statistic::kMin};
  for (std::size_t i = 0; i < kIndicators; ++i) {
    bm::IndicatorDef d;
    d.id = "i" + std::to_string(i);
    d.direction = i % 2 ? bm::Direction::kHigherIsBetter : bm::Direction::kLowerIsBetter;
    d.derivation.window_months = windows[i % 5];
    d.derivation.statistic = d.derivation.window_months == 1 ? bm::Statistic::kLast : stats[(i / 5) % 5];
    if (i % 3 == 0) d.derivation.per_population = 100000;
    fw.indicators.push_back(d);
  }
  for (std::size_t b = 0; b < kIndicators / 2; ++b) {
    fw.benchmarks.push_back({"b" + std::to_string(b),
                             "",
                             b < 10 ? bm::BenchmarkKind::kCore : bm::BenchmarkKind::kContextual,
                             bm::Category::kOther,
                             1.0,
                             {"i" + std::to_string(2 * b), "i" + std::to_string(2 * b + 1)},
                             0});
  }
  const int sustain[] = {3, 6, 6, 12};
  for (int s = 0; s < 4; ++s) {
    bm::Stakeholder st;
    st.id = "s" + std::to_string(s);
    st.sustain_months = sustain[s];
    fw.stakeholders.push_back(st);
  }
  return fw;
}

/// Raw monthly series of one area: counts around a level, 2% missing.
void synthetic_raw(std::size_t area, std::size_t months, std::vector<std::vector<double>>& raw) {
  endstate::Rng rng(42, area);
  raw.assign(kIndicators, std::vector<double>(months));
  for (std::size_t i = 0; i < kIndicators; ++i) {
    const double level = 1 + static_cast<double>(i % 7);
    for (auto& v : raw[i]) v = rng.uniform() < 0.02 ? bm::kMissing : std::floor(level * 2 * rng.uniform());
  }
}

/// Thresholds placed so that about half of the months meet them.
void set_thresholds(bm::Framework& fw) {
  for (auto& st : fw.stakeholders) {
    for (std::size_t i = 0; i < kIndicators; ++i) {
      const auto& d = fw.indicators[i].derivation;
      const double level = 1 + static_cast<double>(i % 7);
      double typical = d.statistic == bm::Statistic::kMonthsWithAny ? 0.8 * d.window_months
                       : d.statistic == bm::Statistic::kSum         ? level * d.window_months
                       : d.statistic == bm::Statistic::kMax         ? 2 * level
                       : d.statistic == bm::Statistic::kMin         ? 0.1
                                                                    : level;
      if (d.per_population) typical *= 100000.0 / 50000.0;
      st.thresholds["i" + std::to_string(i)] = {
          typical * (1 + 0.05 * static_cast<double>(&st - &fw.stakeholders[0])), {}, {}};
    }
  }
}

template <bool kNaive>
std::size_t assess_all(const bm::Framework& fw, std::size_t areas, std::size_t months) {
  std::vector<std::vector<double>> raw;
  std::vector<double> values(kIndicators * months);
  std::size_t ready = 0;
  for (std::size_t a = 0; a < areas; ++a) {
    synthetic_raw(a, months, raw);
    for (std::size_t i = 0; i < kIndicators; ++i) {
      const auto& d = fw.indicators[i].derivation;
      auto v = kNaive ? bm::window_statistic_naive(raw[i], d.window_months, d.statistic)
                      : bm::window_statistic(raw[i], d.window_months, d.statistic);
      if (d.per_population) {
        for (double& x : v) x *= *d.per_population / 50000.0;
      }
      std::copy(v.begin(), v.end(), values.begin() + static_cast<std::ptrdiff_t>(i * months));
    }
    const auto tr = kNaive ? bm::assess_area_naive(fw, "a", values.data(), months)
                           : bm::assess_area(fw, "a", values.data(), months);
    for (auto r : tr.readiness) ready += r == bm::Readiness::kReady ? 1 : 0;
  }
  return ready;
}

/// Time of the synthetic-data generation alone, subtracted from both.
double generation_seconds(std::size_t areas, std::size_t months) {
  std::vector<std::vector<double>> raw;
  const auto t0 = std::chrono::steady_clock::now();
  double sink = 0;
  for (std::size_t a = 0; a < areas; ++a) {
    synthetic_raw(a, months, raw);
    sink += raw[0][0];
  }
  benchmark::DoNotOptimize(sink);
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

void BM_AssessHistory(benchmark::State& state) {
  const std::size_t areas = env_size("ENDSTATE_BENCH_AREAS", 10000);
  const std::size_t months = env_size("ENDSTATE_BENCH_MONTHS", 360);
  auto fw = synthetic_framework();
  set_thresholds(fw);
  const double gen = generation_seconds(areas, months);
  double fast = 0, naive = 0;
  std::size_t r1 = 0, r2 = 0;
  for (auto _ : state) {
    auto t0 = std::chrono::steady_clock::now();
    r1 = assess_all<false>(fw, areas, months);
    auto t1 = std::chrono::steady_clock::now();
    r2 = assess_all<true>(fw, areas, months);
    auto t2 = std::chrono::steady_clock::now();
    fast += std::chrono::duration<double>(t1 - t0).count() - gen;
    naive += std::chrono::duration<double>(t2 - t1).count() - gen;
  }
  if (r1 != r2) state.SkipWithError("fast and naive readiness differ");
  const double n = static_cast<double>(state.iterations());
  const double cells = static_cast<double>(areas * kIndicators * months);
  state.counters["areas"] = static_cast<double>(areas);
  state.counters["months"] = static_cast<double>(months);
  state.counters["fast_s"] = fast / n;
  state.counters["naive_s"] = naive / n;
  state.counters["fast_cells_per_s"] = cells / (fast / n);
  state.counters["naive_cells_per_s"] = cells / (naive / n);
  state.counters["speedup"] = naive / fast;
  state.counters["ready_area_months"] = static_cast<double>(r1);
}
BENCHMARK(BM_AssessHistory)->Iterations(1)->Unit(benchmark::kSecond)->UseRealTime();

/// Window statistics alone, by window length (10k series x 360 months, sum and max).
void BM_Windows(benchmark::State& state) {
  const int w = static_cast<int>(state.range(0));
  const std::size_t series = env_size("ENDSTATE_BENCH_AREAS", 10000);
  const std::size_t months = env_size("ENDSTATE_BENCH_MONTHS", 360);
  std::vector<std::vector<double>> raw;
  synthetic_raw(0, months, raw);
  double fast = 0, naive = 0, sink = 0;
  for (auto _ : state) {
    auto t0 = std::chrono::steady_clock::now();
    for (std::size_t k = 0; k < series; ++k) {
      for (auto st : {bm::Statistic::kSum, bm::Statistic::kMax})
        sink += bm::window_statistic(raw[k % kIndicators], w, st)[months - 1];
    }
    auto t1 = std::chrono::steady_clock::now();
    for (std::size_t k = 0; k < series; ++k) {
      for (auto st : {bm::Statistic::kSum, bm::Statistic::kMax})
        sink += bm::window_statistic_naive(raw[k % kIndicators], w, st)[months - 1];
    }
    auto t2 = std::chrono::steady_clock::now();
    fast += std::chrono::duration<double>(t1 - t0).count();
    naive += std::chrono::duration<double>(t2 - t1).count();
  }
  benchmark::DoNotOptimize(sink);
  state.counters["fast_s"] = fast / static_cast<double>(state.iterations());
  state.counters["naive_s"] = naive / static_cast<double>(state.iterations());
  state.counters["speedup"] = naive / fast;
}
BENCHMARK(BM_Windows)->Arg(3)->Arg(12)->Arg(24)->Arg(60)->Iterations(1)->Unit(benchmark::kSecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
