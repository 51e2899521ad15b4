# Initial cache for the libFuzzer harnesses (clang): every library is built
# with ASan + UBSan and libFuzzer's coverage instrumentation
# (-fsanitize=fuzzer-no-link), so the fuzzer sees the branches of the readers,
# not only of the harness; the harnesses link libFuzzer (tests/fuzz/CMakeLists.txt).
#
#     cmake -S . -B build/fuzz -C cmake/fuzz.cmake
#     cmake --build build/fuzz -j2 --target ucdp_geojson_fuzz
#     build/fuzz/tests/fuzz/ucdp_geojson_fuzz -max_total_time=60 tests/fuzz/corpus/ucdp_geojson
#
# `make fuzz` does all of it for every harness (cmake/ci_sanitizers.cmake). The
# unit tests build here too (they link the sanitizer runtimes, which provide
# the coverage hooks), so one folder serves both CI tests.
set(CMAKE_C_COMPILER clang CACHE STRING "")
set(CMAKE_CXX_COMPILER clang++ CACHE STRING "")
set(ENDSTATE_FUZZ_FLAGS
    "-O1 -g1 -fno-omit-frame-pointer -fsanitize=address,undefined,fuzzer-no-link -fno-sanitize-recover=undefined")
set(CMAKE_BUILD_TYPE "" CACHE STRING "flags come from CMAKE_CXX_FLAGS (cmake/fuzz.cmake)")
set(CMAKE_CXX_FLAGS "${ENDSTATE_FUZZ_FLAGS}" CACHE STRING "ASan + UBSan + coverage (cmake/fuzz.cmake)")
set(CMAKE_C_FLAGS "${ENDSTATE_FUZZ_FLAGS}" CACHE STRING "ASan + UBSan + coverage (cmake/fuzz.cmake)")
set(CMAKE_EXE_LINKER_FLAGS "-fsanitize=address,undefined" CACHE STRING "")
set(CMAKE_SHARED_LINKER_FLAGS "-fsanitize=address,undefined" CACHE STRING "")
set(ENDSTATE_BUILD_TESTS ON CACHE BOOL "")
set(ENDSTATE_BUILD_BENCH OFF CACHE BOOL "")
set(ENDSTATE_BUILD_FUZZ ON CACHE BOOL "")
set(ENDSTATE_CI_INNER_BUILD ON CACHE BOOL "a build made by cmake/ci_sanitizers.cmake or by hand for fuzzing")
