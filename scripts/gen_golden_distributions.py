#!/usr/bin/python3
"""Writes tests/golden/distributions.jsonl: numpy.random.Generator draws for every distribution.

Run with a Python that has NumPy 1.24 (Debian's /usr/bin/python3):

  /usr/bin/python3 scripts/gen_golden_distributions.py            # rewrite the golden file
  /usr/bin/python3 scripts/gen_golden_distributions.py --live N S  # N random cases, seed S

The file is JSON Lines: a header object, then one case per line. A case names a bit generator
("PCG64", "PCG64DXSM", "SFC64", "Philox", "MT19937" seeded with SeedSequence(seed) as
numpy.random.<name>(seed) does, or "MT19937_legacy": MT19937 after _legacy_seeding(seed), which
is std::mt19937(seed)), a method of numpy.random.Generator with its arguments, and either
  * "size": n and "values": the result of one call with size=n (a list, for multinomial a list
    of count vectors), or "size": null, "count": k and "values": k results of k calls with
    size=None; or
  * "size": n and "digest": {"fnv1a64": ..., "head": [...], "tail": [...]} for long runs: FNV-1a
    over the 64-bit patterns of all n values (doubles by their IEEE bits, integers modulo 2^64),
    with the first and last few values in clear; or
  * "error": NumPy's exception for invalid arguments.
Every drawing case ends with "after": [next_uint32, next_uint64] of the bit generator right
after the calls, which pins how many words were consumed and the buffered 32-bit half.
A case with "method": "sequence" has "steps", each a (method, args, size/count, values) of the
above, all drawn from one generator in order.

Generator methods are called with keyword arguments exactly as given in "args"; integers' dtype
is a NumPy dtype name. Deterministic: the same NumPy gives the same file. Standard library and
NumPy only.
"""

import json
import math
import pathlib
import random
import sys

import numpy as np

OUT = pathlib.Path(__file__).resolve().parent.parent / "tests/golden/distributions.jsonl"
BITGENS = ("PCG64", "PCG64DXSM", "SFC64", "Philox", "MT19937")
FNV_OFFSET = 0xCBF29CE484222325
FNV_PRIME = 0x100000001B3
MASK64 = (1 << 64) - 1
HEAD, TAIL = 8, 4


def make_bitgen(name, seed):
    if name == "MT19937_legacy":
        bitgen = np.random.MT19937()
        bitgen._legacy_seeding(seed)
        return bitgen
    return getattr(np.random, name)(seed)


def to_json_value(value):
    if isinstance(value, (np.bool_, bool)):
        return bool(value)
    if isinstance(value, (np.integer, int)):
        return int(value)
    if isinstance(value, (np.floating, float)):
        value = float(value)
        if not math.isfinite(value):
            raise ValueError("non-finite value in golden data")
        return value
    if isinstance(value, np.ndarray):
        return [to_json_value(v) for v in value.tolist()]
    if isinstance(value, (list, tuple)):
        return [to_json_value(v) for v in value]
    raise TypeError(type(value))


def json_args(args):
    """Arguments as JSON: non-finite floats become the strings "nan", "inf", "-inf"."""
    def fix(v):
        if isinstance(v, float) and not math.isfinite(v):
            return "nan" if math.isnan(v) else ("inf" if v > 0 else "-inf")
        if isinstance(v, list):
            return [fix(x) for x in v]
        return v
    return {k: fix(v) for k, v in args.items()}


def words(values):
    flat = np.asarray(values).ravel()
    if flat.dtype == np.float64:
        return [int(w) for w in flat.view(np.uint64)]
    return [int(v) & MASK64 for v in flat.tolist()]


def fnv1a64(values):
    h = FNV_OFFSET
    for w in words(values):
        h = ((h ^ w) * FNV_PRIME) & MASK64
    return h


def call(gen, method, args, size):
    kwargs = dict(args)
    if method == "integers" and "dtype" in kwargs:
        kwargs["dtype"] = np.dtype(kwargs["dtype"]).type
    if method == "shuffle":
        arr = np.arange(kwargs["n"], dtype=np.int64)
        gen.shuffle(arr)
        return arr
    if method == "permutation" and "x" in kwargs:
        return gen.permutation(np.asarray(kwargs["x"], dtype=np.int64))
    if method == "permutation":
        return gen.permutation(kwargs["n"])
    if size is not None:
        kwargs["size"] = size
    return getattr(gen, method)(**kwargs)


