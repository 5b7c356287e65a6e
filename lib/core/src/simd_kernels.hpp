// Private: the bulk kernels with AVX2 / AVX-512 versions, dispatched on active_simd_level().
// Each kernel's scalar version is the reference; the vector versions compute the same values.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace streamalloc::detail {

// Philox4x64-10 of the `blocks` counters after `counter` (which ends at the last of them),
// written to out[0, 4 * blocks), the last block also to `last`. Several blocks are in flight
// at once; with BMI2 (at the avx2 level and up) the products use MULX.
void philox4x64_10_blocks(std::array<std::uint64_t, 4>& counter,
                          const std::array<std::uint64_t, 2>& key, std::uint64_t* out,
                          std::size_t blocks, std::array<std::uint64_t, 4>& last) noexcept;

// MT19937's recurrence over all 624 words (Matsumoto & Nishimura 1998; NumPy's mt19937_gen).
void mt19937_regenerate(std::uint32_t* key) noexcept;

// out[i] = tempered key[i] for i < n (Matsumoto & Nishimura's tempering).
void mt19937_temper(const std::uint32_t* key, std::uint32_t* out, std::size_t n) noexcept;

}  // namespace streamalloc::detail
