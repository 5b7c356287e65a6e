# Installs the CMake package (config + version + targets), a build-tree export, and a
# pkg-config file, so consumers can use find_package(streamalloc) or pkg-config alike.
include(CMakePackageConfigHelpers)

set(STREAMALLOC_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/streamalloc)

install(EXPORT streamalloc-targets NAMESPACE streamalloc:: FILE streamalloc-targets.cmake
        DESTINATION ${STREAMALLOC_CMAKE_DIR})
export(EXPORT streamalloc-targets NAMESPACE streamalloc::
       FILE ${PROJECT_BINARY_DIR}/streamalloc-targets.cmake)

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/streamalloc-config.cmake.in
  ${PROJECT_BINARY_DIR}/streamalloc-config.cmake INSTALL_DESTINATION ${STREAMALLOC_CMAKE_DIR})
# 0.x: minor versions may break compatibility, so only the same minor version is compatible.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/streamalloc-config-version.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/streamalloc-config.cmake
              ${PROJECT_BINARY_DIR}/streamalloc-config-version.cmake
        DESTINATION ${STREAMALLOC_CMAKE_DIR})

file(RELATIVE_PATH STREAMALLOC_PC_INCLUDE_FROM_PCDIR ${CMAKE_INSTALL_FULL_LIBDIR}/pkgconfig
     ${CMAKE_INSTALL_FULL_INCLUDEDIR})
configure_file(${PROJECT_SOURCE_DIR}/cmake/streamalloc.pc.in ${PROJECT_BINARY_DIR}/streamalloc.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/streamalloc.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
