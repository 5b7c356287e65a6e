#!/usr/bin/python3
"""What `streamalloc generate` and `streamalloc seedseq` must print, computed by NumPy.

The oracle takes the same options as the CLI (the subset the tests use) and prints, byte for
byte, what the CLI must print for them, using only numpy.random. The CLI test
(tests/apps/numpy_cross_check_test.cpp) runs it with Debian's NumPy 1.24 (/usr/bin/python3).

Usage:
  numpy_cli_oracle.py generate [generate options]   the values (or state) NumPy draws; with
      --dist NAME and its parameters, Generator(bitgen).NAME(..., size=count)
  numpy_cli_oracle.py seedseq [seedseq options]     the SeedSequence JSON object
  numpy_cli_oracle.py write-state FILE [generate options] [--draw-output KIND]
      json.dump(bitgen.state) of the generator after drawing --count values of KIND, with
      arrays as lists: a state document for --from-state
  numpy_cli_oracle.py batch FILE
      FILE holds one JSON array of arguments per line (one of the forms above); prints one
      JSON object per line, {"stdout_hex": <hex of what that case prints>}, in order. Cases
      run in order, so a write-state case can make a file that later cases read.
"""

import argparse
import io
import json
import sys

import numpy as np

BIT_GENERATORS = {
    "pcg64": np.random.PCG64,
    "pcg64dxsm": np.random.PCG64DXSM,
    "philox": np.random.Philox,
    "sfc64": np.random.SFC64,
    "mt19937": np.random.MT19937,
}
BY_NUMPY_NAME = {cls.__name__: cls for cls in BIT_GENERATORS.values()}


def parse_int(text):
    """A non-negative integer as the CLI spells it: decimal or 0x-hex."""
    text = text.strip()
    return int(text, 16) if text.lower().startswith("0x") else int(text, 10)


def parse_signed(text):
    text = text.strip()
    return -parse_int(text[1:]) if text.startswith("-") else parse_int(text)


def parse_entropy(text):
    """One integer, or a list when there is a comma (NumPy keeps the form it was given)."""
    if "," in text:
        return [parse_int(part) for part in text.split(",")]
    return parse_int(text)


def parse_spawn_key(text):
    return tuple(parse_int(part) for part in text.split(",")) if text.strip() else ()


def listed(value):
    """A state dict with its NumPy arrays as lists, as json.dump needs it."""
    if isinstance(value, dict):
        return {key: listed(item) for key, item in value.items()}
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.integer):
        return int(value)
    return value


def seed_sequence(args):
    entropy = parse_entropy(args.seed) if args.seed is not None else None
    spawn_key = parse_spawn_key(args.spawn_key) if args.spawn_key is not None else ()
    return np.random.SeedSequence(entropy, spawn_key=spawn_key, pool_size=args.pool_size)


def make_bit_generator(args):
    if args.from_state is not None:
        with open(args.from_state) as f:
            state = json.load(f)
        bitgen = BY_NUMPY_NAME[state["bit_generator"]]()
        bitgen.state = state
    elif args.key is not None:
        bitgen = np.random.Philox(key=parse_int(args.key), counter=parse_counter(args))
    elif args.bitgen == "philox":
        bitgen = np.random.Philox(seed_sequence(args), counter=parse_counter(args))
    else:
        bitgen = BIT_GENERATORS[args.bitgen](seed_sequence(args))
    if args.jumped is not None:
        bitgen = bitgen.jumped(parse_signed(args.jumped))
    if args.advance is not None:
        bitgen.advance(parse_signed(args.advance))
    return bitgen


def parse_counter(args):
    return parse_int(args.counter) if args.counter is not None else None


def draw(bitgen, kind, count):
    if kind == "u64":
        return bitgen.random_raw(count)
    generator = np.random.Generator(bitgen)
    if kind == "u32":
        # The full uint32 range takes NumPy's buffered next_uint32 path, one call per value.
        return generator.integers(0, 2**32, size=count, dtype=np.uint32)
    return generator.random(count)


INTEGER_DTYPES = {
    "int64": np.int64, "int32": np.int32, "int16": np.int16, "int8": np.int8,
    "uint64": np.uint64, "uint32": np.uint32, "uint16": np.uint16, "uint8": np.uint8,
    "bool": np.bool_,
}


def real(text, default):
    return float(text) if text is not None else default


def draw_dist(bitgen, args, count):
    """Generator(bitgen).<args.dist>(..., size=count): an array of values, or of rows (one row
    per draw for multinomial; count calls for permutation and shuffle, which have no size=)."""
    generator = np.random.Generator(bitgen)
    name = args.dist
    if name in ("random", "standard_normal", "standard_exponential"):
        return getattr(generator, name)(size=count)
    if name == "uniform":
        return generator.uniform(real(args.low, 0.0), real(args.high, 1.0), size=count)
    if name == "integers":
        low = parse_signed(args.low)
        high = parse_signed(args.high) if args.high is not None else None
        return generator.integers(low, high, size=count, dtype=INTEGER_DTYPES[args.dtype],
                                  endpoint=args.endpoint)
    if name == "normal":
        return generator.normal(real(args.loc, 0.0), real(args.scale, 1.0), size=count)
    if name == "exponential":
        return generator.exponential(real(args.scale, 1.0), size=count)
    if name == "standard_gamma":
        return generator.standard_gamma(float(args.shape), size=count)
    if name == "gamma":
        return generator.gamma(float(args.shape), real(args.scale, 1.0), size=count)
    if name == "poisson":
        return generator.poisson(real(args.lam, 1.0), size=count)
    if name == "binomial":
        return generator.binomial(parse_signed(args.n), float(args.p), size=count)
    if name == "multinomial":
        pvals = [float(p) for p in args.pvals.split(",")]
        return generator.multinomial(parse_signed(args.n), pvals, size=count)
    if name == "permutation":
        return [generator.permutation(parse_signed(args.n)) for _ in range(count)]
    if name == "shuffle":
        rows = []
        for _ in range(count):
            row = np.arange(parse_signed(args.n))
            generator.shuffle(row)
            rows.append(row)
        return rows
    raise SystemExit("oracle: unknown --dist " + name)


