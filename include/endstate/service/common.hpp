#pragma once
// What every engine call shares: the hooks through which the engine reports
// (it never writes to stdout or stderr itself) and the selection of an area
// level and month range.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "endstate/core/domain.hpp"
#include "endstate/core/types.hpp"

namespace endstate::service {

/// Callbacks of long or noisy work; any may be empty.
struct Hooks {
  /// Something the user should know that does not stop the call (an unused threshold, a fallback).
  std::function<void(const std::string& message)> warning;
  /// Progress of a stage: `done` of `total` (total 0 = unknown).
  std::function<void(const std::string& stage, std::int64_t done, std::int64_t total)> progress;
  /// Polled between units of long work; returning true stops the call with Error(kUsage) "cancelled".
  std::function<bool()> cancelled;
};

/// The areas of one level over a range of months.
struct PanelRange {
  std::string level;          ///< "" = province when present, else the first level below the top
  std::optional<Month> from;  ///< "" = month of the first stored event
  std::optional<Month> to;    ///< "" = month of the last stored event
};

/// Areas with their WKB geometry, for maps (GeoJSON writers); empty unless asked for.
using AreaShapes = std::vector<Area>;

}  // namespace endstate::service
