// forecast: rolling-origin backtests and run_forecast.
//
// BM_GridBacktest/H: the grid-level backtest of issue 19 on a synthetic
// sparse PRIO-GRID-like panel (sparse_grid below: 532 cells x 264 months,
// 2001-01..2022-12, 84 origins 2016-01..2022-12, horizon 3 or 12, every
// model, 500 draws, one thread), incremental path (features once, merged
// training rows kept across origins, warm-started fits).
// BM_GridBacktestStraightforward/3: the same with features, training sets
// and cold fits rebuilt at every origin, in the same run.
// BM_BacktestRatio: nb only, 6 origins, both paths, at province size (8
// areas) and at 10k cells. BM_RunForecast: run_forecast (model best).
// Counters: seconds, seconds per origin, ratio straightforward/incremental.
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

// Dense-ish synthetic panel: every tenth area violent, the rest nearly quiet.
Panel synthetic(std::size_t areas, std::size_t months) {
  std::vector<PanelArea> pa;
  const std::size_t side = static_cast<std::size_t>(std::ceil(std::sqrt(static_cast<double>(areas))));
  for (std::size_t a = 0; a < areas; ++a) {
    pa.push_back({"a" + std::to_string(a), "", std::nullopt,
                  LatLon{-5.0 + 0.5 * static_cast<double>(a / side), 20.0 + 0.5 * static_cast<double>(a % side)},
                  3000});
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

// A sparse grid like a country's PRIO-GRID cells in UCDP GED: rows x cols
// 0.5-degree cells. About 30% of the cells are susceptible (smoothed noise,
// thresholded: contiguous patches); conflict episodes ignite at random
// susceptible cells (more often in later years), last ~10 months, and spread
// over a Gaussian kernel of 0.6-2.2 cells; events per cell-month are Poisson
// with self-excitation (0.35 x last month's events, 0.02 x the 8
// neighbours') and lognormal noise; fatalities per event floor(exp(N(0.6,
// 1.15))), and 1% of events add 30-230 (massacres). Seed 1 over 264 months:
// about half the cells never see an event; of the 44,688 cell-months of
// 2016-2022, 98.1% are zero and 201 have >= 10 fatalities (issue 19's real
// grid: 98.8%, 161).
Panel sparse_grid(std::size_t rows, std::size_t cols, std::size_t months, std::uint64_t seed) {
  using forecast::sample_normal;
  using forecast::sample_poisson;
  const std::size_t n = rows * cols;
  const auto inside = [&](long r, long c) { return r >= 0 && c >= 0 && r < long(rows) && c < long(cols); };
  std::vector<PanelArea> pa;
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t c = 0; c < cols; ++c) {
      pa.push_back({"pg-" + std::to_string((r + 200) * 720 + c + 350), "", std::nullopt,
                    LatLon{10.25 + 0.5 * static_cast<double>(r), -4.75 + 0.5 * static_cast<double>(c)}, 3000});
    }
  }
  const Month m0 = *Month::from_ym(2001, 1);
  Panel p(pa, m0, m0.plus(static_cast<std::int32_t>(months) - 1));
  Rng rng(seed, 77);
  std::vector<double> z(n), s(n);
  for (auto& v : z) v = sample_normal(rng);
  for (int pass = 0; pass < 3; ++pass) {
    std::vector<double> next(n);
    for (std::size_t r = 0; r < rows; ++r) {
      for (std::size_t c = 0; c < cols; ++c) {
        double sum = 0, w = 0;
        for (long dr = -1; dr <= 1; ++dr) {
          for (long dc = -1; dc <= 1; ++dc) {
            const long rr = long(r) + dr, cc = long(c) + dc;
            if (!inside(rr, cc)) continue;
            sum += z[std::size_t(rr) * cols + std::size_t(cc)];
            w += 1;
          }
        }
        next[r * cols + c] = sum / w;
      }
    }
    z = next;
  }
  std::vector<double> sorted = z;
  std::sort(sorted.begin(), sorted.end());
  const double cut = sorted[static_cast<std::size_t>(0.7 * static_cast<double>(n))];
  for (std::size_t i = 0; i < n; ++i) s[i] = z[i] > cut ? std::min(1.0, 0.3 + 3 * (z[i] - cut)) : 0.0;
  struct Episode {
    double r, c, radius, intensity;
    std::size_t end;
  };
  std::vector<Episode> eps;
  std::vector<double> last(n, 0), cur(n, 0);
  for (std::size_t t = 0; t < months; ++t) {
    const double frac = static_cast<double>(t) / static_cast<double>(months);
    const auto k = sample_poisson(rng, 0.03 + 0.12 * frac * frac);
    for (std::int64_t e = 0; e < k; ++e) {
      std::size_t cell = 0;
      do {
        cell = rng.below(n);
      } while (s[cell] <= 0);
      const double dur = 1 + std::floor(-std::log(1 - rng.uniform()) * 9);
      eps.push_back({static_cast<double>(cell / cols), static_cast<double>(cell % cols), 0.6 + 1.6 * rng.uniform(),
                     std::exp(-0.1 + 0.9 * sample_normal(rng)), t + static_cast<std::size_t>(dur)});
    }
    for (std::size_t i = 0; i < n; ++i) {
      const long rr = long(i / cols), cc = long(i % cols);
      double rate = 0.0015 * s[i];
      for (const auto& e : eps) {
        if (e.end < t) continue;
        const double d2 = (double(rr) - e.r) * (double(rr) - e.r) + (double(cc) - e.c) * (double(cc) - e.c);
        rate += e.intensity * std::exp(-d2 / (2 * e.radius * e.radius)) * (0.2 + s[i]);
      }
      double around = 0;
      for (long dr = -1; dr <= 1; ++dr) {
        for (long dc = -1; dc <= 1; ++dc) {
          if ((dr != 0 || dc != 0) && inside(rr + dr, cc + dc))
            around += last[std::size_t(rr + dr) * cols + std::size_t(cc + dc)];
        }
      }
      rate = (rate + 0.35 * last[i] + 0.02 * around) * std::exp(0.5 * sample_normal(rng));
      const auto events = sample_poisson(rng, std::min(rate, 60.0));
      cur[i] = static_cast<double>(events);
      for (std::int64_t e = 0; e < events; ++e) {
        const double u = rng.uniform();
        const std::size_t type = u < 0.55 ? 0 : u < 0.8 ? 1 : 2;
        double f = std::floor(std::exp(0.6 + 1.15 * sample_normal(rng)));
        if (rng.uniform() < 0.01) f += std::floor(30 + 200 * rng.uniform());
        p.at(i, t).events[type] += 1;
        p.at(i, t).fatalities[type] += static_cast<std::int64_t>(f);
      }
    }
    last.swap(cur);
    std::erase_if(eps, [&](const Episode& e) { return e.end < t; });
  }
  return p;
}

