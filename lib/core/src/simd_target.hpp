// Private: compiling a kernel for a wider x86-64 ISA than the library's baseline.
//
// STREAMALLOC_X86_KERNELS is defined where such kernels can be built (x86-64 with GCC or
// Clang); each one is a function marked STREAMALLOC_TARGET_AVX2 or STREAMALLOC_TARGET_AVX512,
// called only after detail::active_simd_level() said the CPU has that ISA.
#pragma once

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define STREAMALLOC_X86_KERNELS 1
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ < 13
// GCC 12's AVX-512 intrinsics header trips its own -Wuninitialized on the deliberately
// undefined registers of _mm512_set1_* and friends (GCC PR 105593, fixed in GCC 13).
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <immintrin.h>
// The avx2 level: AVX2 and BMI2 (MULX, SHRX); the avx512 level adds AVX-512 F, BW, DQ and VL.
#define STREAMALLOC_TARGET_AVX2 __attribute__((target("avx2,bmi2")))
#define STREAMALLOC_TARGET_AVX512 \
  __attribute__((target("avx2,bmi2,avx512f,avx512bw,avx512dq,avx512vl")))
#endif
