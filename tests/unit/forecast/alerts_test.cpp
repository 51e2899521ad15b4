#include <vector>

#include <gtest/gtest.h>

#include "endstate/core/error.hpp"
#include "endstate/forecast/alerts.hpp"
#include "endstate/forecast/forecast.hpp"

namespace endstate::forecast {
namespace {

constexpr auto kState = static_cast<std::size_t>(ViolenceType::kStateBased);

Month ym(int y, int m) { return *Month::from_ym(y, m); }

// Three areas over 2020-01..2022-03 (27 months): quiet, escalating, chronic.
Panel history() {
  std::vector<PanelArea> pa{{"q", "Quiet", std::nullopt, {0.0, 20.0}, 1},
                            {"e", "Escalating", std::nullopt, {1.0, 20.0}, 1},
                            {"c", "Chronic", std::nullopt, {2.0, 20.0}, 1}};
  Panel p(pa, ym(2020, 1), ym(2022, 3));
  for (std::size_t t = 0; t < 27; ++t) {
    p.at(1, t).fatalities[kState] = t >= 24 ? 20 : 2;  // recent 20/month vs baseline 2
    p.at(2, t).fatalities[kState] = 15;
  }
  return p;
}

Forecast forecast_with(const std::vector<std::vector<float>>& per_area) {
  Forecast f;
  f.first_month = ym(2022, 4);
  f.areas = per_area.size();
  f.horizon = 1;
  f.samples = per_area[0].size();
  for (const auto& d : per_area) f.draws.insert(f.draws.end(), d.begin(), d.end());
  return f;
}

TEST(Alerts, LevelsFromProbabilitiesAndEscalation) {
  const Panel h = history();
  // quiet: all 0; escalating: P(>=25) = 0.25, P(>=10) = 0.5; chronic: P(>=25) = 0.75
  const Forecast f = forecast_with({{0, 0, 0, 0}, {0, 5, 12, 30}, {10, 30, 30, 40}});
  const auto al = compute_alerts(h, f, AlertRules{});
  ASSERT_EQ(al.size(), 3u);
  EXPECT_EQ(al[0].level, AlertLevel::kGreen);
  EXPECT_EQ(al[0].reasons.size(), 1u);
  EXPECT_NE(al[0].reasons[0].find("no rule fired"), std::string::npos);
  // escalating: recent mean 20 vs baseline 2: ratio 21/3 = 7 >= 4 -> red
  EXPECT_DOUBLE_EQ(al[1].recent_mean, 20.0);
  EXPECT_DOUBLE_EQ(al[1].baseline_mean, 2.0);
  EXPECT_DOUBLE_EQ(al[1].escalation, 7.0);
  EXPECT_EQ(al[1].level, AlertLevel::kRed);
  EXPECT_NE(al[1].reasons[0].find("escalation"), std::string::npos);
  // chronic: no escalation (ratio 1) but P(>=25) = 0.75 >= 0.5 -> red by forecast
  EXPECT_DOUBLE_EQ(al[2].escalation, 1.0);
  EXPECT_EQ(al[2].level, AlertLevel::kRed);
  EXPECT_NE(al[2].reasons[0].find("P(>=25 fatalities in 2022-04) = 0.75"), std::string::npos);
  EXPECT_EQ(level_name(al[2].level), "red");
}

TEST(Alerts, ThresholdsAreConfigurable) {
  const Panel h = history();
  const Forecast f = forecast_with({{0, 0, 0, 0}, {0, 5, 12, 30}, {10, 30, 30, 40}});
  AlertRules r;
  r.escalation_red = 10;  // escalation 7x is now only amber
  r.red_p25 = 0.9;        // chronic P(>=25)=0.75 is now amber (>= amber_p25)
  const auto al = compute_alerts(h, f, r);
  EXPECT_EQ(al[1].level, AlertLevel::kAmber);
  EXPECT_EQ(al[2].level, AlertLevel::kAmber);
  EXPECT_GE(al[1].reasons.size(), 2u);  // P(>=25) 0.25 >= 0.2, P(>=10) 0.5 >= 0.3, escalation
  r.min_recent = 50;                    // escalation no longer counts
  r.amber_p10 = 0.9;
  r.amber_p25 = 0.9;
  EXPECT_EQ(compute_alerts(h, f, r)[1].level, AlertLevel::kGreen);
}

// Four areas over 2018-01..2021-12: conflict (40/month from month 30 on),
// quiet, chronic (12/month), low noise (1-3).
Panel calibration_panel() {
  std::vector<PanelArea> pa{{"w", "War", std::nullopt, {0.0, 20.0}, 1},
                            {"q", "Quiet", std::nullopt, {0.0, 30.0}, 1},
                            {"c", "Chronic", std::nullopt, {0.0, 40.0}, 1},
                            {"n", "Noise", std::nullopt, {0.0, 50.0}, 1}};
  Panel p(pa, ym(2018, 1), ym(2021, 12));
  for (std::size_t t = 0; t < 48; ++t) {
    p.at(0, t).fatalities[kState] = t >= 30 ? 40 : 0;
    p.at(2, t).fatalities[kState] = 12;
    p.at(3, t).fatalities[kState] = 1 + static_cast<std::int64_t>(t % 3);
  }
  return p;
}

TEST(AlertCalibration, ThresholdsFromBacktestedPrecisionAndRecall) {
  const Panel p = calibration_panel();
  AlertCalibrationOptions o;
  o.model = "last";  // Poisson with last month's count as mean: P(>=25 | 40) ~ 1, P(>=25 | 12) ~ 0
  o.months = 12;
  o.samples = 400;
  AlertRules cal;
  const AlertCalibration c = calibrate_alerts(p, AlertRules{}, o, cal);
  EXPECT_EQ(c.from, ym(2021, 1));
  EXPECT_EQ(c.to, ym(2021, 12));
  EXPECT_EQ(c.area_months, 4u * 12u);
  // >= 25: the war area every month; the threshold separates it from the rest.
  EXPECT_TRUE(c.red_p25.calibrated);
  EXPECT_EQ(c.red_p25.events, 12u);
  EXPECT_EQ(c.red_p25.hits, 12u);
  EXPECT_DOUBLE_EQ(c.red_p25.precision, 1.0);
  EXPECT_DOUBLE_EQ(c.red_p25.recall, 1.0);
  EXPECT_GT(cal.red_p25, 0.5);
  EXPECT_DOUBLE_EQ(cal.amber_p25, cal.red_p25);
  // >= 10: war and chronic; P(>=10 | Poisson(12)) ~ 0.76 is enough.
  EXPECT_EQ(c.amber_p10.events, 24u);
  EXPECT_DOUBLE_EQ(c.amber_p10.recall, 1.0);
  EXPECT_DOUBLE_EQ(c.amber_p10.precision, 1.0);
  EXPECT_LT(cal.amber_p10, 0.8);
  EXPECT_DOUBLE_EQ(c.alert_level.recall, 1.0);
  EXPECT_EQ(c.alerts_by_forecast, 24u);
  // In 2021 the war is 6+ months old (no escalation against its own
  // baseline of war months... the forecast fires first anyway): every alert
  // has a forecast rule among its reasons.
  EXPECT_EQ(c.alerts_by_escalation_only, 0u);

  // Alerts for 2022-01 with the calibrated rules carry the backtested skill.
  ForecastOptions fo;
  fo.model = "last";
  fo.horizon = 1;
  fo.samples = 400;
  const Forecast f = run_forecast(p, Target::kFatalities, fo);
  const auto al = compute_alerts(p, f, cal, &c);
  EXPECT_EQ(al[0].level, AlertLevel::kRed);
  EXPECT_EQ(al[1].level, AlertLevel::kGreen);
  EXPECT_EQ(al[2].level, AlertLevel::kAmber);
  EXPECT_DOUBLE_EQ(al[2].precision, 1.0);
  EXPECT_DOUBLE_EQ(al[2].recall, 1.0);
  EXPECT_DOUBLE_EQ(al[1].precision, -1.0);
  bool found = false;
  for (const auto& r : al[2].reasons) {
    found = found ||
            r.find("backtest 2021-01..2021-12: precision 1.00, recall 1.00 for >= 10 fatalities") != std::string::npos;
  }
  EXPECT_TRUE(found) << al[2].reasons[0];
  // Without calibration a strict P(>=10) threshold misses the chronic area,
  // and no skill is attached.
  AlertRules strict;
  strict.amber_p10 = 0.9;
  const auto plain = compute_alerts(p, f, strict);
  EXPECT_EQ(plain[2].level, AlertLevel::kGreen);
  EXPECT_DOUBLE_EQ(plain[2].precision, -1.0);
}

TEST(AlertCalibration, KeepsThresholdsWithoutOutcomesAndRejectsShortHistory) {
  std::vector<PanelArea> pa{{"q", "Quiet", std::nullopt, {0.0, 20.0}, 1}, {"r", "Rare", std::nullopt, {0.0, 21.0}, 1}};
  Panel p(pa, ym(2018, 1), ym(2020, 12));
  p.at(1, 5).fatalities[kState] = 3;  // never 10 or more
  AlertCalibrationOptions o;
  o.model = "conflictology";
  o.months = 12;
  o.samples = 100;
  AlertRules cal;
  const AlertRules base;
  const AlertCalibration c = calibrate_alerts(p, base, o, cal);
  EXPECT_FALSE(c.red_p25.calibrated);
  EXPECT_FALSE(c.amber_p10.calibrated);
  EXPECT_DOUBLE_EQ(cal.red_p25, base.red_p25);
  EXPECT_DOUBLE_EQ(cal.amber_p10, base.amber_p10);
  EXPECT_EQ(c.red_level.events, 0u);
  Panel short_panel(pa, ym(2018, 1), ym(2018, 1));
  EXPECT_THROW((void)calibrate_alerts(short_panel, base, o, cal), Error);
  o.months = 0;
  EXPECT_THROW((void)calibrate_alerts(p, base, o, cal), Error);
}

TEST(AlertCalibration, BacktestUsesOnlyMonthsBeforeEachAlertMonth) {
  const Panel p = calibration_panel();
  AlertCalibrationOptions o;
  o.model = "last";
  o.months = 12;
  o.samples = 300;
  const AlertCalibration c = backtest_alerts(p, ym(2020, 1), ym(2020, 12), AlertRules{}, o);
  EXPECT_EQ(c.area_months, 4u * 12u);
  // The war starts in 2020-07: 6 months with >= 25. Its first month cannot
  // be foreseen (last month 0, no escalation yet), so at most 5 are hit.
  EXPECT_EQ(c.red_level.events, 6u);
  EXPECT_LT(c.red_level.hits, 6u);
  EXPECT_GE(c.red_level.hits, 4u);
  // Data after 2020-12 cannot change the backtest.
  Panel q = p;
  for (std::size_t t = 36; t < 48; ++t) q.at(1, t).fatalities[kState] = 500;
  const AlertCalibration d = backtest_alerts(q, ym(2020, 1), ym(2020, 12), AlertRules{}, o);
  EXPECT_EQ(c.red_level.hits, d.red_level.hits);
  EXPECT_EQ(c.alert_level.alerts, d.alert_level.alerts);
  EXPECT_DOUBLE_EQ(c.red_p25.threshold, d.red_p25.threshold);
  EXPECT_THROW((void)backtest_alerts(p, ym(2018, 1), ym(2018, 6), AlertRules{}, o), Error);
}

TEST(Alerts, RejectsForecastNotFollowingHistory) {
  const Panel h = history();
  Forecast f = forecast_with({{0}, {0}, {0}});
  f.first_month = ym(2022, 6);
  EXPECT_THROW((void)compute_alerts(h, f, AlertRules{}), Error);
}

TEST(ResponseCover, RoadAndAir) {
  const std::vector<PanelArea> areas{{"a", "A", std::nullopt, {0.0, 20.0}, 1},
                                     {"b", "B", std::nullopt, {1.0, 20.0}, 1}};
  // Site at A's centroid, road only; a helicopter site at B's centroid.
  std::vector<Responder> rs{{"s1", "Base", {0.0, 20.0}, 500, 0, false}};
  geo::ReachParams reach;  // 25 km/h, detour 1.5, air 180 km/h + 1 h
  std::vector<AreaAlert> al(2);
  al[1].level = AlertLevel::kAmber;
  // 1 degree of latitude = 111.2 km: road 111.2 * 1.5 / 25 = 6.67 h > 6 h
  auto c = response_cover(areas, rs, reach, 6.0, al);
  EXPECT_EQ(c[0].in_reach.size(), 1u);
  EXPECT_NEAR(c[0].nearest_hours, 0.0, 1e-9);
  EXPECT_TRUE(c[1].in_reach.empty());
  EXPECT_NEAR(c[1].nearest_hours, 111.195 * 1.5 / 25, 0.01);
  EXPECT_TRUE(c[1].gap);
  EXPECT_FALSE(c[0].gap);
  rs[0].has_air = true;  // 1 h + 111.2 / 180 = 1.62 h
  c = response_cover(areas, rs, reach, 6.0, al);
  EXPECT_EQ(c[1].in_reach.size(), 1u);
  EXPECT_NEAR(c[1].nearest_hours, 1.0 + 111.195 / 180, 0.01);
  EXPECT_FALSE(c[1].gap);
}

}  // namespace
}  // namespace endstate::forecast
