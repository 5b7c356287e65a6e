#!/usr/bin/env bash
# Whatever seed a writer accepts, every reader reads back (issue 12): a campaign seed of 1, 308,
# 309 and 10^4 decimal digits goes through the demo's manifest and checkpoint, `streamalloc
# audit`, --resume-from (checkpoint and manifest), and `streamalloc generate --print-state` /
# `--from-state`. 309 digits and up used to be written and then refused on reading ("number
# overflow"); the seed's length cap (big_uint::max_digits) is refused up front, with a short
# message.
# usage: mc_big_seed.sh <streamalloc-mc> <streamalloc> <workdir>
set -euo pipefail
mc=$1 cli=$2 work=$3
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
rm -rf "$work" && mkdir -p "$work"
for digits in 1 308 309 10000; do
  seed="7$(printf '%*s' $((digits - 1)) '' | tr ' ' '3')"
  d="$work/$digits" && mkdir -p "$d"
  for strategy in philox spawn; do
    full=$("$mc" --strategy $strategy --seed "$seed" --histories 300 --quiet | grep '^checksum')
    "$mc" --strategy $strategy --seed "$seed" --histories 300 --quiet --manifest "$d/a.jsonl" \
          --checkpoint "$d/c.ckpt" --checkpoint-every 100 >/dev/null
    "$cli" audit "$d/a.jsonl" >/dev/null
    resumed=$("$mc" --strategy $strategy --seed "$seed" --histories 300 --quiet \
              --resume-from "$d/c.ckpt" | grep '^checksum')
    [ "$resumed" = "$full" ] || { echo "FAIL: $digits digits: resume changed $full" >&2; exit 1; }
    "$mc" --strategy $strategy --seed "$seed" --histories 100 --quiet \
          --resume-from "$d/a.jsonl" --manifest "$d/b.jsonl" >/dev/null
    "$cli" audit "$d/a.jsonl" "$d/b.jsonl" >/dev/null
  done
  "$cli" generate --seed "$seed" --count 3 --print-state >"$d/gen.out"
  tail -1 "$d/gen.out" >"$d/state.json"
  "$cli" generate --from-state "$d/state.json" --count 1 >/dev/null
  "$cli" seedseq --seed "$seed" >/dev/null
  echo "seed of $digits digits: written and read back by every writer and reader"
done
status=0
"$mc" --seed "$(printf '%*s' 100001 '' | tr ' ' '9')" --histories 10 >"$work/long.out" 2>&1 || status=$?
[ "$status" -eq 2 ] || { echo "FAIL: a 100001-digit seed exited $status, expected 2" >&2; exit 1; }
[ "$(wc -c <"$work/long.out")" -lt 400 ] || { echo "FAIL: message not cut" >&2; exit 1; }
echo "a seed over the length cap: exit 2, $(wc -c <"$work/long.out") bytes of message"
