// CRC-32C, reflected, one table lookup per byte (Sarwate's method). The polynomial is
// Castagnoli's 0x1EDC6F41 (bit-reversed: 0x82F63B78), as RFC 3720 specifies for iSCSI.
#include "streamalloc/crc32c.hpp"

#include <array>

namespace streamalloc {
namespace {

constexpr std::uint32_t reflected_polynomial = 0x82F63B78U;

constexpr std::array<std::uint32_t, 256> make_table() noexcept {
  std::array<std::uint32_t, 256> table{};
  for (std::uint32_t byte = 0; byte < 256; ++byte) {
    std::uint32_t crc = byte;
    for (int bit = 0; bit < 8; ++bit) {
      crc = (crc >> 1) ^ ((0U - (crc & 1U)) & reflected_polynomial);
    }
    table[byte] = crc;
  }
  return table;
}

constexpr std::array<std::uint32_t, 256> table = make_table();

}  // namespace

std::uint32_t crc32c(std::span<const std::byte> bytes, std::uint32_t crc) noexcept {
  crc = ~crc;
  for (const std::byte b : bytes) {
    crc = (crc >> 8) ^ table[(crc ^ std::to_integer<std::uint32_t>(b)) & 0xFFU];
  }
  return ~crc;
}

}  // namespace streamalloc
