// streamalloc/big_uint.hpp — arbitrary-precision unsigned integers for seeds and stream geometry.
//
// NumPy accepts seeds, spawn-key entries, advance distances and Philox keys/counters as Python
// integers of any size. big_uint carries such values exactly, parses them from decimal or 0x-hex
// text and prints them back, and reduces them to the fixed widths the generators need. It is a
// value type; distinct objects may be used from different threads freely.
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "streamalloc/uint128.hpp"

namespace streamalloc {

class big_uint {
 public:
  big_uint() = default;
  // Implicit from unsigned integers so that `bitgen.advance(1000)` reads naturally.
  big_uint(std::uint64_t value);  // NOLINT(google-explicit-constructor)
  static big_uint from_uint128(uint128 value);
  // Little-endian 32-bit words, most significant last; trailing zero words are dropped.
  static big_uint from_words(std::span<const std::uint32_t> words);

  // Parses a non-negative integer written in decimal or as 0x-prefixed hex, of up to max_digits
  // digits. `what` names the value in the error message, e.g. "--seed" or "spawn key entry".
  // Throws streamalloc::invalid_argument for empty text, signs, non-digits, longer texts and
  // the like; the message quotes at most the first 60 characters of the text.
  // max_digits is a 332,000-bit integer: no seed or state needs more, and conversion to and from
  // decimal takes time quadratic in the length (about 0.1 s at the cap).
  static big_uint parse(std::string_view text, std::string_view what);
  static constexpr std::size_t max_digits = 100'000;

  std::string to_string() const;  // decimal
  std::string to_hex() const;     // 0x-prefixed, lowercase

  bool is_zero() const noexcept { return words_.empty(); }
  std::size_t bit_length() const noexcept;
  // The value's 32-bit words, least significant first; empty for zero.
  const std::vector<std::uint32_t>& words() const noexcept { return words_; }

  // The value reduced modulo 2^64 / 2^128 (the wrap-around NumPy applies to advance deltas).
  std::uint64_t low_u64() const noexcept;
  uint128 low_u128() const noexcept;
  // The value modulo 2^(64*n), as n little-endian 64-bit words.
  std::vector<std::uint64_t> low_u64_words(std::size_t n) const;
  bool fits_u64() const noexcept { return words_.size() <= 2; }

  big_uint& operator+=(const big_uint& other);
  big_uint& operator<<=(std::size_t bits);
  friend big_uint operator+(big_uint a, const big_uint& b) { return a += b; }
  friend big_uint operator<<(big_uint a, std::size_t bits) { return a <<= bits; }

  // 2^bits - (*this mod 2^bits): the two's-complement negation NumPy's wrap_int applies to a
  // negative delta.
  big_uint negated_modulo_pow2(std::size_t bits) const;

  friend bool operator==(const big_uint&, const big_uint&) = default;
  friend std::strong_ordering operator<=>(const big_uint& a, const big_uint& b) noexcept;

 private:
  void trim() noexcept;
  std::uint32_t divide_in_place(std::uint32_t divisor) noexcept;  // returns the remainder
  void multiply_add(std::uint32_t factor, std::uint32_t addend);

  std::vector<std::uint32_t> words_;  // little-endian, no trailing zeros
};

}  // namespace streamalloc
