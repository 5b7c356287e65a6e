#!/usr/bin/env bash
# File faults (issue 12), for the demo's manifest (a run record), its checkpoint, and the
# library's stream-set checkpoint: a missing directory, a file replaced by a directory, a FIFO, a
# read-only directory and a full disk each give one clear error naming the path, exit 2, no hang
# (every run is under a timeout), and leave the previous file intact. Paths are checked before
# the run computes anything (the runs asked for here would take hours otherwise). The read-only
# and full-disk cases run in a private mount namespace (unshare -m, a 64 KiB tmpfs) and are
# skipped with a message where that is not permitted; no atomic writer is ever pointed at a device.
# usage: mc_file_faults.sh <streamalloc-mc> <streamalloc> <stream_set_restart> <workdir>
set -euo pipefail
mc=$1 cli=$2 sets=$3 work=$4
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
rm -rf "$work" && mkdir -p "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }
forever=(--histories 1000000000000 --quiet)  # hours of work: a late check would time out

# expect_failure <what> <path> <command...>: exit 2 within the timeout, stderr naming the path.
expect_failure() {
  local what=$1 path=$2 status=0
  shift 2
  timeout 120 "$@" >"$work/out" 2>"$work/err" || status=$?
  [ "$status" -ne 124 ] || fail "$what: still running after 120 s (a hang, or the path checked too late)"
  [ "$status" -eq 2 ] || fail "$what: exited $status, expected 2: $(cat "$work/err")"
  grep -qF -- "$path" "$work/err" || fail "$what: the error does not name $path: $(cat "$work/err")"
  echo "$what: $(head -c 200 "$work/err")"
}

expect_failure "manifest in a missing directory" "$work/nodir/m.jsonl" \
  mpiexec -n 2 "$mc" "${forever[@]}" --manifest "$work/nodir/m.jsonl"
expect_failure "checkpoint in a missing directory" "$work/nodir/ck" \
  mpiexec -n 2 "$mc" "${forever[@]}" --checkpoint "$work/nodir/ck" --checkpoint-every 1000000
mkdir "$work/adir"
expect_failure "manifest replaced by a directory" "$work/adir" \
  mpiexec -n 2 "$mc" "${forever[@]}" --manifest "$work/adir"
expect_failure "checkpoint replaced by a directory" "$work/adir" \
  mpiexec -n 2 "$mc" "${forever[@]}" --checkpoint "$work/adir" --checkpoint-every 1000000
mkfifo "$work/fifo"
expect_failure "manifest that is a FIFO" "$work/fifo" \
  mpiexec -n 2 "$mc" "${forever[@]}" --manifest "$work/fifo"
[ -p "$work/fifo" ] || fail "the FIFO was replaced"

if ! unshare -m true 2>/dev/null; then
  echo "SKIP: read-only and full-disk cases need a private mount namespace (unshare -m), not permitted here"
  exit 0
fi
cat >"$work/inside.sh" <<'INSIDE'
set -euo pipefail
mc=$1 cli=$2 sets=$3 work=$4
source "$work/helpers.sh"
# A read-only directory holding a good manifest and checkpoint.
mkdir -p "$work/ro"
mount -t tmpfs -o size=1m tmpfs "$work/ro"
"$mc" --histories 2000 --quiet --manifest "$work/ro/m.jsonl" --checkpoint "$work/ro/ck" \
      --checkpoint-every 1000 --seed 5 >/dev/null
# The run finished: make the checkpoint one of an unfinished run to compare later.
cp -a "$work/ro" "$work/ro.before"
mount -o remount,ro "$work/ro"
expect_failure "manifest in a read-only directory" "$work/ro/m.jsonl" \
  mpiexec -n 2 "$mc" "${forever[@]}" --manifest "$work/ro/m.jsonl"
expect_failure "checkpoint in a read-only directory" "$work/ro/ck" \
  mpiexec -n 2 "$mc" "${forever[@]}" --checkpoint "$work/ro/ck" --checkpoint-every 1000000
diff -r "$work/ro" "$work/ro.before" >/dev/null || fail "the read-only directory changed"

# A full disk, before the run: the previous record and checkpoint stay as they were.
mkdir -p "$work/full"
mount -t tmpfs -o size=64k tmpfs "$work/full"
"$mc" --histories 2000 --quiet --manifest "$work/full/m.jsonl" --checkpoint "$work/full/ck" \
      --checkpoint-every 1000 --seed 5 >/dev/null
"$sets" --tasks 2 --rounds 1 --out "$work/sets1" --checkpoint "$work/full/set.ckpt" >/dev/null
cp -a "$work/full" "$work/full.before"
dd if=/dev/zero of="$work/full/filler" bs=1k count=64 2>/dev/null || true
expect_failure "manifest on a full disk" "$work/full/m.jsonl" \
  mpiexec -n 2 "$mc" "${forever[@]}" --manifest "$work/full/m.jsonl"
expect_failure "checkpoint on a full disk" "$work/full/ck" \
  mpiexec -n 2 "$mc" "${forever[@]}" --checkpoint "$work/full/ck" --checkpoint-every 1000000
expect_failure "stream-set checkpoint on a full disk" "$work/full/set.ckpt" \
  mpiexec -n 2 "$sets" --tasks 2 --rounds 2 --out "$work/sets2" --checkpoint "$work/full/set.ckpt"
rm "$work/full/filler"
diff -r "$work/full" "$work/full.before" >/dev/null || fail "files on the full disk changed: $(diff -r "$work/full" "$work/full.before" | head -3)"
"$cli" audit "$work/full/m.jsonl" >/dev/null || fail "the previous record no longer audits"

# A disk that fills up during the run: the error names the file that could not be written, and
# the record and checkpoint on disk are the last complete ones.
mkdir -p "$work/filling"
mount -t tmpfs -o size=64k tmpfs "$work/filling"
expect_failure "a disk filling up during the run" "$work/filling/" \
  mpiexec -n 2 "$mc" --histories 4000000 --quiet --manifest "$work/filling/m.jsonl" \
  --checkpoint "$work/filling/ck" --checkpoint-every 200
"$cli" audit "$work/filling/m.jsonl" >/dev/null || fail "the record left by the full disk does not audit"
umount "$work/ro" "$work/full" "$work/filling"
echo "read-only and full disks: errors name the path, previous files intact"
INSIDE
declare -f fail expect_failure >"$work/helpers.sh"
echo "forever=(${forever[*]})" >>"$work/helpers.sh"
unshare -m bash "$work/inside.sh" "$mc" "$cli" "$sets" "$work"
echo "file faults: one clear error naming the path, no hang, previous files intact"
