// libFuzzer harness: clang++ -fsanitize=fuzzer,address (cmake -DENDSTATE_BUILD_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++).
#include "fuzz_targets.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return endstate::fuzz::events_target(data, size);
}
