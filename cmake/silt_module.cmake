# silt_module(NAME SOURCES ... PUBLIC_DEPS ... PRIVATE_DEPS ...)
#   One library per module folder, named silt_<NAME>: static, or shared under BUILD_SHARED_LIBS
#   (the dev preset: test binaries then share one copy of each module instead of carrying it).
function(silt_module name)
  cmake_parse_arguments(ARG "" "" "SOURCES;PUBLIC_DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(silt_${name} ${ARG_SOURCES})
  target_include_directories(silt_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(silt_${name} PUBLIC ${ARG_PUBLIC_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
endfunction()

# silt_test(NAME SOURCES ... DEPS ... [LABELS ...])
#   A GoogleTest binary; each TEST becomes a ctest entry carrying LABELS (default: unit).
function(silt_test name)
  if(NOT SILT_BUILD_TESTS)
    return()
  endif()
  cmake_parse_arguments(ARG "" "TIMEOUT" "SOURCES;DEPS;LABELS" ${ARGN})
  if(NOT ARG_LABELS)
    set(ARG_LABELS unit)
  endif()
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 600)
  endif()
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} silt_testing GTest::gtest GTest::gmock
                                        GTest::gtest_main)
  gtest_discover_tests(${name}
    DISCOVERY_TIMEOUT 60
    PROPERTIES LABELS "${ARG_LABELS}" TIMEOUT ${ARG_TIMEOUT}
               ENVIRONMENT "SILT_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
endfunction()
