// streamalloc/uint128.hpp — the 128-bit unsigned integer used for PCG64 states and Philox keys.
//
// GCC and Clang provide unsigned __int128 on every 64-bit target streamalloc supports; the
// __extension__ keyword keeps -Wpedantic quiet about the non-standard type.
#pragma once

#include <cstdint>

namespace streamalloc {

__extension__ typedef unsigned __int128 uint128;

// Builds a 128-bit value from its high and low 64-bit halves.
constexpr uint128 make_uint128(std::uint64_t high, std::uint64_t low) noexcept {
  return (static_cast<uint128>(high) << 64) | low;
}

constexpr std::uint64_t high64(uint128 value) noexcept {
  return static_cast<std::uint64_t>(value >> 64);
}

constexpr std::uint64_t low64(uint128 value) noexcept { return static_cast<std::uint64_t>(value); }

}  // namespace streamalloc
