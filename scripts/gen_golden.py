#!/usr/bin/python3
"""Generate golden test vectors for streamalloc from NumPy's random module.

Usage:
    /usr/bin/python3 scripts/gen_golden.py [--out tests/golden]

Everything written here comes from NumPy itself (never from streamalloc), so
the C++ tests can compare against it bit for bit.  The output is fully
deterministic: re-running the script produces byte-identical files.

Output format is JSON Lines.  Line 1 of each file is a header object; every
following line is one test case (see the "description" field of each header
for the per-file schema).
"""

import argparse
import json
import os
import sys

import numpy as np
from numpy.random import (MT19937, PCG64, PCG64DXSM, SFC64, Generator, Philox,
                          SeedSequence)

COMMAND = "/usr/bin/python3 scripts/gen_golden.py"

BITGENS = {
    "PCG64": PCG64,
    "PCG64DXSM": PCG64DXSM,
    "Philox": Philox,
    "SFC64": SFC64,
    "MT19937": MT19937,
}

# Negative jump counts, as NumPy accepts them.
NEGATIVE_JUMPS = [-1, -2, -1000, -(2 ** 64 + 3)]
# NumPy's MT19937.jumped takes a C long (np.npy_intp on 64-bit Linux).
C_LONG_MIN = -(2 ** 63)
C_LONG_MAX = 2 ** 63 - 1

# Which constructions each bit generator supports.
HAS_JUMPED = {"PCG64", "PCG64DXSM", "Philox", "MT19937"}
HAS_ADVANCE = {"PCG64", "PCG64DXSM", "Philox"}


# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------

def to_json_value(obj):
    """Recursively turn NumPy containers/scalars into plain Python values."""
    if isinstance(obj, dict):
        return {str(k): to_json_value(v) for k, v in obj.items()}
    if isinstance(obj, np.ndarray):
        return [to_json_value(v) for v in obj.tolist()]
    if isinstance(obj, (list, tuple)):
        return [to_json_value(v) for v in obj]
    if isinstance(obj, (bool, np.bool_)):
        return bool(obj)
    if isinstance(obj, np.integer):
        return int(obj)
    if isinstance(obj, np.floating):
        return float(obj)
    if isinstance(obj, (int, float, str)) or obj is None:
        return obj
    raise TypeError("cannot convert %r (%s) to JSON" % (obj, type(obj)))


def header(description):
    return {
        "header": True,
        "numpy_version": np.__version__,
        "python": sys.version.split()[0],
        "command": COMMAND,
        "description": description,
    }


def write_jsonl(path, head, cases):
    with open(path, "w", encoding="ascii", newline="\n") as fh:
        fh.write(json.dumps(head, sort_keys=False) + "\n")
        for case in cases:
            fh.write(json.dumps(case, sort_keys=False) + "\n")


def ints(seq):
    return [int(v) for v in seq]


# ---------------------------------------------------------------------------
# File 1: seed_sequence.jsonl
# ---------------------------------------------------------------------------

# A fixed 1000-bit integer (top bit set, a mixture of bit patterns below).
BIG_1000 = (1 << 999) | (3 ** 600) | 0x0123456789ABCDEF
assert BIG_1000.bit_length() == 1000

# A long entropy list of 20 values, mixing small, 32-bit-edge and >32-bit ints.
LIST_20 = [(i * 2654435761 + 17) % (1 << 32) for i in range(16)] + [
    0, (1 << 32) - 1, 1 << 33, (1 << 64) + 99]

SS_ENTROPIES = [
    0, 1, 2, 42, 2 ** 32 - 1, 2 ** 32, 2 ** 63, 2 ** 64 - 1, 2 ** 64,
    2 ** 128 + 1, 2 ** 200 + 12345, BIG_1000,
    [0], [0, 0], [1, 2, 3], [2 ** 32, 5], [2 ** 70, 0, 1], LIST_20, [],
]

SS_SPAWN_KEYS = [
    (), (0,), (1, 2), (3, 4, 5), (0, 0, 0, 0), (7, 1, 2 ** 32, 9, 0),
    (2 ** 32,), (0, 1), (2 ** 64 + 3,), (5, 2 ** 64 + 3),
]


