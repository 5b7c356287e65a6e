#!/usr/bin/env bash
# Kill one rank of a checkpointing run with SIGKILL, restart from its last checkpoint on another
# rank count, and require (1) the same checksum as an uninterrupted run and (2) that the restarted
# run's claims pass `streamalloc audit` against the killed run's manifest. Then show that the
# audit does catch reuse: a second run that repeats the campaign's streams must be reported.
# usage: mc_kill_restart.sh <streamalloc-mc> <streamalloc> <workdir> <strategy> [histories every]
# (a sanitizer build passes smaller sizes: the run is about 3 times slower there)
set -euo pipefail
mc=$1 cli=$2 work=$3 strategy=$4 histories=${5:-4000000} every=${6:-100000}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
rm -rf "$work" && mkdir -p "$work"
common=(--strategy "$strategy" --histories "$histories" --quiet)

reference=$(mpiexec -n 2 "$mc" "${common[@]}" | grep '^checksum')
echo "uninterrupted: $reference"

mpiexec -n 2 "$mc" "${common[@]}" --checkpoint "$work/run.ckpt" --checkpoint-every "$every" \
        --manifest "$work/run1.jsonl" >"$work/run1.out" 2>&1 &
launcher=$!
for _ in $(seq 1200); do [ -f "$work/run.ckpt" ] && break; sleep 0.05; done
[ -f "$work/run.ckpt" ] || { echo "FAIL: no checkpoint appeared" >&2; kill -KILL $launcher; exit 1; }
victim=$(pgrep -P "$launcher" -f streamalloc-mc | tail -1)
[ -n "$victim" ] || { echo "FAIL: no rank process found under mpiexec $launcher" >&2; exit 1; }
kill -KILL "$victim"
wait "$launcher" && { echo "FAIL: the killed run reported success" >&2; exit 1; } || true
if grep -q '^checksum' "$work/run1.out"; then
  echo "FAIL: the run finished before the kill; raise histories" >&2
  exit 1
fi
echo "killed rank pid $victim after $(grep -o '"completed": [0-9]*' "$work/run.ckpt")"

restarted=$(mpiexec -n 3 "$mc" "${common[@]}" --resume-from "$work/run.ckpt" \
            --manifest "$work/run2.jsonl" | tee "$work/run2.out" | grep '^checksum')
echo "restarted on 3 ranks: $restarted"
[ "$restarted" = "$reference" ] || { echo "FAIL: checksum differs after restart" >&2; exit 1; }

"$cli" audit "$work/run1.jsonl" "$work/run2.jsonl"

# A run that ignores the campaign's history reuses streams: the audit must say so (exit 1).
"$mc" --strategy "$strategy" --histories 1000 --quiet --manifest "$work/rerun.jsonl" >/dev/null
status=0
"$cli" audit "$work/run1.jsonl" "$work/rerun.jsonl" >"$work/audit.out" 2>&1 || status=$?
head -3 "$work/audit.out"
[ "$status" -eq 1 ] || { echo "FAIL: audit of reused streams exited $status, expected 1" >&2; exit 1; }
echo "restart reproduces the uninterrupted checksum; audit clean for restart, catches reuse"
