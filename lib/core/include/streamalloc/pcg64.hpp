// streamalloc/pcg64.hpp — NumPy's PCG64 bit generator (PCG XSL-RR 128/64), bit for bit.
//
// Seeded from a seed_sequence exactly as numpy.random.PCG64, with the same raw 64-bit words,
// buffered 32-bit draws, doubles, advance() and jumped(), and a state that round-trips through
// NumPy's own state dict (state_json() is what json.dumps(PCG64(...).state) prints).
// Models std::uniform_random_bit_generator. Not thread-safe: one generator per thread.
#pragma once

#include <string_view>

#include "streamalloc/detail/pcg128_engine.hpp"

namespace streamalloc {

class pcg64 : public detail::pcg128_engine<pcg64> {
 public:
  static constexpr std::string_view numpy_name = "PCG64";
  static constexpr uint128 multiplier = detail::pcg_default_multiplier;

  using pcg128_engine::pcg128_engine;

  // One LCG step, then the XSL-RR output of the new state.
  std::uint64_t next64() noexcept {
    lcg_step();
    return output(state_);
  }

  // XSL-RR: the two halves xor-folded, rotated right by the state's top six bits.
  static constexpr std::uint64_t output(uint128 state) noexcept {
    const auto rotation = static_cast<unsigned>(state >> 122);
    const std::uint64_t folded = high64(state) ^ low64(state);
    return (folded >> rotation) | (folded << ((64U - rotation) & 63U));
  }

 private:
  friend class detail::pcg128_engine<pcg64>;
  static void fill_words(uint128& state, uint128 increment, std::uint64_t* out,
                         std::size_t n) noexcept {
    detail::pcg64_fill(state, increment, out, n);
  }
  pcg64() = default;
};

}  // namespace streamalloc
