// Private: where a claimed stream lies on its underlying sequence. Shared by the claim registry
// (exact aliases between position claims and ID claims) and verify (bucketing by identity).
#pragma once

#include <cstdint>
#include <optional>

#include "streamalloc/campaign.hpp"
#include "streamalloc/detail/pcg128_engine.hpp"
#include "streamalloc/pcg64.hpp"
#include "streamalloc/uint128.hpp"

namespace streamalloc::detail {

// The Philox stream index whose key is `key`: key - root key (mod 2^128). philox_id i has key
// root + i, so a hand-built Philox stream with this key and counter 0 IS stream i.
inline uint128 philox_index_of_key(const campaign& origin, uint128 key) noexcept {
  return key - origin.philox_root_key();
}

// Position of an LCG state on the full 2^128 cycle of increment `increment`, counted in draws
// from state 0. Every odd increment gives one cycle through all 2^128 states (Hull–Dobell), so
// this is a canonical coordinate: two PCG64 streams on one increment overlap exactly when their
// [offset, offset + draws) intervals intersect.
inline uint128 pcg64_cycle_offset(uint128 state, uint128 increment) noexcept {
  return lcg128_distance(0, state, pcg64::multiplier, increment);
}

// The multiplicative inverse of NumPy's (odd) jump step mod 2^128, by Newton's iteration
// x <- x (2 - s x), which doubles the number of correct low bits each time; s is its own inverse
// mod 8, so 3 -> 6 -> ... -> 192 bits after six rounds.
inline uint128 jump_step_inverse() noexcept {
  const uint128 step = pcg_jump_step;
  uint128 x = step;
  for (int i = 0; i < 6; ++i) x *= 2 - step * x;
  return x;
}

// The jump index i with PCG64(root).jumped(i) starting exactly at `state`, if the state lies on
// the campaign root's sequence and i < 2^64.
inline std::optional<std::uint64_t> jump_index_at(const campaign& origin, uint128 state,
                                                  uint128 increment) noexcept {
  const pcg64& root = origin.jumped_root();
  if (increment != root.lcg_increment()) return std::nullopt;
  const uint128 draws = lcg128_distance(root.lcg_state(), state,
                                                             pcg64::multiplier, increment);
  const uint128 index = draws * jump_step_inverse();
  if (high64(index) != 0) return std::nullopt;
  return low64(index);
}

}  // namespace streamalloc::detail
