// The bulk kernels with vector versions, and the run-time choice between them.
//
// The library is compiled for baseline x86-64; the AVX2 and AVX-512 versions below are compiled
// for their ISA through function target attributes and called only when the CPU has it
// (detail/simd_level.hpp), so the same binary runs everywhere. Each vector version computes
// exactly what its scalar version computes (integer operations, and for doubles conversions of
// integers below 2^53, which are exact): tests/core/engine_conformance_test.cpp runs every
// level the machine supports against the scalar one.
#include "src/simd_kernels.hpp"

#include <atomic>
#include <bit>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "src/simd_target.hpp"
#include "streamalloc/detail/buffered_engine.hpp"
#include "streamalloc/detail/simd_level.hpp"
#include "streamalloc/detail/ziggurat_tables.hpp"
#include "streamalloc/distributions/exponential.hpp"
#include "streamalloc/distributions/normal.hpp"

namespace streamalloc::detail {

// --- which level ------------------------------------------------------------------------------

std::string_view to_string(simd_level level) noexcept {
  switch (level) {
    case simd_level::scalar: return "scalar";
    case simd_level::avx2: return "avx2";
    case simd_level::avx512: return "avx512";
  }
  return "?";
}

simd_level supported_simd_level() noexcept {
#ifdef STREAMALLOC_X86_KERNELS
  // __builtin_cpu_supports also checks that the OS saves the wider registers (XGETBV).
  __builtin_cpu_init();
  // Both levels include BMI2 (the Philox and PCG64 kernels' MULX).
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
      __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl") &&
      __builtin_cpu_supports("bmi2")) {
    return simd_level::avx512;
  }
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi2")) return simd_level::avx2;
#endif
  return simd_level::scalar;
}

namespace {

constexpr int level_unset = -1;
std::atomic<int> active_level{level_unset};

simd_level cap_from_environment(simd_level level) noexcept {
  const char* text = std::getenv("STREAMALLOC_SIMD");  // NOLINT(concurrency-mt-unsafe): read once
  if (text == nullptr) return level;
  for (const simd_level cap : {simd_level::scalar, simd_level::avx2, simd_level::avx512}) {
    if (to_string(cap) == text && cap < level) return cap;
  }
  return level;
}

}  // namespace

simd_level active_simd_level() noexcept {
  int level = active_level.load(std::memory_order_relaxed);
  if (level == level_unset) {
    level = static_cast<int>(cap_from_environment(supported_simd_level()));
    int expected = level_unset;
    if (!active_level.compare_exchange_strong(expected, level, std::memory_order_relaxed)) {
      level = expected;  // another thread (or set_simd_level) was first
    }
  }
  return static_cast<simd_level>(level);
}

simd_level set_simd_level(simd_level level) noexcept {
  const simd_level supported = supported_simd_level();
  const simd_level used = level < supported ? level : supported;
  active_level.store(static_cast<int>(used), std::memory_order_relaxed);
  return used;
}

// --- words to doubles -------------------------------------------------------------------------

