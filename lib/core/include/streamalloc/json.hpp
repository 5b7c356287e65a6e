// streamalloc/json.hpp — JSON with exact big integers, for NumPy's state dicts and our records.
//
// Opt-in: no engine or record header includes it (they speak JSON as text); include it to read
// or write the JSON documents themselves. It needs nlohmann-json's headers (Debian's
// nlohmann-json3-dev; CMake target streamalloc::json).
//
// NumPy's state dicts hold Python integers beyond 64 bits (PCG64's 128-bit state and increment),
// and Python's json module writes them as plain JSON numbers. nlohmann-json's reader would turn
// those into doubles and lose bits (or fail, past the double range), so parse_json() is our own
// strict reader that builds nlohmann's ordered_json DOM and keeps any integer outside the 64-bit
// range as an exact tagged value.
// dump_json() writes the tags back as bare numbers, with Python's default separators, so our
// output is what `json.dumps(bitgen.state)` prints.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "streamalloc/big_uint.hpp"

namespace streamalloc {

using json = nlohmann::ordered_json;

// Arrays and objects nested deeper than this are refused: far beyond any document streamalloc
// reads or writes (NumPy's state dicts nest 3 levels), and shallow enough that nothing that walks
// the DOM recursively (dump_json, nlohmann's copy) can overflow the stack.
inline constexpr std::size_t max_json_depth = 256;

// Parses JSON text (RFC 8259, strict; a leading UTF-8 byte order mark is skipped). Integer
// literals that do not fit in int64/uint64 are kept exactly, whatever their length (see
// big_to_json). Throws streamalloc::invalid_argument naming `what` and the byte offset on bad
// syntax, on nesting deeper than max_json_depth, and on the reserved key of big integers.
json parse_json(std::string_view text, std::string_view what);

// Serialises like Python's json.dumps(obj) (", " and ": " separators, ASCII only); with
// indent >= 0, like json.dumps(obj, indent=indent).
std::string dump_json(const json& value, int indent = -1);

// A non-negative integer as JSON: a plain number when it fits in 64 bits, else a tagged value
// that dump_json() prints as a bare number.
json big_to_json(const big_uint& value);

// Reads a non-negative integer of any size; `what` names the field in error messages.
big_uint json_to_big(const json& value, std::string_view what);

// Reads a non-negative integer no larger than `max`.
std::uint64_t json_to_u64(const json& value, std::string_view what, std::uint64_t max = UINT64_MAX);

// obj[key], or invalid_argument saying which field of which document is missing.
const json& json_field(const json& object, std::string_view key, std::string_view what);

// The start of a JSON value's text for error messages: at most 60 characters, cut with "...";
// the cost does not grow with the value's size or depth.
std::string describe_json(const json& value);

}  // namespace streamalloc
