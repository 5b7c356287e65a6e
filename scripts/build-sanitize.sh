#!/usr/bin/env bash
# Configures and builds the sanitizer tree ${SANITIZE_BUILD_DIR:-build-sanitize}: Debian's Clang,
# ASan + UBSan (-DSTREAMALLOC_SANITIZE=address,undefined), the libFuzzer targets, no benchmarks.
# Line tables only for debug information: sanitizer reports keep file:line, the build is
# faster. Used by scripts/test.sh and scripts/fuzz.sh; extra arguments go to cmake.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
CC=clang CXX=clang++ BUILD_DIR=${SANITIZE_BUILD_DIR:-"$root/build-sanitize"} \
  "$root/scripts/build.sh" -DSTREAMALLOC_SANITIZE=address,undefined \
  -DSTREAMALLOC_BUILD_BENCHMARKS=OFF \
  "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O2 -gline-tables-only -DNDEBUG" "$@"