namespace {

void words_to_doubles_scalar(const std::uint64_t* words, double* out, std::size_t n) noexcept {
  for (std::size_t i = 0; i < n; ++i) out[i] = u64_to_double(words[i]);
}

#ifdef STREAMALLOC_X86_KERNELS
// AVX2 has no 64-bit integer to double conversion. For x = word >> 11 < 2^53, split
// x = h * 2^32 + l: the bit patterns 0x453.. | h and 0x433.. | l are the doubles 2^84 + h * 2^32
// and 2^52 + l, so (2^84 + h * 2^32 - 2^84) + (2^52 + l - 2^52) is x exactly (every step is
// exact below 2^53), and scaling by 2^-53 is exact too: the scalar value, bit for bit.
STREAMALLOC_TARGET_AVX2 void words_to_doubles_avx2(const std::uint64_t* words, double* out,
                                                   std::size_t n) noexcept {
  const __m256i high_exponent = _mm256_set1_epi64x(0x4530000000000000LL);
  const __m256i low_exponent = _mm256_set1_epi64x(0x4330000000000000LL);
  const __m256d high_bias = _mm256_set1_pd(19342813113834066795298816.0);  // 2^84
  const __m256d low_bias = _mm256_set1_pd(4503599627370496.0);             // 2^52
  const __m256d scale = _mm256_set1_pd(1.0 / 9007199254740992.0);
  const __m256i low_mask = _mm256_set1_epi64x(0xFFFFFFFFLL);
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    const __m256i x =
        _mm256_srli_epi64(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(words + i)), 11);
    const __m256d high = _mm256_sub_pd(
        _mm256_castsi256_pd(_mm256_or_si256(_mm256_srli_epi64(x, 32), high_exponent)), high_bias);
    const __m256d low = _mm256_sub_pd(
        _mm256_castsi256_pd(_mm256_or_si256(_mm256_and_si256(x, low_mask), low_exponent)),
        low_bias);
    _mm256_storeu_pd(out + i, _mm256_mul_pd(_mm256_add_pd(high, low), scale));
  }
  words_to_doubles_scalar(words + i, out + i, n - i);
}

STREAMALLOC_TARGET_AVX512 void words_to_doubles_avx512(const std::uint64_t* words, double* out,
                                                       std::size_t n) noexcept {
  const __m512d scale = _mm512_set1_pd(1.0 / 9007199254740992.0);
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    const __m512i x = _mm512_srli_epi64(_mm512_loadu_si512(words + i), 11);
    _mm512_storeu_pd(out + i, _mm512_mul_pd(_mm512_cvtepu64_pd(x), scale));
  }
  words_to_doubles_scalar(words + i, out + i, n - i);
}
#endif

}  // namespace

void words_to_doubles(const std::uint64_t* words, double* out, std::size_t n) noexcept {
#ifdef STREAMALLOC_X86_KERNELS
  switch (active_simd_level()) {
    case simd_level::avx512: return words_to_doubles_avx512(words, out, n);
    case simd_level::avx2: return words_to_doubles_avx2(words, out, n);
    case simd_level::scalar: break;
  }
#endif
  words_to_doubles_scalar(words, out, n);
}

// --- ziggurat fast paths ----------------------------------------------------------------------

