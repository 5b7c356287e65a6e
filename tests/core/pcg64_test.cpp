// PCG64 and PCG64DXSM specifics: LCG stream geometry (advance, retreat, distance, jumped) by
// identities, and the state dict's validation. Output values are checked against NumPy in
// bit_generators_golden_test.cpp and numpy_known_answer_test.cpp.
#include "streamalloc/pcg64.hpp"

#include <gtest/gtest.h>

#include "streamalloc/error.hpp"
#include "streamalloc/pcg64_dxsm.hpp"

namespace streamalloc {
namespace {

template <class Engine>
class Pcg128 : public ::testing::Test {};
using pcg_engines = ::testing::Types<pcg64, pcg64_dxsm>;
TYPED_TEST_SUITE(Pcg128, pcg_engines);

TYPED_TEST(Pcg128, DistanceInvertsAdvance) {
  const TypeParam start{seed_sequence(seed_entropy(11))};
  for (const char* d :
       {"0", "1", "1000", "0xffffffffffffffff", "0x9e3779b97f4a7c15f39cc0605cedc835",
        "340282366920938463463374607431768211455"}) {
    auto moved = start;
    const big_uint delta = big_uint::parse(d, "delta");
    moved.advance(delta);
    EXPECT_EQ(start.distance_to(moved), delta.low_u128()) << d;
  }
}

// Brown's square-and-multiply, written out here as the reference for the library's
// precomputed digit tables (and for a multiplier the tables do not cover).
uint128 brown_advance(uint128 state, uint128 delta, uint128 mult, uint128 plus) {
  uint128 acc_mult = 1;
  uint128 acc_plus = 0;
  for (; delta != 0; delta >>= 1) {
    if ((delta & 1U) != 0) {
      acc_mult *= mult;
      acc_plus = acc_plus * mult + plus;
    }
    plus = (mult + 1) * plus;
    mult *= mult;
  }
  return acc_mult * state + acc_plus;
}

TYPED_TEST(Pcg128, AdvanceAndJumpEqualBrownsAlgorithm) {
  const TypeParam engine{seed_sequence(seed_entropy(13))};
  const uint128 m = TypeParam::multiplier;
  const uint128 inc = engine.lcg_increment();
  const uint128 s = engine.lcg_state();
  uint128 delta = 0x0123456789abcdefULL;
  for (int i = 0; i < 200; ++i) {
    delta = delta * 0x9e3779b97f4a7c15ULL + static_cast<uint128>(i) * 0x100000001ULL;
    const uint128 d = i % 3 == 0 ? delta >> (i % 128) : delta;  // short and long deltas
    ASSERT_EQ(detail::lcg128_advance(s, d, m, inc), brown_advance(s, d, m, inc)) << i;
    ASSERT_EQ(detail::lcg128_jump(s, d, m, inc),
              brown_advance(s, d * detail::pcg_jump_step, m, inc))
        << i;
  }
  // Another multiplier takes the general path.
  const uint128 other = 0x5851f42d4c957f2dULL;
  EXPECT_EQ(detail::lcg128_advance(s, delta, other, inc), brown_advance(s, delta, other, inc));
  EXPECT_EQ(detail::lcg128_jump(s, delta, other, inc),
            brown_advance(s, delta * detail::pcg_jump_step, other, inc));
}

TYPED_TEST(Pcg128, AdvanceWrapsModulo2To128) {
  const TypeParam start{seed_sequence(seed_entropy(3))};
  auto a = start;
  auto b = start;
  a.advance(big_uint(5));
  b.advance((big_uint(1) << 128) + big_uint(5));
  EXPECT_TRUE(a == b);
  auto full = start;
  full.advance(big_uint(1) << 128);
  EXPECT_TRUE(full == start);  // the period is exactly 2^128
}

TYPED_TEST(Pcg128, JumpedIsAdvanceByTheGoldenRatioStep) {
  const TypeParam start{seed_sequence(seed_entropy(4))};
  for (std::uint64_t j : {0U, 1U, 2U, 5U, 1000U}) {
    auto advanced = start;
    advanced.advance(big_uint::from_uint128(detail::pcg_jump_step * j));
    EXPECT_TRUE(start.jumped(j) == advanced) << j;
  }
}

TYPED_TEST(Pcg128, NegativeJumpsWrapLikeNumPys) {
  // NumPy's jumped(-n) advances by -n * step mod 2^128: the stream n jumps behind.
  const TypeParam start{seed_sequence(seed_entropy(4))};
  for (const std::int64_t n : {1, 2, 1000}) {
    const auto back = start.jumped(-n);
    EXPECT_TRUE(back.jumped(n) == start) << n;
    EXPECT_TRUE(back == start.jumped_back(big_uint(static_cast<std::uint64_t>(n)))) << n;
    auto retreated = start;
    retreated.retreat(
        big_uint::from_uint128(detail::pcg_jump_step * static_cast<std::uint64_t>(n)));
    EXPECT_TRUE(back == retreated) << n;
  }
  const big_uint beyond_64 = (big_uint(1) << 64) + big_uint(3);
  EXPECT_TRUE(start.jumped_back(beyond_64).jumped(beyond_64) == start);
  EXPECT_TRUE(start.jumped_back((big_uint(1) << 128) + big_uint(2)) == start.jumped(-2));
  EXPECT_TRUE(start.jumped(std::int64_t{INT64_MIN}) == start.jumped_back(big_uint(1) << 63));
}

TYPED_TEST(Pcg128, RetreatStepsBackOneDraw) {
  TypeParam engine{seed_sequence(seed_entropy(8))};
  const auto first = engine.next64();
  engine.retreat(1);
  EXPECT_EQ(engine.next64(), first);
}

TYPED_TEST(Pcg128, AdvanceClearsTheBufferedHalfAsNumPyDoes) {
  TypeParam engine{seed_sequence(seed_entropy(8))};
  (void)engine.next32();
  ASSERT_TRUE(engine.has_uint32());
  engine.advance(0);
  EXPECT_FALSE(engine.has_uint32());
  EXPECT_EQ(engine.uinteger(), 0U);
}

TYPED_TEST(Pcg128, FromLcgStateRoundTrips) {
  const TypeParam engine{seed_sequence(seed_entropy(21))};
  const auto copy = TypeParam::from_lcg_state(engine.lcg_state(), engine.lcg_increment());
  EXPECT_TRUE(copy == engine);
}

TYPED_TEST(Pcg128, MalformedStatesAreRefused) {
  const std::string name(TypeParam::numpy_name);
  const std::string head = "{\"bit_generator\": \"" + name + "\", ";
  const std::string good_tail = ", \"has_uint32\": 0, \"uinteger\": 0}";
  const std::vector<std::string> bad = {
      head + "\"state\": {\"state\": 1}" + good_tail,               // no inc
      head + "\"state\": {\"state\": -1, \"inc\": 1}" + good_tail,  // negative
      head + "\"state\": {\"state\": 340282366920938463463374607431768211456, \"inc\": 1}" +
          good_tail,                                                 // 2^128
      head + "\"state\": {\"state\": 1.5, \"inc\": 1}" + good_tail,  // float
      head + "\"state\": {\"state\": 1, \"inc\": 1}, \"has_uint32\": 2, \"uinteger\": 0}",
      head + "\"state\": {\"state\": 1, \"inc\": 1}, \"has_uint32\": 1, \"uinteger\": 4294967296}",
      head + "\"state\": {\"state\": 1, \"inc\": 1}}",  // no buffer
  };
  TypeParam engine{seed_sequence(seed_entropy(1))};
  for (const auto& text : bad) {
    EXPECT_THROW(engine.set_state_json(text), invalid_argument) << text;
  }
  EXPECT_NO_THROW(
      engine.set_state_json(head + "\"state\": {\"state\": 1, \"inc\": 1}" + good_tail));
  EXPECT_EQ(engine.lcg_state(), 1U);
}

}  // namespace
}  // namespace streamalloc
