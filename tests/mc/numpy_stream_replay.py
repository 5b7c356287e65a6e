#!/usr/bin/python3
"""Live NumPy check of `streamalloc stream`: replay every task of a streamalloc-mc run in NumPy.

usage: numpy_stream_replay.py STREAMALLOC MANIFEST HISTORIES THICKNESS SCATTERING CHECKSUM

For every history h of the run, asks `streamalloc stream --manifest MANIFEST --task h` for the
stream that served it, rebuilds that stream in NumPy from the printed expression (eval'd with
numpy.random's names), runs the demo's slab transport on Generator(bg).random() draws, and sums
the tallies exactly as streamalloc-mc does. The FNV-1a checksum of those tallies must be the
run's (CHECKSUM): so every task's stream is what the C++ run drew. For a few tasks it also
checks that the printed state dict gives the same generator, and that `--count 8 --output
double` prints NumPy's first 8 draws. Exit 0 ok, 1 mismatch, 77 without NumPy.
"""
import json
import math
import subprocess
import sys

try:
    import numpy as np
except ImportError:
    print("NumPy is not installed: skipping the live stream replay", file=sys.stderr)
    sys.exit(77)

NAMES = {"Philox": np.random.Philox, "PCG64": np.random.PCG64, "PCG64DXSM": np.random.PCG64DXSM,
         "SFC64": np.random.SFC64, "MT19937": np.random.MT19937,
         "SeedSequence": np.random.SeedSequence}
MASK = (1 << 64) - 1


def history(random, thickness, scattering):
    """streamalloc-mc's run_history (slab_transport.hpp); returns (fate, collisions, track_fixed)."""
    x, mu, collisions, track = 0.0, 1.0, 0, 0.0
    while True:
        distance = -math.log1p(-random())
        x_next = x + mu * distance
        if x_next < 0.0 or x_next > thickness:
            track += (x if x_next < 0.0 else thickness - x) / abs(mu)
            fate = 1 if x_next < 0.0 else 0  # reflected, transmitted
            break
        track += distance
        x = x_next
        collisions += 1
        if random() >= scattering:
            fate = 2  # absorbed
            break
        mu = 2.0 * random() - 1.0
    return fate, collisions, int(math.floor(track * 4294967296.0 + 0.5))


def fnv1a(words):
    h = 0xcbf29ce484222325
    for w in words:
        for i in range(8):
            h ^= (w >> (8 * i)) & 0xFF
            h = (h * 0x100000001b3) & MASK
    return "%016x" % h


def plain(value):
    """A state dict with its arrays as lists (what json.dumps(bitgen.state) prints)."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, np.ndarray):
        return value.tolist()
    return value


def stream_lines(cli, manifest, task, *extra):
    out = subprocess.run([cli, "stream", "--manifest", manifest, "--task", str(task), *extra],
                         check=True, capture_output=True, text=True).stdout
    return out.splitlines()


def main():
    cli, manifest, histories = sys.argv[1], sys.argv[2], int(sys.argv[3])
    thickness, scattering, expected = float(sys.argv[4]), float(sys.argv[5]), sys.argv[6]
    fates = [0, 0, 0]
    collisions = collisions_sq = track = 0
    for h in range(histories):
        lines = stream_lines(cli, manifest, h)
        expression = lines[1].split(None, 1)[1]
        bg = eval(expression, {"__builtins__": {}}, NAMES)
        if h % max(1, histories // 5) == 0:
            state = json.loads(lines[2].split(None, 1)[1])
            other = NAMES[state["bit_generator"]]()
            other.state = state
            if plain(bg.state) != state:
                print(f"MISMATCH task {h}: {expression} has state {bg.state}, printed {state}")
                return 1
            drawn = [float(v) for v in stream_lines(cli, manifest, h, "--count", "8",
                                                    "--output", "double")]
            if drawn != np.random.Generator(other).random(8).tolist():
                print(f"MISMATCH task {h}: --count 8 --output double printed {drawn}")
                return 1
        g = np.random.Generator(bg)
        fate, c, t = history(g.random, thickness, scattering)
        fates[fate] += 1
        collisions += c
        collisions_sq += c * c
        track += t
    words = [histories, *fates, collisions, collisions_sq & MASK, collisions_sq >> 64,
             track & MASK, track >> 64]
    got = fnv1a(words)
    if got != expected:
        print(f"MISMATCH: NumPy replay of {histories} tasks gives checksum {got}, the run {expected}")
        return 1
    print(f"{manifest}: {histories} tasks replayed in NumPy {np.__version__} from "
          f"`streamalloc stream`: checksum {got}, as the run printed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
