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
