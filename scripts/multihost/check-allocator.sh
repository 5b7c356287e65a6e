#!/usr/bin/env bash
# check-allocator.sh — the MPI allocator suite across hosts, in the two configurations a
# multi-node Open MPI 4.1 user meets.
#
#   check-allocator.sh <streamalloc_mpi_allocator_test>
# (run under run-multihost-test.sh --hosts 2, which provides $STREAMALLOC_MH_MPIRUN)
#
# 1. Defaults (MPI_THREAD_MULTIPLE, Open MPI's default one-sided component), 2 hosts x 2 ranks:
#    everything except the window policy, whose window cannot be created across hosts with the
#    default component. This is where the partitioned dynamic allocator must keep allocating while
#    rank 0 computes without calling MPI (DynamicPartitioned.KeepsWorkingWhileRankZeroComputes...).
# 2. `--mca osc pt2pt` with MPI_THREAD_SERIALIZED (osc/pt2pt refuses MPI_THREAD_MULTIPLE;
#    STREAMALLOC_MPI_TEST_THREAD_LEVEL is forwarded with -x, since remote ranks do not inherit
#    mpirun's environment), 1 rank on h1 + 2 on h2: the whole suite, window policy included,
#    with rank 0 (the window's owner) alone on its host so every remote atomic crosses hosts.
set -euo pipefail
exe=${1:?usage: check-allocator.sh <streamalloc_mpi_allocator_test>}
mpirun=${STREAMALLOC_MH_MPIRUN:?run under run-multihost-test.sh}

start=$SECONDS
echo "== 1/2: default MPI configuration, --host h1:2,h2:2, window policy excluded"
"$mpirun" --host h1:2,h2:2 -np 4 "$exe" \
  --gtest_filter='-DynamicWindow.*:DynamicThreads.FourThreadsPerRankWindow' --gtest_color=no
echo "== 1/2 passed ($((SECONDS - start)) s)"

start=$SECONDS
echo "== 2/2: --mca osc pt2pt, MPI_THREAD_SERIALIZED, --host h1:1,h2:2, whole suite"
"$mpirun" --host h1:1,h2:2 -np 3 --mca osc pt2pt -x STREAMALLOC_MPI_TEST_THREAD_LEVEL=serialized \
  "$exe" --gtest_color=no
echo "== 2/2 passed ($((SECONDS - start)) s)"
