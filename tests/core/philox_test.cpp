// Philox specifics: the Philox4x64-10 block function against Random123's known answers (and
// Random123 itself where its header is installed), the 256-bit counter and its carries,
// advance/retreat/jumped algebra, the state dict and its validation. Seeded outputs are checked
// against NumPy in bit_generators_golden_test.cpp.
#include "streamalloc/philox.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "streamalloc/error.hpp"
#include "streamalloc/json.hpp"
#include "support/engines.hpp"

#if __has_include(<Random123/philox.h>)
#include <Random123/philox.h>
// Random123 leaves out the 64-bit Philox where it knows no 64x64->128 multiply for the target
// (s390x, under scripts/cross-test.sh).
#if R123_USE_PHILOX_64BIT
#define STREAMALLOC_HAVE_RANDOM123 1
#endif
#endif

namespace streamalloc {
namespace {

using counter_type = philox::counter_type;
using key_type = philox::key_type;

constexpr std::uint64_t ones = ~std::uint64_t{0};

// Random123's published known-answer vectors for philox4x64_10 (kat_vectors in its examples):
// counter, key, result. NumPy's Philox(key=K, counter=C - 1).random_raw(4) gives the same words.
struct known_answer {
  counter_type counter;
  key_type key;
  counter_type expected;
};
constexpr std::array<known_answer, 3> random123_kat = {{
    {{0, 0, 0, 0},
     {0, 0},
     {0x16554d9eca36314cULL, 0xdb20fe9d672d0fdcULL, 0xd7e772cee186176bULL, 0x7e68b68aec7ba23bULL}},
    {{ones, ones, ones, ones},
     {ones, ones},
     {0x87b092c3013fe90bULL, 0x438c3c67be8d0224ULL, 0x9cc7d7c69cd777b6ULL, 0xa09caebf594f0ba0ULL}},
    {{0x243f6a8885a308d3ULL, 0x13198a2e03707344ULL, 0xa4093822299f31d0ULL, 0x082efa98ec4e6c89ULL},
     {0x452821e638d01377ULL, 0xbe5466cf34e90c6cULL},
     {0xa528f45403e61d95ULL, 0x38c72dbd566e9788ULL, 0xa5a1610e72fd18b5ULL, 0x57bd43b5e52b7fe6ULL}},
}};

// The block function is usable in constant expressions.
static_assert(detail::philox4x64_10(random123_kat[0].counter, random123_kat[0].key) ==
              random123_kat[0].expected);

big_uint pow2(std::size_t bits) { return big_uint(1) << bits; }

philox sample_generator() {
  return philox::from_key(big_uint::parse("0x0123456789abcdef0fedcba987654321", "key"),
                          big_uint::parse("0xfedcba9876543210", "counter"));
}

TEST(PhiloxBlock, MatchesRandom123KnownAnswers) {
  for (const auto& kat : random123_kat) {
    EXPECT_EQ(detail::philox4x64_10(kat.counter, kat.key), kat.expected);
  }
}

TEST(PhiloxBlock, MatchesRandom123OnRandomInputs) {
#ifdef STREAMALLOC_HAVE_RANDOM123
  std::mt19937_64 source(20240601);
  for (int trial = 0; trial < 2000; ++trial) {
    const counter_type ctr = {source(), source(), source(), source()};
    const key_type key = {source(), source()};
    const r123::Philox4x64_R<10>::ctr_type r_ctr = {{ctr[0], ctr[1], ctr[2], ctr[3]}};
    const r123::Philox4x64_R<10>::key_type r_key = {{key[0], key[1]}};
    const auto reference = r123::Philox4x64_R<10>()(r_ctr, r_key);
    const auto ours = detail::philox4x64_10(ctr, key);
    for (std::size_t i = 0; i < 4; ++i) ASSERT_EQ(ours[i], reference[i]) << "trial " << trial;
  }
#else
  GTEST_SKIP() << "Random123/philox.h (with Philox4x64) is not installed; the known-answer test "
                  "still ran";
#endif
}

TEST(Philox, SeededFromTwoSeedSequenceWords) {
  const seed_sequence seq(seed_entropy(12345));
  const philox engine(seq);
  const auto words = seq.generate_state64(2);
  EXPECT_EQ(engine.key(), (key_type{words[0], words[1]}));
  EXPECT_EQ(engine.counter(), (counter_type{0, 0, 0, 0}));
  EXPECT_EQ(engine.buffer_pos(), philox::buffer_size);
  EXPECT_FALSE(engine.has_uint32());
  // Philox(seq, counter=C) keeps the key and starts at C.
  const philox at_counter(seq, big_uint(7) + pow2(200));
  EXPECT_EQ(at_counter.key(), engine.key());
  EXPECT_EQ(at_counter.counter(), (counter_type{7, 0, 0, std::uint64_t{1} << 8}));
}

TEST(Philox, DrawsTheBlockAtCounterPlusOneWordByWord) {
  philox engine = sample_generator();
  const counter_type start = engine.counter();
  counter_type next = start;
  ++next[0];
  const auto block = detail::philox4x64_10(next, engine.key());
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(engine.next64(), block[i]) << i;
    EXPECT_EQ(engine.buffer_pos(), i + 1);
    EXPECT_EQ(engine.counter(), next);
  }
  ++next[0];
  EXPECT_EQ(engine.next64(), detail::philox4x64_10(next, engine.key())[0]);
  EXPECT_EQ(engine.buffer_pos(), 1U);
}

TEST(Philox, CounterCarriesAcrossWordsAndWrapsAt2To256) {
  const key_type key = {3, 4};
  const std::array<std::pair<counter_type, counter_type>, 5> cases = {{
      {{ones, 0, 0, 0}, {0, 1, 0, 0}},
      {{ones, ones, 0, 0}, {0, 0, 1, 0}},
      {{ones, ones, ones, 5}, {0, 0, 0, 6}},
      {{ones, 7, ones, ones}, {0, 8, ones, ones}},
      {{ones, ones, ones, ones}, {0, 0, 0, 0}},
  }};
  for (const auto& [before, after] : cases) {
    philox engine = philox::from_words(key, before);
    EXPECT_EQ(engine.next64(), detail::philox4x64_10(after, key)[0]);
    EXPECT_EQ(engine.counter(), after);
  }
}

TEST(Philox, BulkFillsCarryLikeSingleBlocksAtEverySimdLevel) {
  // The bulk kernels compute two blocks at once and carry the counter themselves: starting
  // just below each carry (and the wrap at 2^256), at every buffer offset and for lengths
  // around the pair, every word equals the block function's on counter + 1, + 2, ...
  const key_type key = {0x0123456789abcdefULL, 0xfedcba9876543210ULL};
  const std::array<counter_type, 5> starts = {{
      {ones - 4, 0, 0, 0},
      {ones - 3, ones, 2, 3},
      {ones - 2, ones, ones, 7},
      {ones - 1, ones, ones, ones},
      {ones - 5, 11, ones, ones},
  }};
  for (const auto level : testing::simd_levels()) {
    SCOPED_TRACE(detail::to_string(level));
    const testing::simd_level_scope scope(level);
    for (const counter_type& start : starts) {
      for (const std::size_t offset : {0U, 1U, 3U}) {
        for (const std::size_t n : {0U, 4U, 7U, 8U, 12U, 16U, 27U, 40U, 67U}) {
          philox engine = philox::from_words(key, start);
          for (std::size_t i = 0; i < offset; ++i) (void)engine.next64();
          std::vector<std::uint64_t> words(n);
          engine.fill(std::span<std::uint64_t>(words));
          std::vector<std::uint64_t> expected;
          counter_type counter = start;
          while (expected.size() < offset + n) {
            for (auto& word : counter) {
              if (++word != 0) break;
            }
            const auto block = detail::philox4x64_10(counter, key);
            expected.insert(expected.end(), block.begin(), block.end());
          }
          ASSERT_TRUE(std::equal(words.begin(), words.end(),
                                 expected.begin() + static_cast<std::ptrdiff_t>(offset)))
              << "offset " << offset << ", n " << n << ", start " << start[0];
          // The engine goes on where the fill stopped.
          const std::size_t used = offset + n;
          while (expected.size() < used + 1) {
            for (auto& word : counter) {
              if (++word != 0) break;
            }
            const auto block = detail::philox4x64_10(counter, key);
            expected.insert(expected.end(), block.begin(), block.end());
          }
          ASSERT_EQ(engine.next64(), expected[used]) << "offset " << offset << ", n " << n;
        }
      }
    }
  }
}

TEST(Philox, AdvanceAddsToTheCounterModulo2To256) {
  philox engine = philox::from_words({1, 2}, {ones, ones, 5, ones});
  engine.advance(2);
  EXPECT_EQ(engine.counter(), (counter_type{1, 0, 6, ones}));
  engine.advance(pow2(192));
  EXPECT_EQ(engine.counter(), (counter_type{1, 0, 6, 0}));  // the top carry is dropped
  engine.advance(pow2(256) + pow2(64) + 3);                 // 2^256 wraps to nothing
  EXPECT_EQ(engine.counter(), (counter_type{4, 1, 6, 0}));
}

TEST(Philox, AdvanceIsAdditive) {
  const std::array<std::pair<big_uint, big_uint>, 5> cases = {{
      {big_uint(0), big_uint(0)},
      {big_uint(3), big_uint(ones)},
      {pow2(64) + 5, pow2(128) + ones},
      {pow2(255), pow2(255) + 9},  // wraps at 2^256
      {pow2(256) + pow2(256) + 17,
       big_uint::parse("0xfffffffffffffffffffffffffffffffffffffff", "b")},
  }};
  for (const auto& [a, b] : cases) {
    philox one_step = sample_generator();
    (void)one_step.next32();
    philox two_steps = one_step;
    one_step.advance(a + b);
    two_steps.advance(a).advance(b);
    EXPECT_EQ(one_step, two_steps) << a.to_string() << " + " << b.to_string();
  }
}

TEST(Philox, AdvanceEmptiesTheBuffersAsNumPyDoes) {
  philox engine = sample_generator();
  (void)engine.next64();
  (void)engine.next32();
  ASSERT_TRUE(engine.has_uint32());
  ASSERT_EQ(engine.buffer_pos(), 2U);
  const counter_type counter = engine.counter();
  engine.advance(0);
  EXPECT_EQ(engine.counter(), counter);
  EXPECT_EQ(engine.buffer_pos(), philox::buffer_size);
  EXPECT_EQ(engine.buffer(), (philox::buffer_type{0, 0, 0, 0}));
  EXPECT_FALSE(engine.has_uint32());
  EXPECT_EQ(engine.uinteger(), 0U);
  // The next word is the first of the following block, not the rest of the old one.
  counter_type next = counter;
  ++next[0];
  EXPECT_EQ(engine.next64(), detail::philox4x64_10(next, engine.key())[0]);
}

TEST(Philox, AdvanceSkipsWholeBlocks) {
  philox reference = philox::from_words({9, 9}, {0, 0, 0, 0});
  philox advanced = reference;
  advanced.advance(5);
  for (int i = 0; i < 20; ++i) (void)reference.next64();  // 5 blocks of 4 words
  EXPECT_EQ(advanced.next64(), reference.next64());
}

TEST(Philox, RetreatUndoesAdvance) {
  const std::array<big_uint, 5> deltas = {big_uint(0), big_uint(1), big_uint(ones), pow2(130) + 77,
                                          pow2(300) + 12345};
  for (const auto& delta : deltas) {
    philox engine = sample_generator();
    philox expected = engine;
    engine.advance(delta).retreat(delta);
    expected.advance(0);  // both have had their buffers reset
    EXPECT_EQ(engine, expected) << delta.to_string();
  }
  // Retreating from counter 0 wraps to 2^256 - delta.
  philox engine = philox::from_words({1, 1}, {0, 0, 0, 0});
  engine.retreat(1);
  EXPECT_EQ(engine.counter(), (counter_type{ones, ones, ones, ones}));
}

TEST(Philox, JumpedIsAdvanceByJumpsTimes2To128) {
  const philox base = [] {
    philox e = sample_generator();
    (void)e.next32();
    return e;
  }();
  for (const big_uint& jumps : {big_uint(0), big_uint(1), big_uint(2), big_uint(5), pow2(64) + 3,
                                pow2(128) + 7 /* wraps: same as 7 */}) {
    philox expected = base;
    expected.advance(jumps << 128);
    const philox jumped = base.jumped(jumps);
    EXPECT_EQ(jumped, expected) << jumps.to_string();
    EXPECT_EQ(jumped.key(), base.key());
  }
  EXPECT_EQ(base.jumped(pow2(128) + 7), base.jumped(7));
  EXPECT_EQ(base.jumped(2), base.jumped(1).jumped(1));
  // jumped() leaves the original alone.
  philox copy = base;
  (void)copy.jumped(3);
  EXPECT_EQ(copy, base);
  EXPECT_TRUE(copy.has_uint32());
}

TEST(Philox, NegativeJumpsAreRetreatsByJumpsTimes2To128) {
  const philox base = sample_generator();
  for (const big_uint& jumps : {big_uint(1), big_uint(2), big_uint(1000), pow2(64) + 3,
                                pow2(128) + 7 /* wraps: same as 7 */}) {
    philox expected = base;
    expected.retreat(jumps << 128);
    EXPECT_EQ(base.jumped_back(jumps), expected) << jumps.to_string();
  }
  EXPECT_EQ(base.jumped(-1), base.jumped_back(1));
  EXPECT_EQ(base.jumped(std::int64_t{-1000}), base.jumped_back(1000));
  EXPECT_EQ(base.jumped(-2).jumped(2), base);
  EXPECT_EQ(base.jumped(std::int64_t{INT64_MIN}), base.jumped_back(pow2(63)));
  // Below zero the counter wraps through 2^256.
  const philox at_zero = philox::from_words({3, 4}, {5, 0, 0, 0});
  EXPECT_EQ(at_zero.jumped(-1).counter(), (counter_type{5, 0, ones, ones}));
}

TEST(Philox, FromKeyChecksTheRanges) {
  const big_uint max_key = big_uint::parse("0xffffffffffffffffffffffffffffffff", "key");
  const big_uint max_counter = big_uint::parse(
      "0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", "counter");
  const philox top = philox::from_key(max_key, max_counter);
  EXPECT_EQ(top.key(), (key_type{ones, ones}));
  EXPECT_EQ(top.counter(), (counter_type{ones, ones, ones, ones}));
  const philox low = philox::from_key(big_uint(5) + pow2(64), big_uint(9));
  EXPECT_EQ(low.key(), (key_type{5, 1}));
  EXPECT_EQ(low.counter(), (counter_type{9, 0, 0, 0}));

  try {
    (void)philox::from_key(pow2(128));
    ADD_FAILURE() << "key 2**128 accepted";
  } catch (const invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("below 2**128"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(pow2(128).to_string()), std::string::npos) << e.what();
  }
  try {
    (void)philox::from_key(1, pow2(256));
    ADD_FAILURE() << "counter 2**256 accepted";
  } catch (const invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("counter"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("below 2**256"), std::string::npos) << e.what();
  }
  EXPECT_THROW(philox(seed_sequence(seed_entropy(1)), pow2(256)), invalid_argument);
}

TEST(Philox, StateDictHasNumPysLayout) {
  philox engine = philox::from_words({5, 6}, {1, 2, 3, 4});
  (void)engine.next64();
  (void)engine.next32();
  const auto block = engine.buffer();
  const std::string expected =
      R"({"bit_generator": "Philox", "state": {"counter": [2, 2, 3, 4], "key": [5, 6]}, )"
      R"("buffer": [)" +
      std::to_string(block[0]) + ", " + std::to_string(block[1]) + ", " + std::to_string(block[2]) +
      ", " + std::to_string(block[3]) + R"(], "buffer_pos": 2, "has_uint32": 1, "uinteger": )" +
      std::to_string(engine.uinteger()) + "}";
  EXPECT_EQ(engine.state_json(), expected);
}

TEST(Philox, StateRoundTripsMidBuffer) {
  philox engine = sample_generator();
  (void)engine.next64();
  (void)engine.next32();  // buffer_pos 2, a 32-bit half pending
  philox restored = philox::from_state_json(engine.state_json());
  EXPECT_EQ(restored, engine);
  EXPECT_EQ(restored.state_json(), engine.state_json());
  for (int i = 0; i < 11; ++i) {
    EXPECT_EQ(restored.next32(), engine.next32()) << i;
    EXPECT_EQ(restored.next64(), engine.next64()) << i;
  }
  // set_state on an existing generator replaces everything.
  philox other = philox::from_words({0, 0}, {0, 0, 0, 0});
  other.set_state_json(engine.state_json());
  EXPECT_EQ(other, engine);
}

TEST(Philox, MalformedStatesAreRefused) {
  const std::string good_inner = R"("state": {"counter": [1, 2, 3, 4], "key": [5, 6]})";
  const std::string good_tail = R"("has_uint32": 0, "uinteger": 0)";
  const auto doc = [&](const std::string& name, const std::string& inner, const std::string& buffer,
                       const std::string& pos, const std::string& tail) {
    return "{\"bit_generator\": " + name + ", " + inner + ", \"buffer\": " + buffer +
           ", \"buffer_pos\": " + pos + ", " + tail + "}";
  };
  const std::string name = "\"Philox\"";
  const std::string buffer = "[0, 0, 0, 0]";
  philox engine = sample_generator();
  ASSERT_NO_THROW(engine.set_state_json(doc(name, good_inner, buffer, "4", good_tail)));
  EXPECT_EQ(engine.counter(), (counter_type{1, 2, 3, 4}));
  EXPECT_EQ(engine.key(), (key_type{5, 6}));
  const philox before = engine;

  const std::array bad = {
      doc("\"PCG64\"", good_inner, buffer, "4", good_tail),
      doc(name, good_inner, buffer, "5", good_tail),
      doc(name, good_inner, buffer, "-1", good_tail),
      doc(name, R"("state": {"counter": [1, 2, 3, 4], "key": [5, 6, 7]})", buffer, "4", good_tail),
      doc(name, R"("state": {"counter": [1, 2, 3, 4], "key": [5]})", buffer, "4", good_tail),
      doc(name, R"("state": {"counter": [1, 2, 3], "key": [5, 6]})", buffer, "4", good_tail),
      doc(name, R"("state": {"counter": [1, 2, 3, -4], "key": [5, 6]})", buffer, "4", good_tail),
      doc(name, R"("state": {"counter": [1, 2, 3, 4], "key": [-5, 6]})", buffer, "4", good_tail),
      // A key word of 2^64: the key would be 2^128 or more.
      doc(name, R"("state": {"counter": [1, 2, 3, 4], "key": [5, 18446744073709551616]})", buffer,
          "4", good_tail),
      doc(name, R"("state": {"counter": [1, 2, 3, 4], "key": 5})", buffer, "4", good_tail),
      doc(name, R"("state": {"counter": [1, 2, 3, 4]})", buffer, "4", good_tail),
      doc(name, good_inner, "[0, 0, 0]", "4", good_tail),
      doc(name, good_inner, "[0, 0, 0, -1]", "4", good_tail),
      doc(name, good_inner, buffer, "\"4\"", good_tail),
      doc(name, good_inner, buffer, "4", R"("has_uint32": 2, "uinteger": 0)"),
      doc(name, good_inner, buffer, "4", R"("has_uint32": 0, "uinteger": 4294967296)"),
      doc(name, good_inner, buffer, "4", R"("has_uint32": 0)"),
      std::string("[1, 2]"),
      std::string("{\"bit_generator\": \"Philox\""),
  };
  for (const auto& text : bad) {
    EXPECT_THROW(engine.set_state_json(text), invalid_argument) << text;
    EXPECT_EQ(engine, before) << "a refused state changed the generator: " << text;
  }
  try {
    engine.set_state_json(doc(name, good_inner, buffer, "5", good_tail));
    ADD_FAILURE() << "accepted";
  } catch (const invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("buffer_pos"), std::string::npos) << e.what();
  }
  try {
    engine.set_state_json(doc("\"MT19937\"", good_inner, buffer, "4", good_tail));
    ADD_FAILURE() << "accepted";
  } catch (const invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("Philox"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("MT19937"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace streamalloc
