// Philox4x64-10 in bulk: many consecutive counter blocks, several in flight at once.
//
// One block is a chain of ten rounds, each waiting for two 64x64->128-bit products, so a
// single block runs at the multiplier's latency; blocks of consecutive counters are
// independent, and interleaving them runs at its throughput instead. The multiply limit is
// 20 products per block of four words, five per word. Two kernels compute the same words:
//
//  - a portable one in C++ (two blocks interleaved), the reference and the only kernel off
//    x86-64 or on CPUs without BMI2;
//  - on x86-64 with BMI2 (the avx2 level and up), two blocks in one asm statement with MULX.
//    GCC's own schedule of the same C++ spills the eight live words and moves every product
//    through RDX:RAX (6.4 cycles per word); written out, a round is two MULX and four XOR per
//    block, the key read from memory, and nothing else: about 1.5 ns per word on the bench
//    machine, at the multiply limit (see the README's generator table).
//
// tests/core/philox_test.cpp runs both against philox4x64_10() of philox_block.hpp (itself
// checked against Random123 and NumPy) at every SIMD level, across counter carries.
#include <array>
#include <cstddef>
#include <cstdint>

#include "src/simd_kernels.hpp"
#include "src/simd_target.hpp"
#include "streamalloc/detail/philox_block.hpp"
#include "streamalloc/detail/simd_level.hpp"