def format_dist(values, args):
    """What the CLI prints for them: %.17g doubles, decimal integers (bool as 0/1), a draw of
    several entries on one line separated by spaces; binary: array.tobytes(), little-endian."""
    rowed = args.dist in ("multinomial", "permutation", "shuffle")
    if args.format == "binary":
        if rowed:
            return b"".join(np.asarray(row, dtype="<i8").tobytes() for row in values)
        array = np.asarray(values)
        return array.astype(array.dtype.newbyteorder("<")).tobytes()
    if rowed:
        return "".join(" ".join("%d" % v for v in row) + "\n" for row in values).encode()
    if values.dtype.kind == "f":
        return "".join("%.17g\n" % v for v in values).encode()
    return "".join("%d\n" % int(v) for v in values).encode()


def generate_parser(prog):
    parser = argparse.ArgumentParser(prog=prog, allow_abbrev=False)
    parser.add_argument("--bitgen", default="pcg64", choices=sorted(BIT_GENERATORS))
    parser.add_argument("--seed")
    parser.add_argument("--spawn-key")
    parser.add_argument("--pool-size", type=int, default=4)
    parser.add_argument("--key")
    parser.add_argument("--counter")
    parser.add_argument("--from-state")
    parser.add_argument("--jumped")
    parser.add_argument("--advance")
    parser.add_argument("--count", type=int, default=10)
    parser.add_argument("--output", default="u64", choices=["u64", "u32", "double"])
    parser.add_argument("--format", default="text", choices=["text", "binary"])
    parser.add_argument("--print-state", action="store_true")
    parser.add_argument("--dist")
    for name in ("low", "high", "loc", "scale", "shape", "lam", "n", "p", "pvals"):
        parser.add_argument("--" + name)
    parser.add_argument("--endpoint", action="store_true")
    parser.add_argument("--dtype", default="int64", choices=sorted(INTEGER_DTYPES))
    return parser


def run_generate(argv):
    args = generate_parser("generate").parse_args(argv)
    bitgen = make_bit_generator(args)
    if args.dist is not None:
        values = draw_dist(bitgen, args, args.count)
        if args.print_state:
            return (json.dumps(listed(bitgen.state)) + "\n").encode()
        return format_dist(values, args)
    values = draw(bitgen, args.output, args.count)
    if args.print_state:
        return (json.dumps(listed(bitgen.state)) + "\n").encode()
    if args.format == "binary":
        dtype = {"u64": "<u8", "u32": "<u4", "double": "<f8"}[args.output]
        return values.astype(dtype).tobytes()
    if args.output == "double":
        return "".join("%.17g\n" % value for value in values).encode()
    return "".join("%d\n" % int(value) for value in values).encode()


def run_write_state(argv):
    path, rest = argv[0], argv[1:]
    args = generate_parser("write-state").parse_args(rest)
    bitgen = make_bit_generator(args)
    if args.dist is not None:
        draw_dist(bitgen, args, args.count)
    else:
        draw(bitgen, args.output, args.count)
    with open(path, "w") as f:
        json.dump(listed(bitgen.state), f)
    return b""


def run_seedseq(argv):
    parser = argparse.ArgumentParser(prog="seedseq")
    parser.add_argument("--seed")
    parser.add_argument("--spawn-key")
    parser.add_argument("--pool-size", type=int, default=4)
    parser.add_argument("--words", type=int, default=4)
    parser.add_argument("--dtype", default="u32", choices=["u32", "u64"])
    parser.add_argument("--spawn", type=int, default=0)
    args = parser.parse_args(argv)
    seq = seed_sequence(args)
    state = seq.generate_state(args.words, np.uint32 if args.dtype == "u32" else np.uint64)
    children = seq.spawn(args.spawn)
    document = {
        "entropy": seq.entropy,
        "spawn_key": list(seq.spawn_key),
        "pool_size": seq.pool_size,
        "n_children_spawned": seq.n_children_spawned,
        "pool": seq.pool.tolist(),
        "state": state.tolist(),
    }
    if children:
        document["children"] = [{"spawn_key": list(child.spawn_key)} for child in children]
    return (json.dumps(document) + "\n").encode()


COMMANDS = {"generate": run_generate, "seedseq": run_seedseq, "write-state": run_write_state}


def run(argv):
    return COMMANDS[argv[0]](argv[1:])


def main():
    if len(sys.argv) < 2 or (sys.argv[1] not in COMMANDS and sys.argv[1] != "batch"):
        sys.exit(__doc__)
    if sys.argv[1] != "batch":
        sys.stdout.buffer.write(run(sys.argv[1:]))
        return
    out = io.StringIO()
    with open(sys.argv[2]) as cases:
        for line in cases:
            if line.strip():
                out.write(json.dumps({"stdout_hex": run(json.loads(line)).hex()}) + "\n")
    sys.stdout.write(out.getvalue())


if __name__ == "__main__":
    main()
