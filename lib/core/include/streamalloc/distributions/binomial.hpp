// streamalloc/distributions/binomial.hpp — Binomial(n, p) counts.
//
// binomial(gen, n, p) is numpy.random.Generator.binomial(n, p), NumPy's algorithm: n == 0 or
// p == 0 returns 0 without drawing; p > 0.5 draws Binomial(n, 1 - p) and returns n minus it;
// then with n * min(p, 1 - p) <= 30 the inversion method (one double per try; note that p == 1
// therefore still draws one double), else Kachitvichyanukul & Schmeiser's BTPE (1988), two
// doubles per try. NumPy caches the per-(n, p) setup in the Generator; that cache changes no
// value, and binomial_distribution computes the setup once at construction instead. Bit-exact
// with NumPy 1.24 for streamalloc's engines (given the libm NumPy uses; see distributions.hpp).
// A fill of n equals n single draws.
//
// Errors (streamalloc::invalid_argument): n < 0; p outside [0, 1] or NaN.
//
// Thread safety: distribution objects are immutable; generators are not thread-safe.
#pragma once

#include <cmath>
#include <cstdint>
#include <span>

#include "streamalloc/distributions/bit_source.hpp"
#include "streamalloc/distributions/checks.hpp"
#include "streamalloc/distributions/fp.hpp"
#include "streamalloc/distributions/poisson.hpp"

namespace streamalloc {
namespace detail {

// Everything NumPy's random_binomial derives from (n, p) before drawing.
struct binomial_setup {
  enum class method { zero, inversion, btpe };

  std::int64_t n = 0;
  bool reflected = false;  // p > 0.5: draw with 1 - p, return n - draw
  method kind = method::zero;
  double p = 0.0;  // the probability actually drawn with (<= 0.5 unless p > 1 sneaks in)
  // Inversion.
  double q = 0.0, qn = 0.0;
  std::int64_t bound = 0;
  // BTPE.
  double r = 0.0, fm = 0.0, p1 = 0.0, xm = 0.0, xl = 0.0, xr = 0.0, c = 0.0, laml = 0.0, lamr = 0.0,
         p2 = 0.0, p3 = 0.0, p4 = 0.0;
  std::int64_t m = 0;

