#!/usr/bin/env bash
# Installs what streamalloc needs to build and test, from Debian 12 packages only.
# Idempotent: packages already present are skipped, and apt is not touched at all when nothing
# is missing. Used by the README commands, .ci/run and the Dockerfile.
set -euo pipefail

packages=(
  g++ make cmake pkg-config ccache
  openmpi-bin libopenmpi-dev libboost-mpi-dev libboost-program-options-dev
  libgtest-dev libgmock-dev libbenchmark-dev nlohmann-json3-dev
  python3-numpy            # the reference oracle for golden data and live cross-checks
  libpcg-cpp-dev librandom123-dev   # peers: reference vectors and side-by-side benchmarks
  python3-matplotlib       # scripts/bench.sh draws its chart (ns per value against length)
  iproute2                 # ip netns: the multihost tests' test hosts
  dieharder                # the statistical independence tests (label statistics)
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: missing packages: ${missing[*]} (run as root, or install them first)" >&2
  exit 2
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
