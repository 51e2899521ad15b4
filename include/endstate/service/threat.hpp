#pragma once
// Requests and results of the threat picture: the area x month panel, the
// composite index with its trend, and the space-time scan (docs/threat.md).

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "endstate/core/panel.hpp"
#include "endstate/service/common.hpp"
#include "endstate/threat/picture.hpp"
#include "endstate/threat/scan.hpp"

namespace endstate::service {

struct ThreatPanelRequest {
  PanelRange range;
};

struct ThreatPanelResult {
  std::string level;
  Panel panel;
  std::vector<threat::PanelRow> rows;
};

struct ThreatIndexRequest {
  PanelRange range;
  std::optional<Month> month;  ///< report only this month (default: every month; maps: the last)
  threat::IndexOptions options;
  std::string weights_file;  ///< YAML 'name: weight'; "" = the defaults in options.weights
  bool with_geometry = false;
};

struct ThreatIndexResult {
  std::string level;
  Panel panel;
  threat::IndexOptions options;
  std::vector<threat::IndexRow> rows;     ///< every area and month (or only `month`)
  std::size_t report_month = 0;           ///< the month index maps show
  std::optional<std::size_t> only_month;  ///< set when the request named a month
  AreaShapes shapes;
};

/// The scan's probability model, or the choice between them.
enum class ScanModelChoice {
  kAuto,  ///< Poisson when every area has a population, else space-time permutation
  kPoisson,
  kPermutation,
};

/// What the scan counts.
enum class ScanMeasure { kEvents, kFatalities };

/// Which violence the scan counts.
enum class ViolenceGroup {
  kVac,  ///< violence against civilians (one-sided)
  kAll,
  kState,  ///< state-based
  kNonState,
};

std::string to_string(ScanMeasure m);
std::string to_string(ViolenceGroup g);

struct HotspotsRequest {
  PanelRange range;
  ScanModelChoice model = ScanModelChoice::kAuto;
  ScanMeasure measure = ScanMeasure::kEvents;
  ViolenceGroup type = ViolenceGroup::kVac;
  threat::ScanOptions options;  ///< options.model is set from `model`
  /// Also produce the SaTScan files (case, coordinates, population, parameters)
  /// that reproduce this analysis, for a side-by-side check in SaTScan.
  bool satscan_files = false;
};

struct HotspotsResult {
  std::string level;
  Panel panel;
  ScanMeasure measure = ScanMeasure::kEvents;
  ViolenceGroup type = ViolenceGroup::kVac;
  threat::ScanOptions options;  ///< as run (the model resolved)
  threat::ScanResult scan;
  std::optional<threat::SatscanFiles> satscan;  ///< when asked for
};

}  // namespace endstate::service
