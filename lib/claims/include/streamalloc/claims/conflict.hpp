// streamalloc/claims/conflict.hpp — finding reused and overlapping streams among claims.
//
// find_conflicts() is the serial form of every check: `streamalloc audit` runs it across the
// claims of many runs' manifests, and the collective verify() runs the very same sweep spread
// over ranks (its verdict is find_conflicts() of all ranks' claims, whatever the rank count).
// It reports
//   same_descriptor  two claims of one campaign name the same ID / jump index / spawn path;
//   same_identity    two claims derive the same stream (e.g. NumPy's spawn-key aliases
//                    (2^32,) vs (0, 1), or entropy 0 vs [0, 0], or equal Philox keys);
//   overlap          two streams on one sequence whose draw intervals intersect although their
//                    starts differ (budgets: claim.hpp);
//   over_budget      a stream that used more draws than its budget (2^64 without one).
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
//   philox_*         the key and the counter blocks its draws use: counter + 1 ..
//                    counter + ceil(budget / 4) of the 256-bit counter (a jumped() copy, at
//                    counter + 2^128, is another stream).
//   jump_index,      the increment, and the position on its cycle as the number of steps from
//   pcg64_position   state 0 (pcg64_cycle_offset); draws use [p, p + budget). Jumped streams of
//                    one campaign are more than 2^65 draws apart (jump counts below 2^62:
//                    jumped_min_spacing), so within their budgets (at most 2^64) they meet
//                    only by sharing a jump count; a hand-built stream on a jumped root's cycle
//                    is matched against the one jump count that can reach it
//                    (first_jump_in_window).
//
// Limit — SeedSequences and the generators they seed are not connected: a spawn_path claim
// names a SeedSequence, which may seed any bit generator, so it records no generator state,
// and a hand-built claim of the very generator it seeds (pcg64_at of PCG64(seq), philox_at of
// Philox(seq)'s key and counter) is another identity to these checks: the two verify clean.
// Claim each stream one way — by its SeedSequence (spawn) or by its generator's state
// (pcg64_at, philox_at) — not both. (The campaign's root SeedSequence behind Philox stream ID
// 0 and jump index 0 is compared with spawned pools, as said above.) Also not compared: jumped
// streams of two campaigns whose roots differ but share a PCG64 increment (odds 2^-127).
//
// How (detail/identity_sweep.hpp): every claim becomes O(1) intervals in identity spaces — a
// run of IDs one interval of keys, a jumped run one interval of jump counts, a spawn run one
// interval of the last entropy word — and one sort-and-sweep finds every intersection.
// Cost: O(n log n) for n claims whatever their lengths (a run of 2^63 IDs costs what one ID
// costs), plus O(log 2^128) per hand-built PCG64 stream on a cycle that carries jumped claims,
// and O(k) for a spawn run with k <= 16 components >= 2^32 (longer ones are one interval).
// Reporting: a clean result proves that no two claims reuse or overlap. When claims do conflict,
// the sweep pairs each interval that starts inside an earlier one with the earlier interval
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
