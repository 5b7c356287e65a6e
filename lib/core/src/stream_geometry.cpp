#include "streamalloc/stream_geometry.hpp"

#include <algorithm>

namespace streamalloc {
namespace {

// The distance of x * step from 0 around the 2^128 cycle, whichever way is shorter.
uint128 circular(uint128 x) noexcept { return std::min(x, uint128{0} - x); }

// 256-bit intermediates of the window search: m * y + lo for m, y < 2^128.
struct u256 {
  uint128 high;
  uint128 low;
};

u256 multiply(uint128 a, uint128 b) noexcept {
  const uint128 a0 = low64(a);
  const uint128 a1 = high64(a);
  const uint128 b0 = low64(b);
  const uint128 b1 = high64(b);
  const uint128 p00 = a0 * b0;
  const uint128 p01 = a0 * b1;
  const uint128 p10 = a1 * b0;
  const uint128 middle = (p00 >> 64) + low64(p01) + low64(p10);  // < 3 * 2^64: no overflow
  return {a1 * b1 + (p01 >> 64) + (p10 >> 64) + (middle >> 64), (middle << 64) | low64(p00)};
}

u256 plus(u256 x, uint128 y) noexcept {
  const uint128 low = x.low + y;
  return {x.high + (low < y ? 1 : 0), low};
}

// (n2:n1:n0) / d for 64-bit limbs, d normalised (bit 127 set) and (n2:n1) < d, so the quotient
// fits one limb: Knuth's algorithm D, one step (TAOCP 4.3.1; Hacker's Delight, divlu). Sets
// `remainder` (< d).
std::uint64_t divide_3by2(std::uint64_t n2, std::uint64_t n1, std::uint64_t n0, uint128 d,
                          uint128& remainder) noexcept {
  const std::uint64_t d1 = high64(d);
  const std::uint64_t d0 = low64(d);
  const uint128 top = make_uint128(n2, n1);
  uint128 q = n2 >= d1 ? ~std::uint64_t{0} : top / d1;
  uint128 r = top - q * d1;
  while (high64(r) == 0 && q * d0 > make_uint128(low64(r), n0)) {
    --q;
    r += d1;
  }
  // The estimate is now exact or one too large: compare q * d with the numerator (192 bits).
  const uint128 p0 = q * d0;
  const uint128 p1 = q * d1;
  uint128 product_low = p0 + (uint128{low64(p1)} << 64);
  std::uint64_t product_high = high64(p1) + (product_low < p0 ? 1 : 0);
  const uint128 numerator_low = make_uint128(n1, n0);
  if (product_high > n2 || (product_high == n2 && product_low > numerator_low)) {
    --q;
    product_high -= (product_low < d ? 1 : 0);
    product_low -= d;
  }
  remainder = numerator_low - product_low;  // the high limbs cancel: the remainder is < d
  return static_cast<std::uint64_t>(q);
}

// floor(x / d) for x.high < d (the quotient then fits 128 bits).
uint128 divide(u256 x, uint128 d) noexcept {
  if (x.high == 0) return x.low / d;
  if (high64(d) == 0) {  // one-limb divisor: two 128-by-64 divisions
    const uint128 upper = (x.high << 64) | high64(x.low);
    const uint128 q1 = upper / d;
    const uint128 lower = ((upper % d) << 64) | low64(x.low);
    return (q1 << 64) | (lower / d);
  }
  const int shift = __builtin_clzll(high64(d));
  const uint128 dn = d << shift;
  const uint128 high = shift == 0 ? x.high : (x.high << shift) | (x.low >> (128 - shift));
  const uint128 low = x.low << shift;
  uint128 remainder = 0;
  const std::uint64_t q1 = divide_3by2(high64(high), low64(high), high64(low), dn, remainder);
  const std::uint64_t q0 =
      divide_3by2(high64(remainder), low64(remainder), low64(low), dn, remainder);
  return make_uint128(q1, q0);
}

// x mod a and x / a. The search walks the Euclid chain of (2^128, jump step), whose quotients
// are all 1 (the step is 2^128 / golden ratio), so a compare and a subtraction usually do
// instead of a 128-bit division (a library call).
uint128 mod(uint128 x, uint128 a) noexcept {
  if (x < a) return x;
  x -= a;
  return x < a ? x : x % a;
}
uint128 quotient(uint128 x, uint128 a) noexcept {
  if (x < a) return 0;
  return x - a < a ? 1 : x / a;
}

// ceil((lo + m * y) / a), in 128 bits when nothing overflows.
uint128 ceil_quotient(uint128 lo, uint128 m, uint128 y, uint128 a) noexcept {
  uint128 product = 0;
  uint128 sum = 0;
  if (!__builtin_mul_overflow(m, y, &product) && !__builtin_add_overflow(product, lo, &sum) &&
      !__builtin_add_overflow(sum, a - 1, &sum)) {
    return sum / a;
  }
  return divide(plus(plus(multiply(m, y), lo), a - 1), a);
}

}  // namespace

namespace detail {

std::optional<uint128> first_multiple_in_window(uint128 a, uint128 m, uint128 lo,
                                                uint128 hi) noexcept {
  if (lo == 0) return uint128{0};
  a = mod(a, m);
  if (a == 0) return std::nullopt;
  // The first multiple of a at or above lo, before any wrap: it either lands in the window...
  const uint128 lo_mod = mod(lo, a);
  const uint128 gap = lo_mod == 0 ? 0 : a - lo_mod;
  if (gap <= hi - lo) return quotient(lo, a) + (gap != 0 ? 1 : 0);
  // ... or no multiple of a lies in [lo, hi] (hi - lo < a). Then x needs y >= 1 wraps:
  // lo <= a x - m y <= hi, i.e. some multiple of a lies in [lo + m y, hi + m y], i.e.
  // (m y) mod a lies in [(-hi) mod a, (-lo) mod a] — an unwrapped window of the same length,
  // since no t in [lo, hi] is a multiple of a. The smallest such y gives the smallest x.
  const uint128 hi_mod = mod(hi, a);
  const auto y = first_multiple_in_window(mod(m, a), a, hi_mod == 0 ? 0 : a - hi_mod, gap);
  if (!y) return std::nullopt;
  return ceil_quotient(lo, m, *y, a);
}

uint128 first_multiple_in_window_2_128(uint128 a, uint128 b, uint128 length) noexcept {
  if (b < length) return 0;
  // a x mod 2^128 in [-b, -b + length - 1]: no wrap, since b >= length.
  const uint128 lo = uint128{0} - b;
  const uint128 hi = lo + (length - 1);
  const uint128 lo_mod = mod(lo, a);
  const uint128 gap = lo_mod == 0 ? 0 : a - lo_mod;
  if (gap <= hi - lo) return quotient(lo, a) + (gap != 0 ? 1 : 0);
  // As above with m = 2^128: 2^128 mod a = (2^128 - a) mod a.
  const uint128 hi_mod = mod(hi, a);
  const auto y =
      first_multiple_in_window(mod(uint128{0} - a, a), a, hi_mod == 0 ? 0 : a - hi_mod, gap);
  // a is odd, so a x hits every residue: y exists, and x = ceil((lo + 2^128 y) / a).
  return divide(plus(u256{*y, lo}, a - 1), a);
}

}  // namespace detail

std::optional<std::uint64_t> first_jump_in_window(const pcg64& root, uint128 window, uint128 length,
                                                  std::uint64_t limit) noexcept {
  if (length == 0 || limit == 0) return std::nullopt;
  // jumped(j) starts at offset(root) + j * step: the smallest j with
  // (offset + j step - window) mod 2^128 < length.
  const uint128 start = pcg64_cycle_offset(root.lcg_state(), root.lcg_increment());
  const uint128 j = detail::first_multiple_in_window_2_128(pcg_jump_step, start - window, length);
  if (j >= limit) return std::nullopt;
  return static_cast<std::uint64_t>(j);
}

uint128 jumped_min_spacing(std::uint64_t max_index_gap) noexcept {
  if (max_index_gap == 0) return ~uint128{0};
  // Continued fraction of pcg_jump_step / 2^128 = [0; a1, a2, ...]; the convergents'
  // denominators q_n are the best approximations, so the minimum over 0 < k <= gap of the
  // circular distance of k * step is reached at some q_n <= gap.
  static_assert((pcg_jump_step >> 127) == 1, "a1 = floor(2^128 / step) = 1 below");
  uint128 best = circular(pcg_jump_step);  // q_1 = a1 = 1
  uint128 q_prev = 1;                      // q_0
  uint128 q = 1;                           // q_1
  uint128 x = pcg_jump_step;
  uint128 y = uint128{0} - pcg_jump_step;  // 2^128 - a1 * step
  while (y != 0) {
    const uint128 a = x / y;
    const uint128 r = x % y;
    x = y;
    y = r;
    if (a > (max_index_gap - q_prev) / q) break;  // q_next = a q + q_prev > gap
    const uint128 q_next = a * q + q_prev;
    q_prev = q;
    q = q_next;
    best = std::min(best, circular(q * pcg_jump_step));
  }
  return best;
}

}  // namespace streamalloc