namespace {

// The first ziggurat try on every word of a block: values[i] = the try's value, bit i of
// missed set when word i misses its layer's rectangle. The scalar versions are the header's
// fast paths word by word.
template <class Fast>
void ziggurat_tries_scalar(const std::uint64_t* words, std::size_t n, double* values,
                           std::uint64_t* missed, Fast fast) noexcept {
  for (std::size_t i = 0; i < n; i += 64) {
    std::uint64_t bits = 0;
    const std::size_t end = i + 64 < n ? i + 64 : n;
    for (std::size_t j = i; j < end; ++j) {
      bits |= static_cast<std::uint64_t>(!fast(words[j], values[j])) << (j - i);
    }
    missed[i / 64] = bits;
  }
}

#ifdef STREAMALLOC_X86_KERNELS
// Eight words at a time: the layer's table entries by gathers, the values converted and scaled
// as the scalar code does (exact conversions of integers below 2^53, one rounded product, a
// sign flip), the misses as a mask.
struct normal_tries_x8 {
  STREAMALLOC_TARGET_AVX512 static __mmask8 tries(const std::uint64_t* words,
                                                  double* values) noexcept {
    const __m512i w = _mm512_loadu_si512(words);
    const __m512i layer = _mm512_and_si512(w, _mm512_set1_epi64(0xFF));
    const __m512i sign =
        _mm512_slli_epi64(_mm512_and_si512(_mm512_srli_epi64(w, 8), _mm512_set1_epi64(1)), 63);
    const __m512i magnitude =
        _mm512_and_si512(_mm512_srli_epi64(w, 9), _mm512_set1_epi64(0x000FFFFFFFFFFFFFLL));
    const __m512i ki = _mm512_i64gather_epi64(layer, ziggurat::ki.data(), 8);
    const __m512d wi = _mm512_i64gather_pd(layer, ziggurat::wi.data(), 8);
    const __m512d unsigned_x = _mm512_mul_pd(_mm512_cvtepu64_pd(magnitude), wi);
    _mm512_storeu_pd(values,
                     _mm512_castsi512_pd(_mm512_xor_si512(_mm512_castpd_si512(unsigned_x), sign)));
    return _mm512_cmpge_epu64_mask(magnitude, ki);
  }
};

struct exponential_tries_x8 {
  STREAMALLOC_TARGET_AVX512 static __mmask8 tries(const std::uint64_t* words,
                                                  double* values) noexcept {
    const __m512i w = _mm512_srli_epi64(_mm512_loadu_si512(words), 3);
    const __m512i layer = _mm512_and_si512(w, _mm512_set1_epi64(0xFF));
    const __m512i magnitude = _mm512_srli_epi64(w, 8);
    const __m512i ke = _mm512_i64gather_epi64(layer, ziggurat::ke.data(), 8);
    const __m512d we = _mm512_i64gather_pd(layer, ziggurat::we.data(), 8);
    _mm512_storeu_pd(values, _mm512_mul_pd(_mm512_cvtepu64_pd(magnitude), we));
    return _mm512_cmpge_epu64_mask(magnitude, ke);
  }
};

template <class Tries, class Fast>
STREAMALLOC_TARGET_AVX512 void ziggurat_tries_avx512(const std::uint64_t* words, std::size_t n,
                                                     double* values, std::uint64_t* missed,
                                                     Fast fast) noexcept {
  std::size_t i = 0;
  for (; i + 64 <= n; i += 64) {
    std::uint64_t bits = 0;
    for (std::size_t j = 0; j < 64; j += 8) {
      bits |= static_cast<std::uint64_t>(Tries::tries(words + i + j, values + i + j)) << j;
    }
    missed[i / 64] = bits;
  }
  if (i < n) ziggurat_tries_scalar(words + i, n - i, values + i, missed + i / 64, fast);
}
#endif

}  // namespace

void standard_normal_tries(const std::uint64_t* words, std::size_t n, double* values,
                           std::uint64_t* missed) noexcept {
#ifdef STREAMALLOC_X86_KERNELS
  if (active_simd_level() == simd_level::avx512) {
    return ziggurat_tries_avx512<normal_tries_x8>(words, n, values, missed, standard_normal_fast);
  }
#endif
  ziggurat_tries_scalar(words, n, values, missed, standard_normal_fast);
}

void standard_exponential_tries(const std::uint64_t* words, std::size_t n, double* values,
                                std::uint64_t* missed) noexcept {
#ifdef STREAMALLOC_X86_KERNELS
  if (active_simd_level() == simd_level::avx512) {
    return ziggurat_tries_avx512<exponential_tries_x8>(words, n, values, missed,
                                                       standard_exponential_fast);
  }
#endif
  ziggurat_tries_scalar(words, n, values, missed, standard_exponential_fast);
}

// --- compaction -------------------------------------------------------------------------------

