// stream_set snapshots on disk: the CRC-32C against published check values, lossless JSON and
// binary round trips, NumPy state dicts in the JSON form, restarts from either form, and every
// kind of bad input (truncation at every length, every byte flipped, foreign files, newer
// versions, inconsistent JSON) refused with a clear error.
#include "streamalloc/stream_set/snapshot.hpp"

#include <gtest/gtest.h>

#include <bit>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "support/expect_error.hpp"
#include "streamalloc/any_bit_generator.hpp"
#include "streamalloc/error.hpp"
#include "streamalloc/pcg64.hpp"
#include "streamalloc/stream_set/stream_set.hpp"
#include "streamalloc/crc32c.hpp"
#include "support/golden.hpp"

namespace streamalloc {

// A user-defined distribution: make<Dist>() works for it once distribution_traits says how to
// describe it.
struct shifted_random {
  using result_type = double;
  double shift = 0.0;

  explicit shifted_random(double s) : shift(s) {}
  template <class G>
  double operator()(G& gen) const {
    return shift + random(gen);
  }
  template <class G>
  void fill(G& gen, std::span<double> out) const {
    for (double& v : out) v = (*this)(gen);
  }
};

template <>
struct distribution_traits<shifted_random> {
  static distribution_description describe(const shifted_random& d) {
    return {"shifted_random", {{"shift", d.shift}, {"tag", std::string("user")}}};
  }
};

namespace {

using testing::expect_error;
using testing::json;

std::vector<std::byte> bytes_of(std::string_view text) {
  std::vector<std::byte> out;
  for (const char c : text) out.push_back(static_cast<std::byte>(c));
  return out;
}

// A set with a variable on every family and a parameter of every kind.
struct fixture_set {
  stream_set set;
  stream_variable<normal_distribution> normal;
  stream_variable<integers_distribution<std::uint64_t>> wide;   // uint64, bool, string
  stream_variable<integers_distribution<std::int32_t>> narrow;  // negative int64
  stream_variable<multinomial_distribution> multinomial;        // list of doubles
  stream_variable<exponential_distribution> exponential;
  stream_variable<normal_distribution> infinite;  // non-finite double
  stream_variable<shifted_random> custom;

  explicit fixture_set(seed_sequence meta)
      : set(std::move(meta)),
        normal(set.normal(0.25, 3.0)),
        wide(set.make_on<integers_distribution<std::uint64_t>>(
            bit_generator_kind::pcg64dxsm, 0, std::numeric_limits<std::uint64_t>::max(), true)),
        narrow(
            set.make_on<integers_distribution<std::int32_t>>(bit_generator_kind::philox, -9, 99)),
        multinomial(set.make_on<multinomial_distribution>(bit_generator_kind::sfc64, 4,
                                                          std::vector<double>{0.5, 0.5})),
        exponential(set.make_on<exponential_distribution>(bit_generator_kind::mt19937, 2.0)),
        infinite(set.normal(std::numeric_limits<double>::infinity(), 1.0)),
        custom(set.make<shifted_random>(-4.0)) {}

