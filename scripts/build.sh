#!/usr/bin/env bash
# Configures and builds streamalloc into ${BUILD_DIR:-build} (Release-with-debug-info, all cores).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build_dir=${BUILD_DIR:-"$root/build"}
cmake -S "$root" -B "$build_dir" -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" \
      -DSTREAMALLOC_WARNINGS_AS_ERRORS="${WARNINGS_AS_ERRORS:-ON}" "$@"
cmake --build "$build_dir" --parallel "$(nproc)"
