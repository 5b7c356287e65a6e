#!/usr/bin/env bash
# Builds and runs the README's examples ("Linking into HPC codes") against an installed prefix,
# so they cannot rot: every fenced block after a `<!-- file: PATH -->` marker is written to
# WORK/PATH, then
#   c/hello.c          mpicc + pkg-config streamalloc-c-mpi, mpiexec -n 2, audit of run.jsonl
#   fortran/hello.f90  mpif90 + pkg-config streamalloc-fortran (`use mpi`), mpiexec -n 2, audit
#   cxx/main.cpp       with cxx/CMakeLists.txt (find_package) and with cxx/Makefile (pkg-config)
#   python/rebuild.py  run next to the C run's record: rebuilds task (1,)'s generator
# and every program's draws, and the Python rebuild's, must be the same numbers.
#   readme_examples.sh README PREFIX WORK MPIEXEC MPICC MPIF90|"" CXX
set -euo pipefail
readme=$1 prefix=$2 work=$3 mpiexec=$4 mpicc=$5 mpif90=$6 cxx=$7
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$work"
mkdir -p "$work"
/usr/bin/python3 - "$readme" "$work" <<'PY'
import pathlib, re, sys
text = pathlib.Path(sys.argv[1]).read_text()
blocks = re.findall(r"<!-- file: (\S+) -->\n```[a-z]*\n(.*?)```", text, re.S)
for name, body in blocks:
    path = pathlib.Path(sys.argv[2]) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(body)
print(f"README: {len(blocks)} example files")
PY
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig:$prefix/lib/x86_64-linux-gnu/pkgconfig:${PKG_CONFIG_PATH:-}"
export LD_LIBRARY_PATH="$prefix/lib:$prefix/lib/x86_64-linux-gnu:${LD_LIBRARY_PATH:-}"
flags=()
if "$mpiexec" --version 2>/dev/null | grep -q "Open MPI\|OpenRTE"; then
  export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
  flags=(--oversubscribe)
fi
run() {  # run DIR EXE: mpiexec -n 2 in DIR, output in DIR/out.txt
  (cd "$1" && "$mpiexec" -n 2 "${flags[@]}" "$2" > out.txt)
  cat "$1/out.txt"
}

bash "$here/build_with_pkgconfig.sh" "$prefix" "$mpicc" streamalloc-c-mpi "$work/c/hello" \
  "$work/c/hello.c" -std=c11 -Wall -Wextra -pedantic -Werror
run "$work/c" ./hello
"$prefix/bin/streamalloc" audit "$work/c/run.jsonl"
outputs=("$work/c/out.txt")

if [ -n "$mpif90" ]; then
  bash "$here/build_with_pkgconfig.sh" "$prefix" "$mpif90" streamalloc-fortran \
    "$work/fortran/hello" "$work/fortran/hello.f90" -Wall -Werror
  run "$work/fortran" ./hello
  "$prefix/bin/streamalloc" audit "$work/fortran/run.jsonl"
  outputs+=("$work/fortran/out.txt")
fi

cmake -S "$work/cxx" -B "$work/cxx/build" -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_CXX_COMPILER="$cxx" > /dev/null
cmake --build "$work/cxx/build" > /dev/null
run "$work/cxx" ./build/hello
cp "$work/cxx/out.txt" "$work/cxx/out-cmake.txt"
make -C "$work/cxx" hello > /dev/null
run "$work/cxx" ./hello
outputs+=("$work/cxx/out-cmake.txt" "$work/cxx/out.txt")

(cd "$work/c" && /usr/bin/python3 "$work/python/rebuild.py") > "$work/python/out.txt"
cat "$work/python/out.txt"

/usr/bin/python3 - "$work/python/out.txt" "${outputs[@]}" <<'PY'
import ast, sys
python = ast.literal_eval(open(sys.argv[1]).read().strip())
runs = {}
for path in sys.argv[2:]:
    draws = {}
    for line in open(path):
        task, values = line.split(":")
        draws[int(task.split()[1])] = [float(v) for v in values.split()]
    runs[path] = draws
reference = runs[sys.argv[2]]
bad = [p for p, d in runs.items() if d != reference]
if sorted(reference) != [0, 1] or bad or reference[1] != python:
    sys.exit(f"README examples disagree: {runs}, python rebuild of task (1,): {python}")
print(f"README examples: {len(runs)} programs and the Python rebuild drew the same values")
PY
