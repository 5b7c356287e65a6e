// streamalloc/distributions/bit_source.hpp — what a distribution draws its bits from.
//
// NumPy's distributions consume three primitives of a bit generator: a 64-bit word (next_uint64),
// a 32-bit word (next_uint32, which NumPy's 64-bit generators buffer: the low half of a fresh
// word now, its high half on the next call) and a double in [0, 1) (next_double). streamalloc's
// engines (pcg64, pcg64_dxsm, sfc64, philox, mt19937) provide exactly these as next64(),
// next32() and next_double(), so every distribution called with one of them draws the same
// values, in the same order, as numpy.random.Generator(<same bit generator>) does.
//
// Any other std::uniform_random_bit_generator works too, through numpy_bitgen_adapter, which
// builds the three primitives from the generator's output:
//   * 64-bit output range [0, 2^64): next64 is one call; next32 the low half of one word (the
//     buffered adapter keeps the high half for the next next32, as NumPy does); next_double the
//     top 53 bits of a word times 2^-53.
//   * 32-bit output range [0, 2^32) (std::mt19937, ...): as NumPy's MT19937 — next32 is one call,
//     next64 is (first << 32) | second, next_double is (27 bits of the first + 26 of the second)
//     times 2^-53. std::mt19937(s) then draws what numpy.random.MT19937 does after
//     _legacy_seeding(s).
//   * any other range [min, max]: each call gives floor(log2(max - min + 1)) uniform bits (values
//     above the largest power of two are rejected), calls are concatenated first-call-highest
//     until 64 bits are filled, and next32/next_double derive from next64 as for 64-bit output.
// When a plain URBG is passed to a distribution directly, each call wraps it in a temporary,
// unbuffered adapter (next32 then never keeps a half word between calls), so single draws and
// bulk fills agree. Wrap the URBG once in numpy_bitgen_adapter<G> yourself to get NumPy's
// buffering across calls.
//
// Thread safety: an adapter refers to its generator and mutates it; use one per thread.
#pragma once

#include <algorithm>
#include <bit>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <random>
#include <span>
#include <type_traits>

namespace streamalloc {

// A generator with NumPy's bitgen_t primitives.
template <class G>
concept numpy_bit_generator = requires(G& gen) {
  { gen.next64() } -> std::same_as<std::uint64_t>;
  { gen.next32() } -> std::same_as<std::uint32_t>;
  { gen.next_double() } -> std::same_as<double>;
};

// A streamalloc engine: NumPy's primitives plus bulk fills of 64-bit words and doubles, and
// double_of(word), the double next_double() makes of the word next64() would return. Bulk
// distribution draws on such an engine take its words a block at a time (below).
template <class G>
concept bulk_bit_generator = numpy_bit_generator<G> &&
    requires(G& gen, std::span<std::uint64_t> words, std::span<double> doubles, std::uint64_t w) {
  gen.fill(words);
  gen.fill(doubles);
  { G::double_of(w) } -> std::same_as<double>;
};

// What every distribution accepts: a NumPy-style bit generator or any standard URBG.
template <class G>
concept bit_source = numpy_bit_generator<G> || std::uniform_random_bit_generator<G>;

// NumPy's three primitives on top of a std::uniform_random_bit_generator (see the file comment).
// `Buffered` selects NumPy's keep-the-high-half next32 for generators wider than 32 bits.
// Holds a reference: the generator must outlive the adapter.
template <std::uniform_random_bit_generator G, bool Buffered = true>
class numpy_bitgen_adapter {
  static constexpr std::uint64_t source_span =
      static_cast<std::uint64_t>(G::max()) - static_cast<std::uint64_t>(G::min());
  static constexpr bool full64 = source_span == std::numeric_limits<std::uint64_t>::max();
  static constexpr bool exact32 = source_span == 0xFFFFFFFFU;

  // floor(log2(span + 1)): bits one call yields.
  static constexpr int bits_per_call() {
    int bits = 0;
    while (bits < 64 && (source_span >> bits) != 0) ++bits;
    // span + 1 is a power of two exactly when span is all ones below bit `bits`.
    const bool all_ones = bits == 64 || source_span == ((std::uint64_t{1} << bits) - 1U);
    return all_ones ? bits : bits - 1;
  }
  static constexpr int call_bits = bits_per_call();
  static_assert(call_bits >= 1, "numpy_bitgen_adapter: the generator must yield at least one bit");

 public:
  using result_type = std::uint64_t;
  static constexpr result_type min() noexcept { return 0; }
  static constexpr result_type max() noexcept { return std::numeric_limits<result_type>::max(); }

  explicit numpy_bitgen_adapter(G& gen) noexcept : gen_(&gen) {}

  result_type operator()() { return next64(); }

  std::uint64_t next64() {
    if constexpr (full64) {
      return static_cast<std::uint64_t>((*gen_)());
    } else if constexpr (exact32) {
      const std::uint64_t high = draw_bits();
      return (high << 32) | draw_bits();
    } else {
      std::uint64_t word = 0;
      for (int filled = 0; filled < 64; filled += call_bits) {
        word = (call_bits >= 64 ? 0 : word << call_bits) | draw_bits();
      }
      return word;
    }
  }

