#pragma once
// Early warning and early response. An area's alert level for month M comes
// from (a) the forecast probabilities of exceeding fatality thresholds in M
// (forecast issued from the panel ending at M-1) and (b) observed escalation:
// the mean monthly fatalities of the recent months against the area's own
// baseline of the months before them, in the spirit of the ViEWS
// early-warning design (Hegre et al. 2019, JPR 56(2)). Early response: which
// sites can reach the area's centroid within a response time (geo/reach.hpp).
// Every threshold is a parameter (docs/forecast.md). The forecast thresholds
// can be set from a backtest of the same rules on the months before M at the
// same level (calibrate_alerts): the threshold on P(>= 25) that maximises
// F1 (the harmonic mean of precision and recall) for "25 or more
// fatalities", the threshold on P(>= 10) likewise for "10 or more"; each
// alert then carries the backtested precision and recall of its rules.

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

/// Backtested skill of one alert rule: of the area-months it flagged, how
/// many reached its outcome (precision), and of the area-months that reached
/// the outcome, how many it flagged (recall).
struct RuleSkill {
  std::string rule;     ///< e.g. "P(>=25) >= t", "escalation >= 4x"
  std::string outcome;  ///< e.g. ">= 25 fatalities"
  double threshold = 0;
  std::size_t alerts = 0, events = 0, hits = 0;  ///< flagged, reached the outcome, both
  double precision = 0, recall = 0;              ///< 0 when there is nothing to divide by
  bool calibrated = false;  ///< forecast rules: the threshold came from the backtest (else the default was kept)
};

/// Backtest of the alert rules over months `from`..`to` at one level: a
/// horizon-1 forecast for every area and month from the months before it.
struct AlertCalibration {
  Month from, to;
  std::size_t area_months = 0;
  RuleSkill red_p25;                          ///< P(>= 25) against >= 25 fatalities
  RuleSkill amber_p10;                        ///< P(>= 10) against >= 10 fatalities
  RuleSkill escalation_red;                   ///< escalation ratio >= escalation_red against >= 25
  RuleSkill escalation_amber;                 ///< escalation ratio >= escalation_amber against >= 10
  RuleSkill red_level;                        ///< red alerts (any red rule) against >= 25
  RuleSkill alert_level;                      ///< amber or red against >= 10
  std::size_t alerts_by_forecast = 0;         ///< amber/red with a forecast rule among the reasons
  std::size_t alerts_by_escalation_only = 0;  ///< amber/red from escalation alone
};

struct AlertCalibrationOptions {
  int months = 36;  ///< backtest months before M (fewer when the history is shorter)
  std::string model = "best";
  int samples = 500;
  std::uint64_t seed = 1;
  int threads = 0;
  NbParams nb;
  HurdleParams hurdle;
  /// false: keep the given thresholds (backtest_alerts then measures the
  /// fixed rules, for comparison).
  bool calibrate = true;
};

struct AreaAlert {
  std::size_t area = 0;  ///< index in the panel
  AlertLevel level = AlertLevel::kGreen;
  /// Backtested precision and recall of the alert level (red against
  /// >= 25 fatalities, amber or red against >= 10) when the rules were
  /// calibrated; -1 otherwise.
  double precision = -1, recall = -1;
  double expected = 0, p_ge_1 = 0, p_ge_10 = 0, p_ge_25 = 0;  ///< forecast for M
  double recent_mean = 0, baseline_mean = 0, escalation = 1;  ///< observed, fatalities/month
  std::vector<std::string> reasons;                           ///< in words; one line per rule that fired (or why green)
};

/// Alerts for month forecast.first_month from `history` (fatalities, ending
/// at M-1) and a fatalities forecast issued from it. Error(kUsage) when the
/// forecast does not start right after history or has another area count.
/// With `skill` (from calibrate_alerts on the same history), each reason
/// carries the rule's backtested precision and recall.
std::vector<AreaAlert> compute_alerts(const Panel& history, const Forecast& fatalities, const AlertRules& rules,
                                      const AlertCalibration* skill = nullptr);

/// Sets red_p25 and amber_p10 from a backtest of the last `opt.months` months
/// of `history` (each month forecast from the months before it, horizon 1,
/// model opt.model): the threshold maximising F1 for >= 25 (red) and >= 10
/// (amber) fatalities; amber_p25 becomes red_p25 (P(>= 25) alone then means
/// red). A rule whose outcome never occurred in the window keeps its
/// threshold (calibrated = false). Also reports the escalation rules' skill.
/// Thresholds and skill are in-sample for the window (the forecasts are
/// not). Error(kBadInput) when the history is too short for one month.
AlertCalibration calibrate_alerts(const Panel& history, const AlertRules& rules, const AlertCalibrationOptions& opt,
                                  AlertRules& calibrated);

/// Out-of-sample test of the calibrated alerts: for every month M in
/// from..to, thresholds from the `opt.months` months before M only, then the
/// alerts for M against what happened in M. Skill fields as in
/// AlertCalibration (thresholds: the last month's).
AlertCalibration backtest_alerts(const Panel& panel, Month from, Month to, const AlertRules& rules,
                                 const AlertCalibrationOptions& opt);

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
  std::vector<std::size_t> in_reach;   ///< responder indices with hours <= limit, fastest first
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
