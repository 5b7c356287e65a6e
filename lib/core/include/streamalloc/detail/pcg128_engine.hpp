// streamalloc/detail/pcg128_engine.hpp — the 128-bit LCG shared by PCG64 and PCG64DXSM.
// Shipped for the public engine headers; not part of the stable API.
//
// Both NumPy generators keep a 128-bit state and an odd 128-bit increment, seed them the same
// way from a SeedSequence, and jump with Brown's arbitrary-stride LCG advance; they differ only
// in the multiplier of the step and the output function, which the derived class supplies.
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "streamalloc/big_uint.hpp"
#include "streamalloc/detail/buffered_engine.hpp"
#include "streamalloc/seed_sequence.hpp"
#include "streamalloc/uint128.hpp"

namespace streamalloc::detail {

// The multiplier pcg_setseq_128_srandom_r steps with while seeding, for both generators.
inline constexpr uint128 pcg_default_multiplier =
    make_uint128(0x2360ed051fc65da4ULL, 0x4385df649fccf645ULL);

// NumPy's jump size for PCG64 and PCG64DXSM: floor(2^128 / golden ratio), an odd number, so
// successive jumps land far apart on the 2^128 cycle.
inline constexpr uint128 pcg_jump_step = make_uint128(0x9e3779b97f4a7c15ULL, 0xf39cc0605cedc835ULL);

// Brown, "Random Number Generation with Arbitrary Stride" (1994): state after `delta` steps of
// x -> multiplier * x + increment, in O(log delta) (one precomputed affine map per nonzero hex
// digit of delta for the two multipliers in use).
uint128 lcg128_advance(uint128 state, uint128 delta, uint128 multiplier,
                       uint128 increment) noexcept;
// The state after jumps * pcg_jump_step steps (mod 2^128): NumPy's jumped(jumps), in one
// precomputed map per nonzero hex digit of jumps.
uint128 lcg128_jump(uint128 state, uint128 jumps, uint128 multiplier, uint128 increment) noexcept;

// Bulk words of the two output functions, equal to n single draws and leaving `state` where
// they would (lane fills; see pcg128_fill.cpp): XSL-RR after the step (PCG64), DXSM before the
// step with the cheap multiplier (PCG64DXSM).
void pcg64_fill(uint128& state, uint128 increment, std::uint64_t* out, std::size_t n) noexcept;
void pcg64_dxsm_fill(uint128& state, uint128 increment, std::uint64_t* out, std::size_t n) noexcept;

// NumPy's pcg64 seeding: the SeedSequence's first two uint64 words (high word first) are the
// initial state, the next two the stream selector; two default-multiplier steps mix them.
struct pcg128_seed {
  uint128 state;
  uint128 increment;
};
pcg128_seed pcg128_seed_from(const seed_sequence& seq);

// State-dict I/O shared by PCG64 and PCG64DXSM: {"bit_generator": name, "state": {"state",
// "inc"}, "has_uint32", "uinteger"}.
struct pcg128_state_fields {
  uint128 state;
  uint128 increment;
  bool has_uint32;
  std::uint32_t uinteger;
};
std::string pcg128_state_json(std::string_view name, const pcg128_state_fields& fields);
pcg128_state_fields pcg128_state_from_json(std::string_view name, std::string_view text);

template <class Engine>
class pcg128_engine : public buffered_engine<Engine> {
 public:
  // Seeded exactly as NumPy's PCG64(seq) / PCG64DXSM(seq).
  explicit pcg128_engine(const seed_sequence& seq) {
    const auto seed = pcg128_seed_from(seq);
    state_ = seed.state;
    increment_ = seed.increment;
  }

  // A generator at an explicit LCG position (no SeedSequence involved).
  static Engine from_lcg_state(uint128 state, uint128 increment) {
    Engine engine;
    engine.state_ = state;
    engine.increment_ = increment;
    return engine;
  }

