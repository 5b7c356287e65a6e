#!/usr/bin/env bash
# Runs every streamalloc benchmark and prints a summary: speed and memory as ratios against peers
# measured in the same run (the project's rule for performance claims).
#
#   1. streamalloc_generators_bench (Google Benchmark): our bit generators vs pcg-cpp, Random123,
#      std::mt19937 and NumPy's C SFC64 and MT19937 code; fills from 10^3 to 10^8 words; the
#      double distributions; stream derivation; 9 repetitions, randomly interleaved. Then
#      scripts/bench_generators.py times NumPy 1.24 itself (/usr/bin/python3, timeit on CPU time)
#      for the same operations and prints one table (ours, each peer, ratio = peer / ours of the
#      median CPU times, > 1: streamalloc is faster), writes it as generators.csv, draws
#      fill_scaling.png (ns per value against length; python3-matplotlib) and checks the
#      issue-11 targets.
#   2. streamalloc-bench (MPI) on 1, 2, 4 and 8 ranks: claims per second per rank, verify() time
#      for 1e4..1e6 claims per rank (contiguous and fragmented), registry bytes per claim.
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
# Part 1 takes 8-12 minutes on a 2-core machine, parts 2 and 3 about 3 more (--quick: about
# two in all), plus the first build.
# BENCH_PARTS (default "1 2 3") picks the parts to run, e.g. BENCH_PARTS=1 for the generators.
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
    -h|--help) sed -n '2,29p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench.sh: unknown argument '$arg' (expected --quick, --no-build or --help)" >&2; exit 2 ;;
  esac
done

parts=${BENCH_PARTS:-"1 2 3"}
want() { [[ " $parts " == *" $1 "* ]]; }
targets=(streamalloc_generators_bench)
want 2 && targets+=(streamalloc-bench)
want 3 && targets+=(streamalloc-mc)

if [ "$build" -eq 1 ]; then
  # Release (-O3) unless BUILD_TYPE says otherwise, warnings as errors like every other build
  # (cmake/StreamallocWarnings.cmake turns off GCC 12's -Wrestrict false positive at -O3).
  # shellcheck disable=SC2086  # BENCH_CMAKE_ARGS is a list of arguments
  cmake -S "$root" -B "$build_dir" -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-Release}" \
        -DSTREAMALLOC_BUILD_TESTS=ON -DSTREAMALLOC_BUILD_BENCHMARKS=ON \
        -DSTREAMALLOC_WARNINGS_AS_ERRORS="${WARNINGS_AS_ERRORS:-ON}" ${BENCH_CMAKE_ARGS:-} >/dev/null
  cmake --build "$build_dir" --parallel "$(nproc)" --target "${targets[@]}" >/dev/null
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
want 2 && coordination=$(find_binary streamalloc-bench)
want 3 && montecarlo=$(find_binary streamalloc-mc)
mkdir -p "$out_dir"
python=/usr/bin/python3

echo "streamalloc benchmarks — $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) core(s), $(uname -m)," \
     "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "build: $build_dir ($(grep -m1 '^CMAKE_BUILD_TYPE:' "$build_dir/CMakeCache.txt" 2>/dev/null | cut -d= -f2 || echo '?'))"

# --- 1. generators ----------------------------------------------------------------------------
if want 1; then
if [ "$quick" -eq 1 ]; then
  gen_args=(--benchmark_min_time=0.02 --benchmark_repetitions=1)
  summary_args=(--quick)
else
  gen_args=(--benchmark_min_time=0.05 --benchmark_repetitions=9 --benchmark_enable_random_interleaving=true)
  summary_args=()
fi
echo
echo "== 1. bit generators and distributions: $generators ${gen_args[*]}"
"$generators" "${gen_args[@]}" --benchmark_format=json --benchmark_out_format=json \
  --benchmark_out="$out_dir/generators.json" >/dev/null 2>"$out_dir/generators.stderr"
# The table, generators.csv, fill_scaling.png and the issue-11 targets; NumPy is timed there.
"$python" "$root/scripts/bench_generators.py" "$out_dir/generators.json" "$out_dir" \
  ${summary_args[@]+"${summary_args[@]}"}
fi

# --- 2. coordination --------------------------------------------------------------------------
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
mpiexec_flags=()
if mpiexec --version 2>/dev/null | grep -q "Open MPI\|OpenRTE"; then
  mpiexec_flags=(--oversubscribe)
fi
cores=$(nproc)
want 2 || ranks_coordination=""
for np in ${ranks_coordination-$ranks}; do
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
    run --mode "claims,verify$memory" --claims 1e4,1e5 --rate-claims 1e4 --repeat 1
  elif [ "$np" -le "$cores" ]; then
    run --mode "claims,verify$memory" --claims 1e4,1e5,1e6 --rate-claims 1e5 --repeat 3
  else
    # Oversubscribed: 1e6 fragmented claims per rank take up to half a minute per verify() here,
    # so the largest size is timed once.
    run --mode "claims$memory" --claims 1e6 --rate-claims 1e5 --repeat 3
    run --mode verify --claims 1e4,1e5 --repeat 3
    run --mode verify --claims 1e6 --repeat 1
  fi
done
# --- 3. coordination share of the Monte Carlo demo ---------------------------------------------
if want 3; then
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
fi

echo
echo "raw results: $out_dir"