namespace {

std::size_t compact_doubles_scalar(const double* values, std::size_t n, const std::uint64_t* skip,
                                   double* out) noexcept {
  std::size_t k = 0;
  for (std::size_t j = 0; j < n; j += 64) {
    const std::size_t end = j + 64 < n ? j + 64 : n;
    const std::uint64_t bits = skip[j / 64];
    if (bits == 0 && end == j + 64) {  // a whole group kept: one fixed-size copy
      std::memcpy(out + k, values + j, 64 * sizeof(double));
      k += 64;
      continue;
    }
    for (std::size_t m = j; m < end; ++m) {
      out[k] = values[m];  // k <= m: inside out[0, n)
      k += 1 - ((bits >> (m - j)) & 1U);
    }
  }
  return k;
}

#ifdef STREAMALLOC_X86_KERNELS
// Eight at a time: the kept lanes packed to the front (VCOMPRESSPD), all eight stored; the
// lanes past the kept ones are overwritten by the next store or lie below position n.
STREAMALLOC_TARGET_AVX512 std::size_t compact_doubles_avx512(const double* values, std::size_t n,
                                                             const std::uint64_t* skip,
                                                             double* out) noexcept {
  std::size_t k = 0;
  std::size_t j = 0;
  for (; j + 8 <= n; j += 8) {
    const auto keep = static_cast<__mmask8>(~(skip[j / 64] >> (j % 64)) & 0xFFU);
    _mm512_storeu_pd(out + k, _mm512_maskz_compress_pd(keep, _mm512_loadu_pd(values + j)));
    k += static_cast<std::size_t>(__builtin_popcount(keep));
  }
  for (; j < n; ++j) {
    out[k] = values[j];
    k += 1 - ((skip[j / 64] >> (j % 64)) & 1U);
  }
  return k;
}
#endif

std::size_t set_bit_positions_scalar(const std::uint64_t* bits, std::size_t n,
                                     std::uint32_t* out) noexcept {
  std::size_t k = 0;
  for (std::size_t g = 0; g * 64 < n; ++g) {
    for (std::uint64_t word = bits[g]; word != 0; word &= word - 1) {
      out[k++] =
          static_cast<std::uint32_t>(64 * g + static_cast<std::size_t>(std::countr_zero(word)));
    }
  }
  return k;
}

#ifdef STREAMALLOC_X86_KERNELS
// Sixteen positions at a time: the set lanes of 0..15 + j packed to the front (VPCOMPRESSD), all
// sixteen stored; no branch depends on where the bits are.
STREAMALLOC_TARGET_AVX512 std::size_t set_bit_positions_avx512(const std::uint64_t* bits,
                                                               std::size_t n,
                                                               std::uint32_t* out) noexcept {
  const __m512i lanes = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
  std::size_t k = 0;
  for (std::size_t j = 0; j < n; j += 16) {
    const auto set = static_cast<__mmask16>((bits[j / 64] >> (j % 64)) & 0xFFFFU);
    const __m512i positions = _mm512_add_epi32(lanes, _mm512_set1_epi32(static_cast<int>(j)));
    _mm512_storeu_si512(out + k, _mm512_maskz_compress_epi32(set, positions));
    k += static_cast<std::size_t>(__builtin_popcount(set));
  }
  return k;
}
#endif

}  // namespace

std::size_t set_bit_positions(const std::uint64_t* bits, std::size_t n,
                              std::uint32_t* out) noexcept {
#ifdef STREAMALLOC_X86_KERNELS
  if (active_simd_level() == simd_level::avx512) return set_bit_positions_avx512(bits, n, out);
#endif
  return set_bit_positions_scalar(bits, n, out);
}

std::size_t compact_doubles(const double* values, std::size_t n, const std::uint64_t* skip,
                            double* out) noexcept {
#ifdef STREAMALLOC_X86_KERNELS
  if (active_simd_level() == simd_level::avx512) {
    return compact_doubles_avx512(values, n, skip, out);
  }
#endif
  return compact_doubles_scalar(values, n, skip, out);
}

// --- MT19937 ----------------------------------------------------------------------------------

