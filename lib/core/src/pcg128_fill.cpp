// Bulk words of PCG64 and PCG64DXSM: lane fills, bit-exact with single draws.
//
// One PCG stream is a serial chain: each 128-bit state is the previous one times the multiplier
// plus the increment, so a plain loop waits for every 128-bit product in turn (about 6 cycles
// of latency per word on x86-64) although the multiplier unit could start one every cycle. The
// fills here break the chain into lanes that compute exactly the states the serial loop would,
// using that k steps of the LCG are one affine map x -> A_k x + C_k (lcg128_powers.hpp):
//   * scalar (every architecture): a block of `lanes * chunk` words is split into `lanes`
//     consecutive chunks run side by side; lane j starts chunk * j steps into the block (one
//     affine map from lane j - 1) and then steps with the generator's own multiplier. What is
//     left is the multiplier's throughput: three 64-bit products per PCG64 step (a full 128-bit
//     multiplier), two per PCG64DXSM step (its 64-bit "cheap" multiplier) plus two in its
//     output function.
//   * AVX-512 (chosen at run time, detail/simd_level.hpp): 32 interleaved lanes in 8-wide
//     vectors, lane i holding the state of word i of each group of 32 consecutive words, all
//     advanced 32 steps at once by A_32, C_32; a group's words are then four contiguous vector
//     stores. The 128-bit products are built from 32-bit multiplies (VPMULUDQ) and 64-bit low
//     products (VPMULLQ), about four vector instructions per word, on two vector ports.
#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "src/lcg128_powers.hpp"
#include "src/simd_target.hpp"
#include "streamalloc/detail/simd_level.hpp"
#include "streamalloc/pcg64.hpp"
#include "streamalloc/pcg64_dxsm.hpp"

namespace streamalloc::detail {
namespace {

// Eight lanes: the 128-bit chains of four would already cover the latency, but eight leave the
// out-of-order core slack for the stores and the output functions (measured: 8 beats 4 by ~10%
// on the 2-core x86-64 VM of tests/bench; see README, Performance).
constexpr std::size_t lanes = 8;
// Below this many words per lane the lanes' setup (lanes - 1 affine maps) does not pay off.
constexpr std::size_t min_chunk = 4;

constexpr lcg128_small_powers pcg64_powers = lcg128_small_power_table(pcg64::multiplier);
constexpr lcg128_small_powers dxsm_powers = lcg128_small_power_table(pcg64_dxsm::multiplier);

// One draw of each generator on a lane's state: exactly next64().
struct xsl_rr_step {
  static std::uint64_t word(uint128& state, uint128 increment) noexcept {
    state = state * pcg64::multiplier + increment;
    return pcg64::output(state);
  }
};
struct dxsm_step {
  static std::uint64_t word(uint128& state, uint128 increment) noexcept {
    const std::uint64_t out = pcg64_dxsm::output(state);
    state = state * pcg64_dxsm::multiplier + increment;
    return out;
  }
};

template <class Step>
void lane_fill(uint128& engine_state, uint128 increment, std::uint64_t* out, std::size_t n,
               const lcg128_small_powers& powers) noexcept {
  uint128 state = engine_state;
  while (n >= lanes * min_chunk) {
    const std::size_t chunk = std::min(n / lanes, max_lane_chunk);
    const uint128 skip_mult = powers[chunk].mult;
    const uint128 skip_plus = powers[chunk].plus * increment;
    uint128 lane[lanes];
    lane[0] = state;
    for (std::size_t j = 1; j < lanes; ++j) lane[j] = skip_mult * lane[j - 1] + skip_plus;
    for (std::size_t t = 0; t < chunk; ++t) {
      for (std::size_t j = 0; j < lanes; ++j) out[j * chunk + t] = Step::word(lane[j], increment);
    }
    // The last lane ends where the serial loop would after the whole block.
    state = lane[lanes - 1];
    out += lanes * chunk;
    n -= lanes * chunk;
  }
  for (; n != 0; --n) *out++ = Step::word(state, increment);
  engine_state = state;
}

// The AVX-512 output functions (below, x86-64 only).
struct xsl_rr_x8;
struct dxsm_x8;

#ifdef STREAMALLOC_X86_KERNELS
// Vectors of lanes per group: 4 x 8 = 32 lanes keep enough independent products in flight to
// cover VPMULLQ's latency (about 15 cycles).
constexpr std::size_t vectors = 4;
constexpr std::size_t vector_lanes = 8 * vectors;

// Eight 128-bit values as their high and low 64-bit halves.
struct u128x8 {
  __m512i hi;
  __m512i lo;
};

// The affine map x -> a x + c (mod 2^128) with a and c the same in every lane.
struct affine_x8 {
  __m512i a_lo;       // low 64 bits of a
  __m512i a_lo_high;  // bits 32..63 of a (as VPMULUDQ reads the low 32 bits of each lane)
  __m512i a_hi;       // high 64 bits of a
  __m512i c_lo;
  __m512i c_hi;

