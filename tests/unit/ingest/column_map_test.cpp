#include <string>

#include <gtest/gtest.h>

#include "endstate/core/error.hpp"
#include "endstate/ingest/readers.hpp"
#include "ingest_test_util.hpp"

namespace endstate::ingest {
namespace {

using testing::expect_error;

TEST(ColumnMap, ParsesPairs) {
  const ColumnMap m = parse_column_map("evt_no=id, lat = latitude,Deaths=FATALITIES");
  ASSERT_EQ(m.size(), 3u);
  EXPECT_EQ(m.at("id"), "evt_no");
  EXPECT_EQ(m.at("latitude"), "lat");
  EXPECT_EQ(m.at("fatalities"), "Deaths");
  EXPECT_TRUE(parse_column_map("").empty());
}

TEST(ColumnMap, RejectsMalformedSpecs) {
  for (const char* spec : {"evt_no", "=id", "evt_no=", "a=id,b=id", "x=colour"}) {
    const Error e = expect_error([&] { parse_column_map(spec); });
    EXPECT_EQ(e.category(), ErrorCategory::kUsage) << spec;
  }
  const Error unknown = expect_error([&] { parse_column_map("x=colour"); });
  EXPECT_NE(unknown.message().find("unknown field 'colour'"), std::string::npos);
  EXPECT_NE(unknown.message().find("latitude"), std::string::npos);  // lists the fields
  const Error twice = expect_error([&] { parse_column_map("a=id,b=id"); });
  EXPECT_NE(twice.message().find("mapped twice"), std::string::npos);
}

TEST(Sources, ParseNames) {
  EXPECT_EQ(parse_event_source("ucdp"), EventSource::kUcdp);
  EXPECT_EQ(parse_event_source("ACLED"), EventSource::kAcled);
  EXPECT_EQ(parse_event_source("csv"), EventSource::kCsv);
  EXPECT_FALSE(parse_event_source("gdelt").has_value());
  EXPECT_EQ(parse_site_source("geopko"), SiteSource::kGeoPko);
  EXPECT_EQ(parse_site_source("csv"), SiteSource::kCsv);
  EXPECT_FALSE(parse_site_source("ucdp").has_value());
}

}  // namespace
}  // namespace endstate::ingest
