#!/usr/bin/env bash
# Builds tests/consumers/cmake_core/main.cpp with only pkg-config's flags against an install.
set -euo pipefail
prefix=$1 source=$2 work=$3
mkdir -p "$work"
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig:$prefix/lib/x86_64-linux-gnu/pkgconfig:${PKG_CONFIG_PATH:-}"
c++ "$source" $(pkg-config --cflags --libs streamalloc) -o "$work/consumer_pc"
"$work/consumer_pc"
