#!/usr/bin/python3
"""Live NumPy check of run records: rebuild streams from a manifest with the README's expressions.

usage: numpy_record_streams.py MANIFEST DRAWS

DRAWS is what streamalloc_record_draws printed for MANIFEST (the library's streams of each
claim's first and last stream). For each of them this script rebuilds the stream from the
manifest's JSON alone, with the documented NumPy expression for the record's format:
  format 2 (each job its own region)
    philox  Philox(key=root_key + job * 2**64 + id)
    jumped  PCG64(SeedSequence(root)).jumped(job * 2**40 + index)
    spawn   PCG64(SeedSequence(root, spawn_key=(job, *prefix, index)))
  format 1 (one shared index space): key root_key + id, jumped(index)
where root_key = Philox(SeedSequence(root)).state['state']['key'] as one 128-bit integer, and
compares the raw 64-bit draws. Exit 0 when every stream matches, 1 on a mismatch, 77 when NumPy is
missing (ctest's SKIP_RETURN_CODE).
"""
import json
import os
import sys

try:
    import numpy as np
except ImportError:
    print("NumPy is not installed: skipping the live record check", file=sys.stderr)
    sys.exit(77)


def main():
    manifest_path, draws_path = sys.argv[1], sys.argv[2]
    header, claims = read_claims(manifest_path)
    fmt = header["streamalloc_manifest"]
    campaign = header["campaign"]
    root = campaign["root"]
    pool = campaign["pool_size"]
    separated = fmt >= 2
    checked = 0
    with open(draws_path) as f:
        for row in f:
            words = row.split()
            index, stream = int(words[0]), int(words[1])
            expected = [int(w) for w in words[2:]]
            claim = claims[index]
            job = claim["job"]
            if claim["kind"] == "philox_id":
                key = philox_root_key(root, pool)
                key = (key + (job << 64 if separated else 0) + stream) % (1 << 128)
                bg = np.random.Philox(key=key)
            elif claim["kind"] == "jump_index":
                count = (job << 40) + stream if separated else stream
                bg = np.random.PCG64(np.random.SeedSequence(root, pool_size=pool)).jumped(count)
            elif claim["kind"] == "spawn_path":
                key = (job, *claim.get("prefix", []), stream)
                bg = np.random.PCG64(np.random.SeedSequence(root, spawn_key=key, pool_size=pool))
            else:
                continue
            got = [int(x) for x in bg.random_raw(len(expected))]
            if got != expected:
                print(f"MISMATCH: {manifest_path} claim {index} ({claim['kind']} {stream}, "
                      f"job {job}): NumPy {got[:3]}..., streamalloc {expected[:3]}...")
                return 1
            checked += 1
    if checked == 0:
        print(f"no streams to check in {draws_path}")
        return 1
    print(f"{manifest_path}: {checked} streams rebuilt by NumPy {np.__version__}, all equal")
    return 0


def read_claims(manifest_path):
    """The header and the claims of a manifest: single-file, or a run record whose manifest lists
    its shards (format 3: {"shard": r, "file": ..., "lines": n}, then the footer with "commit")."""
    with open(manifest_path) as f:
        lines = [json.loads(line) for line in f if line.strip()]
    header, footer = lines[0], lines[-1]
    if "commit" not in footer:
        return header, lines[1:-1]
    claims = []
    base = os.path.dirname(manifest_path)
    for shard in lines[1:-1]:
        with open(os.path.join(base, shard["file"])) as f:
            shard_lines = [json.loads(line) for line in f][1:1 + shard["lines"]]
        claims += [c for c in shard_lines if not c.get("update")]
    return header, claims


def philox_root_key(root, pool):
    key = np.random.Philox(np.random.SeedSequence(root, pool_size=pool)).state["state"]["key"]
    return int(key[0]) + (int(key[1]) << 64)


if __name__ == "__main__":
    sys.exit(main())