  std::vector<double> draw() {
    std::vector<double> out;
    for (int i = 0; i < 5; ++i) {
      out.push_back(normal());
      out.push_back(static_cast<double>(wide() >> 11));
      out.push_back(narrow());  // an odd number of 32-bit draws: a half word stays buffered
      for (const auto c : multinomial()) out.push_back(static_cast<double>(c));
      out.push_back(exponential());
      out.push_back(infinite());
      out.push_back(custom());
    }
    return out;
  }
};

seed_sequence plain_meta() { return seed_sequence(seed_entropy(5)); }
seed_sequence rich_meta() {
  return seed_sequence(
      seed_entropy::list({big_uint(1), big_uint::parse("0x" + std::string(40, 'f'), "entropy")}),
      {big_uint(3), big_uint::parse("123456789012345678901234567890", "key")}, 6, 11);
}

// A snapshot whose "before" and "now" differ: taken after some draws.
stream_set_snapshot drawn_snapshot(fixture_set& f) {
  f.draw();
  f.set.snapshot();
  f.draw();
  return f.set.snapshot();
}

// Recomputes the frame's length and CRC after a test has edited the bytes.
void reseal(std::vector<std::byte>& bytes) {
  const std::uint64_t length = bytes.size() - 28;
  for (std::size_t i = 0; i < 8; ++i) {
    bytes[16 + i] = static_cast<std::byte>(length >> (8 * i));
  }
  const std::uint32_t crc =
      streamalloc::crc32c(std::span<const std::byte>(bytes).first(bytes.size() - 4));
  for (std::size_t i = 0; i < 4; ++i) {
    bytes[bytes.size() - 4 + i] = static_cast<std::byte>(crc >> (8 * i));
  }
}

void put_u32(std::vector<std::byte>& bytes, std::size_t offset, std::uint32_t value) {
  for (std::size_t i = 0; i < 4; ++i) bytes[offset + i] = static_cast<std::byte>(value >> (8 * i));
}

// ---------------------------------------------------------------------------------------------

TEST(StreamSetChecksum, Crc32cPublishedCheckValues) {
  // The standard check value, and the four 32-byte vectors of RFC 3720, appendix B.4.
  EXPECT_EQ(streamalloc::crc32c(bytes_of("123456789")), 0xE3069283U);
  std::vector<std::byte> zeros(32, std::byte{0});
  std::vector<std::byte> ones(32, std::byte{0xFF});
  std::vector<std::byte> up(32);
  std::vector<std::byte> down(32);
  for (std::size_t i = 0; i < 32; ++i) {
    up[i] = static_cast<std::byte>(i);
    down[i] = static_cast<std::byte>(31 - i);
  }
  EXPECT_EQ(streamalloc::crc32c(zeros), 0x8A9136AAU);
  EXPECT_EQ(streamalloc::crc32c(ones), 0x62A8AB43U);
  EXPECT_EQ(streamalloc::crc32c(up), 0x46DD794EU);
  EXPECT_EQ(streamalloc::crc32c(down), 0x113FDB5CU);
  EXPECT_EQ(streamalloc::crc32c({}), 0U);
  // In pieces.
  const auto all = bytes_of("123456789");
  const std::span<const std::byte> whole(all);
  EXPECT_EQ(streamalloc::crc32c(whole.subspan(4), streamalloc::crc32c(whole.first(4))),
            0xE3069283U);
}

TEST(StreamSetSnapshot, JsonRoundTripIsLossless) {
  for (auto meta : {plain_meta(), rich_meta()}) {
    fixture_set f(meta);
    const auto snapshot = drawn_snapshot(f);
    ASSERT_FALSE(same_state(snapshot.variables[0].before, snapshot.variables[0].now));
    const std::string text = to_json(snapshot);
    const auto back = snapshot_from_json(text);
    EXPECT_EQ(back, snapshot);
    EXPECT_EQ(to_json(back), text);
    EXPECT_EQ(snapshot_from_json(to_json(snapshot, 2)), snapshot);
    EXPECT_NE(to_json(snapshot, 2), text);
  }
}

TEST(StreamSetSnapshot, BinaryRoundTripIsLossless) {
  for (auto meta : {plain_meta(), rich_meta()}) {
    fixture_set f(meta);
    const auto snapshot = drawn_snapshot(f);
    const auto bytes = to_bytes(snapshot);
    const auto back = snapshot_from_bytes(bytes);
    EXPECT_EQ(back, snapshot);
    EXPECT_EQ(to_bytes(back), bytes);
    EXPECT_EQ(back, snapshot_from_json(to_json(snapshot)));
  }
}

TEST(StreamSetSnapshot, JsonCarriesNumPyStateDictsAndTheMetaSeed) {
  fixture_set f(rich_meta());
  const auto snapshot = drawn_snapshot(f);
  const json document = parse_json(to_json(snapshot), "snapshot");
  EXPECT_EQ(document.at("format").get<std::string>(), "streamalloc.stream_set_snapshot");
  EXPECT_EQ(document.at("version").get<int>(), 1);
  EXPECT_EQ(dump_json(document.at("meta_seed")), rich_meta().state_json());

  const std::vector<const any_bit_generator*> generators = {
      &f.normal.generator(),      &f.wide.generator(),        &f.narrow.generator(),
      &f.multinomial.generator(), &f.exponential.generator(), &f.infinite.generator(),
      &f.custom.generator()};
  const auto& variables = document.at("variables");
  ASSERT_EQ(variables.size(), generators.size());
  for (std::size_t k = 0; k < generators.size(); ++k) {
    SCOPED_TRACE("variable " + std::to_string(k));
    const std::string now = dump_json(variables[k].at("now"));
    EXPECT_EQ(now, generators[k]->state_json());
    // The existing state-dict reader gives back the same generator.
    EXPECT_TRUE(same_state(any_bit_generator::from_state_json(now), *generators[k]));
    EXPECT_TRUE(same_state(any_bit_generator::from_state_json(dump_json(variables[k].at("before"))),
                           snapshot.variables[k].before));
    EXPECT_EQ(variables[k].at("family").get<std::string>(), to_string(generators[k]->kind()));
    EXPECT_EQ(variables[k].at("index").get<std::size_t>(), k);
  }
  // PCG64's 128-bit state stays exact.
  EXPECT_TRUE(pcg64::from_state_json(dump_json(variables[0].at("now"))) ==
              std::get<pcg64>(f.normal.generator().engine()));
  // Parameters as the Generator method takes them; infinity as a string.
  EXPECT_EQ(dump_json(variables[1].at("distribution")),
            "{\"name\": \"integers\", \"parameters\": {\"low\": 0, \"high\": "
            "18446744073709551615, \"endpoint\": true, \"dtype\": \"uint64\"}}");
  EXPECT_EQ(dump_json(variables[3].at("distribution")),
            "{\"name\": \"multinomial\", \"parameters\": {\"n\": 4, \"pvals\": [0.5, 0.5]}}");
  EXPECT_EQ(dump_json(variables[5].at("distribution").at("parameters")),
            "{\"loc\": \"inf\", \"scale\": 1.0}");
  EXPECT_EQ(dump_json(variables[6].at("distribution")),
            "{\"name\": \"shifted_random\", \"parameters\": {\"shift\": -4.0, \"tag\": \"user\"}}");
  EXPECT_EQ(dump_json(variables[2].at("spawn_key")), "[3, 123456789012345678901234567890, 13]");
}

TEST(StreamSetSnapshot, ARestartedSetContinuesFromEitherForm) {
  fixture_set original(rich_meta());
  original.draw();
  const auto snapshot = original.set.snapshot();
  const auto bytes = to_bytes(snapshot);
  const auto text = to_json(snapshot);
  const auto expected = original.draw();

  fixture_set from_bytes(rich_meta());
  from_bytes.set.restore(snapshot_from_bytes(bytes));
  EXPECT_EQ(from_bytes.draw(), expected);

  fixture_set from_json(rich_meta());
  from_json.draw();  // wherever it was, restore puts it back
  from_json.set.restore(snapshot_from_json(text));
  EXPECT_EQ(from_json.draw(), expected);
}

// ---------------------------------------------------------------------------------------------
// Bad binary input.

TEST(StreamSetSnapshotBinary, EveryTruncationIsRefused) {
  fixture_set f(plain_meta());
  const auto bytes = to_bytes(drawn_snapshot(f));
  ASSERT_GT(bytes.size(), 5000U);  // MT19937's 624 words, twice
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    SCOPED_TRACE("first " + std::to_string(n) + " bytes");
    expect_error<io_error>([&] { snapshot_from_bytes(std::span(bytes).first(n)); }, "truncated");
  }
}

TEST(StreamSetSnapshotBinary, EveryFlippedByteIsRefused) {
  fixture_set f(plain_meta());
  const auto bytes = to_bytes(drawn_snapshot(f));
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    SCOPED_TRACE("byte " + std::to_string(i));
    auto damaged = bytes;
    damaged[i] ^= std::byte{0x5A};
    const std::string expected = i < 8    ? "not a stream_set snapshot"
                                 : i < 16 ? "checksum mismatch"
                                 : i < 24 ? "the header announces a payload of"
                                          : "checksum mismatch";
    expect_error<io_error>([&] { snapshot_from_bytes(damaged); }, expected);
  }
}

