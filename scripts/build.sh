#!/usr/bin/env bash
# Configures and builds streamalloc into ${BUILD_DIR:-build} (Release-with-debug-info, all cores),
# with shared libraries as the Debian packages ship them (BUILD_SHARED_LIBS=OFF for static ones),
# so that `cpack -G DEB` in the build tree gives installable packages.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build_dir=${BUILD_DIR:-"$root/build"}
# ccache (Debian's) makes rebuilds of unchanged sources, and a second build tree of the same
# sources, cheap; the build works the same without it.
launcher=()
if command -v ccache >/dev/null 2>&1; then
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
fi
cmake -S "$root" -B "$build_dir" -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" \
      -DSTREAMALLOC_WARNINGS_AS_ERRORS="${WARNINGS_AS_ERRORS:-ON}" \
      -DBUILD_SHARED_LIBS="${BUILD_SHARED_LIBS:-ON}" "${launcher[@]}" "$@"
cmake --build "$build_dir" --parallel "$(nproc)"
