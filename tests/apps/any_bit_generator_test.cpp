// any_bit_generator, the run-time choice of engine behind `streamalloc generate`: every member
// forwards to the held engine exactly (the engines' own NumPy agreement is tested in tests/core),
// state documents pick the right engine, and missing operations are refused.
#include <gtest/gtest.h>

#include <array>
#include <string>
#include <vector>

#include "streamalloc/any_bit_generator.hpp"
#include "streamalloc/error.hpp"

namespace streamalloc {
namespace {

constexpr std::array<bit_generator_kind, 5> kinds = {
    bit_generator_kind::pcg64, bit_generator_kind::pcg64dxsm, bit_generator_kind::philox,
    bit_generator_kind::sfc64, bit_generator_kind::mt19937};

seed_sequence test_sequence() { return seed_sequence(seed_entropy(20240607), {big_uint(3)}); }

// The engine of `kind` built directly, to compare the wrapper with.
template <class Check>
void with_engine(bit_generator_kind kind, const seed_sequence& seq, Check&& check) {
  switch (kind) {
    case bit_generator_kind::pcg64: return check(pcg64(seq));
    case bit_generator_kind::pcg64dxsm: return check(pcg64_dxsm(seq));
    case bit_generator_kind::philox: return check(philox(seq));
    case bit_generator_kind::sfc64: return check(sfc64(seq));
    case bit_generator_kind::mt19937: return check(mt19937(seq));
  }
}

TEST(AnyBitGenerator, NamesRoundTrip) {
  for (const auto kind : kinds) {
    EXPECT_EQ(parse_bit_generator_kind(to_string(kind), "test"), kind);
  }
  EXPECT_THROW(any_bit_generator("xorshift", test_sequence()), invalid_argument);
  EXPECT_EQ(numpy_name(bit_generator_kind::pcg64), "PCG64");
  EXPECT_EQ(numpy_name(bit_generator_kind::pcg64dxsm), "PCG64DXSM");
  EXPECT_EQ(numpy_name(bit_generator_kind::philox), "Philox");
  EXPECT_EQ(numpy_name(bit_generator_kind::sfc64), "SFC64");
  EXPECT_EQ(numpy_name(bit_generator_kind::mt19937), "MT19937");
  try {
    parse_bit_generator_kind("Philox", "--bitgen");
    ADD_FAILURE() << "expected invalid_argument";
  } catch (const invalid_argument& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("--bitgen"), std::string::npos) << message;
    EXPECT_NE(message.find("'Philox'"), std::string::npos) << message;
  }
}

TEST(AnyBitGenerator, SingleDrawsForwardToTheEngine) {
  const seed_sequence seq = test_sequence();
  for (const auto kind : kinds) {
    SCOPED_TRACE(std::string(to_string(kind)));
    any_bit_generator gen(kind, seq);
    EXPECT_EQ(gen.kind(), kind);
    EXPECT_EQ(any_bit_generator(to_string(kind), seq).state_json(), gen.state_json());
    with_engine(kind, seq, [&](auto engine) {
      for (int i = 0; i < 700; ++i) {  // past MT19937's 624-word block
        ASSERT_EQ(gen.next_raw(), engine.next_raw());
        ASSERT_EQ(gen.next32(), engine.next32());
        ASSERT_EQ(gen.next64(), engine.next64());
        ASSERT_EQ(gen.next_double(), engine.next_double());
      }
      EXPECT_EQ(gen.state_json(), engine.state_json());
    });
  }
}

TEST(AnyBitGenerator, FillsEqualSingleDraws) {
  const seed_sequence seq = test_sequence();
  for (const auto kind : kinds) {
    SCOPED_TRACE(std::string(to_string(kind)));
    any_bit_generator bulk(kind, seq);
    any_bit_generator single(kind, seq);
    std::vector<std::uint32_t> u32(333);
    bulk.fill(u32);  // odd count: leaves a buffered half behind for the 64-bit generators
    for (const auto v : u32) ASSERT_EQ(v, single.next32());
    std::vector<std::uint64_t> raw(1001);
    bulk.fill_raw(raw);
    for (const auto v : raw) ASSERT_EQ(v, single.next_raw());
    std::vector<double> real(257);
    bulk.fill(real);
    for (const auto v : real) ASSERT_EQ(v, single.next_double());
    EXPECT_EQ(bulk.state_json(), single.state_json());
  }
}

TEST(AnyBitGenerator, Mt19937RawIsOne32BitDraw) {
  const seed_sequence seq = test_sequence();
  any_bit_generator gen(bit_generator_kind::mt19937, seq);
  mt19937 engine(seq);
  std::vector<std::uint64_t> raw(10);
  gen.fill_raw(raw);
  for (const auto v : raw) EXPECT_EQ(v, std::uint64_t{engine.next32()});
}

TEST(AnyBitGenerator, StateDocumentsPickTheirEngine) {
  const seed_sequence seq = test_sequence();
  for (const auto kind : kinds) {
    SCOPED_TRACE(std::string(to_string(kind)));
    any_bit_generator gen(kind, seq);
    gen.next32();  // a buffered half (or MT19937 position) in the state
    const any_bit_generator restored = any_bit_generator::from_state_json(gen.state_json());
    EXPECT_EQ(restored.kind(), kind);
    EXPECT_EQ(restored.state_json(), gen.state_json());
  }
  EXPECT_THROW(any_bit_generator::from_state_json(R"({"bit_generator": "Xorshift"})"),
               invalid_argument);
  EXPECT_THROW(any_bit_generator::from_state_json(R"({"bit_generator": 5})"), invalid_argument);
  EXPECT_THROW(any_bit_generator::from_state_json(R"({"state": {}})"), invalid_argument);
  EXPECT_THROW(any_bit_generator::from_state_json("{"), invalid_argument);
  EXPECT_THROW(any_bit_generator::from_state_json(R"({"bit_generator": "PCG64"})"),
               invalid_argument);
}

TEST(AnyBitGenerator, AdvanceAndJumpedForwardToTheEngine) {
  const seed_sequence seq = test_sequence();
  const big_uint far = big_uint::parse("0x123456789abcdef0123456789abcdef012345", "test");
  {
    any_bit_generator gen(bit_generator_kind::pcg64, seq);
    pcg64 engine(seq);
    gen.advance(far).retreat(5);
    engine.advance(far).retreat(5);
    EXPECT_EQ(gen.state_json(), engine.state_json());
    EXPECT_EQ(gen.jumped(7).state_json(), engine.jumped(7).state_json());
    EXPECT_EQ(gen.jumped_back(far).state_json(), engine.jumped_back(far).state_json());
    EXPECT_EQ(gen.jumped_back(7).state_json(), engine.jumped(-7).state_json());
  }
  {
    any_bit_generator gen(bit_generator_kind::philox, seq);
    philox engine(seq);
    gen.advance(far);
    engine.advance(far);
    gen.retreat(3);
    engine.retreat(3);
    EXPECT_EQ(gen.state_json(), engine.state_json());
    EXPECT_EQ(gen.jumped(far).state_json(), engine.jumped(far).state_json());
    EXPECT_EQ(gen.jumped_back(far).state_json(), engine.jumped_back(far).state_json());
  }
  {
    const any_bit_generator gen(bit_generator_kind::mt19937, seq);
    EXPECT_EQ(gen.jumped(2).state_json(), mt19937(seq).jumped(2).state_json());
    EXPECT_THROW(gen.jumped(big_uint(1) << 64), invalid_argument);
    EXPECT_THROW(gen.jumped(big_uint(1) << 63), invalid_argument);  // NumPy: OverflowError
    EXPECT_EQ(gen.jumped_back(big_uint(1) << 63).state_json(), gen.state_json());
    EXPECT_THROW(gen.jumped_back((big_uint(1) << 63) + big_uint(1)), invalid_argument);
  }
}

TEST(AnyBitGenerator, MissingOperationsAreRefused) {
  const seed_sequence seq = test_sequence();
  any_bit_generator sfc(bit_generator_kind::sfc64, seq);
  any_bit_generator mt(bit_generator_kind::mt19937, seq);
  EXPECT_THROW(sfc.advance(1), invalid_argument);
  EXPECT_THROW(sfc.retreat(1), invalid_argument);
  EXPECT_THROW((void)sfc.jumped(1), invalid_argument);
  EXPECT_THROW((void)sfc.jumped_back(1), invalid_argument);
  EXPECT_THROW(mt.advance(1), invalid_argument);
  EXPECT_THROW(mt.retreat(1), invalid_argument);
  for (const auto kind : kinds) {
    const bool has_advance =
        kind != bit_generator_kind::sfc64 && kind != bit_generator_kind::mt19937;
    EXPECT_EQ(supports_advance(kind), has_advance);
    EXPECT_EQ(supports_jumped(kind), kind != bit_generator_kind::sfc64);
  }
}

}  // namespace
}  // namespace streamalloc
