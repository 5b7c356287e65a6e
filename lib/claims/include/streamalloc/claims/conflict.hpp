// streamalloc/mpi/conflict.hpp — finding reused and overlapping streams among claims.
//
// find_conflicts() is the serial heart of every check: the collective verify() runs it on each
// rank's hash partition of all claims, and `streamalloc audit` runs it across the claims of many
// runs' manifests. It reports
//   same_descriptor  two claims of one campaign name the same ID / jump index / spawn path;
//   same_identity    two claims derive the same stream (e.g. NumPy's spawn-key aliases
//                    (2^32,) vs (0, 1), or entropy 0 vs [0, 0], or equal Philox keys);
//   overlap          two streams on one sequence whose [start, start + budget) draw intervals
//                    intersect although their starts differ;
//   over_budget      a stream that used more draws than its budget.
// Each conflict names both claims (ranks, tasks, descriptors). Serial; thread-compatible.
//
// Identity, per kind (everything is derived from the claim and its campaign):
//   spawn_path       the SeedSequence pool, canonically: NumPy's assembled entropy words (root
//                    words zero-padded to pool_size, then the spawn key's words) and the pool
//                    size. Equal words give equal pools (distinct words distinct pools, but
//                    for 128-bit hash collisions), so (2^32,) vs (0, 1) and 0 vs [0, 0] are
//                    caught. A campaign's root SeedSequence (Philox stream ID 0, jump
//                    index 0) is compared too: a spawned stream whose pool equals it would be
//                    that stream if fed to the same generator.
//   philox_*         the key; draws use counter blocks [c + 1, c + ceil(budget / 4)] (NumPy
//                    increments the counter before computing a block of four draws). The
//                    counter is 256 bits; without a budget a stream runs to the end of its
//                    2^128-block segment (the next jumped() copy starts there).
//   jump_index,      the increment, and the position on its cycle as the number of steps from
//   pcg64_position   state 0 (lcg128_distance); draws use [p, p + budget). Without a budget a
//                    PCG64 stream may draw pcg64_implicit_budget = 2^64 numbers: its sequence
//                    is a 2^128 cycle with no end, and 2^64 draws is centuries of generation,
//                    while jumped streams whose indices differ by less than 2^40 are
//                    > 2^87 draws apart (jumped_min_spacing).
//
// Limit — SeedSequences and the generators they seed are not connected: a spawn_path claim
// names a SeedSequence, which may seed any bit generator, so it records no generator state,
// and a hand-built claim of the very generator it seeds (pcg64_at of PCG64(seq), philox_at of
// Philox(seq)'s key and counter) is another identity to these checks: the two verify clean.
// Claim each stream one way — by its SeedSequence (spawn) or by its generator's state
// (pcg64_at, philox_at) — not both. (The campaign's root SeedSequence behind Philox stream ID
// 0 and jump index 0 is compared with spawned pools, as said above.)
//
// Cost: O(n log n) for n claims, ranges counted once (a range of a million IDs costs what one
// ID costs), except
//   * jumped ranges on a PCG64 sequence that also carries pcg64_position claims, another
//     campaign's jumped streams, or a budget larger than the jumped streams' spacing
//     (jumped_min_spacing) are checked stream by stream, up to max_expanded_jump_streams
//     streams per sequence; beyond that they are reported as an `overlap` that cannot be
//     ruled out (never silently passed);
//   * spawn ranges crossing 2^32 (whose last component takes two words) are compared pairwise
//     within claims sharing their other words, which is quadratic only in such claims.
// Reporting: a clean result proves that no two claims reuse or overlap. When claims do conflict,
// every sweep pairs each interval that starts inside an earlier one with the earlier interval
// reaching furthest, so each cluster of intersecting claims is reported, most claims in it
// named, but not every intersecting pair: n claims yield O(n) conflicts, not O(n^2) (at most
// one of each kind per pair of claims). A pair that is one descriptor taken twice is reported
// as same_descriptor only, not again as same_identity.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "streamalloc/campaign.hpp"
#include "streamalloc/claims/claim.hpp"
#include "streamalloc/stream_geometry.hpp"  // jumped_min_spacing
#include "streamalloc/uint128.hpp"

namespace streamalloc::claims {

enum class conflict_kind : std::uint8_t { same_descriptor, same_identity, overlap, over_budget };
// "same_descriptor", "same_identity", "overlap", "over_budget".
std::string_view to_string(conflict_kind kind) noexcept;

// What a PCG64 stream (jump_index or pcg64_position claim) without a budget may draw: the
// implicit budget of every kind (claim.hpp).
inline constexpr uint128 pcg64_implicit_budget = implicit_budget;

// The draws a PCG64 claim (jump_index, pcg64_position) may use on its cycle: budget_of(c).
inline uint128 pcg64_extent(const claim& c) noexcept { return budget_of(c); }

// Jumped streams checked one by one per PCG64 sequence, at most (see above).
inline constexpr std::uint64_t max_expanded_jump_streams = 1'000'000;

// A claim together with the campaign and run it belongs to (claims from several manifests may
// come from different campaigns; `source` names the manifest or rank, for messages).
struct sourced_claim {
  const campaign* origin = nullptr;
  claim what;
  std::string source;
};

struct conflict {
  conflict_kind kind;
  sourced_claim first;
  sourced_claim second;  // equal to `first` for over_budget (and for two streams of one run)
  // One line naming both claims and why they conflict, e.g.
  // "reuse: philox stream ID 17 (rank 0, task (17,)) from a.jsonl:3 and philox stream ID 17
  //  (rank 2, task (40,)) from b.jsonl:9: taken twice".
  std::string message;
};

// All conflicts among the claims. Deterministic: the result depends only on the multiset of
// claims (not their order) and is sorted by message, so every rank and every audit prints the
// same list. Throws invalid_argument for a claim that fails validate() or has no campaign.
std::vector<conflict> find_conflicts(std::span<const sourced_claim> claims);

}  // namespace streamalloc::claims