namespace {

constexpr std::size_t mt_n = 624;
constexpr std::size_t mt_m = 397;
constexpr std::uint32_t mt_matrix_a = 0x9908B0DFU;
constexpr std::uint32_t mt_upper = 0x80000000U;
constexpr std::uint32_t mt_lower = 0x7FFFFFFFU;

constexpr std::uint32_t mt_twist(std::uint32_t upper_of, std::uint32_t lower_of,
                                 std::uint32_t far) noexcept {
  const std::uint32_t y = (upper_of & mt_upper) | (lower_of & mt_lower);
  return far ^ (y >> 1) ^ ((0U - (y & 1U)) & mt_matrix_a);
}

constexpr std::uint32_t mt_temper(std::uint32_t y) noexcept {
  y ^= y >> 11;
  y ^= (y << 7) & 0x9D2C5680U;
  y ^= (y << 15) & 0xEFC60000U;
  y ^= y >> 18;
  return y;
}

// Words [from, to) of the regeneration; `far` is the offset of the third operand (+m while
// i + m < n, then m - n: words this same pass already replaced).
void mt_regenerate_range(std::uint32_t* key, std::size_t from, std::size_t to) noexcept {
  for (std::size_t i = from; i < to; ++i) {
    const std::size_t far = i + mt_m < mt_n ? i + mt_m : i + mt_m - mt_n;
    key[i] = mt_twist(key[i], key[i + 1], key[far]);
  }
}

void mt_regenerate_scalar(std::uint32_t* key) noexcept {
  mt_regenerate_range(key, 0, mt_n - 1);
  key[mt_n - 1] = mt_twist(key[mt_n - 1], key[0], key[mt_m - 1]);
}

void mt_temper_scalar(const std::uint32_t* key, std::uint32_t* out, std::size_t n) noexcept {
  for (std::size_t i = 0; i < n; ++i) out[i] = mt_temper(key[i]);
}

#ifdef STREAMALLOC_X86_KERNELS
// Vectors of W words at i read key[i + 1 .. i + W] before any of them is replaced, and
// key[i + m ..] (first part: not replaced yet) or key[i + m - n ..] (second part: replaced
// 227 >= W words earlier), exactly as the scalar loop sees them. Vectors never straddle the
// two parts; the few words at each part's end go through the scalar loop. `Twist` is a kernel
// class with a static twist(key, i, far) for W words at i.
template <class Twist, std::size_t W>
[[gnu::always_inline]] inline void mt_regenerate_vectors(std::uint32_t* key) noexcept {
  std::size_t i = 0;
  for (; i + W <= mt_n - mt_m; i += W) Twist::twist(key, i, i + mt_m);
  mt_regenerate_range(key, i, mt_n - mt_m);
  for (i = mt_n - mt_m; i + W <= mt_n - 1; i += W) Twist::twist(key, i, i + mt_m - mt_n);
  mt_regenerate_range(key, i, mt_n - 1);
  key[mt_n - 1] = mt_twist(key[mt_n - 1], key[0], key[mt_m - 1]);
}

struct mt_twist_avx2 {
  STREAMALLOC_TARGET_AVX2 static void twist(std::uint32_t* k, std::size_t i,
                                            std::size_t far) noexcept {
    const __m256i upper = _mm256_set1_epi32(static_cast<int>(mt_upper));
    const __m256i lower = _mm256_set1_epi32(static_cast<int>(mt_lower));
    const __m256i matrix = _mm256_set1_epi32(static_cast<int>(mt_matrix_a));
    const __m256i one = _mm256_set1_epi32(1);
    const __m256i here = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(k + i));
    const __m256i next = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(k + i + 1));
    const __m256i other = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(k + far));
    const __m256i y = _mm256_or_si256(_mm256_and_si256(here, upper), _mm256_and_si256(next, lower));
    const __m256i odd = _mm256_cmpeq_epi32(_mm256_and_si256(y, one), one);
    const __m256i mixed = _mm256_xor_si256(_mm256_xor_si256(other, _mm256_srli_epi32(y, 1)),
                                           _mm256_and_si256(odd, matrix));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(k + i), mixed);
  }
};

