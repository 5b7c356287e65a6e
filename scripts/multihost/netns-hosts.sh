#!/usr/bin/env bash
# netns-hosts.sh — make (or remove) a small "cluster" of test hosts on this one machine.
#
#   netns-hosts.sh up   N [ID]    hosts h1..hN (N = 1..9) plus a head host; prints the ID
#   netns-hosts.sh down ID        removes everything `up` made for ID (idempotent)
#   netns-hosts.sh probe          exits 0 if namespaces, veth pairs and bridges can be made here,
#                                 77 (with the reason on stderr) if not
#   netns-hosts.sh list           IDs with state under the state directory
#   netns-hosts.sh gc             removes clusters whose owner process has gone (a run killed
#                                 before it could clean up, e.g. by SIGKILL)
#   (STREAMALLOC_MH_OWNER=PID: the process that owns a cluster made by `up`; default: the caller)
#
# What one cluster is (ID defaults to the caller's PID; names below use P = samh-ID):
#   P-br          a network namespace holding only the bridge `br0` (no address) and one veth end
#                 per host: the cluster's private LAN. Nothing is added to the root namespace, no
#                 address, route or forwarding there, so the hosts reach each other and nothing
#                 else, and clusters with different IDs never see each other (all may use the
#                 same subnet).
#   P-head        the head host (hostname `head`, 10.77.0.1): where mpirun runs; no ranks.
#   P-hK          host hK (hostname `hK`, 10.77.0.(10+K)); its eth0 is the peer of `vhK` on br0.
# Every host is a network namespace plus its own persistent UTS namespace (so its own hostname),
# bound at $STATE/<host>.uts; `ip netns exec P-hK nsenter --uts=$STATE/hK.uts CMD` runs CMD "on"
# hK (see rsh-agent.sh). Names resolve through /etc/netns/P-<host>/hosts, which `ip netns exec`
# bind-mounts over /etc/hosts inside the namespace only: the machine's /etc/hosts is untouched.
# The filesystem and the PID namespace stay shared (the build tree is at the same path on every
# host, as on a cluster with a shared file system).
#
# State: $STREAMALLOC_MH_STATE_ROOT (default /run/streamalloc-multihost)/ID/, with `hosts.map`
# (name, namespace, UTS file, address per line) for rsh-agent.sh, `owner` (for gc) and tmp/<host>/
# (each host's TMPDIR, so Open MPI's session directories go away with the cluster).
set -euo pipefail

state_root=${STREAMALLOC_MH_STATE_ROOT:-/run/streamalloc-multihost}
subnet_prefix=10.77.0   # only ever used inside our own namespaces
prefix_len=24

die() { echo "netns-hosts.sh: $*" >&2; exit 1; }
skip() { echo "netns-hosts.sh: SKIP: $*" >&2; exit 77; }

ns_prefix() { echo "samh-$1"; }

host_addr() {  # host name -> address
  case $1 in
    head) echo "$subnet_prefix.1" ;;
    h[1-9]) echo "$subnet_prefix.$((10 + ${1#h}))" ;;
    *) die "unknown host name '$1'" ;;
  esac
}

