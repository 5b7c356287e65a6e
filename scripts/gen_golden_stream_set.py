#!/usr/bin/python3
"""Writes tests/golden/stream_set.jsonl: what NumPy draws for the variables of a stream_set.

Run with a Python that has NumPy 1.24 (Debian's /usr/bin/python3):

  /usr/bin/python3 scripts/gen_golden_stream_set.py

A stream_set built from a meta SeedSequence gives its k-th variable (k = 0, 1, ... in creation
order) the stream of the meta seed's child n_children_spawned + k, i.e. NumPy's
meta.spawn(n)[k]. This script computes those streams with NumPy alone: for each case it builds

  meta = SeedSequence(entropy, spawn_key=spawn_key, pool_size=pool_size,
                      n_children_spawned=n_children_spawned)
  children = meta.spawn(len(variables))
  gen[k] = numpy.random.Generator(numpy.random.<family[k]>(children[k]))

and calls Generator methods on them in the listed order, interleaving the variables.

The file is JSON Lines: a header object, then one case per line:
  "name"        a label
  "meta"        {"entropy", "spawn_key", "pool_size", "n_children_spawned"} of the meta seed
  "variables"   [{"family": "PCG64"|..., "method": "normal"|..., "args": {keyword arguments}}];
                integers' dtype is a NumPy dtype name among the args
  "spawn_keys"  children[k].spawn_key for each variable
  "initial"     each variable's bit_generator.state right after construction (arrays as lists)
  "draws"       [{"variable": k, "size": null|n, "values": ...}] in order: size null is one call
                with size=None (one value), size n one call with size=n (a list)
  "final"       each variable's bit_generator.state after the draws
  "reseed"      (optional) the same variables reseeded from another meta seed, as a stream_set's
                seed(meta) does: {"meta", "spawn_keys", "initial", "draws", "final"} computed on
                fresh generators on the new meta seed's children.
Deterministic: the same NumPy gives the same file. Standard library and NumPy only.
"""

import json
import pathlib
import sys

import numpy as np

# NumPy containers and scalars as plain JSON values, as the other golden files write them.
from gen_golden import to_json_value as jsonable

OUT = pathlib.Path(__file__).resolve().parent.parent / "tests/golden/stream_set.jsonl"
COMMAND = "/usr/bin/python3 scripts/gen_golden_stream_set.py"


def make_meta(meta):
    return np.random.SeedSequence(meta["entropy"], spawn_key=tuple(meta["spawn_key"]),
                                  pool_size=meta["pool_size"],
                                  n_children_spawned=meta["n_children_spawned"])


def call(gen, variable, size):
    args = dict(variable["args"])
    if "dtype" in args:
        args["dtype"] = getattr(np, args["dtype"])
    return getattr(gen, variable["method"])(size=size, **args)


def run(meta, variables, schedule):
    """Generators on the meta seed's children, the draws of `schedule`, and the states."""
    children = make_meta(meta).spawn(len(variables))
    bitgens = [getattr(np.random, v["family"])(child) for v, child in zip(variables, children)]
    gens = [np.random.Generator(bg) for bg in bitgens]
    initial = [jsonable(bg.state) for bg in bitgens]
    draws = []
    for k, size in schedule:
        values = call(gens[k], variables[k], size)
        draws.append({"variable": k, "size": size, "values": jsonable(values)})
    return {
        "spawn_keys": [list(child.spawn_key) for child in children],
        "initial": initial,
        "draws": draws,
        "final": [jsonable(bg.state) for bg in bitgens],
    }


def interleaved(n_variables, sizes):
    """Round robin over the variables, one call of each size in turn."""
    return [(k, size) for size in sizes for k in range(n_variables)]


def case(name, meta, variables, sizes, reseed_meta=None, reseed_sizes=None):
    schedule = interleaved(len(variables), sizes)
    result = {"name": name, "meta": meta, "variables": variables}
    result.update(run(meta, variables, schedule))
    if reseed_meta is not None:
        again = run(reseed_meta, variables, interleaved(len(variables), reseed_sizes))
        result["reseed"] = {"meta": reseed_meta, **again}
    return result


def meta(entropy, spawn_key=(), pool_size=4, n_children_spawned=0):
    return {"entropy": entropy, "spawn_key": list(spawn_key), "pool_size": pool_size,
            "n_children_spawned": n_children_spawned}


def var(family, method, **args):
    return {"family": family, "method": method, "args": args}


def cases():
    mixed = [
        var("PCG64", "normal", loc=1.5, scale=2.0),
        var("PCG64", "integers", low=0, high=10, endpoint=False, dtype="int64"),
        var("Philox", "integers", low=-3, high=1000, endpoint=True, dtype="int32"),
        var("SFC64", "random"),
        var("MT19937", "exponential", scale=0.5),
        var("PCG64DXSM", "gamma", shape=0.7, scale=2.0),
        var("PCG64", "poisson", lam=3.5),
        var("Philox", "poisson", lam=40.0),
        var("SFC64", "binomial", n=20, p=0.3),
        var("MT19937", "uniform", low=-1.0, high=3.0),
        var("PCG64", "integers", low=0, high=200, endpoint=True, dtype="uint8"),
        var("PCG64DXSM", "multinomial", n=10, pvals=[0.2, 0.3, 0.5]),
        var("PCG64", "integers", low=0, high=2**64 - 1, endpoint=True, dtype="uint64"),
        var("Philox", "gamma", shape=3.0, scale=1.0),
        var("PCG64", "binomial", n=1000, p=0.6),
    ]
    pcg_only = [
        var("PCG64", "normal", loc=0.0, scale=1.0),
        var("PCG64", "integers", low=0, high=2**31, endpoint=False, dtype="int64"),
        var("PCG64", "random"),
    ]
    philox_list = [
        var("Philox", "integers", low=5, high=7, endpoint=False, dtype="uint32"),
        var("Philox", "exponential", scale=3.0),
        var("MT19937", "normal", loc=-2.0, scale=0.25),
        var("SFC64", "integers", low=-(2**63), high=2**63 - 1, endpoint=True, dtype="int64"),
    ]
    return [
        case("mixed families and distributions, plain integer entropy", meta(20240601),
             mixed, [None, 7, None, 3], meta(99, (1, 2)), [None, 4]),
        case("spawn key and n_children_spawned", meta(12345, (3,), 4, 2), pcg_only,
             [None, 5, None, None, 9], meta(12345, (3,), 4, 7), [2, None]),
        case("list entropy with a big integer, pool size 8, big spawn key",
             meta([1, 2, 3**40], (7, 2**40), 8, 5), philox_list, [None, 6, None],
             meta([1, 2, 3**40], (7, 2**40), 8, 0), [None, 3]),
    ]


def main():
    header = {
        "header": True,
        "numpy_version": np.__version__,
        "python": sys.version.split()[0],
        "command": COMMAND,
        "description": "stream_set variables: numpy.random.Generator on the k-th spawned child "
                       "of a meta SeedSequence; see the script's docstring for the format",
    }
    with open(OUT, "w", encoding="ascii", newline="\n") as fh:
        fh.write(json.dumps(header) + "\n")
        for c in cases():
            fh.write(json.dumps(c) + "\n")


if __name__ == "__main__":
    main()
