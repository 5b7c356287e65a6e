// streamalloc/pcg64_dxsm.hpp — NumPy's PCG64DXSM bit generator, bit for bit.
//
// The 128-bit LCG of PCG64 with a 64-bit "cheap" multiplier and the stronger DXSM output
// function applied to the state before the step (O'Neill's 2021 recommendation, NumPy's
// numpy/random/src/pcg64/pcg64.h). Seeding, state dict, advance() and jumped() follow NumPy.
// Models std::uniform_random_bit_generator. Not thread-safe: one generator per thread.
#pragma once

#include <string_view>

#include "streamalloc/detail/pcg128_engine.hpp"

namespace streamalloc {

class pcg64_dxsm : public detail::pcg128_engine<pcg64_dxsm> {
 public:
  static constexpr std::string_view numpy_name = "PCG64DXSM";
  static constexpr std::uint64_t cheap_multiplier = 0xda942042e4dd58b5ULL;
  static constexpr uint128 multiplier = cheap_multiplier;

  using pcg128_engine::pcg128_engine;

  // DXSM output of the current state, then one cheap-multiplier step.
  std::uint64_t next64() noexcept {
    const std::uint64_t word = output(state_);
    lcg_step();
    return word;
  }

  // DXSM ("double xorshift multiply"): the high half mixed and multiplied by the odd low half.
  static constexpr std::uint64_t output(uint128 state) noexcept {
    std::uint64_t hi = high64(state);
    const std::uint64_t lo = low64(state) | 1U;
    hi ^= hi >> 32;
    hi *= cheap_multiplier;
    hi ^= hi >> 48;
    hi *= lo;
    return hi;
  }

 private:
  friend class detail::pcg128_engine<pcg64_dxsm>;
  static void fill_words(uint128& state, uint128 increment, std::uint64_t* out,
                         std::size_t n) noexcept {
    detail::pcg64_dxsm_fill(state, increment, out, n);
  }
  pcg64_dxsm() = default;
};

}  // namespace streamalloc
