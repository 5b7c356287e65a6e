// Private to streamalloc::claims: what the identity kinds of the checks share, and what each
// provides (spans of its claims, the judge of its candidates). The sweep itself and the public
// driver live in identity_sweep.cpp and conflict.cpp; see identity_sweep.hpp.
//   philox_check.cpp   philox_keys, philox_blocks: Philox keys and counter blocks
//   pcg64_check.cpp    jump_counts, pcg64_cycle: jump counts and PCG64 cycles
//   spawn_check.cpp    spawn_words: SeedSequence entropy words (and campaign roots)
//   spawn_pairs.cpp    spawn_pairs: the 2-D sweep of long two-word spawn runs
//   verdicts.cpp       the judge's dispatch, messages, budgets, the collector
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "streamalloc/campaign.hpp"
#include "streamalloc/claims/claim.hpp"
#include "streamalloc/claims/conflict.hpp"
#include "streamalloc/claims/identity_sweep.hpp"
#include "streamalloc/uint128.hpp"

namespace streamalloc::claims::sweep {

// A 120-bit fingerprint of a sequence of words, folded in order (two independent splitmix
// chains), placed in a family's space.
class fingerprint {
 public:
  void add(std::uint64_t word) noexcept {
    a_ = mix64(a_ + word + 0x9e3779b97f4a7c15ULL);
    b_ = mix64((b_ ^ word) * 0xd1b54a32d192ed03ULL + 0x632be59bd9b4e019ULL);
  }
  void add(uint128 value) noexcept {
    add(high64(value));
    add(low64(value));
  }
  space_id space(span_family family) const noexcept {
    return {(std::uint64_t{static_cast<std::uint8_t>(family)} << 56) | (a_ >> 8), b_};
  }

 private:
  std::uint64_t a_ = 0x243f6a8885a308d3ULL;
  std::uint64_t b_ = 0x13198a2e03707344ULL;
};

inline identity_span make_span(space_id space, std::uint64_t lo, std::uint64_t hi,
                               std::uint64_t tag, std::uint64_t ref) noexcept {
  return {space.high, space.low, lo, hi, tag, ref};
}

// The jump_counts space of the jumped root with this increment and cycle offset.
inline space_id jumped_root_space(uint128 increment, uint128 origin) noexcept {
  fingerprint fp;
  fp.add(increment);
  fp.add(origin);
  return fp.space(span_family::jump_counts);
}

// What the checks derive from a campaign (cached per campaign by the span builder).
struct campaign_facts {
  uint128 root_key = 0;        // Philox key of job 0's stream ID 0
  uint128 root_increment = 0;  // the jumped root PCG64
  uint128 root_offset = 0;     // its position on its cycle (pcg64_cycle_offset)
  space_id jump_space;         // jumped_root_space() of that root
  // NumPy's root entropy words, zero-padded to the pool size (as NumPy mixes them).
  std::vector<std::uint32_t> padded_root;
  std::uint64_t pool_size = 0;
};
campaign_facts facts_of(const campaign& origin);

// A 256-bit Philox counter or block number, little-endian 64-bit limbs.
using u256 = std::array<std::uint64_t, 4>;
u256 counter_of(const claim& c) noexcept;       // philox_position's (position_high, position)
u256 add(u256 x, std::uint64_t y) noexcept;     // mod 2^256
u256 subtract(u256 x, const u256& y) noexcept;  // mod 2^256
bool less(const u256& a, const u256& b) noexcept;
std::string hex(const u256& x);
std::string hex(uint128 x);
std::string dec(uint128 x);

// Counter blocks a claim's draws use: ceil(budget_of(c) / 4), at most 2^62 (claim.hpp).
inline std::uint64_t philox_blocks(const claim& c) noexcept {
  const uint128 budget = budget_of(c);
  return static_cast<std::uint64_t>(budget / 4 + ((budget % 4) != 0 ? 1 : 0));
}

// The jump count of stream `index` of a jump_index claim; invalid_argument at or above 2^62
// (only the shared layout of old records can get there), where jumped streams are no longer
// provably more than 2^65 draws apart.
std::uint64_t checked_jump_count(const campaign& origin, const claim& c, std::uint64_t index);

// Does a philox_id / jump_index claim hold its campaign's root stream (Philox stream ID 0 /
// jump index 0 of job 0: the root SeedSequence's own generator)?
bool holds_root_stream(const campaign_facts& facts, const campaign& origin, const claim& c);

// --- spans, one function per identity kind -------------------------------------------------
// The philox_keys spans of the Philox streams with keys [k0, k0 + extra] (mod 2^128; extra <
// 2^64), each using `blocks` counter blocks from block 1.
void key_spans(uint128 k0, uint128 extra, std::uint64_t blocks, std::uint64_t ref,
               std::vector<identity_span>& out);
// The jump_counts span of jump counts [c0, c1] of the root of `facts`.
void jump_span(const campaign_facts& facts, std::uint64_t c0, std::uint64_t c1, std::uint64_t ref,
               std::vector<identity_span>& out);
void philox_spans(const campaign_facts& facts, const campaign& origin, const claim& c,
                  std::uint64_t ref, std::vector<identity_span>& out);
void pcg64_spans(const campaign_facts& facts, const campaign& origin, const claim& c,
                 std::uint64_t ref, const span_census& census, std::vector<identity_span>& out);
// spawn_path claims, and the root stream of philox_id / jump_index claims that hold it.
void spawn_spans(const campaign_facts& facts, const campaign& origin, const claim& c,
                 std::uint64_t ref, const span_census& census, std::vector<identity_span>& out);
// The spawn_pairs space a spawn_path claim's long run of two-word components lies in, if any.
std::optional<space_id> pair_space_of(const campaign_facts& facts, const claim& c);
// The 2-D sweep of one whole spawn_pairs space.
void sweep_spawn_pairs(std::span<const identity_span> space, std::vector<candidate>& out);

// --- judges: is a candidate a conflict, and which? -----------------------------------------
// `a` and `b` come in message order (compare_claims); `detail` is the text after the sides.
struct judgement {
  conflict_kind kind;
  std::string detail;
};
std::optional<judgement> judge_philox(span_family family, const sourced_claim& a,
                                      const sourced_claim& b);
std::optional<judgement> judge_pcg64(span_family family, const sourced_claim& a,
                                     const sourced_claim& b);
std::optional<judgement> judge_spawn(const sourced_claim& a, const sourced_claim& b);

// " (campaigns seeded 0 and [0, 0])" for claims of two different campaigns, else "".
std::string campaigns_note(const sourced_claim& a, const sourced_claim& b);
// "its budget of N draws" or "its implicit budget of 2^64 draws (no budget given)".
std::string budget_text(const claim& c);
// Equal campaigns (by value: manifests carry copies).
bool same_campaign(const sourced_claim& a, const sourced_claim& b);

}  // namespace streamalloc::claims::sweep
