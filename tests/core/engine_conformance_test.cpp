// One conformance suite run against every engine (as Boost.Random does): the properties any
// user of a bit generator relies on, independent of the particular algorithm.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "support/engines.hpp"
#include "streamalloc/error.hpp"

namespace streamalloc::testing {
namespace {

template <class Engine>
class EngineConformance : public ::testing::Test {
 protected:
  static Engine make(std::uint64_t seed = 20261123) { return Engine(seed_sequence(seed)); }
};
TYPED_TEST_SUITE(EngineConformance, all_engines);

TYPED_TEST(EngineConformance, ModelsUniformRandomBitGenerator) {
  static_assert(std::uniform_random_bit_generator<TypeParam>);
  auto engine = this->make();
  // Usable with the standard library's distributions.
  std::uniform_int_distribution<int> die(1, 6);
  const int roll = die(engine);
  EXPECT_GE(roll, 1);
  EXPECT_LE(roll, 6);
}

TYPED_TEST(EngineConformance, CopiesAreIndependentAndEqual) {
  auto a = this->make();
  auto b = a;
  EXPECT_TRUE(a == b);
  const auto first = a.next64();
  EXPECT_FALSE(a == b);
  EXPECT_EQ(b.next64(), first);
  EXPECT_TRUE(a == b);
}

TYPED_TEST(EngineConformance, DistinctSeedsGiveDistinctStreams) {
  auto a = this->make(1);
  auto b = this->make(2);
  std::set<std::uint64_t> seen;
  for (int i = 0; i < 1000; ++i) {
    seen.insert(a.next64());
    seen.insert(b.next64());
  }
  EXPECT_EQ(seen.size(), 2000U);  // a collision among 2000 64-bit words would be astronomical
}

TYPED_TEST(EngineConformance, StateJsonRoundTripsMidStream) {
  auto engine = this->make();
  for (int draws = 0; draws < 9; ++draws) {
    (void)engine.next32();  // odd counts leave a buffered half (or a mid-block position)
    auto copy = TypeParam::from_state_json(engine.state_json());
    EXPECT_TRUE(copy == engine);
    EXPECT_EQ(copy.state_json(), engine.state_json());
    auto original = engine;
    for (int i = 0; i < 5; ++i) EXPECT_EQ(copy.next32(), original.next32());
  }
}

TYPED_TEST(EngineConformance, BulkFillEqualsSingleDraws) {
  for (std::size_t n : {0U, 1U, 3U, 4U, 5U, 17U, 1000U}) {
    auto a = this->make();
    auto b = this->make();
    std::vector<std::uint64_t> bulk(n);
    a.fill(std::span<std::uint64_t>(bulk));
    for (std::size_t i = 0; i < n; ++i) ASSERT_EQ(bulk[i], b.next64()) << n << " #" << i;
    EXPECT_TRUE(a == b);

    std::vector<double> doubles(n);
    a.fill(std::span<double>(doubles));
    for (std::size_t i = 0; i < n; ++i) ASSERT_EQ(doubles[i], b.next_double()) << n << " #" << i;

    std::vector<std::uint32_t> words(n);
    a.fill(std::span<std::uint32_t>(words));
    for (std::size_t i = 0; i < n; ++i) ASSERT_EQ(words[i], b.next32()) << n << " #" << i;
    EXPECT_TRUE(a == b);
  }
}

// Where a bulk fill may start: fresh, after odd numbers of single draws (mid Philox block,
// mid MT19937 block, a buffered 32-bit half), after advance / jumped, after a state restore.
template <class Engine>
std::vector<std::pair<std::string, Engine>> fill_starts(const Engine& fresh) {
  std::vector<std::pair<std::string, Engine>> starts{{"fresh", fresh}};
  for (const int draws : {1, 3, 5, 7, 623}) {
    Engine e = fresh;
    for (int i = 0; i < draws; ++i) (void)e.next64();
    starts.emplace_back(std::to_string(draws) + " next64", e);
    (void)e.next32();
    starts.emplace_back(std::to_string(draws) + " next64 + next32", e);
  }
  Engine half = fresh;
  (void)half.next32();
  starts.emplace_back("restored after next32", Engine::from_state_json(half.state_json()));
  if constexpr (advanceable<Engine>) {
    Engine e = fresh;
    (void)e.next32();
    e.advance(big_uint::parse("0x1234567890abcdef1234567", "delta"));
    starts.emplace_back("advanced", e);
    (void)e.next64();
    starts.emplace_back("advanced + next64", Engine::from_state_json(e.state_json()));
  }
  if constexpr (jumpable<Engine>) {
    Engine e = fresh;
    (void)e.next64();
    starts.emplace_back("jumped", e.jumped(3));
    Engine j = e.jumped(1);
    (void)j.next64();
    (void)j.next32();
    starts.emplace_back("jumped + next64 + next32", j);
  }
  return starts;
}

// What n single draws of each kind give, computed once on the scalar path.
template <class Engine>
struct single_draws {
  std::vector<std::uint64_t> words;
  std::vector<std::uint32_t> halves;
  std::vector<double> doubles;
  Engine after_words, after_halves, after_doubles;

