// streamalloc/distributions/uniform.hpp — doubles in [0, 1) and in [low, high).
//
// random(gen) is numpy.random.Generator.random(): one next_double per value, the top 53 bits of
// a 64-bit word times 2^-53. uniform(gen, low, high) is Generator.uniform: low + (high - low) * u
// with u = random(gen). Both are bit-exact with NumPy 1.24 for streamalloc's engines, for single
// draws and for fill() alike (a fill of n equals n single draws; on streamalloc's engines a fill
// is the engine's bulk fill of doubles).
//
// Parameters are checked as NumPy checks them: high - low must be finite (NumPy: OverflowError)
// and not negative (high == low is allowed and yields low); NaN bounds are rejected.
// Errors throw streamalloc::invalid_argument.
//
// Thread safety: distribution objects are immutable; share them freely. Generators are not
// thread-safe: one per thread.
#pragma once

#include <cmath>
#include <span>

#include "streamalloc/distributions/bit_source.hpp"
#include "streamalloc/distributions/checks.hpp"
#include "streamalloc/distributions/fp.hpp"

namespace streamalloc {

// Generator.random(): a double in [0, 1).
template <bit_source G>
double random(G& gen) {
  return detail::bitgen_of(gen).next_double();
}

// Generator.random(size=out.size()). On streamalloc's engines, the engine's bulk fill.
template <bit_source G>
void random(G& gen, std::span<double> out) {
  if constexpr (bulk_bit_generator<G>) {
    gen.fill(out);
  } else {
    auto&& bits = detail::bitgen_of(gen);
    for (double& value : out) value = bits.next_double();
  }
}

// Generator.uniform(low, high).
class uniform_distribution {
 public:
  using result_type = double;

  explicit uniform_distribution(double low = 0.0, double high = 1.0)
      : low_(low), high_(high), range_(high - low) {
    if (!std::isfinite(range_)) {
      detail::throw_bad_parameter(
          "uniform", "high - low", range_,
          "low and high must not be NaN and the range must be finite (NumPy: OverflowError)");
    }
    if (std::signbit(range_)) {
      detail::throw_bad_parameter("uniform", "high - low", range_, "low must be <= high");
    }
  }

  double low() const noexcept { return low_; }
  double high() const noexcept { return high_; }

  template <bit_source G>
  double operator()(G& gen) const {
    return low_ + detail::mul(range_, detail::bitgen_of(gen).next_double());
  }

  template <bit_source G>
  void fill(G& gen, std::span<double> out) const {
    if constexpr (bulk_bit_generator<G>) {
      gen.fill(out);  // the same doubles, drawn in bulk, then scaled in place
      for (double& value : out) value = low_ + detail::mul(range_, value);
    } else {
      auto&& bits = detail::bitgen_of(gen);
      for (double& value : out) value = low_ + detail::mul(range_, bits.next_double());
    }
  }

 private:
  double low_;
  double high_;
  double range_;
};

template <bit_source G>
double uniform(G& gen, double low = 0.0, double high = 1.0) {
  return uniform_distribution(low, high)(gen);
}

template <bit_source G>
void uniform(G& gen, double low, double high, std::span<double> out) {
  uniform_distribution(low, high).fill(gen, out);
}

}  // namespace streamalloc
