#pragma once
// Fuzz targets shared by the libFuzzer harnesses (clang, -DENDSTATE_BUILD_FUZZ=ON)
// and the regression test that replays tests/fuzz/corpus/ under any compiler.

#include <cstddef>
#include <cstdint>

namespace endstate::fuzz {

/// Parses arbitrary bytes as CSV; must never crash, hang or read out of bounds.
int csv_target(const std::uint8_t* data, std::size_t size);
/// Parses arbitrary bytes as a UCDP, ACLED and generic events file.
int events_target(const std::uint8_t* data, std::size_t size);

}  // namespace endstate::fuzz
