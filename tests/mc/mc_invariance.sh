#!/usr/bin/env bash
# The demo's tallies (and so its checksum) must not depend on the number of ranks: with
# task-rooted streams, history h uses the same stream on any rank. Runs 1, 2, 3, 4 and 8 ranks.
# usage: mc_invariance.sh <streamalloc-mc> <strategy> <histories>
set -euo pipefail
mc=$1 strategy=$2 histories=$3
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
reference=$("$mc" --strategy "$strategy" --histories "$histories" --quiet | grep '^checksum')
echo "singleton: $reference"
for ranks in 1 2 3 4 8; do
  got=$(mpiexec -n "$ranks" --oversubscribe "$mc" --strategy "$strategy" --histories "$histories" \
        --quiet | grep '^checksum')
  echo "np$ranks: $got"
  if [ "$got" != "$reference" ]; then
    echo "FAIL: $ranks ranks gave '$got', a single process gave '$reference'" >&2
    exit 1
  fi
done
echo "checksums identical on 1, 2, 3, 4 and 8 ranks"
