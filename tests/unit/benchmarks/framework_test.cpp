// Framework parsing and validation: the errors name line and field.
#include <gtest/gtest.h>

#include "endstate/benchmarks/framework.hpp"
#include "endstate/core/error.hpp"

namespace endstate::benchmarks {
namespace {

const char* kValid = R"(framework:
  id: test
  name: Test framework
  version: "1"
  area_level: province
  readiness:
    core: all
    contextual_share: 0.5
  indicators:
    - id: deaths
      name: Civilian deaths per 100k, 3 months
      unit: per 100k
      direction: lower_is_better
      source: events
      derivation:
        measure: fatalities
        violence_types: [one_sided]
        window_months: 3
        statistic: sum
        per_population: 100000
    - id: courts
      direction: higher_is_better
      source: observed
      observed:
        indicator: courts_functioning
  benchmarks:
    - id: poc
      kind: core
      category: protection
      indicators: [deaths]
    - id: justice
      kind: contextual
      category: justice_accountability
      weight: 2
      indicators: [courts]
  stakeholders:
    - id: un
      sustain_months: 3
      thresholds:
        deaths: 2
        courts: {value: 60, areas: {p1: 50}, sustain_months: 1}
    - id: government
      thresholds:
        deaths: 5
        courts: 50
)";

std::string replace(std::string s, const std::string& from, const std::string& to) {
  const auto p = s.find(from);
  EXPECT_NE(p, std::string::npos) << from;
  return s.replace(p, from.size(), to);
}

Position error_of(const std::string& text) {
  try {
    parse_framework(text, "fw.yaml");
  } catch (const Error& e) {
    EXPECT_EQ(e.category(), ErrorCategory::kBadInput);
    EXPECT_EQ(e.where().file, "fw.yaml");
    return e.where();
  }
  ADD_FAILURE() << "no error";
  return {};
}

TEST(Framework, ParsesEveryField) {
  const Framework fw = parse_framework(kValid, "fw.yaml");
  EXPECT_EQ(fw.id, "test");
  EXPECT_EQ(fw.version, "1");
  EXPECT_DOUBLE_EQ(fw.contextual_share, 0.5);
  ASSERT_EQ(fw.indicators.size(), 2u);
  const auto& d = fw.indicators[0];
  EXPECT_EQ(d.source, IndicatorSource::kEvents);
  EXPECT_EQ(d.direction, Direction::kLowerIsBetter);
  EXPECT_EQ(d.derivation.measure, SeriesSpec::Measure::kFatalities);
  ASSERT_EQ(d.derivation.violence_types.size(), 1u);
  EXPECT_EQ(d.derivation.violence_types[0], ViolenceType::kOneSided);
  EXPECT_EQ(d.derivation.window_months, 3);
  EXPECT_EQ(d.derivation.statistic, Statistic::kSum);
  EXPECT_EQ(*d.derivation.per_population, 100000);
  EXPECT_EQ(d.line, 10);
  EXPECT_EQ(fw.indicators[1].derivation.observed_indicator, "courts_functioning");
  EXPECT_EQ(fw.indicators[1].derivation.statistic, Statistic::kLast);
  EXPECT_EQ(fw.benchmarks[1].kind, BenchmarkKind::kContextual);
  EXPECT_EQ(fw.benchmarks[1].category, Category::kJusticeAccountability);
  EXPECT_DOUBLE_EQ(fw.benchmarks[1].weight, 2);
  const auto& un = fw.stakeholders[0];
  EXPECT_EQ(un.sustain_months, 3);
  EXPECT_EQ(un.sustain_for("deaths"), 3);
  EXPECT_EQ(un.sustain_for("courts"), 1);
  EXPECT_DOUBLE_EQ(un.thresholds.at("courts").for_area("p1"), 50);
  EXPECT_DOUBLE_EQ(un.thresholds.at("courts").for_area("p2"), 60);
  EXPECT_EQ(fw.stakeholders[1].sustain_months, 1);
}

TEST(Framework, UnknownIndicatorInBenchmarkNamesLine) {
  const auto w = error_of(replace(kValid, "indicators: [courts]", "indicators: [court]"));
  EXPECT_EQ(w.line, 35);
  EXPECT_EQ(w.field, "benchmarks[1].indicators[0]");
}

TEST(Framework, UnknownIndicatorInThresholds) {
  const auto w = error_of(replace(kValid, "        deaths: 5", "        death: 5"));
  EXPECT_EQ(w.line, 44);
  EXPECT_EQ(w.field, "stakeholders[1].thresholds.death");
}

TEST(Framework, DuplicateIds) {
  auto w = error_of(replace(kValid, "    - id: justice", "    - id: poc"));
  EXPECT_EQ(w.line, 31);
  EXPECT_EQ(w.field, "benchmarks[1].id");
  w = error_of(replace(kValid, "    - id: government", "    - id: un"));
  EXPECT_EQ(w.line, 42);
  EXPECT_EQ(w.field, "stakeholders[1].id");
  w = error_of(replace(kValid, "    - id: courts", "    - id: deaths"));
  EXPECT_EQ(w.line, 21);
  EXPECT_EQ(w.field, "indicators[1].id");
}

TEST(Framework, MissingThreshold) {
  const auto w = error_of(replace(kValid, "        courts: 50\n", ""));
  EXPECT_EQ(w.line, 44);
  EXPECT_EQ(w.field, "stakeholders[1].thresholds");
}

TEST(Framework, BadDirection) {
  const auto w = error_of(replace(kValid, "direction: higher_is_better", "direction: up"));
  EXPECT_EQ(w.line, 22);
  EXPECT_EQ(w.field, "indicators[1].direction");
}

TEST(Framework, OtherErrors) {
  EXPECT_EQ(error_of(replace(kValid, "statistic: sum", "statistic: median")).field,
            "indicators[0].derivation.statistic");
  EXPECT_EQ(error_of(replace(kValid, "kind: core", "kind: central")).field, "benchmarks[0].kind");
  EXPECT_EQ(error_of(replace(kValid, "category: protection", "category: poc")).field, "benchmarks[0].category");
  EXPECT_EQ(error_of(replace(kValid, "contextual_share: 0.5", "contextual_share: 1.5")).field,
            "readiness.contextual_share");
  EXPECT_EQ(error_of(replace(kValid, "window_months: 3", "window_months: 0")).field,
            "indicators[0].derivation.window_months");
  EXPECT_EQ(error_of(replace(kValid, "violence_types: [one_sided]", "violence_types: [massacre]")).field,
            "indicators[0].derivation.violence_types[0]");
  EXPECT_EQ(error_of(replace(kValid, "      unit: per 100k", "      units: per 100k")).field, "indicators[0].units");
  EXPECT_EQ(error_of(replace(kValid, "weight: 2", "weight: -1")).field, "benchmarks[1].weight");
  EXPECT_EQ(error_of(replace(kValid, "measure: fatalities", "measure: civilian_deaths")).field,
            "indicators[0].derivation.violence_types");
  EXPECT_EQ(error_of("framework: [1, 2").line, 1);  // syntax error
  EXPECT_EQ(error_of("other: 1\n").field, "framework");
}

// Issue 18, item 10: values of the wrong YAML type escaped as YAML exceptions
// (exit 4, no position); now bad input with file, line and field.
TEST(Framework, WronglyTypedValuesNameLineAndField) {
  auto w = error_of(replace(kValid, "violence_types: [one_sided]", "violence_types: [[one_sided]]"));
  EXPECT_EQ(w.line, 17);
  EXPECT_EQ(w.field, "indicators[0].derivation.violence_types[0]");
  w = error_of(replace(kValid, "indicators: [courts]", "indicators: [{a: 1}]"));
  EXPECT_EQ(w.line, 44 - 9);
  EXPECT_EQ(w.field, "benchmarks[1].indicators[0]");
  w = error_of(replace(kValid, "    core: all", "    core: {all: 1}"));
  EXPECT_EQ(w.field, "readiness.core");
  w = error_of(replace(kValid, "      name: Civilian deaths per 100k, 3 months", "      name: [a, b]"));
  EXPECT_EQ(w.field, "indicators[0].name");
  w = error_of(replace(kValid, "courts: {value: 60, areas: {p1: 50}, sustain_months: 1}",
                       "courts: {value: 60, areas: [p1], sustain_months: 1}"));
  EXPECT_EQ(w.field, "stakeholders[0].thresholds.courts.areas");
}

// Issue 18, item 10: duplicate keys, unknown top-level keys and extra
// documents were accepted silently.
TEST(Framework, DuplicateKeysUnknownTopLevelKeysAndExtraDocuments) {
  auto w = error_of(replace(kValid, "  name: Test framework\n", "  name: Test framework\n  name: Again\n"));
  EXPECT_EQ(w.line, 4);
  EXPECT_EQ(w.field, "framework.name");
  w = error_of(replace(kValid, "        deaths: 5\n", "        deaths: 5\n        deaths: 6\n"));
  EXPECT_EQ(w.line, 45);
  EXPECT_EQ(w.field, "framework.stakeholders[1].thresholds.deaths");
  w = error_of(std::string(kValid) + "extra: 1\n");
  EXPECT_EQ(w.line, 46);
  EXPECT_EQ(w.field, "extra");
  w = error_of(std::string(kValid) + "---\nframework: {}\n");
  EXPECT_EQ(w.line, 46);
}

// Issue 18, item 5: framework ids that are not UTF-8 went into the store and
// broke JSON output later.
TEST(Framework, TextMustBeUtf8) {
  const auto w = error_of(replace(kValid, "  id: test", "  id: te\xC3(st"));
  EXPECT_EQ(w.line, 2);
  EXPECT_EQ(error_of(replace(kValid, "  id: test", "  id: \"te\\0st\"")).line, 2);
}

// Issue 18, item 11: sign-off dates such as 2024-13-45 and an empty signatory.
TEST(Framework, SignoffsNeedARealDateAndASignatory) {
  const std::string sha(64, 'a');
  const std::string with = std::string(kValid) + "  signoffs:\n    - stakeholder: un\n      by: Head of Mission\n" +
                           "      date: 2024-11-02\n      version_sha256: " + sha + "\n";
  EXPECT_EQ(parse_framework(with, "fw.yaml").signoffs.size(), 1u);
  EXPECT_EQ(parse_framework(replace(with, "2024-11-02", "2024-11-02T09:00:00Z"), "fw.yaml").signoffs.size(), 1u);
  auto w = error_of(replace(with, "2024-11-02", "2024-13-45"));
  EXPECT_EQ(w.field, "signoffs[0].date");
  EXPECT_EQ(w.line, 49);
  EXPECT_EQ(error_of(replace(with, "2024-11-02", "yesterday")).field, "signoffs[0].date");
  EXPECT_EQ(error_of(replace(with, "by: Head of Mission", "by: ''")).field, "signoffs[0].by");
}

}  // namespace
}  // namespace endstate::benchmarks
