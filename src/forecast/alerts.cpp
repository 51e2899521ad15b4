// Alert rules and response cover; see alerts.hpp.
#include "endstate/forecast/alerts.hpp"

#include <algorithm>
#include <cstdio>

#include "endstate/core/error.hpp"
#include "endstate/forecast/scoring.hpp"

namespace endstate::forecast {

std::string level_name(AlertLevel l) {
  switch (l) {
    case AlertLevel::kGreen: return "green";
    case AlertLevel::kAmber: return "amber";
    case AlertLevel::kRed: return "red";
  }
  return "green";
}

namespace {
std::string num(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}
}  // namespace

std::vector<AreaAlert> compute_alerts(const Panel& history, const Forecast& fc, const AlertRules& rules) {
  if (fc.target != Target::kFatalities) throw usage_error("alerts need a forecast of fatalities");
  if (fc.areas != history.area_count()) throw usage_error("alerts: forecast and history have different areas");
  if (fc.first_month != history.last().plus(1)) {
    throw usage_error("alerts: the forecast starts " + fc.first_month.str() + ", not right after the history (" +
                      history.last().str() + ")");
  }
  if (fc.horizon < 1 || fc.samples < 1) throw usage_error("alerts: empty forecast");
  if (rules.recent_months < 1 || rules.baseline_months < 1) throw usage_error("alerts: recent and baseline months must be >= 1");
  const std::vector<double> y = target_series(history, Target::kFatalities);
  const std::size_t T = history.month_count();
  const std::string m = fc.first_month.str();
  std::vector<AreaAlert> out;
  out.reserve(fc.areas);
  for (std::size_t a = 0; a < fc.areas; ++a) {
    AreaAlert al;
    al.area = a;
    const DrawSummary s = summarize(&fc.draws[a * fc.horizon * fc.samples], fc.samples);
    al.expected = s.mean;
    al.p_ge_1 = s.p_ge_1;
    al.p_ge_10 = s.p_ge_10;
    al.p_ge_25 = s.p_ge_25;
    // Observed escalation: recent window ending at M-1 against the window before it.
    const std::size_t rw = std::min<std::size_t>(static_cast<std::size_t>(rules.recent_months), T);
    const std::size_t bw = std::min<std::size_t>(static_cast<std::size_t>(rules.baseline_months), T - rw);
    double rsum = 0, bsum = 0;
    for (std::size_t t = T - rw; t < T; ++t) rsum += y[a * T + t];
    for (std::size_t t = T - rw - bw; t < T - rw; ++t) bsum += y[a * T + t];
    al.recent_mean = rw > 0 ? rsum / static_cast<double>(rw) : 0;
    al.baseline_mean = bw > 0 ? bsum / static_cast<double>(bw) : 0;
    al.escalation = (al.recent_mean + 1) / (al.baseline_mean + 1);
    const bool enough = al.recent_mean >= rules.min_recent && bw > 0;
    const std::string esc = "fatalities in the last " + std::to_string(rw) + " months averaged " +
                            num(al.recent_mean, 1) + "/month, " + num(al.escalation, 1) + "x the baseline of " +
                            num(al.baseline_mean, 1) + "/month over the " + std::to_string(bw) + " months before";
    bool red = false, amber = false;
    if (al.p_ge_25 >= rules.red_p25) {
      red = true;
      al.reasons.push_back("forecast: P(>=25 fatalities in " + m + ") = " + num(al.p_ge_25, 2) + " >= " + num(rules.red_p25, 2));
    }
    if (enough && al.escalation >= rules.escalation_red) {
      red = true;
      al.reasons.push_back("escalation: " + esc + " (>= " + num(rules.escalation_red, 1) + "x)");
    }
    if (!red) {
      if (al.p_ge_25 >= rules.amber_p25) {
        amber = true;
        al.reasons.push_back("forecast: P(>=25 fatalities in " + m + ") = " + num(al.p_ge_25, 2) + " >= " + num(rules.amber_p25, 2));
      }
      if (al.p_ge_10 >= rules.amber_p10) {
        amber = true;
        al.reasons.push_back("forecast: P(>=10 fatalities in " + m + ") = " + num(al.p_ge_10, 2) + " >= " + num(rules.amber_p10, 2));
      }
      if (enough && al.escalation >= rules.escalation_amber) {
        amber = true;
        al.reasons.push_back("escalation: " + esc + " (>= " + num(rules.escalation_amber, 1) + "x)");
      }
    }
    al.level = red ? AlertLevel::kRed : amber ? AlertLevel::kAmber : AlertLevel::kGreen;
    if (al.level == AlertLevel::kGreen) {
      al.reasons.push_back("no rule fired: P(>=10 in " + m + ") = " + num(al.p_ge_10, 2) + ", P(>=25) = " +
                           num(al.p_ge_25, 2) + "; " + esc);
    }
    out.push_back(std::move(al));
  }
  return out;
}

std::vector<ResponseCover> response_cover(const std::vector<PanelArea>& areas, const std::vector<Responder>& responders,
                                          const geo::ReachParams& reach, double response_hours,
                                          const std::vector<AreaAlert>& alerts) {
  if (!alerts.empty() && alerts.size() != areas.size()) throw usage_error("response_cover: one alert per area expected");
  std::vector<ResponseCover> out(areas.size());
  std::vector<std::pair<double, std::size_t>> hrs;
  for (std::size_t a = 0; a < areas.size(); ++a) {
    hrs.clear();
    for (std::size_t r = 0; r < responders.size(); ++r) {
      hrs.emplace_back(geo::response_hours(responders[r].where, areas[a].centroid, responders[r].has_air, reach), r);
    }
    std::sort(hrs.begin(), hrs.end());
    auto& c = out[a];
    if (!hrs.empty()) {
      c.nearest = hrs.front().second;
      c.nearest_hours = hrs.front().first;
    }
    for (const auto& [h, r] : hrs) {
      if (h <= response_hours) c.in_reach.push_back(r);
    }
    c.gap = !alerts.empty() && alerts[a].level != AlertLevel::kGreen && c.in_reach.empty();
  }
  return out;
}

}  // namespace endstate::forecast
