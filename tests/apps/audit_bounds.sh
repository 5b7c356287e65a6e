#!/usr/bin/env bash
# streamalloc audit on large and damaged manifests (issue 12), under a memory limit (ulimit -v)
# and a time limit: a manifest of 10^6 claim records (clean, every claim conflicting, and a run
# record with a use of every claim) audits within the README's bound — 400 MiB of address
# space, where holding a claim object per record (~500 bytes) needed 1.6 GB; truncated, bit-flipped, reordered, duplicated-line, foreign-version
# and one-endless-line files are refused with one line naming the file and line, within the same
# limits (nothing is read whole).
# usage: audit_bounds.sh <streamalloc> <streamalloc_make_manifest> <workdir>
set -euo pipefail
cli=$1 make=$2 work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }
# The README's bound for 10^6 records, all conflicting (174 MiB resident, under 250 MiB of
# address space), with slack for other platforms' allocators and libraries.
memory_kib=$((400 * 1024))
limited() { ( ulimit -v "$memory_kib"; exec timeout 300 "$@" ); }

"$make" clean.jsonl 1000000 clean
"$make" conflicting.jsonl 1000000 conflicting
status=0
limited "$cli" audit clean.jsonl >out 2>err || status=$?
[ "$status" -eq 0 ] || fail "10^6 clean records: exit $status $(cat err)"
grep -q "1000000 claims, no conflicts" out || fail "$(cat out)"
status=0
limited "$cli" audit conflicting.jsonl >out 2>err || status=$?
[ "$status" -eq 1 ] || fail "10^6 conflicting records: exit $status $(tail -c 300 err)"
tail -1 out | grep -q "1000000 claims, 500000 conflicts" || fail "$(tail -1 out)"
# A run record with a use line after every claim (4 ranks' shards): each use finds its claim
# through an index, not a scan of every claim (which took minutes for 10^5).
"$make" used.jsonl 1000000 used
status=0
limited "$cli" audit used.jsonl >out 2>err || status=$?
[ "$status" -eq 0 ] || fail "10^6 records with uses: exit $status $(tail -c 300 err)"
grep -q "1000000 claims, no conflicts" out || fail "$(cat out)"

"$make" small.jsonl 1000 clean
lines=$(wc -l <small.jsonl)
expect_refused() {  # expect_refused <what> <file> <line>
  local status=0
  limited "$cli" audit "$2" >out 2>err || status=$?
  [ "$status" -eq 2 ] || fail "$1: exit $status, expected 2"
  [ "$(wc -l <err)" -eq 1 ] || fail "$1: expected one line on stderr: $(cat err)"
  grep -q "^$2:$3: " err || fail "$1: the error does not start '$2:$3: ': $(cat err)"
  echo "$1: $(cut -c1-160 err)"
}
head -n $((lines - 1)) small.jsonl >cut.jsonl
expect_refused "truncated" cut.jsonl $((lines - 1))
python3 - <<'PY'
lines = open("small.jsonl").read().split("\n")
flip = list(lines); flip[500] = flip[500].replace('"first": 998', '"first": 999'); open("flip.jsonl", "w").write("\n".join(flip))
swap = list(lines); swap[300], swap[301] = swap[301], swap[300]; open("swap.jsonl", "w").write("\n".join(swap))
dup = list(lines); dup.insert(700, lines[699]); open("dup.jsonl", "w").write("\n".join(dup))
foreign = list(lines); foreign[0] = foreign[0].replace('"streamalloc_manifest": 3', '"streamalloc_manifest": 9'); open("foreign.jsonl", "w").write("\n".join(foreign))
PY
expect_refused "bit-flipped" flip.jsonl 501
expect_refused "reordered" swap.jsonl 301
# The footer, checked first, is no longer at its line.
expect_refused "duplicated line" dup.jsonl $((lines + 1))
expect_refused "foreign version" foreign.jsonl 1
# One line of 200 MB without a newline: refused at the line limit, never held whole.
{ head -n 1 small.jsonl; head -c 200000000 /dev/zero | tr '\0' 'x'; } >endless.jsonl
expect_refused "an endless line" endless.jsonl 2
echo "audit: 10^6 records (clean, conflicting, used) within ${memory_kib} KiB and 300 s; damaged files refused by line"
