#!/usr/bin/env bash
# The README's test command: installs what is missing, builds, and runs every ctest suite —
# twice: the normal build (build/), then the sanitizer build (build-sanitize/: Clang, ASan +
# UBSan with leak checking, every test including the MPI ones, plus the fuzz targets for
# STREAMALLOC_FUZZ_SECONDS each). SANITIZE=0 skips the second. Arguments go to both ctest runs.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh"
build_dir=${BUILD_DIR:-"$root/build"}
status=0
ctest --test-dir "$build_dir" --output-on-failure --parallel "$(nproc)" "$@" || status=$?
if [ "${SANITIZE:-1}" != 0 ]; then
  sanitize_dir=${SANITIZE_BUILD_DIR:-"$root/build-sanitize"}
  echo "test.sh: the sanitizer build (ASan + UBSan, Clang) in $sanitize_dir"
  SANITIZE_BUILD_DIR="$sanitize_dir" "$root/scripts/build-sanitize.sh"
  ctest --test-dir "$sanitize_dir" --output-on-failure --parallel "$(nproc)" "$@" || status=$?
fi
exit $status