struct mt_twist_avx512 {
  STREAMALLOC_TARGET_AVX512 static void twist(std::uint32_t* k, std::size_t i,
                                              std::size_t far) noexcept {
    const __m512i upper = _mm512_set1_epi32(static_cast<int>(mt_upper));
    const __m512i matrix = _mm512_set1_epi32(static_cast<int>(mt_matrix_a));
    const __m512i one = _mm512_set1_epi32(1);
    const __m512i here = _mm512_loadu_si512(k + i);
    const __m512i next = _mm512_loadu_si512(k + i + 1);
    const __m512i other = _mm512_loadu_si512(k + far);
    // upper ? here : next, bit by bit, in one ternary-logic instruction (truth table 0xAC for
    // operands a = upper, b = next, c = here).
    const __m512i y = _mm512_ternarylogic_epi32(upper, next, here, 0xAC);
    const __mmask16 odd = _mm512_test_epi32_mask(y, one);
    const __m512i shifted = _mm512_xor_si512(other, _mm512_srli_epi32(y, 1));
    _mm512_storeu_si512(k + i, _mm512_mask_xor_epi32(shifted, odd, shifted, matrix));
  }
};

STREAMALLOC_TARGET_AVX2 void mt_regenerate_avx2(std::uint32_t* key) noexcept {
  mt_regenerate_vectors<mt_twist_avx2, 8>(key);
}

STREAMALLOC_TARGET_AVX512 void mt_regenerate_avx512(std::uint32_t* key) noexcept {
  mt_regenerate_vectors<mt_twist_avx512, 16>(key);
}

STREAMALLOC_TARGET_AVX2 void mt_temper_avx2(const std::uint32_t* key, std::uint32_t* out,
                                            std::size_t n) noexcept {
  const __m256i b = _mm256_set1_epi32(static_cast<int>(0x9D2C5680U));
  const __m256i c = _mm256_set1_epi32(static_cast<int>(0xEFC60000U));
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    __m256i y = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(key + i));
    y = _mm256_xor_si256(y, _mm256_srli_epi32(y, 11));
    y = _mm256_xor_si256(y, _mm256_and_si256(_mm256_slli_epi32(y, 7), b));
    y = _mm256_xor_si256(y, _mm256_and_si256(_mm256_slli_epi32(y, 15), c));
    y = _mm256_xor_si256(y, _mm256_srli_epi32(y, 18));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + i), y);
  }
  mt_temper_scalar(key + i, out + i, n - i);
}

STREAMALLOC_TARGET_AVX512 void mt_temper_avx512(const std::uint32_t* key, std::uint32_t* out,
                                                std::size_t n) noexcept {
  const __m512i b = _mm512_set1_epi32(static_cast<int>(0x9D2C5680U));
  const __m512i c = _mm512_set1_epi32(static_cast<int>(0xEFC60000U));
  std::size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    __m512i y = _mm512_loadu_si512(key + i);
    y = _mm512_xor_si512(y, _mm512_srli_epi32(y, 11));
    y = _mm512_xor_si512(y, _mm512_and_si512(_mm512_slli_epi32(y, 7), b));
    y = _mm512_xor_si512(y, _mm512_and_si512(_mm512_slli_epi32(y, 15), c));
    y = _mm512_xor_si512(y, _mm512_srli_epi32(y, 18));
    _mm512_storeu_si512(out + i, y);
  }
  mt_temper_scalar(key + i, out + i, n - i);
}
#endif

}  // namespace

void mt19937_regenerate(std::uint32_t* key) noexcept {
#ifdef STREAMALLOC_X86_KERNELS
  switch (active_simd_level()) {
    case simd_level::avx512: return mt_regenerate_avx512(key);
    case simd_level::avx2: return mt_regenerate_avx2(key);
    case simd_level::scalar: break;
  }
#endif
  mt_regenerate_scalar(key);
}

void mt19937_temper(const std::uint32_t* key, std::uint32_t* out, std::size_t n) noexcept {
#ifdef STREAMALLOC_X86_KERNELS
  switch (active_simd_level()) {
    case simd_level::avx512: return mt_temper_avx512(key, out, n);
    case simd_level::avx2: return mt_temper_avx2(key, out, n);
    case simd_level::scalar: break;
  }
#endif
  mt_temper_scalar(key, out, n);
}

}  // namespace streamalloc::detail
