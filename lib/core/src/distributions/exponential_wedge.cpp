// The exponential ziggurat's wedge test, y < exp(-x), decided by two straight lines before
// exp() is called.
//
// In layer l >= 1 a try that missed its rectangle has x = word * we[l] with ke[l] <= word <
// 2^53, so x lies in [x_lo, x_hi] = [ke[l] * we[l], 2^53 * we[l]] (the product rounds
// monotonically). On that interval e^-x, being convex, lies
//   above its tangent at the midpoint x_t:      e^-x >= e^-x_t * (1 + x_t - x)
//   below its chord from x_lo to x_hi:          e^-x <= e^-x_lo + (x - x_lo) * slope.
// NumPy compares y with exp(-x) as libm computes it, which is within one ulp of e^-x. Each
// line is kept a margin away from the curve that covers that ulp, the rounding of the lines'
// coefficients (from the same exp()) and of their evaluation, with a factor of about 2^8 to
// spare; a y that clears a line by the margin gets the same answer as NumPy's comparison, and
// only the rest (measured: 0.7% of wedge tests) call exp(). The answer is therefore
// always the comparison's: tests/core/exponential_wedge_test.cpp checks it against
// y < std::exp(-x) on y's at and next to exp(-x) in every layer.
#include <array>
#include <cmath>
#include <cstddef>

#include "streamalloc/detail/ziggurat_tables.hpp"
#include "streamalloc/distributions/exponential.hpp"

namespace streamalloc::detail {

namespace {

struct wedge_lines {
  double tangent_at_zero = 0;  // the tangent is tangent_at_zero - tangent_slope * x
  double tangent_slope = 0;
  double chord_at_zero = 0;  // the chord is chord_at_zero - chord_slope * x
  double chord_slope = 0;
  double margin = 0;
  double x_lo = 0;  // the chord bounds the curve on [x_lo, x_end) only
  double x_end = 0;
};

std::array<wedge_lines, 256> make_wedge_lines() noexcept {
  namespace zig = ziggurat;
  std::array<wedge_lines, 256> lines{};
  for (std::size_t layer = 1; layer < lines.size(); ++layer) {
    const double x_lo = static_cast<double>(zig::ke[layer]) * zig::we[layer];
    const double x_hi = 9007199254740992.0 * zig::we[layer];  // 2^53 * we, exact
    const double x_t = 0.5 * (x_lo + x_hi);
    const double e_lo = std::exp(-x_lo);
    const double e_hi = std::exp(-x_hi);
    const double e_t = std::exp(-x_t);
    wedge_lines& w = lines[layer];
    w.x_lo = x_lo;
    w.x_end = std::nextafter(x_hi, 2 * x_hi);
    w.tangent_at_zero = e_t * (1.0 + x_t);
    w.tangent_slope = e_t;
    w.chord_slope = x_hi > x_lo ? (e_lo - e_hi) / (x_hi - x_lo) : 0.0;
    w.chord_at_zero = e_lo + x_lo * w.chord_slope;
    // Every quantity above and in the tests below is at most (1 + x_hi) * e_lo in size and
    // carries a few roundings of 2^-53 relative: 2^-40 of that bounds them all many times over.
    w.margin = 0x1p-40 * (1.0 + x_hi) * e_lo;
  }
  return lines;
}

// Initialized when the library loads. Until then (a draw from another translation unit's
// static initializer) every entry is zero: no line decides anything, and every test calls exp().
const std::array<wedge_lines, 256> lines = make_wedge_lines();

[[gnu::noinline, gnu::cold]] bool below_curve(double x, double y) noexcept {
  return y < std::exp(-x);
}

}  // namespace

bool exponential_wedge_accepts(std::size_t layer, double x, double y) noexcept {
  const wedge_lines& w = lines[layer];
  // Both lines at once, without a branch on either: the answer is a coin toss, which a branch
  // would mispredict half the time.
  const unsigned below = y < w.tangent_at_zero - w.tangent_slope * x - w.margin ? 1U : 0U;
  const unsigned above =
      (x >= w.x_lo) & (x < w.x_end) & (y >= w.chord_at_zero - w.chord_slope * x + w.margin);
  unsigned decided = below | above;
#if defined(__GNUC__)
  asm("" : "+r"(decided));  // one test of the OR: the compiler would test the lines one by one
#endif
  if (decided == 0) [[unlikely]]
    return below_curve(x, y);  // only exp() can tell
  return below != 0;
}

}  // namespace streamalloc::detail
