#pragma once
// Indicator values and benchmark assessment. An indicator value of an area
// in month t is a statistic of its monthly series over the window
// t-w+1..t, optionally per capita; it is missing (NaN, "no data") when any
// month of the window is missing or, per capita, when the population is
// unknown. A stakeholder judges an indicator met in month t when the value
// is on the right side of its threshold (inclusive) in each of the last N
// months (the sustain rule); a missing month breaks the run. A benchmark is
// met when all its indicators are met; no data never counts as met. An area
// is ready for a stakeholder when every core benchmark is met and the
// weighted share of contextual benchmarks met reaches the framework's share
// (docs/design.md, "Transition benchmarks"; MONUSCO Joint Strategy 2020).
//
// Sliding windows are updated in O(1) per month (running sums; monotonic
// deques for max/min, Lemire 2006, "Streaming maximum-minimum filter using
// no more than three comparisons per element"), sustain runs in O(1) per
// month, so a whole history costs O(months) per area and indicator.

#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "endstate/benchmarks/framework.hpp"
#include "endstate/core/panel.hpp"
#include "endstate/core/types.hpp"

namespace endstate::benchmarks {

inline constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();
inline bool is_missing(double v) { return std::isnan(v); }

enum class Status : std::uint8_t { kNoData = 0, kNotMet = 1, kMet = 2 };
enum class Readiness : std::uint8_t { kNoData = 0, kNotReady = 1, kReady = 2 };
std::string to_string(Status s);
std::string to_string(Readiness r);

/// Window statistic of a monthly series (NaN = missing) for every month;
/// months whose window is incomplete or holds a missing month are NaN.
std::vector<double> window_statistic(const std::vector<double>& monthly, int window, Statistic stat);
/// The same, recomputing every window from scratch (reference implementation).
std::vector<double> window_statistic_naive(const std::vector<double>& monthly, int window, Statistic stat);

/// Applies the derivation (window, statistic, per capita) to one area's monthly series.
std::vector<double> derive_values(const std::vector<double>& monthly, const Derivation& d,
                                  std::optional<double> population);

/// Monthly input series of the framework's indicators for the areas of a panel.
/// `observed` holds, per observed indicator id (Derivation::observed_indicator),
/// the [area][month] matrix aligned with the panel (NaN = no observation).
struct Inputs {
  const Panel* panel = nullptr;
  std::map<std::string, std::vector<double>> observed;
};

/// Raw monthly series [area][month] of indicator `def` (before windowing).
std::vector<double> raw_series(const IndicatorDef& def, const Inputs& in);

/// Indicator values of every area: [area][indicator][month], aligned with the panel.
struct IndicatorValues {
  std::size_t areas = 0, indicators = 0, months = 0;
  std::vector<double> v;
  [[nodiscard]] const double* series(std::size_t area, std::size_t indicator) const {
    return v.data() + (area * indicators + indicator) * months;
  }
  [[nodiscard]] double at(std::size_t area, std::size_t indicator, std::size_t month) const {
    return v[(area * indicators + indicator) * months + month];
  }
};
IndicatorValues compute_values(const Framework& fw, const Inputs& in);

/// One area's statuses for every month of its history.
struct AreaTrajectory {
  std::string area_id;
  std::size_t months = 0, stakeholders = 0, indicators = 0, benchmarks = 0;
  std::vector<Status> indicator_status;  ///< [month][stakeholder][indicator]
  std::vector<std::int32_t> streak;      ///< [month][stakeholder][indicator] consecutive months met so far
  std::vector<Status> benchmark_status;  ///< [month][stakeholder][benchmark]
  std::vector<Readiness> readiness;      ///< [month][stakeholder]
  std::vector<double> contextual_share;  ///< [month][stakeholder] weighted share of contextual met

  [[nodiscard]] Status indicator(std::size_t t, std::size_t s, std::size_t i) const {
    return indicator_status[(t * stakeholders + s) * indicators + i];
  }
  [[nodiscard]] std::int32_t run(std::size_t t, std::size_t s, std::size_t i) const {
    return streak[(t * stakeholders + s) * indicators + i];
  }
  [[nodiscard]] Status benchmark(std::size_t t, std::size_t s, std::size_t b) const {
    return benchmark_status[(t * stakeholders + s) * benchmarks + b];
  }
  [[nodiscard]] Readiness ready(std::size_t t, std::size_t s) const { return readiness[t * stakeholders + s]; }
};

/// Whether `value` meets `threshold` in `direction` (inclusive); false for NaN.
bool meets(double value, double threshold, Direction direction);

/// Statuses of one area over all months from its indicator values
/// (`values` = [indicator][month], NaN = no data). O(months x stakeholders x indicators).
AreaTrajectory assess_area(const Framework& fw, const std::string& area_id, const double* values, std::size_t months);
/// The same, re-checking the last N months of every sustain rule month by
/// month (the straightforward implementation; reference for tests and bench).
/// Its `streak` is capped at the sustain months.
AreaTrajectory assess_area_naive(const Framework& fw, const std::string& area_id, const double* values,
                                 std::size_t months);

/// Where stakeholders judge the same indicator of an area differently in one month.
struct Disagreement {
  std::string area_id;
  std::string benchmark_id;
  std::string indicator_id;
  double value = kMissing;
  std::vector<std::string> met_by;      ///< stakeholders judging it met
  std::vector<std::string> not_met_by;  ///< stakeholders judging it not met
  /// For each stakeholder in not_met_by: its threshold, the change of the value
  /// that would meet it (signed; 0 when the value meets it but the sustain run is short),
  /// and the months still needed to complete the run.
  struct Gap {
    std::string stakeholder;
    double threshold = 0;
    double move = 0;
    int months_to_sustain = 0;
  };
  std::vector<Gap> gaps;
};
/// Disagreements in month index `t` for the areas of `trajectories` (same order as `values`).
std::vector<Disagreement> disagreements(const Framework& fw, const std::vector<AreaTrajectory>& trajectories,
                                        const IndicatorValues& values, std::size_t t);

}  // namespace endstate::benchmarks
