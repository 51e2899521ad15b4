#include <gtest/gtest.h>

#include "endstate/core/strings.hpp"

namespace endstate {
namespace {

TEST(Strings, StrictNumbers) {
  EXPECT_EQ(parse_double(" 1.5 "), 1.5);
  EXPECT_EQ(parse_double("-29.25"), -29.25);
  EXPECT_EQ(parse_double("+3"), 3.0);
  EXPECT_FALSE(parse_double("NaN"));
  EXPECT_FALSE(parse_double("inf"));
  EXPECT_FALSE(parse_double("1,5"));
  EXPECT_FALSE(parse_double(""));
  EXPECT_EQ(parse_int64("42"), 42);
  EXPECT_EQ(parse_int64("12.0"), 12);
  EXPECT_FALSE(parse_int64("12.5"));
  EXPECT_FALSE(parse_int64("x"));
}

TEST(Strings, MissingTrimSplitJoin) {
  EXPECT_TRUE(is_missing("NA"));
  EXPECT_TRUE(is_missing(" "));
  EXPECT_FALSE(is_missing("0"));
  EXPECT_EQ(trim("  a b\r\n"), "a b");
  EXPECT_EQ(split("a,,b", ',').size(), 3u);
  EXPECT_EQ(join({"a", "b"}, "; "), "a; b");
  EXPECT_TRUE(iequals("Kivu", "KIVU"));
  EXPECT_EQ(to_lower("AbC"), "abc");
}

}  // namespace
}  // namespace endstate
