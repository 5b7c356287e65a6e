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

// NumPy's random_standard_exponential on a bit generator with next64/next_double.
template <class B>
double standard_exponential_from(B& bits) {
  namespace zig = ziggurat;
  for (;;) {
    std::uint64_t word = bits.next64() >> 3;
    const auto layer = static_cast<std::size_t>(word & 0xFFU);
    word >>= 8;
    const double x = static_cast<double>(word) * zig::we[layer];
    if (word < zig::ke[layer]) return x;  // inside the layer's rectangle: ~98.9%
    if (layer == 0) {
      return zig::exponential_r - std::log1p(-bits.next_double());  // the tail; 1 - U avoids log(0)
    }
    if (mul(zig::fe[layer - 1] - zig::fe[layer], bits.next_double()) + zig::fe[layer] <
        std::exp(-x)) {
      return x;
    }
  }
}

}  // namespace detail

// Generator.standard_exponential().
template <bit_source G>
double standard_exponential(G& gen) {
  auto&& bits = detail::bitgen_of(gen);
  return detail::standard_exponential_from(bits);
}

// Generator.standard_exponential(size=out.size()).
template <bit_source G>
void standard_exponential(G& gen, std::span<double> out) {
  auto&& bits = detail::bitgen_of(gen);
  for (double& value : out) value = detail::standard_exponential_from(bits);
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
    auto&& bits = detail::bitgen_of(gen);
    for (double& value : out) value = scale_ * detail::standard_exponential_from(bits);
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
