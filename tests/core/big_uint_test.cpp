// big_uint: parsing, printing and modular reduction, checked by arithmetic identities.
#include "streamalloc/big_uint.hpp"

#include <gtest/gtest.h>

#include <string>

#include "streamalloc/error.hpp"

namespace streamalloc {
namespace {

big_uint pow2(std::size_t bits) { return big_uint(1) << bits; }

TEST(BigUint, DecimalAndHexDenoteTheSameValue) {
  EXPECT_EQ(big_uint::parse("18446744073709551616", "x"), pow2(64));
  EXPECT_EQ(big_uint::parse("0x10000000000000000", "x"), pow2(64));
  EXPECT_EQ(big_uint::parse("0XdeadBEEF", "x"), big_uint(0xdeadbeefULL));
  EXPECT_EQ(big_uint::parse("000123", "x"), big_uint(123));
  EXPECT_EQ(big_uint::parse("0", "x"), big_uint());
  EXPECT_TRUE(big_uint::parse("0x0", "x").is_zero());
}

TEST(BigUint, PrintingRoundTripsThroughParsing) {
  for (std::size_t bits : {0U, 1U, 31U, 32U, 63U, 64U, 65U, 127U, 128U, 130U, 255U, 1000U}) {
    const big_uint value = pow2(bits) + big_uint(12345);
    EXPECT_EQ(big_uint::parse(value.to_string(), "x"), value) << bits;
    EXPECT_EQ(big_uint::parse(value.to_hex(), "x"), value) << bits;
  }
  EXPECT_EQ(big_uint(0).to_string(), "0");
  EXPECT_EQ(big_uint(0).to_hex(), "0x0");
  EXPECT_EQ(big_uint(1000000000).to_string(), "1000000000");
  EXPECT_EQ(pow2(100).to_hex(), "0x1" + std::string(25, '0'));
}

TEST(BigUint, DecimalPrintingMatchesRepeatedDoubling) {
  // 2^k in decimal built by schoolbook doubling of a digit string.
  std::string digits = "1";
  for (std::size_t k = 1; k <= 300; ++k) {
    int carry = 0;
    for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
      const int d = (*it - '0') * 2 + carry;
      *it = static_cast<char>('0' + d % 10);
      carry = d / 10;
    }
    if (carry != 0) digits.insert(digits.begin(), static_cast<char>('0' + carry));
    ASSERT_EQ(pow2(k).to_string(), digits) << k;
  }
}

TEST(BigUint, BitLengthAndWords) {
  EXPECT_EQ(big_uint().bit_length(), 0U);
  EXPECT_EQ(big_uint(1).bit_length(), 1U);
  EXPECT_EQ(pow2(64).bit_length(), 65U);
  EXPECT_EQ(pow2(64).words(), (std::vector<std::uint32_t>{0, 0, 1}));
  EXPECT_TRUE(big_uint().words().empty());
}

TEST(BigUint, ReductionModuloPowersOfTwo) {
  const big_uint value = pow2(130) + pow2(64) + big_uint(7);
  EXPECT_EQ(value.low_u64(), 7U);
  EXPECT_EQ(value.low_u128(), make_uint128(1, 7));
  EXPECT_EQ(value.low_u64_words(3), (std::vector<std::uint64_t>{7, 1, 4}));
  EXPECT_EQ(value.low_u64_words(1), (std::vector<std::uint64_t>{7}));
  EXPECT_FALSE(value.fits_u64());
  EXPECT_TRUE(big_uint(UINT64_MAX).fits_u64());
}

TEST(BigUint, AdditionCarriesAcrossWords) {
  EXPECT_EQ(big_uint(UINT64_MAX) + big_uint(1), pow2(64));
  EXPECT_EQ(pow2(200) + pow2(200), pow2(201));
}

TEST(BigUint, NegationModuloPowerOfTwoIsAdditiveInverse) {
  for (std::size_t bits : {64U, 128U, 256U}) {
    for (const big_uint& x : {big_uint(1), big_uint(12345), pow2(bits - 1) + big_uint(3)}) {
      const big_uint negated = x.negated_modulo_pow2(bits);
      const big_uint sum = x + negated;
      EXPECT_EQ(sum, pow2(bits)) << bits << " " << x.to_string();
    }
    EXPECT_TRUE(big_uint().negated_modulo_pow2(bits).is_zero());
  }
}

TEST(BigUint, OrderingIsNumeric) {
  EXPECT_LT(big_uint(5), big_uint(6));
  EXPECT_LT(big_uint(UINT64_MAX), pow2(64));
  EXPECT_GT(pow2(65), pow2(64) + big_uint(UINT64_MAX));
}

TEST(BigUint, BadTextIsRejectedWithTheValueNamed) {
  for (const char* bad : {"", "-5", "1.5", "abc", "0x", "0xg1", "12 3", "+7", "1e5"}) {
    try {
      (void)big_uint::parse(bad, "--seed");
      ADD_FAILURE() << "accepted '" << bad << "'";
    } catch (const invalid_argument& e) {
      const std::string message = e.what();
      EXPECT_NE(message.find("--seed"), std::string::npos) << message;
      EXPECT_NE(message.find(std::string("'") + bad + "'"), std::string::npos) << message;
    }
  }
}

TEST(BigUint, ChunkedParsingAgreesWithDigitByDigitArithmetic) {
  // parse() takes 9 decimal or 7 hex digits at a time; lengths around the chunk sizes.
  for (std::size_t n = 1; n <= 40; ++n) {
    big_uint expected_dec, expected_hex;
    std::string dec, hex = "0x";
    for (std::size_t i = 0; i < n; ++i) {
      const auto d = static_cast<std::uint32_t>((i * 7 + 3) % 10);
      const auto h = static_cast<std::uint32_t>((i * 5 + 11) % 16);
      dec.push_back(static_cast<char>('0' + d));
      hex.push_back("0123456789abcdef"[h]);
      big_uint ten_times = expected_dec;
      for (int k = 1; k < 10; ++k) ten_times += expected_dec;
      expected_dec = ten_times + big_uint(d);
      expected_hex = (expected_hex << 4) + big_uint(h);
    }
    EXPECT_EQ(big_uint::parse(dec, "x"), expected_dec) << dec;
    EXPECT_EQ(big_uint::parse(hex, "x"), expected_hex) << hex;
  }
}

TEST(BigUint, LengthIsCappedAndMessagesQuoteOnlyTheStart) {
  const std::string at_cap(big_uint::max_digits, '9');
  EXPECT_EQ(big_uint::parse(at_cap, "x").to_string(), at_cap);
  for (const std::string& bad :
       {std::string(big_uint::max_digits + 1, '9'), std::string(1'000'000, '1') + "x"}) {
    try {
      (void)big_uint::parse(bad, "--seed");
      ADD_FAILURE() << "accepted " << bad.size() << " characters";
    } catch (const invalid_argument& e) {
      const std::string what = e.what();
      EXPECT_LT(what.size(), 200U) << what;
      EXPECT_NE(what.find("--seed"), std::string::npos);
    }
  }
}

}  // namespace
}  // namespace streamalloc