TEST(StreamSetSnapshotBinary, ForeignNewerAndMalformedFilesAreRefused) {
  fixture_set f(plain_meta());
  const auto snapshot = drawn_snapshot(f);
  const auto bytes = to_bytes(snapshot);

  expect_error<io_error>([&] { snapshot_from_bytes(bytes_of(to_json(snapshot))); },
                         "not a stream_set snapshot: byte 0 is 123, expected 137");
  expect_error<io_error>([&] { snapshot_from_bytes({}); },
                         "truncated: 0 bytes, expected at least 28");

  auto newer = bytes;
  put_u32(newer, 8, 2);
  reseal(newer);
  expect_error<io_error>([&] { snapshot_from_bytes(newer); },
                         "format version 2 is newer than this library reads (expected 1 to 1)");
  auto zero = bytes;
  put_u32(zero, 8, 0);
  reseal(zero);
  expect_error<io_error>([&] { snapshot_from_bytes(zero); }, "format version 0 is invalid");
  auto flagged = bytes;
  put_u32(flagged, 12, 1);
  reseal(flagged);
  expect_error<io_error>([&] { snapshot_from_bytes(flagged); }, "flags 0x00000001");

  auto trailing = bytes;
  trailing.push_back(std::byte{0});
  expect_error<io_error>([&] { snapshot_from_bytes(trailing); }, "corrupt or trailing data");
  // Extra bytes inside a well-framed payload.
  auto padded = bytes;
  padded.insert(padded.end() - 4, std::byte{7});
  reseal(padded);
  expect_error<io_error>([&] { snapshot_from_bytes(padded); },
                         "1 unexpected bytes at offset " + std::to_string(bytes.size() - 4));
}