def seed_sequence_case(entropy, spawn_key, pool_size):
    ss = SeedSequence(entropy, spawn_key=tuple(spawn_key), pool_size=pool_size)
    case = {
        "entropy": entropy,
        "spawn_key": list(spawn_key),
        "pool_size": pool_size,
        "pool": ints(ss.pool),
        "state_u32": ints(ss.generate_state(10, np.uint32)),
        "state_u64": ints(ss.generate_state(5, np.uint64)),
    }
    children = ss.spawn(3)
    case["spawn"] = [
        {"spawn_key": ints(c.spawn_key), "pool": ints(c.pool)} for c in children
    ]
    case["n_children_spawned_after"] = int(ss.n_children_spawned)
    return case


def seed_sequence_cases():
    specs = []
    # every entropy with no spawn key and the default pool size
    for e in SS_ENTROPIES:
        specs.append((e, (), 4))
    # every spawn key with a couple of entropies
    for key in SS_SPAWN_KEYS[1:]:
        for e in (0, 42, [1, 2, 3], 2 ** 128 + 1):
            specs.append((e, key, 4))
    # other pool sizes
    for p in (5, 8, 16):
        for e in (0, 1, 42, 2 ** 64 + 1, BIG_1000, [1, 2, 3], LIST_20, []):
            specs.append((e, (), p))
        for e, key in ((42, (0,)), (0, (7, 1, 2 ** 32, 9, 0)),
                       (2 ** 200 + 12345, (2 ** 64 + 3,)), (LIST_20, (1, 2))):
            specs.append((e, key, p))
    # explicit alias pairs (kept adjacent for readability)
    specs += [
        (0, (), 4), ([0, 0], (), 4), ([], (), 4),
        (0, (2 ** 32,), 4), (0, (0, 1), 4),
        (0, (2 ** 32,), 8), (0, (0, 1), 8),
    ]
    seen = set()
    cases = []
    for e, key, p in specs:
        ident = (json.dumps(e), tuple(key), p)
        if ident in seen:
            continue
        seen.add(ident)
        cases.append(seed_sequence_case(e, key, p))
    return cases


SS_DESCRIPTION = (
    "SeedSequence golden vectors. Each case: entropy (int or list of ints, "
    "passed as-is to SeedSequence(entropy, spawn_key=tuple(spawn_key), "
    "pool_size=pool_size)), spawn_key, pool_size, pool (uint32 x pool_size), "
    "state_u32 (generate_state(10, np.uint32)), state_u64 "
    "(generate_state(5, np.uint64)), spawn (children of .spawn(3): list of "
    "{spawn_key, pool}), n_children_spawned_after (after the spawn(3))."
)


# ---------------------------------------------------------------------------
# File 2: bit_generators.jsonl
# ---------------------------------------------------------------------------

MIXED_PATTERNS = [
    ["u32", "u64", "u32", "u32", "double", "u32", "u64", "double",
     "u32", "u32", "u32", "u64"],
    ["u64", "u32", "double", "u32", "u64", "u32", "u32", "u64",
     "double", "u32", "double", "u32"],
    ["u32", "u32", "u32", "u64", "u64", "u32", "double", "double",
     "u32", "u64", "u32", "u32"],
]


def build_bitgen(name, seed, jumped=None, advance=None, pre_u32=0,
                 predraw=0, predraw_u32=0):
    cls = BITGENS[name]
    if "key" in seed:
        kwargs = {"key": seed["key"]}
        if "counter" in seed:
            kwargs["counter"] = seed["counter"]
        bg = cls(**kwargs)
    else:
        bg = cls(SeedSequence(seed["entropy"], spawn_key=tuple(seed["spawn_key"]),
                              pool_size=seed["pool_size"]))
    if pre_u32:
        iface = bg.ctypes
        for _ in range(pre_u32):
            iface.next_uint32(iface.state)
    if jumped is not None:
        bg = bg.jumped(jumped)
    if advance is not None:
        bg.advance(advance)
    if predraw:
        bg.random_raw(predraw)
    if predraw_u32:
        iface = bg.ctypes
        for _ in range(predraw_u32):
            iface.next_uint32(iface.state)
    return bg


def fresh(name, state):
    bg = BITGENS[name](0)
    bg.state = state
    return bg


def draw_kind(iface, kind):
    if kind == "u32":
        return int(iface.next_uint32(iface.state))
    if kind == "u64":
        return int(iface.next_uint64(iface.state))
    if kind == "double":
        return float(iface.next_double(iface.state))
    raise ValueError(kind)


