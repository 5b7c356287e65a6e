// streamalloc/distributions/normal.hpp — the standard normal and normal(loc, scale).
//
// standard_normal(gen) is numpy.random.Generator.standard_normal(): NumPy's 256-layer ziggurat
// on one 64-bit word per try (8 bits pick the layer, 1 the sign, 52 the magnitude), with NumPy's
// tables (detail/ziggurat_tables.hpp) and its tail and wedge fallbacks, which draw doubles.
// normal(gen, loc, scale) is Generator.normal: loc + scale * standard_normal. Bit-exact with
// NumPy 1.24 for streamalloc's engines (given the libm NumPy uses; see distributions.hpp). A
// fill of n equals n single draws.
//
// Errors (streamalloc::invalid_argument): scale < 0 (including -0.0, as NumPy), NaN loc or scale
// (NumPy would return NaN).
//
// Thread safety: distribution objects are immutable; generators are not thread-safe.
#pragma once

#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>

#include "streamalloc/detail/ziggurat_tables.hpp"
#include "streamalloc/distributions/bit_source.hpp"
#include "streamalloc/distributions/checks.hpp"
#include "streamalloc/distributions/fp.hpp"

namespace streamalloc {
namespace detail {

// NumPy's random_standard_normal, split where bulk draws need it: the first try on one word
// (the fast path: the word lands inside its layer's rectangle, one table lookup, nothing else
// read; about 98.5% of words, measured), and the rest of the draw when it misses.
//
// One try: 8 bits pick the layer, 1 the sign, 52 the magnitude. True, with the value, when the
// word lands inside its layer's rectangle.
inline bool standard_normal_fast(std::uint64_t word, double& value) noexcept {
  namespace zig = ziggurat;
  const auto layer = static_cast<std::size_t>(word & 0xFFU);
  word >>= 8;
  const std::uint64_t sign = word & 1U;
  const std::uint64_t magnitude = (word >> 1) & 0x000FFFFFFFFFFFFFULL;
  // NumPy negates when the sign bit is set; flipping the IEEE sign bit is the same operation
  // without an unpredictable branch.
  const double unsigned_x = static_cast<double>(magnitude) * zig::wi[layer];
  value = std::bit_cast<double>(std::bit_cast<std::uint64_t>(unsigned_x) ^ (sign << 63));
  return magnitude < zig::ki[layer];
}

// The rest of the draw after `word` missed its rectangle: the tail (layer 0) or wedge test for
// that word, which reads doubles from `bits`, then fresh tries, each on a new word.
template <class B>
double standard_normal_slow(std::uint64_t word, B& bits) {
  namespace zig = ziggurat;
  for (;;) {
    double x;
    if (standard_normal_fast(word, x)) return x;
    const auto layer = static_cast<std::size_t>(word & 0xFFU);
    const std::uint64_t magnitude = (word >> 9) & 0x000FFFFFFFFFFFFFULL;
    if (layer == 0) {
      // The tail beyond r (Marsaglia's method); 1 - U avoids log(0).
      for (;;) {
        const double xx = mul(-zig::normal_inv_r, std::log1p(-bits.next_double()));
        const double yy = -std::log1p(-bits.next_double());
        if (yy + yy > xx * xx) {
          return ((magnitude >> 8) & 1U) != 0 ? -(zig::normal_r + xx) : zig::normal_r + xx;
        }
      }
    }
    // The wedge between the rectangle and the density.
    if (mul(zig::fi[layer - 1] - zig::fi[layer], bits.next_double()) + zig::fi[layer] <
        std::exp(-0.5 * x * x)) {
      return x;
    }
    word = bits.next64();
  }
}

// The first try on each of n (<= 512) words, the fast path over a whole block: values[i] is
// the try's value, bit i of missed[i / 64] is set when word i missed its rectangle. AVX-512
// where the CPU has it (detail/simd_level.hpp), the same results.
void standard_normal_tries(const std::uint64_t* words, std::size_t n, double* values,
                           std::uint64_t* missed) noexcept;

// NumPy's random_standard_normal on a bit generator with next64/next_double.
template <class B>
double standard_normal_from(B& bits) {
  const std::uint64_t word = bits.next64();
  double x;
  if (standard_normal_fast(word, x)) return x;
  return standard_normal_slow(word, bits);
}

}  // namespace detail

// Generator.standard_normal().
template <bit_source G>
double standard_normal(G& gen) {
  auto&& bits = detail::bitgen_of(gen);
  return detail::standard_normal_from(bits);
}

// Generator.standard_normal(size=out.size()). On streamalloc's engines the words are drawn a
// block at a time (detail::fill_from_blocks) and the ziggurat runs over the block: its fast
// path is one table lookup per word, the rare slow paths read the following words in order.
template <bit_source G>
void standard_normal(G& gen, std::span<double> out) {
  if constexpr (bulk_bit_generator<G>) {
    detail::fill_from_blocks(
        gen, out, detail::standard_normal_tries,
        [](std::uint64_t word, auto& words) { return detail::standard_normal_slow(word, words); });
  } else {
    auto&& bits = detail::bitgen_of(gen);
    for (double& value : out) value = detail::standard_normal_from(bits);
  }
}

// Generator.normal(loc, scale).
class normal_distribution {
 public:
  using result_type = double;

  explicit normal_distribution(double loc = 0.0, double scale = 1.0) : loc_(loc), scale_(scale) {
    detail::require_not_nan("normal", "loc", loc);
    detail::require_non_negative("normal", "scale", scale);
  }

  double loc() const noexcept { return loc_; }
  double scale() const noexcept { return scale_; }

  template <bit_source G>
  double operator()(G& gen) const {
    auto&& bits = detail::bitgen_of(gen);
    return loc_ + detail::mul(scale_, detail::standard_normal_from(bits));
  }

  template <bit_source G>
  void fill(G& gen, std::span<double> out) const {
    if constexpr (bulk_bit_generator<G>) {
      standard_normal(gen, out);
      for (double& value : out) value = loc_ + detail::mul(scale_, value);
    } else {
      auto&& bits = detail::bitgen_of(gen);
      for (double& value : out) {
        value = loc_ + detail::mul(scale_, detail::standard_normal_from(bits));
      }
    }
  }

 private:
  double loc_;
  double scale_;
};

template <bit_source G>
double normal(G& gen, double loc = 0.0, double scale = 1.0) {
  return normal_distribution(loc, scale)(gen);
}

template <bit_source G>
void normal(G& gen, double loc, double scale, std::span<double> out) {
  normal_distribution(loc, scale).fill(gen, out);
}

}  // namespace streamalloc
