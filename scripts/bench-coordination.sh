#!/usr/bin/env bash
# The demo's coordination share with a checkpoint every 10^6 histories and a run record (issue 9):
# streamalloc-mc --timing for each strategy on RANKS (default "1 2 4") ranks. Uses the Release
# tree of scripts/bench.sh when it exists (build-bench/), else build/.
# usage: [STRATEGIES="philox jumped spawn"] [HISTORIES=N] [RANKS="1 2 4"] scripts/bench-coordination.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
mc=$root/build-bench/apps/streamalloc-mc/streamalloc-mc
[ -x "$mc" ] || mc=$root/build/apps/streamalloc-mc/streamalloc-mc
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
for strategy in ${STRATEGIES:-philox jumped spawn}; do
  for np in ${RANKS:-1 2 4}; do
    rm -rf m.jsonl* ck
    out=$(mpiexec -n "$np" --oversubscribe --mca mpi_yield_when_idle 1 "$mc" --strategy "$strategy" \
          --histories "${HISTORIES:-20000000}" --quiet --timing --checkpoint ck \
          --checkpoint-every 1000000 --manifest m.jsonl)
    echo "$strategy, $np rank(s): $(grep '^timing' <<<"$out" | sed 's/^timing *//')"
    echo "    $(grep '^waiting' <<<"$out" | sed 's/^waiting *//')"
  done
done
