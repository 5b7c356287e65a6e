#!/usr/bin/env bash
# Runs every streamalloc benchmark and prints a summary: speed and memory as ratios against peers
# measured in the same run (the project's rule for performance claims).
#
#   1. streamalloc_generators_bench (Google Benchmark): our bit generators vs pcg-cpp, Random123,
#      std::mt19937 and NumPy's C SFC64; 9 repetitions, randomly interleaved; ratios ours / peer
#      of the median CPU time (and of the fastest repetitions). Then NumPy 1.24 itself
#      (/usr/bin/python3, timeit) for the same operations, ratio ours / NumPy.
#   2. streamalloc-bench (MPI) on 1, 2, 4 and 8 ranks: claims per second per rank, verify() time
#      for 1e3..1e6 claims per rank (1e7 on up to 2 ranks), contiguous and fragmented, next to
#      the bare reference (hash-partitioned 16-byte records + sort + scan) and the naive peer;
#      verify() of runs of any length; registry bytes per claim.
#      On a machine with fewer cores than ranks the runs are oversubscribed; the output says so.
#   3. streamalloc-mc --timing on the same rank counts, every strategy: the coordination layer's
#      share of the Monte Carlo demo's wall time (claims + verify + manifests, slowest rank),
#      without and with a checkpoint (verify + manifest) every 10% of the run.
#
# Usage: scripts/bench.sh [--quick] [--no-build]
#   --quick     smaller sizes (claims per rank up to 1e5, 1 repetition), for a check
#   --no-build  use the binaries already in the build directory
# Environment: BUILD_DIR (default build-bench: a build of its own, so the main build's type is
# left alone), BUILD_TYPE (default Release), BENCH_RANKS (default "1 2 4 8"), BENCH_OUT (where
# the raw results go; default $BUILD_DIR/bench-results), BENCH_CMAKE_ARGS (extra configure
# arguments), WARNINGS_AS_ERRORS (default ON).
# Takes about 10 minutes on a 2-core machine (--quick: about a minute), plus the first build.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build_dir=${BUILD_DIR:-"$root/build-bench"}
out_dir=${BENCH_OUT:-"$build_dir/bench-results"}
ranks=${BENCH_RANKS:-"1 2 4 8"}
quick=0
build=1
for arg in "$@"; do
  case "$arg" in
    --quick) quick=1 ;;
    --no-build) build=0 ;;
    -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench.sh: unknown argument '$arg' (expected --quick, --no-build or --help)" >&2; exit 2 ;;
  esac
done

if [ "$build" -eq 1 ]; then
  # Release (-O3) unless BUILD_TYPE says otherwise, warnings as errors like every other build
  # (cmake/StreamallocWarnings.cmake turns off GCC 12's -Wrestrict false positive at -O3).
  # shellcheck disable=SC2086  # BENCH_CMAKE_ARGS is a list of arguments
  cmake -S "$root" -B "$build_dir" -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-Release}" \
        -DSTREAMALLOC_BUILD_TESTS=ON -DSTREAMALLOC_BUILD_BENCHMARKS=ON \
        -DSTREAMALLOC_WARNINGS_AS_ERRORS="${WARNINGS_AS_ERRORS:-ON}" ${BENCH_CMAKE_ARGS:-} >/dev/null
  cmake --build "$build_dir" --parallel "$(nproc)" \
        --target streamalloc_generators_bench streamalloc-bench streamalloc-mc >/dev/null
fi

find_binary() {
  local found
  found=$(find "$build_dir" -name "$1" -type f -perm -u+x -print -quit 2>/dev/null || true)
  if [ -z "$found" ]; then
    echo "bench.sh: $1 not found under $build_dir (build it, or drop --no-build)" >&2
    exit 1
  fi
  echo "$found"
}
generators=$(find_binary streamalloc_generators_bench)
coordination=$(find_binary streamalloc-bench)
montecarlo=$(find_binary streamalloc-mc)
mkdir -p "$out_dir"
python=/usr/bin/python3

echo "streamalloc benchmarks — $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) core(s), $(uname -m)," \
     "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "build: $build_dir ($(grep -m1 '^CMAKE_BUILD_TYPE:' "$build_dir/CMakeCache.txt" 2>/dev/null | cut -d= -f2 || echo '?'))"

# --- 1. generators ----------------------------------------------------------------------------
if [ "$quick" -eq 1 ]; then
  gen_args=(--benchmark_min_time=0.02 --benchmark_repetitions=1)
else
  gen_args=(--benchmark_min_time=0.05 --benchmark_repetitions=9 --benchmark_enable_random_interleaving=true)
fi
echo
echo "== 1. bit generators: $generators ${gen_args[*]}"
"$generators" "${gen_args[@]}" --benchmark_format=json --benchmark_out_format=json \
  --benchmark_out="$out_dir/generators.json" >/dev/null 2>"$out_dir/generators.stderr"

"$python" - "$out_dir/generators.json" <<'PY'
import json, sys
from collections import OrderedDict

