#!/usr/bin/env bash
# Builds one source file against an installed streamalloc with only a compiler wrapper and
# pkg-config (no CMake), as a Makefile-driven HPC code would:
#   build_with_pkgconfig.sh PREFIX COMPILER PACKAGE OUTPUT SOURCE [COMPILER FLAGS...]
# e.g. PREFIX mpicc streamalloc-c-mpi consumer consumer.c -std=c11 -Wall -Wextra -pedantic -Werror
set -euo pipefail
prefix=$1 compiler=$2 package=$3 output=$4 source=$5
shift 5
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig:$prefix/lib/x86_64-linux-gnu/pkgconfig:${PKG_CONFIG_PATH:-}"
mkdir -p "$(dirname "$output")"
# Flags before the source and libraries after it, as a Makefile's link line has them.
# shellcheck disable=SC2046  # pkg-config's output is a list of flags
"$compiler" "$@" $(pkg-config --cflags "$package") "$source" $(pkg-config --libs "$package") \
  -o "$output"
echo "built $output with $compiler and pkg-config $package"
