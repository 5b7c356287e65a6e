// streamalloc CLI: reading option values (counts, spawn keys, signed integers, real numbers,
// input files).
//
// Every parser takes the option's name and puts it, with the offending text and what was
// expected, into the streamalloc::invalid_argument it throws: the message is all the user sees.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "streamalloc/big_uint.hpp"

namespace streamalloc::cli {

// A non-negative integer (decimal or 0x-hex) no larger than `max`.
std::uint64_t parse_count(std::string_view text, std::string_view what,
                          std::uint64_t max = UINT64_MAX);

// A comma-separated list of non-negative integers of any size; empty text is the empty key.
std::vector<big_uint> parse_spawn_key(std::string_view text, std::string_view what);

// An integer of any size with an optional leading '-', as NumPy's advance(delta) takes it.
struct signed_distance {
  bool negative = false;
  big_uint magnitude;
};
signed_distance parse_signed_distance(std::string_view text, std::string_view what);

// A signed integer that fits in int64 (decimal or 0x-hex, optional leading '-'): NumPy's
// C long parameters such as binomial's n.
std::int64_t parse_int64(std::string_view text, std::string_view what);

// A double as Python's float() reads it: decimal or scientific notation, an optional sign,
// inf, infinity and nan in any case. Values beyond the range of a double (1e999, 1e-999) are
// refused rather than rounded to infinity or zero, since that is almost always a typo.
double parse_real(std::string_view text, std::string_view what);

// A comma-separated list of parse_real values; empty text is the empty list.
std::vector<double> parse_real_list(std::string_view text, std::string_view what);

// One of `choices`; returns its index.
std::size_t parse_choice(std::string_view text, std::string_view what,
                         const std::vector<std::string_view>& choices);

// The whole content of a file, or of standard input for "-". Refuses files over `max_bytes`.
std::string read_input(const std::string& path, std::string_view what, std::size_t max_bytes);

}  // namespace streamalloc::cli
