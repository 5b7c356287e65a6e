// streamalloc/sfc64.hpp — NumPy's SFC64 bit generator (Chris Doty-Humphrey's Small Fast
// Chaotic PRNG, 64-bit), bit for bit.
//
// Seeded from a seed_sequence exactly as numpy.random.SFC64: three uint64 state words, a counter
// of 1, and 12 discarded rounds. SFC64 has no jump-ahead (its chaotic part is not linear), so
// independent SFC64 streams come from distinct seed sequences only. State round-trips through
// NumPy's state dict. Models std::uniform_random_bit_generator. Not thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "streamalloc/detail/buffered_engine.hpp"
#include "streamalloc/seed_sequence.hpp"

namespace streamalloc {

class sfc64 : public detail::buffered_engine<sfc64> {
 public:
  static constexpr std::string_view numpy_name = "SFC64";

  explicit sfc64(const seed_sequence& seq);

  std::uint64_t next64() noexcept {
    const std::uint64_t out = a_ + b_ + counter_++;
    a_ = b_ ^ (b_ >> 11);
    b_ = c_ + (c_ << 3);
    c_ = ((c_ << 24) | (c_ >> 40)) + out;
    return out;
  }

  // Bulk words, identical to out.size() next64() calls. One SFC64 stream is a serial chain
  // (its state is not linear, so it cannot be split into lanes); the loop keeps the four words
  // in registers, where single draws store them back for every word.
  using buffered_engine::fill;
  void fill(std::span<std::uint64_t> out) noexcept;

  // The four state words a, b, c, counter, as NumPy's state['state']['state'] lists them.
  std::array<std::uint64_t, 4> words() const noexcept { return {a_, b_, c_, counter_}; }

  std::string state_json() const;
  void set_state_json(std::string_view text);
  static sfc64 from_state_json(std::string_view text);

  friend bool operator==(const sfc64& a, const sfc64& b) noexcept {
    return a.words() == b.words() && a.buffer_equal(b);
  }

 private:
  sfc64() = default;

  std::uint64_t a_ = 0;
  std::uint64_t b_ = 0;
  std::uint64_t c_ = 0;
  std::uint64_t counter_ = 1;
};

}  // namespace streamalloc