def draw_step(gen, method, args, size=None, count=1, digest=False):
    step = {"method": method, "args": args, "size": size}
    if size is None and method not in ("shuffle", "permutation"):
        step["count"] = count
        step["values"] = [to_json_value(call(gen, method, args, None)) for _ in range(count)]
    elif digest:
        values = call(gen, method, args, size)
        flat = np.asarray(values).ravel()
        step["digest"] = {"fnv1a64": fnv1a64(values),
                          "head": to_json_value(flat[:HEAD]),
                          "tail": to_json_value(flat[-TAIL:])}
    else:
        step["values"] = to_json_value(call(gen, method, args, size))
    return step


def after(bitgen):
    c = bitgen.ctypes
    return [int(c.next_uint32(c.state)), int(c.next_uint64(c.state))]


class Cases:
    def __init__(self):
        self.cases = []

    def add(self, bitgen, seed, method, args, size=None, count=1, digest=False):
        bg = make_bitgen(bitgen, seed)
        gen = np.random.Generator(bg)
        case = {"bitgen": bitgen, "seed": seed}
        case.update(draw_step(gen, method, args, size, count, digest))
        case["after"] = after(bg)
        self.cases.append(case)

    def both(self, bitgen, seed, method, args, size=40, count=6):
        """A bulk call and a run of single calls of the same distribution."""
        self.add(bitgen, seed, method, args, size=size)
        self.add(bitgen, seed + 1, method, args, size=None, count=count)

    def sequence(self, bitgen, seed, steps):
        bg = make_bitgen(bitgen, seed)
        gen = np.random.Generator(bg)
        out = []
        for method, args, size, count in steps:
            out.append(draw_step(gen, method, args, size, count))
        self.cases.append({"bitgen": bitgen, "seed": seed, "method": "sequence", "steps": out,
                           "after": after(bg)})

    def error(self, method, args):
        gen = np.random.Generator(np.random.PCG64(0))
        try:
            call(gen, method, args, None)
        except (ValueError, OverflowError) as exc:
            self.cases.append({"bitgen": "PCG64", "seed": 0, "method": method,
                               "args": json_args(args),
                               "error": "%s: %s" % (type(exc).__name__, exc)})
            return
        raise AssertionError("NumPy accepted %s %r" % (method, args))


I64_MIN, I64_MAX = -(1 << 63), (1 << 63) - 1
U64_MAX = (1 << 64) - 1
POISSON_LAM_MAX = float(np.iinfo("int64").max) - np.sqrt(np.iinfo("int64").max) * 10


def integer_cases(c):
    spans = [
        # (dtype, low, high, endpoint)
        ("int64", 0, 10, False), ("int64", -5, 5, True), ("int64", 7, 8, False),
        ("int64", 0, 2, False), ("int64", 0, 1 << 32, False), ("int64", 0, (1 << 32) - 1, False),
        ("int64", 0, (1 << 32) + 1, False), ("int64", -(1 << 40), 1 << 40, False),
        ("int64", 0, (1 << 62) + 12345, False), ("int64", 0, 3 * (1 << 61) + 1, False),
        ("int64", I64_MIN, 1 << 63, False), ("int64", I64_MIN, I64_MAX, True),
        ("int64", I64_MAX, I64_MAX, True), ("int64", I64_MIN, I64_MIN + 1, False),
        ("uint64", 0, 1 << 64, False), ("uint64", 0, U64_MAX, True),
        ("uint64", 1 << 63, 1 << 64, False),
        ("uint64", 0, 10 ** 19, False), ("uint64", U64_MAX, U64_MAX, True), ("uint64", 5, 6, False),
        ("int32", 0, 1000, False), ("int32", -(1 << 31), 1 << 31, False), ("int32", -3, 3, True),
        ("int32", 0, 1, False), ("uint32", 0, 1 << 32, False), ("uint32", 0, (1 << 31) + 1, False),
        ("uint32", 4000000000, 4000000007, True),
        ("int16", -1000, 1000, False), ("int16", -(1 << 15), 1 << 15, False),
        ("int16", 0, 3, False),
        ("uint16", 0, 1 << 16, False), ("uint16", 0, 5, False), ("uint16", 60000, 65535, True),
        ("int8", -128, 128, False), ("int8", -10, 10, False), ("int8", 100, 127, True),
        ("uint8", 0, 256, False), ("uint8", 0, 7, False), ("uint8", 3, 4, False),
        ("uint8", 200, 255, True),
        ("bool", 0, 2, False), ("bool", 0, 1, False), ("bool", 1, 2, False), ("bool", 0, 1, True),
        ("bool", 1, 1, True),
    ]
    for i, (dtype, low, high, endpoint) in enumerate(spans):
        args = {"low": low, "high": high, "dtype": dtype, "endpoint": endpoint}
        c.both("PCG64", 1000 + 10 * i, "integers", args, size=45, count=5)
    # Long bulk runs where rejections happen (wide non-power-of-two ranges).
    c.add("PCG64", 77, "integers", {"low": 0, "high": 3 * (1 << 62), "dtype": "uint64",
                                    "endpoint": False}, size=20000, digest=True)
    c.add("PCG64", 78, "integers", {"low": 0, "high": 3 * (1 << 30) + 1, "dtype": "int64",
                                    "endpoint": False}, size=20000, digest=True)
    c.add("PCG64", 79, "integers", {"low": -100, "high": 71, "dtype": "int8",
                                    "endpoint": False}, size=20000, digest=True)
    c.add("PCG64", 80, "integers", {"low": 0, "high": 40000, "dtype": "uint16",
                                    "endpoint": False}, size=20000, digest=True)


