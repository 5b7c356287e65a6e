#!/usr/bin/env bash
# Runs a consumer program under mpiexec and checks its run with check_run.py (NumPy rebuilds
# every stream from the run records; `streamalloc audit` from the same install checks them):
#   run_consumer.sh PREFIX MPIEXEC RANKS EXE OUTDIR [REFERENCE_OUTDIR]
# REFERENCE_OUTDIR (the C++ consumer's run on as many ranks) must hold the same draws.
set -euo pipefail
prefix=$1 mpiexec=$2 ranks=$3 exe=$4 outdir=$5 reference=${6:-}
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$outdir"
mkdir -p "$outdir"
# The installed shared libraries, found as ld.so's configuration would find them in /usr/lib.
export LD_LIBRARY_PATH="$prefix/lib:$prefix/lib/x86_64-linux-gnu:${LD_LIBRARY_PATH:-}"
flags=()
if "$mpiexec" --version 2>/dev/null | grep -q "Open MPI\|OpenRTE"; then
  export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
  flags=(--oversubscribe)
fi
"$mpiexec" -n "$ranks" "${flags[@]}" "$exe" "$outdir"
args=("$outdir" --ranks "$ranks" --streamalloc "$prefix/bin/streamalloc")
[ -n "$reference" ] && args+=(--same-as "$reference")
/usr/bin/python3 "$here/check_run.py" "${args[@]}"
