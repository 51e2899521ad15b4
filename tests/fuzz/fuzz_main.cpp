// One libFuzzer harness per reader: this file is compiled once per target with
// ENDSTATE_FUZZ_TARGET set to its name (tests/fuzz/CMakeLists.txt), e.g.
// ucdp_geojson_fuzz runs fuzz::target_named("ucdp_geojson").
#include <cstdlib>

#include "fuzz_targets.hpp"

#ifndef ENDSTATE_FUZZ_TARGET
#error "define ENDSTATE_FUZZ_TARGET to a target name"
#endif

namespace {
const endstate::fuzz::Target kTarget = endstate::fuzz::target_named(ENDSTATE_FUZZ_TARGET);
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (!kTarget) std::abort();
  return kTarget(data, size);
}
