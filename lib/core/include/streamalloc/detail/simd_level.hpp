// streamalloc/detail/simd_level.hpp — which vector instructions the bulk kernels use.
// Shipped for tests and benchmarks; not part of the stable API.
//
// A few bulk kernels (MT19937's block regeneration and tempering, words to doubles, Philox
// blocks with MULX) have AVX2 and AVX-512 versions next to the portable scalar one. The library is built for baseline
// x86-64 (no -march flag is needed or assumed); the widest level the running CPU supports is
// picked once, at the first bulk call, so one binary is fast on any x86-64 and correct
// everywhere. Other architectures (aarch64, s390x, ...) always run the scalar code. Every level
// produces exactly the same values: the level changes speed, never output.
//
// The environment variable STREAMALLOC_SIMD=scalar|avx2|avx512, read at that first call, caps
// the level (to compare paths, or to rule one out); set_simd_level does the same from code.
// Thread safety: the level is one atomic; changing it while another thread fills is harmless
// (that fill uses one level or the other, with the same result).
#pragma once

#include <cstdint>
#include <string_view>

namespace streamalloc::detail {

enum class simd_level : std::uint8_t { scalar = 0, avx2 = 1, avx512 = 2 };

// "scalar", "avx2", "avx512".
std::string_view to_string(simd_level level) noexcept;

// The widest level this CPU and this build support: scalar off x86-64; avx2 needs AVX2 and
// BMI2 (MULX), avx512 also AVX-512 F, BW, DQ and VL (and the operating system saving their
// registers).
simd_level supported_simd_level() noexcept;

// The level the kernels use: supported_simd_level(), capped by STREAMALLOC_SIMD and by
// set_simd_level.
simd_level active_simd_level() noexcept;

// Uses `level`, or the supported level if that is lower; returns the level now in effect.
simd_level set_simd_level(simd_level level) noexcept;

}  // namespace streamalloc::detail
