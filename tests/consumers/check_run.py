#!/usr/bin/python3
"""Checks a consumer program's run against NumPy, from its run records alone.

Usage: check_run.py OUTDIR --ranks N --streamalloc PATH [--same-as OTHER_OUTDIR]

Every consumer (tests/consumers: C++ via find_package, C via pkg-config and mpicc, Fortran via
mpif90) runs the same workload under mpiexec and writes into OUTDIR:
  draws.<rank>.txt   one line per (stream, method): "<record> <task> <method> v1,v2,...", the
                     draws of one stream in this order, each from the same generator:
                     uniform(-1, 2) x4, normal(10, 2) x4, exponential(3) x3,
                     integers(0, 1000) x4, poisson(4.5) x3, binomial(20, 0.3) x3
  philox.jsonl, jumped.jsonl, spawn.jsonl   the run records (manifests) of the three allocators
  reuse.jsonl        the record of a run in which every rank took Philox stream ID 7 of job 1
This script
  1. audits each record with the installed `streamalloc audit`: the three runs are clean (exit 0),
     alone and together; the reuse run, on 2 ranks or more, is not (exit 1);
  2. rebuilds, for every line of every draws file, the NumPy generator of its stream from the
     run record alone — the claim whose task is the line's task gives the stream (Philox key,
     jump count or spawn key) — and checks that NumPy draws exactly the printed values;
  3. with --same-as, checks that another consumer (the C++ API) drew exactly the same values.
The rebuild is the README's "Python side of a run" (generator_of), spelled out.
Standard library and NumPy only (Debian's python3-numpy); exit 0 on success.
"""

import argparse
import json
import pathlib
import subprocess
import sys

import numpy as np

# The draws of one stream, in order: (method, keyword arguments, count).
DRAWS = [
    ("uniform", {"low": -1.0, "high": 2.0}, 4),
    ("normal", {"loc": 10.0, "scale": 2.0}, 4),
    ("exponential", {"scale": 3.0}, 3),
    ("integers", {"low": 0, "high": 1000}, 4),
    ("poisson", {"lam": 4.5}, 3),
    ("binomial", {"n": 20, "p": 0.3}, 3),
]


def read_record(path):
    """The header (campaign, job, ranks) and the claims of a run record (JSON Lines): a single
    file (formats 1, 2), or a format-3 manifest that names, per rank, how many claim lines of its
    shard the last commit holds ({"shard": r, "file": ..., "lines": n}, then a footer with
    "commit"); lines past that count are not part of the record."""
    path = pathlib.Path(path)
    lines = [json.loads(line) for line in path.read_text().splitlines() if line]
    header, footer = lines[0], lines[-1]
    if header["streamalloc_manifest"] < 3 or "commit" not in footer:
        return header, [c for c in lines[1:] if "kind" in c]
    claims = []
    for shard in lines[1:-1]:
        shard_lines = (path.parent / shard["file"]).read_text().splitlines()
        claims += [c for c in map(json.loads, shard_lines[1:1 + shard["lines"]]) if "kind" in c]
    return header, claims


def generator_of(record, task):
    """The NumPy Generator of the stream that serves `task` (a tuple) in a run record.

    Every stream of a run is a pure function of its campaign (root seed, strategy, pool size),
    its job and its claim; this is that function, as streamalloc/campaign.hpp states it."""
    header, claims = read_record(record)
    campaign = header["campaign"]
    # Format 2 records give each job its own region (key + job * 2**64, jumps + job * 2**40);
    # format 1 records (the shared layout) one index space for all jobs.
    separated = header["streamalloc_manifest"] >= 2
    root = np.random.SeedSequence(campaign["root"], pool_size=campaign.get("pool_size", 4))
    for c in claims:
        if "task" not in c:
            continue
        first_task = tuple(c["task"])
        for k in range(c["count"]):
            if c.get("task_lockstep"):
                served = first_task[:-1] + (first_task[-1] + k,)
            else:
                served = first_task
            if served != tuple(task):
                continue
            index, job = c["first"] + k, c["job"]
            if c["kind"] == "philox_id":
                key = np.random.Philox(root).state["state"]["key"]
                root_key = int(key[0]) + (int(key[1]) << 64)
                region = job << 64 if separated else 0
                return np.random.Generator(
                    np.random.Philox(key=(root_key + region + index) % 2**128))
            if c["kind"] == "jump_index":
                region = job << 40 if separated else 0
                return np.random.Generator(np.random.PCG64(root).jumped(region + index))
            if c["kind"] == "spawn_path":
                seq = np.random.SeedSequence(campaign["root"],
                                             spawn_key=(job, *c.get("prefix", []), index),
                                             pool_size=campaign.get("pool_size", 4))
                return np.random.Generator(np.random.PCG64(seq))
            raise ValueError(f"{record}: claim kind {c['kind']} is not rebuilt here")
    raise LookupError(f"{record}: no claim serves task {task}")