  single_draws(const Engine& start, std::size_t n)
      : words(n),
        halves(n),
        doubles(n),
        after_words(start),
        after_halves(start),
        after_doubles(start) {
    for (auto& v : words) v = after_words.next64();
    for (auto& v : halves) v = after_halves.next32();
    for (auto& v : doubles) v = after_doubles.next_double();
  }
};

TYPED_TEST(EngineConformance, BulkFillsEqualSingleDrawsOnEverySimdLevel) {
  // Lengths 0..67 cover every remainder of the lane, block and vector widths (8 PCG lanes of
  // at least 4, 4 Philox blocks of 4 words, 8/16-word vectors); the longer ones cross several
  // lane blocks and MT19937 regenerations.
  std::vector<std::size_t> lengths;
  for (std::size_t n = 0; n <= 67; ++n) lengths.push_back(n);
  for (const std::size_t n : {511U, 512U, 513U, 1249U, 4099U}) lengths.push_back(n);
  const auto starts = [&] {
    const simd_level_scope scalar(detail::simd_level::scalar);
    return fill_starts(this->make());
  }();
  for (const auto& entry : starts) {
    // Named, not structured bindings: Clang 14 cannot capture those in the lambda below.
    const auto& where = entry.first;
    const auto& start = entry.second;
    for (const std::size_t n : lengths) {
      const auto expected = [&] {
        const simd_level_scope scalar(detail::simd_level::scalar);
        return single_draws<TypeParam>(start, n);
      }();
      for (const auto level : simd_levels()) {
        SCOPED_TRACE(std::string(detail::to_string(level)) + ", " + where +
                     ", n = " + std::to_string(n));
        const simd_level_scope scope(level);
        TypeParam a = start;
        std::vector<std::uint64_t> words(n);
        a.fill(std::span<std::uint64_t>(words));
        ASSERT_EQ(words, expected.words);
        ASSERT_TRUE(a == expected.after_words);
        // The state as NumPy sees it too (a few lengths: MT19937's 624-word JSON per case made
        // this test take minutes under the sanitizers).
        if (n % 17 == 0 || n > 67) {
          ASSERT_EQ(a.state_json(), expected.after_words.state_json());
        }

        TypeParam b = start;
        std::vector<std::uint32_t> halves(n);
        b.fill(std::span<std::uint32_t>(halves));
        ASSERT_EQ(halves, expected.halves);
        ASSERT_TRUE(b == expected.after_halves);

        TypeParam c = start;
        std::vector<double> doubles(n);
        c.fill(std::span<double>(doubles));
        ASSERT_EQ(doubles, expected.doubles);  // bit for bit
        ASSERT_TRUE(c == expected.after_doubles);

        // The single draws themselves (MT19937 regenerates through the same kernels).
        ASSERT_EQ(single_draws<TypeParam>(start, n).words, expected.words);
      }
    }
  }
}

TYPED_TEST(EngineConformance, FillsAndSingleDrawsInterleaveAsOneStream) {
  // A pattern of fills of awkward lengths and single draws of every kind reads one stream.
  const auto start = this->make(7);
  std::vector<std::uint64_t> reference;
  {
    const simd_level_scope scalar(detail::simd_level::scalar);
    TypeParam e = start;
    for (int i = 0; i < 6000; ++i) reference.push_back(e.next64());
  }
  for (const auto level : simd_levels()) {
    SCOPED_TRACE(detail::to_string(level));
    const simd_level_scope scope(level);
    TypeParam e = start;
    std::vector<std::uint64_t> got;
    for (const std::size_t n : {1U, 67U, 3U, 624U, 5U, 1300U, 2U, 0U, 33U, 1000U, 9U, 2500U}) {
      std::vector<std::uint64_t> words(n);
      e.fill(std::span<std::uint64_t>(words));
      got.insert(got.end(), words.begin(), words.end());
      got.push_back(e.next64());
    }
    ASSERT_LE(got.size(), reference.size());
    EXPECT_TRUE(std::equal(got.begin(), got.end(), reference.begin()));
  }
}

TYPED_TEST(EngineConformance, DoublesLieInTheUnitInterval) {
  auto engine = this->make();
  for (int i = 0; i < 10000; ++i) {
    const double u = engine.next_double();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
  }
}

TYPED_TEST(EngineConformance, AdvanceEqualsThatManyDraws) {
  if constexpr (advanceable<TypeParam>) {
    for (std::uint64_t d : {0U, 1U, 2U, 3U, 4U, 5U, 7U, 8U, 63U, 100U}) {
      auto stepped = this->make();
      auto jumped = this->make();
      for (std::uint64_t i = 0; i < d; ++i) (void)stepped.next64();
      jumped.advance(d);
      // Philox advances whole counter blocks, not words: compare at block granularity.
      if constexpr (std::is_same_v<TypeParam, philox>) {
        auto blocks = this->make();
        for (std::uint64_t i = 0; i < 4 * d; ++i) (void)blocks.next64();
        EXPECT_EQ(jumped.next64(), blocks.next64()) << d;
      } else {
        EXPECT_EQ(jumped.next64(), stepped.next64()) << d;
      }
    }
  } else {
    GTEST_SKIP() << TypeParam::numpy_name << " has no advance in NumPy";
  }
}

TYPED_TEST(EngineConformance, AdvanceComposesAdditively) {
  if constexpr (advanceable<TypeParam>) {
    const big_uint a = big_uint::parse("0x1234567890abcdef1234567890abcdef12", "a");
    const big_uint b = big_uint::parse("98765432109876543210987654321", "b");
    auto twice = this->make();
    twice.advance(a).advance(b);
    auto once = this->make();
    once.advance(a + b);
    EXPECT_TRUE(twice == once);
    once.retreat(a + b);
    EXPECT_TRUE(once == this->make());
  } else {
    GTEST_SKIP() << TypeParam::numpy_name << " has no advance in NumPy";
  }
}

TYPED_TEST(EngineConformance, JumpedLeavesTheOriginalUntouchedAndComposes) {
  if constexpr (jumpable<TypeParam>) {
    const auto original = this->make();
    const auto one = original.jumped();
    EXPECT_TRUE(original == this->make());
    EXPECT_FALSE(one == original);
    const auto two_steps = one.jumped();
    const auto two_at_once = original.jumped(2);
    EXPECT_TRUE(two_steps == two_at_once);
    EXPECT_TRUE(original.jumped(0) == original);
  } else {
    GTEST_SKIP() << TypeParam::numpy_name << " has no jumped in NumPy";
  }
}

TYPED_TEST(EngineConformance, ForeignStateIsRefusedWithTheNamesInTheMessage) {
  auto engine = this->make();
  const std::string other = std::is_same_v<TypeParam, sfc64> ? pcg64(seed_sequence(1)).state_json()
                                                             : sfc64(seed_sequence(1)).state_json();
  try {
    engine.set_state_json(other);
    FAIL() << "accepted a foreign state";
  } catch (const invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find(TypeParam::numpy_name), std::string::npos) << e.what();
  }
  EXPECT_TRUE(engine == this->make());  // a refused state leaves the engine as it was
  for (const char* bad : {"", "{", "[]", "{\"bit_generator\": 5}", "null"}) {
    EXPECT_THROW(engine.set_state_json(bad), invalid_argument) << bad;
  }
}

TEST(SimdLevel, SetLevelIsCappedByWhatTheMachineSupports) {
  const auto supported = detail::supported_simd_level();
  const simd_level_scope restore(detail::active_simd_level());
  EXPECT_EQ(detail::set_simd_level(detail::simd_level::scalar), detail::simd_level::scalar);
  EXPECT_EQ(detail::active_simd_level(), detail::simd_level::scalar);
  EXPECT_EQ(detail::set_simd_level(detail::simd_level::avx512), supported);
  EXPECT_EQ(detail::active_simd_level(), supported);
  EXPECT_EQ(detail::to_string(detail::simd_level::avx2), "avx2");
#if !defined(__x86_64__)
  EXPECT_EQ(supported, detail::simd_level::scalar);  // vector kernels are x86-64 only
#endif
}

}  // namespace
}  // namespace streamalloc::testing
