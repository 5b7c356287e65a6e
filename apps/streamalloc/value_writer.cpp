#include "value_writer.hpp"

#include <bit>
#include <charconv>
#include <cstring>
#include <system_error>

namespace streamalloc::cli {
namespace {

// Longest line: a 20-digit uint64, or a %.17g double such as -1.2345678901234567e-308, plus '\n'.
constexpr std::size_t max_line = 32;

// Used only on big-endian hosts; constexpr keeps the little-endian build free of unused warnings.
constexpr std::uint64_t byte_swapped(std::uint64_t v) noexcept {
  v = ((v & 0x00FF00FF00FF00FFULL) << 8) | ((v >> 8) & 0x00FF00FF00FF00FFULL);
  v = ((v & 0x0000FFFF0000FFFFULL) << 16) | ((v >> 16) & 0x0000FFFF0000FFFFULL);
  return (v << 32) | (v >> 32);
}

constexpr std::uint32_t byte_swapped(std::uint32_t v) noexcept {
  v = ((v & 0x00FF00FFU) << 8) | ((v >> 8) & 0x00FF00FFU);
  return (v << 16) | (v >> 16);
}

std::to_chars_result format_value(char* first, char* last, std::uint64_t v) {
  return std::to_chars(first, last, v);
}
std::to_chars_result format_value(char* first, char* last, std::uint32_t v) {
  return std::to_chars(first, last, v);
}
// The standard defines this overload as printf's %.17g in the C locale.
std::to_chars_result format_value(char* first, char* last, double v) {
  return std::to_chars(first, last, v, std::chars_format::general, 17);
}

}  // namespace

template <class T>
void value_writer::write_binary(std::span<const T> values) {
  if constexpr (std::endian::native == std::endian::little) {
    sink_.write(std::as_bytes(values));
  } else {
    scratch_.resize(values.size_bytes());
    char* out = scratch_.data();
    for (const T v : values) {
      // Doubles travel as their bit patterns, swapped like integers of the same width.
      using bits_type = std::conditional_t<sizeof(T) == 8, std::uint64_t, std::uint32_t>;
      const bits_type swapped = byte_swapped(std::bit_cast<bits_type>(v));
      std::memcpy(out, &swapped, sizeof swapped);
      out += sizeof swapped;
    }
    sink_.write(scratch_);
  }
}

template <class T>
void value_writer::write_text(std::span<const T> values) {
  scratch_.resize(values.size() * max_line);
  char* out = scratch_.data();
  char* const end = out + scratch_.size();
  for (const T v : values) {
    out = format_value(out, end, v).ptr;
    *out++ = '\n';
  }
  sink_.write(std::string_view(scratch_.data(), static_cast<std::size_t>(out - scratch_.data())));
}

void value_writer::write(std::span<const std::uint64_t> values) {
  if (format_ == output_format::binary) {
    write_binary(values);
  } else {
    write_text(values);
  }
}
void value_writer::write(std::span<const std::uint32_t> values) {
  if (format_ == output_format::binary) {
    write_binary(values);
  } else {
    write_text(values);
  }
}
void value_writer::write(std::span<const double> values) {
  if (format_ == output_format::binary) {
    write_binary(values);
  } else {
    write_text(values);
  }
}

}  // namespace streamalloc::cli
