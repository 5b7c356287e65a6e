// Private: the collective pieces of verify() (src/verify.cpp) — a distributed sort of identity
// spans by range partitioning, the exclusive scan of sweep holders, and an all-gather of bytes,
// each exchanging in rounds so that no MPI count passes INT_MAX however many claims a rank
// holds. Every function here is MPI-collective over rt.comm(). A local step's failure travels
// with the next collective's sizes, and every rank then throws the same exception
// (agreement.hpp): a failing rank never strands the others, and a clean verify() crosses few
// synchronisation points (each one a wait for the slowest rank).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "streamalloc/claims/identity_sweep.hpp"
#include "streamalloc/mpi/runtime.hpp"

namespace streamalloc::mpi::detail {

using claims::sweep::identity_span;

// Spans exchanged per peer and round by default: 2^22 spans (192 MiB), far below INT_MAX.
inline constexpr std::size_t default_round_spans = std::size_t{1} << 22;

// One holder per span family (claims::sweep::span_family, the top byte of a span's space).
inline constexpr std::size_t span_families = claims::sweep::span_family_count;
using family_holders = std::array<claims::sweep::sweep_holder, span_families>;

// A rank's spans and, when it has it at no cost, summarize() of them, whole and (valid with
// it) of each family's spans.
struct span_share {
  std::vector<identity_span> spans;
  std::optional<claims::sweep::sweep_holder> summary;
  family_holders family_summaries{};
};

// The spans of `family` in sorted spans: a contiguous stretch (spans sort by family first).
std::span<const identity_span> family_spans(std::span<const identity_span> sorted,
                                            std::size_t family) noexcept;

// What verify()'s first collective tells every rank: each rank's few census words (their
// meaning is verify.cpp's) and the splitters of the exchange, chosen from a weighted sample of
// every rank's spans (so shares are balanced whatever each rank holds) and moved down below any
// spawn_pairs space (which must be swept whole).
inline constexpr std::size_t census_words = 8;
using census_row = std::array<std::uint64_t, census_words>;
struct exchange_plan {
  std::vector<census_row> words;         // every rank's, in rank order
  std::vector<identity_span> splitters;  // rank k's share ends with splitter k
  std::uint64_t sampled_spans = 0;       // spans the samples stand for, all ranks together
  // In every span family, the ranks holding spans of it hold them in rank order (ranks holding
  // separate ranges of streams, the common case, even with rank 0's campaign-root span in
  // another family) and every summary is known: if no span is added after the plan, the
  // exchange and MPI_Exscan can be skipped, each rank sweeping each family of its own spans
  // from the holder of the lower ranks' spans of that family, from their summaries. Families
  // never meet (their spaces differ), so that is the sweep of all spans on one process.
  bool in_place = false;
  family_holders holders_before{};
};

// COLLECTIVE: one all-gather of every rank's census words, a sample of its sorted spans, its
// smallest and largest span and, if `local` has it, its summary.
exchange_plan gather_plan(const runtime& rt, const census_row& words, const span_share& local);

// COLLECTIVE. This rank's final spans — what `build` returns, sorted (it may throw: if it does
// on any rank, every rank throws the same exception, agree()d as `what`) — cut by the plan's
// splitters (spans the sample did not see go where they belong too; only the balance rests on
// the sample): returns this rank's share of all ranks' spans in the global sorted order, with
// its summarize() when ranks > 1. Exchanges at most `round_spans` spans per peer and round.
span_share exchange_spans(const runtime& rt, const exchange_plan& plan,
                          const std::function<span_share()>& build, std::string_view what,
                          std::size_t round_spans);

// COLLECTIVE (MPI_Exscan): the sweep holder after every span of the lower ranks, from each
// rank's summary (the invalid holder on rank 0).
claims::sweep::sweep_holder holder_before(const runtime& rt,
                                          const claims::sweep::sweep_holder& summary);

// COLLECTIVE: every rank's bytes — what `step` returns on it, which may throw (then every rank
// throws the same exception, agree()d as `what`) — concatenated in rank order, on every rank;
// at most `round_bytes` bytes per rank and round.
std::vector<char> allgather_bytes(const runtime& rt, const std::function<std::vector<char>()>& step,
                                  std::string_view what, std::size_t round_bytes);

}  // namespace streamalloc::mpi::detail
