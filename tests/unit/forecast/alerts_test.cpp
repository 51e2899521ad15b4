#include <vector>

#include <gtest/gtest.h>

#include "endstate/core/error.hpp"
#include "endstate/forecast/alerts.hpp"

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
  r.min_recent = 50;  // escalation no longer counts
  r.amber_p10 = 0.9;
  r.amber_p25 = 0.9;
  EXPECT_EQ(compute_alerts(h, f, r)[1].level, AlertLevel::kGreen);
}

TEST(Alerts, RejectsForecastNotFollowingHistory) {
  const Panel h = history();
  Forecast f = forecast_with({{0}, {0}, {0}});
  f.first_month = ym(2022, 6);
  EXPECT_THROW((void)compute_alerts(h, f, AlertRules{}), Error);
}

TEST(ResponseCover, RoadAndAir) {
  const std::vector<PanelArea> areas{{"a", "A", std::nullopt, {0.0, 20.0}, 1}, {"b", "B", std::nullopt, {1.0, 20.0}, 1}};
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
