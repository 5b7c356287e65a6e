// streamalloc/json.hpp — JSON with exact big integers, for NumPy's state dicts and our records.
//
// Opt-in: no engine or record header includes it (they speak JSON as text); include it to read
// or write the JSON documents themselves. It needs nlohmann-json's headers (Debian's
// nlohmann-json3-dev; CMake target streamalloc::json).
//
// NumPy's state dicts hold Python integers beyond 64 bits (PCG64's 128-bit state and increment),
// and Python's json module writes them as plain JSON numbers. nlohmann-json would turn those into
// doubles and silently lose bits, so parse_json() uses nlohmann's SAX interface, which hands us
// the literal text, and keeps any integer outside the 64-bit range as an exact tagged value.
// dump_json() writes the tags back as bare numbers, with Python's default separators, so our
// output is what `json.dumps(bitgen.state)` prints.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "streamalloc/big_uint.hpp"

namespace streamalloc {

using json = nlohmann::ordered_json;

// Parses JSON text. Integers that do not fit in int64/uint64 are kept exactly (see big_to_json).
// Throws streamalloc::invalid_argument naming `what` and the parser's position on bad syntax.
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
std::uint64_t json_to_u64(const json& value, std::string_view what,
                          std::uint64_t max = UINT64_MAX);

// obj[key], or invalid_argument saying which field of which document is missing.
const json& json_field(const json& object, std::string_view key, std::string_view what);

// A short human description of a JSON value's type and text for error messages.
std::string describe_json(const json& value);

}  // namespace streamalloc