def bitgen_case(name, seed, count=16, jumped=None, advance=None, pre_u32=0,
                predraw=0, predraw_u32=0, mixed=0):
    bg = build_bitgen(name, seed, jumped, advance, pre_u32, predraw, predraw_u32)
    case = {"bitgen": name, "seed": seed}
    if pre_u32:
        case["pre_u32"] = pre_u32
    if jumped is not None:
        case["jumped"] = jumped
    if advance is not None:
        case["advance"] = advance
    if predraw:
        case["predraw"] = predraw
    if predraw_u32:
        case["predraw_u32"] = predraw_u32
    init = bg.state
    case["initial_state"] = to_json_value(init)
    case["count"] = count

    case["raw"] = [int(v) for v in bg.random_raw(count).tolist()]
    case["state_after_raw"] = to_json_value(bg.state)

    b = fresh(name, init)
    iface = b.ctypes
    case["u32"] = [draw_kind(iface, "u32") for _ in range(count)]
    case["state_after_u32"] = to_json_value(b.state)

    b = fresh(name, init)
    case["double"] = [float(v) for v in Generator(b).random(count).tolist()]

    b = fresh(name, init)
    iface = b.ctypes
    case["u64"] = [draw_kind(iface, "u64") for _ in range(count)]

    kinds = MIXED_PATTERNS[mixed % len(MIXED_PATTERNS)]
    b = fresh(name, init)
    iface = b.ctypes
    case["mixed_kinds"] = list(kinds)
    case["mixed"] = [draw_kind(iface, k) for k in kinds]
    case["state_after_mixed"] = to_json_value(b.state)
    return case


def ss_seed(entropy, spawn_key=(), pool_size=4):
    return {"entropy": entropy, "spawn_key": list(spawn_key),
            "pool_size": pool_size}


def bitgen_specs():
    specs = []
    for name in BITGENS:
        base = ss_seed(12345)
        # plain seeds
        for e in (0, 1, 12345, 2 ** 32, 2 ** 128 + 1, [1, 2, 3]):
            specs.append(dict(name=name, seed=ss_seed(e)))
        # spawn keys of depth 1..5, pool size 8
        for key in ((0,), (1, 2), (3, 4, 5), (0, 0, 0, 0),
                    (7, 1, 2 ** 32, 9, 0)):
            specs.append(dict(name=name, seed=ss_seed(42, key)))
        specs.append(dict(name=name, seed=ss_seed(42, (), 8)))
        specs.append(dict(name=name, seed=ss_seed(42, (1, 2), 8)))
        # jumped
        if name in HAS_JUMPED:
            jumps = (0, 1, 2, 5) if name == "MT19937" else (0, 1, 2, 3, 4, 5, 1000)
            for j in jumps:
                specs.append(dict(name=name, seed=base, jumped=j))
        # advance
        if name in HAS_ADVANCE:
            deltas = [0, 1, 2, 3, 4, 5, 1000, 2 ** 64, 2 ** 64 + 1, 2 ** 127,
                      2 ** 128 - 1, 2 ** 130 + 7, -1, -1000,
                      2 ** 128 + 5, -(2 ** 200) - 3]
            if name == "Philox":
                deltas += [2 ** 200, 2 ** 256 - 1, 2 ** 256 + 5]
            for d in deltas:
                specs.append(dict(name=name, seed=base, advance=d))
            # jumped then advanced
            specs.append(dict(name=name, seed=base, jumped=1, advance=1))
            specs.append(dict(name=name, seed=base, jumped=3, advance=2 ** 100 + 3))
            # advance resets a buffered uint32 / Philox buffer
            specs.append(dict(name=name, seed=base, pre_u32=1, advance=0))
            specs.append(dict(name=name, seed=base, pre_u32=3, advance=5))
        if name in HAS_JUMPED:
            # jumped from a state with a buffered uint32
            specs.append(dict(name=name, seed=base, pre_u32=1, jumped=1))
        # mid-buffer / has_uint32 states
        for n in (1, 2, 3, 5):
            specs.append(dict(name=name, seed=base, predraw=n))
        for n in (1, 3):
            specs.append(dict(name=name, seed=base, predraw_u32=n))
        specs.append(dict(name=name, seed=base, predraw=2, predraw_u32=1))
        if name == "MT19937":
            # positions near the regeneration boundary
            for n in (622, 623, 624, 1247):
                specs.append(dict(name=name, seed=base, predraw=n))
        # long runs to cross buffers / refills / carries
        specs.append(dict(name=name, seed=base,
                          count=1300 if name == "MT19937" else 1100))
    # Philox explicit key/counter
    for key in (0, 2 ** 128 - 1, 2 ** 64):
        specs.append(dict(name="Philox", seed={"key": key}))
        for ctr in (2 ** 64 - 1, 2 ** 128 - 1, 2 ** 192 - 1, 2 ** 256 - 1):
            specs.append(dict(name="Philox", seed={"key": key, "counter": ctr}))
    specs.append(dict(name="Philox", seed={"key": 2 ** 64 + 12345,
                                           "counter": 2 ** 256 - 2},
                      count=1100))
    specs.append(dict(name="Philox", seed={"key": 7, "counter": 2 ** 64 - 1},
                      predraw=3))
    specs.append(dict(name="Philox", seed={"key": 7, "counter": 2 ** 256 - 1},
                      advance=1))
    # Negative jump counts (appended last so that every earlier line, whose mixed pattern
    # depends on its position, stays byte-identical). PCG64, PCG64DXSM and Philox wrap them
    # like advance; MT19937 takes a C long and jumps a negative count zero times (counts it
    # refuses are in bit_generator_errors.jsonl).
    for name in ("PCG64", "PCG64DXSM", "Philox", "MT19937"):
        jumps = NEGATIVE_JUMPS if name != "MT19937" else [
            j for j in NEGATIVE_JUMPS if j >= C_LONG_MIN] + [C_LONG_MIN]
        for j in jumps:
            specs.append(dict(name=name, seed=ss_seed(12345), jumped=j))
        specs.append(dict(name=name, seed=ss_seed(12345), pre_u32=1, jumped=-1))
    specs.append(dict(name="Philox", seed={"key": 7, "counter": 2 ** 256 - 1},
                      jumped=-(2 ** 64 + 3)))
    return specs