TEST(StreamSetSnapshotBinary, AHugePoolSizeIsRefusedNotComputed) {
  // fuzz_snapshot_binary: a 30-byte payload naming pool size 15824 kept the reader mixing a
  // SeedSequence pool for seconds. The meta seed: u8 list, u32 0 entries, u32 0 spawn-key
  // entries, u32 pool size, u64 children; then u64 0 variables.
  std::vector<std::byte> bytes(24 + 1 + 4 + 4 + 4 + 8 + 8 + 4, std::byte{0});
  const char magic[] = "\x89SASSET\n";
  for (std::size_t i = 0; i < 8; ++i) bytes[i] = static_cast<std::byte>(magic[i]);
  bytes[8] = std::byte{1};   // version
  bytes[24] = std::byte{1};  // entropy is a list (of none)
  put_u32(bytes, 33, 15824);
  reseal(bytes);
  const auto start = std::chrono::steady_clock::now();
  expect_error<io_error>([&] { snapshot_from_bytes(bytes); }, "pool_size");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
}

TEST(StreamSetSnapshotBinary, PayloadFieldsAreCheckedAtTheirDocumentedOffsets) {
  // Meta seed 5: u8 0, u32 1, bigint (u32 1, u32 5), u32 0, u32 4, u64 0 = 29 bytes from 24;
  // the variable count at 53, variable 0's index at 61 and its family byte at 69.
  stream_set set(plain_meta());
  set.normal();
  const auto bytes = to_bytes(set.snapshot());
  ASSERT_EQ(std::to_integer<int>(bytes[24 + 5]), 1);   // the entropy's word count
  ASSERT_EQ(std::to_integer<int>(bytes[24 + 9]), 5);   // the entropy
  ASSERT_EQ(std::to_integer<int>(bytes[24 + 17]), 4);  // the pool size
  ASSERT_EQ(std::to_integer<int>(bytes[53]), 1);       // one variable
  ASSERT_EQ(std::to_integer<int>(bytes[69]), 0);       // PCG64

  auto family = bytes;
  family[69] = std::byte{9};
  reseal(family);
  expect_error<io_error>([&] { snapshot_from_bytes(family); },
                         "variable 0 has family byte 9 at offset 69, expected 0 to 4");
  auto philox_family = bytes;
  philox_family[69] = std::byte{2};  // Philox's 93-byte state is longer than PCG64's 37 bytes
  reseal(philox_family);
  expect_error<io_error>([&] { snapshot_from_bytes(philox_family); },
                         "the payload ends inside variable 0 state before");
  auto many = bytes;
  many[53] = std::byte{2};
  reseal(many);
  expect_error<io_error>([&] { snapshot_from_bytes(many); }, "the payload ends inside variable 1");
  auto index = bytes;
  index[61] = std::byte{1};
  reseal(index);
  expect_error<io_error>([&] { snapshot_from_bytes(index); }, "variable 0 has index 1, expected 0");
  auto pool = bytes;
  pool[24 + 17] = std::byte{2};
  reseal(pool);
  expect_error<io_error>([&] { snapshot_from_bytes(pool); }, "the meta seed: pool_size: got 2");
  auto word_count = bytes;
  word_count[24 + 5] = std::byte{200};
  reseal(word_count);
  expect_error<io_error>([&] { snapshot_from_bytes(word_count); }, "announces 200 entries");
}

