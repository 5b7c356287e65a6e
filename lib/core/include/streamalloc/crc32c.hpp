// streamalloc/crc32c.hpp — the CRC-32C that guards our binary formats (stream_set snapshots,
// stream-set checkpoints).
//
// CRC-32C (Castagnoli polynomial 0x1EDC6F41, reflected 0x82F63B78, initial value and final XOR
// 0xFFFFFFFF), as in iSCSI (RFC 3720, appendix B.4) and ext4. Its standard check value is
// crc32c("123456789") == 0xE3069283. Chosen over a plain sum because it detects every burst of
// up to 32 flipped bits and every odd number of bit errors. Byte-wise table lookup; the table is
// built at compile time. Thread safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace streamalloc {

// The CRC-32C of `bytes`. To checksum data in pieces, pass the previous result as `crc`:
// crc32c(b, crc32c(a)) == crc32c(a followed by b).
std::uint32_t crc32c(std::span<const std::byte> bytes, std::uint32_t crc = 0) noexcept;

}  // namespace streamalloc
