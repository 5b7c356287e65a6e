# streamalloc_target_warnings(<target>)
# Our warnings are PRIVATE: they apply to our own sources and never leak into consumers.
function(streamalloc_target_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
                                           -Wsign-conversion -Wnon-virtual-dtor)
  if(STREAMALLOC_WARNINGS_AS_ERRORS)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  # GCC 12 reports -Wrestrict false positives inside libstdc++'s std::string concatenation at
  # -O2/-O3 (GCC PR 105329, fixed in GCC 13); they name no line of ours, so that one diagnostic is
  # off for GCC < 13 and Release builds stay -Werror clean. Debug and RelWithDebInfo (-O2 but
  # fewer inlining decisions) keep it.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    target_compile_options(${target} PRIVATE $<$<CONFIG:Release,MinSizeRel>:-Wno-restrict>)
  endif()
endfunction()
