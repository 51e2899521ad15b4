#include <gtest/gtest.h>

#include "endstate/core/domain.hpp"
#include "endstate/core/error.hpp"
#include "endstate/core/types.hpp"

namespace endstate {
namespace {

TEST(Date, ParsesIsoAndAcledForms) {
  EXPECT_EQ(Date::parse("2013-01-03")->iso(), "2013-01-03");
  EXPECT_EQ(Date::parse("2013-01-03 00:00:00.000")->iso(), "2013-01-03");
  EXPECT_EQ(Date::parse("12 March 2023")->iso(), "2023-03-12");
  EXPECT_EQ(Date::parse("1 Feb 2020")->iso(), "2020-02-01");
  EXPECT_FALSE(Date::parse("2013-02-30"));
  EXPECT_FALSE(Date::parse("2013-13-01"));
  EXPECT_FALSE(Date::parse("yesterday"));
  EXPECT_FALSE(Date::parse(""));
  EXPECT_FALSE(Date::parse("2013-01-03junk"));
}

// Issue 18, item 11: sign-off dates such as 2024-13-45 or "yesterday" went
// into the append-only log; this is the validator the sign-off uses.
TEST(Date, ParseIsoIsStrict) {
  EXPECT_EQ(Date::parse_iso("2024-02-29")->iso(), "2024-02-29");
  EXPECT_EQ(Date::parse_iso("1999-12-31")->iso(), "1999-12-31");
  for (const char* bad :
       {"2024-13-45", "2023-02-29", "2024-04-31", "yesterday", "", "2024-1-01", "2024/01/01", "2024-01-01T00:00:00Z",
        " 2024-01-01", "2024-01-01 ", "+024-01-01", "2024-0a-01", "0999-01-01", "2024-00-10", "2024-01-00"}) {
    EXPECT_FALSE(Date::parse_iso(bad)) << bad;
  }
}

TEST(Date, ParseIsoTimestamp) {
  EXPECT_EQ(Date::parse_iso_timestamp("2024-11-02T10:30:00Z")->iso(), "2024-11-02");
  EXPECT_EQ(Date::parse_iso_timestamp("2024-11-02T10:30Z")->iso(), "2024-11-02");
  EXPECT_EQ(Date::parse_iso_timestamp("2024-11-02T23:59:59+03:00")->iso(), "2024-11-02");
  for (const char* bad : {"2024-11-02", "2024-11-02T24:00:00Z", "2024-11-02T10:61Z", "2024-02-30T10:00:00Z",
                          "2024-11-02T10:30:00", "2024-11-02 10:30:00Z", "2024-11-02T10:30:00+3", "yesterdayT1"}) {
    EXPECT_FALSE(Date::parse_iso_timestamp(bad)) << bad;
  }
}

// Issue 18, item 11: any year 1000..9999 was accepted for events.
TEST(Date, PlausibleEventYears) {
  EXPECT_FALSE(plausible_event_year(1945));
  EXPECT_TRUE(plausible_event_year(kFirstEventYear));
  EXPECT_TRUE(plausible_event_year(2024));
  EXPECT_TRUE(plausible_event_year(last_event_year()));
  EXPECT_FALSE(plausible_event_year(last_event_year() + 1));
  EXPECT_FALSE(plausible_event_year(9999));
  EXPECT_GE(last_event_year(), 2026);
}

TEST(Date, DaysRoundTrip) {
  const Date d = *Date::from_ymd(1970, 1, 1);
  EXPECT_EQ(d.days(), 0);
  const Date e = *Date::from_ymd(2024, 2, 29);
  EXPECT_EQ(Date::from_days(e.days()).iso(), "2024-02-29");
  EXPECT_LT(d, e);
}

TEST(Month, ParseArithmeticAndBounds) {
  const Month m = *Month::parse("2023-11");
  EXPECT_EQ(m.year(), 2023);
  EXPECT_EQ(m.month(), 11);
  EXPECT_EQ(m.plus(2).str(), "2024-01");
  EXPECT_EQ(m.plus(-11).str(), "2022-12");
  EXPECT_EQ(m.last_day().iso(), "2023-11-30");
  EXPECT_EQ(Month::parse("2024-02")->last_day().iso(), "2024-02-29");
  EXPECT_FALSE(Month::parse("2023-13"));
  EXPECT_FALSE(Month::parse("2023-1"));
  EXPECT_FALSE(Month::parse("202311"));
  EXPECT_EQ(Month::of(*Date::parse("2020-05-31")).str(), "2020-05");
}

TEST(LatLon, ValidityAndDistance) {
  EXPECT_TRUE((LatLon{-4.3, 15.3}.valid()));
  EXPECT_FALSE((LatLon{95, 15}.valid()));
  EXPECT_FALSE((LatLon{0, 181}.valid()));
  // Kinshasa to Goma is about 1,560 km.
  const double km = great_circle_km({-4.3217, 15.3125}, {-1.6792, 29.2228});
  EXPECT_NEAR(km, 1563, 15);
  EXPECT_NEAR(great_circle_km({0, 0}, {0, 1}), 111.195, 0.01);
}

TEST(ViolenceType, RoundTripAndAliases) {
  for (auto t : {ViolenceType::kStateBased, ViolenceType::kNonState, ViolenceType::kOneSided, ViolenceType::kRiots,
                 ViolenceType::kProtests, ViolenceType::kRemote, ViolenceType::kStrategic, ViolenceType::kOther}) {
    EXPECT_EQ(parse_violence_type(to_string(t)), t);
  }
  EXPECT_EQ(parse_violence_type("3"), ViolenceType::kOneSided);
  EXPECT_EQ(parse_violence_type("Violence against civilians"), ViolenceType::kOneSided);
  EXPECT_FALSE(parse_violence_type("weather"));
}

TEST(Error, MessageCarriesPositionAndExitCode) {
  const Error e = bad_input("not a number", {"f.csv", 12, "latitude"});
  EXPECT_STREQ(e.what(), "f.csv:12: field 'latitude': not a number");
  EXPECT_EQ(e.exit_code(), 2);
  EXPECT_EQ(usage_error("x").exit_code(), 1);
  EXPECT_EQ(not_found("x").exit_code(), 3);
  EXPECT_EQ(internal_error("x").exit_code(), 4);
}

TEST(Error, FieldErrorsAndEnvironment) {
  const Error f = invalid_field("threat_months", "must be >= 1 (got 0)");
  EXPECT_EQ(f.exit_code(), 1);
  EXPECT_EQ(f.where().field, "threat_months");
  EXPECT_STREQ(f.what(), "field 'threat_months': must be >= 1 (got 0)");
  EXPECT_EQ(environment_error("locked").exit_code(), 5);
}

}  // namespace
}  // namespace endstate
