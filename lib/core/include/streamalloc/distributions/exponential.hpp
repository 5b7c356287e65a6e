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

#include <algorithm>
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

// NumPy's wedge test in layer (1..255), y < exp(-x), for an x whose try missed the layer's
// rectangle: the same answer, mostly without calling exp() (src/distributions/exponential_wedge.cpp).
bool exponential_wedge_accepts(std::size_t layer, double x, double y) noexcept;

// A try on `word` that missed its rectangle, with x in `value`, reads exactly one double
// more, u: in layer 0 the draw ends in the tail; elsewhere the wedge test either accepts x
// (the draw ends) or rejects it, and the draw goes on with a fresh try on the next word,
// exactly as a new draw would. True when the draw ends here, with its value in `value`.
inline bool standard_exponential_miss(std::uint64_t word, double u, double& value) noexcept {
  namespace zig = ziggurat;
  const auto layer = static_cast<std::size_t>((word >> 3) & 0xFFU);
  if (layer == 0) {
    value = zig::exponential_r - std::log1p(-u);  // the tail; 1 - U avoids log(0)
    return true;
  }
  return exponential_wedge_accepts(layer, value,
                                   mul(zig::fe[layer - 1] - zig::fe[layer], u) + zig::fe[layer]);
}

// The rest of the draw after `word` missed its rectangle: the miss, then fresh tries, each on
// a new word.
template <class B>
double standard_exponential_slow(std::uint64_t word, B& bits) {
  for (;;) {
    double x;
    if (standard_exponential_fast(word, x)) return x;
    if (standard_exponential_miss(word, bits.next_double(), x)) return x;
    word = bits.next64();
  }
}

// The first try on each of n (<= 512) words, as standard_normal_tries (normal.hpp).
void standard_exponential_tries(const std::uint64_t* words, std::size_t n, double* values,
                                std::uint64_t* missed) noexcept;

// out[0, k) = the values[j], j < n, whose bit j of skip is clear, in order; returns k. May
// write anywhere in out[0, n) (out has room for all n).
std::size_t compact_doubles(const double* values, std::size_t n, const std::uint64_t* skip,
                            double* out) noexcept;

// out[0, k) = the positions j < n whose bit j of `bits` is set (bits beyond n clear), in
// increasing order; returns k. out has room for n + 16 positions.
std::size_t set_bit_positions(const std::uint64_t* bits, std::size_t n,
                              std::uint32_t* out) noexcept;

// Generator.standard_exponential(size=out.size()) on a block at a time. Since every miss reads
// one word more and then either ends its draw or leaves the next try to a fresh start, the
// words of a block are a sequence of tokens: a hit (one word, a value), or a miss and its word
// (two words, a value or none). The misses are settled in order first, each marking its second
// word and, when rejected, itself as giving no value; then the values of the unmarked words are
// compacted into out (eight at a time with AVX-512's compress). A miss on a block's last word
// finishes on the generator's next word, as a single draw would.
template <bulk_bit_generator G>
void fill_standard_exponential(G& gen, std::span<double> out) {
  constexpr std::size_t capacity = block_words<G>::capacity;
  block_words<G> words(gen);
  double values[capacity];
  std::uint64_t missed[capacity / 64];
  std::uint64_t silent[capacity / 64];     // bit j: word j gives no value of its own
  std::uint32_t positions[capacity + 16];  // of the misses
  for (std::size_t i = 0; i < out.size();) {
    const std::size_t count = std::min(out.size() - i, capacity);
    words.draw(count);
    const std::uint64_t* w = words.data();
    standard_exponential_tries(w, count, values, missed);
    const std::size_t groups = (count + 63) / 64;
    for (std::size_t g = 0; g < groups; ++g) silent[g] = 0;
    const std::size_t misses = set_bit_positions(missed, count, positions);
    bool last_missed = false;
    for (std::size_t m = 0; m < misses; ++m) {
      const std::size_t j = positions[m];
      if ((silent[j / 64] >> (j % 64)) & 1U) continue;  // the second word of the miss before it
      if (j + 1 == count) {
        silent[j / 64] |= std::uint64_t{1} << (j % 64);
        last_missed = true;
        break;
      }
      const bool ends = standard_exponential_miss(w[j], G::double_of(w[j + 1]), values[j]);
      silent[j / 64] |= static_cast<std::uint64_t>(!ends) << (j % 64);
      silent[(j + 1) / 64] |= std::uint64_t{1} << ((j + 1) % 64);
    }
    i += compact_doubles(values, count, silent, out.data() + i);
    if (last_missed) {
      words.seek(count);
      out[i++] = standard_exponential_slow(w[count - 1], words);
    }
  }
}

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
// drawn a block at a time (detail::fill_standard_exponential).
template <bit_source G>
void standard_exponential(G& gen, std::span<double> out) {
  if constexpr (bulk_bit_generator<G>) {
    detail::fill_standard_exponential(gen, out);
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