  // No validation: multinomial calls this with ratios NumPy does not check either.
  binomial_setup(std::int64_t count, double probability) noexcept : n(count) {
    if (count == 0 || probability == 0.0) return;
    double drawn = probability;
    if (!(probability <= 0.5)) {
      reflected = true;
      drawn = 1.0 - probability;
    }
    p = drawn;
    if (drawn * static_cast<double>(count) <= 30.0) {
      kind = method::inversion;
      q = 1.0 - drawn;
      qn = std::exp(static_cast<double>(count) * std::log(q));
      const double np = mul(static_cast<double>(count), drawn);
      const double limit = np + mul(10.0, std::sqrt(mul(np, q) + 1));
      bound = static_cast<double>(count) < limit ? count : truncate_to_int64(limit);
    } else {
      kind = method::btpe;
      const double nd = static_cast<double>(count);
      r = drawn < 1.0 - drawn ? drawn : 1.0 - drawn;
      q = 1.0 - r;
      fm = mul(nd, r) + r;
      m = truncate_to_int64(std::floor(fm));
      const double md = static_cast<double>(m);
      p1 = std::floor(mul(2.195, std::sqrt(nd * r * q)) - mul(4.6, q)) + 0.5;
      xm = md + 0.5;
      xl = xm - p1;
      xr = xm + p1;
      c = 0.134 + 20.5 / (15.3 + md);
      double a = (fm - xl) / (fm - mul(xl, r));
      laml = a * (1.0 + a / 2.0);
      a = (xr - fm) / (xr * q);
      lamr = a * (1.0 + a / 2.0);
      p2 = mul(p1, 1.0 + mul(2.0, c));
      p3 = p2 + c / laml;
      p4 = p3 + c / lamr;
    }
  }
};

// NumPy's random_binomial_inversion.
template <class B>
std::int64_t binomial_inversion(B& bits, const binomial_setup& s) {
  std::int64_t x = 0;
  double px = s.qn;
  double u = bits.next_double();
  while (u > px) {
    ++x;
    if (x > s.bound) {
      x = 0;
      px = s.qn;
      u = bits.next_double();
    } else {
      u -= px;
      px = (static_cast<double>(s.n - x + 1) * s.p * px) / (static_cast<double>(x) * s.q);
    }
  }
  return x;
}

// The last term of BTPE's squeeze: Stirling corrections (13680 - ...) / t / 166320.
inline double btpe_stirling(double t, double t2) noexcept {
  return (13680. - (462. - (132. - (99. - 140. / t2) / t2) / t2) / t2) / t / 166320.;
}

// NumPy's random_binomial_btpe (its labels Step10...Step60 in the comments).
template <class B>
std::int64_t binomial_btpe(B& bits, const binomial_setup& s) {
  const std::int64_t n = s.n;
  const std::int64_t m = s.m;
  const double nd = static_cast<double>(n);
  const double md = static_cast<double>(m);
  for (;;) {
    // Step10: pick a region.
    const double nrq = nd * s.r * s.q;
    const double u = mul(bits.next_double(), s.p4);
    double v = bits.next_double();
    std::int64_t y = 0;
    if (u <= s.p1) {  // the triangle: accept at once
      y = truncate_to_int64(std::floor(s.xm - mul(s.p1, v) + u));
      return y;
    }
    if (u <= s.p2) {  // Step20: the parallelograms
      const double x = s.xl + (u - s.p1) / s.c;
      v = mul(v, s.c) + 1.0 - std::fabs(md - x + 0.5) / s.p1;
      if (v > 1.0) continue;
      y = truncate_to_int64(std::floor(x));
    } else if (u <= s.p3) {  // Step30: the left exponential tail
      y = truncate_to_int64(std::floor(s.xl + std::log(v) / s.laml));
      if (y < 0 || v == 0.0) continue;
      v = v * (u - s.p2) * s.laml;
    } else {  // Step40: the right exponential tail
      y = truncate_to_int64(std::floor(s.xr - std::log(v) / s.lamr));
      if (y > n || v == 0.0) continue;
      v = v * (u - s.p3) * s.lamr;
    }
    // Step50: accept or reject y.
    const std::int64_t k = y > m ? y - m : m - y;
    if (!(k > 20 && static_cast<double>(k) < nrq / 2.0 - 1)) {
      // Explicit evaluation of f(y) / f(m).
      const double ratio = s.r / s.q;
      const double a = ratio * static_cast<double>(n + 1);
      double f = 1.0;
      if (m < y) {
        for (std::int64_t i = m + 1; i <= y; ++i) f *= (a / static_cast<double>(i) - ratio);
      } else if (m > y) {
        for (std::int64_t i = y + 1; i <= m; ++i) f /= (a / static_cast<double>(i) - ratio);
      }
      if (v > f) continue;
      return y;
    }
    // Step52: squeeze on log(v), then the Stirling bound.
    const double kd = static_cast<double>(k);
    const double rho = mul(kd / nrq, (mul(kd, kd / 3.0 + 0.625) + 0.16666666666666666) / nrq + 0.5);
    // NumPy forms -k * k in 64-bit integer arithmetic before dividing.
    const auto neg_k2 = static_cast<std::int64_t>(0U - static_cast<std::uint64_t>(k) *
                                                           static_cast<std::uint64_t>(k));
    const double t = static_cast<double>(neg_k2) / (2 * nrq);
    const double big_a = std::log(v);
    if (big_a < t - rho) return y;
    if (big_a > t + rho) continue;
    const double x1 = static_cast<double>(y + 1);
    const double f1 = static_cast<double>(m + 1);
    const double z = static_cast<double>(n + 1 - m);
    const double w = static_cast<double>(n - y + 1);
    const double x2 = x1 * x1;
    const double f2 = f1 * f1;
    const double z2 = z * z;
    const double w2 = w * w;
    if (big_a >
        (mul(s.xm, std::log(f1 / x1)) + mul(static_cast<double>(n - m) + 0.5, std::log(z / w)) +
         mul(static_cast<double>(y - m), std::log(w * s.r / (x1 * s.q))) + btpe_stirling(f1, f2) +
         btpe_stirling(z, z2) + btpe_stirling(x1, x2) + btpe_stirling(w, w2))) {
      continue;
    }
    return y;
  }
}

// NumPy's random_binomial for a prepared (n, p).
template <class B>
std::int64_t binomial_from(B& bits, const binomial_setup& s) {
  switch (s.kind) {
    case binomial_setup::method::zero: return 0;
    case binomial_setup::method::inversion: {
      const std::int64_t draw = binomial_inversion(bits, s);
      return s.reflected ? s.n - draw : draw;
    }
    case binomial_setup::method::btpe: break;
  }
  const std::int64_t draw = binomial_btpe(bits, s);
  return s.reflected ? s.n - draw : draw;
}

}  // namespace detail

// Generator.binomial(n, p).
class binomial_distribution {
 public:
  using result_type = std::int64_t;

  binomial_distribution(std::int64_t n, double p) : setup_(checked(n, p)) {}

  std::int64_t n() const noexcept { return setup_.n; }
  double p() const noexcept { return p_; }

  template <bit_source G>
  std::int64_t operator()(G& gen) const {
    auto&& bits = detail::bitgen_of(gen);
    return detail::binomial_from(bits, setup_);
  }

  template <bit_source G>
  void fill(G& gen, std::span<std::int64_t> out) const {
    auto&& bits = detail::bitgen_of(gen);
    for (auto& value : out) value = detail::binomial_from(bits, setup_);
  }

 private:
  detail::binomial_setup checked(std::int64_t n, double p) {
    detail::require_count("binomial", "n", n);
    detail::require_probability("binomial", "p", p);
    p_ = p;
    return detail::binomial_setup(n, p);
  }

  double p_ = 0.0;
  detail::binomial_setup setup_;
};

template <bit_source G>
std::int64_t binomial(G& gen, std::int64_t n, double p) {
  return binomial_distribution(n, p)(gen);
}

template <bit_source G>
void binomial(G& gen, std::int64_t n, double p, std::span<std::int64_t> out) {
  binomial_distribution(n, p).fill(gen, out);
}

}  // namespace streamalloc
