// forecast: rolling-origin backtest time per origin (nb model) at province
// size (8 areas) and PRIO-GRID size (~10k cells), incremental path (features
// once, warm-started fits) against the straightforward path (features rebuilt
// from the truncated panel and a cold-start fit at every origin); and
// run_forecast time. Counters: seconds per origin, ratio straightforward/incremental.
#include <algorithm>
#include <chrono>
#include <cmath>

#include <benchmark/benchmark.h>

#include "endstate/core/rng.hpp"
#include "endstate/forecast/backtest.hpp"
#include "endstate/forecast/forecast.hpp"
#include "endstate/forecast/sampling.hpp"

namespace {

using namespace endstate;

Panel synthetic(std::size_t areas, std::size_t months) {
  std::vector<PanelArea> pa;
  const std::size_t side = static_cast<std::size_t>(std::ceil(std::sqrt(static_cast<double>(areas))));
  for (std::size_t a = 0; a < areas; ++a) {
    pa.push_back({"a" + std::to_string(a), "", std::nullopt,
                  LatLon{-5.0 + 0.5 * static_cast<double>(a / side), 20.0 + 0.5 * static_cast<double>(a % side)}, 3000});
  }
  Panel p(pa, *Month::from_ym(2012, 1), Month::from_ym(2012, 1)->plus(static_cast<std::int32_t>(months) - 1));
  Rng rng(1, 0);
  for (std::size_t a = 0; a < areas; ++a) {
    double level = a % 10 == 0 ? 5.0 : 0.05;
    for (std::size_t t = 0; t < months; ++t) {
      level = std::clamp(level * std::exp(0.2 * forecast::sample_normal(rng)), 0.01, 80.0);
      p.at(a, t).fatalities[0] = forecast::sample_nb2(rng, level, 1.0);
    }
  }
  return p;
}

// Both paths in one run, ratio as a counter.
void BM_BacktestRatio(benchmark::State& state) {
  const auto areas = static_cast<std::size_t>(state.range(0));
  const Panel p = synthetic(areas, 96);
  forecast::BacktestOptions o;
  o.models = {"nb"};
  o.horizon = 3;
  o.samples = 100;
  o.threads = 1;
  o.to = p.last();
  o.from = p.last().plus(-5);
  double inc = 0, naive = 0;
  for (auto _ : state) {
    auto t0 = std::chrono::steady_clock::now();
    o.incremental = true;
    benchmark::DoNotOptimize(forecast::run_backtest(p, forecast::Target::kFatalities, o));
    auto t1 = std::chrono::steady_clock::now();
    o.incremental = false;
    benchmark::DoNotOptimize(forecast::run_backtest(p, forecast::Target::kFatalities, o));
    auto t2 = std::chrono::steady_clock::now();
    inc += std::chrono::duration<double>(t1 - t0).count();
    naive += std::chrono::duration<double>(t2 - t1).count();
  }
  state.counters["areas"] = static_cast<double>(areas);
  state.counters["incremental_s_per_origin"] = inc / static_cast<double>(state.iterations()) / 6;
  state.counters["straightforward_s_per_origin"] = naive / static_cast<double>(state.iterations()) / 6;
  state.counters["ratio"] = naive / inc;
}

void BM_RunForecast(benchmark::State& state) {
  const auto areas = static_cast<std::size_t>(state.range(0));
  const Panel p = synthetic(areas, 96);
  forecast::ForecastOptions o;
  o.horizon = 12;
  o.samples = 1000;
  o.threads = static_cast<int>(state.range(1));
  for (auto _ : state) benchmark::DoNotOptimize(forecast::run_forecast(p, forecast::Target::kFatalities, o));
  state.counters["areas"] = static_cast<double>(areas);
  state.counters["threads"] = static_cast<double>(state.range(1));
}

}  // namespace

BENCHMARK(BM_BacktestRatio)->Arg(8)->Arg(10000)->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK(BM_RunForecast)->Args({8, 1})->Args({10000, 1})->Args({10000, 2})->Unit(benchmark::kMillisecond)->Iterations(1);

BENCHMARK_MAIN();
