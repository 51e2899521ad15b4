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

// Issue 18, item 10: old-Mac files end lines with CR alone; they used to come
// out as one record (the header) and import nothing.
TEST(CsvReader, CrOnlyLineEnds) {
  CsvReader r(write_temp("cr.csv", "a,b\r1,\"x\ry\"\r2,3\r\r4,5"));
  ASSERT_TRUE(r.next());
  EXPECT_EQ(r.size(), 2u);
  EXPECT_EQ(r[1], "b");
  ASSERT_TRUE(r.next());
  EXPECT_EQ(r[0], "1");
  EXPECT_EQ(r[1], "x\ry");
  EXPECT_EQ(r.line(), 2);
  ASSERT_TRUE(r.next());
  EXPECT_EQ(r[0], "2");
  EXPECT_EQ(r.line(), 4);  // the quoted CR counts as a line end
  ASSERT_TRUE(r.next());
  EXPECT_EQ(r[1], "5");
  EXPECT_EQ(r.line(), 6);
  EXPECT_FALSE(r.next());
}

TEST(CsvReader, LoneCrInAnLfFileIsData) {
  CsvReader r(write_temp("lfcr.csv", "a,b\n1,x\ry\r\n2,3\n"));
  ASSERT_TRUE(r.next());
  ASSERT_TRUE(r.next());
  EXPECT_EQ(r[1], "x\ry");
  ASSERT_TRUE(r.next());
  EXPECT_EQ(r[0], "2");
  EXPECT_EQ(r.line(), 3);
}

// Issue 18, item 3: a stray opening quote on line 3 closed on line 6 used to
// make one record of lines 3-6 (one reject) and lose lines 4-6 silently.
TEST(CsvReader, StrayQuoteSwallowingLinesIsAnErrorAtTheQuote) {
  CsvReader r(write_temp("stray.csv",
                         "indicator,area,month,value\n"
                         "x,a,2023-01,1\n"
                         "x,\"b,2023-02,2\n"
                         "x,c,2023-03,3\n"
                         "x,d,2023-04,4\n"
                         "x,e,2023-05\",5\n"
                         "x,f,2023-06,6\n"));
  ASSERT_TRUE(r.next());
  ASSERT_TRUE(r.next());
  try {
    r.next();
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.category(), ErrorCategory::kBadInput);
    EXPECT_EQ(e.where().line, 3);
    EXPECT_NE(e.message().find("closed only on line 6"), std::string::npos) << e.what();
  }
}

// The same stray quote closed where the field count happens to come out right:
// the swallowed lines are whole records (as many commas as the header), which
// text in a quoted field does not look like.
TEST(CsvReader, StrayQuoteWithMatchingFieldCountIsCaughtToo) {
  CsvReader r(write_temp("stray2.csv",
                         "indicator,area,month,value\n"
                         "x,\"b,2023-02,2\n"
                         "x,c,2023-03,3\n"
                         "x,e\",2023-05,5\n"));
  ASSERT_TRUE(r.next());
  try {
    r.next();
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.where().line, 2);
    EXPECT_NE(e.message().find("line 3"), std::string::npos) << e.what();
  }
}

TEST(CsvReader, MultiLineTextWithFewCommasIsNotAStrayQuote) {
  CsvReader r(write_temp("notes.csv", "id,notes,x,y\n1,\"Attack, village\nsource: radio, local\nend\",2,3\n"));
  ASSERT_TRUE(r.next());
  ASSERT_TRUE(r.next());
  EXPECT_EQ(r[1], "Attack, village\nsource: radio, local\nend");
}

TEST(CsvReader, QuotedNewlinesWithTheRightFieldCountAreFine) {
  CsvReader r(write_temp("ok.csv", "a,b\n\"two\nlines\",1\n3,4\n"));
  ASSERT_TRUE(r.next());
  ASSERT_TRUE(r.next());
  EXPECT_EQ(r.line(), 2);
  EXPECT_EQ(r.end_line(), 3);
  ASSERT_TRUE(r.next());
  EXPECT_EQ(r.line(), 4);
  EXPECT_EQ(r.end_line(), 4);
}

TEST(CsvReader, UnterminatedQuoteNamesTheLineItOpened) {
  CsvReader r(write_temp("open.csv", "a,b\n1,2\n\"multi\nline\",3\n4,\"never\n5,6\n"));
  ASSERT_TRUE(r.next());
  ASSERT_TRUE(r.next());
  ASSERT_TRUE(r.next());
  try {
    r.next();
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.where().line, 5);
  }
}

TEST(CsvReader, FindColumnIsCaseInsensitive) {
  EXPECT_EQ(find_column({"Id", "LAT", " lon "}, "lon"), 2);
  EXPECT_EQ(find_column({"Id"}, "x"), -1);
}

}  // namespace
}  // namespace endstate
