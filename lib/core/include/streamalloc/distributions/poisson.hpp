// streamalloc/distributions/poisson.hpp — Poisson(lam) counts.
//
// poisson(gen, lam) is numpy.random.Generator.poisson(lam), NumPy's algorithm: lam == 0 returns
// 0 without drawing; lam < 10 multiplies uniforms until the product falls to exp(-lam)
// (Knuth's method); lam >= 10 uses Hörmann's transformed rejection PTRS (1993) with two doubles
// per try and NumPy's log-gamma approximation. Bit-exact with NumPy 1.24 for streamalloc's
// engines (given the libm NumPy uses; see distributions.hpp). A fill of n equals n
// single draws.
//
// Errors (streamalloc::invalid_argument): lam < 0, NaN, or lam > poisson_lam_max (NumPy's
// POISSON_LAM_MAX, about 9.2e18, beyond which counts would overflow int64).
//
// Thread safety: distribution objects are immutable; generators are not thread-safe.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <span>

#include "streamalloc/distributions/bit_source.hpp"
#include "streamalloc/distributions/checks.hpp"
#include "streamalloc/distributions/fp.hpp"

namespace streamalloc {

// NumPy's POISSON_LAM_MAX: double(2^63 - 1) - 10 * sqrt(2^63 - 1), the largest lam accepted.
inline constexpr double poisson_lam_max = 0x1.ffffffe3b73a0p+62;  // 9223372006484770816

namespace detail {

// C's (int64_t)value as x86-64 executes it (cvttsd2si): truncation toward zero, and
// INT64_MIN for NaN and values out of range. NumPy relies on this for draws that are then
// rejected; spelling it out keeps us free of undefined behaviour.
inline std::int64_t truncate_to_int64(double value) noexcept {
  if (value >= -9223372036854775808.0 && value < 9223372036854775808.0) {
    return static_cast<std::int64_t>(value);
  }
  return std::numeric_limits<std::int64_t>::min();
}

// NumPy's random_loggam: log(Gamma(x)) by Stirling's series, shifted up to x >= 7.
inline double log_gamma(double x) noexcept {
  constexpr double coefficients[10] = {
      8.333333333333333e-02, -2.777777777777778e-03, 7.936507936507937e-04, -5.952380952380952e-04,
      8.417508417508418e-04, -1.917526917526918e-03, 6.410256410256410e-03, -2.955065359477124e-02,
      1.796443723688307e-01, -1.39243221690590e+00};
  constexpr double half_log_two_pi = 0.5 * 1.8378770664093453e+00;  // 0.5 * log(2 pi), exact
  if (x == 1.0 || x == 2.0) return 0.0;
  const std::int64_t shift = x < 7.0 ? static_cast<std::int64_t>(7 - x) : 0;
  double x0 = x + static_cast<double>(shift);
  const double x2 = (1.0 / x0) * (1.0 / x0);
  double series = coefficients[9];
  for (int k = 8; k >= 0; --k) {
    series = mul(series, x2);
    series += coefficients[k];
  }
  double result = series / x0 + half_log_two_pi + mul(x0 - 0.5, std::log(x0)) - x0;
  if (x < 7.0) {
    for (std::int64_t k = 1; k <= shift; ++k) {
      result -= std::log(x0 - 1.0);
      x0 -= 1.0;
    }
  }
  return result;
}

// NumPy's random_poisson_mult (lam < 10).
template <class B>
std::int64_t poisson_multiplication(B& bits, double lam) {
  const double limit = std::exp(-lam);
  std::int64_t count = 0;
  double product = 1.0;
  for (;;) {
    product *= bits.next_double();
    if (!(product > limit)) return count;
    ++count;
  }
}

// NumPy's random_poisson_ptrs (lam >= 10): Hörmann's PTRS.
template <class B>
std::int64_t poisson_ptrs(B& bits, double lam) {
  const double slam = std::sqrt(lam);
  const double loglam = std::log(lam);
  const double b = 0.931 + mul(2.53, slam);
  const double a = -0.059 + mul(0.02483, b);
  const double invalpha = 1.1239 + 1.1328 / (b - 3.4);
  const double vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const double u = bits.next_double() - 0.5;
    const double v = bits.next_double();
    const double us = 0.5 - std::fabs(u);
    const std::int64_t k = truncate_to_int64(std::floor(mul(2 * a / us + b, u) + lam + 0.43));
    if (us >= 0.07 && v <= vr) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    // log(0) is fine here: v == 0 always accepts, us == 0 cannot reach this line.
    if ((std::log(v) + std::log(invalpha) - std::log(a / (us * us) + b)) <=
        (-lam + mul(static_cast<double>(k), loglam) - log_gamma(static_cast<double>(k + 1)))) {
      return k;
    }
  }
}

// NumPy's random_poisson.
template <class B>
std::int64_t poisson_from(B& bits, double lam) {
  if (lam >= 10) return poisson_ptrs(bits, lam);
  if (lam == 0) return 0;
  return poisson_multiplication(bits, lam);
}

}  // namespace detail

// Generator.poisson(lam).
class poisson_distribution {
 public:
  using result_type = std::int64_t;

  explicit poisson_distribution(double lam = 1.0) : lam_(lam) {
    if (!(lam >= 0.0)) {
      detail::throw_bad_parameter("poisson", "lam", lam, "it must be >= 0 and not NaN");
    }
    if (!(lam <= poisson_lam_max)) {
      detail::throw_bad_parameter("poisson", "lam", lam,
                                  "it must be <= 9.223372006484771e+18 (NumPy's POISSON_LAM_MAX)");
    }
  }

  double lam() const noexcept { return lam_; }

  template <bit_source G>
  std::int64_t operator()(G& gen) const {
    auto&& bits = detail::bitgen_of(gen);
    return detail::poisson_from(bits, lam_);
  }

  template <bit_source G>
  void fill(G& gen, std::span<std::int64_t> out) const {
    auto&& bits = detail::bitgen_of(gen);
    for (auto& value : out) value = detail::poisson_from(bits, lam_);
  }

 private:
  double lam_;
};

template <bit_source G>
std::int64_t poisson(G& gen, double lam = 1.0) {
  return poisson_distribution(lam)(gen);
}

template <bit_source G>
void poisson(G& gen, double lam, std::span<std::int64_t> out) {
  poisson_distribution(lam).fill(gen, out);
}

}  // namespace streamalloc