const Panel& grid() {
  static const Panel p = sparse_grid(19, 28, 264, 1);
  return p;
}

forecast::BacktestOptions grid_options(int horizon) {
  forecast::BacktestOptions o;
  o.horizon = horizon;
  o.samples = 500;
  o.threads = 1;
  o.from = *Month::from_ym(2016, 1);
  o.to = *Month::from_ym(2022, 12);
  return o;
}

void report(benchmark::State& state, const forecast::BacktestResult& r, double seconds) {
  state.counters["areas"] = static_cast<double>(grid().area_count());
  state.counters["origins"] = static_cast<double>(r.origins);
  state.counters["seconds"] = seconds;
  state.counters["s_per_origin"] = seconds / static_cast<double>(r.origins);
  double best_benchmark = 1e300, hurdle = 0;
  for (const auto& row : r.overall) {
    if (row.model == "hurdle") hurdle = row.crps;
    if (row.model == "zero" || row.model == "last" || row.model == "bootstrap" || row.model == "conflictology") {
      best_benchmark = std::min(best_benchmark, row.crps);
    }
  }
  state.counters["hurdle_vs_best_benchmark_pct"] = 100 * (hurdle / best_benchmark - 1);
}

void BM_GridBacktest(benchmark::State& state) {
  const auto o = grid_options(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    const auto t0 = std::chrono::steady_clock::now();
    const auto r = forecast::run_backtest(grid(), forecast::Target::kFatalities, o);
    report(state, r, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
}

void BM_GridBacktestStraightforward(benchmark::State& state) {
  auto o = grid_options(static_cast<int>(state.range(0)));
  o.incremental = false;
  for (auto _ : state) {
    const auto t0 = std::chrono::steady_clock::now();
    const auto r = forecast::run_backtest(grid(), forecast::Target::kFatalities, o);
    report(state, r, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
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

BENCHMARK(BM_GridBacktest)->Arg(3)->Arg(12)->Unit(benchmark::kSecond)->Iterations(1);
BENCHMARK(BM_GridBacktestStraightforward)->Arg(3)->Unit(benchmark::kSecond)->Iterations(1);
BENCHMARK(BM_BacktestRatio)->Arg(8)->Arg(10000)->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK(BM_RunForecast)
    ->Args({8, 1})
    ->Args({10000, 1})
    ->Args({10000, 2})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);

BENCHMARK_MAIN();
