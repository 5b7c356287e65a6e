// streamalloc/detail/buffered_engine.hpp — what every NumPy 64-bit bit generator shares.
// Shipped for the public engine headers; not part of the stable API.
//
// PCG64, PCG64DXSM, Philox and SFC64 produce 64-bit words. NumPy derives the other outputs the
// same way for all four (numpy/random/src/*/*.h): a 32-bit draw returns the low half of a fresh
// 64-bit word and keeps the high half for the next 32-bit draw (has_uint32/uinteger in the state
// dict); a double takes the top 53 bits. The derived engine provides next64() only.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>

namespace streamalloc::detail {

// NumPy's uint64 -> [0, 1) conversion (Generator.random): 53 random bits times 2^-53.
constexpr double u64_to_double(std::uint64_t bits) noexcept {
  return static_cast<double>(bits >> 11) * (1.0 / 9007199254740992.0);
}

// out[i] = u64_to_double(words[i]) for i < n; vectorised where the CPU allows (see
// simd_kernels.cpp), the same values on every path.
void words_to_doubles(const std::uint64_t* words, double* out, std::size_t n) noexcept;

// Words a bulk fill of 32-bit values or doubles draws at a time (a 4 KiB stack buffer).
inline constexpr std::size_t fill_block = 512;

template <class Engine>
class buffered_engine {
 public:
  using result_type = std::uint64_t;
  static constexpr result_type min() noexcept { return 0; }
  static constexpr result_type max() noexcept { return std::numeric_limits<result_type>::max(); }

  // std::uniform_random_bit_generator: one 64-bit word.
  result_type operator()() noexcept { return self().next64(); }

  // NumPy's next_uint32: the buffered upper half of the previous 64-bit word, if any.
  std::uint32_t next32() noexcept {
    if (has_uint32_) {
      has_uint32_ = false;
      return uinteger_;
    }
    const std::uint64_t word = self().next64();
    has_uint32_ = true;
    uinteger_ = static_cast<std::uint32_t>(word >> 32);
    return static_cast<std::uint32_t>(word);
  }

  // NumPy's next_double: Generator.random().
  double next_double() noexcept { return u64_to_double(self().next64()); }
  // The double next_double() gives when next64() would give `word` (for distributions that
  // draw words in bulk and turn some of them into doubles).
  static constexpr double double_of(std::uint64_t word) noexcept { return u64_to_double(word); }

  // NumPy's random_raw(): for these generators, one 64-bit word.
  std::uint64_t next_raw() noexcept { return self().next64(); }

  // Bulk draws; identical to the same number of single draws. An engine with a faster bulk
  // kernel declares its own fill(std::span<std::uint64_t>) (and `using buffered_engine::fill`);
  // the 32-bit and double fills draw whole words through it, a block at a time.
  void fill(std::span<std::uint64_t> out) noexcept {
    for (auto& v : out) v = self().next64();
  }
  void fill(std::span<std::uint32_t> out) noexcept {
    std::size_t i = 0;
    if (has_uint32_ && !out.empty()) out[i++] = next32();
    std::uint64_t words[fill_block];
    while (out.size() - i >= 2) {
      const std::size_t n = std::min((out.size() - i) / 2, fill_block);
      self().fill(std::span<std::uint64_t>(words, n));
      for (std::size_t k = 0; k < n; ++k, i += 2) {
        out[i] = static_cast<std::uint32_t>(words[k]);
        out[i + 1] = static_cast<std::uint32_t>(words[k] >> 32);
      }
      // The state single draws leave: the last high half stays in uinteger, used up.
      uinteger_ = out[i - 1];
    }
    if (i < out.size()) out[i] = next32();  // keeps the high half, as NumPy does
  }
  void fill(std::span<double> out) noexcept {
    std::uint64_t words[fill_block];
    for (std::size_t i = 0; i < out.size();) {
      const std::size_t n = std::min(out.size() - i, fill_block);
      self().fill(std::span<std::uint64_t>(words, n));
      words_to_doubles(words, out.data() + i, n);
      i += n;
    }
  }

  // The pending upper half of a 64-bit word (NumPy's has_uint32 and uinteger).
  bool has_uint32() const noexcept { return has_uint32_; }
  std::uint32_t uinteger() const noexcept { return uinteger_; }

 protected:
  void reset_uint32_buffer() noexcept {
    has_uint32_ = false;
    uinteger_ = 0;
  }
  void set_uint32_buffer(bool has, std::uint32_t value) noexcept {
    has_uint32_ = has;
    uinteger_ = value;
  }
  bool buffer_equal(const buffered_engine& other) const noexcept {
    return has_uint32_ == other.has_uint32_ && uinteger_ == other.uinteger_;
  }

 private:
  Engine& self() noexcept { return static_cast<Engine&>(*this); }

  bool has_uint32_ = false;
  std::uint32_t uinteger_ = 0;
};

}  // namespace streamalloc::detail