def bitgen_cases():
    cases = []
    for i, spec in enumerate(bitgen_specs()):
        spec = dict(spec)
        name = spec.pop("name")
        seed = spec.pop("seed")
        cases.append(bitgen_case(name, seed, mixed=i, **spec))
    return cases


BG_DESCRIPTION = (
    "Bit generator golden vectors. Each case: bitgen (PCG64|PCG64DXSM|Philox|"
    "SFC64|MT19937); seed: either {entropy, spawn_key, pool_size} meaning "
    "BG(SeedSequence(entropy, spawn_key=tuple(spawn_key), pool_size=pool_size)) "
    "or (Philox only) {key[, counter]} meaning Philox(key=key[, counter=counter]) "
    "with counter omitted = default (0). Optional operations, applied in this "
    "order when present: pre_u32 (N calls of ctypes next_uint32), jumped "
    "(bg = bg.jumped(J)), advance (bg.advance(D); D may be negative or exceed "
    "the state size, NumPy reduces it modulo 2**128 (PCG) / 2**256 (Philox)), "
    "predraw (bg.random_raw(N)), predraw_u32 (N calls of ctypes next_uint32). "
    "initial_state: bg.state after all that. count: number of draws per list. "
    "raw: bg.random_raw(count); state_after_raw. u32: from a fresh BG set to "
    "initial_state, count calls of bg.ctypes.next_uint32; state_after_u32. "
    "double: fresh copy, Generator(bg).random(count). u64: fresh copy, count "
    "calls of ctypes next_uint64. mixed_kinds/mixed: fresh copy, one ctypes "
    "next_uint32/next_uint64/next_double call per kind; state_after_mixed. "
    "For MT19937 random_raw is one 32-bit draw and next_uint64 is two."
)


# ---------------------------------------------------------------------------
# File 3: state_roundtrip.jsonl
# ---------------------------------------------------------------------------

def roundtrip_specs():
    specs = []
    for name in BITGENS:
        seed = ss_seed(2024)
        specs.append(dict(name=name, seed=seed))
        for n in (1, 3, 7):
            specs.append(dict(name=name, seed=seed, predraw_u32=n))
        specs.append(dict(name=name, seed=seed, predraw=1))
        if name == "Philox":
            for pos in (1, 2, 3):
                specs.append(dict(name=name, seed=seed, predraw=pos))
                specs.append(dict(name=name, seed=seed, predraw=pos, predraw_u32=1))
            specs.append(dict(name=name, seed={"key": 2 ** 128 - 1,
                                               "counter": 2 ** 256 - 1},
                              predraw=2, predraw_u32=1))
        if name == "MT19937":
            for n in (623, 624, 700):
                specs.append(dict(name=name, seed=seed, predraw=n))
        if name in HAS_ADVANCE:
            specs.append(dict(name=name, seed=seed, advance=2 ** 127 + 1,
                              predraw_u32=1))
    return specs


