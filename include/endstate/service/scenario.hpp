#pragma once
// Requests and results of the built-in scenario (Carana, docs/carana.md).

#include <cstdint>
#include <string>

#include "endstate/scenario/carana.hpp"

namespace endstate::service {

struct ScenarioRequest {
  std::string name = "carana";  ///< the only built-in scenario
  std::string out;              ///< folder to write into (created when absent)
  std::uint64_t seed = 1;
  std::string config_file;  ///< YAML overriding the defaults; "" = defaults
  /// Write into a folder that is not empty (never replaces an endstate
  /// database that holds an audit history).
  bool force = false;
};

struct ScenarioResult {
  scenario::GeneratedDataset dataset;
};

}  // namespace endstate::service
