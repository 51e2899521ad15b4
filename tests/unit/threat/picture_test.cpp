// Threat picture: panel rows, weights, index, EWMA and Mann-Kendall, with
// hand-computed values.
#include <cmath>

#include <gtest/gtest.h>

#include "endstate/core/error.hpp"
#include "endstate/threat/picture.hpp"

namespace endstate::threat {
namespace {

Event ev(ViolenceType v, int year, int month, std::int64_t deaths, std::optional<std::int64_t> civ = std::nullopt) {
  Event e;
  e.violence = v;
  e.date_start = *Date::from_ymd(year, month, 10);
  e.date_end = e.date_start;
  e.fatalities_best = deaths;
  e.civilian_deaths = civ;
  return e;
}

Panel small_panel() {
  std::vector<PanelArea> areas{{"a", "A", 200000.0, {0, 0}, 10}, {"b", "B", std::nullopt, {0, 1}, 10}};
  Panel p(areas, *Month::from_ym(2020, 1), *Month::from_ym(2020, 3));
  p.add(0, ev(ViolenceType::kOneSided, 2020, 1, 4, 4));
  p.add(0, ev(ViolenceType::kOneSided, 2020, 1, 2, 2));
  p.add(0, ev(ViolenceType::kStateBased, 2020, 1, 10, 1));
  p.add(0, ev(ViolenceType::kNonState, 2020, 3, 6));
  p.add(0, ev(ViolenceType::kRiots, 2020, 3, 0));
  p.add(1, ev(ViolenceType::kOneSided, 2020, 2, 5, 5));
  return p;
}

TEST(PanelRows, KeepsZeroRowsAndGroupsTypes) {
  const auto rows = panel_rows(small_panel());
  ASSERT_EQ(rows.size(), 6u);  // 2 areas x 3 months, quiet months included
  const auto& a1 = rows[0];
  EXPECT_EQ(a1.events[static_cast<int>(Group::kVac)], 2);
  EXPECT_EQ(a1.events[static_cast<int>(Group::kState)], 1);
  EXPECT_EQ(a1.fatalities[static_cast<int>(Group::kVac)], 6);
  EXPECT_EQ(a1.events_total, 3);
  EXPECT_EQ(a1.fatalities_total, 16);
  EXPECT_EQ(a1.civilian_deaths, 7);
  EXPECT_DOUBLE_EQ(*a1.vac_fatalities_per_100k, 3.0);  // 6 / 200,000 * 100,000
  EXPECT_DOUBLE_EQ(*a1.fatalities_per_100k, 8.0);
  EXPECT_DOUBLE_EQ(*a1.civilian_deaths_per_100k, 3.5);
  EXPECT_DOUBLE_EQ(*a1.vac_events_per_100k, 1.0);
  const auto& a2 = rows[1];  // February: nothing, still a row with zero rates
  EXPECT_EQ(a2.events_total, 0);
  EXPECT_DOUBLE_EQ(*a2.fatalities_per_100k, 0.0);
  const auto& a3 = rows[2];
  EXPECT_EQ(a3.events[static_cast<int>(Group::kNonState)], 1);
  EXPECT_EQ(a3.events[static_cast<int>(Group::kOther)], 1);
  const auto& b2 = rows[4];  // no population: counts but no rates
  EXPECT_EQ(b2.fatalities[static_cast<int>(Group::kVac)], 5);
  EXPECT_FALSE(b2.vac_fatalities_per_100k.has_value());
}

TEST(Per100k, NeedsAPositivePopulation) {
  EXPECT_DOUBLE_EQ(*per_100k(5, 50000.0), 10.0);
  EXPECT_FALSE(per_100k(5, std::nullopt));
  EXPECT_FALSE(per_100k(5, 0.0));
}

TEST(IndexValue, WeightedSumOfComponents) {
  const auto rows = panel_rows(small_panel());
  IndexWeights w;  // defaults 1, 0.5, 0.25, 0.25, 0, 0
  // Jan, area a: vac fat/100k 3; vac events 2; battle events 1; battle fat/100k 10/2 = 5
  EXPECT_DOUBLE_EQ(index_value(rows[0], w), 3.0 + 0.5 * 2 + 0.25 * 1 + 0.25 * 5.0);
  IndexWeights only_other{0, 0, 0, 0, 0, 2.0};
  EXPECT_DOUBLE_EQ(index_value(rows[2], only_other), 2.0);
  // area b without population: rate components count 0, counts still count
  EXPECT_DOUBLE_EQ(index_value(rows[4], w), 0.5 * 1);
}

TEST(Weights, ParsesYamlAndNamesBadLines) {
  const auto w = parse_weights_yaml("vac_events: 2\nbattle_events: 0.5\n", "w.yaml");
  EXPECT_DOUBLE_EQ(w.vac_events, 2.0);
  EXPECT_DOUBLE_EQ(w.battle_events, 0.5);
  EXPECT_DOUBLE_EQ(w.vac_fatalities_per_100k, 1.0);  // default kept
  try {
    parse_weights_yaml("vac_events: 1\nbogus: 3\n", "w.yaml");
    FAIL() << "unknown key accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.category(), ErrorCategory::kBadInput);
    EXPECT_EQ(e.where().line, 2);
    EXPECT_EQ(e.where().field, "bogus");
    EXPECT_EQ(e.where().file, "w.yaml");
  }
  EXPECT_THROW(parse_weights_yaml("vac_events: -1\n", "w.yaml"), Error);
  EXPECT_THROW(parse_weights_yaml("vac_events: many\n", "w.yaml"), Error);
  EXPECT_THROW(parse_weights_yaml("- 1\n- 2\n", "w.yaml"), Error);
  EXPECT_THROW(parse_weights_yaml("vac_events: [1\n", "w.yaml"), Error);
}

TEST(Ewma, HandComputed) {
  const auto l = ewma({0, 10, 0, 4}, 0.5);
  ASSERT_EQ(l.size(), 4u);
  EXPECT_DOUBLE_EQ(l[0], 0);
  EXPECT_DOUBLE_EQ(l[1], 5);
  EXPECT_DOUBLE_EQ(l[2], 2.5);
  EXPECT_DOUBLE_EQ(l[3], 3.25);
  EXPECT_THROW(ewma({1}, 0.0), Error);
  EXPECT_THROW(ewma({1}, 1.5), Error);
}

TEST(MannKendall, MonotoneSeries) {
  std::vector<double> x;
  for (int i = 1; i <= 10; ++i) x.push_back(i);
  const auto r = mann_kendall(x, 0.05);
  EXPECT_DOUBLE_EQ(r.s, 45);
  EXPECT_DOUBLE_EQ(r.variance, 125);  // 10*9*25/18
  EXPECT_NEAR(r.z, 44 / std::sqrt(125.0), 1e-12);
  EXPECT_NEAR(r.p_value, std::erfc(44 / std::sqrt(125.0) / std::sqrt(2.0)), 1e-15);
  EXPECT_LT(r.p_value, 1e-4);
  EXPECT_EQ(r.trend, Trend::kRising);
  EXPECT_DOUBLE_EQ(r.sen_slope, 1.0);
  std::reverse(x.begin(), x.end());
  const auto f = mann_kendall(x, 0.05);
  EXPECT_EQ(f.trend, Trend::kFalling);
  EXPECT_DOUBLE_EQ(f.sen_slope, -1.0);
}

TEST(MannKendall, TiesAndShortSeries) {
  const auto r = mann_kendall({1, 1, 2}, 0.05);
  EXPECT_DOUBLE_EQ(r.s, 2);
  EXPECT_NEAR(r.variance, (3.0 * 2 * 11 - 2.0 * 1 * 9) / 18.0, 1e-12);
  EXPECT_NEAR(r.z, 1 / std::sqrt(r.variance), 1e-12);
  EXPECT_EQ(r.trend, Trend::kStable);
  const auto flat = mann_kendall({3, 3, 3, 3}, 0.05);
  EXPECT_DOUBLE_EQ(flat.s, 0);
  EXPECT_DOUBLE_EQ(flat.p_value, 1.0);
  EXPECT_EQ(flat.trend, Trend::kStable);
  EXPECT_EQ(mann_kendall({1, 2}, 0.05).trend, Trend::kStable);
}

TEST(ThreatIndex, RowsEwmaAndTrendPerArea) {
  const Panel p = small_panel();
  IndexOptions o;
  o.lambda = 0.5;
  o.trend_months = 3;
  const auto rows = threat_index(p, o);
  ASSERT_EQ(rows.size(), 6u);
  const double jan = 3.0 + 1.0 + 0.25 + 1.25;
  EXPECT_DOUBLE_EQ(rows[0].index, jan);
  EXPECT_DOUBLE_EQ(rows[0].ewma, jan);
  EXPECT_DOUBLE_EQ(rows[1].index, 0);
  EXPECT_DOUBLE_EQ(rows[1].ewma, jan / 2);
  // March: battle events 1 -> 0.25, battle fatalities 6/200000*1e5 = 3 -> 0.75
  EXPECT_DOUBLE_EQ(rows[2].index, 1.0);
  EXPECT_DOUBLE_EQ(rows[2].ewma, 0.5 * 1.0 + 0.5 * jan / 2);
  EXPECT_EQ(rows[2].trend.n, 3u);
  EXPECT_TRUE(rows[0].population_known);
  EXPECT_FALSE(rows[3].population_known);
  o.lambda = 0;
  EXPECT_THROW(threat_index(p, o), Error);
  o.lambda = 0.3;
  o.trend_months = 2;
  EXPECT_THROW(threat_index(p, o), Error);
}

}  // namespace
}  // namespace endstate::threat
