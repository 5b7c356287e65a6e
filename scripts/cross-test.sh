#!/usr/bin/env bash
# Cross-compiles the serial core and its tests (tests/core: golden vectors, NumPy's known-answer
# files, the engine conformance suite, stream-set snapshots and the byte-order test) for another
# architecture with Debian's cross compiler, and runs them under qemu-user:
#   bash scripts/cross-test.sh aarch64    # another vector ISA (NEON instead of SSE/AVX)
#   bash scripts/cross-test.sh s390x      # big-endian: every binary format must stay little-endian
# Installs what is missing (g++-<arch>-linux-gnu, qemu-user; Debian packages) when root.
# GoogleTest is built from Debian's googletest sources (/usr/src/googletest) with the cross
# compiler. Objects go to ${CROSS_BUILD_DIR:-build-cross-<arch>} and are rebuilt only when
# changed (make). Extra arguments go to the test binary (e.g. --gtest_filter=...).
# Exit 77 (skipped) where the tools cannot be had.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
arch=${1:?usage: cross-test.sh aarch64|s390x [gtest args...]}
shift
case $arch in
  aarch64) package=g++-aarch64-linux-gnu ;;
  s390x) package=g++-s390x-linux-gnu ;;
  *) echo "cross-test.sh: unknown architecture '$arch' (aarch64 or s390x)" >&2; exit 2 ;;
esac
triple=$arch-linux-gnu
cxx=$triple-g++
qemu=qemu-$arch
if ! command -v "$cxx" >/dev/null || ! command -v "$qemu" >/dev/null || [ ! -d /usr/src/googletest ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq --no-install-recommends "$package" qemu-user googletest
  else
    echo "cross-test.sh: needs $package, qemu-user and googletest (Debian packages); skipped" >&2
    exit 77
  fi
fi
out=${CROSS_BUILD_DIR:-"$root/build-cross-$arch"}
mkdir -p "$out/include"
# nlohmann-json is header-only: only its own directory is put on the include path (not all of
# /usr/include, which holds the build machine's C library headers).
ln -sfn /usr/include/nlohmann "$out/include/nlohmann"

gtest=/usr/src/googletest/googletest
flags="-std=c++20 -O2 -g0 -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion -Werror"
# The same warning exception as cmake/StreamallocWarnings.cmake (GCC 12's -Wrestrict, PR 105329).
flags="$flags -Wno-restrict"
includes="-I$root/lib/core/include -I$root/lib/core -I$root/tests -isystem $out/include"
# (single quotes: make hands the command to the shell, which must keep the C string's quotes)
defines="-DSTREAMALLOC_GOLDEN_DIR='\"$root/tests/golden\"'"
defines="$defines -DSTREAMALLOC_NUMPY_DATA_DIR='\"/usr/lib/python3/dist-packages/numpy/random/tests/data\"'"

core_sources=$(cd "$root" && find lib/core/src -name "*.cpp" | sort)
test_sources=$(cd "$root" && ls tests/core/*_test.cpp tests/support/golden.cpp)
objects() { for s in $1; do printf '%s ' "obj/${s%.cpp}.o"; done; }

cat >"$out/Makefile" <<MAKE
CXX := $cxx
FLAGS := $flags
INCLUDES := $includes
DEFINES := $defines
ROOT := $root
core_tests: $(objects "$core_sources") $(objects "$test_sources") gtest/libgtest.a
	\$(CXX) -o \$@ \$^ -pthread
obj/%.o: \$(ROOT)/%.cpp
	@mkdir -p \$(dir \$@)
	\$(CXX) \$(FLAGS) \$(INCLUDES) \$(DEFINES) -MMD -MP -c \$< -o \$@
gtest/libgtest.a:
	@mkdir -p gtest
	\$(CXX) -std=c++20 -O2 -g0 -I$gtest/include -I$gtest -c $gtest/src/gtest-all.cc -o gtest/gtest-all.o
	\$(CXX) -std=c++20 -O2 -g0 -I$gtest/include -I$gtest -c $gtest/src/gtest_main.cc -o gtest/gtest_main.o
	$triple-ar rcs \$@ gtest/gtest-all.o gtest/gtest_main.o
-include \$(shell find obj -name '*.d' 2>/dev/null)
MAKE
echo "cross-test.sh: building the core and its tests for $arch with $cxx ($(nproc) jobs)"
make -C "$out" -j"$(nproc)" --no-print-directory core_tests >"$out/build.log" 2>&1 ||
  { tail -40 "$out/build.log"; echo "cross-test.sh: the $arch build failed" >&2; exit 1; }
echo "cross-test.sh: running them under $qemu ($("$qemu" --version | head -1))"
# -L: the target's C library and loader, from the cross compiler's packages.
QEMU_LD_PREFIX=/usr/$triple "$qemu" "$out/core_tests" --gtest_brief=1 "$@"
