// Alert rules and response cover; see alerts.hpp.
#include "endstate/forecast/alerts.hpp"

#include <algorithm>
#include <cstdio>
#include <optional>
#include <utility>

#include "endstate/core/error.hpp"
#include "endstate/forecast/scoring.hpp"
#include "forecast/detail/engine.hpp"

namespace endstate::forecast {

std::string level_name(AlertLevel l) {
  switch (l) {
    case AlertLevel::kGreen:
      return "green";
    case AlertLevel::kAmber:
      return "amber";
    case AlertLevel::kRed:
      return "red";
  }
  return "green";
}

namespace {

std::string num(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

/// Observed escalation of area a over the months before t_end of y ([a][t], T months per area).
struct Escalation {
  double recent = 0, baseline = 0, ratio = 1;
  std::size_t rw = 0, bw = 0;
  bool enough = false;  ///< the recent mean is at least min_recent and there is a baseline
};

Escalation escalation_at(const std::vector<double>& y, std::size_t T, std::size_t a, std::size_t t_end,
                         const AlertRules& rules) {
  Escalation e;
  e.rw = std::min<std::size_t>(static_cast<std::size_t>(rules.recent_months), t_end);
  e.bw = std::min<std::size_t>(static_cast<std::size_t>(rules.baseline_months), t_end - e.rw);
  double rsum = 0, bsum = 0;
  for (std::size_t t = t_end - e.rw; t < t_end; ++t) rsum += y[a * T + t];
  for (std::size_t t = t_end - e.rw - e.bw; t < t_end - e.rw; ++t) bsum += y[a * T + t];
  e.recent = e.rw > 0 ? rsum / static_cast<double>(e.rw) : 0;
  e.baseline = e.bw > 0 ? bsum / static_cast<double>(e.bw) : 0;
  e.ratio = (e.recent + 1) / (e.baseline + 1);
  e.enough = e.recent >= rules.min_recent && e.bw > 0;
  return e;
}

/// Which rules fire for one area-month (the logic of compute_alerts).
struct Fired {
  bool red_p25 = false, amber_p25 = false, amber_p10 = false, esc_red = false, esc_amber = false;
  [[nodiscard]] bool red() const { return red_p25 || esc_red; }
  [[nodiscard]] bool amber() const { return !red() && (amber_p25 || amber_p10 || esc_amber); }
  [[nodiscard]] bool by_forecast() const { return red_p25 || (!red() && (amber_p25 || amber_p10)); }
};

Fired fire(double p10, double p25, const Escalation& e, const AlertRules& rules) {
  Fired f;
  f.red_p25 = p25 >= rules.red_p25;
  f.esc_red = e.enough && e.ratio >= rules.escalation_red;
  f.amber_p25 = p25 >= rules.amber_p25;
  f.amber_p10 = p10 >= rules.amber_p10;
  f.esc_amber = e.enough && e.ratio >= rules.escalation_amber;
  return f;
}

/// One area-month of an alert backtest: the horizon-1 forecast's P(>= 10),
/// P(>= 25), what happened, and the escalation observed before it.
struct Case {
  double p10 = 0, p25 = 0, y = 0;
  Escalation e;
};

/// cases[o][a] for the months t_end = first .. first + count - 1 of the panel.
std::vector<std::vector<Case>> alert_cases(const Panel& panel, std::size_t first, std::size_t count,
                                           const AlertRules& rules, const AlertCalibrationOptions& opt) {
  const detail::Series s = detail::series_of(panel, Target::kFatalities);
  const std::size_t A = s.areas, T = s.months, S = static_cast<std::size_t>(opt.samples);
  std::vector<std::vector<Case>> cases(count, std::vector<Case>(A));
  detail::OriginsSpec spec;
  spec.models = {detail::model_id(resolve_model(opt.model))};
  spec.first_t_end = first;
  spec.origins = count;
  spec.first_origin_month = panel.month(first).index();
  spec.horizon = 1;
  spec.samples = S;
  spec.seed = opt.seed;
  spec.threads = opt.threads;
  spec.nb = opt.nb;
  spec.hurdle = opt.hurdle;
  detail::run_origins(s, panel.areas(), spec,
                      [&](std::size_t o, std::size_t, std::size_t a, std::size_t, const float* sorted) {
                        Case& c = cases[o][a];
                        c.p10 = share_at_least_sorted(sorted, S, 10);
                        c.p25 = share_at_least_sorted(sorted, S, 25);
                        c.y = s.at(a, first + o);
                        c.e = escalation_at(s.y, T, a, first + o, rules);
                      });
  return cases;
}

void count(RuleSkill& r, bool flagged, bool event) {
  r.alerts += flagged ? 1 : 0;
  r.events += event ? 1 : 0;
  r.hits += flagged && event ? 1 : 0;
}

void finish(RuleSkill& r) {
  r.precision = r.alerts > 0 ? static_cast<double>(r.hits) / static_cast<double>(r.alerts) : 0;
  r.recall = r.events > 0 ? static_cast<double>(r.hits) / static_cast<double>(r.events) : 0;
}

/// The threshold on p maximising F1 = 2 hits / (alerts + events) for
/// `event`; ties go to the higher threshold; nullopt when no event or no p > 0.
std::optional<double> best_threshold(const std::vector<std::pair<double, bool>>& cases) {
  std::vector<std::pair<double, bool>> v;
  std::size_t events = 0;
  for (const auto& c : cases) {
    events += c.second ? 1 : 0;
    if (c.first > 0) v.push_back(c);
  }
  if (events == 0 || v.empty()) return std::nullopt;
  std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  double best_f = -1, best_t = v.front().first;
  std::size_t alerts = 0, hits = 0;
  for (std::size_t i = 0; i < v.size(); ++i) {
    ++alerts;
    hits += v[i].second ? 1 : 0;
    if (i + 1 < v.size() && v[i + 1].first == v[i].first) continue;  // all cases at this p together
    const double f = 2.0 * static_cast<double>(hits) / static_cast<double>(alerts + events);
    if (f > best_f) {
      best_f = f;
      best_t = v[i].first;
    }
  }
  return best_t;
}

/// Thresholds from the cases of months [lo, hi) (indices into cases).
AlertRules calibrate_on(const std::vector<std::vector<Case>>& cases, std::size_t lo, std::size_t hi,
                        const AlertRules& rules, bool calibrate, bool& red_ok, bool& amber_ok) {
  std::vector<std::pair<double, bool>> c25, c10;
  for (std::size_t o = lo; o < hi; ++o) {
    for (const Case& c : cases[o]) {
      c25.emplace_back(c.p25, c.y >= 25);
      c10.emplace_back(c.p10, c.y >= 10);
    }
  }
  AlertRules r = rules;
  if (!calibrate) {
    red_ok = amber_ok = false;
    return r;
  }
  const auto t25 = best_threshold(c25), t10 = best_threshold(c10);
  red_ok = t25.has_value();
  amber_ok = t10.has_value();
  if (t25) r.red_p25 = *t25;
  if (t10) r.amber_p10 = *t10;
  r.amber_p25 = r.red_p25;
  return r;
}

void label(AlertCalibration& c, const AlertRules& r) {
  c.red_p25.rule = "P(>=25) >= " + num(r.red_p25, 3);
  c.red_p25.outcome = ">= 25 fatalities";
  c.red_p25.threshold = r.red_p25;
  c.amber_p10.rule = "P(>=10) >= " + num(r.amber_p10, 3);
  c.amber_p10.outcome = ">= 10 fatalities";
  c.amber_p10.threshold = r.amber_p10;
  c.escalation_red.rule = "escalation >= " + num(r.escalation_red, 1) + "x";
  c.escalation_red.outcome = ">= 25 fatalities";
  c.escalation_red.threshold = r.escalation_red;
  c.escalation_amber.rule = "escalation >= " + num(r.escalation_amber, 1) + "x";
  c.escalation_amber.outcome = ">= 10 fatalities";
  c.escalation_amber.threshold = r.escalation_amber;
  c.red_level.rule = "red";
  c.red_level.outcome = ">= 25 fatalities";
  c.alert_level.rule = "amber or red";
  c.alert_level.outcome = ">= 10 fatalities";
}

void score(AlertCalibration& c, const std::vector<Case>& month, const AlertRules& r) {
  for (const Case& k : month) {
    const Fired f = fire(k.p10, k.p25, k.e, r);
    const bool e25 = k.y >= 25, e10 = k.y >= 10;
    count(c.red_p25, f.red_p25, e25);
    count(c.amber_p10, f.amber_p10, e10);
    count(c.escalation_red, f.esc_red, e25);
    count(c.escalation_amber, f.esc_amber, e10);
    count(c.red_level, f.red(), e25);
    count(c.alert_level, f.red() || f.amber(), e10);
    if (f.red() || f.amber()) {
      if (f.by_forecast()) {
        ++c.alerts_by_forecast;
      } else {
        ++c.alerts_by_escalation_only;
      }
    }
    ++c.area_months;
  }
}

void finish_all(AlertCalibration& c) {
  for (RuleSkill* r :
       {&c.red_p25, &c.amber_p10, &c.escalation_red, &c.escalation_amber, &c.red_level, &c.alert_level}) {
    finish(*r);
  }
}

std::size_t first_case_month(const AlertCalibrationOptions& opt) {
  return detail::min_history(detail::model_id(resolve_model(opt.model)), 1);
}

void check(const AlertCalibrationOptions& opt) {
  if (opt.months < 1) throw usage_error("alert calibration: --calibration-months must be >= 1");
  if (opt.samples < 1 || opt.samples > 100000) throw usage_error("alert calibration: --samples must be 1..100000");
  if (opt.threads < 0) throw usage_error("alert calibration: --threads must be >= 0");
}

}  // namespace

AlertCalibration calibrate_alerts(const Panel& history, const AlertRules& rules, const AlertCalibrationOptions& opt,
                                  AlertRules& calibrated) {
  check(opt);
  const std::size_t T = history.month_count(), need = first_case_month(opt);
  if (T < need + 1) {
    throw bad_input("alert calibration: the history " + history.first().str() + ".." + history.last().str() + " has " +
                    std::to_string(T) + " months; a backtest of one month needs " + std::to_string(need + 1));
  }
  const std::size_t first = std::max(need, T - std::min<std::size_t>(T, static_cast<std::size_t>(opt.months)));
  const auto cases = alert_cases(history, first, T - first, rules, opt);
  AlertCalibration c;
  c.from = history.month(first);
  c.to = history.month(T - 1);
  bool red_ok = false, amber_ok = false;
  calibrated = calibrate_on(cases, 0, cases.size(), rules, opt.calibrate, red_ok, amber_ok);
  label(c, calibrated);
  c.red_p25.calibrated = red_ok;
  c.amber_p10.calibrated = amber_ok;
  for (const auto& month : cases) score(c, month, calibrated);
  finish_all(c);
  return c;
}

AlertCalibration backtest_alerts(const Panel& panel, Month from, Month to, const AlertRules& rules,
                                 const AlertCalibrationOptions& opt) {
  check(opt);
  if (to < from) throw usage_error("alert backtest: --to " + to.str() + " is before --from " + from.str());
  const auto fi = panel.month_index(from), ti = panel.month_index(to);
  if (!fi || !ti) {
    throw bad_input("alert backtest: " + from.str() + ".." + to.str() + " is not inside the data " +
                    panel.first().str() + ".." + panel.last().str());
  }
  const std::size_t need = first_case_month(opt);
  if (*fi < need + 1) {
    throw bad_input("alert backtest: the first month " + from.str() + " leaves no month to calibrate on; use " +
                    panel.month(need + 1).str() + " or later");
  }
  const std::size_t months = static_cast<std::size_t>(opt.months);
  const std::size_t first = std::max(need, *fi >= months ? *fi - months : 0);
  const auto cases = alert_cases(panel, first, *ti + 1 - first, rules, opt);
  AlertCalibration c;
  c.from = from;
  c.to = to;
  AlertRules r = rules;
  bool red_ok = false, amber_ok = false;
  for (std::size_t m = *fi; m <= *ti; ++m) {
    const std::size_t hi = m - first, lo = hi >= months ? hi - months : 0;
    r = calibrate_on(cases, lo, hi, rules, opt.calibrate, red_ok, amber_ok);
    score(c, cases[hi], r);
  }
  label(c, r);
  c.red_p25.calibrated = red_ok;
  c.amber_p10.calibrated = amber_ok;
  finish_all(c);
  return c;
}

std::vector<AreaAlert> compute_alerts(const Panel& history, const Forecast& fc, const AlertRules& rules,
                                      const AlertCalibration* skill) {
  if (fc.target != Target::kFatalities) throw usage_error("alerts need a forecast of fatalities");
  if (fc.areas != history.area_count()) throw usage_error("alerts: forecast and history have different areas");
  if (fc.first_month != history.last().plus(1)) {
    throw usage_error("alerts: the forecast starts " + fc.first_month.str() + ", not right after the history (" +
                      history.last().str() + ")");
  }
  if (fc.horizon < 1 || fc.samples < 1) throw usage_error("alerts: empty forecast");
  if (rules.recent_months < 1 || rules.baseline_months < 1) {
    throw usage_error("alerts: recent and baseline months must be >= 1");
  }
  const std::vector<double> y = target_series(history, Target::kFatalities);
  const std::size_t T = history.month_count();
  const std::string m = fc.first_month.str();
  const auto backtested = [&](const RuleSkill& r) {
    if (skill == nullptr) return std::string();
    return " (backtest " + skill->from.str() + ".." + skill->to.str() + ": precision " + num(r.precision, 2) +
           ", recall " + num(r.recall, 2) + " for " + r.outcome + ", " + std::to_string(r.hits) + " of " +
           std::to_string(r.alerts) + " alerts, " + std::to_string(r.events) + " area-months" +
           (r.calibrated || r.rule.rfind("escalation", 0) == 0 ? "" : "; threshold not calibrated: no such month") +
           ")";
  };
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
    const Escalation e = escalation_at(y, T, a, T, rules);
    al.recent_mean = e.recent;
    al.baseline_mean = e.baseline;
    al.escalation = e.ratio;
    const std::string esc = "fatalities in the last " + std::to_string(e.rw) + " months averaged " + num(e.recent, 1) +
                            "/month, " + num(e.ratio, 1) + "x the baseline of " + num(e.baseline, 1) +
                            "/month over the " + std::to_string(e.bw) + " months before";
    const Fired f = fire(al.p_ge_10, al.p_ge_25, e, rules);
    if (f.red_p25) {
      al.reasons.push_back("forecast: P(>=25 fatalities in " + m + ") = " + num(al.p_ge_25, 2) +
                           " >= " + num(rules.red_p25, 2) + (skill ? backtested(skill->red_p25) : ""));
    }
    if (f.esc_red) {
      al.reasons.push_back("escalation: " + esc + " (>= " + num(rules.escalation_red, 1) + "x)" +
                           (skill ? backtested(skill->escalation_red) : ""));
    }
    if (!f.red()) {
      if (f.amber_p25) {
        al.reasons.push_back("forecast: P(>=25 fatalities in " + m + ") = " + num(al.p_ge_25, 2) +
                             " >= " + num(rules.amber_p25, 2));
      }
      if (f.amber_p10) {
        al.reasons.push_back("forecast: P(>=10 fatalities in " + m + ") = " + num(al.p_ge_10, 2) +
                             " >= " + num(rules.amber_p10, 2) + (skill ? backtested(skill->amber_p10) : ""));
      }
      if (f.esc_amber) {
        al.reasons.push_back("escalation: " + esc + " (>= " + num(rules.escalation_amber, 1) + "x)" +
                             (skill ? backtested(skill->escalation_amber) : ""));
      }
    }
    al.level = f.red() ? AlertLevel::kRed : f.amber() ? AlertLevel::kAmber : AlertLevel::kGreen;
    if (skill != nullptr && al.level != AlertLevel::kGreen) {
      const RuleSkill& lv = al.level == AlertLevel::kRed ? skill->red_level : skill->alert_level;
      al.precision = lv.precision;
      al.recall = lv.recall;
    }
    if (al.level == AlertLevel::kGreen) {
      al.reasons.push_back("no rule fired: P(>=10 in " + m + ") = " + num(al.p_ge_10, 2) +
                           ", P(>=25) = " + num(al.p_ge_25, 2) + "; " + esc);
    }
    out.push_back(std::move(al));
  }
  return out;
}

std::vector<ResponseCover> response_cover(const std::vector<PanelArea>& areas, const std::vector<Responder>& responders,
                                          const geo::ReachParams& reach, double response_hours,
                                          const std::vector<AreaAlert>& alerts) {
  if (!alerts.empty() && alerts.size() != areas.size())
    throw usage_error("response_cover: one alert per area expected");
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
