#!/usr/bin/env bash
# Builds the Debian packages with `cpack -G DEB` from a shared-library build tree, checks their
# control fields and contents with dpkg-deb (every package they depend on is a real Debian
# package: installed here, since the build used it), installs them with `dpkg -i` into a scratch
# root, and builds and runs the C consumer against that tree only (run_consumer.sh: NumPy checks
# every draw, the packaged `streamalloc audit` checks the run records).
#   deb_package.sh BUILD_DIR WORK MPIEXEC MPICC
set -euo pipefail
build=$1 work=$2 mpiexec=$3 mpicc=$4
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$work"
mkdir -p "$work"
cpack -G DEB --config "$build/CPackConfig.cmake" -B "$work/debs" > "$work/cpack.log"
shopt -s nullglob
debs=("$work"/debs/*.deb)
[ ${#debs[@]} -eq 3 ] || { echo "expected 3 packages, got: ${debs[*]}"; cat "$work/cpack.log"; exit 1; }

fail=0
expect() {  # expect DESCRIPTION TEXT PATTERN
  if ! grep -Eq "$3" <<<"$2"; then
    echo "FAIL: $1: no match for /$3/ in:"; echo "$2"; fail=1
  fi
}
deb_of() { local d; for d in "${debs[@]}"; do [[ $(basename "$d") == "$1"_* ]] && echo "$d"; done; }
libs=$(deb_of libstreamalloc0) dev=$(deb_of libstreamalloc-dev) tools=$(deb_of streamalloc-tools)
for d in "$libs" "$dev" "$tools"; do [ -n "$d" ] || { echo "FAIL: a package is missing: ${debs[*]}"; exit 1; }; done

info=$(dpkg-deb --info "$libs")
expect "libstreamalloc0 Package" "$info" "^ Package: libstreamalloc0$"
expect "libstreamalloc0 Depends on Open MPI" "$info" "^ Depends: .*libopenmpi3"
expect "libstreamalloc0 Depends on Boost.MPI" "$info" "^ Depends: .*libboost-mpi1\.74\.0"
expect "libstreamalloc0 Depends on libgfortran" "$info" "^ Depends: .*libgfortran5"
info=$(dpkg-deb --info "$dev")
expect "libstreamalloc-dev Depends" "$info" "^ Depends: libstreamalloc0 \(= [0-9.]+-1\), libopenmpi-dev, libboost-mpi-dev, nlohmann-json3-dev"
info=$(dpkg-deb --info "$tools")
expect "streamalloc-tools Depends" "$info" "^ Depends: .*libstreamalloc0 \(= [0-9.]+-1\)"
expect "streamalloc-tools Depends on Boost.Program_options" "$info" "^ Depends: .*libboost-program-options1\.74\.0"

contents=$(dpkg-deb --contents "$libs")
for lib in core claims mpi c c_mpi fortran; do
  expect "libstreamalloc0 holds libstreamalloc_$lib" "$contents" "usr/lib/libstreamalloc_$lib\.so\.[0-9]+\.[0-9]+\.[0-9]+$"
  expect "libstreamalloc0 holds the soname link of libstreamalloc_$lib" "$contents" "usr/lib/libstreamalloc_$lib\.so\.[0-9]+\.[0-9]+ ->"
done
contents=$(dpkg-deb --contents "$dev")
for file in include/streamalloc\\.h include/streamalloc_mpi\\.h include/streamalloc/pcg64\\.hpp \
            include/streamalloc/fortran/streamalloc\\.mod lib/cmake/streamalloc/streamalloc-config\\.cmake \
            lib/pkgconfig/streamalloc\\.pc lib/pkgconfig/streamalloc-mpi\\.pc lib/pkgconfig/streamalloc-c\\.pc \
            lib/pkgconfig/streamalloc-c-mpi\\.pc lib/pkgconfig/streamalloc-fortran\\.pc "lib/libstreamalloc_c\\.so ->"; do
  expect "libstreamalloc-dev holds $file" "$contents" "usr/$file"
done
contents=$(dpkg-deb --contents "$tools")
expect "streamalloc-tools holds streamalloc" "$contents" "usr/bin/streamalloc$"
expect "streamalloc-tools holds streamalloc-mc" "$contents" "usr/bin/streamalloc-mc$"
for d in "${debs[@]}"; do
  depends=$(dpkg-deb --field "$d" Depends | tr ',' '\n' | sed 's/[(|].*//; s/ //g')
  for p in $depends; do
    [[ $p == libstreamalloc0 ]] && continue
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
      echo "FAIL: $(basename "$d") depends on $p, which is not an installed Debian package"; fail=1
    fi
  done
done
[ $fail -eq 0 ] || exit 1

# Installed with dpkg into a scratch root (whose package database knows none of their
# dependencies, hence --force-depends), the packages are a working installation.
mkdir -p "$work/root/var/lib/dpkg/info" "$work/root/var/lib/dpkg/updates" "$work/root/var/lib/dpkg/triggers"
touch "$work/root/var/lib/dpkg/status"
dpkg --root="$work/root" --force-depends --force-script-chrootless --log=/dev/null \
  -i "${debs[@]}" > "$work/dpkg.log" 2>&1 || { cat "$work/dpkg.log"; exit 1; }
dpkg --root="$work/root" -l | grep -E "^ii +(libstreamalloc0|libstreamalloc-dev|streamalloc-tools) "
bash "$here/build_with_pkgconfig.sh" "$work/root/usr" "$mpicc" streamalloc-c-mpi "$work/consumer" \
  "$here/c_mpi/consumer.c" -std=c11 -Wall -Wextra -pedantic -Werror
bash "$here/run_consumer.sh" "$work/root/usr" "$mpiexec" 2 "$work/consumer" "$work/run"
echo "deb: ${debs[*]##*/} build and run a C program"
