#pragma once
// When will an unmet benchmark be met? For each future sample path of every
// indicator of the benchmark, the first month in which all of them meet the
// stakeholder's thresholds under the sustain rule (runs carried over from
// history); the median and the 10% and 90% quantiles of that month across
// paths give the projection and its 80% interval. Paths that never meet it
// within the horizon count as "later than the horizon": when more than half
// of them do, the median is "not within horizon".
//
// Observed indicators: a linear trend fitted by least squares to the last
// `trend_months` values, with parameter uncertainty (intercept and slope
// drawn from their sampling distribution, Student-t scaled) and monthly
// noise from the residual standard deviation (the prediction interval of
// ordinary least squares, e.g. Montgomery, Peck & Vining, "Introduction to
// Linear Regression Analysis", ch. 2.4). Event-derived indicators: future
// sample paths of the raw monthly series are an input (a forecast model's
// samples, or a bootstrap of the last 12 months, the ViEWS benchmark;
// Hegre et al. 2019, J. Peace Research 56(2)), windowed and scaled like history.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "endstate/benchmarks/assess.hpp"
#include "endstate/benchmarks/framework.hpp"

namespace endstate::benchmarks {

/// S future paths x H months of one raw monthly series (row-major [path][month]).
struct FuturePaths {
  std::size_t paths = 0, horizon = 0;
  std::vector<double> v;
  std::string method;  ///< where the paths come from ("trend", "bootstrap", "forecast:nb", ...), reported
};

struct ProjectionOptions {
  std::size_t horizon_months = 36;
  std::size_t samples = 1000;  ///< paths for observed indicators (event paths come with the input)
  std::size_t trend_months = 24;
  std::uint64_t seed = 1;
};

/// Inputs of one area.
struct AreaProjectionInput {
  std::string area_id;
  std::optional<double> population;
  /// Raw monthly series per indicator ([indicator][month]), the history used to build the values.
  std::vector<std::vector<double>> raw;
  /// Event-derived indicators: future raw paths, keyed by indicator id.
  std::map<std::string, FuturePaths> future;
};

struct Projection {
  std::string area_id;
  std::string stakeholder;
  std::string benchmark_id;
  Status current = Status::kNoData;
  /// Months after the last history month (1 = next month); nullopt = not within horizon.
  std::optional<int> median, low, high;  ///< median and 10%/90% quantiles
  double share_within_horizon = 0;       ///< paths meeting it within the horizon
  bool projectable = true;               ///< false when an indicator has too little data to project from
  std::string method;                    ///< the indicators' path methods, distinct, joined by "+"
};

/// Projections for every benchmark not met in the last history month, per stakeholder.
/// Deterministic for a seed: each (area, indicator) draws from its own Rng stream.
std::vector<Projection> project_area(const Framework& fw, const AreaProjectionInput& in, std::size_t area_stream,
                                     const ProjectionOptions& o);

/// Paths of a linear trend with uncertainty fitted to `history` (NaN = missing; last `trend_months` used).
/// Empty when fewer than 3 values are present.
FuturePaths trend_paths(const std::vector<double>& history, std::size_t trend_months, std::size_t samples,
                        std::size_t horizon, std::uint64_t seed, std::uint64_t stream);

/// ViEWS bootstrap benchmark: each future month draws one of the last `window` months uniformly.
FuturePaths bootstrap_paths(const std::vector<double>& history, std::size_t window, std::size_t samples,
                            std::size_t horizon, std::uint64_t seed, std::uint64_t stream);

}  // namespace endstate::benchmarks
