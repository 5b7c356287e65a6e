// The exponential ziggurat's wedge test answers exactly as NumPy's comparison y < exp(-x)
// (src/distributions/exponential_wedge.cpp decides most tries with two lines instead of exp()).
// The reference is the comparison itself, with the libm the library uses.
#include <gtest/gtest.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "streamalloc/detail/ziggurat_tables.hpp"
#include "streamalloc/distributions/exponential.hpp"

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

}  // namespace
}  // namespace streamalloc
