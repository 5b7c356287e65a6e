// streamalloc/mt19937.hpp — NumPy's MT19937 bit generator (the 32-bit Mersenne Twister of
// Matsumoto & Nishimura, 1998), bit for bit.
//
// Seeded from a seed_sequence exactly as numpy.random.MT19937 (624 words from generate_state,
// the first forced to 0x80000000, and NumPy's starting position 623), with NumPy's 32-bit raw
// draws, 64-bit words (two draws, the first one high), 53-bit doubles (two draws), jumped()
// (the 2^128-step jump polynomial of Haramoto et al. 2008, applied the way NumPy applies it,
// position quirks included), and a state that round-trips through NumPy's state dict. Every
// output and every state dict equals NumPy 1.24's. Unlike the other generators MT19937 is
// natively 32-bit and keeps no buffered half-word. Models std::uniform_random_bit_generator
// (32-bit). Not thread-safe: one generator per thread.
//
// Caveat inherited from NumPy: its jump works on Matsumoto's one-word-at-a-time view of the
// state (pos = next word to replace), while the generator stores whole blocks (pos = next word
// to output), so a jumped generator is in general not the original exactly 2^128 draws later:
// at best its first few hundred outputs are (numpy/numpy#15394; NumPy kept the reference
// behaviour in #16153). Jumped MT19937 streams are far-apart states of the same period without
// a proven spacing; prefer Philox or PCG64 where non-overlap must be argued.
#pragma once

#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>

#include "streamalloc/big_uint.hpp"
#include "streamalloc/seed_sequence.hpp"

namespace streamalloc {

class mt19937 {
 public:
  using result_type = std::uint32_t;
  static constexpr std::string_view numpy_name = "MT19937";
  // Words of state (MT19937's n); pos() == state_size means all words are used up.
  static constexpr std::size_t state_size = 624;
  using key_type = std::array<std::uint32_t, state_size>;

  static constexpr result_type min() noexcept { return 0; }
  static constexpr result_type max() noexcept { return std::numeric_limits<result_type>::max(); }

  // NumPy's MT19937(seq).
  explicit mt19937(const seed_sequence& seq);
  // A generator at an explicit state (as NumPy's state setter takes it). Throws
  // invalid_argument if pos > 624.
  static mt19937 from_key(const key_type& key, std::size_t pos);

  // std::uniform_random_bit_generator: one 32-bit draw.
  result_type operator()() noexcept { return next32(); }

  // NumPy's mt19937_next: regenerate all 624 words when they are used up, then temper the
  // next one (Matsumoto & Nishimura's tempering).
  std::uint32_t next32() noexcept {
    if (pos_ == state_size) regenerate();
    std::uint32_t y = key_[pos_++];
    y ^= y >> 11;
    y ^= (y << 7) & 0x9D2C5680U;
    y ^= (y << 15) & 0xEFC60000U;
    y ^= y >> 18;
    return y;
  }

  // NumPy's mt19937_next64: two draws, the first in the high half.
  std::uint64_t next64() noexcept {
    const std::uint64_t high = next32();
    return (high << 32) | next32();
  }

  // NumPy's mt19937_next_double: 27 + 26 bits of two draws, as the reference genrand_res53.
  double next_double() noexcept {
    const std::uint32_t a = next32() >> 5;
    const std::uint32_t b = next32() >> 6;
    return (static_cast<double>(a) * 67108864.0 + static_cast<double>(b)) / 9007199254740992.0;
  }
  // The double next_double() gives when next64() would give `word`: both read the same two
  // draws, the first in the high half.
  static constexpr double double_of(std::uint64_t word) noexcept {
    const auto a = static_cast<std::uint32_t>(word >> 32) >> 5;
    const auto b = static_cast<std::uint32_t>(word) >> 6;
    return (static_cast<double>(a) * 67108864.0 + static_cast<double>(b)) / 9007199254740992.0;
  }

  // NumPy's random_raw() for MT19937: ONE 32-bit draw, widened (not next64).
  std::uint64_t next_raw() noexcept { return next32(); }

