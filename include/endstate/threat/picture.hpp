#pragma once
// Threat picture: the area x month panel as rows (events and fatalities by
// violence type, civilian deaths, rates per 100,000 people), a composite
// threat index whose weights are configuration, its EWMA level and a trend
// test over the last months.
//
// Methods:
// - EWMA: Roberts (1959), "Control chart tests based on geometric moving
//   averages", Technometrics 1:239. L_0 = x_0, L_t = lambda x_t + (1-lambda) L_{t-1}.
// - Trend: Mann-Kendall test (Mann 1945, Econometrica 13:245; Kendall 1975,
//   Rank Correlation Methods), S = sum_{i<j} sign(x_j - x_i), variance with the
//   tie correction n(n-1)(2n+5)/18 - sum_g t_g(t_g-1)(2t_g+5)/18, continuity-
//   corrected Z, two-sided normal p-value; Sen's (1968, JASA 63:1379) slope as
//   the size of the trend.
// Pure functions over in-memory values: no database, no files.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "endstate/core/panel.hpp"
#include "endstate/core/types.hpp"

namespace endstate::threat {

/// Violence groups reported in the panel: state-based, non-state, one-sided
/// (violence against civilians, VAC) and everything else (riots, protests,
/// remote violence, strategic developments, other).
enum class Group { kState, kNonState, kVac, kOther };
inline constexpr std::size_t kGroups = 4;
Group group_of(ViolenceType t);
std::string_view group_name(Group g);  ///< "state", "nonstate", "vac", "other"

/// One area-month of the threat panel. Rates are per 100,000 people and are
/// nullopt when the area's population is unknown or zero.
struct PanelRow {
  std::size_t area = 0;   ///< index into Panel::areas()
  std::size_t month = 0;  ///< index into the panel's months
  std::array<std::int64_t, kGroups> events{};
  std::array<std::int64_t, kGroups> fatalities{};
  std::int64_t events_total = 0;
  std::int64_t fatalities_total = 0;
  std::int64_t civilian_deaths = 0;
  std::optional<double> fatalities_per_100k;
  std::optional<double> vac_fatalities_per_100k;
  std::optional<double> civilian_deaths_per_100k;
  std::optional<double> vac_events_per_100k;
};

/// Every area-month of `panel` (zero rows kept), ordered by area then month.
std::vector<PanelRow> panel_rows(const Panel& panel);

/// Per 100,000 people; nullopt when the population is unknown or not positive.
std::optional<double> per_100k(double count, std::optional<double> population);

/// Weights of the composite threat index. The index of an area-month is the
/// weighted sum of its components; a rate component of an area without a
/// population counts as 0 (and the row says the population is unknown).
struct IndexWeights {
  double vac_fatalities_per_100k = 1.0;      ///< one-sided fatalities per 100k people
  double vac_events = 0.5;                   ///< one-sided events
  double battle_events = 0.25;               ///< state-based + non-state events
  double battle_fatalities_per_100k = 0.25;  ///< state-based + non-state fatalities per 100k
  double civilian_deaths_per_100k = 0.0;     ///< civilian deaths (any type) per 100k
  double other_events = 0.0;                 ///< riots, protests, remote violence, strategic, other
};

/// The weight names accepted in a weights file, in documentation order.
std::vector<std::string> weight_names();

/// Parses a weights file's text: a YAML mapping `name: number` (names from
/// weight_names(); unknown names, non-numbers, negative or non-finite values
/// are errors naming `file`, line and key). Missing names keep their defaults.
IndexWeights parse_weights_yaml(const std::string& text, const std::string& file);

/// The composite index of one panel row.
double index_value(const PanelRow& row, const IndexWeights& w);

enum class Trend { kRising, kStable, kFalling };
std::string_view trend_name(Trend t);

/// Mann-Kendall trend test of a series (in time order).
struct MannKendall {
  std::size_t n = 0;
  double s = 0;                  ///< Kendall's S
  double variance = 0;           ///< Var(S) with the tie correction
  double z = 0;                  ///< continuity-corrected
  double p_value = 1;            ///< two-sided
  double sen_slope = 0;          ///< median of pairwise slopes (per month)
  Trend trend = Trend::kStable;  ///< rising/falling when p < alpha, else stable
};

/// Mann-Kendall test at level `alpha`; a series shorter than 3 is stable with p = 1.
MannKendall mann_kendall(const std::vector<double>& x, double alpha);

/// EWMA of a series: L_0 = x_0, L_t = lambda x_t + (1 - lambda) L_{t-1}; 0 < lambda <= 1.
std::vector<double> ewma(const std::vector<double>& x, double lambda);

struct IndexOptions {
  IndexWeights weights;
  double lambda = 0.3;            ///< EWMA smoothing
  std::size_t trend_months = 12;  ///< Mann-Kendall over the last k months up to each month
  double alpha = 0.05;            ///< trend significance
};

/// One area-month of the index.
struct IndexRow {
  std::size_t area = 0;
  std::size_t month = 0;
  double index = 0;
  double ewma = 0;
  MannKendall trend;  ///< over the last trend_months months of the index, ending at this month
  bool population_known = false;
};

/// The index, EWMA and trend for every area-month (ordered by area then month).
/// Error(kUsage) when lambda is outside (0,1], trend_months < 3 or alpha outside (0,1).
std::vector<IndexRow> threat_index(const Panel& panel, const IndexOptions& options);

}  // namespace endstate::threat
