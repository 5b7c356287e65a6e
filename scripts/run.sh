#!/usr/bin/env bash
# The README's main-job command: installs what is missing, builds, and runs the MPI demo —
# 1-D slab neutron transport on 4 ranks, one claimed and verified stream per particle history —
# then audits the run's manifest.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh" >/dev/null
build_dir=${BUILD_DIR:-"$root/build"}
# Open MPI refuses root unless told, and this machine may have fewer cores than ranks.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
manifest="$build_dir/streamalloc-mc.manifest.jsonl"
mpirun -np 4 --oversubscribe "$build_dir/apps/streamalloc-mc/streamalloc-mc" \
  --strategy philox --histories 1000000 --seed 12345 --manifest "$manifest" "$@"
"$build_dir/apps/streamalloc/streamalloc" audit "$manifest"
