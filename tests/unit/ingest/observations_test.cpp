#include <string>

#include <gtest/gtest.h>

#include "endstate/core/error.hpp"
#include "endstate/ingest/readers.hpp"
#include "ingest_test_util.hpp"

namespace endstate::ingest {
namespace {

using testing::expect_error;
using testing::ObservationCollector;

class Observations : public testing::TempDir {
 protected:
  ObservationCollector read(const std::string& content) {
    ObservationCollector sink;
    read_observations(write("obs.csv", content), sink);
    return sink;
  }
};

TEST_F(Observations, ReadsRows) {
  auto sink = read(
      "indicator,area,month,value,source\n"
      "state_authority_presence,Ituri,2023-04,41.5,Civil Affairs\n"
      "idp_returns,cd-nord-kivu,2023-05,-3,\n");
  ASSERT_TRUE(sink.rejects.empty());
  ASSERT_EQ(sink.observations.size(), 2u);
  const Observation& o = sink.observations[0].first;
  EXPECT_EQ(o.indicator, "state_authority_presence");
  EXPECT_EQ(o.area_id, "Ituri");
  EXPECT_EQ(o.month.str(), "2023-04");
  EXPECT_DOUBLE_EQ(o.value, 41.5);
  EXPECT_EQ(o.source, "Civil Affairs");
  EXPECT_EQ(sink.observations[1].first.source, "");
  EXPECT_DOUBLE_EQ(sink.observations[1].first.value, -3);
  EXPECT_EQ(sink.observations[1].second, 3);
}

TEST_F(Observations, SourceColumnIsOptional) {
  auto sink = read("indicator,area,month,value\nx,Ituri,2023-04,1\n");
  ASSERT_EQ(sink.observations.size(), 1u);
  EXPECT_EQ(sink.observations[0].first.source, "");
}

TEST_F(Observations, RowRejects) {
  auto sink = read(
      "indicator,area,month,value\n"
      "x,Ituri,2023-13,1\n"
      "x,Ituri,April 2023,1\n"
      "x,Ituri,2023-04,lots\n"
      "x,Ituri,2023-04,NaN\n"
      ",Ituri,2023-04,1\n"
      "x,,2023-04,1\n"
      "x,Ituri,2023-04\n"
      "x,Ituri,2023-04,2\n");
  ASSERT_EQ(sink.rejects.size(), 7u);
  const char* fields[] = {"month", "month", "value", "value", "indicator", "area", "value"};
  for (int i = 0; i < 7; ++i) {
    EXPECT_EQ(sink.rejects[static_cast<std::size_t>(i)].line, i + 2);
    EXPECT_EQ(sink.rejects[static_cast<std::size_t>(i)].field, fields[i]);
  }
  EXPECT_EQ(sink.rejects[0].reason, "'2023-13' is not a month (expected YYYY-MM)");
  EXPECT_EQ(sink.rejects[2].reason, "'lots' is not a number");
  EXPECT_EQ(sink.rejects[6].reason, "expected 4 fields, found 3");
  ASSERT_EQ(sink.observations.size(), 1u);
  EXPECT_EQ(sink.observations[0].second, 9);
}

TEST_F(Observations, FatalMissingColumn) {
  const Error e = expect_error([&] { read("indicator,region,month,value\nx,Ituri,2023-04,1\n"); });
  EXPECT_EQ(e.category(), ErrorCategory::kBadInput);
  EXPECT_NE(e.message().find("missing required column for an observations CSV: area"), std::string::npos)
      << e.message();
  EXPECT_EQ(e.where().field, "area");
}

TEST_F(Observations, FatalEmpty) {
  EXPECT_NE(expect_error([&] { read("\n\n"); }).message().find("file is empty"), std::string::npos);
}

}  // namespace
}  // namespace endstate::ingest