  std::uint32_t next32() {
    if constexpr (exact32) {
      return static_cast<std::uint32_t>(draw_bits());
    } else if constexpr (Buffered) {
      if (has_uint32_) {
        has_uint32_ = false;
        return uinteger_;
      }
      const std::uint64_t word = next64();
      has_uint32_ = true;
      uinteger_ = static_cast<std::uint32_t>(word >> 32);
      return static_cast<std::uint32_t>(word);
    } else {
      return static_cast<std::uint32_t>(next64());
    }
  }

  double next_double() {
    if constexpr (exact32) {
      const auto a = static_cast<std::uint32_t>(draw_bits()) >> 5;
      const auto b = static_cast<std::uint32_t>(draw_bits()) >> 6;
      return (a * 67108864.0 + b) / 9007199254740992.0;
    } else {
      return static_cast<double>(next64() >> 11) * (1.0 / 9007199254740992.0);
    }
  }

 private:
  // One call's worth of uniform bits (call_bits of them), rejecting the top of a range that is
  // not a power of two.
  std::uint64_t draw_bits() {
    for (;;) {
      const std::uint64_t value =
          static_cast<std::uint64_t>((*gen_)()) - static_cast<std::uint64_t>(G::min());
      if constexpr (call_bits >= 64) {
        return value;
      } else {
        if (value < (std::uint64_t{1} << call_bits)) return value;
      }
    }
  }

  G* gen_;
  bool has_uint32_ = false;
  std::uint32_t uinteger_ = 0;
};

namespace detail {

// The bit generator a distribution draws from: the argument itself when it has NumPy's
// primitives, else a temporary unbuffered adapter around it.
template <bit_source G>
decltype(auto) bitgen_of(G& gen) noexcept {
  if constexpr (numpy_bit_generator<G>) {
    return (gen);
  } else {
    return numpy_bitgen_adapter<G, false>(gen);
  }
}

// The words of a bulk_bit_generator drawn a block at a time but handed out one by one, in
// stream order: next64()/next_double() read the block, and past its end the generator itself,
// so a consumer sees exactly the words single draws would give.
template <bulk_bit_generator G>
class block_words {
 public:
  static constexpr std::size_t capacity = 512;  // 4 KiB on the stack

  explicit block_words(G& gen) noexcept : gen_(&gen) {}

  // Draws the next `count` (<= capacity) words ahead; call once the previous block is used up.
  void draw(std::size_t count) noexcept {
    gen_->fill(std::span<std::uint64_t>(words_, count));
    pos_ = 0;
    size_ = count;
  }
  const std::uint64_t* data() const noexcept { return words_; }
  // The index of the next word to hand out (size() once the block is used up).
  std::size_t position() const noexcept { return pos_; }
  void seek(std::size_t pos) noexcept { pos_ = pos; }

  std::uint64_t next64() noexcept { return pos_ < size_ ? words_[pos_++] : gen_->next64(); }
  double next_double() noexcept { return G::double_of(next64()); }

 private:
  G* gen_;
  std::uint64_t words_[capacity];
  std::size_t pos_ = 0;
  std::size_t size_ = 0;
};

// out[i] = one draw for every i, for a draw made of a fast path on one word and, when that
// misses, the rest of the draw (the ziggurats). tries(words, n, values, missed) runs the fast
// path on a whole block: values[j] for every word, bit j of missed[j / 64] set where word j
// missed. The values of the words that hit are then copied out run by run, and a word that
// missed goes to slow(word, words) -> double, which finishes its draw reading the following
// words from the block_words (and past its end from the generator); the runs resume after
// the last word it read. Blocks are never longer than the values still to make (each draw
// uses at least one word), so no word is drawn that the same number of single draws would not
// consume: the generator ends exactly where out.size() single draws leave it.
template <bulk_bit_generator G, class Tries, class Slow>
void fill_from_blocks(G& gen, std::span<double> out, Tries tries, Slow slow) {
  constexpr std::size_t capacity = block_words<G>::capacity;
  block_words<G> words(gen);
  double values[capacity];
  std::uint64_t missed[capacity / 64];
  for (std::size_t i = 0; i < out.size();) {
    const std::size_t count = std::min(out.size() - i, capacity);
    words.draw(count);
    tries(words.data(), count, values, missed);
    for (std::size_t pos = 0; pos < count;) {
      // The next miss at or after pos (count if none).
      std::size_t miss = count;
      for (std::size_t k = pos / 64; k * 64 < count; ++k) {
        const std::uint64_t bits =
            k == pos / 64 ? missed[k] & (~std::uint64_t{0} << (pos % 64)) : missed[k];
        if (bits != 0) {
          miss = std::min(count, k * 64 + static_cast<std::size_t>(std::countr_zero(bits)));
          break;
        }
      }
      std::copy(values + pos, values + miss, out.data() + i);
      i += miss - pos;
      if (miss == count) break;
      words.seek(miss + 1);
      out[i++] = slow(words.data()[miss], words);
      pos = words.position();
    }
  }
}

}  // namespace detail
}  // namespace streamalloc