doc = json.load(open(sys.argv[1]))
# Every repetition of every benchmark, in registration order (family_index; the repetitions
# themselves ran randomly interleaved).
runs = sorted((r for r in doc["benchmarks"] if r.get("run_type", "iteration") == "iteration"),
              key=lambda r: (r.get("family_index", 0), r.get("repetition_index", 0)))
table = OrderedDict()  # (op, generator) -> {impl: {"times": [...], "bps": [...], "error": str}}
for r in runs:
    name = r.get("run_name", r["name"])
    op, gen, impl = name.split("/", 2)
    entry = table.setdefault((op, gen), OrderedDict()).setdefault(impl, {"times": [], "bps": [], "error": None})
    if r.get("error_occurred"):
        entry["error"] = r.get("error_message", "error")
        continue
    scale = {"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9}[r.get("time_unit", "ns")]
    entry["times"].append(r["cpu_time"] * scale)
    if r.get("bytes_per_second"):
        entry["bps"].append(r["bytes_per_second"])

def median(v):
    v = sorted(v)
    n = len(v)
    return v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2

def fmt_ns(v):
    return f"{v/1e6:.3f} ms" if v >= 1e6 else f"{v/1e3:.2f} us" if v >= 1e4 else f"{v:.2f} ns"

def rate(e):
    return f"{median(e['bps'])/1e9:6.2f}" if e["bps"] else "     -"

ctx = doc["context"]
reps = max((len(e["times"]) for impls in table.values() for e in impls.values()), default=0)
print(f"({ctx.get('num_cpus')} CPUs at {ctx.get('mhz_per_cpu')} MHz, load {ctx.get('load_avg')}; "
      f"CPU time per call, median of {reps} repetition(s);\n ratio = ours / peer of the medians "
      f"(min: of the fastest repetitions); < 1 means streamalloc is faster; GB/s = output bytes)")
print(f"{'operation':<31} {'generator':<11} {'streamalloc':>11} {'GB/s':>6}   {'peer':<17} "
      f"{'peer time':>11} {'GB/s':>6} {'ratio':>6} {'(min)':>6}")
errors = []
for (op, gen), impls in table.items():
    ours = impls.get("streamalloc")
    for k, e in impls.items():
        if e["error"]:
            errors.append(f"{op}/{gen}/{k}: {e['error']}")
    if ours is None or not ours["times"]:
        continue
    head = f"{op:<31} {gen:<11} {fmt_ns(median(ours['times'])):>11} {rate(ours)}"
    peers = [(k, e) for k, e in impls.items() if k != "streamalloc"]
    if not peers:
        print(f"{head}   (no peer)")
    for k, e in peers:
        if not e["times"]:
            print(f"{head}   {k:<17} {'ERROR':>11}")
            continue
        print(f"{head}   {k:<17} {fmt_ns(median(e['times'])):>11} {rate(e)} "
              f"{median(ours['times'])/median(e['times']):6.2f} {min(ours['times'])/min(e['times']):6.2f}")
for e in errors:
    print("ERROR", e)

# NumPy itself, same machine, same script: bulk fills are C loops (comparable); per-call
# operations include the Python call (~50-100 ns) and object creation.
try:
    import timeit
    import numpy as np
except ImportError:
    print("\n(NumPy not importable by /usr/bin/python3: the NumPy comparison is skipped)")
    sys.exit(0)

entropy = 0x8c3c010cb4754c905776bdac5ee7501
def best_ns(fn, number):
    return min(timeit.repeat(fn, number=number, repeat=5)) / number * 1e9
seq = np.random.SeedSequence(entropy)
gens = {"pcg64": np.random.PCG64(seq), "pcg64_dxsm": np.random.PCG64DXSM(seq),
        "philox": np.random.Philox(seq), "mt19937": np.random.MT19937(seq), "sfc64": np.random.SFC64(seq)}
cases = []
for g, bg in gens.items():
    gen = np.random.Generator(bg)
    out = np.empty(4096)
    # MT19937's random_raw gives one 32-bit draw per word: 8192 of them are the same bits.
    raw = 8192 if g == "mt19937" else 4096
    cases.append(("fill4096", g, f"random_raw({raw})" + (" (32-bit draws)" if raw == 8192 else ""),
                  lambda bg=bg, raw=raw: bg.random_raw(raw), 2000))
    cases.append(("fill_double4096", g, "random(out=4096 doubles)", lambda gen=gen, out=out: gen.random(out=out), 2000))
cases += [
    ("seedseq_construct_generate4x64", "spawn_key2", "SeedSequence(e, spawn_key=(0,t)).generate_state(4, uint64)",
     lambda: np.random.SeedSequence(entropy, spawn_key=(0, 5)).generate_state(4, np.uint64), 20000),
    ("spawn_stream", "pcg64", "PCG64(SeedSequence(e, spawn_key=(0,t)))",
     lambda: np.random.PCG64(np.random.SeedSequence(entropy, spawn_key=(0, 5))), 20000),
    ("philox_stream", "philox", "Philox(key=k)", lambda: np.random.Philox(key=12345), 20000),
    ("jumped", "pcg64", "PCG64.jumped()", lambda: gens["pcg64"].jumped(), 20000),
    ("jumped", "pcg64_dxsm", "PCG64DXSM.jumped()", lambda: gens["pcg64_dxsm"].jumped(), 20000),
    ("jumped", "philox", "Philox.jumped()", lambda: gens["philox"].jumped(), 20000),
    ("jumped", "mt19937", "MT19937.jumped()", lambda: gens["mt19937"].jumped(), 200),
]
print(f"\n-- against NumPy {np.__version__} (/usr/bin/python3 timeit, best of 5; an empty Python call costs "
      f"{best_ns(lambda: None, 20000):.0f} ns here)")
print(f"{'operation':<31} {'generator':<11} {'streamalloc':>11}   {'NumPy':<58} {'NumPy time':>11} {'ratio':>7}")
for op, g, what, fn, number in cases:
    ours = table.get((op, g), {}).get("streamalloc")
    if ours is None or not ours["times"]:
        continue
    t = best_ns(fn, number)
    mine = median(ours["times"])
    print(f"{op:<31} {g:<11} {fmt_ns(mine):>11}   {what:<58} {fmt_ns(t):>11} {mine/t:7.3f}")
PY

# --- 2. coordination --------------------------------------------------------------------------
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
mpiexec_flags=()
if mpiexec --version 2>/dev/null | grep -q "Open MPI\|OpenRTE"; then
  # Waiting ranks yield their core instead of spinning: where ranks outnumber the free cores
  # (oversubscribed, or a machine shared with other work) spinning ranks steal the cores of
  # ranks still working, and every synchronisation point costs a scheduler time slice. verify()
  # and its references run under the same setting.
  mpiexec_flags=(--oversubscribe --mca mpi_yield_when_idle 1)
fi
cores=$(nproc)
for np in $ranks; do
  echo
  note=""
  [ "$np" -gt "$cores" ] && note=" — OVERSUBSCRIBED: $np ranks on $cores core(s)"
  echo "== 2. coordination, $np rank(s)$note"
  run() {
    echo "\$ mpiexec -n $np ${mpiexec_flags[*]} $(basename "$coordination") $*"
    mpiexec -n "$np" "${mpiexec_flags[@]}" "$coordination" "$@" | tee -a "$out_dir/coordination.np$np.txt"
  }
  : >"$out_dir/coordination.np$np.txt"
  memory=""
  [ "$np" = "${ranks%% *}" ] && memory=",memory"  # registry memory once, on the first rank count
  if [ "$quick" -eq 1 ]; then
    run --mode "claims,verify,ranges$memory" --claims 1e4,1e5 --rate-claims 1e4 --repeat 1
  else
    # verify() and the bare reference take turns, 9 times: their ratio is the median of the
    # 9 paired ratios. Claims per rank from 1e3 to 1e6 (1e7 too on up to 2 ranks: about 1 GB
    # per rank), so the growth shows; runs of streams (ranges) once per rank count.
    run --mode "claims,verify,ranges$memory" --claims 1e3,1e4,1e5,1e6 --rate-claims 1e5 --repeat 9
    if [ "$np" -le 2 ]; then
      run --mode verify --claims 1e7 --layout fragmented --repeat 3
    fi
  fi
done
# --- 3. coordination share of the Monte Carlo demo ---------------------------------------------
histories=10000000
[ "$quick" -eq 1 ] && histories=1000000
every=$((histories / 10))
echo
echo "== 3. streamalloc-mc coordination share: $histories histories, --timing (slowest rank's"
echo "   claims + verify + manifests over rank 0's wall time); ckpt = --checkpoint-every $every"
printf '%-6s %-8s %-6s %10s %14s %9s\n' ranks strategy ckpt "run s" "coordination s" share
: >"$out_dir/mc.txt"
for np in $ranks; do
  for strategy in philox jumped spawn; do
    for ckpt in no yes; do
      args=(--strategy "$strategy" --histories "$histories" --quiet --timing
            --manifest "$out_dir/mc.manifest.jsonl")
      [ "$ckpt" = yes ] && args+=(--checkpoint "$out_dir/mc.ckpt" --checkpoint-every "$every")
      line=$(mpiexec -n "$np" "${mpiexec_flags[@]}" "$montecarlo" "${args[@]}" | grep '^timing')
      echo "np$np $strategy ckpt=$ckpt $line" >>"$out_dir/mc.txt"
      # "timing        run 1.234 s; coordination 0.0012 s = 0.097% (...)"
      read -r run coord share < <(echo "$line" | sed -E 's/.*run ([0-9.]+) s; coordination ([0-9.]+) s = ([0-9.]+)%.*/\1 \2 \3/')
      note=""
      [ "$np" -gt "$cores" ] && note=" (oversubscribed)"
      printf '%-6s %-8s %-6s %10s %14s %8s%%%s\n' "$np" "$strategy" "$ckpt" "$run" "$coord" "$share" "$note"
    done
  done
done
rm -f "$out_dir/mc.ckpt" "$out_dir/mc.manifest.jsonl"

echo
echo "raw results: $out_dir"
