# Builds and runs the sanitizer and fuzzing checks in a folder of their own
# (cmake -P script; used by the ctest tests `sanitize` and `fuzz` and by
# `make fuzz`).
#
#   cmake -DMODE=sanitize|fuzz -DSOURCE_DIR=<repo> -DBUILD_DIR=<folder> [-DJOBS=2]
#         [-DSECONDS=10] [-DTARGETS=ucdp_geojson;framework] [-DWITH_CLI=ON]
#         -P cmake/ci_sanitizers.cmake
#
# The folder is configured once: with clang (cmake/fuzz.cmake: ASan + UBSan +
# libFuzzer coverage), else with the default compiler (cmake/sanitize.cmake:
# ASan + UBSan). MODE=sanitize builds and runs the unit tests of core, geo,
# ingest, store and benchmarks and the fuzz corpus replay (WITH_CLI=ON: also
# the endstate binary and the CLI tests, which doubles the build); MODE=fuzz (clang
# only; prints CI-SKIPPED otherwise) builds every harness, replays its corpus
# (tests/fuzz/corpus/<target>) and fuzzes it for SECONDS seconds, printing the
# executions per second. A crash leaves its input in <folder>/fuzz-artifacts/
# and fails the run: add it to tests/fuzz/corpus/<target>/ once fixed.
cmake_minimum_required(VERSION 3.25)

foreach(v MODE SOURCE_DIR BUILD_DIR)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "ci_sanitizers.cmake: -D${v}=... is required")
  endif()
endforeach()
if(NOT DEFINED JOBS)
  set(JOBS 2)
endif()
if(NOT DEFINED SECONDS)
  set(SECONDS 10)
endif()

string(TIMESTAMP t_start "%s")

