# STREAMALLOC_SANITIZE=<list for -fsanitize=>, e.g. address,undefined: builds everything this
# project compiles and links (libraries, apps, tests, benchmarks) with those sanitizers. With
# "undefined", every UBSan finding aborts (-fno-sanitize-recover=undefined), so a report fails
# its test. STREAMALLOC_SANITIZER_FLAGS holds the flags, for what is built outside this tree
# against it (the consumer tests pass them to their own builds).
#
# Tests see ASAN_OPTIONS/UBSAN_OPTIONS/LSAN_OPTIONS (unless already set in the environment):
# leak checking on, with tests/sanitizers/lsan.supp, which names only Open MPI's own libraries
# (Open MPI 4.1 does not free what it allocates at MPI_Init/MPI_Finalize).
# fast_unwind_on_malloc=0: the frame-pointer unwinder stops inside Open MPI's libraries (built
# without frame pointers), so the suppressions would not see them in the stack.
include_guard(GLOBAL)

set(STREAMALLOC_SANITIZE "" CACHE STRING
    "Sanitizers for -fsanitize= (e.g. address,undefined); empty for none")
set(STREAMALLOC_SANITIZER_FLAGS "")
if(STREAMALLOC_SANITIZE)
  set(STREAMALLOC_SANITIZER_FLAGS -fsanitize=${STREAMALLOC_SANITIZE} -fno-omit-frame-pointer)
  if(STREAMALLOC_SANITIZE MATCHES "undefined")
    list(APPEND STREAMALLOC_SANITIZER_FLAGS -fno-sanitize-recover=undefined)
  endif()
endif()

# libFuzzer targets (tests/fuzz), one per parser of outside input: Clang only, on by default in
# a sanitizer build. They need the code they call instrumented for coverage
# (-fsanitize=fuzzer-no-link), which is then done for everything, like the sanitizers.
if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang" AND STREAMALLOC_SANITIZE AND PROJECT_IS_TOP_LEVEL)
  set(_streamalloc_fuzz_default ON)
else()
  set(_streamalloc_fuzz_default OFF)
endif()
option(STREAMALLOC_BUILD_FUZZERS "Build the libFuzzer targets (Clang)" ${_streamalloc_fuzz_default})
if(STREAMALLOC_BUILD_FUZZERS AND CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  list(APPEND STREAMALLOC_SANITIZER_FLAGS -fsanitize=fuzzer-no-link)
endif()

if(STREAMALLOC_SANITIZER_FLAGS)
  add_compile_options(${STREAMALLOC_SANITIZER_FLAGS})
  add_link_options(${STREAMALLOC_SANITIZER_FLAGS})
  message(STATUS "streamalloc: building with ${STREAMALLOC_SANITIZER_FLAGS}")
endif()

# The environment a test runs in under the sanitizers (see above).
set(STREAMALLOC_LSAN_SUPPRESSIONS ${PROJECT_SOURCE_DIR}/tests/sanitizers/lsan.supp)
set(STREAMALLOC_SANITIZER_ENV
    "ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:detect_stack_use_after_return=0:fast_unwind_on_malloc=0:strict_string_checks=1:check_initialization_order=1"
    "UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1"
    "LSAN_OPTIONS=suppressions=${STREAMALLOC_LSAN_SUPPRESSIONS}:print_suppressions=0:fast_unwind_on_malloc=0")
