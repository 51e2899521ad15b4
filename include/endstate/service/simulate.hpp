#pragma once
// Requests and results of the policy simulation (docs/simulate.md): the
// comparison of transition policies on joint sample paths, the probability
// that each province is ready by a month, and the calibration backtest.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "endstate/core/types.hpp"
#include "endstate/forecast/forecast.hpp"
#include "endstate/plan/spec.hpp"
#include "endstate/service/benchmarks.hpp"
#include "endstate/simulate/presence.hpp"
#include "endstate/simulate/simulate.hpp"

namespace endstate::service {

/// The forecast options with the nb model (the default of the simulation).
inline forecast::ForecastOptions nb_model() {
  forecast::ForecastOptions o;
  o.model = "nb";
  return o;
}

/// What every simulation shares.
struct SimulationSetup {
  BenchmarkSelection select;  ///< framework version; its area level is the exit level (provinces)
  std::string level;          ///< simulation level ("" = the framework's level); a finer level maps up through parents
  forecast::Target target = forecast::Target::kFatalities;
  forecast::ForecastOptions model = nb_model();  ///< model and its tuning (horizon, samples unused)
  /// "priors" (the default file), "none", or a presence-effect YAML file.
  std::string presence = "priors";
  int horizon = 36;  ///< months simulated
  int paths = 1000;
  std::uint64_t seed = 1;
  int threads = 0;
  double hotspot_threshold = 25;  ///< a hotspot month: this much of the target in an area
};

struct SimulateRequest {
  SimulationSetup setup;
  std::vector<std::string> plans;  ///< plan files, one policy each (the first is the reference of the differences)
  std::string base_dir;            ///< folder the plan files are relative to ("" = current)
};

/// The policies as read from the plan files.
struct PolicyInfo {
  std::string name, policy, file;  ///< policy: "end-state", "end-date", "hybrid"
  std::vector<std::string> stakeholders;
  int sustain_months = 0, max_delay_months = 0;
  std::vector<std::optional<Month>> exit_dates;  ///< [province]
  std::vector<char> held;  ///< [province] holds a base locked for the plan: never exits (end-state, hybrid)
};

struct SimulateResult {
  std::string level, exit_level, model, presence_id;
  forecast::Target target = forecast::Target::kFatalities;
  simulate::PresenceEffect presence;
  Month history_from, history_to, origin;
  int horizon = 0, paths = 0;
  std::uint64_t seed = 1;
  std::size_t areas = 0, bases = 0;
  std::vector<std::string> province_ids, province_names;
  std::vector<PolicyInfo> policies;
  std::string currency = "USD";
  simulate::Comparison comparison;
};

struct ReadyByRequest {
  SimulationSetup setup;  ///< horizon is set from the month
  Month month;            ///< ready by this month (after the last data month)
};

struct ReadyByResult {
  std::string level, exit_level, model;
  Month history_to, month;
  int paths = 0;
  std::uint64_t seed = 1;
  std::vector<std::string> province_ids, province_names, stakeholders;
  std::vector<std::vector<double>> probability;  ///< [province][stakeholder] P(ready by month)
  std::vector<std::vector<char>> ready_now;      ///< [province][stakeholder] ready in the last data month
};

struct SimulateBacktestRequest {
  std::string level;  ///< "" = default level
  forecast::Target target = forecast::Target::kFatalities;
  forecast::ForecastOptions model = nb_model();
  std::optional<Month> from, to;  ///< first and last origin (default: the 36 months before the last 12)
  int step_months = 6;            ///< months between origins
  int horizon = 12;
  int paths = 500;
  std::uint64_t seed = 1;
  int threads = 0;
};

struct SimulateBacktestResult {
  std::string level, model;
  forecast::Target target = forecast::Target::kFatalities;
  std::vector<Month> origins;
  int horizon = 0, paths = 0;
  std::uint64_t seed = 1;
  std::size_t areas = 0;
  simulate::CalibrationResult result;
};

}  // namespace endstate::service
