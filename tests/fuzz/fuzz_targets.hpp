#pragma once
// Fuzz targets shared by the libFuzzer harnesses (clang, tests/fuzz/CMakeLists.txt)
// and the regression test that replays tests/fuzz/corpus/ under any compiler.
// Every target reads from memory (no temporary files) and must never crash,
// hang, leak or read out of bounds; an endstate::Error is an expected outcome,
// any other exception escaping is a finding (the CLI would exit 4).

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace endstate::fuzz {

using Target = int (*)(const std::uint8_t* data, std::size_t size);

/// Arbitrary bytes as CSV (core::CsvReader).
int csv_target(const std::uint8_t* data, std::size_t size);
/// As a UCDP, an ACLED and a generic events file in turn (the first harness; kept for its corpus).
int events_target(const std::uint8_t* data, std::size_t size);
/// UCDP GED: CSV, or GeoJSON when the bytes start with '{' (two harnesses, two corpora).
int ucdp_target(const std::uint8_t* data, std::size_t size);
/// ACLED export CSV.
int acled_target(const std::uint8_t* data, std::size_t size);
/// Generic events CSV; the first line is the --map spec, the rest the file.
int events_csv_target(const std::uint8_t* data, std::size_t size);
/// Geo-PKO v2.0 or v2.3 (detected from the header).
int geopko_target(const std::uint8_t* data, std::size_t size);
/// Generic sites CSV.
int sites_csv_target(const std::uint8_t* data, std::size_t size);
/// Observations CSV.
int observations_target(const std::uint8_t* data, std::size_t size);
/// Benchmark framework YAML.
int framework_target(const std::uint8_t* data, std::size_t size);
/// Threat index weights YAML.
int weights_target(const std::uint8_t* data, std::size_t size);
/// OR-Library p-median file.
int orlib_target(const std::uint8_t* data, std::size_t size);
/// Transition plan YAML (plan::parse_plan).
int plan_target(const std::uint8_t* data, std::size_t size);
/// Task register YAML (tasks::parse_register).
int tasks_target(const std::uint8_t* data, std::size_t size);
/// Carana scenario configuration YAML (scenario::parse_config, `scenario generate --config`).
int scenario_config_target(const std::uint8_t* data, std::size_t size);
/// Dissolve crosswalk CSV (key column "id", group column "group").
int crosswalk_target(const std::uint8_t* data, std::size_t size);
/// Localities and candidate sites CSV (ingest::read_points_csv).
int points_target(const std::uint8_t* data, std::size_t size);

/// A target by name (the corpus folder names in tests/fuzz/corpus/), or nullptr.
Target target_named(std::string_view name);
/// Every target name.
const std::vector<std::string_view>& target_names();

}  // namespace endstate::fuzz
