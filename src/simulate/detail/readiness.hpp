#pragma once
// Benchmarks recomputed month by month along a path: the indicator windows,
// the stakeholders' thresholds and sustain runs and the roll-up to
// benchmarks and readiness, in the order benchmarks::assess_area uses, but
// one month at a time so a policy can act on the month just simulated.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "endstate/benchmarks/assess.hpp"
#include "endstate/benchmarks/framework.hpp"
#include "endstate/simulate/simulate.hpp"

namespace endstate::simulate::detail {

/// What is fixed for one province: rules, windows, per capita factors.
class ProvinceRules {
 public:
  ProvinceRules(const benchmarks::Framework& fw, const Province& p);
  [[nodiscard]] std::size_t indicators() const { return I_; }
  [[nodiscard]] std::size_t stakeholders() const { return S_; }
  [[nodiscard]] std::size_t ring() const { return W_; }

  /// The state after some months: raw windows and sustain runs.
  struct State {
    std::vector<double> raw;                   // [indicator][W_] ring of raw values
    std::vector<std::int32_t> streak;          // [stakeholder][indicator]
    std::vector<benchmarks::Readiness> ready;  // [stakeholder] of the latest month
    std::size_t months = 0;
    std::vector<double> value;               // scratch: [indicator] this month
    std::vector<benchmarks::Status> status;  // scratch: [stakeholder][indicator]
  };
  [[nodiscard]] State start() const;
  /// Pushes one month of raw values (one per indicator) and updates the readiness.
  void push(State& s, const double* raw) const;

 private:
  const benchmarks::Framework* fw_;
  std::size_t I_ = 0, S_ = 0, B_ = 0, W_ = 1;
  std::vector<int> window_;
  std::vector<benchmarks::Statistic> stat_;
  std::vector<double> scale_;          // per capita factor, NaN = missing (no population)
  std::vector<double> threshold_;      // [s][i], NaN = not judged
  std::vector<std::int32_t> sustain_;  // [s][i]
  std::vector<char> lower_;            // [i]
  std::vector<std::vector<std::size_t>> bix_;
  double ctx_total_ = 0;
};

}  // namespace endstate::simulate::detail
