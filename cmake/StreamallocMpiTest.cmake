# streamalloc_add_mpi_test(<name> SOURCES <files...> | TARGET <existing executable>
#                          [LIBS <targets...>] [RANKS <n>...] [TIMEOUT <seconds>]
#                          [MPIEXEC_ARGS <args...>] [ARGS <args...>] [ENVIRONMENT <VAR=value...>])
#
# Builds ONE GoogleTest executable (from SOURCES; or reuses TARGET, to run an existing suite in
# another MPI configuration) and registers it once per rank count as
#   mpi.<name>.np<N>:  mpiexec -n N [--oversubscribe --allow-run-as-root] <MPIEXEC_ARGS> <exe> <ARGS>
# with PROCESSORS N, LABELS "mpi;np<N>", a TIMEOUT (default 120 s, 4 times that in a sanitizer
# build: a deadlock must fail the test, not hang CI) and Open MPI's run-as-root variables (plus ENVIRONMENT). There is deliberately no
# test discovery: one ctest per (binary, rank count), as KaMPIng does, because a discovered test
# per TEST() would start N processes per test case. The executable's main must all-reduce the
# verdict (see tests/mpi/mpi_test_main.cpp) so that a failure on any rank fails the ctest.
# RANKS defaults to 1 2 3 4; oversubscription lets every count run on a 2-core machine.
include_guard(GLOBAL)

find_package(MPI 3.0 REQUIRED COMPONENTS CXX)

# --oversubscribe and --allow-run-as-root are Open MPI's; other launchers reject them. Asking the
# launcher works however find_package(MPI) was first called (MPI_<lang>_LIBRARY_VERSION_STRING is
# only set when MPI_DETERMINE_LIBRARY_VERSION was on at that time).
execute_process(COMMAND ${MPIEXEC_EXECUTABLE} --version OUTPUT_VARIABLE _streamalloc_mpiexec_version
                ERROR_QUIET RESULT_VARIABLE _streamalloc_mpiexec_rc)
if(_streamalloc_mpiexec_version MATCHES "Open MPI|OpenRTE")
  set(_streamalloc_mpiexec_default --oversubscribe --allow-run-as-root)
else()
  set(_streamalloc_mpiexec_default "")
endif()
set(STREAMALLOC_MPIEXEC_EXTRA_FLAGS "${_streamalloc_mpiexec_default}" CACHE STRING
    "Flags passed to mpiexec before the program in MPI tests")

function(streamalloc_add_mpi_test name)
  cmake_parse_arguments(ARG "" "TIMEOUT;TARGET" "SOURCES;LIBS;RANKS;MPIEXEC_ARGS;ARGS;ENVIRONMENT"
                        ${ARGN})
  if(NOT ARG_SOURCES AND NOT ARG_TARGET)
    message(FATAL_ERROR "streamalloc_add_mpi_test(${name}): give SOURCES or TARGET")
  endif()
  if(NOT ARG_RANKS)
    set(ARG_RANKS 1 2 3 4)
  endif()
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 120)
  endif()
  # Sanitizer builds run 2-5 times slower (mpi.verify.np4: 108 s of 120 under ASan on 2 cores).
  if(STREAMALLOC_SANITIZE)
    math(EXPR ARG_TIMEOUT "${ARG_TIMEOUT} * 4")
  endif()

  if(ARG_TARGET)
    set(exe ${ARG_TARGET})
  else()
    set(exe streamalloc_mpi_${name}_test)
    add_executable(${exe} ${ARG_SOURCES})
    target_link_libraries(${exe} PRIVATE streamalloc::mpi GTest::gtest ${ARG_LIBS})
    streamalloc_target_warnings(${exe})
  endif()

  foreach(n IN LISTS ARG_RANKS)
    set(test mpi.${name}.np${n})
    add_test(NAME ${test}
             COMMAND ${MPIEXEC_EXECUTABLE} ${MPIEXEC_NUMPROC_FLAG} ${n} ${MPIEXEC_PREFLAGS}
                     ${STREAMALLOC_MPIEXEC_EXTRA_FLAGS} ${ARG_MPIEXEC_ARGS}
                     $<TARGET_FILE:${exe}> ${MPIEXEC_POSTFLAGS} ${ARG_ARGS})
    set_tests_properties(${test} PROPERTIES
      PROCESSORS ${n}
      LABELS "mpi;np${n}"
      TIMEOUT ${ARG_TIMEOUT}
      ENVIRONMENT "OMPI_ALLOW_RUN_AS_ROOT=1;OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1;${ARG_ENVIRONMENT}")
  endforeach()
endfunction()
