#!/usr/bin/python3
"""Summarises streamalloc_generators_bench against its peers, timed in the same run.

Usage (scripts/bench.sh runs it):
    /usr/bin/python3 scripts/bench_generators.py GENERATORS_JSON OUT_DIR [--quick]

Reads the Google Benchmark JSON of streamalloc_generators_bench (every repetition), times NumPy
1.24 itself for the same operations (this interpreter's numpy.random, with timeit on the
thread's CPU time, as Google Benchmark reports CPU time), and writes:
  * one table on standard output: per operation, ours, each peer (C++ peers from the same
    benchmark binary, and NumPy), and ratio = peer time / ours (> 1: streamalloc is faster);
  * OUT_DIR/generators.csv, the same rows;
  * OUT_DIR/fill_scaling.png, ns per value against fill length for ours and every peer
    (python3-matplotlib; skipped with a note when it is not installed);
  * the issue-11 targets, each with its measured ratio and whether it is met.
Times are medians over the repetitions (ours) or over timeit repeats (NumPy).
"""

import csv
import json
import os
import statistics
import sys
import time
import timeit
from collections import OrderedDict

ENTROPY = 0x8c3c010cb4754c905776bdac5ee7501  # the benchmark binary's root seed


def load_runs(path):
    """{(op, gen, impl, n): {"ns": [per value or per call], "error": str|None}}."""
    doc = json.load(open(path))
    runs = OrderedDict()
    # Registration order (the repetitions themselves ran randomly interleaved).
    ordered = sorted(doc["benchmarks"], key=lambda r: (r.get("family_index", 0),
                                                       r.get("per_family_instance_index", 0),
                                                       r.get("repetition_index", 0)))
    for r in ordered:
        if r.get("run_type", "iteration") != "iteration":
            continue
        parts = r.get("run_name", r["name"]).split("/")
        op, gen, impl = parts[0], parts[1], parts[2]
        n = int(parts[3]) if len(parts) > 3 else None
        entry = runs.setdefault((op, gen, impl, n), {"ns": [], "error": None})
        if r.get("error_occurred"):
            entry["error"] = r.get("error_message", "error")
            continue
        if r.get("items_per_second"):
            entry["ns"].append(1e9 / r["items_per_second"])  # per value (CPU time)
        else:
            scale = {"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9}[r.get("time_unit", "ns")]
            entry["ns"].append(r["cpu_time"] * scale)  # per call
    return doc["context"], runs


def median(values):
    return statistics.median(values) if values else None


def fmt(ns):
    if ns is None:
        return "-"
    if ns >= 1e6:
        return f"{ns / 1e6:.3f} ms"
    if ns >= 1e4:
        return f"{ns / 1e3:.2f} us"
    return f"{ns:.3f} ns"


# --- NumPy ------------------------------------------------------------------------------------

def numpy_cases(np, quick):
    """[(op, gen, n, what, fn, values_per_call, number)] for the operations NumPy also has."""
    seq = np.random.SeedSequence(ENTROPY)
    classes = {"pcg64": np.random.PCG64, "pcg64_dxsm": np.random.PCG64DXSM,
               "philox": np.random.Philox, "mt19937": np.random.MT19937, "sfc64": np.random.SFC64}
    bitgens = {g: cls(seq) for g, cls in classes.items()}
    cases = []
    lengths = [1000, 10000, 100000, 1000000, 10000000] + ([] if quick else [100000000])
    for g, bg in bitgens.items():
        gen = np.random.Generator(bg)
        out = np.empty(4096)
        # MT19937's random_raw gives one 32-bit draw per element: two make our 64-bit word.
        draws = 2 if g == "mt19937" else 1
        note = " (32-bit draws)" if draws == 2 else ""
        cases.append(("fill4096", g, None, f"random_raw({4096 * draws}){note}",
                      lambda bg=bg, k=4096 * draws: bg.random_raw(k), 4096, 200))
        cases.append(("fill_double4096", g, None, "Generator.random(out=4096 doubles)",
                      lambda gen=gen, out=out: gen.random(out=out), 4096, 200))
        for n in lengths:
            number = max(1, 2000000 // n)
            cases.append(("fill_u64", g, n, f"random_raw({n * draws}){note}",
                          lambda bg=bg, k=n * draws: bg.random_raw(k), n, number))
    gen = np.random.Generator(bitgens["pcg64"])
    out = np.empty(4096)
    methods = [
        ("random4096", "Generator.random(out=)", lambda: gen.random(out=out)),
        ("uniform4096", "Generator.uniform(-1, 3, size=)", lambda: gen.uniform(-1.0, 3.0, size=4096)),
        ("standard_normal4096", "Generator.standard_normal(out=)", lambda: gen.standard_normal(out=out)),
        ("normal4096", "Generator.normal(1, 2, size=)", lambda: gen.normal(1.0, 2.0, size=4096)),
        ("standard_exponential4096", "Generator.standard_exponential(out=)",
         lambda: gen.standard_exponential(out=out)),
        ("exponential4096", "Generator.exponential(2, size=)", lambda: gen.exponential(2.0, size=4096)),
    ]
    for op, what, fn in methods:
        cases.append((op, "pcg64", 4096, what, fn, 4096, 200))
    for op, method in (("random_n", "random"), ("standard_normal_n", "standard_normal")):
        for n in lengths[:5]:
            buf = np.empty(n)
            fn = getattr(gen, method)
            cases.append((op, "pcg64", n, f"Generator.{method}(out=)",
                          lambda fn=fn, buf=buf: fn(out=buf), n, max(1, 2000000 // n)))
    root = np.random.PCG64(seq)
    first = 2 ** 32 + 12345
    cases += [
        ("seedseq_construct_generate4x64", "spawn_key2", None,
         "SeedSequence(e, spawn_key=(0,t)).generate_state(4, uint64)",
         lambda: np.random.SeedSequence(ENTROPY, spawn_key=(0, 5)).generate_state(4, np.uint64), 1, 2000),
        ("spawn_stream", "pcg64", None, "PCG64(SeedSequence(e, spawn_key=(0,t)))",
         lambda: np.random.PCG64(np.random.SeedSequence(ENTROPY, spawn_key=(0, 5))), 1, 2000),
        ("philox_stream", "philox", None, "Philox(key=k)", lambda: np.random.Philox(key=12345), 1, 2000),
        ("jumped_stream", "pcg64", None, "PCG64.jumped(i)", lambda: root.jumped(12345), 1, 2000),
        ("jumped_stream_2^63", "pcg64", None, "PCG64.jumped(i), i ~ 2^63",
         lambda: root.jumped(0xFEDCBA9876543211), 1, 2000),
        ("claimed_run_stream", "pcg64", None, "PCG64.jumped(first + k)",
         lambda: root.jumped(first + 7), 1, 2000),
        ("jumped", "pcg64", None, "PCG64.jumped()", lambda: bitgens["pcg64"].jumped(), 1, 2000),
        ("jumped", "pcg64_dxsm", None, "PCG64DXSM.jumped()", lambda: bitgens["pcg64_dxsm"].jumped(), 1, 2000),
        ("jumped", "philox", None, "Philox.jumped()", lambda: bitgens["philox"].jumped(), 1, 2000),
        ("jumped", "mt19937", None, "MT19937.jumped()", lambda: bitgens["mt19937"].jumped(), 1, 20),
    ]
    return cases


def time_numpy(cases, quick):
    """{(op, gen, n): (what, ns per value or per call)}: median of timeit repeats on CPU time."""
    results = {}
    repeat = 3 if quick else 5
    for op, gen, n, what, fn, values, number in cases:
        fn()  # warm up (first-call allocations)
        times = timeit.Timer(fn, timer=time.thread_time).repeat(number=number, repeat=repeat)
        results[(op, gen, n)] = (what, statistics.median(times) / number / values * 1e9)
    return results


# --- the table --------------------------------------------------------------------------------

def build_rows(runs, numpy_times):
    """[(op, gen, n, ours_ns, peer, peer_ns, ratio)], ratio = peer / ours."""
    rows = []
    grouped = OrderedDict()
    for (op, gen, impl, n), entry in runs.items():
        grouped.setdefault((op, gen, n), OrderedDict())[impl] = entry
    for (op, gen, n), impls in grouped.items():
        ours = impls.get("streamalloc")
        if op == "limit":
            for impl, entry in impls.items():
                rows.append((op, gen, n, median(entry["ns"]), f"(machine: per {impl})", None, None))
            continue
        if ours is None:
            continue
        mine = median(ours["ns"])
        peers = [(impl, e) for impl, e in impls.items() if impl != "streamalloc"]
        for impl, entry in peers:
            if entry["error"] or not entry["ns"]:
                rows.append((op, gen, n, mine, impl, None, None))
                continue
            theirs = median(entry["ns"])
            rows.append((op, gen, n, mine, impl, theirs, theirs / mine))
        if (op, gen, n) in numpy_times:
            what, theirs = numpy_times[(op, gen, n)]
            rows.append((op, gen, n, mine, f"NumPy {what}", theirs, theirs / mine))
        elif not peers:
            rows.append((op, gen, n, mine, "(no peer)", None, None))
    return rows


def print_table(rows):
    print(f"{'operation':<32} {'generator':<12} {'n':>9} {'streamalloc':>12}   {'peer':<58} "
          f"{'peer time':>12} {'ratio':>7}")
    for op, gen, n, mine, peer, theirs, ratio in rows:
        print(f"{op:<32} {gen:<12} {'' if n is None else n:>9} {fmt(mine):>12}   {peer[:58]:<58} "
              f"{fmt(theirs):>12} {'' if ratio is None else f'{ratio:7.2f}':>7}")


def write_csv(rows, path):
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["operation", "generator", "n", "streamalloc_ns", "peer", "peer_ns", "ratio_peer_over_ours"])
        for op, gen, n, mine, peer, theirs, ratio in rows:
            w.writerow([op, gen, "" if n is None else n, f"{mine:.4f}" if mine is not None else "",
                        peer, f"{theirs:.4f}" if theirs is not None else "",
                        f"{ratio:.3f}" if ratio is not None else ""])


def draw_chart(runs, numpy_times, path):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        import matplotlib.ticker
    except ImportError:
        print(f"\n(no chart: python3-matplotlib is not installed; scripts/install-deps.sh installs it)")
        return
    panels = [("fill_u64", g) for g in ("pcg64", "pcg64_dxsm", "philox", "sfc64", "mt19937")]
    panels += [("random_n", "pcg64"), ("standard_normal_n", "pcg64")]
    fig, axes = plt.subplots(2, 4, figsize=(18, 8.5), sharex=True, layout="constrained")
    for ax, (op, gen) in zip(axes.flat, panels):
        series = OrderedDict()
        for (o, g, impl, n), entry in runs.items():
            if o == op and g == gen and n is not None and entry["ns"]:
                series.setdefault(impl, []).append((n, median(entry["ns"])))
        numpy_series = sorted((n, t) for (o, g, n), (_, t) in numpy_times.items()
                              if o == op and g == gen and n is not None)
        if numpy_series:
            series["NumPy 1.24"] = numpy_series
        colors = {"streamalloc": "tab:blue", "NumPy 1.24": "tab:green"}
        others = iter(["tab:orange", "tab:red", "tab:purple", "tab:brown"])
        for impl, points in series.items():
            points.sort()
            ax.plot([p[0] for p in points], [p[1] for p in points], marker="o",
                    color=colors.get(impl) or next(others),
                    linewidth=2.5 if impl == "streamalloc" else 1.2, label=impl)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.yaxis.set_major_formatter(matplotlib.ticker.FormatStrFormatter("%.2g"))
        ax.yaxis.set_minor_formatter(matplotlib.ticker.FormatStrFormatter("%.2g"))
        title = f"{gen}: fill of 64-bit words" if op == "fill_u64" else f"{gen}: {op[:-2]}(out=n)"
        ax.set_title(title, fontsize=10)
        ax.set_ylabel("ns per value")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=8)
    axes.flat[-1].axis("off")
    for ax in axes[1]:
        ax.set_xlabel("values per call (n)")
    fig.suptitle("streamalloc vs peers: ns per value against length (CPU time, medians; lower is "
                 "faster). A fill of n words writes 8n bytes: 10^3 = 8 KB ... 10^8 = 800 MB")
    fig.savefig(path, dpi=90)
    print(f"\nchart: {path}")


# --- targets ----------------------------------------------------------------------------------

def check_targets(rows, runs):
    def ratio(op, gen, peer_prefix, n=None):
        for o, g, nn, mine, peer, theirs, r in rows:
            if o == op and g == gen and (n is None or nn == n) and peer.startswith(peer_prefix) and r:
                return r
        return None

    def ours(op, gen, n=None):
        for (o, g, impl, nn), entry in runs.items():
            if o == op and g == gen and impl == "streamalloc" and (n is None or nn == n):
                return median(entry["ns"])
        return None

    product = median(runs.get(("limit", "mul64x64_128", "product", None), {}).get("ns", []))
    chain = median(runs.get(("limit", "rotl_add_chain", "step", None), {}).get("ns", []))
    cycle = median(runs.get(("limit", "sfc64_cycle", "word", None), {}).get("ns", []))
    targets = []
    for gen in ("pcg64", "pcg64_dxsm"):
        targets.append((f"{gen} fill >= 1.7x pcg-cpp", ratio("fill4096", gen, "pcg-cpp"), 1.7))
        targets.append((f"{gen} fill >= 2x NumPy random_raw", ratio("fill4096", gen, "NumPy"), 2.0))
    targets.append(("philox fill >= 1.1x Random123", ratio("fill4096", "philox", "Random123"), 1.1))
    philox = ours("fill4096", "philox")
    if product and philox:
        limit = 5 * product
        targets.append((f"philox fill within 1.2x of the multiply limit (5 x {product:.3f} ns = "
                        f"{limit:.2f} ns/word; ours {philox:.2f})", limit * 1.2 / philox, 1.0))
    for gen in ("sfc64", "mt19937"):
        targets.append((f"{gen} fill >= 1.2x NumPy's C code (numpy-c)", ratio("fill4096", gen, "numpy-c"), 1.2))
        targets.append((f"{gen} fill vs NumPy random_raw (for reference)", ratio("fill4096", gen, "NumPy"), None))
    sfc = ours("fill4096", "sfc64")
    if chain and sfc:
        targets.append((f"sfc64: serial chain limit (rotate + add) {chain:.3f} ns/word; ours {sfc:.3f}",
                        chain / sfc, None))
    numpy_c_sfc = None
    for o, g, nn, mine, peer, theirs, r in rows:
        if o == "fill4096" and g == "sfc64" and peer == "numpy-c":
            numpy_c_sfc = theirs
    if cycle and sfc and numpy_c_sfc:
        targets.append((f"sfc64: dependency bound (7 ops / 3 words) {cycle:.3f} ns/word; ours {sfc:.3f}, "
                        f"numpy-c {numpy_c_sfc:.3f}; 1.2x numpy-c = {numpy_c_sfc / 1.2 / cycle:.2f}x the bound",
                        cycle / sfc, None))
    for op, want in (("random4096", 2.5), ("uniform4096", 2.5), ("standard_normal4096", 2.0),
                     ("standard_exponential4096", 2.0)):
        targets.append((f"{op[:-4]} >= {want}x NumPy", ratio(op, "pcg64", "NumPy"), want))
    run_stream = ours("claimed_run_stream", "pcg64")
    if run_stream:
        targets.append((f"claimed run of jumped streams <= 30 ns per stream (ours {run_stream:.1f} ns)",
                        30.0 / run_stream, 1.0))
    targets.append(("single jumped(i) >= 100x NumPy", ratio("jumped_stream", "pcg64", "NumPy"), 100))
    targets.append(("jumped(i), i ~ 2^63, >= 100x NumPy", ratio("jumped_stream_2^63", "pcg64", "NumPy"), 100))
    targets.append(("spawn-path stream + PCG64 >= 60x NumPy", ratio("spawn_stream", "pcg64", "NumPy"), 60))
    targets.append(("Philox key offset >= 500x NumPy", ratio("philox_stream", "philox", "NumPy"), 500))
    print("\n-- issue 11 targets (ratio = peer / ours; for limits: limit-derived bound / ours)")
    for what, r, want in targets:
        if r is None:
            verdict = "not measured"
        elif want is None:
            verdict = "(reference)"
        else:
            verdict = "MET" if r >= want else "NOT MET"
        shown = "-" if r is None else f"{r:.2f}"
        print(f"  {what:<92} {shown:>8}  {verdict}")


def main(argv):
    if len(argv) < 3:
        print(__doc__)
        return 2
    quick = "--quick" in argv
    context, runs = load_runs(argv[1])
    out_dir = argv[2]
    os.makedirs(out_dir, exist_ok=True)
    try:
        import numpy as np
        numpy_times = time_numpy(numpy_cases(np, quick), quick)
        numpy_note = f"NumPy {np.__version__}"
    except ImportError:
        numpy_times, numpy_note = {}, "NumPy not importable: no NumPy peers"
    reps = max((len(e["ns"]) for e in runs.values()), default=0)
    print(f"({context.get('num_cpus')} CPUs at {context.get('mhz_per_cpu')} MHz, load "
          f"{context.get('load_avg')}; CPU time per value (fills, distributions) or per call; "
          f"median of {reps} repetition(s); {numpy_note} timed here on thread CPU time; "
          f"ratio = peer / ours, > 1: streamalloc is faster)")
    rows = build_rows(runs, numpy_times)
    print_table(rows)
    write_csv(rows, os.path.join(out_dir, "generators.csv"))
    print(f"\ncsv: {os.path.join(out_dir, 'generators.csv')}")
    draw_chart(runs, numpy_times, os.path.join(out_dir, "fill_scaling.png"))
    check_targets(rows, runs)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
