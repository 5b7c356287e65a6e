// streamalloc/detail/philox_block.hpp — the Philox4x64-10 block function, (counter, key) ->
// four 64-bit words. Shipped for streamalloc/philox.hpp; usable on its own.
//
// Philox is a counter-based generator (Salmon, Moraes, Dror and Shaw, "Parallel Random
// Numbers: As Easy as 1, 2, 3", SC11, 2011): the n-th block of a stream is a pure function of
// the 256-bit counter n and the 128-bit key, so any block can be computed directly, by any
// thread, with no state. This is the 4x64 variant with 10 rounds that Random123
// (philox4x64_R with R = 10) and NumPy's Philox both use; the result equals theirs word for word.
// Stateless and constexpr: safe to call from any number of threads.
#pragma once

#include <array>
#include <cstdint>

#include "streamalloc/uint128.hpp"

namespace streamalloc::detail {

using philox4x64_counter = std::array<std::uint64_t, 4>;
using philox4x64_key = std::array<std::uint64_t, 2>;

// Round multipliers and key-schedule ("Weyl") increments of Philox4x64 (Salmon et al. 2011,
// table 2; Random123's PHILOX_M4x64_0/1 and PHILOX_W64_0/1). The increments are the golden
// ratio and sqrt(3) - 1 as 64-bit fractions.
inline constexpr std::uint64_t philox_m4x64_0 = 0xD2E7470EE14C6C93ULL;
inline constexpr std::uint64_t philox_m4x64_1 = 0xCA5A826395121157ULL;
inline constexpr std::uint64_t philox_w64_0 = 0x9E3779B97F4A7C15ULL;
inline constexpr std::uint64_t philox_w64_1 = 0xBB67AE8584CAA73BULL;
inline constexpr int philox4x64_rounds = 10;

// One Philox4x64 S-box round: two 64x64->128 multiplications whose high halves are mixed
// with the other two counter words and the round key, then a fixed word permutation.
constexpr philox4x64_counter philox4x64_round(const philox4x64_counter& ctr,
                                              const philox4x64_key& key) noexcept {
  const uint128 p0 = static_cast<uint128>(philox_m4x64_0) * ctr[0];
  const uint128 p1 = static_cast<uint128>(philox_m4x64_1) * ctr[2];
  return {high64(p1) ^ ctr[1] ^ key[0], low64(p1), high64(p0) ^ ctr[3] ^ key[1], low64(p0)};
}

// Philox4x64-10: ten rounds, the key bumped by the Weyl increments between rounds.
constexpr philox4x64_counter philox4x64_10(philox4x64_counter ctr, philox4x64_key key) noexcept {
  for (int round = 0; round < philox4x64_rounds; ++round) {
    if (round > 0) {
      key[0] += philox_w64_0;
      key[1] += philox_w64_1;
    }
    ctr = philox4x64_round(ctr, key);
  }
  return ctr;
}

}  // namespace streamalloc::detail
