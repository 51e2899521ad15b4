// The module-private validation helpers (src/ingest/detail/row_checks.hpp).
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "detail/row_checks.hpp"

namespace endstate::ingest::detail {
namespace {

TEST(RowChecks, CoordinateReasons) {
  LatLon p;
  Reject r;
  EXPECT_TRUE(parse_lat_lon(" -4.3 ", "15.3", "lat", "lon", p, r));
  EXPECT_DOUBLE_EQ(p.lat, -4.3);
  EXPECT_TRUE(parse_lat_lon("90", "-180", "lat", "lon", p, r));  // the bounds themselves are valid
  EXPECT_FALSE(parse_lat_lon("nan", "15", "lat", "lon", p, r));
  EXPECT_EQ(r.field, "lat");
  EXPECT_EQ(r.reason, "lat is NaN");
  EXPECT_FALSE(parse_lat_lon("1", "inf", "lat", "lon", p, r));
  EXPECT_EQ(r.field, "lon");
  EXPECT_EQ(r.reason, "'inf' is not a number");
  EXPECT_FALSE(parse_lat_lon("1,5", "2", "lat", "lon", p, r));
  EXPECT_EQ(r.reason, "'1,5' is not a number");
  EXPECT_FALSE(parse_lat_lon("", "2", "lat", "lon", p, r));
  EXPECT_EQ(r.reason, "lat is missing");
  EXPECT_FALSE(parse_lat_lon("-120.5", "45", "lat", "lon", p, r));
  EXPECT_EQ(r.field, "lat");
  EXPECT_EQ(r.reason,
            "latitude -120.5 is out of range [-90, 90] and lat/lon look swapped: longitude 45 is within +-90");
  EXPECT_FALSE(parse_lat_lon("-120.5", "95", "lat", "lon", p, r));
  EXPECT_EQ(r.reason, "latitude -120.5 is out of range [-90, 90]");
  EXPECT_FALSE(parse_lat_lon("10", "180.01", "lat", "lon", p, r));
  EXPECT_EQ(r.field, "lon");
}

TEST(RowChecks, Utf8ReasonNamesFieldAndByte) {
  Reject r;
  const std::vector<std::string> names = {"a", "b"};
  const std::string good = "caf\xC3\xA9";
  const std::string bad = "ok \xC3\x28";
  const std::string raw = good + "," + bad;
  EXPECT_TRUE(check_utf8(good, {good}, names, r));
  EXPECT_FALSE(check_utf8(raw, {good, bad}, names, r));
  EXPECT_EQ(r.field, "b");
  EXPECT_EQ(r.reason, "not valid UTF-8 at byte 3");
  const std::string overlong = "\xC0\xAF";
  EXPECT_FALSE(check_utf8_value(overlong, "x", r));
  EXPECT_EQ(r.reason, "not valid UTF-8 at byte 0");
}

TEST(RowChecks, DatesAndCounts) {
  Date d;
  Reject r;
  EXPECT_TRUE(parse_date("2020-02-29", "date", d, r));
  EXPECT_FALSE(parse_date("2021-02-29", "date", d, r));
  EXPECT_EQ(r.reason, "'2021-02-29' is not a date (expected YYYY-MM-DD, YYYY/MM/DD or D Month YYYY)");
  EXPECT_TRUE(check_date_order(*Date::from_ymd(2020, 1, 1), *Date::from_ymd(2020, 1, 1), "end", r));
  EXPECT_FALSE(check_date_order(*Date::from_ymd(2020, 1, 2), *Date::from_ymd(2020, 1, 1), "end", r));
  EXPECT_EQ(r.field, "end");

  std::int64_t n = 0;
  EXPECT_TRUE(parse_count("12.0", "best", "fatalities", n, r));  // R and pandas write whole numbers so
  EXPECT_EQ(n, 12);
  EXPECT_FALSE(parse_count("1.5", "best", "fatalities", n, r));
  EXPECT_EQ(r.reason, "'1.5' is not a whole number");
  EXPECT_FALSE(parse_count("NA", "best", "fatalities", n, r));
  EXPECT_EQ(r.reason, "best is missing");
  EXPECT_TRUE(parse_count_or("NA", "low", "fatalities", 7, n, r));
  EXPECT_EQ(n, 7);
  std::optional<std::int64_t> opt = 3;
  EXPECT_TRUE(parse_optional_count("", "civ", "fatalities", opt, r));
  EXPECT_FALSE(opt.has_value());
  int i = 0;
  EXPECT_TRUE(parse_int_or("-2", "p", 1, i, r));
  EXPECT_EQ(i, -2);
  EXPECT_FALSE(check_fatality_bounds(1, 2, 1, "low", "best", "high", r));
  EXPECT_EQ(r.reason, "best (2) > high (1)");
}

TEST(RowChecks, FieldCountAndKeys) {
  Header h;
  h.names = {"a", "b", "c"};
  Reject r;
  EXPECT_TRUE(check_field_count({"1", "2", "3"}, h, r));
  EXPECT_FALSE(check_field_count({"1"}, h, r));
  EXPECT_EQ(r.field, "b");
  EXPECT_EQ(r.reason, "expected 3 fields, found 1");
  EXPECT_EQ(h.find("B"), 1);
  EXPECT_EQ(h.find_any({"x", "c"}), 2);
  EXPECT_EQ(site_key("MONUC", "Goma", {-1.679444, 29.233611}), "MONUC|Goma|-1.6794|29.2336");
  EXPECT_EQ(site_key("M", "X", {-0.00004, 0.00004}), "M|X|0.0000|0.0000");
}

}  // namespace
}  // namespace endstate::ingest::detail
