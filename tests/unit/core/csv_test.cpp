#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "endstate/core/csv.hpp"
#include "endstate/core/error.hpp"

namespace endstate {
namespace {

std::string write_temp(const std::string& name, const std::string& content) {
  const auto dir = std::filesystem::temp_directory_path() / "endstate_core_tests";
  std::filesystem::create_directories(dir);
  const auto p = dir / name;
  std::ofstream(p, std::ios::binary) << content;
  return p.string();
}

TEST(CsvReader, PlainQuotedAndEscaped) {
  CsvReader r(write_temp("a.csv", "a,b,c\n1,\"x,y\",\"he said \"\"hi\"\"\"\n"));
  ASSERT_TRUE(r.next());
  EXPECT_EQ(r.size(), 3u);
  EXPECT_EQ(r.line(), 1);
  ASSERT_TRUE(r.next());
  EXPECT_EQ(r[0], "1");
  EXPECT_EQ(r[1], "x,y");
  EXPECT_EQ(r[2], "he said \"hi\"");
  EXPECT_FALSE(r.next());
}

TEST(CsvReader, EmbeddedNewlinesKeepLineNumbers) {
  CsvReader r(write_temp("b.csv", "h1,h2\n\"multi\nline\",2\nlast,3\n"));
  ASSERT_TRUE(r.next());
  ASSERT_TRUE(r.next());
  EXPECT_EQ(r[0], "multi\nline");
  EXPECT_EQ(r.line(), 2);
  ASSERT_TRUE(r.next());
  EXPECT_EQ(r[0], "last");
  EXPECT_EQ(r.line(), 4);
}

TEST(CsvReader, CrlfBomEmptyFieldsAndNoFinalNewline) {
  CsvReader r(write_temp("c.csv", "\xEF\xBB\xBFx,y\r\n,\r\n1,2"));
  ASSERT_TRUE(r.next());
  EXPECT_EQ(r[0], "x");
  EXPECT_EQ(r[1], "y");
  ASSERT_TRUE(r.next());
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0], "");
  EXPECT_EQ(r[1], "");
  ASSERT_TRUE(r.next());
  EXPECT_EQ(r[1], "2");
  EXPECT_FALSE(r.next());
}

TEST(CsvReader, BlankLinesSkipped) {
  CsvReader r(write_temp("d.csv", "a\n\n1\n\n"));
  ASSERT_TRUE(r.next());
  ASSERT_TRUE(r.next());
  EXPECT_EQ(r[0], "1");
  EXPECT_EQ(r.line(), 3);
  EXPECT_FALSE(r.next());
}

TEST(CsvReader, UnterminatedQuoteIsBadInputWithLine) {
  CsvReader r(write_temp("e.csv", "a,b\n1,\"open\n2,3\n"));
  ASSERT_TRUE(r.next());
  try {
    r.next();
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.category(), ErrorCategory::kBadInput);
    EXPECT_EQ(e.where().line, 2);
    EXPECT_NE(std::string(e.what()).find("unterminated"), std::string::npos);
  }
}

TEST(CsvReader, MissingFileIsNotFound) {
  try {
    CsvReader r("/nonexistent/endstate/x.csv");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.category(), ErrorCategory::kNotFound);
  }
}

TEST(CsvReader, RecordsLargerThanTheBufferAndManyChunks) {
  std::string big(3 << 20, 'z');
  std::string content = "a,b\n\"" + big + "\",1\n";
  for (int i = 0; i < 200000; ++i) content += std::to_string(i) + ",\"q" + std::to_string(i) + "\"\n";
  CsvReader r(write_temp("f.csv", content));
  ASSERT_TRUE(r.next());
  ASSERT_TRUE(r.next());
  EXPECT_EQ(r[0].size(), big.size());
  EXPECT_EQ(r[1], "1");
  int n = 0;
  while (r.next()) {
    ASSERT_EQ(r[0], std::to_string(n));
    ASSERT_EQ(r[1], "q" + std::to_string(n));
    ASSERT_EQ(r.line(), n + 3);
    ++n;
  }
  EXPECT_EQ(n, 200000);
}

TEST(CsvReader, FindColumnIsCaseInsensitive) {
  EXPECT_EQ(find_column({"Id", "LAT", " lon "}, "lon"), 2);
  EXPECT_EQ(find_column({"Id"}, "x"), -1);
}

}  // namespace
}  // namespace endstate
