#!/usr/bin/env bash
# run-multihost-test.sh — run one test across N netns "hosts" of this machine, then tear them down.
#
#   run-multihost-test.sh [--hosts N] [--timeout S] -- COMMAND [ARGS...]
#   run-multihost-test.sh [--hosts N] [--timeout S] --mpirun -- MPIRUN-ARGS...
#
# 1. Checks that network namespaces, veth pairs, bridges and UTS namespaces can be made here;
#    if not, prints why and exits 77 (ctest's SKIP_RETURN_CODE: the test shows as skipped, never
#    as passed).
# 2. Makes hosts h1..hN and a head host (netns-hosts.sh up), and removes them on every exit path
#    (trap on EXIT/INT/TERM/HUP; a run killed with SIGKILL is collected by the next run's `gc`).
# 3. Preflight: one rank per host prints its hostname and namespaces; the run fails unless the N
#    ranks report N distinct hostnames h1..hN and N distinct UTS and network namespaces, none of
#    them this machine's — i.e. Open MPI really sees N separate nodes.
# 4. Runs COMMAND here (in the root namespaces, so it can also run single-process reference runs)
#    with STREAMALLOC_MH_MPIRUN (mh-mpirun.sh: mpirun on the head host with the cluster's
#    options), STREAMALLOC_MH_STATE and STREAMALLOC_MH_HOSTS ("h1 h2 ...") exported; with
#    --mpirun, COMMAND is mh-mpirun.sh MPIRUN-ARGS. Its exit status is ours; if it runs past
#    --timeout seconds (default 150, below ctest's TIMEOUT so that we still clean up) it is killed
#    and we exit 124.
# Environment: STREAMALLOC_MH_MPIEXEC (the mpirun to use), STREAMALLOC_MH_VERBOSE=1 (echo the
# mpirun commands).
# shellcheck disable=SC2317  # the trap handlers are reached through `trap`
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
me=run-multihost-test.sh

hosts=2 timeout_s=150 mode=command
while [[ $# -gt 0 ]]; do
  case $1 in
    --hosts) hosts=$2; shift 2 ;;
    --timeout) timeout_s=$2; shift 2 ;;
    --mpirun) mode=mpirun; shift ;;
    --) shift; break ;;
    *) echo "$me: unknown option '$1'" >&2; exit 2 ;;
  esac
