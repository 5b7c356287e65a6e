// streamalloc/claims/sealed_line.hpp — JSON lines that carry their own CRC-32C.
//
// Every line of a manifest (manifest.hpp) is sealed: the JSON object gets a last field
// "crc32c" holding the CRC-32C (crc32c.hpp) of an 8-byte little-endian domain (which file or
// shard), the 8-byte little-endian line number and the object without that field. A flipped
// bit, a line moved, repeated or taken from another file fails the check. Programs use the same
// seal for their own small JSON records (streamalloc-mc's checkpoint). Pure functions;
// thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace streamalloc::claims {

// `object` (the text of a JSON object with at least one field, "{...}") with its seal appended
// as the last field: `{..., "crc32c": "xxxxxxxx"}`.
std::string seal_line(std::string_view object, std::uint64_t domain, std::uint64_t line);

// The object text of a sealed line, checked. Throws invalid_argument ("checksum mismatch ...",
// "no checksum ...") when `line` is not an object sealed with this domain and line number.
std::string unseal_line(std::string_view line, std::uint64_t domain, std::uint64_t line_number);

// True if the line ends like a sealed line (a "crc32c" last field of 8 hex digits).
bool looks_sealed(std::string_view line) noexcept;

}  // namespace streamalloc::claims
