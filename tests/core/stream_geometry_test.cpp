// Stream geometry: the window search that matches hand-built PCG64 streams against jumped runs.
// Expected values come from brute force over small moduli and short ranges, and from the
// jumped streams' own starts (pcg64_cycle_offset of jumped(j), which the engine suite ties to
// NumPy).
#include "streamalloc/stream_geometry.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <random>

#include "streamalloc/pcg64.hpp"
#include "streamalloc/seed_sequence.hpp"

namespace streamalloc {
namespace {

// The smallest x in [0, m) with lo <= (a x) mod m <= hi, by enumeration ((a x) mod m repeats
// with period dividing m, so none below m means none at all).
std::optional<uint128> brute_window(std::uint64_t a, std::uint64_t m, std::uint64_t lo,
                                    std::uint64_t hi) {
  for (std::uint64_t x = 0; x < m; ++x) {
    const std::uint64_t r = (a * x) % m;
    if (lo <= r && r <= hi) return uint128{x};
  }
  return std::nullopt;
}

TEST(FirstMultipleInWindow, MatchesEnumerationForEverySmallCase) {
  for (std::uint64_t m = 1; m <= 40; ++m) {
    for (std::uint64_t a = 0; a < m; ++a) {
      for (std::uint64_t lo = 0; lo < m; ++lo) {
        for (std::uint64_t hi = lo; hi < m; ++hi) {
          ASSERT_EQ(detail::first_multiple_in_window(a, m, lo, hi), brute_window(a, m, lo, hi))
              << "a=" << a << " m=" << m << " [" << lo << ", " << hi << "]";
        }
      }
    }
  }
}

TEST(FirstMultipleInWindow, MatchesEnumerationForRandomModuli) {
  std::mt19937_64 rng(20240607);
  for (int round = 0; round < 20000; ++round) {
    const std::uint64_t m = 2 + rng() % 100000;
    const std::uint64_t a = rng() % m;
    std::uint64_t lo = rng() % m;
    std::uint64_t hi = rng() % m;
    if (lo > hi) std::swap(lo, hi);
    if (round % 2 == 0) hi = std::min(m - 1, lo + rng() % 8);  // narrow windows: deep recursions
    ASSERT_EQ(detail::first_multiple_in_window(a, m, lo, hi), brute_window(a, m, lo, hi))
        << "a=" << a << " m=" << m << " [" << lo << ", " << hi << "]";
  }
}

TEST(FirstMultipleInWindow, ModulusTwoPow128AgainstEnumerationOfWideWindows) {
  // Windows of 2^118 and more are hit within a few thousand multiples: enumerate them.
  std::mt19937_64 rng(7);
  for (int round = 0; round < 200; ++round) {
    const uint128 a = make_uint128(rng(), rng()) | 1;
    const uint128 b = make_uint128(rng(), rng());
    const uint128 length = uint128{1} << (118 + rng() % 10);
    uint128 expected = 0;
    for (uint128 v = b; v >= length; v += a) ++expected;
    EXPECT_EQ(detail::first_multiple_in_window_2_128(a, b, length), expected) << round;
  }
  EXPECT_EQ(detail::first_multiple_in_window_2_128(3, 5, 6), uint128{0});
  EXPECT_EQ(detail::first_multiple_in_window_2_128(1, ~uint128{0}, 1), uint128{1});  // wraps to 0
}

// Jumped starts: jumped(j) starts j jump steps after the root on its cycle.
uint128 start_of(const pcg64& g) { return pcg64_cycle_offset(g.lcg_state(), g.lcg_increment()); }

TEST(FirstJumpInWindow, FindsTheJumpedStreamStartingInsideAWindow) {
  const pcg64 root{seed_sequence(seed_entropy(12345))};
  // jumped(j) really starts at start(root) + j * step (the engine is NumPy's).
  const uint128 origin = start_of(root);
  ASSERT_EQ(start_of(root.jumped(big_uint(123456))), origin + uint128{123456} * pcg_jump_step);
  // A window of 10 draws around jumped(123456)'s start, 5 before it.
  const uint128 target = start_of(root.jumped(big_uint(123456)));
  EXPECT_EQ(first_jump_in_window(root, target - 5, 10, 1'000'000),
            std::optional<std::uint64_t>(123456));
  EXPECT_EQ(first_jump_in_window(root, target - 5, 5, 1'000'000), std::nullopt);     // ends before
  EXPECT_EQ(first_jump_in_window(root, target + 1, 1000, 1'000'000), std::nullopt);  // after
  EXPECT_EQ(first_jump_in_window(root, target - 5, 10, 123456), std::nullopt);       // beyond limit
  EXPECT_EQ(first_jump_in_window(root, target - 5, 10, 123457),
            std::optional<std::uint64_t>(123456));
  // Far jump counts: 2^62 - 1 is found, in a window of 2^65 draws (under the spacing of 2^62
  // counts, so the answer is unique below the limit).
  const std::uint64_t far = (std::uint64_t{1} << 62) - 1;
  const uint128 far_start = origin + uint128{far} * pcg_jump_step;
  ASSERT_GT(jumped_min_spacing(far), uint128{1} << 65);
  EXPECT_EQ(first_jump_in_window(root, far_start - (uint128{1} << 64), uint128{1} << 65,
                                 std::uint64_t{1} << 62),
            std::optional<std::uint64_t>(far));
}

TEST(FirstJumpInWindow, FindsRandomFarJumpCountsExactly) {
  // Any window of at most 2^65 draws holds the start of at most one of the 2^62 first jumped
  // streams (jumped_min_spacing); one placed around the start of jumped(j) must give j.
  const pcg64 root{seed_sequence(seed_entropy(4242))};
  const uint128 origin = start_of(root);
  std::mt19937_64 rng(11);
  for (int round = 0; round < 2000; ++round) {
    const std::uint64_t j = rng() >> 2;  // below 2^62
    const uint128 length = 1 + (make_uint128(rng() & 1, rng()) % (uint128{1} << 65));
    const uint128 before = make_uint128(0, rng()) % length;  // where the start lies inside
    const uint128 window = origin + uint128{j} * pcg_jump_step - before;
    ASSERT_EQ(first_jump_in_window(root, window, length, std::uint64_t{1} << 62),
              std::optional<std::uint64_t>(j))
        << round;
  }
}

TEST(FirstJumpInWindow, MatchesEnumerationOfTheFirstJumpedStarts) {
  const pcg64 root{seed_sequence(seed_entropy(99))};
  std::mt19937_64 rng(3);
  constexpr std::uint64_t limit = 200000;
  for (int round = 0; round < 50; ++round) {
    const uint128 window = make_uint128(rng(), rng());
    const uint128 length = uint128{1} << (108 + rng() % 12);
    std::optional<std::uint64_t> expected;
    uint128 start = start_of(root);
    for (std::uint64_t j = 0; j < limit; ++j, start += pcg_jump_step) {
      if (start - window < length) {
        expected = j;
        break;
      }
    }
    EXPECT_EQ(first_jump_in_window(root, window, length, limit), expected) << round;
  }
}

}  // namespace
}  // namespace streamalloc