  // Bulk draws; identical to the same number of single draws (next64 for uint64_t). The
  // 624-word regeneration and the tempering run as vector code where the CPU allows
  // (detail/simd_level.hpp), with the same results.
  void fill(std::span<std::uint64_t> out) noexcept;
  void fill(std::span<std::uint32_t> out) noexcept;
  void fill(std::span<double> out) noexcept;
  // random_raw(n): n single 32-bit draws, widened.
  void fill_raw(std::span<std::uint64_t> out) noexcept;

  // NumPy's jumped(jumps): a copy with NumPy's 2^128-step jump applied `jumps` times (see the
  // caveat above). Each jump is about 19937 single-word steps and 10^4 state additions (1-2 ms);
  // jumping `jumps` times one after another, as NumPy does, keeps the state identical to
  // NumPy's, including the 31 low bits of the word at pos that the recurrence ignores.
  // NumPy 1.24 takes the count as a C long and loops `for i in range(jumps)`, so, as there:
  // a negative count jumps zero times (an unchanged copy, not a jump backwards), and a count
  // outside [-2^63, 2^63 - 1] is refused (NumPy: OverflowError; here invalid_argument).
  mt19937 jumped(std::uint64_t jumps = 1) const;
  template <std::signed_integral Int>
  mt19937 jumped(Int jumps) const {
    return jumps < 0 ? *this : jumped(static_cast<std::uint64_t>(jumps));
  }
  mt19937 jumped(const big_uint& jumps) const;
  // NumPy's jumped(-jumps): an unchanged copy for jumps <= 2^63, invalid_argument beyond.
  mt19937 jumped_back(const big_uint& jumps) const;
  // jumped() in place.
  mt19937& jump(std::uint64_t jumps = 1);
  template <std::signed_integral Int>
  mt19937& jump(Int jumps) {
    return jumps < 0 ? *this : jump(static_cast<std::uint64_t>(jumps));
  }
  // The largest count NumPy accepts (its C long): 2^63 - 1.
  static constexpr std::uint64_t max_jumps = 0x7FFFFFFFFFFFFFFFULL;

  const key_type& key() const noexcept { return key_; }
  // Index of the next word to temper; 624 when the words are used up (NumPy's 'pos').
  std::size_t pos() const noexcept { return pos_; }

  // NumPy's bit_generator.state, as the text json.dumps prints:
  // {"bit_generator": "MT19937", "state": {"key": [624 words], "pos": p}}.
  std::string state_json() const;
  // Sets the state from NumPy's state dict (JSON text); throws invalid_argument on any
  // malformed field, naming it.
  void set_state_json(std::string_view text);
  static mt19937 from_state_json(std::string_view text);

  friend bool operator==(const mt19937& a, const mt19937& b) noexcept {
    return a.pos_ == b.pos_ && a.key_ == b.key_;
  }

 private:
  // MT19937's recurrence (Matsumoto & Nishimura 1998): middle offset m, twist matrix a; a new
  // word is made of the upper bit of one word and the lower 31 bits of the next.
  static constexpr std::size_t middle_offset = 397;
  static constexpr std::uint32_t matrix_a = 0x9908B0DFU;
  static constexpr std::uint32_t upper_mask = 0x80000000U;
  static constexpr std::uint32_t lower_mask = 0x7FFFFFFFU;
  static constexpr std::uint32_t twist(std::uint32_t upper_of, std::uint32_t lower_of,
                                       std::uint32_t far) noexcept {
    const std::uint32_t y = (upper_of & upper_mask) | (lower_of & lower_mask);
    return far ^ (y >> 1) ^ ((0U - (y & 1U)) & matrix_a);
  }

  mt19937() = default;
  // NumPy's mt19937_gen: all 624 words by the twisted recurrence, pos back to 0.
  void regenerate() noexcept;
  // One jump of 2^128 steps (NumPy's mt19937_jump_state); see mt19937_jump.cpp.
  void jump_once() noexcept;

  key_type key_{};
  std::size_t pos_ = state_size;
};

}  // namespace streamalloc
