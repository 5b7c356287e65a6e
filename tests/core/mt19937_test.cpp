// MT19937 specifics: NumPy's seeding quirks (word 0 and pos 623), the recurrence and tempering
// against the C++ standard's std::mt19937, the two-draw 64-bit and double outputs, the jump
// (algebra, pos handling, and NumPy's jumped states from the golden file), the state dict and
// its validation. Seeded outputs are checked against NumPy in bit_generators_golden_test.cpp.
#include "streamalloc/mt19937.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "streamalloc/json.hpp"
#include "streamalloc/error.hpp"
#include "support/golden.hpp"

namespace streamalloc {
namespace {

using key_type = mt19937::key_type;

mt19937 seeded(std::uint64_t entropy) { return mt19937(seed_sequence(seed_entropy(entropy))); }

// The reference init_genrand(s) (Matsumoto & Nishimura's mt19937ar.c, also the C++ standard's
// seed(s) for std::mt19937): Knuth's multiplicative recurrence.
key_type init_genrand(std::uint32_t s) {
  key_type key{};
  key[0] = s;
  for (std::uint32_t i = 1; i < mt19937::state_size; ++i) {
    key[i] = 1812433253U * (key[i - 1] ^ (key[i - 1] >> 30)) + i;
  }
  return key;
}

TEST(MT19937, SeededAsNumPyWithWordZeroAndPos623) {
  const seed_sequence seq(seed_entropy(12345));
  const mt19937 engine(seq);
  const auto words = seq.generate_state32(mt19937::state_size);
  EXPECT_EQ(engine.key()[0], 0x80000000U);
  for (std::size_t i = 1; i < mt19937::state_size; ++i) ASSERT_EQ(engine.key()[i], words[i]) << i;
  // NumPy leaves pos at its seeding loop's last index: the first draw tempers word 623 and
  // only the second regenerates.
  EXPECT_EQ(engine.pos(), 623U);
  mt19937 drawing = engine;
  (void)drawing.next32();
  EXPECT_EQ(drawing.pos(), 624U);
  EXPECT_EQ(drawing.key(), engine.key());
  (void)drawing.next32();
  EXPECT_EQ(drawing.pos(), 1U);
  EXPECT_NE(drawing.key(), engine.key());
}

TEST(MT19937, MatchesStdMt19937AcrossManyRegenerations) {
  // from_key(init_genrand(5489), 624) is std::mt19937's default state; the standard fixes its
  // 10000th output ([rand.predef]).
  mt19937 ours = mt19937::from_key(init_genrand(5489), 624);
  std::mt19937 reference;  // default seed 5489
  for (int i = 1; i < 10000; ++i) ASSERT_EQ(ours.next32(), reference()) << "draw " << i;
  EXPECT_EQ(ours.next32(), 4123659995U);
  EXPECT_EQ(reference(), 4123659995U);
  EXPECT_EQ(ours.pos(), 10000U % 624U);
}

TEST(MT19937, WideOutputsAreMadeOfSuccessiveDraws) {
  mt19937 engine = seeded(7);
  mt19937 singles = engine;
  for (int i = 0; i < 700; ++i) {  // crosses a regeneration with an odd number of words left
    const std::uint64_t high = singles.next32();
    const std::uint64_t low = singles.next32();
    ASSERT_EQ(engine.next64(), (high << 32) | low) << i;
  }
  for (int i = 0; i < 700; ++i) {
    const double a = singles.next32() >> 5;
    const double b = singles.next32() >> 6;
    ASSERT_EQ(engine.next_double(), (a * 67108864.0 + b) / 9007199254740992.0) << i;
  }
  // NumPy's random_raw() for MT19937 is a single 32-bit draw.
  for (int i = 0; i < 10; ++i) EXPECT_EQ(engine.next_raw(), std::uint64_t{singles.next32()});
  EXPECT_EQ(engine(), singles.next32());
  EXPECT_EQ(engine, singles);
}

TEST(MT19937, BulkFillsEqualSingleDraws) {
  mt19937 bulk = seeded(8);
  mt19937 single = bulk;
  std::vector<std::uint64_t> u64(1000);
  std::vector<std::uint32_t> u32(1000);
  std::vector<double> dbl(1000);
  std::vector<std::uint64_t> raw(1000);
  bulk.fill(std::span<std::uint64_t>(u64));
  bulk.fill(std::span<std::uint32_t>(u32));
  bulk.fill(std::span<double>(dbl));
  bulk.fill_raw(std::span<std::uint64_t>(raw));
  for (const auto v : u64) ASSERT_EQ(v, single.next64());
  for (const auto v : u32) ASSERT_EQ(v, single.next32());
  for (const auto v : dbl) ASSERT_EQ(v, single.next_double());
  for (const auto v : raw) ASSERT_EQ(v, single.next_raw());
  EXPECT_EQ(bulk, single);
}

TEST(MT19937, JumpsCompose) {
  for (const int predraws : {0, 1, 300}) {  // pos 623, 624 and a mid position
    mt19937 base = seeded(99);
    for (int i = 0; i < predraws; ++i) (void)base.next32();
    const mt19937 three = base.jumped(3);
    EXPECT_EQ(three, base.jumped(1).jumped(2)) << predraws;
    EXPECT_EQ(three, base.jumped(2).jumped(1)) << predraws;
    mt19937 in_place = base;
    in_place.jump().jump(2);
    EXPECT_EQ(in_place, three) << predraws;
  }
}

TEST(MT19937, JumpedZeroIsTheIdentityEvenAtPos624) {
  mt19937 engine = seeded(3);
  (void)engine.next32();
  ASSERT_EQ(engine.pos(), 624U);
  EXPECT_EQ(engine.jumped(0), engine);
  EXPECT_EQ(engine.jumped(0).pos(), 624U);
}

TEST(MT19937, NegativeJumpsAreZeroJumpsAndCountsBeyondACLongAreRefused) {
  // NumPy 1.24: jumped(j) loops range(j) over a C long j, so j < 0 leaves the state alone and
  // |j| beyond [-2^63, 2^63 - 1] raises OverflowError.
  mt19937 engine = seeded(6);
  for (int i = 0; i < 5; ++i) (void)engine.next32();
  const big_uint two63 = big_uint(1) << 63;
  EXPECT_EQ(engine.jumped(-1), engine);
  EXPECT_EQ(engine.jumped(std::int64_t{INT64_MIN}), engine);
  EXPECT_EQ(engine.jumped_back(big_uint(1000)), engine);
  EXPECT_EQ(engine.jumped_back(two63), engine);
  mt19937 in_place = engine;
  EXPECT_EQ(in_place.jump(-7), engine);
  EXPECT_EQ(engine.jumped(big_uint(2)), engine.jumped(2));
  EXPECT_THROW((void)engine.jumped_back(two63 + big_uint(1)), invalid_argument);
  EXPECT_THROW((void)engine.jumped(two63), invalid_argument);
  EXPECT_THROW((void)engine.jumped(std::uint64_t{1} << 63), invalid_argument);
  EXPECT_THROW((void)engine.jumped(big_uint(1) << 64), invalid_argument);
  EXPECT_THROW(in_place.jump(std::uint64_t{1} << 63), invalid_argument);
  EXPECT_EQ(in_place, engine);  // a refused jump leaves the generator alone
}

TEST(MT19937, JumpTakesAUsedUpStateAsPosZero) {
  // NumPy's mt19937_jump_state maps pos 624 to 0 without regenerating the words.
  mt19937 used_up = seeded(4);
  (void)used_up.next32();
  ASSERT_EQ(used_up.pos(), 624U);
  const mt19937 at_zero = mt19937::from_key(used_up.key(), 0);
  EXPECT_EQ(used_up.jumped(1), at_zero.jumped(1));
  EXPECT_EQ(used_up.jumped(2), at_zero.jumped(2));
}

TEST(MT19937, JumpMovesPosByTheJumpPolynomialsDegree) {
  // Horner's rule takes one single-word step per coefficient below the leading one; the
  // degree of x^(2^128) mod p(x) is 19933, so pos moves by 19933 mod 624 = 589.
  for (const std::size_t pos : {0U, 1U, 35U, 400U, 623U}) {
    const mt19937 engine = mt19937::from_key(seeded(5).key(), pos);
    EXPECT_EQ(engine.jumped(1).pos(), (pos + 589) % 624) << pos;
  }
}

TEST(MT19937, JumpIsLinearInTheWords) {
  // A jump is a GF(2)-linear map of the 624 words for a given pos.
  const key_type a = seeded(10).key();
  const key_type b = seeded(11).key();
  key_type sum{};
  for (std::size_t i = 0; i < sum.size(); ++i) sum[i] = a[i] ^ b[i];
  const auto ja = mt19937::from_key(a, 17).jumped(1);
  const auto jb = mt19937::from_key(b, 17).jumped(1);
  const auto jsum = mt19937::from_key(sum, 17).jumped(1);
  ASSERT_EQ(ja.pos(), jsum.pos());
  for (std::size_t i = 0; i < sum.size(); ++i) {
    ASSERT_EQ(jsum.key()[i], ja.key()[i] ^ jb.key()[i]) << i;
  }
}

TEST(MT19937, JumpedStreamsDifferAndLeaveTheOriginalAlone) {
  const mt19937 base = seeded(12345);
  const mt19937 copy = base;
  mt19937 jumped = base.jumped();
  EXPECT_EQ(base, copy);
  EXPECT_NE(jumped, base);
  mt19937 original = base;
  std::vector<std::uint32_t> first(2000);
  for (auto& v : first) v = original.next32();
  int equal = 0;
  for (const auto v : first) equal += jumped.next32() == v ? 1 : 0;
  EXPECT_LT(equal, 5);
}

TEST(MT19937, JumpedStatesMatchNumPy) {
  // NumPy 1.24's MT19937(...).jumped(J).state, from scripts/gen_golden.py.
  const auto golden = testing::load_golden("bit_generators.jsonl");
  int checked = 0;
  for (const auto& c : golden.cases) {
    if (c.at("bitgen") != "MT19937" || !c.contains("jumped")) continue;
    SCOPED_TRACE(testing::describe_case(c));
    mt19937 engine(testing::seed_sequence_from_json(c.at("seed")));
    const auto pre = c.value("pre_u32", std::uint64_t{0});
    for (std::uint64_t i = 0; i < pre; ++i) (void)engine.next32();
    // Counts from -2^63 to 2^63 - 1 (NumPy's C long); negative ones jump zero times.
    engine.jump(c.at("jumped").get<std::int64_t>());
    EXPECT_EQ(engine.state_json(), dump_json(c.at("initial_state")));
    EXPECT_EQ(engine.next_raw(), c.at("raw").at(0).get<std::uint64_t>());
    ++checked;
  }
  EXPECT_GE(checked, 4);
}

TEST(MT19937, StateDictHasNumPysLayoutAndRoundTrips) {
  mt19937 engine = seeded(0);
  const std::string text = engine.state_json();
  EXPECT_EQ(text.rfind(R"({"bit_generator": "MT19937", "state": {"key": [2147483648, )", 0), 0U)
      << text.substr(0, 80);
  EXPECT_EQ(text.substr(text.size() - 15), R"(], "pos": 623}})");
  for (int i = 0; i < 1000; ++i) (void)engine.next32();
  const mt19937 restored = mt19937::from_state_json(engine.state_json());
  EXPECT_EQ(restored, engine);
  mt19937 a = restored;
  for (int i = 0; i < 1300; ++i) ASSERT_EQ(a.next32(), engine.next32()) << i;
  mt19937 other = seeded(1);
  other.set_state_json(engine.state_json());
  EXPECT_EQ(other, engine);
}

TEST(MT19937, MalformedStatesAreRefused) {
  const auto words = [](std::size_t n, const std::string& last) {
    std::string out = "[";
    for (std::size_t i = 0; i + 1 < n; ++i) out += std::to_string(i) + ", ";
    return out + last + "]";
  };
  const auto doc = [](const std::string& name, const std::string& key, const std::string& pos) {
    return R"({"bit_generator": )" + name + R"(, "state": {"key": )" + key + R"(, "pos": )" + pos +
           "}}";
  };
  const std::string name = "\"MT19937\"";
  mt19937 engine = seeded(2);
  ASSERT_NO_THROW(engine.set_state_json(doc(name, words(624, "4294967295"), "624")));
  EXPECT_EQ(engine.key()[623], 4294967295U);
  EXPECT_EQ(engine.pos(), 624U);
  const mt19937 before = engine;
  const std::array bad = {
      doc("\"Philox\"", words(624, "1"), "0"),
      doc(name, words(623, "1"), "0"),
      doc(name, words(625, "1"), "0"),
      doc(name, words(624, "4294967296"), "0"),
      doc(name, words(624, "-1"), "0"),
      doc(name, words(624, "1.5"), "0"),
      doc(name, words(624, "1"), "625"),
      doc(name, words(624, "1"), "-1"),
      doc(name, words(624, "1"), "\"0\""),
      std::string(R"({"bit_generator": "MT19937", "state": {"key": [1, 2]}})"),
      std::string(R"({"bit_generator": "MT19937", "state": {"pos": 0}})"),
      std::string(R"({"bit_generator": "MT19937"})"),
      std::string("[]"),
  };
  for (const auto& text : bad) {
    EXPECT_THROW(engine.set_state_json(text), invalid_argument) << text.substr(0, 60);
    EXPECT_EQ(engine, before) << "a refused state changed the generator";
  }
  try {
    engine.set_state_json(doc(name, words(624, "1"), "625"));
    ADD_FAILURE() << "pos 625 accepted";
  } catch (const invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("pos"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("625"), std::string::npos) << e.what();
  }
  EXPECT_THROW((void)mt19937::from_key(key_type{}, 625), invalid_argument);
  EXPECT_NO_THROW((void)mt19937::from_key(key_type{}, 624));
}

}  // namespace
}  // namespace streamalloc