// ---------------------------------------------------------------------------------------------
// Bad JSON input.

TEST(StreamSetSnapshotJson, MalformedDocumentsAreRefused) {
  fixture_set f(plain_meta());
  const std::string text = to_json(drawn_snapshot(f));
  const json good = parse_json(text, "snapshot");
  const auto refused = [&](json document, const std::string& fragment) {
    expect_error<invalid_argument>([&] { snapshot_from_json(dump_json(document)); }, fragment);
  };

  expect_error<invalid_argument>([&] { snapshot_from_json(text.substr(0, text.size() / 2)); },
                                 "not valid JSON");
  json doc = good;
  doc["format"] = "something else";
  refused(doc,
          "field 'format': got \"something else\", expected \"streamalloc.stream_set_snapshot\"");
  doc = good;
  doc["version"] = 2;
  refused(doc, "format version 2 is not supported (this library reads versions 1 to 1)");
  doc = good;
  doc.erase("variables");
  refused(doc, "missing field 'variables'");
  doc = good;
  doc["variables"][1]["index"] = 2;
  refused(doc, "variable 1 field 'index': got 2, expected 1");
  doc = good;
  doc["variables"][1]["spawn_key"] = json::array({2});
  refused(doc, "variable 1 field 'spawn_key': got [2], expected [1]");
  doc = good;
  doc["variables"][0]["family"] = "sfc64";  // the state dicts still say PCG64
  refused(doc,
          "variable 0 field 'before': SFC64 state: field 'bit_generator' is \"PCG64\", expected "
          "\"SFC64\"");
  doc = good;
  doc["variables"][0]["family"] = "pcg65";
  refused(doc, "'pcg65' is not a bit generator");
  doc = good;
  doc["variables"][0]["now"]["has_uint32"] = 2;
  refused(doc, "variable 0 field 'now': PCG64 state field 'has_uint32': got 2");
  doc = good;
  doc["meta_seed"]["pool_size"] = 3;
  refused(doc, "field 'meta_seed': pool_size: got 3");
  doc = good;
  doc["variables"][0]["distribution"]["parameters"]["loc"] = json::object();
  refused(doc, "parameter 'loc': got {}");
}

TEST(StreamSetSnapshotJson, AValidDocumentOfAnotherLayoutIsRefusedByRestore) {
  fixture_set f(plain_meta());
  const auto snapshot = drawn_snapshot(f);
  const auto expected = [&] {
    fixture_set twin(plain_meta());
    twin.set.restore(snapshot);
    return twin.draw();
  }();
  json doc = parse_json(to_json(snapshot), "snapshot");

  json fewer = doc;
  fewer["variables"].erase(fewer["variables"].size() - 1);
  const auto short_snapshot = snapshot_from_json(dump_json(fewer));
  expect_error<invalid_argument>([&] { f.set.restore(short_snapshot); },
                                 "the snapshot has 6 variables, expected this set's 7");

  // Variable 0 consistently of another family (states included): a valid snapshot, but not
  // of this set.
  stream_set other(plain_meta(), bit_generator_kind::sfc64);
  other.normal(0.25, 3.0);
  json swapped = doc;
  swapped["variables"][0] = parse_json(to_json(other.snapshot()), "other").at("variables").at(0);
  const auto swapped_snapshot = snapshot_from_json(dump_json(swapped));
  expect_error<invalid_argument>(
      [&] { f.set.restore(swapped_snapshot); },
      "variable 0 draws normal(loc=0.25, scale=3.0) on SFC64 in the snapshot, expected this "
      "set's normal(loc=0.25, scale=3.0) on PCG64");

  json params = doc;
  params["variables"][1]["distribution"]["parameters"]["high"] = 17;
  const auto params_snapshot = snapshot_from_json(dump_json(params));
  expect_error<invalid_argument>([&] { f.set.restore(params_snapshot); },
                                 "integers(low=0, high=17, endpoint=True, dtype='uint64')");

  // Nothing was changed by the refused restores.
  f.set.restore(snapshot);
  EXPECT_EQ(f.draw(), expected);
}

}  // namespace
}  // namespace streamalloc
