#pragma once
// Requests and results of forecasts, backtests and alerts (docs/forecast.md).

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "endstate/core/panel.hpp"
#include "endstate/forecast/alerts.hpp"
#include "endstate/forecast/backtest.hpp"
#include "endstate/forecast/forecast.hpp"
#include "endstate/geo/reach.hpp"
#include "endstate/service/common.hpp"

namespace endstate::service {

struct ForecastRequest {
  std::string level;        ///< "" = default level
  std::optional<Month> to;  ///< last month of history (default: last event month)
  forecast::Target target = forecast::Target::kFatalities;
  forecast::ForecastOptions options;
};

struct ForecastResult {
  std::string level;
  std::vector<PanelArea> areas;
  Month history_from, history_to;
  forecast::Target target = forecast::Target::kFatalities;
  forecast::ForecastOptions options;
  forecast::Forecast forecast;
};

struct BacktestRequest {
  std::string level;
  std::optional<Month> from, to;  ///< origins (default: the 36 months to the last event month)
  forecast::Target target = forecast::Target::kFatalities;
  forecast::BacktestOptions options;  ///< from/to are set from the request
};

struct BacktestResult {
  std::string level;
  std::size_t areas = 0;
  forecast::Target target = forecast::Target::kFatalities;
  forecast::BacktestOptions options;
  forecast::BacktestResult result;
};

struct AlertsRequest {
  Month month;  ///< the month warned for; only data strictly before it is used
  std::string level;
  forecast::AlertRules rules;
  geo::ReachParams reach;
  double response_hours = 6;
  forecast::ForecastOptions forecast;  ///< horizon is forced to 1
  /// Thresholds from a backtest of the rules on the months before `month`
  /// (calibrate_alerts); model, seed, threads, nb and hurdle are taken from
  /// `forecast`. calibration.calibrate = false keeps `rules` as given.
  forecast::AlertCalibrationOptions calibration;
  bool with_geometry = false;
};

struct AlertsResult {
  Month month;
  std::string level;
  Month history_to;
  std::string model;
  std::size_t samples = 0;
  std::uint64_t seed = 0;
  double response_hours = 0;
  geo::ReachParams reach;
  std::vector<PanelArea> areas;
  forecast::AlertRules rules;  ///< the rules applied (thresholds after calibration)
  /// The backtest that set the thresholds and each rule's precision and
  /// recall; empty with calibration.calibrate = false or when the history
  /// is too short for one month of backtest (then the fixed rules apply).
  std::optional<forecast::AlertCalibration> calibration;
  std::size_t calibration_samples = 0;          ///< draws per area-month in that backtest
  std::vector<forecast::AreaAlert> alerts;      ///< parallel to areas
  std::vector<forecast::Responder> responders;  ///< active sites in the month before
  std::vector<forecast::ResponseCover> cover;   ///< parallel to areas
  std::size_t green = 0, amber = 0, red = 0, response_gaps = 0;
  AreaShapes shapes;
};

}  // namespace endstate::service
