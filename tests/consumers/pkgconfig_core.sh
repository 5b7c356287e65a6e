#!/usr/bin/env bash
# Builds tests/consumers/cmake_core/main.cpp with only pkg-config's flags against an install.
# usage: pkgconfig_core.sh <prefix> <source> <workdir> [compiler ["flags"]]
# (a sanitizer build passes its compiler and its -fsanitize flags, as one word: its library
# needs that runtime)
set -euo pipefail
prefix=$1 source=$2 work=$3 compiler=${4:-c++} flags=${5:-}
mkdir -p "$work"
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig:$prefix/lib/x86_64-linux-gnu/pkgconfig:${PKG_CONFIG_PATH:-}"
# shellcheck disable=SC2046,SC2086  # pkg-config's output and the flags are lists of words
"$compiler" $flags "$source" $(pkg-config --cflags --libs streamalloc) -o "$work/consumer_pc"
# Shared libraries (the default build) are found in the prefix, as an installed program would
# find them through ld.so's configuration.
LD_LIBRARY_PATH="$prefix/lib:$prefix/lib/x86_64-linux-gnu:${LD_LIBRARY_PATH:-}" "$work/consumer_pc"