  STREAMALLOC_TARGET_AVX512 static affine_x8 of(uint128 a, uint128 c) noexcept {
    return {_mm512_set1_epi64(static_cast<long long>(low64(a))),
            _mm512_set1_epi64(static_cast<long long>(low64(a) >> 32)),
            _mm512_set1_epi64(static_cast<long long>(high64(a))),
            _mm512_set1_epi64(static_cast<long long>(low64(c))),
            _mm512_set1_epi64(static_cast<long long>(high64(c)))};
  }

  // a x + c: x.lo * a_lo in full from four 32x32-bit products, the two cross products x.lo *
  // a_hi and x.hi * a_lo only mod 2^64 (VPMULLQ), the carry of the low half as a mask.
  STREAMALLOC_TARGET_AVX512 u128x8 apply(const u128x8& x) const noexcept {
    const __m512i low32 = _mm512_set1_epi64(0xFFFFFFFFLL);
    const __m512i x_high32 = _mm512_srli_epi64(x.lo, 32);
    const __m512i p00 = _mm512_mul_epu32(x.lo, a_lo);
    const __m512i p01 = _mm512_mul_epu32(x.lo, a_lo_high);
    const __m512i p10 = _mm512_mul_epu32(x_high32, a_lo);
    const __m512i p11 = _mm512_mul_epu32(x_high32, a_lo_high);
    const __m512i mid =
        _mm512_add_epi64(_mm512_add_epi64(_mm512_srli_epi64(p00, 32), _mm512_and_si512(p01, low32)),
                         _mm512_and_si512(p10, low32));
    // (mid << 32) | (p00 & low32): ternary-logic table 0xF8 is a | (b & c).
    __m512i lo = _mm512_ternarylogic_epi64(_mm512_slli_epi64(mid, 32), p00, low32, 0xF8);
    __m512i hi =
        _mm512_add_epi64(_mm512_add_epi64(p11, _mm512_srli_epi64(p01, 32)),
                         _mm512_add_epi64(_mm512_srli_epi64(p10, 32), _mm512_srli_epi64(mid, 32)));
    hi = _mm512_add_epi64(
        hi, _mm512_add_epi64(_mm512_mullo_epi64(x.lo, a_hi), _mm512_mullo_epi64(x.hi, a_lo)));
    lo = _mm512_add_epi64(lo, c_lo);
    const __mmask8 carry = _mm512_cmplt_epu64_mask(lo, c_lo);
    hi = _mm512_add_epi64(hi, c_hi);
    hi = _mm512_mask_sub_epi64(hi, carry, hi, _mm512_set1_epi64(-1));
    return {hi, lo};
  }
};

struct xsl_rr_x8 {
  // Lane i starts at the state after word i: PCG64 outputs the stepped state.
  static constexpr bool steps_first = true;
  STREAMALLOC_TARGET_AVX512 static __m512i output(const u128x8& s) noexcept {
    return _mm512_rorv_epi64(_mm512_xor_si512(s.hi, s.lo), _mm512_srli_epi64(s.hi, 58));
  }
};

struct dxsm_x8 {
  // Lane i starts at the state before word i: PCG64DXSM outputs, then steps.
  static constexpr bool steps_first = false;
  STREAMALLOC_TARGET_AVX512 static __m512i output(const u128x8& s) noexcept {
    const __m512i cheap = _mm512_set1_epi64(static_cast<long long>(pcg64_dxsm::cheap_multiplier));
    __m512i hi = _mm512_xor_si512(s.hi, _mm512_srli_epi64(s.hi, 32));
    hi = _mm512_mullo_epi64(hi, cheap);
    hi = _mm512_xor_si512(hi, _mm512_srli_epi64(hi, 48));
    return _mm512_mullo_epi64(hi, _mm512_or_si512(s.lo, _mm512_set1_epi64(1)));
  }
};

// The multiplicative inverse mod 2^128 of an odd multiplier (Newton's iteration doubles the
// correct low bits each round, from 3 bits), to step a state back: x = (next - c) * m^-1.
constexpr uint128 inverse_mod_2_128(uint128 m) noexcept {
  uint128 inverse = m;
  for (int i = 0; i < 6; ++i) inverse *= 2 - m * inverse;
  return inverse;
}

// Whole groups of vector_lanes words; returns the number of words written (a multiple of
// vector_lanes) and leaves `state` after them.
template <class Output, class Engine>
STREAMALLOC_TARGET_AVX512 std::size_t vector_fill(uint128& state, uint128 increment,
                                                  std::uint64_t* out, std::size_t n) noexcept {
  static_assert(Engine::multiplier * inverse_mod_2_128(Engine::multiplier) == 1);
  const std::size_t groups = n / vector_lanes;
  // Lanes 0..7 by eight serial steps, then each further vector of lanes eight steps on.
  alignas(64) std::uint64_t hi[8];
  alignas(64) std::uint64_t lo[8];
  uint128 s = state;
  for (std::size_t i = 0; i < 8; ++i) {
    if (Output::steps_first) s = s * Engine::multiplier + increment;
    hi[i] = high64(s);
    lo[i] = low64(s);
    if (!Output::steps_first) s = s * Engine::multiplier + increment;
  }
  constexpr lcg128_affine eight = lcg128_power(Engine::multiplier, 8);
  const affine_x8 by_eight = affine_x8::of(eight.mult, eight.plus * increment);
  u128x8 lane[vectors];
  lane[0] = {_mm512_load_si512(hi), _mm512_load_si512(lo)};
  for (std::size_t v = 1; v < vectors; ++v) lane[v] = by_eight.apply(lane[v - 1]);
  constexpr lcg128_affine skip = lcg128_power(Engine::multiplier, vector_lanes);
  const affine_x8 map = affine_x8::of(skip.mult, skip.plus * increment);
  for (std::size_t g = 0; g < groups; ++g) {
    for (std::size_t v = 0; v < vectors; ++v) {
      _mm512_storeu_si512(out + 8 * v, Output::output(lane[v]));
      lane[v] = map.apply(lane[v]);
    }
    out += vector_lanes;
  }
  // Lane 0 now holds the state after all the groups' words (DXSM), or one step past it (PCG64
  // outputs the stepped state), which one inverse step undoes.
  _mm512_store_si512(hi, lane[0].hi);
  _mm512_store_si512(lo, lane[0].lo);
  const uint128 lane0 = make_uint128(hi[0], lo[0]);
  constexpr uint128 inverse = inverse_mod_2_128(Engine::multiplier);
  state = Output::steps_first ? (lane0 - increment) * inverse : lane0;
  return groups * vector_lanes;
}
#endif

// Below this many words the vector lanes' setup (32 serial steps and a jump) does not pay off.
constexpr std::size_t min_vector_fill = 4 * 32;

template <class Step, class VectorOutput, class Engine>
void fill_words(uint128& state, uint128 increment, std::uint64_t* out, std::size_t n,
                const lcg128_small_powers& powers) noexcept {
#ifdef STREAMALLOC_X86_KERNELS
  if (n >= min_vector_fill && active_simd_level() == simd_level::avx512) {
    const std::size_t done = vector_fill<VectorOutput, Engine>(state, increment, out, n);
    out += done;
    n -= done;
  }
#endif
  lane_fill<Step>(state, increment, out, n, powers);
}

}  // namespace

void pcg64_fill(uint128& state, uint128 increment, std::uint64_t* out, std::size_t n) noexcept {
  fill_words<xsl_rr_step, xsl_rr_x8, pcg64>(state, increment, out, n, pcg64_powers);
}

void pcg64_dxsm_fill(uint128& state, uint128 increment, std::uint64_t* out,
                     std::size_t n) noexcept {
  fill_words<dxsm_step, dxsm_x8, pcg64_dxsm>(state, increment, out, n, dxsm_powers);
}

}  // namespace streamalloc::detail
