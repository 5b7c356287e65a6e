#!/usr/bin/env bash
# Statistical independence of the streams a campaign hands out: many streams interleaved word by
# word (round-robin, tests/statistics/interleave_streams.cpp) piped into dieharder (Debian's, raw
# stdin: -g 200) and, where installed, PractRand's RNG_test (stdin64).
#
#   bash scripts/statistics.sh --short CONFIG [INTERLEAVE]
#       The CI version (ctest statistics.CONFIG, label statistics). For 2, 16, 256 and 1024
#       streams of CONFIG (root seed 12345), the dieharder tests in $short_tests, each on a fixed
#       amount of data. Everything is deterministic: same seeds, same words, same p-values on
#       every run, so the verdict cannot flake. Pass rule: a configuration fails only if a
#       p-value is below 1e-7 (dieharder prints 0.00000000, or 0.00000002, its floor for the
#       Kolmogorov-Smirnov p-values). Only the low tail: with 10-20 p-samples dieharder's KS
#       approximation gives p = 1.00000000 for good generators too. CONFIG "controls" runs the
#       negative controls instead, each of which must fail that rule on at least one test: one
#       stream twice (control-same), overlapping advanced copies (control-overlap), a weak
#       generator (control-weak, RANDU).
#   bash scripts/statistics.sh --long [CONFIG:STREAMS ...]
#       The long version: dieharder's whole battery (-a) on each configuration (default: every
#       configuration at 2 and 1024 streams), and PractRand to $PRACTRAND_BYTES (default 64 GB)
#       where RNG_test is installed. Builds build/ first. Appends "| config | streams | size |
#       result |" rows to ${STATISTICS_TABLE:-build/statistics-long.md}; the full reports go
#       next to it. Hours per configuration: run it niced on an idle machine.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
configs=(philox-adjacent philox-far jumped-adjacent spawn-siblings spawn-cousins seeds-consecutive
         stream-set)
# dieharder tests of the short version (about 8 s for all five on 2 cores): birthday spacings,
# runs, the generalized serial test (1- to 16-bit patterns), the 8-bit distribution, lagged
# sums. -p: p-samples of each test. Chosen so that every negative control fails.
short_tests=("-d 0 -p 20" "-d 15 -p 20" "-d 102 -p 10" "-d 200 -n 8 -p 10" "-d 203 -p 10")

require_dieharder() {
  if ! command -v dieharder >/dev/null; then
    echo "statistics.sh: dieharder is not installed (Debian package dieharder); skipped" >&2
    exit 77
  fi
}

# p-values of one dieharder run on `interleave CONFIG N`: prints "test|ntup|p" lines.
pvalues() {
  local exe=$1 config=$2 n=$3 test=$4
  # shellcheck disable=SC2086  # $test is "-d T -p P"
  "$exe" "$config" "$n" 0 12345 2>/dev/null | dieharder -g 200 $test 2>/dev/null |
    awk -F'|' 'NF >= 6 && $5 ~ /[0-9]\.[0-9]+/ { gsub(/ /, "", $1); gsub(/ /, "", $2); gsub(/ /, "", $5); print $1 "|" $2 "|" $5 }'
}

extreme() {  # reads "test|ntup|p" lines, prints the extreme ones
  awk -F'|' 'NF == 3 && $3 + 0 < 1e-7'
}

short() {
  local config=$1 exe=${2:-"$root/build/tests/statistics/streamalloc-interleave"}
  require_dieharder
  if [ "$config" = controls ]; then
    local failed_controls=0 control n
    for control in control-same:2 control-same:16 control-overlap:2 control-overlap:16 control-weak:2; do
      n=${control#*:}
      local bad=""
      for test in "${short_tests[@]}"; do
        bad+=$(pvalues "$exe" "${control%:*}" "$n" "$test" | extreme | head -3)$'\n'
        [ -n "${bad//$'\n'/}" ] && break
      done
      bad=${bad//$'\n'/ }
      if [ -n "${bad// /}" ]; then
        echo "negative control ${control%:*}, $n streams: fails as it must ($bad)"
      else
        echo "FAIL: negative control ${control%:*}, $n streams passed every test: the harness cannot see"
        failed_controls=1
      fi
    done
    return $failed_controls
  fi
  local failed=0 n test
  for n in 2 16 256 1024; do
    local results=""
    for test in "${short_tests[@]}"; do
      results+=$(pvalues "$exe" "$config" "$n" "$test")$'\n'
    done
    local count bad
    count=$(grep -c '|' <<<"$results" || true)
    bad=$(extreme <<<"$results" | tr '\n' ' ')
    if [ "$count" -lt "${#short_tests[@]}" ]; then
      echo "FAIL: $config, $n streams: dieharder gave $count p-values, expected at least ${#short_tests[@]}"
      failed=1
    elif [ -n "$bad" ]; then
      echo "FAIL: $config, $n streams: p-values below 1e-7: $bad"
      failed=1
    else
      echo "$config, $n streams: $count p-values, all at least 1e-7" \
           "(min $(cut -d'|' -f3 <<<"$results" | grep . | sort -g | head -1))"
    fi
  done
  return $failed
}

long() {
  require_dieharder
  BUILD_DIR="$root/build" "$root/scripts/build.sh" >/dev/null
  local exe="$root/build/tests/statistics/streamalloc-interleave"
  local table=${STATISTICS_TABLE:-"$root/build/statistics-long.md"}
  local reports="${table%.md}"
  mkdir -p "$reports"
  local items=("$@")
  if [ ${#items[@]} -eq 0 ]; then
    for c in "${configs[@]}"; do items+=("$c:2" "$c:1024"); done
  fi
  local item config n
  for item in "${items[@]}"; do
    config=${item%:*} n=${item#*:}
    local report="$reports/$config-$n.dieharder"
    local start=$SECONDS
    "$exe" "$config" "$n" 0 12345 2>"$report.bytes" | dieharder -g 200 -a >"$report" 2>&1 || true
    local passed weak failed bytes
    passed=$(grep -c PASSED "$report" || true)
    weak=$(grep -c WEAK "$report" || true)
    failed=$(grep -c FAILED "$report" || true)
    bytes=$(grep -o '[0-9]* bytes' "$report.bytes" | grep -o '[0-9]*' || echo "?")
    printf '| %s | %s | dieharder -a, %s bytes | %s passed, %s weak, %s failed (%s s) |\n' \
      "$config" "$n" "$bytes" "$passed" "$weak" "$failed" $((SECONDS - start)) | tee -a "$table"
    if command -v RNG_test >/dev/null; then
      report="$reports/$config-$n.practrand"
      "$exe" "$config" "$n" 0 12345 2>/dev/null |
        RNG_test stdin64 -tlmax "${PRACTRAND_BYTES:-64GB}" -multithreaded >"$report" 2>&1 || true
      printf '| %s | %s | PractRand %s | %s |\n' "$config" "$n" "${PRACTRAND_BYTES:-64GB}" \
        "$(grep -Eo 'no anomalies|FAIL.*' "$report" | tail -1)" | tee -a "$table"
    fi
  done
}

case ${1:-} in
  --short) shift; short "$@" ;;
  --long) shift; long "$@" ;;
  *) echo "usage: statistics.sh --short CONFIG [INTERLEAVE] | --long [CONFIG:STREAMS ...]" >&2; exit 2 ;;
esac