done
[[ $# -ge 1 ]] || { echo "usage: $me [--hosts N] [--timeout S] [--mpirun] -- COMMAND..." >&2; exit 2; }
[[ $hosts =~ ^[1-9]$ ]] || { echo "$me: --hosts must be 1..9" >&2; exit 2; }

now_ms() { echo $(($(date +%s%N) / 1000000)); }
seconds_since() { local ms=$(($(now_ms) - $1)); printf '%d.%d' $((ms / 1000)) $((ms % 1000 / 100)); }
t0=$(now_ms)

# Open MPI executes the agent itself, and the test scripts run mh-mpirun.sh: both must be
# executable (git keeps the mode; a copy without it would fail obscurely inside mpirun).
for f in rsh-agent.sh mh-mpirun.sh netns-hosts.sh; do
  [[ -x $here/$f ]] || { echo "$me: $here/$f is not executable (chmod +x)" >&2; exit 2; }
done
elapsed() { seconds_since "$t0"; }

# 1. Permitted here? (exit 77 with the reason if not.)
rc=0
reason=$("$here/netns-hosts.sh" probe 2>&1) || rc=$?
if [[ $rc -eq 77 ]]; then
  echo "$me: SKIPPED: multi-host tests need network namespaces here: ${reason#netns-hosts.sh: SKIP: }" >&2
  exit 77
elif [[ $rc -ne 0 ]]; then
  echo "$me: namespace probe failed: $reason" >&2
  exit 1
fi

# 2. The hosts.
"$here/netns-hosts.sh" gc || true
id="r$$"
export STREAMALLOC_MH_STATE_ROOT=${STREAMALLOC_MH_STATE_ROOT:-/run/streamalloc-multihost}
export STREAMALLOC_MH_STATE="$STREAMALLOC_MH_STATE_ROOT/$id"
cleanup() {
  local status=$?
  trap - EXIT INT TERM HUP
  "$here/netns-hosts.sh" down "$id" || status=1
  echo "$me: hosts removed; total $(elapsed) s" >&2
  exit "$status"
}
# Commands run in the background under `timeout` (its own process group) and are waited for, so
# that a signal to us is handled at once: the command's process group is signalled, then the
# EXIT trap removes the hosts (and so ends whatever still runs inside them).
child=''
run_limited() {  # run_limited SECONDS COMMAND...: the command's status, 124 if it timed out
  local status=0
  timeout --kill-after=10 "$@" &
  child=$!
  wait "$child" || status=$?
  child=''
  return "$status"
}
on_signal() {
  echo "$me: $1" >&2
  [[ -z $child ]] || kill -TERM "$child" 2>/dev/null || true
  exit "$2"
}
trap cleanup EXIT
trap 'on_signal interrupted 130' INT
trap 'on_signal terminated 143' TERM HUP
STREAMALLOC_MH_OWNER=$$ "$here/netns-hosts.sh" up "$hosts" "$id" >/dev/null
host_list=$(for ((i = 1; i <= hosts; i++)); do printf 'h%d ' "$i"; done)
export STREAMALLOC_MH_HOSTS=${host_list% }
export STREAMALLOC_MH_MPIRUN="$here/mh-mpirun.sh"
echo "$me: hosts $STREAMALLOC_MH_HOSTS up (cluster $id) after $(elapsed) s" >&2

# 3. Preflight: distinct nodes?
one_each=$(for ((i = 1; i <= hosts; i++)); do printf 'h%d:1,' "$i"; done)
self_ns="$(hostname) $(readlink /proc/self/ns/uts) $(readlink /proc/self/ns/net)"
preflight_out="$STREAMALLOC_MH_STATE/preflight.out"
# shellcheck disable=SC2016  # expanded by each rank's shell, on its host
run_limited 60 "$STREAMALLOC_MH_MPIRUN" --host "${one_each%,}" -np "$hosts" \
  sh -c 'echo "$OMPI_COMM_WORLD_RANK $(hostname) $(readlink /proc/self/ns/uts) $(readlink /proc/self/ns/net)"' \
  >"$preflight_out" 2>&1 ||
  { echo "$me: preflight mpirun failed (status $?):"; cat "$preflight_out"; exit 1; } >&2
preflight=$(cat "$preflight_out")
while read -r line; do echo "$me: preflight: rank $line"; done <<<"$preflight" >&2
lines=$(echo "$preflight" | grep -cE '^[0-9]+ h[0-9] uts:' || true)
names=$(echo "$preflight" | awk '$2 ~ /^h[0-9]$/ {print $2}' | sort -u | tr '\n' ' ')
uts_n=$(echo "$preflight" | awk '$2 ~ /^h[0-9]$/ {print $3}' | sort -u | wc -l)
net_n=$(echo "$preflight" | awk '$2 ~ /^h[0-9]$/ {print $4}' | sort -u | wc -l)
read -r _ self_uts self_net <<<"$self_ns"
if [[ $lines -ne $hosts || ${names% } != "$STREAMALLOC_MH_HOSTS" || $uts_n -ne $hosts || $net_n -ne $hosts ]] ||
   echo "$preflight" | grep -qe "$self_uts" -e "$self_net"; then
  echo "$me: preflight FAILED: expected $hosts ranks on distinct hosts $STREAMALLOC_MH_HOSTS, each in its own UTS and network namespace (not this machine's)" >&2
  exit 1
fi
echo "$me: preflight ok: $hosts ranks on $hosts distinct nodes ($(elapsed) s)" >&2

# 4. The test.
if [[ $mode == mpirun ]]; then
  set -- "$STREAMALLOC_MH_MPIRUN" "$@"
fi
t_cmd=$(now_ms)
rc=0
run_limited "$timeout_s" "$@" || rc=$?
cmd_s=$(seconds_since "$t_cmd")
if [[ $rc -eq 124 || $rc -eq 137 ]]; then
  echo "$me: FAILED: the test ran past ${timeout_s} s (hang?) and was killed" >&2
  exit 124
fi
echo "$me: test command exited $rc after $cmd_s s" >&2
exit "$rc"
