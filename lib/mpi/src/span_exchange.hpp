// Private: the collective pieces of verify() (src/verify.cpp) — a distributed sort of identity
// spans by range partitioning, the exclusive scan of sweep holders, and an all-gather of bytes,
// each exchanging in rounds so that no MPI count passes INT_MAX however many claims a rank
// holds. Every function here is MPI-collective over rt.comm(); none allocates after a
// collective without agreement (agreement.hpp), so a failing rank never strands the others.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "streamalloc/claims/detail/identity_sweep.hpp"
#include "streamalloc/mpi/runtime.hpp"

namespace streamalloc::mpi::detail {

using claims::detail::identity_span;

// Spans exchanged per peer and round by default: 2^22 spans (192 MiB), far below INT_MAX.
inline constexpr std::size_t default_round_spans = std::size_t{1} << 22;

// Sorts spans by span_less in place, exploiting sorted runs (a registry's spans come as a few
// long runs; received spans as one run per sender): runs are merged, O(n log runs), and only
// input with many runs is sorted from scratch.
void sort_spans(std::vector<identity_span>& spans);

// COLLECTIVE. Given this rank's spans sorted, returns this rank's share of all ranks' spans in
// the global sorted order: rank r gets the spans between splitters r and r + 1, chosen from a
// weighted sample of every rank's spans (so shares are balanced whatever each rank holds) and
// moved down to the start of any spawn_pairs space (which must be swept whole). Exchanges at
// most `round_spans` spans per peer and round.
std::vector<identity_span> partition_spans(const runtime& rt, std::vector<identity_span> local,
                                           std::size_t round_spans);

// COLLECTIVE (MPI_Exscan): the sweep holder after every span of the lower ranks, from each
// rank's summary (the invalid holder on rank 0).
claims::detail::sweep_holder holder_before(const runtime& rt,
                                           const claims::detail::sweep_holder& summary);

// COLLECTIVE: every rank's bytes, concatenated in rank order, on every rank; at most
// `round_bytes` bytes per rank and round.
std::vector<char> allgather_bytes(const runtime& rt, const std::vector<char>& mine,
                                  std::size_t round_bytes);

}  // namespace streamalloc::mpi::detail
