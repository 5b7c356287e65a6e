// streamalloc/detail/buffered_engine.hpp — what every NumPy 64-bit bit generator shares.
// Shipped for the public engine headers; not part of the stable API.
//
// PCG64, PCG64DXSM, Philox and SFC64 produce 64-bit words. NumPy derives the other outputs the
// same way for all four (numpy/random/src/*/*.h): a 32-bit draw returns the low half of a fresh
// 64-bit word and keeps the high half for the next 32-bit draw (has_uint32/uinteger in the state
// dict); a double takes the top 53 bits. The derived engine provides next64() only.
#pragma once

#include <cstdint>
#include <limits>
#include <span>

namespace streamalloc::detail {

// NumPy's uint64 -> [0, 1) conversion (Generator.random): 53 random bits times 2^-53.
constexpr double u64_to_double(std::uint64_t bits) noexcept {
  return static_cast<double>(bits >> 11) * (1.0 / 9007199254740992.0);
}

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

  // NumPy's random_raw(): for these generators, one 64-bit word.
  std::uint64_t next_raw() noexcept { return self().next64(); }

  // Bulk draws; identical to the same number of single draws.
  void fill(std::span<std::uint64_t> out) noexcept {
    for (auto& v : out) v = self().next64();
  }
  void fill(std::span<std::uint32_t> out) noexcept {
    for (auto& v : out) v = next32();
  }
  void fill(std::span<double> out) noexcept {
    for (auto& v : out) v = next_double();
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
