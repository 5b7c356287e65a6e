// The registry's own spawn aliases: NumPy gives each spawn key component one 32-bit word below
// 2^32, else two (low first), so equal words — equal pools — can hide behind different paths.
// With H the words of a claim's (job, *prefix), its streams are H ++ [v] (components v below
// 2^32) and H ++ [low(k), high(k)] (components k >= 2^32). A held claim shares a pool with it
//   * in another space with the same words H, on the same components;
//   * in the space whose words are H minus its last word x (then x is a low word there): its
//     components k = y * 2^32 + x for the one-word components y >= 1 of the claim;
//   * in the spaces H ++ [x] one level deeper: their one-word components high(k) for the
//     claim's components k >= 2^32 with low(k) = x.
// Each is a lookup in the spaces' sorted records: no stream is enumerated, so a run of 2^40
// components costs what one does (at most one test per neighbouring space or record).
#include <algorithm>

#include "src/registry/registry_state.hpp"

namespace streamalloc::claims {
namespace {

using detail::range_space;
using detail::run_record;

constexpr std::uint64_t two32 = std::uint64_t{1} << 32;
constexpr std::uint64_t low_mask = two32 - 1;

// The smallest k in [lo, hi] whose low word is x, if any.
std::optional<std::uint64_t> first_with_low(std::uint64_t lo, std::uint64_t hi, std::uint64_t x) {
  std::uint64_t k = (lo & ~low_mask) | x;
  if (k < lo) {
    if (k > UINT64_MAX - two32) return std::nullopt;
    k += two32;
  }
  if (k > hi) return std::nullopt;
  return k;
}

// The largest k in [lo, hi] whose low word is x, if any.
std::optional<std::uint64_t> last_with_low(std::uint64_t lo, std::uint64_t hi, std::uint64_t x) {
  std::uint64_t k = (hi & ~low_mask) | x;
  if (k > hi) {
    if (k < two32) return std::nullopt;
    k -= two32;
  }
  if (k < lo) return std::nullopt;
  return k;
}

}  // namespace

std::optional<claim> claim_registry::impl::spawn_alias(const claim& taken,
                                                       const range_space& own) const {
  const std::vector<std::uint32_t>& head = own.head;
  // The same words under another (job, prefix).
  if (const auto same = spawn_heads.find(head); same != spawn_heads.end()) {
    for (const range_space* other : same->second) {
      if (other == &own) continue;
      if (const auto at = other->runs.overlapping(taken.first, taken.last())) {
        return held(*other, other->runs.at(*at));
      }
    }
  }
  // One-word components y of `taken` against components y * 2^32 + x one level up.
  if (taken.first < two32 && head.size() >= 2) {
    const std::vector<std::uint32_t> up(head.begin(), head.end() - 1);
    const std::uint64_t x = head.back();
    const std::uint64_t y0 = std::max<std::uint64_t>(taken.first, 1);
    const std::uint64_t y1 = std::min(taken.last(), low_mask);
    if (const auto upper = spawn_heads.find(up); upper != spawn_heads.end() && y0 <= y1) {
      const std::uint64_t lo = (y0 << 32) | x;
      const std::uint64_t hi = (y1 << 32) | x;
      for (const range_space* s : upper->second) {
        // The records meeting [lo, hi], in order.
        auto at = s->runs.last_at_or_before(lo);
        if (!at) {
          at = s->runs.first();
        } else if (s->runs.at(*at).last() < lo) {
          at = s->runs.next(*at);
        }
        for (; at && s->runs.at(*at).first <= hi; at = s->runs.next(*at)) {
          const run_record& r = s->runs.at(*at);
          if (r.last() < lo) continue;
          if (first_with_low(std::max(r.first, lo), std::min(r.last(), hi), x)) {
            return held(*s, r);
          }
        }
      }
    }
  }
  // Components k >= 2^32 of `taken` against one-word components high(k) of H ++ [low(k)].
  if (taken.last() >= two32) {
    const std::uint64_t a = std::max(taken.first, two32);
    const std::uint64_t b = taken.last();
    std::vector<std::uint32_t> probe = head;
    probe.push_back(0);
    // The deeper spaces with a low word that occurs in [a, b]: all of them for 2^32 or more
    // components, else those in the (at most two) stretches of low words.
    const auto check = [&](std::uint32_t from, std::uint32_t to) -> std::optional<claim> {
      probe.back() = from;
      for (auto it = spawn_heads.lower_bound(probe); it != spawn_heads.end(); ++it) {
        const auto& words = it->first;
        if (words.size() < probe.size() || !std::equal(head.begin(), head.end(), words.begin()) ||
            words[head.size()] > to) {
          break;
        }
        if (words.size() != probe.size()) continue;  // deeper still: not a one-word neighbour
        const std::uint64_t x = words.back();
        const auto k_lo = first_with_low(a, b, x);
        const auto k_hi = last_with_low(a, b, x);
        if (!k_lo || !k_hi) continue;
        for (const range_space* s : it->second) {
          if (const auto at = s->runs.overlapping(*k_lo >> 32, *k_hi >> 32)) {
            return held(*s, s->runs.at(*at));
          }
        }
      }
      return std::nullopt;
    };
    if (b - a >= low_mask) return check(0, static_cast<std::uint32_t>(low_mask));
    const auto la = static_cast<std::uint32_t>(a);
    const auto lb = static_cast<std::uint32_t>(b);
    if ((a >> 32) == (b >> 32)) return check(la, lb);
    if (auto found = check(la, static_cast<std::uint32_t>(low_mask))) return found;
    return check(0, lb);
  }
  return std::nullopt;
}

}  // namespace streamalloc::claims
