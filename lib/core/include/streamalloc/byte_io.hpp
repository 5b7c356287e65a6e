// streamalloc/byte_io.hpp — the byte writer and reader of our binary file formats (the
// stream_set snapshot's binary form, and streamalloc::mpi's checkpoint file). Public so that every
// component, and code that reads those formats itself, lays bytes out the one same way.
//
// A file written on one host is read on another, so every value is laid out little-endian and
// assembled one byte at a time, whatever the host's byte order. Every read is checked against
// what is left before it happens, so a short or damaged file cannot make a reader run past its
// end. The formats word their errors differently (and their tests check the words), so neither
// class builds a message: each takes a context, supplied by the format, that builds and throws it.
//
// A context used with byte_writer provides
//   [[noreturn]] void count_too_large(std::string_view field, std::size_t n) const;
//     a count (of a string's bytes, of a list's entries) does not fit the format's 32 bits;
// and one used with byte_reader provides
//   [[noreturn]] void truncated(std::string_view field, std::size_t offset, std::size_t needed,
//                               std::size_t left) const;
//     `field` needs `needed` bytes at `offset` but only `left` remain.
// `field` names what is being written or read ("the spawn key"), for the message.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "streamalloc/uint128.hpp"

namespace streamalloc {

// The little-endian unsigned integer in the first sizeof(T) bytes of `bytes` (the caller checks
// that there are that many).
template <class T>
constexpr T load_little_endian(std::span<const std::byte> bytes) noexcept {
  T value = 0;
  for (std::size_t i = 0; i < sizeof(T); ++i) {
    value |= static_cast<T>(std::to_integer<T>(bytes[i]) << (8 * i));
  }
  return value;
}

// "0x%08x": how the formats print CRCs and flag words.
inline std::string hex32(std::uint32_t value) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "0x%08x", value);
  return buffer;
}

// Appends fields to a growing byte vector. Not thread-safe.
template <class Context>
class byte_writer {
 public:
  explicit byte_writer(Context context = Context{}) : context_(std::move(context)) {}

  void u8(std::uint8_t v) { bytes_.push_back(std::byte{v}); }
  void u32(std::uint32_t v) { put(v); }
  void u64(std::uint64_t v) { put(v); }
  // Low word first.
  void u128(uint128 v) {
    u64(low64(v));
    u64(high64(v));
  }
  // The IEEE-754 bits, so every double (NaN payloads included) comes back as it was.
  void f64(double v) { u64(std::bit_cast<std::uint64_t>(v)); }
  void append(std::span<const std::byte> b) { bytes_.insert(bytes_.end(), b.begin(), b.end()); }
  // A 32-bit count; context.count_too_large(field, n) if n does not fit.
  void count(std::size_t n, std::string_view field) {
    if (n > std::numeric_limits<std::uint32_t>::max()) context_.count_too_large(field, n);
    u32(static_cast<std::uint32_t>(n));
  }
  // The byte count, then the bytes.
  void string(std::string_view s, std::string_view field) {
    count(s.size(), field);
    for (const char c : s) u8(static_cast<std::uint8_t>(c));
  }
  // Overwrites 8 bytes already written at `offset` (a length known only at the end).
  void u64_at(std::size_t offset, std::uint64_t v) {
    for (std::size_t i = 0; i < 8; ++i) {
      bytes_[offset + i] = std::byte{static_cast<std::uint8_t>(v >> (8 * i))};
    }
  }

  const std::vector<std::byte>& bytes() const noexcept { return bytes_; }
  // Hands over what was written; the writer is left empty.
  std::vector<std::byte> release() noexcept { return std::exchange(bytes_, {}); }

 private:
  template <class T>
  void put(T v) {
    for (std::size_t i = 0; i < sizeof(T); ++i) u8(static_cast<std::uint8_t>(v >> (8 * i)));
  }

  Context context_;
  std::vector<std::byte> bytes_;
};

// Reads fields from a span it does not own, in order. `base` is the span's offset in the file,
// so that offsets in messages are file offsets. Not thread-safe.
template <class Context>
class byte_reader {
 public:
  explicit byte_reader(std::span<const std::byte> bytes, Context context = Context{},
                       std::size_t base = 0)
      : bytes_(bytes), context_(std::move(context)), base_(base) {}

  std::uint8_t u8(std::string_view field) {
    return std::to_integer<std::uint8_t>(take(1, field)[0]);
  }
  std::uint32_t u32(std::string_view field) {
    return load_little_endian<std::uint32_t>(take(4, field));
  }
  std::uint64_t u64(std::string_view field) {
    return load_little_endian<std::uint64_t>(take(8, field));
  }
  // Low word first.
  uint128 u128(std::string_view field) {
    const std::uint64_t low = u64(field);
    return make_uint128(u64(field), low);
  }
  double f64(std::string_view field) { return std::bit_cast<double>(u64(field)); }
  // The next n bytes, as a view into the input.
  std::span<const std::byte> take(std::size_t n, std::string_view field) {
    if (n > remaining()) context_.truncated(field, offset(), n, remaining());
    const auto piece = bytes_.subspan(pos_, n);
    pos_ += n;
    return piece;
  }

  std::size_t remaining() const noexcept { return bytes_.size() - pos_; }
  // Offset of the next byte in the file.
  std::size_t offset() const noexcept { return base_ + pos_; }

 protected:
  const Context& context() const noexcept { return context_; }

 private:
  std::span<const std::byte> bytes_;
  Context context_;
  std::size_t base_ = 0;
  std::size_t pos_ = 0;
};

}  // namespace streamalloc