  // Moves the stream `delta` 64-bit draws ahead (mod 2^128, as NumPy wraps deltas), and clears
  // the buffered 32-bit half as NumPy's advance does.
  Engine& advance(const big_uint& delta) noexcept { return advance(delta.low_u128()); }
  // The same for a delta already reduced mod 2^128 (no big_uint built: jumped streams are
  // derived a million times per run). A negative integer argument wraps mod 2^128, which is
  // exactly NumPy's advance(-n).
  Engine& advance(uint128 delta) noexcept {
    state_ = lcg128_advance(state_, delta, Engine::multiplier, increment_);
    this->reset_uint32_buffer();
    return self();
  }
  // Moves `delta` draws back: advance(-delta) in NumPy.
  Engine& retreat(const big_uint& delta) noexcept { return advance(uint128{0} - delta.low_u128()); }

  // NumPy's jumped(jumps): a copy advanced by jumps * pcg_jump_step (mod 2^128).
  Engine jumped(const big_uint& jumps) const noexcept { return jumped_by(jumps.low_u128()); }
  Engine jumped(std::uint64_t jumps = 1) const noexcept { return jumped_by(jumps); }
  // A signed count: NumPy's jumped(-n) wraps like its advance, so the result is the stream n
  // jumps *behind* this one (jumps * pcg_jump_step taken mod 2^128, sign included).
  template <std::signed_integral Int>
  Engine jumped(Int jumps) const noexcept {
    return jumped_by(static_cast<uint128>(static_cast<std::int64_t>(jumps)));
  }
  // NumPy's jumped(-jumps) for a count of any size: the stream `jumps` jumps behind.
  Engine jumped_back(const big_uint& jumps) const noexcept {
    return jumped_by(uint128{0} - jumps.low_u128());
  }

  // Bulk 64-bit words, identical to out.size() next64() calls (lane fills, no per-word
  // dependency between consecutive states). The other fill()s build on this one.
  using buffered_engine<Engine>::fill;
  void fill(std::span<std::uint64_t> out) noexcept {
    Engine::fill_words(state_, increment_, out.data(), out.size());
  }

  uint128 lcg_state() const noexcept { return state_; }
  uint128 lcg_increment() const noexcept { return increment_; }

  // Number of 64-bit draws from this generator's position to other's (mod 2^128); both must be
  // on the same sequence (same increment). Stream geometry, as pcg-cpp's operator-.
  uint128 distance_to(const Engine& other) const noexcept;

  // NumPy's bit_generator.state as the text json.dumps prints:
  // {"bit_generator": name, "state": {"state": s, "inc": i}, "has_uint32": 0|1, "uinteger": u}.
  std::string state_json() const {
    return pcg128_state_json(Engine::numpy_name,
                             {state_, increment_, this->has_uint32(), this->uinteger()});
  }
  // Sets the state from NumPy's state dict (JSON text); throws invalid_argument on any malformed
  // field, naming it.
  void set_state_json(std::string_view text) {
    const auto f = pcg128_state_from_json(Engine::numpy_name, text);
    state_ = f.state;
    increment_ = f.increment;
    this->set_uint32_buffer(f.has_uint32, f.uinteger);
  }
  static Engine from_state_json(std::string_view text) {
    Engine engine;
    engine.set_state_json(text);
    return engine;
  }

  friend bool operator==(const pcg128_engine& a, const pcg128_engine& b) noexcept {
    return a.state_ == b.state_ && a.increment_ == b.increment_ && a.buffer_equal(b);
  }

 protected:
  pcg128_engine() = default;
  void lcg_step() noexcept { state_ = state_ * Engine::multiplier + increment_; }

  uint128 state_ = 0;
  uint128 increment_ = 1;

 private:
  Engine jumped_by(uint128 jumps) const noexcept {
    Engine copy = self();
    copy.state_ = lcg128_jump(state_, jumps, Engine::multiplier, increment_);
    copy.reset_uint32_buffer();
    return copy;
  }

  Engine& self() noexcept { return static_cast<Engine&>(*this); }
  const Engine& self() const noexcept { return static_cast<const Engine&>(*this); }
};

uint128 lcg128_distance(uint128 from, uint128 to, uint128 multiplier, uint128 increment) noexcept;

template <class Engine>
uint128 pcg128_engine<Engine>::distance_to(const Engine& other) const noexcept {
  return lcg128_distance(state_, other.state_, Engine::multiplier, increment_);
}

}  // namespace streamalloc::detail
