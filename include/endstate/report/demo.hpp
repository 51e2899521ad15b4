#pragma once
// The demo: the product's main job end to end on Carana, through the engine.
// Generates the fictional country into OUT/inputs/, builds OUT/endstate.db
// through the real importers, runs every analysis once and writes a briefing
// (stdout and OUT/results/briefing.md) with maps (GeoJSON) and tables (CSV)
// in OUT/results/.

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "endstate/service/engine.hpp"

namespace endstate::report {

struct DemoOptions {
  std::string out = "demo-out";
  std::uint64_t seed = 1;
  bool force = false;  ///< write into a non-empty folder (never over a database with an audit history)
};

struct DemoResult {
  std::string database;              ///< OUT/endstate.db
  std::string briefing;              ///< OUT/results/briefing.md
  std::string pdf;                   ///< OUT/results/report.pdf ("" when Chromium is not installed)
  std::vector<std::string> results;  ///< files written into OUT/results/
  service::EngineStats stats;        ///< what the engine did (solver calls ...)
  double seconds = 0;
};

/// Runs the demo; the briefing goes to `out` as it is written.
DemoResult run_demo(const DemoOptions& options, std::ostream& out, service::Hooks hooks = {});

}  // namespace endstate::report