# --- configure once -------------------------------------------------------------------
if(NOT EXISTS ${BUILD_DIR}/CMakeCache.txt)
  find_program(CLANGXX clang++)
  if(CLANGXX)
    set(init ${SOURCE_DIR}/cmake/fuzz.cmake)
  elseif(MODE STREQUAL "fuzz")
    message("CI-SKIPPED: clang++ not found (scripts/install-deps installs it); the fuzz harnesses need libFuzzer")
    return()
  else()
    set(init ${SOURCE_DIR}/cmake/sanitize.cmake)
  endif()
  message(STATUS "configuring ${BUILD_DIR} with ${init}")
  execute_process(COMMAND ${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${BUILD_DIR} -C ${init}
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "configure failed:\n${out}")
  endif()
endif()
load_cache(${BUILD_DIR} READ_WITH_PREFIX C_ CMAKE_CXX_COMPILER ENDSTATE_BUILD_FUZZ ENDSTATE_FUZZ_TARGETS)
if(MODE STREQUAL "fuzz" AND NOT C_ENDSTATE_BUILD_FUZZ)
  message("CI-SKIPPED: ${BUILD_DIR} was configured without clang (${C_CMAKE_CXX_COMPILER}); no fuzz harnesses")
  return()
endif()

function(build)
  string(TIMESTAMP t0 "%s")
  execute_process(COMMAND ${CMAKE_COMMAND} --build ${BUILD_DIR} -j ${JOBS} --target ${ARGN}
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  string(TIMESTAMP t1 "%s")
  math(EXPR dt "${t1} - ${t0}")
  if(NOT rc EQUAL 0)
    string(LENGTH "${out}" n)
    if(n GREATER 20000)
      math(EXPR from "${n} - 20000")
      string(SUBSTRING "${out}" ${from} -1 out)
    endif()
    message(FATAL_ERROR "build failed:\n${out}")
  endif()
  message(STATUS "built ${ARGN} in ${dt} s")
endfunction()

set(sanitizer_env
    "ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1"
    "UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1")

# --- sanitize: the unit tests under ASan + UBSan ------------------------------------------
if(MODE STREQUAL "sanitize")
  set(tests core_tests geo_tests store_tests ingest_tests benchmarks_tests fuzz_regression_tests)
  if(WITH_CLI)
    list(APPEND tests cli_tests benchmarks_cli_tests threat_cli_tests)
  endif()
  build(${tests})
  set(failed "")
  foreach(t IN LISTS tests)
    if(t STREQUAL "fuzz_regression_tests")
      set(exe ${BUILD_DIR}/tests/fuzz/${t})
    elseif(t MATCHES "cli_tests$")
      set(exe ${BUILD_DIR}/tests/cli/${t})
    else()
      string(REPLACE "_tests" "" module ${t})
      set(exe ${BUILD_DIR}/tests/unit/${module}/${t})
    endif()
    string(TIMESTAMP t0 "%s")
    execute_process(COMMAND ${CMAKE_COMMAND} -E env ${sanitizer_env} ${exe} --gtest_brief=1
                    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
    string(TIMESTAMP t1 "%s")
    math(EXPR dt "${t1} - ${t0}")
    if(rc EQUAL 0)
      string(REGEX MATCH "PASSED  \\] [0-9]+ tests?" passed "${out}")
      message(STATUS "${t}: ${passed} (${dt} s)")
    else()
      message("${out}")
      message(STATUS "${t}: FAILED (exit ${rc}, ${dt} s)")
      list(APPEND failed ${t})
    endif()
  endforeach()
  string(TIMESTAMP t_end "%s")
  math(EXPR total "${t_end} - ${t_start}")
  message(STATUS "sanitize: ${total} s in all (compiler ${C_CMAKE_CXX_COMPILER})")
  if(failed)
    message(FATAL_ERROR "sanitizer failures in: ${failed}")
  endif()
  return()
endif()

# --- fuzz: every harness, its corpus, then SECONDS of fuzzing --------------------------------
if(NOT MODE STREQUAL "fuzz")
  message(FATAL_ERROR "MODE must be sanitize or fuzz")
endif()
if(DEFINED TARGETS)
  set(targets ${TARGETS})
else()
  set(targets ${C_ENDSTATE_FUZZ_TARGETS})
endif()
set(harnesses "")
foreach(t IN LISTS targets)
  list(APPEND harnesses ${t}_fuzz)
endforeach()
build(${harnesses})

set(failed "")
file(MAKE_DIRECTORY ${BUILD_DIR}/fuzz-artifacts)
foreach(t IN LISTS targets)
  set(exe ${BUILD_DIR}/tests/fuzz/${t}_fuzz)
  set(seeds ${SOURCE_DIR}/tests/fuzz/corpus/${t})
  set(work ${BUILD_DIR}/fuzz-corpus/${t})
  file(MAKE_DIRECTORY ${work})
  set(common -rss_limit_mb=2560 -malloc_limit_mb=2048 -timeout=10 -artifact_prefix=${BUILD_DIR}/fuzz-artifacts/${t}-)
  if(EXISTS ${SOURCE_DIR}/tests/fuzz/dict/${t}.dict)
    list(APPEND common -dict=${SOURCE_DIR}/tests/fuzz/dict/${t}.dict)
  endif()
  # 1. Every seed and regression input, once each.
  file(GLOB inputs LIST_DIRECTORIES false ${seeds}/*)
  if(inputs)
    execute_process(COMMAND ${CMAKE_COMMAND} -E env ${sanitizer_env} ${exe} ${common} ${inputs}
                    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
    if(NOT rc EQUAL 0)
      message("${out}")
      message(STATUS "${t}: corpus replay FAILED (exit ${rc})")
      list(APPEND failed ${t})
      continue()
    endif()
  endif()
  list(LENGTH inputs n_inputs)
  # 2. Fuzzing for SECONDS, growing the working corpus (the seeds stay as they are).
  #    SEED (the ctest test: 1) fixes libFuzzer's random choices, so a CI run
  #    explores the same inputs first instead of failing at random on a new find.
  set(seed_arg "")
  if(DEFINED SEED)
    set(seed_arg -seed=${SEED})
  endif()
  execute_process(COMMAND ${CMAKE_COMMAND} -E env ${sanitizer_env} ${exe} ${common} ${seed_arg} -max_total_time=${SECONDS}
                          -print_final_stats=1 ${work} ${seeds}
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  string(REGEX MATCH "stat::number_of_executed_units: *[0-9]+" runs "${out}")
  string(REGEX REPLACE "[^0-9]" "" runs "${runs}")
  string(REGEX MATCH "Done [0-9]+ runs in [0-9]+ second" done "${out}")
  string(REGEX REPLACE "Done [0-9]+ runs in ([0-9]+) second" "\\1" secs "${done}")
  string(REGEX MATCH "stat::new_units_added: *[0-9]+" added "${out}")
  string(REGEX REPLACE "[^0-9]" "" added "${added}")
  if(runs AND secs AND secs GREATER 0)
    math(EXPR rate "${runs} / ${secs}")
  else()
    set(rate "?")
  endif()
  if(rc EQUAL 0)
    message(STATUS "${t}: ${n_inputs} corpus inputs ok; ${runs} runs in ${secs} s = ${rate} exec/s; ${added} new units")
  else()
    message("${out}")
    message(STATUS "${t}: FUZZING FOUND A CRASH (exit ${rc}); input saved under ${BUILD_DIR}/fuzz-artifacts/${t}-*")
    list(APPEND failed ${t})
  endif()
endforeach()
string(TIMESTAMP t_end "%s")
math(EXPR total "${t_end} - ${t_start}")
message(STATUS "fuzz: ${total} s in all")
if(failed)
  message(FATAL_ERROR "fuzzing failures in: ${failed}")
endif()
