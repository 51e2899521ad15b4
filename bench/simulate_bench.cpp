// Policy simulation: 10,000 paths x 2 policies (end-state, end-date) x 36
// months for 40 territories in 8 provinces, and for 10,000 grid cells; the
// per-path cost of the incremental simulator against the straightforward
// one (features, windows and readiness recomputed from each path's whole
// history every month, presence from every base) in the same run.
//
//   build/dev/bench/simulate_bench --benchmark_counters_tabular=true
#include <benchmark/benchmark.h>

#include <memory>

#include "endstate/benchmarks/framework.hpp"
#include "endstate/simulate/simulate.hpp"
#include "unit/simulate/fixture.hpp"

namespace {

using namespace endstate;
using namespace endstate::simulate;

struct Case {
  Panel panel;
  benchmarks::Framework fw;
  std::unique_ptr<StepModel> model;
  std::size_t side = 0;
};

Case& territories() {
  static Case c = [] {
    Case k;
    k.side = 5;
    k.panel = testing::synthetic_panel(8, 5, 120, 3);  // 40 territories, 8 provinces
    k.fw = benchmarks::parse_framework(testing::kFramework, "fw.yaml");
    forecast::ForecastOptions fo;
    fo.model = "nb";
    k.model = fit_step_model(k.panel, forecast::Target::kFatalities, fo);
    return k;
  }();
  return c;
}

Case& grid() {
  static Case c = [] {
    Case k;
    k.side = 100;
    k.panel = testing::synthetic_panel(100, 100, 60, 4);  // 10,000 cells, 100 provinces
    k.fw = benchmarks::parse_framework(testing::kFramework, "fw.yaml");
    forecast::ForecastOptions fo;
    fo.model = "nb";
    k.model = fit_step_model(k.panel, forecast::Target::kFatalities, fo);
    return k;
  }();
  return c;
}

void run(benchmark::State& state, Case& c, int paths, bool straightforward, std::size_t base_every) {
  const World w = testing::synthetic_world(c.panel, &c.fw, PresenceEffect(), c.side, paths, 36, base_every);
  const auto policies = testing::two_policies(w.provinces.size());
  SimOptions o;
  o.horizon = 36;
  o.paths = paths;
  o.threads = 2;
  o.straightforward = straightforward;
  double fat = 0;
  for (auto _ : state) {
    const auto r = endstate::simulate::simulate(w, *c.model, policies, o);
    fat = r.outcome(0, 0).fatalities;
    benchmark::DoNotOptimize(fat);
  }
  state.counters["paths"] = paths;
  state.counters["areas"] = static_cast<double>(w.areas.size());
  state.counters["ms_per_path"] = benchmark::Counter(
      static_cast<double>(paths) / 1000.0, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

void BM_Territories(benchmark::State& s) { run(s, territories(), static_cast<int>(s.range(0)), false, 1); }
void BM_TerritoriesStraightforward(benchmark::State& s) {
  run(s, territories(), static_cast<int>(s.range(0)), true, 1);
}
void BM_Grid(benchmark::State& s) { run(s, grid(), static_cast<int>(s.range(0)), false, 50); }
void BM_GridStraightforward(benchmark::State& s) { run(s, grid(), static_cast<int>(s.range(0)), true, 50); }

BENCHMARK(BM_Territories)->Arg(10000)->Unit(benchmark::kSecond)->MeasureProcessCPUTime()->UseRealTime()->Iterations(1);
BENCHMARK(BM_TerritoriesStraightforward)
    ->Arg(200)
    ->Unit(benchmark::kSecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime()
    ->Iterations(1);
BENCHMARK(BM_Grid)->Arg(100)->Unit(benchmark::kSecond)->MeasureProcessCPUTime()->UseRealTime()->Iterations(1);
BENCHMARK(BM_GridStraightforward)
    ->Arg(4)
    ->Unit(benchmark::kSecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime()
    ->Iterations(1);

}  // namespace

BENCHMARK_MAIN();
