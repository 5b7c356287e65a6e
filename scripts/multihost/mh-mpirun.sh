#!/usr/bin/env bash
# mh-mpirun.sh — mpirun on the head host of a netns test cluster (see netns-hosts.sh), with the
# options that make Open MPI 4.1 treat h1..hN as separate nodes reached over TCP only:
#
#   --mca plm_rsh_agent rsh-agent.sh   orteds are started "remotely" inside each host's namespaces
#   --mca plm_rsh_no_tree_spawn 1      every orted is started by mpirun itself (no orted→orted ssh)
#   --mca pml ob1 --mca btl tcp,self   no shared-memory transport (vader) and no UCX: TCP only,
#                                      even between two ranks of one host
#   --mca btl_tcp_if_include / oob_tcp_if_include <subnet>   only the cluster's bridge network
#   --bind-to none                     the "hosts" share this machine's cores; binding each to
#                                      core 0 would serialise them
#   --oversubscribe, and --allow-run-as-root when root.
# Usage (under run-multihost-test.sh, which exports STREAMALLOC_MH_STATE):
#   mh-mpirun.sh --host h1:2,h2:2 -np 4 [more mpirun options] program [args]
# Environment: STREAMALLOC_MH_MPIEXEC (default: mpirun), STREAMALLOC_MH_SUBNET (default
# 10.77.0.0/24).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
state=${STREAMALLOC_MH_STATE:-}
[[ -n $state && -r $state/hosts.map ]] ||
  { echo "mh-mpirun.sh: STREAMALLOC_MH_STATE is unset or has no hosts.map (run under run-multihost-test.sh)" >&2; exit 2; }
read -r _ head_ns head_uts _ < <(grep '^head ' "$state/hosts.map")
subnet=${STREAMALLOC_MH_SUBNET:-10.77.0.0/24}
mpiexec=${STREAMALLOC_MH_MPIEXEC:-mpirun}

# shellcheck disable=SC2054  # "tcp,self" is one MCA value
opts=(--oversubscribe --bind-to none
      --mca plm_rsh_agent "$here/rsh-agent.sh"
      --mca plm_rsh_no_tree_spawn 1
      --mca pml ob1 --mca btl tcp,self
      --mca btl_tcp_if_include "$subnet" --mca oob_tcp_if_include "$subnet")
if [[ $(id -u) -eq 0 ]]; then
  opts=(--allow-run-as-root "${opts[@]}")
  export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
fi
# A sanitizer build's settings (leak checking, suppressions) reach every rank, as a user would
# forward them on a cluster; rsh-agent.sh passes them to the orteds too.
for var in ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS; do
  [[ -z ${!var:-} ]] || opts+=(-x "$var")
done
# The head's own temporary directory (Open MPI's session directory), removed with the cluster.
export TMPDIR="$state/tmp/head"
mkdir -p "$TMPDIR"
[[ -z ${STREAMALLOC_MH_VERBOSE:-} ]] || echo "+ [head] $mpiexec ${opts[*]} $*" >&2
exec ip netns exec "$head_ns" nsenter --uts="$head_uts" -- "$mpiexec" "${opts[@]}" "$@"
