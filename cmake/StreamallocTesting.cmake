# streamalloc_add_gtest(<name> SOURCES <files...> [LIBS <targets...>] [LABELS <labels...>])
# One GoogleTest executable whose tests ctest discovers individually (serial suites only; MPI
# suites are registered per rank count without discovery, see streamalloc_add_mpi_test).
function(streamalloc_add_gtest name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE streamalloc_test_support GTest::gtest_main ${ARG_LIBS})
  streamalloc_target_warnings(${name})
  set(labels core)
  if(ARG_LABELS)
    set(labels ${ARG_LABELS})
  endif()
  gtest_discover_tests(${name} PROPERTIES LABELS "${labels}" TIMEOUT 300
                       DISCOVERY_TIMEOUT 60)
endfunction()

# streamalloc_add_header_check(<component> <include-dir> <targets...>)
# Each public header under <include-dir>/streamalloc must compile on its own (twice, to prove its
# include guard), linked against <targets...> only: one generated translation unit per header,
# built as the OBJECT library streamalloc_<component>_header_check. This is how the core is kept
# free of <mpi.h>, and every header free of includes it forgets to make itself.
function(streamalloc_add_header_check component include_dir)
  file(GLOB_RECURSE headers RELATIVE ${include_dir} ${include_dir}/streamalloc/*.hpp)
  set(units)
  foreach(header IN LISTS headers)
    # "a/b_c.hpp" and "a_b/c.hpp" must not share a unit: folders become "__".
    string(REPLACE "/" "__" unit ${header})
    string(MAKE_C_IDENTIFIER ${unit} unit)
    set(unit_file ${CMAKE_CURRENT_BINARY_DIR}/header_check/${unit}.cpp)
    file(CONFIGURE OUTPUT ${unit_file} CONTENT "#include \"${header}\"\n#include \"${header}\"\n")
    list(APPEND units ${unit_file})
  endforeach()
  add_library(streamalloc_${component}_header_check OBJECT ${units})
  target_link_libraries(streamalloc_${component}_header_check PRIVATE ${ARGN})
  streamalloc_target_warnings(streamalloc_${component}_header_check)
endfunction()
