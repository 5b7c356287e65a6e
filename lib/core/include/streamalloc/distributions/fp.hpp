// streamalloc/distributions/fp.hpp — keeping NumPy's floating-point rounding.
// Shipped for the distribution headers; not part of the stable API.
//
// NumPy's distributions are compiled for baseline x86-64, where every product is rounded to a
// double before it is added to anything. Compilers may instead fuse a * b + c into one
// fused multiply-add with a single rounding (GCC does so by default in its GNU modes whenever
// FMA instructions are available, e.g. with -march=native or -mfma; Clang within an
// expression), which changes the last bit of results and so breaks bit-exactness with NumPy.
// mul(a, b) is a * b rounded to double behind an empty asm statement the optimizer cannot see
// through, so it can never be fused with the addition that follows. Every product that feeds an
// addition or subtraction in the distributions goes through mul(). It costs nothing beyond
// forbidding the fusion.
#pragma once

namespace streamalloc::detail {

[[gnu::always_inline]] inline double fp_barrier(double x) noexcept {
#if defined(__GNUC__) && (defined(__x86_64__) || (defined(__i386__) && defined(__SSE2_MATH__)))
  __asm__("" : "+x"(x));
#elif defined(__GNUC__) && defined(__aarch64__)
  __asm__("" : "+w"(x));
#elif defined(__GNUC__)
  __asm__("" : "+m"(x));
#else
  volatile double stored = x;
  x = stored;
#endif
  return x;
}

// a * b, rounded, never fused with a following addition.
[[gnu::always_inline]] inline double mul(double a, double b) noexcept { return fp_barrier(a * b); }

}  // namespace streamalloc::detail
