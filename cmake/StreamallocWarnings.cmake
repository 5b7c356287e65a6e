# streamalloc_target_warnings(<target>)
# Our warnings are PRIVATE: they apply to our own sources and never leak into consumers.
function(streamalloc_target_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
                                           -Wsign-conversion -Wnon-virtual-dtor)
  if(STREAMALLOC_WARNINGS_AS_ERRORS)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
