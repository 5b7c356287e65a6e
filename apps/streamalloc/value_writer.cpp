#include "value_writer.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <charconv>
#include <cstring>
#include <system_error>
#include <type_traits>

namespace streamalloc::cli {
namespace {

// Longest entry: a 20-digit uint64 or int64 with its sign, or a %.17g double such as
// -1.2345678901234567e-308, plus its separator.
constexpr std::size_t max_entry = 32;

template <class T>
std::to_chars_result format_value(char* first, char* last, T v) {
  if constexpr (std::is_same_v<T, bool>) {
    *first = v ? '1' : '0';
    return {first + 1, std::errc()};
  } else if constexpr (std::is_floating_point_v<T>) {
    // The standard defines this overload as printf's %.17g in the C locale.
    return std::to_chars(first, last, v, std::chars_format::general, 17);
  } else {
    return std::to_chars(first, last, v);
  }
}

}  // namespace

template <class T>
void value_writer::write_binary(std::span<const T> values) {
  if constexpr (std::endian::native == std::endian::little || sizeof(T) == 1) {
    sink_.write(std::as_bytes(values));
  } else {
    // Big-endian hosts: each value's bytes reversed (doubles travel as their bit patterns).
    scratch_.resize(values.size_bytes());
    char* out = scratch_.data();
    for (const T v : values) {
      auto bytes = std::bit_cast<std::array<char, sizeof(T)>>(v);
      std::reverse(bytes.begin(), bytes.end());
      std::memcpy(out, bytes.data(), bytes.size());
      out += bytes.size();
    }
    sink_.write(scratch_);
  }
}

// Entries are separated by ' ' within a row of `row_length` and by '\n' after each row.
template <class T>
void value_writer::write_text(std::span<const T> values, std::size_t row_length) {
  scratch_.resize(values.size() * max_entry);
  char* out = scratch_.data();
  char* const end = out + scratch_.size();
  std::size_t column = 0;
  for (const T v : values) {
    out = format_value(out, end, v).ptr;
    *out++ = ++column == row_length ? '\n' : ' ';
    if (column == row_length) column = 0;
  }
  sink_.write(std::string_view(scratch_.data(), static_cast<std::size_t>(out - scratch_.data())));
}

template <class T>
void value_writer::write(std::span<const T> values) {
  if (format_ == output_format::binary) {
    write_binary(values);
  } else {
    write_text(values, 1);
  }
}

void value_writer::write_rows(std::span<const std::int64_t> values, std::size_t rows) {
  if (format_ == output_format::binary) {
    write_binary(values);
  } else if (values.empty()) {
    sink_.write(std::string(rows, '\n'));
  } else {
    write_text(values, values.size() / rows);
  }
}

template void value_writer::write(std::span<const double>);
template void value_writer::write(std::span<const bool>);
template void value_writer::write(std::span<const std::int8_t>);
template void value_writer::write(std::span<const std::int16_t>);
template void value_writer::write(std::span<const std::int32_t>);
template void value_writer::write(std::span<const std::int64_t>);
template void value_writer::write(std::span<const std::uint8_t>);
template void value_writer::write(std::span<const std::uint16_t>);
template void value_writer::write(std::span<const std::uint32_t>);
template void value_writer::write(std::span<const std::uint64_t>);

}  // namespace streamalloc::cli
