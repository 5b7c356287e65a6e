#!/usr/bin/env bash
# Regenerates tests/fuzz/corpus/ — the fuzz targets' seed corpora — from real files made by the
# real tools of a normal build (${BUILD_DIR:-build}, built first): NumPy state dicts printed by
# `streamalloc generate --print-state` for every generator, manifests and checkpoints of real
# streamalloc-mc runs (every strategy), a stream-set checkpoint of the MPI restart test's
# program, stream-set snapshots written by the library (tests/fuzz/seed_corpus_writer.cpp), and
# typical option values. The corpora are committed; run this only when a format changes.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-"$root/build"}
out="$root/tests/fuzz/corpus"
cli="$build/apps/streamalloc/streamalloc"
mc="$build/apps/streamalloc-mc/streamalloc-mc"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rm -rf "$out"
for t in integers cli_values json state_json snapshot_json snapshot_binary claim_line manifest \
         stream_set_checkpoint mc_checkpoint; do
  mkdir -p "$out/fuzz_$t"
done

# Integer and entropy strings, and option values (first byte: which parser, see the target).
i=0
for s in 0 12345 0x1f 0XABCDEF 18446744073709551616 "1, 2, 3" "$(printf '9%.0s' {1..309})" \
         340282366920938463463374607431768211455; do
  printf '%s' "$s" >"$out/fuzz_integers/seed_$i"; i=$((i + 1))
done
i=0
for v in "\x00""1000" "\x01""0,1,2" "\x01" "\x02""-0x10" "\x03""-9223372036854775808" \
         "\x04""1.5e-3" "\x04""-inf" "\x05""0.2,0.3,0.5" "\x06""philox" "\x07""8"; do
  printf "$v" >"$out/fuzz_cli_values/value_$i"; i=$((i + 1))
done

# NumPy state dicts, every generator (also the JSON reader's seeds).
for g in pcg64 pcg64dxsm philox sfc64 mt19937; do
  "$cli" generate --bitgen $g --seed 12345 --count 3 --print-state | tail -1 >"$out/fuzz_state_json/$g.json"
  cp "$out/fuzz_state_json/$g.json" "$out/fuzz_json/$g.json"
done

# Manifests and demo checkpoints of real runs; each claim line on its own.
for strategy in philox jumped spawn; do
  "$mc" --strategy $strategy --histories 2000 --quiet --manifest "$tmp/$strategy.jsonl" \
        --checkpoint "$tmp/$strategy.ckpt" --checkpoint-every 1000 >/dev/null
  mpiexec -n 2 "$mc" --strategy $strategy --histories 2000 --seed 0x1234567890abcdef1234567890 \
        --job 3 --quiet --manifest "$tmp/$strategy-2.jsonl" >/dev/null
  cp "$tmp/$strategy.jsonl" "$out/fuzz_manifest/$strategy.jsonl"
  cp "$tmp/$strategy-2.jsonl" "$out/fuzz_manifest/$strategy-np2.jsonl"
  cp "$tmp/$strategy.ckpt" "$out/fuzz_mc_checkpoint/$strategy.ckpt"
  sed -n '2,$p' "$tmp/$strategy-2.jsonl" | head -n -1 | split -l 1 - "$out/fuzz_claim_line/$strategy-"
done
head -1 "$tmp/spawn.jsonl" >"$out/fuzz_json/manifest_header.json"

# A stream-set checkpoint (and its manifest) from the MPI restart test's program.
if [ -x "$build/tests/mpi/streamalloc_stream_set_restart" ]; then
  mpiexec -n 2 "$build/tests/mpi/streamalloc_stream_set_restart" --tasks 3 --rounds 2 \
          --out "$tmp/sets" --checkpoint "$tmp/sets.ckpt" >/dev/null
  # The target's first byte: 0 = a header (bytes up to the header length), 1 = a claim block.
  header_length=$(od -An -tu8 -j16 -N8 "$tmp/sets.ckpt" | tr -d ' ')
  { printf '\x00'; head -c "$header_length" "$tmp/sets.ckpt"; } >"$out/fuzz_stream_set_checkpoint/header"
fi
# A claim block is claim lines, as in a manifest.
{ printf '\x01'; sed -n '2,$p' "$tmp/spawn-2.jsonl" | head -n -1; } >"$out/fuzz_stream_set_checkpoint/claims"

# Stream-set snapshots, JSON and binary.
c++ -std=c++20 -O1 -I"$root/lib/core/include" "$root/tests/fuzz/seed_corpus_writer.cpp" \
    "$build/lib/core/libstreamalloc_core.a" -o "$tmp/seed_corpus_writer"
"$tmp/seed_corpus_writer" "$out/fuzz_snapshot_json" "$out/fuzz_snapshot_binary"
cp "$out/fuzz_snapshot_json/set_0.json" "$out/fuzz_json/snapshot.json"
du -sh "$out"
