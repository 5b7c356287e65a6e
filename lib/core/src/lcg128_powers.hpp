// Private: powers of a 128-bit LCG step as affine maps, for jumps, advances and lane fills.
//
// k steps of x -> m x + c are the affine map x -> m^k x + g(k) c with g(k) = 1 + m + ... +
// m^(k-1) (mod 2^128). Neither m^k nor g(k) depends on the increment c, so one table per
// multiplier serves every stream of a generator family; applying an entry to a state costs two
// 128-bit products (m^k x and g(k) c, independent of each other). Brown, "Random Number
// Generation with Arbitrary Stride" (1994), composes the same maps bit by bit at run time; the
// tables below do that work once per process.
#pragma once

#include <array>
#include <cstddef>

#include "streamalloc/uint128.hpp"

namespace streamalloc::detail {

// x -> mult * x + plus * increment.
struct lcg128_affine {
  uint128 mult = 1;
  uint128 plus = 0;

  constexpr uint128 apply(uint128 state, uint128 increment) const noexcept {
    return mult * state + plus * increment;
  }
  // `first` then *this.
  constexpr lcg128_affine after(const lcg128_affine& first) const noexcept {
    return {mult * first.mult, mult * first.plus + plus};
  }
};

// The map of `count` steps of x -> multiplier * x + increment, by square-and-multiply.
constexpr lcg128_affine lcg128_power(uint128 multiplier, uint128 count) noexcept {
  lcg128_affine acc;
  lcg128_affine square{multiplier, 1};
  while (count != 0) {
    if ((count & 1U) != 0) acc = {acc.mult * square.mult, acc.plus * square.mult + square.plus};
    square = {square.mult * square.mult, (square.mult + 1) * square.plus};
    count >>= 1;
  }
  return acc;
}

// The maps of d * 16^k * stride steps for every hex digit d = 1..15 of a 128-bit count, so
// that `count` strides cost one map per nonzero hex digit of count (at most 32, and 16 for
// counts below 2^64) instead of Brown's 128 rounds of two squarings.
class lcg128_digit_table {
 public:
  static constexpr unsigned digits = 32;

  constexpr lcg128_digit_table(uint128 multiplier, uint128 stride) noexcept {
    lcg128_affine unit = lcg128_power(multiplier, stride);  // 16^k strides
    for (unsigned k = 0; k < digits; ++k) {
      lcg128_affine multiple = unit;
      for (unsigned d = 1; d < 16; ++d) {
        maps_[k][d - 1] = multiple;
        multiple = multiple.after(unit);
      }
      unit = multiple;  // 16 * 16^k strides
    }
  }

  // The state `count` strides after `state` (count taken mod 2^128 strides' worth of bits).
  uint128 apply(uint128 state, uint128 count, uint128 increment) const noexcept {
    for (unsigned k = 0; count != 0; ++k, count >>= 4) {
      const auto d = static_cast<unsigned>(count & 15U);
      if (d != 0) state = maps_[k][d - 1].apply(state, increment);
    }
    return state;
  }

 private:
  std::array<std::array<lcg128_affine, 15>, digits> maps_{};
};

// The maps of 0..max_lane_chunk steps, for lane fills that split a block into chunks.
inline constexpr std::size_t max_lane_chunk = 64;
using lcg128_small_powers = std::array<lcg128_affine, max_lane_chunk + 1>;

constexpr lcg128_small_powers lcg128_small_power_table(uint128 multiplier) noexcept {
  lcg128_small_powers table{};
  const lcg128_affine one{multiplier, 1};
  for (std::size_t k = 1; k <= max_lane_chunk; ++k) table[k] = one.after(table[k - 1]);
  return table;
}

}  // namespace streamalloc::detail
