# streamalloc_library(<target> <export name>): what every installed streamalloc library shares —
# the streamalloc::<export name> alias, its file name (lib<target>), the versioned soname
# (major.minor: the ABI may change between minor releases before 1.0), position-independent
# code (a static library may go into a consumer's shared one) and its name in the exported
# CMake package.
function(streamalloc_library target export_name)
  add_library(streamalloc::${export_name} ALIAS ${target})
  set_target_properties(${target} PROPERTIES
    OUTPUT_NAME ${target}
    VERSION ${PROJECT_VERSION}
    SOVERSION ${PROJECT_VERSION_MAJOR}.${PROJECT_VERSION_MINOR}
    POSITION_INDEPENDENT_CODE ON
    EXPORT_NAME ${export_name})
endfunction()
