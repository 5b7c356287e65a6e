// streamalloc/distributions/gamma.hpp — standard_gamma(shape) and gamma(shape, scale).
//
// standard_gamma(gen, shape) is numpy.random.Generator.standard_gamma(shape), NumPy's algorithm:
// shape == 1 is one standard exponential, shape == 0 returns 0 without drawing, shape < 1 uses
// rejection from a uniform and an exponential per try (Johnk/Ahrens-Dieter style, as NumPy),
// shape > 1 Marsaglia & Tsang's method (2000) with NumPy's normal ziggurat and one uniform per
// try. gamma(gen, shape, scale) is Generator.gamma: scale * standard_gamma(shape). Bit-exact with
// NumPy 1.24 for streamalloc's engines (given the libm NumPy uses; see distributions.hpp).
// A fill of n equals n single draws.
//
// Errors (streamalloc::invalid_argument): shape or scale < 0 (including -0.0, as NumPy) or NaN
// (NumPy's standard_gamma(nan) never returns).
//
// Thread safety: distribution objects are immutable; generators are not thread-safe.
#pragma once

#include <cmath>
#include <span>

#include "streamalloc/distributions/bit_source.hpp"
#include "streamalloc/distributions/checks.hpp"
#include "streamalloc/distributions/fp.hpp"
#include "streamalloc/distributions/exponential.hpp"
#include "streamalloc/distributions/normal.hpp"

namespace streamalloc {
namespace detail {

// NumPy's random_standard_gamma.
template <class B>
double standard_gamma_from(B& bits, double shape) {
  if (shape == 1.0) return standard_exponential_from(bits);
  if (shape == 0.0) return 0.0;
  if (shape < 1.0) {
    for (;;) {
      const double u = bits.next_double();
      const double v = standard_exponential_from(bits);
      if (u <= 1.0 - shape) {
        const double x = std::pow(u, 1.0 / shape);
        if (x <= v) return x;
      } else {
        const double y = -std::log((1.0 - u) / shape);
        const double x = std::pow(1.0 - shape + mul(shape, y), 1.0 / shape);
        if (x <= v + y) return x;
      }
    }
  }
  const double b = shape - 1.0 / 3.0;
  const double c = 1.0 / std::sqrt(9.0 * b);
  for (;;) {
    double x = 0.0;
    double v = 0.0;
    do {
      x = standard_normal_from(bits);
      v = 1.0 + mul(c, x);
    } while (v <= 0.0);
    v = mul(v * v, v);
    const double u = bits.next_double();
    if (u < 1.0 - mul(0.0331 * (x * x), x * x)) return b * v;
    if (std::log(u) < mul(0.5 * x, x) + mul(b, 1.0 - v + std::log(v))) return b * v;  // log(0) ok
  }
}

}  // namespace detail

// Generator.gamma(shape, scale); with scale 1 it is Generator.standard_gamma(shape).
class gamma_distribution {
 public:
  using result_type = double;

  explicit gamma_distribution(double shape, double scale = 1.0) : shape_(shape), scale_(scale) {
    detail::require_non_negative("gamma", "shape", shape);
    detail::require_non_negative("gamma", "scale", scale);
  }

  double shape() const noexcept { return shape_; }
  double scale() const noexcept { return scale_; }

  template <bit_source G>
  double operator()(G& gen) const {
    auto&& bits = detail::bitgen_of(gen);
    return scale_ * detail::standard_gamma_from(bits, shape_);
  }

  template <bit_source G>
  void fill(G& gen, std::span<double> out) const {
    auto&& bits = detail::bitgen_of(gen);
    for (double& value : out) value = scale_ * detail::standard_gamma_from(bits, shape_);
  }

 private:
  double shape_;
  double scale_;
};

// Generator.standard_gamma(shape).
template <bit_source G>
double standard_gamma(G& gen, double shape) {
  detail::require_non_negative("standard_gamma", "shape", shape);
  auto&& bits = detail::bitgen_of(gen);
  return detail::standard_gamma_from(bits, shape);
}

template <bit_source G>
void standard_gamma(G& gen, double shape, std::span<double> out) {
  detail::require_non_negative("standard_gamma", "shape", shape);
  auto&& bits = detail::bitgen_of(gen);
  for (double& value : out) value = detail::standard_gamma_from(bits, shape);
}

// Generator.gamma(shape, scale).
template <bit_source G>
double gamma(G& gen, double shape, double scale = 1.0) {
  return gamma_distribution(shape, scale)(gen);
}

template <bit_source G>
void gamma(G& gen, double shape, double scale, std::span<double> out) {
  gamma_distribution(shape, scale).fill(gen, out);
}

}  // namespace streamalloc