proc_start() {  # a process's start time (field 22 of /proc/PID/stat), to tell reused PIDs apart
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || { echo gone; return; }
  stat=${stat##*) }
  # shellcheck disable=SC2086
  set -- $stat
  echo "${20}"
}

gc() {
  local dir id pid start
  for dir in "$state_root"/*/; do
    [[ -d $dir ]] || continue
    id=$(basename "$dir")
    if [[ -r $dir/owner ]]; then
      read -r pid start <"$dir/owner"
      [[ $(proc_start "$pid") == "$start" ]] && continue
    elif [[ -n $(find "$dir" -maxdepth 0 -newermt '-60 seconds' 2>/dev/null) ]]; then
      continue  # being made right now by `up`
    fi
    echo "netns-hosts.sh: removing stale cluster $id (owner gone)" >&2
    down "$id"
  done
  # Namespaces of ours without a state directory.
  for id in $(ip netns list 2>/dev/null | sed -n 's/^samh-\([A-Za-z0-9]*\)-br\b.*/\1/p'); do
    [[ -d $state_root/$id ]] && continue
    echo "netns-hosts.sh: removing stale namespaces samh-$id-*" >&2
    down "$id"
  done
}

probe() {
  [[ $(id -u) -eq 0 ]] || skip "network namespaces need root (running as uid $(id -u))"
  local tool
  for tool in ip unshare nsenter mount umount; do
    command -v "$tool" >/dev/null 2>&1 || skip "'$tool' is not installed"
  done
  local p="samh-probe$$" err
  # shellcheck disable=SC2064
  trap "ip netns del $p-a >/dev/null 2>&1 || true; ip netns del $p-b >/dev/null 2>&1 || true" EXIT
  err=$(ip netns add "$p-a" 2>&1) || skip "cannot create network namespaces (ip netns add: $err)"
  err=$(ip netns add "$p-b" 2>&1) || skip "cannot create network namespaces (ip netns add: $err)"
  err=$(ip -n "$p-a" link add br0 type bridge 2>&1) || skip "cannot create a bridge ($err)"
  err=$(ip -n "$p-a" link add v0 type veth peer name eth0 netns "$p-b" 2>&1) ||
    skip "cannot create veth pairs ($err)"
  err=$(ip -n "$p-a" link set v0 master br0 2>&1) || skip "cannot attach a veth to a bridge ($err)"
  err=$(ip netns exec "$p-b" unshare --uts sh -c 'hostname samh-probe && hostname' 2>&1) ||
    skip "cannot create UTS namespaces / set their hostname ($err)"
  [[ $err == samh-probe ]] || skip "hostname in a new UTS namespace did not stick ($err)"
  [[ $(hostname) != samh-probe ]] || die "probe changed the machine's hostname?!"
}

up() {
  local n=$1 id=$2
  [[ $n =~ ^[1-9]$ ]] || die "N must be 1..9 (got '$n')"
  [[ $id =~ ^[A-Za-z0-9]{1,12}$ ]] || die "ID must be 1-12 letters/digits (got '$id')"
  local p state hosts=(head) h i
  p=$(ns_prefix "$id")
  state="$state_root/$id"
  [[ ! -e $state ]] || die "cluster $id already exists ($state); run: $0 down $id"
  for ((i = 1; i <= n; i++)); do hosts+=("h$i"); done

  mkdir -p "$state"
  local owner=${STREAMALLOC_MH_OWNER:-$PPID}
  echo "$owner $(proc_start "$owner")" >"$state/owner"
  : >"$state/hosts.map.tmp"
  ip netns add "$p-br"
  ip -n "$p-br" link set lo up
  ip -n "$p-br" link add br0 type bridge
  ip -n "$p-br" link set br0 up

  local hosts_file="$state/etc-hosts"
  {
    echo "127.0.0.1 localhost"
    for h in "${hosts[@]}"; do echo "$(host_addr "$h") $h"; done
  } >"$hosts_file"

  for h in "${hosts[@]}"; do
    local ns="$p-$h" uts="$state/$h.uts" addr
    addr=$(host_addr "$h")
    ip netns add "$ns"
    # Per-namespace /etc files for `ip netns exec` (hosts resolution h1..hN, head).
    mkdir -p "/etc/netns/$ns"
    cp "$hosts_file" "/etc/netns/$ns/hosts"
    echo "$h" >"/etc/netns/$ns/hostname"
    ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1 || true
    ip -n "$p-br" link add "v$h" type veth peer name eth0 netns "$ns"
    ip -n "$p-br" link set "v$h" master br0
    ip -n "$p-br" link set "v$h" up
    ip -n "$ns" link set lo up
    ip -n "$ns" addr add "$addr/$prefix_len" dev eth0
    ip -n "$ns" link set eth0 up
    # A persistent UTS namespace with the host's own hostname (bind-mounted on $uts).
    touch "$uts"
    unshare --uts="$uts" hostname "$h"
    echo "$h $ns $uts $addr" >>"$state/hosts.map.tmp"
  done
  mv "$state/hosts.map.tmp" "$state/hosts.map"

  # Sanity: every host has its own hostname and reaches every other host.
  for h in "${hosts[@]}"; do
    local got
    got=$(ip netns exec "$p-$h" nsenter --uts="$state/$h.uts" hostname)
    [[ $got == "$h" ]] || die "host $h reports hostname '$got'"
  done
  if command -v ping >/dev/null 2>&1; then
    for h in "${hosts[@]:1}"; do
      ip netns exec "$p-head" ping -c1 -W2 -q "$h" >/dev/null ||
        die "head cannot reach $h ($(host_addr "$h")) over the bridge"
    done
  fi
  echo "$id"
}

down() {
  local id=$1
  [[ $id =~ ^[A-Za-z0-9]{1,12}$ ]] || die "ID must be 1-12 letters/digits (got '$id')"
  local p state ns f
  p=$(ns_prefix "$id")
  state="$state_root/$id"
  # Processes still inside the hosts (a killed mpirun's orteds, ranks): end them first, or the
  # namespaces live on. Only processes of this cluster's namespaces are signalled.
  for ns in $(ip netns list 2>/dev/null | awk -v p="$p-" 'index($1, p) == 1 {print $1}'); do
    local pids
    pids=$(ip netns pids "$ns" 2>/dev/null || true)
    if [[ -n $pids ]]; then
      # shellcheck disable=SC2086
      kill -TERM $pids 2>/dev/null || true
      sleep 1
      pids=$(ip netns pids "$ns" 2>/dev/null || true)
      # shellcheck disable=SC2086
      [[ -z $pids ]] || kill -KILL $pids 2>/dev/null || true
    fi
    ip netns del "$ns" 2>/dev/null || true
    rm -rf "/etc/netns/$ns"
  done
  if [[ -d $state ]]; then
    for f in "$state"/*.uts; do
      [[ -e $f ]] || continue
      umount "$f" 2>/dev/null || umount -l "$f" 2>/dev/null || true
      rm -f "$f"
    done
    rm -rf "$state"
  fi
  rmdir "$state_root" 2>/dev/null || true
  rmdir /etc/netns 2>/dev/null || true
}

case ${1:-} in
  probe) probe ;;
  up)
    [[ $# -ge 2 ]] || die "usage: $0 up N [ID]"
    up "$2" "${3:-$$}" ;;
  down)
    [[ $# -eq 2 ]] || die "usage: $0 down ID"
    down "$2" ;;
  list) ls -1 "$state_root" 2>/dev/null || true ;;
  gc) gc ;;
  *) die "usage: $0 probe | up N [ID] | down ID | list | gc" ;;
esac
