# Debian packages from `cpack -G DEB` (CMake's own DEB generator, dpkg-shlibdeps for the
# shared-library dependencies):
#   libstreamalloc0       the shared libraries (component libs)
#   libstreamalloc-dev    headers, Fortran modules, CMake package, pkg-config files, static
#                         libraries and .so links (component dev)
#   streamalloc-tools     the `streamalloc` CLI and the `streamalloc-mc` demo (component tools)
# Build from a tree configured with BUILD_SHARED_LIBS=ON (scripts/build.sh does), then
#   cd build && cpack -G DEB
# tests/consumers (ctest consumers.deb.*) builds them, checks their control fields and contents,
# and builds and runs a C program against the unpacked tree.
set(CPACK_PACKAGE_NAME streamalloc)
set(CPACK_PACKAGE_VENDOR "streamalloc")
set(CPACK_PACKAGE_CONTACT "streamalloc maintainers <streamalloc@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_GENERATOR DEB)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL libs dev tools)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
# Stripped, as Debian ships libraries (the debug information stays in the build tree).
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://github.com/streamalloc/streamalloc")
# Depends of the binaries' shared libraries (Open MPI, Boost, libstdc++, libgfortran) as
# dpkg-shlibdeps finds them; our own libraries, packaged alongside, have no shlibs file yet.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# dpkg-shlibdeps runs in each component's staging directory; the tools' libraries are those of
# the libs component, staged next to it.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS_PRIVATE_DIRS "../libs/usr/${CMAKE_INSTALL_LIBDIR}")
set(_streamalloc_deb_version "${PROJECT_VERSION}-${CPACK_DEBIAN_PACKAGE_RELEASE}")

set(CPACK_DEBIAN_LIBS_PACKAGE_NAME libstreamalloc0)
set(CPACK_DEBIAN_LIBS_PACKAGE_SECTION libs)
set(CPACK_DEBIAN_LIBS_DESCRIPTION
    "NumPy-exact random streams for MPI programs: shared libraries (C++, C, Fortran)")

set(CPACK_DEBIAN_DEV_PACKAGE_NAME libstreamalloc-dev)
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS
    "libstreamalloc0 (= ${_streamalloc_deb_version}), libopenmpi-dev, libboost-mpi-dev, nlohmann-json3-dev")
set(CPACK_DEBIAN_DEV_PACKAGE_RECOMMENDS "pkg-config, openmpi-bin")
set(CPACK_DEBIAN_DEV_PACKAGE_SUGGESTS "gfortran")
set(CPACK_DEBIAN_DEV_DESCRIPTION
    "NumPy-exact random streams for MPI programs: headers, Fortran modules, CMake and pkg-config files")

set(CPACK_DEBIAN_TOOLS_PACKAGE_NAME streamalloc-tools)
set(CPACK_DEBIAN_TOOLS_PACKAGE_SECTION science)
set(CPACK_DEBIAN_TOOLS_PACKAGE_DEPENDS "libstreamalloc0 (= ${_streamalloc_deb_version})")
set(CPACK_DEBIAN_TOOLS_PACKAGE_RECOMMENDS "openmpi-bin, python3-numpy")
set(CPACK_DEBIAN_TOOLS_DESCRIPTION
    "NumPy-exact random streams for MPI programs: the streamalloc command (generate, seedseq, audit) and the streamalloc-mc demo")

include(CPack)
