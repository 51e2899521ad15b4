// The report module's pure parts: SMS encodings and splitting, notice
// templates (unknown fields and sections rejected with file and line), SVG.
#include <gtest/gtest.h>

#include <cstring>

#include "endstate/core/error.hpp"
#include "endstate/report/pdf.hpp"
#include "endstate/report/sms.hpp"
#include "endstate/report/svg.hpp"
#include "endstate/report/templates.hpp"

namespace endstate::report {
namespace {

TEST(Pdf, DatesAreBlankedInPlaceKeepingEveryOffset) {
  // the trailer's dictionary as Chromium (Skia) writes it, between two objects
  const std::string before =
      "1 0 obj\n<</Producer (Skia/PDF m116)\n/CreationDate (D:20261201034554+00'00')\n"
      "/ModDate (D:20261201034554+00'00')>>\nendobj\n2 0 obj\n<</Title (R)>>\nendobj\n";
  std::string pdf = before;
  EXPECT_EQ(blank_pdf_dates(pdf), 2);
  EXPECT_EQ(pdf.size(), before.size());
  EXPECT_EQ(pdf.find("CreationDate"), std::string::npos);
  EXPECT_EQ(pdf.find("ModDate"), std::string::npos);
  EXPECT_EQ(pdf.find("D:2026"), std::string::npos);
  // everything else where it was
  EXPECT_EQ(pdf.find("2 0 obj"), before.find("2 0 obj"));
  EXPECT_EQ(pdf.substr(0, before.find("/CreationDate")), before.substr(0, before.find("/CreationDate")));
  EXPECT_NE(pdf.find("/Producer (Skia/PDF m116)"), std::string::npos);
  // two prints a second apart are then the same bytes
  std::string later = before;
  later.replace(later.find("034554"), 6, "034555");
  blank_pdf_dates(later);
  EXPECT_EQ(later, pdf);
  // no date, nothing to do; a key without a string is left alone
  std::string other = "<</ModDate 5>>";
  EXPECT_EQ(blank_pdf_dates(other), 0);
  EXPECT_EQ(other, "<</ModDate 5>>");
}

TEST(Sms, Gsm7CountsExtensionCharactersTwice) {
  EXPECT_EQ(gsm7_septets("Hello"), 5);
  EXPECT_EQ(gsm7_septets("é à ù"), 5);  // basic set
  EXPECT_EQ(gsm7_septets("[1]"), 5);    // [ and ] are extension characters
  EXPECT_EQ(gsm7_septets("€"), 2);
  EXPECT_EQ(gsm7_septets("ê"), -1);  // not in GSM-7
  EXPECT_EQ(gsm7_septets("ɛ"), -1);
  EXPECT_EQ(ucs2_units("ɛa"), 2);
  EXPECT_EQ(ucs2_units("😀"), 2);  // outside the BMP: a surrogate pair
}

TEST(Sms, ShortTextIsOnePart) {
  const auto m = split_sms("  Base  Kalemba closes\nJuly 2026. ");
  EXPECT_EQ(m.encoding, SmsEncoding::kGsm7);
  EXPECT_EQ(m.limit, 160);
  ASSERT_EQ(m.parts.size(), 1u);
  EXPECT_EQ(m.parts[0].text, "Base Kalemba closes July 2026.");
  EXPECT_EQ(m.parts[0].units, 30);
}

TEST(Sms, LongTextSplitsAtWordsWithinTheLimit) {
  std::string text;
  for (int i = 0; i < 60; ++i) text += "word" + std::to_string(i) + " [x] ";
  const auto m = split_sms(text);
  EXPECT_EQ(m.encoding, SmsEncoding::kGsm7);
  ASSERT_GT(m.parts.size(), 2u);
  std::string joined;
  for (std::size_t k = 0; k < m.parts.size(); ++k) {
    const auto& p = m.parts[k];
    EXPECT_LE(p.units, 160) << p.text;
    EXPECT_EQ(p.units, gsm7_septets(p.text));
    const std::string prefix = std::to_string(k + 1) + "/" + std::to_string(m.parts.size()) + " ";
    ASSERT_EQ(p.text.rfind(prefix, 0), 0u) << p.text;
    const std::string body = p.text.substr(prefix.size());
    EXPECT_NE(body.back(), ' ');
    joined += (joined.empty() ? "" : " ") + body;
  }
  // Nothing lost, no word cut: the parts rejoin into the collapsed text.
  std::string collapsed = text;
  while (!collapsed.empty() && collapsed.back() == ' ') collapsed.pop_back();
  EXPECT_EQ(joined, collapsed);
}

TEST(Sms, NonGsmTextUsesTheUcs2Limit) {
  std::string text;
  for (int i = 0; i < 30; ++i) text += "sánzá ya mɔ̌kɔ́ ";
  const auto m = split_sms(text);
  EXPECT_EQ(m.encoding, SmsEncoding::kUcs2);
  EXPECT_EQ(m.limit, 70);
  for (const auto& p : m.parts) {
    EXPECT_LE(p.units, 70) << p.text;
    EXPECT_EQ(p.units, ucs2_units(p.text));
  }
}

TEST(Sms, AWordLongerThanAPartIsCut) {
  const auto m = split_sms(std::string(400, 'a'));
  for (const auto& p : m.parts) EXPECT_LE(p.units, 160);
  EXPECT_EQ(m.parts.size(), 3u);
}

TEST(Templates, BuiltInTemplatesParseAndHaveEverySection) {
  int languages = 0;
  for (const auto& [name, text] : default_notice_files()) {
    if (name == "languages.csv") continue;
    const auto t = parse_template(text, name);
    ++languages;
    for (const auto& [section, fields] : notice_sections()) EXPECT_TRUE(t.has(section)) << name << " " << section;
  }
  EXPECT_EQ(languages, 4);
}

TEST(Templates, UnknownFieldIsRejectedWithFileAndLine) {
  const std::string text =
      "language: xx\n[title]\nNotice for {locality}\n[closure]\nThe base {site} closes\non {when}.\n";
  try {
    parse_template(text, "xx.txt");
    FAIL() << "accepted an unknown field";
  } catch (const Error& e) {
    EXPECT_EQ(e.category(), ErrorCategory::kBadInput);
    EXPECT_EQ(e.where().file, "xx.txt");
    EXPECT_EQ(e.where().line, 6);
    EXPECT_NE(std::string(e.what()).find("{when}"), std::string::npos) << e.what();
  }
}

TEST(Templates, FieldOfAnotherSectionIsRejected) {
  // {contacts} belongs to [alert], not to [title].
  try {
    parse_template("language: xx\n\n[title]\n{contacts}\n", "t.txt");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.where().line, 4);
  }
}

TEST(Templates, UnknownSectionRepeatedSectionAndBracesAreRejected) {
  auto line_of = [](const std::string& text) {
    try {
      parse_template(text, "t.txt");
    } catch (const Error& e) {
      return e.where().line;
    }
    return std::int64_t{-1};
  };
  EXPECT_EQ(line_of("language: xx\n[titel]\nx\n"), 2);
  EXPECT_EQ(line_of("language: xx\n[title]\nx\n[title]\ny\n"), 4);
  EXPECT_EQ(line_of("language: xx\n[title]\nx {locality\n"), 3);
  EXPECT_EQ(line_of("language: xx\n[title]\nx } y\n"), 3);
  EXPECT_EQ(line_of("colour: red\n[title]\nx\n"), 1);
  EXPECT_EQ(line_of("[title]\nx\n"), 1);                    // no language
  EXPECT_EQ(line_of("language: xx\n[months]\na\nb\n"), 2);  // not 12 months
  EXPECT_EQ(line_of("language: xx\n[title]\n{{literal}} {locality}\n"), -1);
}

TEST(Templates, FillReplacesFieldsAndKeepsLiteralBraces) {
  const auto t = parse_template("language: xx\n[title]\n{{x}} {locality} ({mission})\n", "t.txt");
  EXPECT_EQ(fill(t.sections.at("title"), {{"locality", "Kalemba"}, {"mission", "UNMIC"}}), "{x} Kalemba (UNMIC)");
}

std::vector<std::uint8_t> square_wkb() {
  // Little-endian WKB polygon: one ring, (0 0, 1 0, 1 1, 0 1, 0 0).
  std::vector<std::uint8_t> b{1};
  auto u32 = [&](std::uint32_t v) {
    for (int i = 0; i < 4; ++i) b.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  };
  auto f64 = [&](double v) {
    std::uint64_t x = 0;
    std::memcpy(&x, &v, 8);
    for (int i = 0; i < 8; ++i) b.push_back(static_cast<std::uint8_t>(x >> (8 * i)));
  };
  u32(3);
  u32(1);
  u32(5);
  for (auto [x, y] : std::vector<std::pair<double, double>>{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}) f64(x), f64(y);
  return b;
}

TEST(Svg, ReadsWkbPolygons) {
  const auto p = svg::polygons(square_wkb());
  ASSERT_EQ(p.size(), 1u);
  ASSERT_EQ(p[0].size(), 1u);
  ASSERT_EQ(p[0][0].size(), 5u);
  EXPECT_EQ(p[0][0][2].lon, 1);
  EXPECT_EQ(p[0][0][2].lat, 1);
  auto truncated = square_wkb();
  truncated.resize(truncated.size() - 3);
  EXPECT_THROW(svg::polygons(truncated), Error);
}

TEST(Svg, MapAndChartsAreDeterministicAndEscaped) {
  svg::Map m;
  m.title = "A <map> & \"more\"";
  m.areas.push_back({square_wkb(), "#ff0000", "Area & co", "A", LatLon{0.5, 0.5}});
  m.points.push_back({LatLon{0.5, 0.5}, 4, "#000", "#fff", false, "base", ""});
  const std::string a = svg::map(m), b = svg::map(m);
  EXPECT_EQ(a, b);
  EXPECT_NE(a.find("A &lt;map&gt; &amp; &quot;more&quot;"), std::string::npos);
  EXPECT_EQ(a.find("<map>"), std::string::npos);
  EXPECT_NE(a.find("<path d=\"M"), std::string::npos);
  svg::LineChart c;
  c.title = "t";
  c.x_labels = {"2024-01", "2024-02", "2024-03"};
  c.series.push_back({"s", {1.0, std::nullopt, 3.0}, "#000", false});
  const std::string l = svg::line_chart(c);
  EXPECT_EQ(l, svg::line_chart(c));
  // The gap splits the line into two moves.
  const auto path = l.substr(l.find("<path d=\""));
  EXPECT_EQ(std::count(path.begin(), path.begin() + static_cast<long>(path.find('"', 9)), 'M'), 2);
  EXPECT_EQ(svg::fixed(-0.0001, 2), "0.00");
}

}  // namespace
}  // namespace endstate::report