def float_cases(c):
    c.both("PCG64", 1, "random", {}, size=50)
    c.add("PCG64", 2, "random", {}, size=20000, digest=True)
    for i, (low, high) in enumerate([(0.0, 1.0), (-3.5, 2.25), (5.0, 5.0), (-1e307, 1e307),
                                     (1.0, 1.0 + 2 ** -52), (-1e-300, 0.0), (1e15, 1e15 + 3)]):
        c.both("PCG64", 10 + 2 * i, "uniform", {"low": low, "high": high}, size=30, count=4)
    c.both("PCG64", 30, "standard_normal", {}, size=60)
    for seed in (31, 32):
        c.add("PCG64", seed, "standard_normal", {}, size=100000, digest=True)
    for i, (loc, scale) in enumerate([(0.0, 1.0), (5.0, 2.0), (-1e300, 1e300), (3.0, 0.0),
                                      (1e-300, 1e-300), (2.5, 1e6)]):
        c.both("PCG64", 40 + 2 * i, "normal", {"loc": loc, "scale": scale}, size=30, count=4)
    c.both("PCG64", 60, "standard_exponential", {}, size=60)
    for seed in (61, 62):
        c.add("PCG64", seed, "standard_exponential", {}, size=100000, digest=True)
    for i, scale in enumerate([1.0, 0.0, 3.5, 1e-300, 1e300]):
        c.both("PCG64", 70 + 2 * i, "exponential", {"scale": scale}, size=30, count=4)
    shapes = [0.0, 1.0, 0.5, 0.01, 1e-300, 0.9999, 1.5, 2.0, 10.0, 1e6, 1e300, 1e-8, 3.0 - 2 ** -51]
    for i, shape in enumerate(shapes):
        c.both("PCG64", 100 + 2 * i, "standard_gamma", {"shape": shape}, size=30, count=4)
    c.add("PCG64", 130, "standard_gamma", {"shape": 0.3}, size=20000, digest=True)
    c.add("PCG64", 131, "standard_gamma", {"shape": 4.5}, size=20000, digest=True)
    pairs = [(0.5, 2.0), (2.0, 0.0), (7.5, 1e-3), (0.0, 5.0), (1.0, 3.0)]
    for i, (shape, scale) in enumerate(pairs):
        c.both("PCG64", 140 + 2 * i, "gamma", {"shape": shape, "scale": scale}, size=30, count=4)


