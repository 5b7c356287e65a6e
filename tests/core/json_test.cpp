// Exact big-integer JSON: NumPy state dicts must survive a parse/dump round trip bit for bit.
#include "streamalloc/json.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <string>

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
  for (const char* bad :
       {"-1", "-123456789012345678901234567890", "1.5", "\"7\"", "null", "[1]", "true"}) {
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

// ---- bad input (issue 12): each test is a row of the README's bad-input table ----

std::string nested(std::size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }

std::string what_of_parse(const std::string& text) {
  try {
    (void)parse_json(text, "state file");
  } catch (const invalid_argument& e) {
    return e.what();
  }
  return "";
}

TEST(Json, DeepNestingIsAClearErrorNotAStackOverflow) {
  // 10^5 levels crashed the reader and every message that printed the value (probe of main).
  EXPECT_NO_THROW((void)parse_json(nested(max_json_depth), "t"));
  for (const std::size_t depth : {max_json_depth + 1, std::size_t{50'000}, std::size_t{100'000}}) {
    const std::string message = what_of_parse(nested(depth));
    EXPECT_NE(message.find("nested deeper than 256 levels"), std::string::npos) << message;
    EXPECT_LT(message.size(), 200U);
  }
  const std::string objects = [] {
    std::string text;
    for (int i = 0; i < 100'000; ++i) text += "{\"task\": ";
    return text + "1" + std::string(100'000, '}');
  }();
  EXPECT_NE(what_of_parse(objects).find("nested deeper"), std::string::npos);
}

TEST(Json, MessagesQuoteOnlyTheStartOfAValue) {
  // A 10^5-digit integer gave a ~100 KB error line; a deep value was printed recursively.
  const json big = parse_json(std::string(100'000, '7'), "t");
  for (const auto& call : {std::function<void()>([&] { (void)json_to_u64(big, "field 'x'"); }),
                           std::function<void()>([&] { (void)json_to_u64(big, "f", 5); })}) {
    try {
      call();
      ADD_FAILURE() << "accepted";
    } catch (const invalid_argument& e) {
      EXPECT_LT(std::string(e.what()).size(), 200U) << e.what();
    }
  }
  const json deep = parse_json(nested(max_json_depth), "t");
  const std::string text = describe_json(deep);
  EXPECT_EQ(text, std::string(57, '[') + "...");
  EXPECT_THROW((void)json_field(deep, "task", "checkpoint"), invalid_argument);
  const json wide = parse_json("[" + std::string(1'000'000, '1') + "]", "t");
  EXPECT_LE(describe_json(wide).size(), 60U);
}

TEST(Json, IntegerLiteralsOfAnyLengthRoundTrip) {
  // 309 digits and up overflowed nlohmann's double conversion: "number overflow" on read-back
  // of a manifest that we had written.
  for (const std::size_t digits :
       {std::size_t{1}, std::size_t{19}, std::size_t{20}, std::size_t{308}, std::size_t{309},
        std::size_t{400}, std::size_t{10'000}}) {
    const std::string literal = "9" + std::string(digits - 1, '1');
    const std::string text = "{\"root\": " + literal + ", \"list\": [" + literal + ", 1]}";
    const json doc = parse_json(text, "t");
    EXPECT_EQ(dump_json(doc), text) << digits;
    EXPECT_EQ(json_to_big(doc["root"], "root"), big_uint::parse(literal, "x")) << digits;
    EXPECT_EQ(dump_json(big_to_json(big_uint::parse(literal, "x"))), literal);
  }
  EXPECT_EQ(dump_json(parse_json("-" + std::string(400, '3'), "t")), "-" + std::string(400, '3'));
}

TEST(Json, FloatsOutsideTheDoubleRangeAreRefused) {
  EXPECT_NE(what_of_parse("[1e400]").find("outside the range of a double"), std::string::npos);
  EXPECT_NE(what_of_parse("-1.5e99999").find("outside the range"), std::string::npos);
  EXPECT_EQ(parse_json("[1e-400, 2.5, -0.0]", "t").size(), 3U);
}

TEST(Json, StringsAreCheckedAndEscapedLikePython) {
  // json.dumps("\u00e9\U0001f600\x01") == '"\\u00e9\\ud83d\\ude00\\u0001"'
  const json doc = parse_json(R"(["\u00e9\ud83d\ude00\u0001", "\u00E9"])", "t");
  EXPECT_EQ(doc[0].get<std::string>(), "\xC3\xA9\xF0\x9F\x98\x80\x01");
  EXPECT_EQ(dump_json(doc), R"(["\u00e9\ud83d\ude00\u0001", "\u00e9"])");
  EXPECT_EQ(parse_json("\"\xC3\xA9\"", "t").get<std::string>(), "\xC3\xA9");
  for (const char* bad : {"\"\\ud83d\"",
                          "\"\\ude00\"",
                          "\"\\x\"",
                          "\"\x01\"",
                          "\"\xC3\"",
                          "\"\xC0\x80\"",
                          "\"\xED\xA0\x80\"",
                          "\"\xF5\x80\x80\x80\"",
                          "\"abc",
                          "\"\\u12\"",
                          "[1,]",
                          "{\"a\" 1}",
                          "{1: 2}",
                          "01",
                          "1.",
                          "-",
                          "1e",
                          "[1] x",
                          "tru",
                          "{\"$streamalloc.big_integer\": \"5\"}"}) {
    EXPECT_NE(what_of_parse(bad).find("not valid JSON"), std::string::npos) << bad;
  }
}

TEST(Json, DuplicateKeysKeepTheLastValueAsPythonDoes) {
  EXPECT_EQ(dump_json(parse_json(R"({"a": 1, "b": 2, "a": 3})", "t")), R"({"a": 3, "b": 2})");
  std::string many = "{";
  for (int i = 0; i < 40; ++i)
    many += "\"k" + std::to_string(i) + "\": " + std::to_string(i) + ", ";
  many += R"("k3": -3, "k30": -30})";
  const json doc = parse_json(many, "t");
  EXPECT_EQ(doc.size(), 40U);
  EXPECT_EQ(doc["k3"], -3);
  EXPECT_EQ(doc["k30"], -30);
  EXPECT_EQ(doc.begin().key(), "k0");
}

TEST(Json, ObjectsWithManyKeysParseInLinearTime) {
  // ordered_json's own key lookup is linear: 2 * 10^5 keys were 2 * 10^10 comparisons.
  std::string text = "{";
  for (int i = 0; i < 200'000; ++i) text += (i == 0 ? "\"" : ", \"") + std::to_string(i) + "\": 0";
  text += "}";
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(parse_json(text, "t").size(), 200'000U);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
}

}  // namespace
}  // namespace streamalloc::detail
