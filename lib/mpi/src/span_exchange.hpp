// Private: the collective pieces of verify() (src/verify.cpp) — a distributed sort of identity
// spans by range partitioning, the exclusive scan of sweep holders, and an all-gather of bytes,
// each exchanging in rounds so that no MPI count passes INT_MAX however many claims a rank
// holds. Every function here is MPI-collective over rt.comm(). A local step's failure travels
// with the next collective's sizes, and every rank then throws the same exception
// (agreement.hpp): a failing rank never strands the others, and a clean verify() crosses few
// synchronisation points (each one a wait for the slowest rank).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>
#include <vector>

#include "streamalloc/claims/detail/identity_sweep.hpp"
#include "streamalloc/mpi/runtime.hpp"

namespace streamalloc::mpi::detail {

using claims::detail::identity_span;

// Spans exchanged per peer and round by default: 2^22 spans (192 MiB), far below INT_MAX.
inline constexpr std::size_t default_round_spans = std::size_t{1} << 22;

// COLLECTIVE. Builds this rank's spans, sorted (`build`, which may throw: if it throws on any
// rank, every rank throws the same exception, agree()d as `what`), and returns this rank's
// share of all ranks' spans in the global sorted order: rank r gets the spans between
// splitters r and r + 1, chosen from a weighted sample of every rank's spans (so shares are
// balanced whatever each rank holds) and moved down to the start of any spawn_pairs space
// (which must be swept whole). Exchanges at most `round_spans` spans per peer and round.
// `build` may also give summarize() of its spans, if it has it at no cost. Returns the share and
// its summarize() (for holder_before; computed only when ranks > 1).
struct span_share {
  std::vector<identity_span> spans;
  std::optional<claims::detail::sweep_holder> summary;
};
span_share partition_spans(const runtime& rt, const std::function<span_share()>& build,
                           std::string_view what, std::size_t round_spans);

// COLLECTIVE (MPI_Exscan): the sweep holder after every span of the lower ranks, from each
// rank's summary (the invalid holder on rank 0).
claims::detail::sweep_holder holder_before(const runtime& rt,
                                           const claims::detail::sweep_holder& summary);

// COLLECTIVE: every rank's bytes — what `step` returns on it, which may throw (then every rank
// throws the same exception, agree()d as `what`) — concatenated in rank order, on every rank;
// at most `round_bytes` bytes per rank and round.
std::vector<char> allgather_bytes(const runtime& rt, const std::function<std::vector<char>()>& step,
                                  std::string_view what, std::size_t round_bytes);

}  // namespace streamalloc::mpi::detail
