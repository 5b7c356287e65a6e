#!/usr/bin/env bash
# check-mc-invariance.sh — the Monte Carlo demo's rank-count invariance across hosts.
#
#   check-mc-invariance.sh <streamalloc-mc> [histories] [strategies...]
# (run under run-multihost-test.sh --hosts 3, which provides $STREAMALLOC_MH_MPIRUN)
#
# For each strategy (default: philox jumped spawn): a single-process reference run here, outside
# the test hosts, then the same run across the hosts as 2 hosts x 2 ranks and as 3 hosts x 1 rank.
# Each multi-host run must print the reference's `checksum` line and a clean verification over
# all its ranks.
set -euo pipefail
mc=${1:?usage: check-mc-invariance.sh <streamalloc-mc> [histories] [strategies...]}
histories=${2:-20000}
shift $(($# >= 2 ? 2 : 1))
strategies=("$@")
[[ ${#strategies[@]} -gt 0 ]] || strategies=(philox jumped spawn)
mpirun=${STREAMALLOC_MH_MPIRUN:?run under run-multihost-test.sh}
read -ra hosts <<<"${STREAMALLOC_MH_HOSTS:?run under run-multihost-test.sh}"
[[ ${#hosts[@]} -ge 3 ]] || { echo "check-mc-invariance.sh: needs 3 hosts (--hosts 3)" >&2; exit 2; }

export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
layouts=("h1:2,h2:2 4" "h1:1,h2:1,h3:1 3")
failures=0
for strategy in "${strategies[@]}"; do
  args=(--strategy "$strategy" --histories "$histories" --quiet)
  start=$SECONDS
  reference=$("$mc" "${args[@]}" | grep '^checksum') ||
    { echo "FAIL [$strategy]: the single-process reference run failed" >&2; exit 1; }
  echo "[$strategy] single process, no namespaces: $reference"
  for layout in "${layouts[@]}"; do
    read -r hostspec ranks <<<"$layout"
    out=$("$mpirun" --host "$hostspec" -np "$ranks" "$mc" "${args[@]}" 2>&1) || {
      echo "FAIL [$strategy] --host $hostspec: mpirun exited $?:" >&2
      echo "$out" >&2
      failures=$((failures + 1))
      continue
    }
    got=$(echo "$out" | grep '^checksum' || true)
    echo "[$strategy] --host $hostspec (-np $ranks): $got"
    if [[ $got != "$reference" ]]; then
      echo "FAIL [$strategy] --host $hostspec: '$got' differs from the single process's '$reference'" >&2
      echo "$out" >&2
      failures=$((failures + 1))
    fi
    if ! echo "$out" | grep -qE "^verification +clean: .* on $ranks rank\(s\)"; then
      echo "FAIL [$strategy] --host $hostspec: no clean verification over $ranks ranks:" >&2
      echo "$out" >&2
      failures=$((failures + 1))
    fi
  done
  echo "[$strategy] $((SECONDS - start)) s"
done
if [[ $failures -ne 0 ]]; then
  echo "check-mc-invariance.sh: $failures failure(s)" >&2
  exit 1
fi
echo "checksums identical: single process = 2 hosts x 2 ranks = 3 hosts x 1 rank for ${strategies[*]}"
