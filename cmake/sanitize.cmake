# Initial cache for an AddressSanitizer + UndefinedBehaviorSanitizer build:
#
#     cmake -S . -B build/asan -C cmake/sanitize.cmake
#     cmake --build build/asan -j2 --target core_tests ingest_tests ...
#
# -O1 keeps the build and the tests quick; UB stops a test at the first report
# (-fno-sanitize-recover). Run with ASAN_OPTIONS=detect_leaks=1. With clang
# (-DCMAKE_CXX_COMPILER=clang++ given before -C, or cmake/fuzz.cmake) the same
# flags apply. The CI test `sanitize` (cmake/ci_sanitizers.cmake) uses this.
set(ENDSTATE_SANITIZE_FLAGS "-O1 -g1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined")
set(CMAKE_BUILD_TYPE "" CACHE STRING "flags come from CMAKE_CXX_FLAGS (cmake/sanitize.cmake)")
set(CMAKE_CXX_FLAGS "${ENDSTATE_SANITIZE_FLAGS}" CACHE STRING "ASan + UBSan (cmake/sanitize.cmake)")
set(CMAKE_C_FLAGS "${ENDSTATE_SANITIZE_FLAGS}" CACHE STRING "ASan + UBSan (cmake/sanitize.cmake)")
set(CMAKE_EXE_LINKER_FLAGS "-fsanitize=address,undefined" CACHE STRING "")
set(CMAKE_SHARED_LINKER_FLAGS "-fsanitize=address,undefined" CACHE STRING "")
set(ENDSTATE_BUILD_TESTS ON CACHE BOOL "")
set(ENDSTATE_BUILD_BENCH OFF CACHE BOOL "")
set(ENDSTATE_CI_INNER_BUILD ON CACHE BOOL "a build made by cmake/ci_sanitizers.cmake or by hand for sanitizers")
