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

# endstate_add_unit_test(NAME SOURCES ... DEPS ...)
# One GoogleTest executable per module, linked only to that module.
function(endstate_add_unit_test name)
  cmake_parse_arguments(T "" "" "SOURCES;DEPS;LABELS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE ${T_DEPS} GTest::gtest GTest::gtest_main endstate_warnings)
  target_include_directories(${name} PRIVATE ${PROJECT_BINARY_DIR}/tests ${PROJECT_SOURCE_DIR}/tests)
  if(NOT T_LABELS)
    set(T_LABELS unit)
  endif()
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES LABELS "${T_LABELS}")
endfunction()
