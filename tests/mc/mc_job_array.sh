#!/usr/bin/env bash
# A job array as a scheduler runs it (issue 8): 8 tasks of `streamalloc-mc --job auto`, each with
# its array index in SLURM_ARRAY_TASK_ID, audit clean together; every scheduler variable works
# (PBS_ARRAY_INDEX, PBS_ARRAYID, LSB_JOBINDEX; the first set wins); none set is exit 2 naming
# all four; and the documented job limits are refused at the edge, not one past it.
# usage: mc_job_array.sh <streamalloc-mc> <streamalloc> <workdir>
set -euo pipefail
mc=$1 cli=$2 work=$3
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
unset SLURM_ARRAY_TASK_ID PBS_ARRAY_INDEX PBS_ARRAYID LSB_JOBINDEX
rm -rf "$work" && mkdir -p "$work"
common=(--strategy philox --histories 1000 --seed 99 --quiet)
fail() { echo "FAIL: $*" >&2; exit 1; }

declare -A seen=()
sums=()
for task in 0 1 2 3 4 5 6 7; do
  out=$(SLURM_ARRAY_TASK_ID=$task mpiexec -n 2 -x SLURM_ARRAY_TASK_ID "$mc" "${common[@]}" \
        --job auto --manifest "$work/task$task.jsonl")
  grep -q "job $task (from SLURM_ARRAY_TASK_ID)" <<<"$out" || fail "task $task: $out"
  sum=$(grep '^checksum' <<<"$out")
  [ -z "${seen[$sum]:-}" ] || fail "tasks ${seen[$sum]} and $task printed the same $sum"
  seen[$sum]=$task
  sums[$task]=$sum
done
"$cli" audit "$work"/task*.jsonl

for variable in PBS_ARRAY_INDEX PBS_ARRAYID LSB_JOBINDEX; do
  out=$(env "$variable=5" "$mc" "${common[@]}" --job auto)
  grep -q "job 5 (from $variable)" <<<"$out" || fail "$variable: $out"
  [ "$(grep '^checksum' <<<"$out")" = "${sums[5]}" ] ||
    fail "$variable=5 did not reproduce the checksum of array task 5"
done
out=$(env LSB_JOBINDEX=3 PBS_ARRAYID=2 "$mc" "${common[@]}" --job auto)
grep -q "job 2 (from PBS_ARRAYID)" <<<"$out" || fail "the first variable set must win: $out"

status=0
"$mc" "${common[@]}" --job auto >/dev/null 2>"$work/none.err" || status=$?
[ "$status" -eq 2 ] || fail "--job auto without a variable exited $status, expected 2"
[ "$(wc -l <"$work/none.err")" -eq 1 ] || fail "expected one line on stderr: $(cat "$work/none.err")"
for variable in SLURM_ARRAY_TASK_ID PBS_ARRAY_INDEX PBS_ARRAYID LSB_JOBINDEX; do
  grep -q "$variable" "$work/none.err" || fail "the error does not name $variable"
done
status=0
SLURM_ARRAY_TASK_ID=x "$mc" "${common[@]}" --job auto >/dev/null 2>"$work/bad.err" || status=$?
[ "$status" -eq 2 ] && grep -q "SLURM_ARRAY_TASK_ID='x'" "$work/bad.err" || fail "bad index: $status"

# Limits: jumped jobs [0, 2^22); job indices [0, 2^64) for philox and spawn.
expect() {  # expect <status> <args...>
  local want=$1 got=0
  shift
  "$mc" --histories 10 --quiet "$@" >"$work/limit.out" 2>&1 || got=$?
  [ "$got" -eq "$want" ] || fail "$* exited $got, expected $want: $(cat "$work/limit.out")"
}
expect 0 --strategy jumped --job 4194303
expect 2 --strategy jumped --job 4194304
grep -q "2^22" "$work/limit.out" || fail "the jumped job limit is not named: $(cat "$work/limit.out")"
for strategy in philox spawn; do
  expect 0 --strategy "$strategy" --job 18446744073709551615
  expect 2 --strategy "$strategy" --job 18446744073709551616
done
echo "job array of 8 audits clean; every scheduler variable works; limits exact"
