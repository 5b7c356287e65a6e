#!/usr/bin/env bash
# Jobs of one campaign (issue 8): the demo under 2 and 3 ranks with jobs 0, 1, 2 and 2^20 —
# checksums differ between jobs, one job gives one checksum on any rank count, and the jobs'
# manifests audit clean together. Each record's streams are then rebuilt by NumPy from the
# record alone (numpy_record_streams.py) and compared with the library's draws.
# usage: mc_jobs.sh <streamalloc-mc> <streamalloc> <record_draws> <numpy check> <workdir> <strategy>
set -euo pipefail
mc=$1 cli=$2 draws=$3 numpy_check=$4 work=$5 strategy=$6
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
rm -rf "$work" && mkdir -p "$work"
common=(--strategy "$strategy" --histories 2000 --seed 7 --quiet)

declare -A seen=()
for job in 0 1 2 1048576; do
  sums=()
  for ranks in 2 3; do
    out=$(mpiexec -n "$ranks" "$mc" "${common[@]}" --job "$job" --manifest "$work/job$job.np$ranks.jsonl")
    grep -q "job $job\$" <<<"$out" || { echo "FAIL: the header does not name job $job: $out" >&2; exit 1; }
    sums+=("$(grep '^checksum' <<<"$out")")
  done
  echo "job $job: np2 ${sums[0]#checksum }, np3 ${sums[1]#checksum }"
  [ "${sums[0]}" = "${sums[1]}" ] || { echo "FAIL: job $job differs between 2 and 3 ranks" >&2; exit 1; }
  if [ -n "${seen[${sums[0]}]:-}" ]; then
    echo "FAIL: jobs ${seen[${sums[0]}]} and $job printed the same ${sums[0]}" >&2
    exit 1
  fi
  seen[${sums[0]}]=$job
done

for ranks in 2 3; do
  "$cli" audit "$work"/job*.np$ranks.jsonl
done
# The same job twice is reuse, and the audit says so.
status=0
"$cli" audit "$work/job1.np2.jsonl" "$work/job1.np3.jsonl" >"$work/reuse.out" || status=$?
[ "$status" -eq 1 ] || { echo "FAIL: auditing job 1 twice exited $status, expected 1" >&2; exit 1; }

for job in 1 1048576; do
  "$draws" "$work/job$job.np3.jsonl" 4 >"$work/job$job.draws"
  status=0
  /usr/bin/python3 "$numpy_check" "$work/job$job.np3.jsonl" "$work/job$job.draws" || status=$?
  if [ "$status" -eq 77 ]; then echo "NumPy missing: live record check skipped"; continue; fi
  [ "$status" -eq 0 ] || { echo "FAIL: NumPy rebuilt job $job's streams differently" >&2; exit 1; }
done
echo "jobs 0, 1, 2, 2^20 of $strategy: distinct checksums, rank-count invariant, audit clean"
