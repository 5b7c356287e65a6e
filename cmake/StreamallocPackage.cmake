# Installs the CMake package (config + version + targets), a build-tree export, and pkg-config
# files, so consumers can use find_package(streamalloc COMPONENTS ...) or pkg-config alike:
#   streamalloc.pc           C++ serial core        streamalloc-mpi.pc       C++ MPI runtime
#   streamalloc-c.pc         C API (serial)         streamalloc-c-mpi.pc     C API with MPI
#   streamalloc-fortran.pc   Fortran module (when built)
# Every file is relocatable (paths relative to where it is installed).
include(CMakePackageConfigHelpers)

set(STREAMALLOC_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/streamalloc)

install(EXPORT streamalloc-targets NAMESPACE streamalloc:: FILE streamalloc-targets.cmake
        DESTINATION ${STREAMALLOC_CMAKE_DIR} COMPONENT dev)
export(EXPORT streamalloc-targets NAMESPACE streamalloc::
       FILE ${PROJECT_BINARY_DIR}/streamalloc-targets.cmake)

if(NOT STREAMALLOC_BUILD_FORTRAN)
  set(STREAMALLOC_BUILD_FORTRAN OFF)
endif()
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/streamalloc-config.cmake.in
  ${PROJECT_BINARY_DIR}/streamalloc-config.cmake INSTALL_DESTINATION ${STREAMALLOC_CMAKE_DIR})
# 0.x: minor versions may break compatibility, so only the same minor version is compatible.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/streamalloc-config-version.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/streamalloc-config.cmake
              ${PROJECT_BINARY_DIR}/streamalloc-config-version.cmake
        DESTINATION ${STREAMALLOC_CMAKE_DIR} COMPONENT dev)

# pkg-config. With static libraries a C program must also name the C++ libraries behind the C
# API (and the C++ runtime); with shared ones they are the C libraries' own dependencies
# (Libs.private, for `pkg-config --static`).
file(RELATIVE_PATH STREAMALLOC_PC_INCLUDE_FROM_PCDIR ${CMAKE_INSTALL_FULL_LIBDIR}/pkgconfig
     ${CMAKE_INSTALL_FULL_INCLUDEDIR})
set(_c_deps "-lstreamalloc_claims -lstreamalloc_core -lstdc++ -lm")
set(_c_mpi_deps "-lstreamalloc_mpi -lstreamalloc_claims -lstreamalloc_core -lboost_mpi -lboost_serialization -lstdc++")
if(NOT BUILD_SHARED_LIBS)
  # A static libstreamalloc_mpi.a was compiled with MPI's C++ setup (Open MPI's C++ bindings
  # among it): a C program linking it with mpicc needs those libraries too.
  find_package(MPI 3.0 REQUIRED COMPONENTS CXX)
  string(JOIN " " _mpi_cxx_libraries ${MPI_CXX_LIBRARIES})
  string(APPEND _c_mpi_deps " ${_mpi_cxx_libraries}")
endif()
if(BUILD_SHARED_LIBS)
  set(STREAMALLOC_PC_C_DEPENDENCIES "")
  set(STREAMALLOC_PC_C_PRIVATE "${_c_deps}")
  set(STREAMALLOC_PC_C_MPI_DEPENDENCIES "")
  set(STREAMALLOC_PC_C_MPI_PRIVATE "${_c_mpi_deps}")
else()
  set(STREAMALLOC_PC_C_DEPENDENCIES "${_c_deps}")
  set(STREAMALLOC_PC_C_PRIVATE "")
  set(STREAMALLOC_PC_C_MPI_DEPENDENCIES "${_c_mpi_deps}")
  set(STREAMALLOC_PC_C_MPI_PRIVATE "")
endif()
set(_pc_files streamalloc streamalloc-mpi streamalloc-c streamalloc-c-mpi)
if(STREAMALLOC_BUILD_FORTRAN)
  set(STREAMALLOC_FORTRAN_COMPILER_ID ${CMAKE_Fortran_COMPILER_ID})
  set(STREAMALLOC_FORTRAN_COMPILER_VERSION ${CMAKE_Fortran_COMPILER_VERSION})
  list(APPEND _pc_files streamalloc-fortran)
endif()
foreach(pc IN LISTS _pc_files)
  configure_file(${PROJECT_SOURCE_DIR}/cmake/${pc}.pc.in ${PROJECT_BINARY_DIR}/pkgconfig/${pc}.pc @ONLY)
  install(FILES ${PROJECT_BINARY_DIR}/pkgconfig/${pc}.pc
          DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig COMPONENT dev)
endforeach()