def parse_draws(outdir):
    """{(record, task): [(method, values), ...]} over every rank's draws file."""
    streams = {}
    files = sorted(pathlib.Path(outdir).glob("draws.*.txt"))
    for path in files:
        for line in path.read_text().splitlines():
            record, task, method, values = line.split(" ")
            parsed = [float(v) if method in ("uniform", "normal", "exponential") else int(v)
                      for v in values.split(",")]
            streams.setdefault((record, int(task)), []).append((method, parsed))
    return files, streams


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("outdir")
    parser.add_argument("--ranks", type=int, required=True)
    parser.add_argument("--streamalloc", required=True, help="the installed streamalloc CLI")
    parser.add_argument("--same-as", help="another consumer's OUTDIR for the same rank count")
    args = parser.parse_args()
    out = pathlib.Path(args.outdir)
    failures = []

    # 1. audits
    records = [str(out / f"{name}.jsonl") for name in ("philox", "jumped", "spawn")]
    for paths, expected in [([r], 0) for r in records] + [(records, 0),
                                                           ([str(out / "reuse.jsonl")],
                                                            1 if args.ranks > 1 else 0)]:
        run = subprocess.run([args.streamalloc, "audit", *paths], capture_output=True, text=True)
        if run.returncode != expected:
            failures.append(f"streamalloc audit {' '.join(paths)}: exit {run.returncode}, "
                            f"expected {expected}\n{run.stdout}{run.stderr}")
        elif expected == 1 and "ID 7" not in run.stdout:
            failures.append(f"audit of the reuse run does not name stream ID 7:\n{run.stdout}")

    # 2. every stream's draws, rebuilt from the records by NumPy
    files, streams = parse_draws(out)
    if len(files) != args.ranks:
        failures.append(f"{len(files)} draws files for {args.ranks} ranks")
    expected_streams = args.ranks * (6 + 3 + 4)
    if len(streams) != expected_streams:
        failures.append(f"{len(streams)} streams drawn, expected {expected_streams}")
    checked = 0
    for (record, task), draws in sorted(streams.items()):
        gen = generator_of(out / f"{record}.jsonl", (task,))
        if [m for m, _ in draws] != [m for m, _, _ in DRAWS]:
            failures.append(f"{record} task {task}: methods {[m for m, _ in draws]}")
            continue
        for (method, kwargs, count), (_, got) in zip(DRAWS, draws):
            want = getattr(gen, method)(**kwargs, size=count).tolist()
            if got != want:
                failures.append(f"{record} task ({task},) {method}: drew {got}, NumPy {want}")
            checked += len(got)

    # 3. the same values as the C++ API's consumer
    if args.same_as:
        _, reference = parse_draws(args.same_as)
        if reference != streams:
            missing = sorted(set(reference) ^ set(streams))
            differing = sorted(k for k in set(reference) & set(streams) if reference[k] != streams[k])
            failures.append(f"draws differ from {args.same_as}: streams only on one side "
                            f"{missing[:5]}, streams with other values {differing[:5]}")

    for f in failures:
        print("FAIL:", f)
    print(f"check_run: {args.outdir}: {len(streams)} streams, {checked} values checked against "
          f"NumPy {np.__version__}" + (f", same as {args.same_as}" if args.same_as else "") +
          (": ok" if not failures else f": {len(failures)} failure(s)"))
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