def roundtrip_cases():
    cases = []
    for spec in roundtrip_specs():
        spec = dict(spec)
        name = spec.pop("name")
        seed = spec.pop("seed")
        bg = build_bitgen(name, seed, **spec)
        state = to_json_value(bg.state)
        case = {"bitgen": name, "seed": seed}
        for k in ("advance", "predraw", "predraw_u32"):
            if k in spec:
                case[k] = spec[k]
        case["state"] = state
        case["json"] = json.dumps(state)
        # set the state (as the JSON-converted plain values) on a fresh object
        b = fresh(name, bg.state)
        assert to_json_value(b.state) == state
        case["next_raw"] = [int(v) for v in b.random_raw(5).tolist()]
        cases.append(case)
    return cases


RT_DESCRIPTION = (
    "State round-trip vectors. Each case: bitgen, seed (as in "
    "bit_generators.jsonl), optional advance/predraw/predraw_u32 (applied in "
    "that order: advance, random_raw(predraw), predraw_u32 ctypes next_uint32 "
    "calls), state (bg.state as plain JSON values), json (exact text of "
    "json.dumps(state) with default separators), next_raw (5 random_raw draws "
    "after setting this state on a fresh bit generator)."
)


# ---------------------------------------------------------------------------
# File 4: bit_generator_errors.jsonl
# ---------------------------------------------------------------------------

def error_specs():
    seed = ss_seed(12345)
    specs = []
    for j in [j for j in NEGATIVE_JUMPS if j < C_LONG_MIN] + [
            C_LONG_MIN - 1, C_LONG_MAX + 1, 2 ** 64, 2 ** 200]:
        specs.append(dict(name="MT19937", seed=seed, jumped=j))
    return specs


def error_cases():
    cases = []
    for spec in error_specs():
        spec = dict(spec)
        name = spec.pop("name")
        seed = spec.pop("seed")
        case = {"bitgen": name, "seed": seed}
        case.update(spec)
        try:
            build_bitgen(name, seed, **spec)
        except Exception as exc:  # the kind of refusal is what the case records
            case["error"] = type(exc).__name__
        else:
            raise AssertionError("NumPy accepted %r" % (case,))
        cases.append(case)
    return cases


ERR_DESCRIPTION = (
    "Calls NumPy refuses. Each case: bitgen, seed (as in bit_generators.jsonl), "
    "the operation and its argument (jumped: bg.jumped(J)), and error: the "
    "exception type NumPy raises (streamalloc throws invalid_argument for all)."
)


# ---------------------------------------------------------------------------
# sanity checks (cheap; run every time)
# ---------------------------------------------------------------------------

def sanity_checks():
    assert ints(SeedSequence(0).pool) == [4265667335, 1328953910,
                                          1320288413, 3365567143]
    assert ints(SeedSequence(0).pool) == ints(SeedSequence([0, 0]).pool)
    assert (ints(SeedSequence(0, spawn_key=(2 ** 32,)).pool)
            == ints(SeedSequence(0, spawn_key=(0, 1)).pool))
    bg = PCG64(0)
    iface = bg.ctypes
    for attr in ("state", "next_uint64", "next_uint32", "next_double",
                 "bit_generator"):
        assert hasattr(iface, attr), attr


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--out", default=os.path.join(
        os.path.dirname(os.path.abspath(__file__)), os.pardir, "tests", "golden"),
        help="output directory (default: tests/golden)")
    args = parser.parse_args(argv)
    sanity_checks()
    out = os.path.normpath(args.out)
    os.makedirs(out, exist_ok=True)
    outputs = [
        ("seed_sequence.jsonl", SS_DESCRIPTION, seed_sequence_cases),
        ("bit_generators.jsonl", BG_DESCRIPTION, bitgen_cases),
        ("state_roundtrip.jsonl", RT_DESCRIPTION, roundtrip_cases),
        ("bit_generator_errors.jsonl", ERR_DESCRIPTION, error_cases),
    ]
    for fname, desc, fn in outputs:
        cases = fn()
        path = os.path.join(out, fname)
        write_jsonl(path, header(desc), cases)
        print("%s: %d cases, %d bytes" % (path, len(cases),
                                           os.path.getsize(path)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