def discrete_cases(c):
    lams = [0.0, 1e-300, 1e-8, 0.5, 1.0, 5.0, 9.999999, 10.0, 10.5, 25.0, 100.0, 1234.5, 1e6,
            1e12, 1e18, POISSON_LAM_MAX]
    for i, lam in enumerate(lams):
        c.both("PCG64", 200 + 2 * i, "poisson", {"lam": lam}, size=40, count=5)
    c.add("PCG64", 240, "poisson", {"lam": 3.7}, size=20000, digest=True)
    c.add("PCG64", 241, "poisson", {"lam": 47.0}, size=20000, digest=True)
    binomials = [(0, 0.5), (10, 0.0), (10, 1.0), (1, 0.5), (10, 0.3), (100, 0.3), (101, 0.3),
                 (1000, 0.7), (50, 0.9), (61, 0.5), (60, 0.5), (1 << 62, 1e-18), (10 ** 9, 0.5),
                 (10 ** 15, 0.25), (I64_MAX, 0.5), (200, 1e-300), (1000, 1.0 - 1e-12),
                 (500, 0.49999999), (500, 0.50000001), (31, 1.0 - 2 ** -53), (75, 0.4)]
    for i, (n, p) in enumerate(binomials):
        c.both("PCG64", 300 + 2 * i, "binomial", {"n": n, "p": p}, size=40, count=5)
    c.add("PCG64", 350, "binomial", {"n": 20, "p": 0.35}, size=20000, digest=True)
    c.add("PCG64", 351, "binomial", {"n": 5000, "p": 0.35}, size=20000, digest=True)
    c.add("PCG64", 352, "binomial", {"n": 100000, "p": 0.8}, size=20000, digest=True)
    pvals_list = [
        (10, [1.0]), (0, [0.2, 0.3, 0.5]), (10, [0.0, 1.0]), (10, [1.0, 0.0]),
        (100, [0.2, 0.3, 0.5]), (30, [1 / 3, 1 / 3, 1 / 3]), (1000, [0.1, 0.1]),
        (50, [0.5, 0.5, 0.0, 0.0]), (10 ** 6, [0.1] * 10), (7, [0.0, 0.0, 0.0]),
        (12, [0.5, 0.5 + 1e-13, 0.3]), (5, [1.0, 1.0]), (1 << 40, [0.25, 0.25, 0.25, 0.25]),
    ]
    for i, (n, pvals) in enumerate(pvals_list):
        c.both("PCG64", 400 + 2 * i, "multinomial", {"n": n, "pvals": pvals}, size=6, count=3)
    for i, n in enumerate([0, 1, 2, 3, 10, 1000]):
        c.add("PCG64", 450 + i, "permutation", {"n": n})
        c.add("PCG64", 460 + i, "shuffle", {"n": n})
    c.add("PCG64", 470, "permutation", {"x": [5, -3, 7, 7, 0, 42, 1 << 40]})
    c.add("PCG64", 471, "permutation", {"n": 100000}, digest=True)


SEQUENCE = [
    ("random", {}, None, 1),
    ("integers", {"low": 0, "high": 10, "dtype": "int64", "endpoint": False}, None, 1),
    ("standard_normal", {}, 3, 1),
    ("integers", {"low": 0, "high": 1 << 40, "dtype": "int64", "endpoint": False}, 3, 1),
    ("integers", {"low": 0, "high": 100, "dtype": "int32", "endpoint": False}, 5, 1),
    ("uniform", {"low": -1.0, "high": 1.0}, None, 2),
    ("integers", {"low": 0, "high": 200, "dtype": "uint8", "endpoint": False}, 7, 1),
    ("integers", {"low": 0, "high": 2, "dtype": "bool", "endpoint": False}, None, 3),
    ("exponential", {"scale": 2.0}, 2, 1),
    ("integers", {"low": 0, "high": 1000, "dtype": "int16", "endpoint": False}, None, 3),
    ("gamma", {"shape": 0.5, "scale": 1.0}, 3, 1),
    ("integers", {"low": 0, "high": 1 << 32, "dtype": "int64", "endpoint": False}, None, 1),
    ("poisson", {"lam": 50.0}, 3, 1),
    ("poisson", {"lam": 3.0}, None, 2),
    ("binomial", {"n": 100, "p": 0.4}, 3, 1),
    ("binomial", {"n": 10, "p": 0.2}, None, 2),
    ("multinomial", {"n": 20, "pvals": [0.3, 0.3, 0.4]}, 2, 1),
    ("permutation", {"n": 6}, None, 1),
    ("integers", {"low": 5, "high": 6, "dtype": "int64", "endpoint": False}, 4, 1),
    ("standard_gamma", {"shape": 3.0}, None, 2),
    ("integers", {"low": -7, "high": 7, "dtype": "int32", "endpoint": True}, None, 3),
    ("normal", {"loc": 1.0, "scale": 0.5}, None, 1),
    ("integers", {"low": 0, "high": 6, "dtype": "int64", "endpoint": False}, 5, 1),
]


