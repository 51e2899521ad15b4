# endstate_add_module(NAME SOURCES ... [DEPS ...] [PRIVATE_DEPS ...])
# One static library per module; DEPS states the layering (docs/design.md floors).
function(endstate_add_module name)
  cmake_parse_arguments(M "" "" "SOURCES;DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(endstate_${name} STATIC ${M_SOURCES})
  add_library(endstate::${name} ALIAS endstate_${name})
  target_include_directories(endstate_${name}
    PUBLIC ${PROJECT_SOURCE_DIR}/include
    PRIVATE ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(endstate_${name} PUBLIC ${M_DEPS} PRIVATE ${M_PRIVATE_DEPS} endstate_warnings)
endfunction()

# endstate_test_code_options(TARGET)
# Test code (GoogleTest macros, JSON checks) is compiled at -O1 in the optimised
# build types: the code under test is the libraries', built as configured, and
# optimising the test bodies at -O3 roughly doubled the build on 2 cores.
function(endstate_test_code_options target)
  target_compile_options(${target} PRIVATE $<$<CONFIG:Release,RelWithDebInfo,MinSizeRel>:-O1>)
endfunction()

# endstate_add_unit_test(NAME SOURCES ... DEPS ...)
# One GoogleTest executable per module, linked only to that module.
function(endstate_add_unit_test name)
  cmake_parse_arguments(T "" "" "SOURCES;DEPS;LABELS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE ${T_DEPS} GTest::gtest GTest::gtest_main endstate_warnings)
  target_include_directories(${name} PRIVATE ${PROJECT_BINARY_DIR}/tests ${PROJECT_SOURCE_DIR}/tests)
  endstate_test_code_options(${name})
  if(NOT T_LABELS)
    set(T_LABELS unit)
  endif()
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES LABELS "${T_LABELS}")
endfunction()
