#!/usr/bin/env bash
# The README's main-job command: installs what is missing, builds, and runs the main job.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh" >/dev/null
build_dir=${BUILD_DIR:-"$root/build"}
# Ten PCG64 words for the default seed, then the state a Python user can continue from.
"$build_dir/apps/streamalloc/streamalloc" generate --bitgen pcg64 --seed 12345 --count 10
"$build_dir/apps/streamalloc/streamalloc" generate --bitgen pcg64 --seed 12345 --count 10 --print-state