def sequence_cases(c):
    for i, name in enumerate(BITGENS):
        c.sequence(name, 9000 + i, SEQUENCE)
    c.sequence("MT19937_legacy", 5489, SEQUENCE)
    for i, name in enumerate(BITGENS[1:] + ("MT19937_legacy",)):
        seed = 9100 + 10 * i
        c.add(name, seed, "standard_normal", {}, size=20000, digest=True)
        c.add(name, seed + 1, "integers", {"low": -3, "high": 1 << 33, "dtype": "int64",
                                           "endpoint": False}, size=500)
        c.add(name, seed + 2, "integers", {"low": 0, "high": 11, "dtype": "uint16",
                                           "endpoint": False}, size=101)
        c.both(name, seed + 3, "poisson", {"lam": 30.0}, size=50, count=5)
        c.both(name, seed + 5, "binomial", {"n": 300, "p": 0.6}, size=50, count=5)
        c.add(name, seed + 7, "standard_gamma", {"shape": 0.7}, size=200)
        c.add(name, seed + 8, "standard_exponential", {}, size=5000, digest=True)
        c.add(name, seed + 9, "shuffle", {"n": 50})


def error_cases(c):
    for method, args in [
        ("uniform", {"low": 1.0, "high": 0.0}), ("uniform", {"low": -1e308, "high": 1e308}),
        ("uniform", {"low": 0.0, "high": float("nan")}),
        ("normal", {"loc": 0.0, "scale": -1.0}), ("normal", {"loc": 0.0, "scale": -0.0}),
        ("exponential", {"scale": -2.0}), ("exponential", {"scale": -0.0}),
        ("standard_gamma", {"shape": -1.0}), ("gamma", {"shape": 1.0, "scale": -1.0}),
        ("gamma", {"shape": -0.5, "scale": 1.0}),
        ("poisson", {"lam": -1.0}), ("poisson", {"lam": float("nan")}),
        ("poisson", {"lam": 1e19}), ("poisson", {"lam": float("inf")}),
        ("binomial", {"n": -1, "p": 0.5}), ("binomial", {"n": 10, "p": -0.1}),
        ("binomial", {"n": 10, "p": 1.5}), ("binomial", {"n": 10, "p": float("nan")}),
        ("multinomial", {"n": 10, "pvals": [0.6, 0.6, 0.1]}),
        ("multinomial", {"n": 10, "pvals": [0.5, -0.1, 0.6]}),
        ("multinomial", {"n": 10, "pvals": [0.5, float("nan")]}),
        ("multinomial", {"n": 10, "pvals": [0.5, 1.5]}),
        ("multinomial", {"n": -1, "pvals": [0.5, 0.5]}),
        ("multinomial", {"n": 10, "pvals": []}),
        ("integers", {"low": 5, "high": 5, "dtype": "int64", "endpoint": False}),
        ("integers", {"low": 5, "high": 4, "dtype": "int64", "endpoint": True}),
        ("integers", {"low": 0, "high": 0, "dtype": "int64", "endpoint": False}),
        ("integers", {"low": -1, "high": 5, "dtype": "uint64", "endpoint": False}),
        ("integers", {"low": 0, "high": (1 << 64) + 1, "dtype": "uint64", "endpoint": False}),
        ("integers", {"low": 0, "high": 1 << 64, "dtype": "uint64", "endpoint": True}),
        ("integers", {"low": 0, "high": (1 << 63) + 1, "dtype": "int64", "endpoint": False}),
        ("integers", {"low": I64_MIN - 1, "high": 0, "dtype": "int64", "endpoint": False}),
        ("integers", {"low": 0, "high": 257, "dtype": "uint8", "endpoint": False}),
        ("integers", {"low": -129, "high": 0, "dtype": "int8", "endpoint": False}),
        ("integers", {"low": 0, "high": 1 << 31, "dtype": "int32", "endpoint": True}),
        ("integers", {"low": 0, "high": 3, "dtype": "bool", "endpoint": False}),
        ("integers", {"low": 0, "high": 65536, "dtype": "int16", "endpoint": False}),
    ]:
        c.error(method, args)


