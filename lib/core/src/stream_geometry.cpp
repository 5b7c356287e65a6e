#include "streamalloc/stream_geometry.hpp"

#include <algorithm>

namespace streamalloc {
namespace {

// The distance of x * step from 0 around the 2^128 cycle, whichever way is shorter.
uint128 circular(uint128 x) noexcept { return std::min(x, uint128{0} - x); }

}  // namespace

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
