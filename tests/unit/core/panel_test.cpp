#include "endstate/core/panel.hpp"

#include <gtest/gtest.h>

#include "endstate/core/error.hpp"

namespace endstate {
namespace {

Event ev(const char* date, ViolenceType t, std::int64_t deaths, std::optional<std::int64_t> civ = {}) {
  Event e;
  e.date_start = *Date::parse(date);
  e.date_end = e.date_start;
  e.violence = t;
  e.fatalities_best = deaths;
  e.civilian_deaths = civ;
  return e;
}

Panel two_areas() {
  return Panel({{"a", "A", 1000.0, {0, 0}, 1}, {"b", "B", std::nullopt, {1, 1}, 1}}, *Month::parse("2020-01"),
               *Month::parse("2020-03"));
}

TEST(Panel, QuietMonthsAreZeroCells) {
  const Panel p = two_areas();
  EXPECT_EQ(p.area_count(), 2u);
  EXPECT_EQ(p.month_count(), 3u);
  EXPECT_EQ(p.last().str(), "2020-03");
  EXPECT_EQ(p.at(1, 2).total_events(), 0);
  EXPECT_EQ(*p.area_index("b"), 1u);
  EXPECT_FALSE(p.area_index("c"));
  EXPECT_FALSE(p.month_index(*Month::parse("2019-12")));
}

TEST(Panel, AddsByStartMonthAndType) {
  Panel p = two_areas();
  EXPECT_TRUE(p.add(0, ev("2020-02-10", ViolenceType::kOneSided, 5, 5)));
  EXPECT_TRUE(p.add(0, ev("2020-02-28", ViolenceType::kStateBased, 7, 1)));
  EXPECT_TRUE(p.add(1, ev("2020-03-01", ViolenceType::kOneSided, 2)));
  EXPECT_FALSE(p.add(1, ev("2020-04-01", ViolenceType::kOneSided, 2))) << "outside the range";
  const PanelCell& c = p.at(0, 1);
  EXPECT_EQ(c.events[index_of(ViolenceType::kOneSided)], 1);
  EXPECT_EQ(c.total_events(), 2);
  EXPECT_EQ(c.total_fatalities(), 12);
  EXPECT_EQ(c.civilian_deaths, 6);
  EXPECT_EQ(p.at(1, 2).civilian_deaths, 0) << "unknown civilian deaths count as none";

  const auto vac = series(p, {SeriesSpec::Measure::kFatalities, {ViolenceType::kOneSided}});
  EXPECT_EQ(vac, (std::vector<double>{0, 5, 0, 0, 0, 2}));
  const auto all_events = series(p, {SeriesSpec::Measure::kEvents, {}});
  EXPECT_EQ(all_events, (std::vector<double>{0, 2, 0, 0, 0, 1}));
  const auto civ = series(p, {SeriesSpec::Measure::kCivilianDeaths, {}});
  EXPECT_EQ(civ, (std::vector<double>{0, 6, 0, 0, 0, 0}));
}

TEST(Panel, LastBeforeFirstIsAnError) {
  EXPECT_THROW(Panel({}, *Month::parse("2020-03"), *Month::parse("2020-01")), Error);
}

}  // namespace
}  // namespace endstate