def live_cases(count, seed):
    """Randomised cases for a live cross-check (not stored)."""
    rnd = random.Random(seed)
    c = Cases()
    dtypes = {"int64": (I64_MIN, I64_MAX), "uint64": (0, U64_MAX),
              "int32": (-(1 << 31), (1 << 31) - 1),
              "uint32": (0, (1 << 32) - 1), "int16": (-(1 << 15), (1 << 15) - 1),
              "uint16": (0, (1 << 16) - 1), "int8": (-128, 127), "uint8": (0, 255), "bool": (0, 1)}
    names = ("integers", "random", "uniform", "standard_normal", "normal", "standard_exponential",
             "exponential", "standard_gamma", "gamma", "poisson", "binomial", "multinomial",
             "shuffle", "permutation")
    for _ in range(count):
        bitgen = rnd.choice(BITGENS + ("MT19937_legacy",))
        s = rnd.randrange(1 << rnd.choice((8, 32, 64, 128)))
        if bitgen == "MT19937_legacy":
            s &= 0xFFFFFFFF
        method = rnd.choice(names)
        size = rnd.choice((None, rnd.randrange(1, 300)))
        scale = 10.0 ** rnd.uniform(-5, 5)
        if method == "integers":
            dtype = rnd.choice(list(dtypes))
            lo, hi = dtypes[dtype]
            width = rnd.choice((1, 2, 3, 255, 256, 1 << 16, 1 << 32, (1 << 32) + 1, 1 << 64,
                                rnd.randrange(1, 1 << 64)))
            low = rnd.randrange(lo, hi + 1)
            high = min(low + width - 1, hi)
            endpoint = rnd.random() < 0.5
            args = {"low": low, "high": high + (0 if endpoint else 1), "dtype": dtype,
                    "endpoint": endpoint}
        elif method == "uniform":
            args = {"low": -scale * rnd.random(), "high": scale * rnd.random()}
        elif method == "normal":
            args = {"loc": rnd.uniform(-100, 100), "scale": scale}
        elif method == "exponential":
            args = {"scale": scale}
        elif method == "standard_gamma":
            args = {"shape": rnd.choice((0.0, 1.0, rnd.random(), rnd.uniform(1, 50), scale))}
        elif method == "gamma":
            args = {"shape": rnd.choice((rnd.random(), rnd.uniform(1, 50))), "scale": scale}
        elif method == "poisson":
            args = {"lam": rnd.choice((rnd.uniform(0, 10), rnd.uniform(10, 1000),
                                       10.0 ** rnd.uniform(-10, 18)))}
        elif method == "binomial":
            n = rnd.choice((rnd.randrange(0, 100), rnd.randrange(0, 10 ** 6),
                            rnd.randrange(0, 1 << 62)))
            args = {"n": n, "p": rnd.choice((rnd.random(), 10.0 ** -rnd.uniform(0, 20), 0.5, 1.0))}
        elif method == "multinomial":
            k = rnd.randrange(1, 8)
            weights = [rnd.random() for _ in range(k)]
            total = sum(weights) * rnd.choice((1.0, 1.5))
            args = {"n": rnd.randrange(0, 10 ** rnd.randrange(1, 12)),
                    "pvals": [w / total for w in weights]}
            size = rnd.choice((None, rnd.randrange(1, 20)))
        elif method in ("shuffle", "permutation"):
            args = {"n": rnd.randrange(0, 500)}
            size = None
        else:
            args = {}
        c.add(bitgen, s, method, args, size=size, count=rnd.randrange(1, 6))
    return c.cases


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "--live":
        for case in live_cases(int(sys.argv[2]), int(sys.argv[3])):
            print(json.dumps(case, allow_nan=False))
        return
    if len(sys.argv) != 1:
        sys.exit(__doc__)
    c = Cases()
    integer_cases(c)
    float_cases(c)
    discrete_cases(c)
    sequence_cases(c)
    error_cases(c)
    header = {"header": True, "numpy_version": np.__version__,
              "command": "/usr/bin/python3 scripts/gen_golden_distributions.py",
              "description": "numpy.random.Generator draws for every distribution streamalloc "
                             "implements; see the script's docstring for the format"}
    with OUT.open("w") as f:
        f.write(json.dumps(header) + "\n")
        for case in c.cases:
            f.write(json.dumps(case, allow_nan=False) + "\n")
    print("wrote %d cases to %s (%d bytes)" % (len(c.cases), OUT, OUT.stat().st_size))


if __name__ == "__main__":
    main()
