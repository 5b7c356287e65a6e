#!/usr/bin/env bash
# `streamalloc stream` against NumPy, live: a demo run of job 2 writes its record; every task's
# stream, as `streamalloc stream --task h` prints it, is rebuilt in NumPy and the demo's
# transport replayed there — the checksum must be the run's (numpy_stream_replay.py). Then the
# command's contract: a task the record does not hold is exit 1 with one line naming it; bad
# input is exit 2.
# usage: mc_stream_replay.sh <streamalloc-mc> <streamalloc> <numpy_stream_replay.py> <workdir> <strategy>
set -euo pipefail
mc=$1 cli=$2 replay=$3 work=$4 strategy=$5
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
rm -rf "$work" && mkdir -p "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }
histories=150
sum=$(mpiexec -n 2 "$mc" --strategy "$strategy" --histories "$histories" --seed 7 --job 2 \
      --thickness 1.5 --scattering-ratio 0.8 --quiet --manifest "$work/run.jsonl" |
      grep '^checksum' | awk '{print $2}')
status=0
/usr/bin/python3 "$replay" "$cli" "$work/run.jsonl" "$histories" 1.5 0.8 "$sum" || status=$?
[ "$status" -eq 77 ] && echo "NumPy missing: live replay skipped"
[ "$status" -eq 0 ] || [ "$status" -eq 77 ] || fail "the NumPy replay does not match the run"

status=0
"$cli" stream --manifest "$work/run.jsonl" --task "$histories" >"$work/out" 2>"$work/err" || status=$?
[ "$status" -eq 1 ] || fail "an unknown task exited $status, expected 1"
[ "$(wc -l <"$work/err")" -eq 1 ] && grep -q "task ($histories,)" "$work/err" ||
  fail "the unknown task's message: $(cat "$work/err")"
[ ! -s "$work/out" ] || fail "output for an unknown task: $(cat "$work/out")"
for bad in "--task x" "--task 1 --stream-id 1" "--count 3" "--task 1 --count -1" \
           "--task 1 --output float --count 2"; do
  status=0
  # shellcheck disable=SC2086
  "$cli" stream --manifest "$work/run.jsonl" $bad >/dev/null 2>"$work/err" || status=$?
  [ "$status" -eq 2 ] && [ "$(wc -l <"$work/err")" -eq 1 ] || fail "'$bad' exited $status: $(cat "$work/err")"
done
status=0
"$cli" stream --manifest "$work/missing.jsonl" --task 1 >/dev/null 2>"$work/err" || status=$?
[ "$status" -eq 2 ] && grep -q "missing.jsonl" "$work/err" || fail "a missing manifest exited $status"
echo "streamalloc stream: $strategy tasks replayed by NumPy; exit codes 1 and 2 as documented"
