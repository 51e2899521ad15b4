#pragma once
// Early warning and early response. An area's alert level for month M comes
// from (a) the forecast probabilities of exceeding fatality thresholds in M
// (forecast issued from the panel ending at M-1) and (b) observed escalation:
// the mean monthly fatalities of the recent months against the area's own
// baseline of the months before them, in the spirit of the ViEWS
// early-warning design (Hegre et al. 2019, JPR 56(2)). Early response: which
// sites can reach the area's centroid within a response time (geo/reach.hpp).
// Every threshold is a parameter (docs/forecast.md).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "endstate/core/panel.hpp"
#include "endstate/forecast/forecast.hpp"
#include "endstate/geo/reach.hpp"

namespace endstate::forecast {

enum class AlertLevel { kGreen, kAmber, kRed };
/// "green", "amber", "red".
std::string level_name(AlertLevel l);

struct AlertRules {
  double red_p25 = 0.5;           ///< red when P(>= 25 fatalities in M) >= this
  double amber_p10 = 0.3;         ///< amber when P(>= 10 fatalities in M) >= this
  double amber_p25 = 0.2;         ///< amber when P(>= 25 fatalities in M) >= this
  int recent_months = 3;          ///< escalation: mean of the last this many months (M-3..M-1)
  int baseline_months = 24;       ///< ... against the mean of the this many months before them
  double escalation_amber = 2.0;  ///< amber when (recent+1)/(baseline+1) >= this ...
  double escalation_red = 4.0;    ///< red when the ratio >= this ...
  double min_recent = 5.0;        ///< ... and the recent mean is at least this many fatalities a month
};

struct AreaAlert {
  std::size_t area = 0;  ///< index in the panel
  AlertLevel level = AlertLevel::kGreen;
  double expected = 0, p_ge_1 = 0, p_ge_10 = 0, p_ge_25 = 0;  ///< forecast for M
  double recent_mean = 0, baseline_mean = 0, escalation = 1;  ///< observed, fatalities/month
  std::vector<std::string> reasons;  ///< in words; one line per rule that fired (or why green)
};

/// Alerts for month forecast.first_month from `history` (fatalities, ending
/// at M-1) and a fatalities forecast issued from it. Error(kUsage) when the
/// forecast does not start right after history or has another area count.
std::vector<AreaAlert> compute_alerts(const Panel& history, const Forecast& fatalities, const AlertRules& rules);

/// A site that can respond.
struct Responder {
  std::string id;  ///< site key
  std::string name;
  LatLon where;
  std::int64_t troops = 0;
  std::int64_t police = 0;
  bool has_air = false;  ///< helicopters at the site
};

struct ResponseCover {
  std::vector<std::size_t> in_reach;  ///< responder indices with hours <= limit, fastest first
  std::optional<std::size_t> nearest;  ///< fastest responder overall (any distance)
  double nearest_hours = 0;
  bool gap = false;  ///< amber/red with nobody in reach
};

/// For each area (centroid), the responders within `response_hours`
/// (geo::response_hours: road, or air where the site has helicopters).
/// `alerts` (same order as areas, or empty) sets the gap flags.
std::vector<ResponseCover> response_cover(const std::vector<PanelArea>& areas, const std::vector<Responder>& responders,
                                          const geo::ReachParams& reach, double response_hours,
                                          const std::vector<AreaAlert>& alerts);

}  // namespace endstate::forecast