namespace streamalloc::detail {

namespace {

using philox_counter = std::array<std::uint64_t, 4>;
using philox_key = std::array<std::uint64_t, 2>;

// The key of each round (the key plus round * the Weyl increments), in memory: the XORs read
// it there instead of holding twenty registers.
using philox_round_keys = std::array<std::uint64_t, 2 * philox4x64_rounds>;

philox_round_keys round_keys(const philox_key& key) noexcept {
  philox_round_keys keys;
  for (std::size_t round = 0; round < philox4x64_rounds; ++round) {
    keys[2 * round] = key[0] + round * philox_w64_0;
    keys[2 * round + 1] = key[1] + round * philox_w64_1;
  }
  return keys;
}

// The 256-bit counter plus one, wrapping at 2^256 (NumPy's philox_next carry).
inline void increment(philox_counter& counter) noexcept {
  for (auto& word : counter) {
    if (++word != 0) break;
  }
}

// --- portable ---------------------------------------------------------------------------------

// Count blocks after `counter`, rounds interleaved (the round function of philox_block.hpp on
// local words), written to out[0, 4 * Count); the counter ends at the last block.
template <std::size_t Count>
[[gnu::always_inline]] inline void philox_group(philox_counter& counter,
                                                const philox_round_keys& keys,
                                                std::uint64_t* out) noexcept {
  std::uint64_t w0[Count], w1[Count], w2[Count], w3[Count];
  for (std::size_t b = 0; b < Count; ++b) {
    increment(counter);
    w0[b] = counter[0];
    w1[b] = counter[1];
    w2[b] = counter[2];
    w3[b] = counter[3];
  }
#pragma GCC unroll 10
  for (int round = 0; round < philox4x64_rounds; ++round) {
    for (std::size_t b = 0; b < Count; ++b) {
      const uint128 p0 = static_cast<uint128>(philox_m4x64_0) * w0[b];
      const uint128 p1 = static_cast<uint128>(philox_m4x64_1) * w2[b];
      w0[b] = high64(p1) ^ w1[b] ^ keys[2 * static_cast<std::size_t>(round)];
      w1[b] = low64(p1);
      w2[b] = high64(p0) ^ w3[b] ^ keys[2 * static_cast<std::size_t>(round) + 1];
      w3[b] = low64(p0);
    }
  }
  for (std::size_t b = 0; b < Count; ++b) {
    out[4 * b] = w0[b];
    out[4 * b + 1] = w1[b];
    out[4 * b + 2] = w2[b];
    out[4 * b + 3] = w3[b];
  }
}

// Two blocks in flight: more only spill registers on x86-64 (measured: 3 and 4 are slower).
void philox_blocks_portable(philox_counter& counter, const philox_key& key, std::uint64_t* out,
                            std::size_t blocks) noexcept {
  const philox_round_keys keys = round_keys(key);
  std::size_t b = 0;
  for (; b + 2 <= blocks; b += 2) philox_group<2>(counter, keys, out + 4 * b);
  for (; b < blocks; ++b) philox_group<1>(counter, keys, out + 4 * b);
}

#ifdef STREAMALLOC_X86_KERNELS
// --- x86-64 with BMI2 -------------------------------------------------------------------------
//
// A round on one block, words (w0, w1, w2, w3) in registers (a, b, c, d):
//   MULX with RDX = M0: lo(M0 * w0) -> a, hi -> temporary u;  d ^= key1, d ^= u
//   MULX with RDX = M1: lo(M1 * w2) -> c, hi -> temporary u;  b ^= key0, b ^= u
// which leaves w0' = hi(M1 w2) ^ w1 ^ key0 in b, w1' = lo(M1 w2) in c, w2' = hi(M0 w0) ^ w3 ^
// key1 in d, w3' = lo(M0 w0) in a: the words are (b, c, d, a), a rotation, so writing the
// rounds out with the register names rotated costs no moves. The key is XORed before the
// product so that only one XOR follows the multiplication on the chain. MULX multiplies by
// RDX: each round loads one constant there and uses the other first, so the two constants
// alternate and each round needs one load of RDX for both blocks.

// clang-format off
#define SA_PHILOX_P0(a, d, u, key1)                                   \
  "mulx %[" #a "], %[" #a "], %[" #u "]\n\t"                          \
  "xor " #key1 "(%[keys]), %[" #d "]\n\t"                             \
  "xor %[" #u "], %[" #d "]\n\t"
#define SA_PHILOX_P1(b, c, u, key0)                                   \
  "mulx %[" #c "], %[" #c "], %[" #u "]\n\t"                          \
  "xor " #key0 "(%[keys]), %[" #b "]\n\t"                             \
  "xor %[" #u "], %[" #b "]\n\t"
#define SA_PHILOX_RDX_M0 "movabs $0xD2E7470EE14C6C93, %%rdx\n\t"
#define SA_PHILOX_RDX_M1 "movabs $0xCA5A826395121157, %%rdx\n\t"
// Even rounds start with RDX = M0 and end with M1; odd rounds the other way round. Block x in
// (a, b, c, d), block y in (e, f, g, h); key0 and key1 are the round keys' byte offsets.
#define SA_PHILOX_EVEN(a, b, c, d, e, f, g, h, key0, key1)                              \
  SA_PHILOX_P0(a, d, u, key1) SA_PHILOX_P0(e, h, v, key1) SA_PHILOX_RDX_M1                \
  SA_PHILOX_P1(b, c, u, key0) SA_PHILOX_P1(f, g, v, key0)
#define SA_PHILOX_ODD(a, b, c, d, e, f, g, h, key0, key1)                               \
  SA_PHILOX_P1(b, c, u, key0) SA_PHILOX_P1(f, g, v, key0) SA_PHILOX_RDX_M0                \
  SA_PHILOX_P0(a, d, u, key1) SA_PHILOX_P0(e, h, v, key1)
// clang-format on

static_assert(philox_m4x64_0 == 0xD2E7470EE14C6C93ULL && philox_m4x64_1 == 0xCA5A826395121157ULL,
              "the asm's immediates are Philox4x64's multipliers");

void philox_blocks_mulx(philox_counter& counter, const philox_key& key, std::uint64_t* out,
                        std::size_t blocks) noexcept {
  const philox_round_keys keys = round_keys(key);
  std::size_t b = 0;
  for (; b + 2 <= blocks; b += 2) {
    std::uint64_t x0, x1, x2, x3, y0, y1, y2, y3;
    if (counter[0] < ~std::uint64_t{1}) {  // no carry out of the low word in either block
      x0 = counter[0] + 1;
      y0 = counter[0] + 2;
      x1 = y1 = counter[1];
      x2 = y2 = counter[2];
      x3 = y3 = counter[3];
      counter[0] = y0;
    } else {
      increment(counter);
      x0 = counter[0], x1 = counter[1], x2 = counter[2], x3 = counter[3];
      increment(counter);
      y0 = counter[0], y1 = counter[1], y2 = counter[2], y3 = counter[3];
    }
    std::uint64_t u, v;  // the high halves of the products
    // clang-format off
    asm(SA_PHILOX_RDX_M0
        SA_PHILOX_EVEN(x0, x1, x2, x3, y0, y1, y2, y3, 0, 8)
        SA_PHILOX_ODD(x1, x2, x3, x0, y1, y2, y3, y0, 16, 24)
        SA_PHILOX_EVEN(x2, x3, x0, x1, y2, y3, y0, y1, 32, 40)
        SA_PHILOX_ODD(x3, x0, x1, x2, y3, y0, y1, y2, 48, 56)
        SA_PHILOX_EVEN(x0, x1, x2, x3, y0, y1, y2, y3, 64, 72)
        SA_PHILOX_ODD(x1, x2, x3, x0, y1, y2, y3, y0, 80, 88)
        SA_PHILOX_EVEN(x2, x3, x0, x1, y2, y3, y0, y1, 96, 104)
        SA_PHILOX_ODD(x3, x0, x1, x2, y3, y0, y1, y2, 112, 120)
        SA_PHILOX_EVEN(x0, x1, x2, x3, y0, y1, y2, y3, 128, 136)
        SA_PHILOX_ODD(x1, x2, x3, x0, y1, y2, y3, y0, 144, 152)
        : [x0] "+r"(x0), [x1] "+r"(x1), [x2] "+r"(x2), [x3] "+r"(x3),
          [y0] "+r"(y0), [y1] "+r"(y1), [y2] "+r"(y2), [y3] "+r"(y3),
          [u] "=&r"(u), [v] "=&r"(v)
        : [keys] "r"(keys.data()), "m"(keys)
        : "rdx", "cc");
    // clang-format on
    // Ten rotations by one: the words end in (x2, x3, x0, x1).
    std::uint64_t* block = out + 4 * b;
    block[0] = x2, block[1] = x3, block[2] = x0, block[3] = x1;
    block[4] = y2, block[5] = y3, block[6] = y0, block[7] = y1;
  }
  if (b < blocks) philox_group<1>(counter, keys, out + 4 * b);
}

#undef SA_PHILOX_P0
#undef SA_PHILOX_P1
#undef SA_PHILOX_RDX_M0
#undef SA_PHILOX_RDX_M1
#undef SA_PHILOX_EVEN
#undef SA_PHILOX_ODD
#endif

}  // namespace

void philox4x64_10_blocks(philox_counter& counter, const philox_key& key, std::uint64_t* out,
                          std::size_t blocks, philox_counter& last) noexcept {
  if (blocks == 0) return;
#ifdef STREAMALLOC_X86_KERNELS
  if (active_simd_level() != simd_level::scalar) {
    philox_blocks_mulx(counter, key, out, blocks);
  } else {
    philox_blocks_portable(counter, key, out, blocks);
  }
#else
  philox_blocks_portable(counter, key, out, blocks);
#endif
  const std::uint64_t* block = out + 4 * (blocks - 1);
  last = {block[0], block[1], block[2], block[3]};
}

}  // namespace streamalloc::detail
