// streamalloc/distributions/exponential.hpp — the standard exponential and exponential(scale).
//
// standard_exponential(gen) is numpy.random.Generator.standard_exponential() (method='zig', the
// default): NumPy's 256-layer ziggurat on one 64-bit word per try (the low 3 bits are dropped,
// 8 pick the layer, 53 the magnitude), with NumPy's tables and its tail and wedge fallbacks.
// exponential(gen, scale) is Generator.exponential: scale * standard_exponential. Bit-exact with
// NumPy 1.24 for streamalloc's engines (given the libm NumPy uses; see distributions.hpp). A
// fill of n equals n single draws.
//
// Errors (streamalloc::invalid_argument): scale < 0 (including -0.0, as NumPy) or NaN.
//
// Thread safety: distribution objects are immutable; generators are not thread-safe.
#pragma once

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

// NumPy's random_standard_exponential, split as standard_normal is (normal.hpp): the first try
// on one word (about 97.8% of words land inside their rectangle, measured), and the rest of
// the draw when it misses.
//
// One try: the low 3 bits are dropped, 8 pick the layer, 53 the magnitude. True, with the
// value, when the word lands inside its layer's rectangle.
inline bool standard_exponential_fast(std::uint64_t word, double& value) noexcept {
  namespace zig = ziggurat;
  word >>= 3;
  const auto layer = static_cast<std::size_t>(word & 0xFFU);
  word >>= 8;
  value = static_cast<double>(word) * zig::we[layer];
  return word < zig::ke[layer];
}

// The rest of the draw after `word` missed its rectangle: the tail (layer 0) or wedge test,
// which read doubles from `bits`, then fresh tries, each on a new word.
template <class B>
double standard_exponential_slow(std::uint64_t word, B& bits) {
  namespace zig = ziggurat;
  for (;;) {
    double x;
    if (standard_exponential_fast(word, x)) return x;
    const auto layer = static_cast<std::size_t>((word >> 3) & 0xFFU);
    if (layer == 0) {
      return zig::exponential_r - std::log1p(-bits.next_double());  // the tail; 1 - U avoids log(0)
    }
    if (mul(zig::fe[layer - 1] - zig::fe[layer], bits.next_double()) + zig::fe[layer] <
        std::exp(-x)) {
      return x;
    }
    word = bits.next64();
  }
}

// The first try on each of n (<= 512) words, as standard_normal_tries (normal.hpp).
void standard_exponential_tries(const std::uint64_t* words, std::size_t n, double* values,
                                std::uint64_t* missed) noexcept;

// NumPy's random_standard_exponential on a bit generator with next64/next_double.
template <class B>
double standard_exponential_from(B& bits) {
  const std::uint64_t word = bits.next64();
  double x;
  if (standard_exponential_fast(word, x)) return x;
  return standard_exponential_slow(word, bits);
}

}  // namespace detail

// Generator.standard_exponential().
template <bit_source G>
double standard_exponential(G& gen) {
  auto&& bits = detail::bitgen_of(gen);
  return detail::standard_exponential_from(bits);
}

// Generator.standard_exponential(size=out.size()). On streamalloc's engines the words are
// drawn a block at a time (detail::fill_from_blocks), as for standard_normal.
template <bit_source G>
void standard_exponential(G& gen, std::span<double> out) {
  if constexpr (bulk_bit_generator<G>) {
    detail::fill_from_blocks(gen, out, detail::standard_exponential_tries,
                             [](std::uint64_t word, auto& words) {
                               return detail::standard_exponential_slow(word, words);
                             });
  } else {
    auto&& bits = detail::bitgen_of(gen);
    for (double& value : out) value = detail::standard_exponential_from(bits);
  }
}

// Generator.exponential(scale).
class exponential_distribution {
 public:
  using result_type = double;

  explicit exponential_distribution(double scale = 1.0) : scale_(scale) {
    detail::require_non_negative("exponential", "scale", scale);
  }

  double scale() const noexcept { return scale_; }

  template <bit_source G>
  double operator()(G& gen) const {
    auto&& bits = detail::bitgen_of(gen);
    return scale_ * detail::standard_exponential_from(bits);
  }

  template <bit_source G>
  void fill(G& gen, std::span<double> out) const {
    if constexpr (bulk_bit_generator<G>) {
      standard_exponential(gen, out);
      for (double& value : out) value = scale_ * value;
    } else {
      auto&& bits = detail::bitgen_of(gen);
      for (double& value : out) value = scale_ * detail::standard_exponential_from(bits);
    }
  }

 private:
  double scale_;
};

template <bit_source G>
double exponential(G& gen, double scale = 1.0) {
  return exponential_distribution(scale)(gen);
}

template <bit_source G>
void exponential(G& gen, double scale, std::span<double> out) {
  exponential_distribution(scale).fill(gen, out);
}

}  // namespace streamalloc
