#!/usr/bin/env bash
# Configures and builds streamalloc into ${BUILD_DIR:-build} (Release-with-debug-info, all cores).
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
      -DSTREAMALLOC_WARNINGS_AS_ERRORS="${WARNINGS_AS_ERRORS:-ON}" "${launcher[@]}" "$@"
cmake --build "$build_dir" --parallel "$(nproc)"
