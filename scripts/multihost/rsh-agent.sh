#!/usr/bin/env bash
# rsh-agent.sh — Open MPI's "remote shell" for the netns test hosts of netns-hosts.sh.
#
# mpirun (plm rsh, `--mca plm_rsh_agent <this script>`) runs it as ssh would be run:
#     rsh-agent.sh [ssh-style options] <host> <command words...>
# and we run the command words, joined by spaces (as ssh joins them), through /bin/sh "on" that
# host: inside its network namespace and its UTS namespace (its own hostname), so the orted it
# starts — and every rank that orted forks — lives on that host. The environment is reset as
# sshd would reset it, except for the sanitizers' settings (ASAN_/UBSAN_/LSAN_OPTIONS).
#
# <host> is a name (h1, head) or an address from the cluster's hosts.map. The cluster is the one
# in $STREAMALLOC_MH_STATE (its state directory), which run-multihost-test.sh exports and mpirun
# passes on to us in its environment.
set -euo pipefail

me=rsh-agent.sh
state=${STREAMALLOC_MH_STATE:-}
[[ -n $state && -r $state/hosts.map ]] ||
  { echo "$me: STREAMALLOC_MH_STATE is unset or has no hosts.map (run under run-multihost-test.sh)" >&2; exit 255; }

# Skip ssh-style options (Open MPI adds none for an agent that is not ssh/rsh, but be lenient):
# flags, and the options of ssh that take a value.
while [[ $# -gt 0 && $1 == -* ]]; do
  case $1 in
    -[bcDEeFIiJLlmOopQRSWw]) shift 2 ;;
    --) shift; break ;;
    *) shift ;;
  esac
done
[[ $# -ge 2 ]] || { echo "$me: usage: $me [options] <host> <command...>" >&2; exit 255; }
target=$1
shift

ns='' uts=''
while read -r name map_ns map_uts addr; do
  if [[ $target == "$name" || $target == "$addr" ]]; then
    ns=$map_ns uts=$map_uts
    break
  fi
done <"$state/hosts.map"
[[ -n $ns ]] || { echo "$me: unknown host '$target' (not in $state/hosts.map)" >&2; exit 255; }

if [[ -n ${STREAMALLOC_MH_AGENT_LOG:-} ]]; then
  printf '%s host=%s ns=%s cmd=%s\n' "$(date +%T.%N)" "$target" "$ns" "$*" >>"$STREAMALLOC_MH_AGENT_LOG"
fi

# Like sshd, start the command with a fresh login environment, not mpirun's: what a rank needs
# from the launching environment must be forwarded explicitly (mpirun -x VAR), as on a cluster.
# TMPDIR: each host has its own (Open MPI's session directory goes there), inside the cluster's
# state directory, so nothing is left in /tmp when the cluster is removed.
# The sanitizers' settings pass, as sshd's AcceptEnv would let them: a sanitizer build's orted
# and ranks need the leak suppressions (Open MPI's own start-up allocations) on every host.
tmp="$state/tmp/$name"
mkdir -p "$tmp"
sanitizer_env=()
for var in ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS; do
  [[ -z ${!var:-} ]] || sanitizer_env+=("$var=${!var}")
done
exec env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME="${HOME:-/root}" \
  USER="$(id -un)" LOGNAME="$(id -un)" SHELL=/bin/sh TMPDIR="$tmp" "${sanitizer_env[@]}" \
  ip netns exec "$ns" nsenter --uts="$uts" -- /bin/sh -c "$*"
