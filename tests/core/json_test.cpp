// Exact big-integer JSON: NumPy state dicts must survive a parse/dump round trip bit for bit.
#include "streamalloc/json.hpp"

#include <gtest/gtest.h>

#include "streamalloc/error.hpp"

namespace streamalloc::detail {
namespace {

TEST(Json, IntegersBeyondSixtyFourBitsAreKeptExactly) {
  // 2^128 - 1 is the all-ones 128-bit value; a double could not hold it.
  const std::string text = R"({"state": 340282366920938463463374607431768211455, "small": 5})";
  const json doc = parse_json(text, "test");
  EXPECT_EQ(json_to_big(doc["state"], "state"), big_uint::from_uint128(~uint128{0}));
  EXPECT_EQ(json_to_u64(doc["small"], "small"), 5U);
}

TEST(Json, DumpMatchesPythonJsonDumpsLayout) {
  // Python: json.dumps({"a": 1, "b": [1, 2], "c": {"d": "x"}, "e": []}) gives exactly this.
  const std::string text = R"({"a": 1, "b": [1, 2], "c": {"d": "x"}, "e": [], "f": {}})";
  EXPECT_EQ(dump_json(parse_json(text, "test")), text);
  const std::string big = R"({"state": 123456789012345678901234567890, "neg": -5})";
  EXPECT_EQ(dump_json(parse_json(big, "test")), big);
}

TEST(Json, IndentedDumpMatchesPythonIndentLayout) {
  const json doc = parse_json(R"({"a": [1, 2], "b": 3})", "test");
  EXPECT_EQ(dump_json(doc, 2), "{\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": 3\n}");
}

TEST(Json, BigToJsonRoundTrips) {
  for (const char* value : {"0", "18446744073709551615", "18446744073709551616",
                            "1606938044258990275541962092341162602522202993782792835301376"}) {
    const big_uint big = big_uint::parse(value, "x");
    const json encoded = big_to_json(big);
    EXPECT_EQ(dump_json(encoded), value);
    EXPECT_EQ(json_to_big(parse_json(dump_json(encoded), "t"), "x"), big);
  }
}

TEST(Json, NonIntegersAndNegativesAreRejectedWithTheFieldNamed) {
  for (const char* bad : {"-1", "-123456789012345678901234567890", "1.5", "\"7\"", "null",
                          "[1]", "true"}) {
    try {
      (void)json_to_big(parse_json(bad, "t"), "field 'inc'");
      ADD_FAILURE() << "accepted " << bad;
    } catch (const invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find("field 'inc'"), std::string::npos) << e.what();
    }
  }
}

TEST(Json, RangeChecksNameTheLimit) {
  const json doc = parse_json("[4294967296]", "t");
  EXPECT_THROW((void)json_to_u64(doc[0], "uinteger", UINT32_MAX), invalid_argument);
  EXPECT_EQ(json_to_u64(doc[0], "x"), 4294967296U);
}

TEST(Json, SyntaxErrorsAreInvalidArgument) {
  for (const char* bad : {"", "{", "{\"a\": }", "[1, 2", "nan"}) {
    EXPECT_THROW((void)parse_json(bad, "state file"), invalid_argument) << bad;
  }
}

TEST(Json, MissingFieldIsNamed) {
  const json doc = parse_json(R"({"a": 1})", "t");
  try {
    (void)json_field(doc, "state", "PCG64 state");
    FAIL() << "no exception";
  } catch (const invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("'state'"), std::string::npos);
  }
}

}  // namespace
}  // namespace streamalloc::detail
