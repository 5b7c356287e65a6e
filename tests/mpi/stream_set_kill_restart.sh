#!/usr/bin/env bash
# Kill a checkpointing stream-set run with SIGKILL, restart it from its last checkpoint on a
# DIFFERENT rank count, and require every value drawn by every task (one file per task and round,
# doubles in %a) to be byte-identical to an uninterrupted run's, and the restarted run to hold as
# many claimed streams as the uninterrupted one (the killed run's claims are carried). Done twice:
# 3 ranks -> 2, killed after the first round, and 2 ranks -> 4, killed after the sets were
# reseeded (halfway, at round 4 of 8), so both a reseed after and one before the restart are run.
# usage: stream_set_kill_restart.sh <stream_set_restart> <workdir> [mpiexec]
set -euo pipefail
exe=$1 work=$2 mpiexec=${3:-mpiexec}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
launch=("$mpiexec" --oversubscribe)
tasks=7 rounds=8
common=(--tasks "$tasks" --rounds "$rounds")
rm -rf "$work" && mkdir -p "$work"

fail() { echo "FAIL: $*" >&2; exit 1; }

"${launch[@]}" -n 3 "$exe" "${common[@]}" --out "$work/reference" \
    --checkpoint "$work/reference.ckpt" >"$work/reference.log" 2>&1 \
  || { cat "$work/reference.log" >&2; fail "the uninterrupted run failed"; }
# "streams N records M clean": records may merge differently on other rank counts; N may not.
reference_line=$(grep '^streams' "$work/reference.log")
grep -q ' clean$' <<<"$reference_line" || fail "uninterrupted run: $reference_line"
reference_streams=$(awk '{print $2}' <<<"$reference_line")
files=$(find "$work/reference" -name 'round_*.txt' | wc -l)
[ "$files" -eq $((tasks * rounds)) ] || fail "uninterrupted run wrote $files files, expected $((tasks * rounds))"
echo "uninterrupted on 3 ranks: $reference_line, $files files"

# kill_and_restart <name> <ranks before> <ranks after> <round>: kills once the checkpoint exists
# and task 0 has started drawing <round> (so the checkpoint holds at least <round> rounds).
kill_and_restart() {
  local name=$1 before=$2 after=$3 round=$4
  local out="$work/$name" ckpt="$work/$name.ckpt"
  "${launch[@]}" -n "$before" "$exe" "${common[@]}" --out "$out" --checkpoint "$ckpt" \
      --pause-ms 250 >"$work/$name.killed.log" 2>&1 &
  local launcher=$!
  for _ in $(seq 1200); do
    [ -f "$ckpt" ] && [ -f "$out/task_0/round_$round.txt" ] && break
    sleep 0.05
  done
  [ -f "$ckpt" ] || { kill -KILL "$launcher"; fail "$name: no checkpoint appeared"; }
  local victim
  victim=$(pgrep -P "$launcher" -f "$(basename "$exe")" | tail -1)
  [ -n "$victim" ] || fail "$name: no rank process found under mpiexec $launcher"
  kill -KILL "$victim"
  if wait "$launcher"; then fail "$name: the killed run reported success"; fi
  if grep -q '^done' "$work/$name.killed.log"; then
    fail "$name: the run finished before the kill; raise --rounds or --pause-ms"
  fi

  "${launch[@]}" -n "$after" "$exe" "${common[@]}" --out "$out" --checkpoint "$ckpt" --resume \
      >"$work/$name.restarted.log" 2>&1 \
    || { cat "$work/$name.restarted.log" >&2; fail "$name: the restarted run failed"; }
  local resumed line
  resumed=$(grep '^resumed' "$work/$name.restarted.log")
  line=$(grep '^streams' "$work/$name.restarted.log")
  echo "$name: killed rank pid $victim on $before ranks; $resumed; $line"
  grep -q ' clean$' <<<"$line" || fail "$name: restarted run: $line"
  [ "$(awk '{print $2}' <<<"$line")" = "$reference_streams" ] \
    || fail "$name: the restarted run holds '$line', the uninterrupted one $reference_streams streams"
  diff -r "$work/reference" "$out" >"$work/$name.diff" \
    || { head -20 "$work/$name.diff" >&2; fail "$name: drawn values differ after the restart"; }
}

kill_and_restart three_to_two 3 2 0
kill_and_restart two_to_four 2 4 5
echo "every value of every task after a kill and a restart on another rank count equals the uninterrupted run's"
