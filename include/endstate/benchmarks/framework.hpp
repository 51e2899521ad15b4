#pragma once
// A transition benchmark framework: benchmarks (core or contextual), the
// indicators they are judged on (observed, or derived from events with the
// derivation spelled out), stakeholders with their own thresholds and
// sustain rules, the readiness rule, a version label and sign-offs.
// The YAML format is documented field by field in docs/benchmarks.md.
// Thresholds belong to stakeholders, not to indicators: the government,
// communities, humanitarians and the UN tolerate different levels of risk
// (MONUSCO/Government of the DRC Joint Strategy on the progressive and
// phased drawdown of MONUSCO, 2020; UN Security Council resolution 2556).

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "endstate/core/domain.hpp"
#include "endstate/core/panel.hpp"

namespace endstate::benchmarks {

enum class BenchmarkKind { kCore, kContextual };
enum class Category { kProtection, kStateAuthority, kJusticeAccountability, kDdr, kIdpReturns, kPolitical, kOther };
enum class Direction { kLowerIsBetter, kHigherIsBetter };
enum class IndicatorSource { kObserved, kEvents };
/// How a window of monthly values becomes one indicator value.
enum class Statistic {
  kSum,            ///< sum over the window
  kMean,           ///< mean over the window
  kMax,            ///< largest month in the window
  kMin,            ///< smallest month in the window
  kMonthsWithAny,  ///< number of months in the window with a value > 0
  kLast,           ///< the last month of the window (window 1)
};

std::string to_string(BenchmarkKind k);
std::string to_string(Category c);
std::string to_string(Direction d);
std::string to_string(IndicatorSource s);
std::string to_string(Statistic s);

/// How the monthly series of an indicator is built and windowed.
struct Derivation {
  /// Events only: what is counted per month.
  SeriesSpec::Measure measure = SeriesSpec::Measure::kEvents;
  /// Events only: violence types included (empty = all types).
  std::vector<ViolenceType> violence_types;
  /// Observed only: the indicator id in the observations table.
  std::string observed_indicator;
  int window_months = 1;
  Statistic statistic = Statistic::kLast;
  /// When set, the statistic is divided by population and multiplied by this (e.g. 100000).
  std::optional<double> per_population;
};

struct IndicatorDef {
  std::string id;
  std::string name;
  std::string unit;
  Direction direction = Direction::kLowerIsBetter;
  IndicatorSource source = IndicatorSource::kObserved;
  Derivation derivation;
  int line = 0;  ///< 1-based line in the YAML file
};

struct BenchmarkDef {
  std::string id;
  std::string name;
  BenchmarkKind kind = BenchmarkKind::kCore;
  Category category = Category::kOther;
  double weight = 1.0;
  std::vector<std::string> indicators;  ///< ids; the benchmark is met when all are met
  int line = 0;
};

/// One stakeholder's threshold on one indicator.
struct Threshold {
  double value = 0;
  std::map<std::string, double> per_area;  ///< area id -> threshold that replaces `value` there
  std::optional<int> sustain_months;       ///< overrides the stakeholder's rule for this indicator
  [[nodiscard]] double for_area(const std::string& area_id) const;
};

struct Stakeholder {
  std::string id;
  std::string name;
  int sustain_months = 1;                       ///< met for this many consecutive months
  std::map<std::string, Threshold> thresholds;  ///< indicator id -> threshold
  int line = 0;
  [[nodiscard]] int sustain_for(const std::string& indicator) const;
};

/// A sign-off recorded in the file or by `endstate benchmarks signoff`.
struct SignOff {
  std::string stakeholder;
  std::string by;
  std::string date;            ///< ISO date or date-time
  std::string version_sha256;  ///< the framework text's SHA-256 the signatory agreed to
};

struct Framework {
  std::string id;
  std::string name;
  std::string version;            ///< the user's label ("2024.1")
  std::string area_level;         ///< level assessed ("province")
  double contextual_share = 0.5;  ///< weighted share of contextual benchmarks that must be met
  std::vector<IndicatorDef> indicators;
  std::vector<BenchmarkDef> benchmarks;
  std::vector<Stakeholder> stakeholders;
  std::vector<SignOff> signoffs;

  [[nodiscard]] std::optional<std::size_t> indicator_index(const std::string& id) const;
  [[nodiscard]] std::optional<std::size_t> stakeholder_index(const std::string& id) const;
};

/// Parses and validates a framework. Throws Error(kBadInput) with
/// file, line and field ("stakeholders[1].thresholds.foo") on the first problem:
/// text that is not UTF-8 or holds NUL bytes, more than one YAML document, a
/// key given twice in one mapping, unknown keys (top level included), values
/// of the wrong YAML type (a list where a name is expected ...), duplicate
/// ids, unknown indicators, missing thresholds, bad
/// direction/kind/category/statistic, out-of-range numbers, a sign-off with
/// an empty signatory or a date that is not a real day.
Framework parse_framework(const std::string& yaml_text, const std::string& file_name);

}  // namespace endstate::benchmarks
