# The PostgreSQL runs of the test suites (ctest label `postgres`).
#
# tests/postgres/CMakeLists.txt starts a throwaway PostgreSQL 15 + PostGIS 3
# cluster in ENDSTATE_PG_TEST_DIR (a temporary folder, socket only) as the
# ctest fixture `endstate_pg` and stops it at the end.
# endstate_postgres_rerun(TARGET) discovers TARGET's GoogleTest cases a second
# time, named "pg:<suite>.<test>", labelled `postgres`, requiring that fixture
# and with ENDSTATE_TEST_DB_BACKEND=postgresql:<dir>, which the fixtures read
# (tests/postgres/test_store.hpp): the same tests, against the server.
#
#   ctest -L postgres       only the PostgreSQL runs
#   ctest -LE postgres      everything but them

find_program(ENDSTATE_PG_INITDB initdb PATHS /usr/lib/postgresql/15/bin NO_DEFAULT_PATH)
if(ENDSTATE_PG_INITDB AND EXISTS /usr/share/postgresql/15/extension/postgis.control)
  set(endstate_pg_default ON)
else()
  set(endstate_pg_default OFF)
endif()
option(ENDSTATE_TEST_POSTGRESQL "Run the store, ingest, benchmarks and CLI tests against PostgreSQL too" ${endstate_pg_default})
if(ENDSTATE_TEST_POSTGRESQL AND NOT ENDSTATE_PG_INITDB)
  message(FATAL_ERROR "ENDSTATE_TEST_POSTGRESQL needs PostgreSQL 15 and PostGIS 3: run scripts/install-deps")
endif()
# Short (the socket path must fit in 107 bytes), unique per build tree.
string(MD5 endstate_pg_hash "${PROJECT_BINARY_DIR}")
string(SUBSTRING "${endstate_pg_hash}" 0 10 endstate_pg_hash)
set(ENDSTATE_PG_TEST_DIR "/tmp/endstate-pgtest-${endstate_pg_hash}" CACHE PATH "Where the test cluster lives while tests run")

# endstate_postgres_rerun(TARGET [FILTER gtest-filter]): FILTER leaves out the
# cases that do not touch a store (help texts, the demo's own SQLite file).
function(endstate_postgres_rerun target)
  if(NOT ENDSTATE_TEST_POSTGRESQL)
    return()
  endif()
  cmake_parse_arguments(R "" "FILTER" "" ${ARGN})
  set(filter_args "")
  if(R_FILTER)
    set(filter_args TEST_FILTER "${R_FILTER}")
  endif()
  gtest_discover_tests(${target}
    TEST_PREFIX "pg:"
    ${filter_args}
    DISCOVERY_TIMEOUT 60
    PROPERTIES
      LABELS postgres
      FIXTURES_REQUIRED endstate_pg
      ENVIRONMENT "ENDSTATE_TEST_DB_BACKEND=postgresql:${ENDSTATE_PG_TEST_DIR}")
endfunction()
