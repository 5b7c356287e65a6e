#!/usr/bin/env bash
# Resuming is checked (issue 12): options that contradict the checkpoint are refused naming both
# values, left-out ones are taken from it and printed; a damaged checkpoint (any changed byte,
# cut, or edited and sealed again so that its counts no longer add up or its streams wrap) is
# refused naming the file; --checkpoint and --manifest paths are checked before the run.
# usage: mc_resume_checks.sh <streamalloc-mc> <edit_sealed.py> <workdir>
set -euo pipefail
mc=$1 edit=$2 work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }
domain=74706b632d636d  # "mc-ckpt", the checkpoint's seal domain
histories=(--histories 400000)
common=(--quiet)
reference=$("$mc" "${common[@]}" "${histories[@]}" --seed 7 --thickness 1.5 | grep '^checksum')
"$mc" "${common[@]}" "${histories[@]}" --seed 7 --thickness 1.5 --checkpoint ck \
      --checkpoint-every 100000 >/dev/null
cp ck ck.good

expect_refusal() {  # expect_refusal <what> <fragment> <args...>
  local what=$1 fragment=$2 status=0
  shift 2
  "$mc" "${common[@]}" "$@" >out 2>err || status=$?  # "$@" has --histories where it matters
  [ "$status" -eq 2 ] || fail "$what: exited $status, expected 2 ($(cat err))"
  [ "$(wc -l <err)" -eq 1 ] || fail "$what: expected one line on stderr: $(cat err)"
  grep -qF -- "$fragment" err || fail "$what: the error does not say '$fragment': $(cat err)"
}
expect_refusal "--seed 8" "--seed 8 contradicts the checkpoint ck, made with --seed 7" --resume-from ck --seed 8
expect_refusal "--strategy spawn" "made with --strategy philox" --resume-from ck --strategy spawn
expect_refusal "--job 5" "--job 5 contradicts" --resume-from ck --job 5
expect_refusal "--thickness 3.0" "--thickness 3 contradicts the checkpoint ck, made with --thickness 1.5" \
  --resume-from ck --thickness 3.0
expect_refusal "--histories" "--histories 500000 contradicts" --resume-from ck --histories 500000
common+=("${histories[@]}")
out=$("$mc" "${common[@]}" --resume-from ck)
grep -q "strategy philox, seed 7, job 0" <<<"$out" || fail "the header does not show the checkpoint's values: $out"
[ "$(grep '^checksum' <<<"$out")" = "$reference" ] || fail "taking the checkpoint's options: $out"
out=$("$mc" "${common[@]}" --resume-from ck --seed 7 --strategy philox --job 0 --thickness 1.5)
[ "$(grep '^checksum' <<<"$out")" = "$reference" ] || fail "agreeing options: $out"

# Damage: every byte changed (here: each of 40 spread positions) is refused; so are cut files.
size=$(stat -c %s ck.good)
for i in $(seq 0 39); do
  at=$(( i * (size - 1) / 39 ))
  python3 -c "import sys; d=bytearray(open('ck.good','rb').read()); d[$at]^=0x08; open('ck','wb').write(d)"
  expect_refusal "byte $at flipped" "ck" --resume-from ck
done
head -c $((size / 2)) ck.good >ck
expect_refusal "cut" "truncated" --resume-from ck
# Edited and sealed again: the counts and the index space are still checked.
for change in "tallies.transmitted=1" "base=18446744073709551615" "completed=200000" \
            "histories=18446744073709551615"; do
  cp ck.good ck
  /usr/bin/python3 "$edit" ck "$domain" "$change"
  expect_refusal "resealed $change" "ck" --resume-from ck
done
# A repeated line, another format, an oversized file.
cp ck.good ck && cat ck.good >>ck
expect_refusal "a repeated line" "one line" --resume-from ck
cp ck.good ck && /usr/bin/python3 "$edit" ck "$domain" "streamalloc_mc_checkpoint=9"
expect_refusal "format 9" "unsupported checkpoint format 9" --resume-from ck
{ cat ck.good; head -c 17000000 /dev/zero | tr '\0' ' '; } >ck
expect_refusal "17 MB" "bytes, not a streamalloc-mc checkpoint" --resume-from ck
rm -f ck
# The seal itself is the one the program writes: resealing without a change is accepted.
cp ck.good ck && /usr/bin/python3 "$edit" ck "$domain"
cmp -s ck ck.good || fail "edit_sealed.py does not reproduce the program's seal"
echo "resume options checked against the checkpoint; damaged checkpoints refused"
