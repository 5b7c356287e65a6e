// streamalloc/philox.hpp — NumPy's Philox bit generator (Philox4x64-10, Salmon et al. 2011 /
// Random123), bit for bit.
//
// A Philox stream is a 128-bit key and a 256-bit counter; each increment of the counter yields
// one block of four 64-bit words, detail::philox4x64_10(counter, key), handed out one at a time.
// Seeded from a seed_sequence exactly as numpy.random.Philox (key = generate_state(2, uint64),
// counter 0), or from an explicit key and counter like Philox(key=K, counter=C). advance(),
// retreat() and jumped() move the counter as NumPy does (mod 2^256) and clear the buffers as
// NumPy's _reset_state_variables does, so every output and every state dict equals NumPy 1.24's.
// Keys are independent streams: distinct keys give unrelated sequences, which is how campaigns
// hand out Philox streams by ID. Models std::uniform_random_bit_generator. Not thread-safe: one
// generator per thread (the block function itself is stateless and may be shared freely).
#pragma once

#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "streamalloc/big_uint.hpp"
#include "streamalloc/detail/buffered_engine.hpp"
#include "streamalloc/detail/philox_block.hpp"
#include "streamalloc/seed_sequence.hpp"

namespace streamalloc {

class philox : public detail::buffered_engine<philox> {
 public:
  static constexpr std::string_view numpy_name = "Philox";
  // Words per block (NumPy's PHILOX_BUFFER_SIZE).
  static constexpr std::size_t buffer_size = 4;

  using key_type = detail::philox4x64_key;          // little-endian: key()[0] is the low word
  using counter_type = detail::philox4x64_counter;  // little-endian 256-bit counter
  using buffer_type = std::array<std::uint64_t, buffer_size>;

  // NumPy's Philox(seq, counter=C): key = seq.generate_state(2, uint64), the counter C (default
  // 0), empty buffers. Throws invalid_argument if counter >= 2**256.
  explicit philox(const seed_sequence& seq, const big_uint& counter = big_uint{});

  // NumPy's Philox(key=K, counter=C). Throws invalid_argument if key >= 2**128 or
  // counter >= 2**256 (NumPy raises ValueError for both).
  static philox from_key(const big_uint& key, const big_uint& counter = big_uint{});
  // The same from words: key[0] and counter[0] are the least significant.
  static philox from_words(key_type key, counter_type counter) noexcept {
    philox engine;
    engine.key_ = key;
    engine.counter_ = counter;
    return engine;
  }

  // NumPy's philox_next: the next buffered word, or, once the block is used up, the first word
  // of the block at counter + 1 (carrying across all four words, wrapping at 2^256).
  std::uint64_t next64() noexcept {
    if (buffer_pos_ < buffer_size) return buffer_[buffer_pos_++];
    for (auto& word : counter_) {
      if (++word != 0) break;
    }
    buffer_ = detail::philox4x64_10(counter_, key_);
    buffer_pos_ = 1;
    return buffer_[0];
  }

  // Bulk words, identical to out.size() next64() calls, and leaving the same state (the last
  // block in the buffer). Whole blocks are computed several at a time and written straight out,
  // so the independent blocks' multiplications overlap (see philox.cpp).
  using buffered_engine::fill;
  void fill(std::span<std::uint64_t> out) noexcept;

  // Adds delta to the counter (mod 2^256) and empties the buffers: NumPy's advance(delta). The
  // next word is then the first of block counter + delta + 1, so advance(n) skips n blocks of
  // 4 words (from a block boundary), not n words.
  philox& advance(const big_uint& delta);
  // NumPy's advance(-delta): the counter moves back by delta (mod 2^256).
  philox& retreat(const big_uint& delta);
  // NumPy's jumped(jumps): a copy advanced by jumps * 2^128 (mod 2^256).
  philox jumped(const big_uint& jumps) const;
  // The same for a jump count below 2^64, without building a big_uint.
  philox jumped(std::uint64_t jumps = 1) const;
  // A signed count: NumPy's jumped(-n) wraps, giving the stream n jumps *behind* this one
  // (counter - n * 2^128, mod 2^256).
  template <std::signed_integral Int>
  philox jumped(Int jumps) const {
    const auto low = static_cast<std::uint64_t>(static_cast<std::int64_t>(jumps));
    return jumped_words(low, jumps < 0 ? ~std::uint64_t{0} : 0);
  }
  // NumPy's jumped(-jumps) for a count of any size: the stream `jumps` jumps behind.
  philox jumped_back(const big_uint& jumps) const;

  const key_type& key() const noexcept { return key_; }
  const counter_type& counter() const noexcept { return counter_; }
  const buffer_type& buffer() const noexcept { return buffer_; }
  // Index of the next buffered word; buffer_size when the buffer is empty.
  std::size_t buffer_pos() const noexcept { return buffer_pos_; }

  // NumPy's bit_generator.state, as the text json.dumps prints:
  // {"bit_generator": "Philox", "state": {"counter": [4], "key": [2]}, "buffer": [4],
  //  "buffer_pos": n, "has_uint32": 0|1, "uinteger": u}.
  std::string state_json() const;
  // Sets the state from NumPy's state dict (JSON text); throws invalid_argument on any
  // malformed field, naming it.
  void set_state_json(std::string_view text);
  static philox from_state_json(std::string_view text);

  friend bool operator==(const philox& a, const philox& b) noexcept {
    return a.key_ == b.key_ && a.counter_ == b.counter_ && a.buffer_ == b.buffer_ &&
           a.buffer_pos_ == b.buffer_pos_ && a.buffer_equal(b);
  }

 private:
  philox() = default;
  void add_to_counter(const counter_type& delta) noexcept;
  // A copy with (high * 2^64 + low) * 2^128 added to the counter, buffers emptied.
  philox jumped_words(std::uint64_t low, std::uint64_t high) const noexcept;
  void reset_buffers() noexcept;

  key_type key_{};
  counter_type counter_{};
  buffer_type buffer_{};
  std::size_t buffer_pos_ = buffer_size;
};

}  // namespace streamalloc
