// The exponential ziggurat's wedge test answers exactly as NumPy's comparison y < exp(-x)
// (src/distributions/exponential_wedge.cpp decides most tries with two lines instead of exp()).
// The reference is the comparison itself, with the libm the library uses. And the bulk fill,
// which settles a block's misses before its hits, equals single draws (themselves checked
// against NumPy in distributions_test.cpp) where its bookkeeping is most delicate.
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "streamalloc/detail/ziggurat_tables.hpp"
#include "streamalloc/distributions/exponential.hpp"
#include "streamalloc/pcg64.hpp"
#include "support/engines.hpp"

namespace streamalloc {
namespace {

namespace zig = detail::ziggurat;

constexpr std::uint64_t two_to_53 = std::uint64_t{1} << 53;

// The x of a try on `magnitude` (53 bits) in `layer`, as standard_exponential_fast makes it.
double x_of(std::size_t layer, std::uint64_t magnitude) {
  return static_cast<double>(magnitude) * zig::we[layer];
}

// The magnitudes whose tries miss the rectangle: the ends of [ke, 2^53), the middle (where the
// tangent touches the curve), and random ones.
std::vector<std::uint64_t> missing_magnitudes(std::size_t layer, std::mt19937_64& rng) {
  const std::uint64_t low = zig::ke[layer];
  std::vector<std::uint64_t> out = {low,
                                    low + 1,
                                    two_to_53 - 1,
                                    two_to_53 - 2,
                                    low + (two_to_53 - low) / 2,
                                    low + (two_to_53 - low) / 2 + 1};
  std::uniform_int_distribution<std::uint64_t> pick(low, two_to_53 - 1);
  for (int i = 0; i < 40; ++i) out.push_back(pick(rng));
  return out;
}

TEST(ExponentialWedge, AnswersAsTheComparisonWithExpAtTheCurve) {
  // y at exp(-x) itself and a few ulps either side: where any shortcut would go wrong first.
  std::mt19937_64 rng(20261130);
  std::size_t checked = 0;
  for (std::size_t layer = 1; layer < 256; ++layer) {
    for (const std::uint64_t magnitude : missing_magnitudes(layer, rng)) {
      const double x = x_of(layer, magnitude);
      const double curve = std::exp(-x);
      double below = curve;
      double above = curve;
      std::vector<double> ys = {curve};
      for (int step = 0; step < 4; ++step) {
        below = std::nextafter(below, 0.0);
        above = std::nextafter(above, 2.0);
        ys.push_back(below);
        ys.push_back(above);
      }
      for (const double relative : {1e-15, 1e-13, 1e-11, 1e-9, 1e-6, 1e-3}) {
        ys.push_back(curve * (1 - relative));
        ys.push_back(curve * (1 + relative));
      }
      for (const double y : ys) {
        ASSERT_EQ(detail::exponential_wedge_accepts(layer, x, y), y < curve)
            << "layer " << layer << ", x " << x << ", y - exp(-x) " << (y - curve);
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 255U * 46U * 20U);
}

TEST(ExponentialWedge, AnswersAsTheComparisonWithExpOnTheDrawsNumPyMakes) {
  // y = fe[l] + U (fe[l-1] - fe[l]) as the sampler makes it, for U on the 2^-53 grid.
  std::mt19937_64 rng(7);
  std::size_t accepted = 0;
  std::size_t total = 0;
  for (std::size_t layer = 1; layer < 256; ++layer) {
    for (const std::uint64_t magnitude : missing_magnitudes(layer, rng)) {
      const double x = x_of(layer, magnitude);
      for (int i = 0; i < 50; ++i) {
        const double u = static_cast<double>(rng() >> 11) * 0x1p-53;
        const double y = detail::mul(zig::fe[layer - 1] - zig::fe[layer], u) + zig::fe[layer];
        const bool expected = y < std::exp(-x);
        ASSERT_EQ(detail::exponential_wedge_accepts(layer, x, y), expected)
            << "layer " << layer << ", x " << x << ", y " << y;
        accepted += expected ? 1 : 0;
        ++total;
      }
    }
  }
  // Both answers occur (the draws straddle the curve), so both lines were exercised.
  EXPECT_GT(accepted, total / 10);
  EXPECT_LT(accepted, total - total / 10);
}

// The positions of the first `wanted` words from `start` that `pick` selects (by the word and
// the one after it).
template <class Pick>
std::vector<std::size_t> find_words(const pcg64& start, std::size_t wanted, Pick pick) {
  pcg64 engine = start;
  std::vector<std::uint64_t> words(2000000);
  engine.fill(std::span<std::uint64_t>(words));
  std::vector<std::size_t> found;
  for (std::size_t j = 0; j + 1 < words.size() && found.size() < wanted; ++j) {
    if (pick(words[j], words[j + 1])) found.push_back(j);
  }
  return found;
}

bool misses(std::uint64_t word) {
  double x;
  return !detail::standard_exponential_fast(word, x);
}

void expect_bulk_equals_single_draws(const pcg64& start, std::size_t n) {
  for (const auto level : testing::simd_levels()) {
    SCOPED_TRACE(std::string(detail::to_string(level)) + " n=" + std::to_string(n));
    const testing::simd_level_scope scope(level);
    pcg64 single = start;
    std::vector<double> expected(n);
    for (double& v : expected) v = standard_exponential(single);
    pcg64 bulk = start;
    std::vector<double> got(n);
    standard_exponential(bulk, std::span<double>(got));
    for (std::size_t i = 0; i < n; ++i) {
      ASSERT_EQ(std::bit_cast<std::uint64_t>(got[i]), std::bit_cast<std::uint64_t>(expected[i]))
          << "#" << i;
    }
    ASSERT_TRUE(bulk == single);  // the same words used, no more
  }
}

TEST(ExponentialFill, EqualsSingleDrawsWhereABlockEndsOnAMiss) {
  // A fill of n <= 512 is one block of n words: when word n - 1 misses, its draw needs the
  // generator's next word.
  const pcg64 start(seed_sequence(2026));
  const auto ends =
      find_words(start, 5, [](std::uint64_t word, std::uint64_t) { return misses(word); });
  ASSERT_EQ(ends.size(), 5U);
  for (const std::size_t j : ends) {
    if (j < 512) expect_bulk_equals_single_draws(start, j + 1);
  }
  // Blocks after the first: a fill whose second block of 512 ends on a miss.
  for (const std::size_t j :
       find_words(start, 50, [](std::uint64_t word, std::uint64_t) { return misses(word); })) {
    if (j >= 600) {
      expect_bulk_equals_single_draws(start, j + 1);
      break;
    }
  }
}

TEST(ExponentialFill, EqualsSingleDrawsWhenAMissIsFollowedByAMiss) {
  // The word after a miss is that draw's uniform, whatever its own try says: it must not be
  // settled as a miss of its own.
  const pcg64 start(seed_sequence(99));
  const auto pairs = find_words(start, 3, [](std::uint64_t word, std::uint64_t next) {
    return misses(word) && misses(next);
  });
  ASSERT_FALSE(pairs.empty());
  for (const std::size_t j : pairs) expect_bulk_equals_single_draws(start, j + 100);
}

}  // namespace
}  // namespace streamalloc
