#!/usr/bin/env bash
# Restarts in the record (issues 9, 12): kill a checkpointing run at many moments — including between
# the record's commit of a round and the checkpoint of that round — restart it from its last
# checkpoint on another rank count, and require the uninterrupted checksum and a clean audit of
# BOTH records together (the restart's redone work is a replay, not reuse). The surviving rank
# must exit within 60 s of the kill and the killed run's record must read back on its own. Then
# an unrelated run on the same streams must be reported (exit 1).
# usage: mc_restart_lineage.sh <streamalloc-mc> <streamalloc> <workdir> <strategy> [histories every]
set -euo pipefail
mc=$1 cli=$2 work=$3 strategy=$4
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
unset STREAMALLOC_MC_TEST_KILL_BEFORE_CHECKPOINT
rm -rf "$work" && mkdir -p "$work"
histories=${5:-1200000} every=${6:-100000}
common=(--strategy "$strategy" --histories "$histories" --quiet)
fail() { echo "FAIL: $*" >&2; exit 1; }

reference=$(mpiexec -n 2 "$mc" "${common[@]}" | grep '^checksum')
echo "uninterrupted: $reference"

# restart <case> <ranks>: restarts from $work/<case>/run.ckpt and audits both records.
restart() {
  local dir=$work/$1 ranks=$2
  local got
  got=$(mpiexec -n "$ranks" "$mc" "${common[@]}" --resume-from "$dir/run.ckpt" \
        --manifest "$dir/run2.jsonl" | grep '^checksum')
  [ "$got" = "$reference" ] || fail "$1: restart on $ranks ranks printed $got"
  "$cli" audit "$dir/run1.jsonl" "$dir/run2.jsonl" >"$dir/audit.out" ||
    fail "$1: audit of both records exited $? — $(cat "$dir/audit.out")"
  echo "$1: restarted on $ranks ranks; $(tail -1 "$dir/audit.out")"
}

# Between the two writes: rank 0 dies after committing checkpoint K's round to the record and
# before writing checkpoint K.
for k in 2 5; do
  dir=$work/between$k && mkdir -p "$dir"
  STREAMALLOC_MC_TEST_KILL_BEFORE_CHECKPOINT=$k mpiexec -n 2 -x STREAMALLOC_MC_TEST_KILL_BEFORE_CHECKPOINT \
      "$mc" "${common[@]}" --checkpoint "$dir/run.ckpt" --checkpoint-every "$every" \
      --manifest "$dir/run1.jsonl" >"$dir/run1.out" 2>&1 && fail "between$k: the run was not killed"
  grep -q "\"completed\": $(( (k - 1) * every ))," "$dir/run.ckpt" ||
    fail "between$k: the checkpoint is not checkpoint $((k - 1)): $(cat "$dir/run.ckpt")"
  restart "between$k" 3
  grep -q "replays after restarts accepted" "$dir/audit.out" ||
    fail "between$k: the audit accepted no replay, but the record held a round the checkpoint did not"
done

# SIGKILL of one rank at moments spread over the run (after the k-th checkpoint appeared, plus a
# pause), restarted on 3 ranks or 1.
moment=0
for delay in 0 0.03 0.07 0.13; do
  moment=$((moment + 1))
  dir=$work/kill$moment && mkdir -p "$dir"
  mpiexec -n 2 "$mc" "${common[@]}" --checkpoint "$dir/run.ckpt" --checkpoint-every "$every" \
          --manifest "$dir/run1.jsonl" >"$dir/run1.out" 2>&1 &
  launcher=$!
  for _ in $(seq 1200); do [ -f "$dir/run.ckpt" ] && break; sleep 0.02; done
  sleep "$delay"
  victim=$(pgrep -P "$launcher" -f streamalloc-mc | tail -1 || true)
  [ -n "$victim" ] && kill -KILL "$victim" || true
  # The other rank (and its record thread) must end within a bounded time: no hang.
  for _ in $(seq 600); do kill -0 "$launcher" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$launcher" 2>/dev/null; then
    kill -KILL "$launcher"
    fail "kill$moment: the surviving rank did not exit within 60 s"
  fi
  wait "$launcher" || true
  # What is on disk is intact: the killed run's record reads back and audits alone.
  "$cli" audit "$dir/run1.jsonl" >/dev/null || fail "kill$moment: the killed run's record does not read back"
  if grep -q '^checksum' "$dir/run1.out"; then
    echo "kill$moment: the run finished before the kill; skipped"
    continue
  fi
  [ -f "$dir/run.ckpt" ] || fail "kill$moment: no checkpoint"
  restart "kill$moment" $(( moment % 2 == 0 ? 1 : 3 ))
done

# An unrelated run on the campaign's streams (no --resume-from) is reuse.
"$mc" --strategy "$strategy" --histories 1000 --quiet --manifest "$work/unrelated.jsonl" >/dev/null
status=0
"$cli" audit "$work/between2/run1.jsonl" "$work/between2/run2.jsonl" "$work/unrelated.jsonl" \
    >"$work/unrelated.out" 2>&1 || status=$?
[ "$status" -eq 1 ] || fail "an unrelated run reusing streams: audit exited $status, expected 1"
echo "restarts audit clean with their killed runs (replays accepted); unrelated reuse caught"
