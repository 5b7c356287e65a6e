#!/usr/bin/env bash
# Runs the libFuzzer targets (tests/fuzz) of the sanitizer build.
#
#   bash scripts/fuzz.sh [SECONDS] [REGEX]
#       builds build-sanitize/ (Clang, ASan + UBSan, as scripts/test.sh does) and runs every
#       target whose name matches REGEX (default: all) for SECONDS each (default 600), one after
#       the other, from its committed seed corpus; new inputs go to build-sanitize/fuzz-corpus/,
#       findings to build-sanitize/fuzz-findings/. Prints a line per target: runs, exec/s, new
#       corpus files, and FOUND or clean. Exit 1 if anything was found.
#       FUZZ_JOBS=N runs N targets at once (default 1: the machine is shared).
#   bash scripts/fuzz.sh --run EXE SECONDS SEED_CORPUS WORK_DIR FINDINGS_DIR
#       one bounded run, as the fuzz.<target> ctests do (fixed -seed, so a rerun mutates alike).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

run_one() {
  local exe=$1 seconds=$2 seeds=$3 work=$4 findings=$5 name
  name=$(basename "$exe")
  mkdir -p "$work" "$findings"
  local log="$work.log"
  local status=0
  # -timeout: one input taking 10 s is a finding (a hang or a quadratic blow-up);
  # -rss_limit_mb: so is 2 GiB of memory; -max_len: the seed files are at most a few KiB.
  "$exe" -seed=1 -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
         -print_final_stats=1 -artifact_prefix="$findings/$name-" "$work" "$seeds" \
         >"$log" 2>&1 || status=$?
  local runs
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
  local rate
  rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
  local corpus
  corpus=$(find "$work" -type f | wc -l)
  if [ "$status" -ne 0 ]; then
    tail -60 "$log"
    echo "$name: FOUND after $runs runs (status $status; input saved under $findings/)"
    return 1
  fi
  echo "$name: clean, $runs runs in ${seconds} s ($rate exec/s), $corpus new corpus files"
}

if [ "${1:-}" = "--run" ]; then
  shift
  run_one "$@"
  exit
fi

seconds=${1:-600}
pattern=${2:-.}
build=${SANITIZE_BUILD_DIR:-"$root/build-sanitize"}
SANITIZE_BUILD_DIR="$build" "$root/scripts/build-sanitize.sh" >/dev/null
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:fast_unwind_on_malloc=0}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$root/tests/sanitizers/lsan.supp:print_suppressions=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
# Where the round-trip targets write their files: inside the build tree.
export TMPDIR="$build/fuzz-tmp"
mkdir -p "$TMPDIR"
failed=0
pids=()
for exe in "$build"/tests/fuzz/fuzz_*; do
  [ -x "$exe" ] || continue
  name=$(basename "$exe")
  [[ $name =~ $pattern ]] || continue
  nice -n 10 bash "$0" --run "$exe" "$seconds" "$root/tests/fuzz/corpus/$name" \
    "$build/fuzz-corpus/$name" "$build/fuzz-findings" &
  pids+=($!)
  if [ ${#pids[@]} -ge "${FUZZ_JOBS:-1}" ]; then
    wait "${pids[0]}" || failed=1
    pids=("${pids[@]:1}")
  fi
done
for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
exit $failed
