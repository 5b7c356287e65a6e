// Private helpers for reading and writing the fields NumPy's state dicts have in common.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "streamalloc/json.hpp"
#include "streamalloc/uint128.hpp"

namespace streamalloc::detail {

// Throws invalid_argument unless document["bit_generator"] == name.
void expect_bit_generator(const json& document, std::string_view name);

// A non-negative integer below 2^128.
uint128 read_uint128(const json& value, const std::string& what);

// A JSON array of exactly `count` integers, each below 2^bits (bits <= 64).
std::vector<std::uint64_t> read_uint_array(const json& value, std::size_t count, unsigned bits,
                                           const std::string& what);

struct uint32_buffer_fields {
  bool has_uint32;
  std::uint32_t uinteger;
};
// Reads "has_uint32" (0 or 1) and "uinteger" (< 2^32) from the top level of a state dict.
uint32_buffer_fields read_uint32_buffer(const json& document, const std::string& what);
void append_uint32_buffer(json& document, bool has_uint32, std::uint32_t uinteger);

}  // namespace streamalloc::detail
