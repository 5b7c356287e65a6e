// Every binary format is little-endian whatever the host (issue 12): run natively and under
// qemu-user on s390x (big-endian) by scripts/cross-test.sh. The expected bytes are written out
// here by hand from the documented layouts, not produced by the code under test.
#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "streamalloc/byte_io.hpp"
#include "streamalloc/seed_sequence.hpp"
#include "streamalloc/stream_set/stream_set.hpp"
#include "streamalloc/crc32c.hpp"
#include "streamalloc/stream_set/snapshot.hpp"

namespace streamalloc {
namespace {

struct no_context {
  [[noreturn]] void count_too_large(std::string_view, std::size_t) const { std::abort(); }
  [[noreturn]] void truncated(std::string_view, std::size_t, std::size_t, std::size_t) const {
    std::abort();
  }
};

std::vector<int> ints(const std::vector<std::byte>& bytes, std::size_t from, std::size_t n) {
  std::vector<int> out;
  for (std::size_t i = from; i < from + n; ++i) out.push_back(std::to_integer<int>(bytes[i]));
  return out;
}

TEST(ByteOrder, TheSharedWriterAndReaderAreLittleEndian) {
  streamalloc::byte_writer<no_context> w;
  w.u32(0x01020304U);
  w.u64(0x0102030405060708ULL);
  w.u128(make_uint128(0x1112131415161718ULL, 0x0102030405060708ULL));
  w.f64(1.0);  // IEEE 0x3FF0000000000000
  const auto& b = w.bytes();
  EXPECT_EQ(ints(b, 0, 4), (std::vector<int>{4, 3, 2, 1}));
  EXPECT_EQ(ints(b, 4, 8), (std::vector<int>{8, 7, 6, 5, 4, 3, 2, 1}));
  EXPECT_EQ(ints(b, 12, 16), (std::vector<int>{8, 7, 6, 5, 4, 3, 2, 1, 0x18, 0x17, 0x16, 0x15, 0x14,
                                               0x13, 0x12, 0x11}));
  EXPECT_EQ(ints(b, 28, 8), (std::vector<int>{0, 0, 0, 0, 0, 0, 0xF0, 0x3F}));
  streamalloc::byte_reader<no_context> r(b);
  EXPECT_EQ(r.u32("a"), 0x01020304U);
  EXPECT_EQ(r.u64("b"), 0x0102030405060708ULL);
  EXPECT_EQ(r.u128("c"), make_uint128(0x1112131415161718ULL, 0x0102030405060708ULL));
  EXPECT_EQ(r.f64("d"), 1.0);
}

TEST(ByteOrder, SnapshotFramesAndPayloadsAreLittleEndian) {
  // Meta seed 0x0102030405 (two 32-bit words), no variable: the whole file, field by field.
  stream_set set{seed_sequence(seed_entropy(0x0102030405ULL))};
  const std::vector<std::byte> bytes = to_bytes(set.snapshot());
  const std::vector<int> expected_payload = {
      0,                        // u8 entropy_is_list
      1, 0, 0, 0,               // u32 entropy count
      2, 0, 0, 0,               // bigint: u32 word count 2
      5, 4, 3, 2, 1, 0, 0, 0,   //         words 0x02030405, 0x00000001
      0, 0, 0, 0,               // u32 spawn key count
      4, 0, 0, 0,               // u32 pool size
      0, 0, 0, 0, 0, 0, 0, 0,   // u64 n_children_spawned
      0, 0, 0, 0, 0, 0, 0, 0};  // u64 variable count
  ASSERT_EQ(bytes.size(), 24 + expected_payload.size() + 4);
  EXPECT_EQ(ints(bytes, 0, 8), (std::vector<int>{0x89, 'S', 'A', 'S', 'S', 'E', 'T', '\n'}));
  EXPECT_EQ(ints(bytes, 8, 4), (std::vector<int>{1, 0, 0, 0}));   // version 1
  EXPECT_EQ(ints(bytes, 12, 4), (std::vector<int>{0, 0, 0, 0}));  // flags
  EXPECT_EQ(ints(bytes, 16, 8),
            (std::vector<int>{static_cast<int>(expected_payload.size()), 0, 0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(ints(bytes, 24, expected_payload.size()), expected_payload);
  const std::uint32_t crc = streamalloc::crc32c(std::span(bytes).first(bytes.size() - 4));
  EXPECT_EQ(ints(bytes, bytes.size() - 4, 4),
            (std::vector<int>{static_cast<int>(crc & 0xFF), static_cast<int>((crc >> 8) & 0xFF),
                              static_cast<int>((crc >> 16) & 0xFF), static_cast<int>(crc >> 24)}));
  EXPECT_EQ(snapshot_from_bytes(bytes), set.snapshot());
}

TEST(ByteOrder, EngineStatesInSnapshotsAreLittleEndian) {
  // A PCG64 variable's state is u64 state low, high, inc low, high: the `now` state of the
  // snapshot must be those words' little-endian bytes, as NumPy's state dict gives them.
  stream_set set{seed_sequence(seed_entropy(12345))};
  auto x = set.normal();
  (void)x();
  const stream_set_snapshot snap = set.snapshot();
  const auto bytes = to_bytes(snap);
  const auto& now = std::get<pcg64>(snap.variables.at(0).now.engine());
  const uint128 state = now.lcg_state();
  // The last 37 bytes before the CRC are the `now` state (32 bytes of words, u8, u32).
  const std::size_t at = bytes.size() - 4 - 37;
  for (std::size_t i = 0; i < 8; ++i) {
    EXPECT_EQ(std::to_integer<std::uint64_t>(bytes[at + i]), (low64(state) >> (8 * i)) & 0xFF);
    EXPECT_EQ(std::to_integer<std::uint64_t>(bytes[at + 8 + i]), (high64(state) >> (8 * i)) & 0xFF);
  }
  EXPECT_EQ(snapshot_from_bytes(bytes), snap);
}

}  // namespace
}  // namespace streamalloc
