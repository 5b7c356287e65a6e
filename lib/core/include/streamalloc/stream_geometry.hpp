// streamalloc/stream_geometry.hpp — where a stream lies on its generator's sequence.
//
// Stream geometry is an API here, as in pcg-cpp (advance, backstep and the distance between two
// states): the coordination checks compare streams by where they start on one underlying
// sequence and how far they reach, and users rebuilding streams by hand need the same answers.
//   PCG64     every odd increment gives ONE cycle through all 2^128 LCG states (Hull–Dobell),
//             so a stream's canonical coordinate is its distance in draws from state 0 on its
//             increment's cycle (pcg64_cycle_offset); two streams on one increment overlap
//             exactly when their [offset, offset + draws) arcs intersect. NumPy's jumped(i)
//             moves i * pcg_jump_step draws along the cycle (jumped_min_spacing bounds how
//             close two such streams of one root can come).
//   Philox    a stream is a key; its draws use counter blocks. The campaign's stream i has key
//             root key + i (philox_index_of_key inverts that).
// All functions are pure, serial, bit-exact with NumPy 1.24's definitions, and thread-safe.
#pragma once

#include <cstdint>
#include <optional>

#include "streamalloc/campaign.hpp"
#include "streamalloc/detail/pcg128_engine.hpp"
#include "streamalloc/pcg64.hpp"
#include "streamalloc/uint128.hpp"

namespace streamalloc {

// NumPy's jump size for PCG64 and PCG64DXSM: floor(2^128 / golden ratio), odd.
inline constexpr uint128 pcg_jump_step = detail::pcg_jump_step;

// Draws from LCG state `from` to state `to` on the cycle of `increment` (mod 2^128).
inline uint128 pcg64_distance(uint128 from, uint128 to, uint128 increment) noexcept {
  return detail::lcg128_distance(from, to, pcg64::multiplier, increment);
}

// Position of an LCG state on the full 2^128 cycle of increment `increment`, counted in draws
// from state 0: a canonical coordinate for PCG64 streams.
inline uint128 pcg64_cycle_offset(uint128 state, uint128 increment) noexcept {
  return pcg64_distance(0, state, increment);
}

// The multiplicative inverse of NumPy's (odd) jump step mod 2^128, by Newton's iteration
// x <- x (2 - s x), which doubles the number of correct low bits each time; s is its own inverse
// mod 8, so 3 -> 6 -> ... -> 192 bits after six rounds.
inline uint128 jump_step_inverse() noexcept {
  uint128 x = pcg_jump_step;
  for (int i = 0; i < 6; ++i) x *= 2 - pcg_jump_step * x;
  return x;
}

// The jump count j (mod 2^128) with root.jumped(j) starting exactly at LCG state `state`, if
// `state` lies on root's sequence (same increment); nullopt otherwise.
inline std::optional<uint128> jumps_between(const pcg64& root, uint128 state,
                                            uint128 increment) noexcept {
  if (increment != root.lcg_increment()) return std::nullopt;
  return pcg64_distance(root.lcg_state(), state, increment) * jump_step_inverse();
}

// The smallest distance, in draws around the 2^128 cycle, between the starts of two jumped
// streams of one root whose jump counts differ by 1..max_index_gap (2^128 - 1 for
// max_index_gap == 0: there is no pair). Exact: the continued-fraction convergents of
// pcg_jump_step / 2^128 are the best approximations. E.g. counts within 10^6 of each other are
// more than 2^107 draws apart, within 2^40 more than 2^87, within 2^60 more than 2^66, within
// 2^62 more than 2^65.
uint128 jumped_min_spacing(std::uint64_t max_index_gap) noexcept;

// The smallest jump count j < limit whose stream root.jumped(j) starts inside the window of
// `length` draws [window, window + length) of root's cycle (positions in draws from LCG state
// 0, as pcg64_cycle_offset gives them; the window may wrap past 2^128 - 1), or nullopt if no
// j < limit does. With length <= jumped_min_spacing(limit - 1) at most one j can. Exact, in
// O(log 2^128) steps of 128-bit arithmetic (no enumeration of jump counts): it is how a
// hand-built PCG64 stream is matched against jumped runs of any length.
std::optional<std::uint64_t> first_jump_in_window(const pcg64& root, uint128 window, uint128 length,
                                                  std::uint64_t limit) noexcept;

namespace detail {
// The smallest x >= 0 with lo <= (a * x) mod m <= hi, or nullopt if there is none; requires
// 0 <= lo <= hi < m and 0 < m. A Euclid-like recursion on (m mod a, a): a window missed by every
// multiple of a below m is reached after y wraps of m, and (m * y) mod a must then fall in a
// window of the same length one level down. first_jump_in_window is this with m = 2^128.
std::optional<uint128> first_multiple_in_window(uint128 a, uint128 m, uint128 lo,
                                                uint128 hi) noexcept;
// The same with m = 2^128 (which uint128 cannot hold): the smallest x >= 0 with
// (a * x + b) mod 2^128 < length, for odd a and length >= 1 (x < 2^128 always exists).
uint128 first_multiple_in_window_2_128(uint128 a, uint128 b, uint128 length) noexcept;
}  // namespace detail

// key - root key (mod 2^128): job * 2^64 + i for the key of the campaign's stream i of job j
// (campaign.hpp), so a hand-built Philox stream with that key and counter 0 IS that stream.
inline uint128 philox_index_of_key(const campaign& origin, uint128 key) noexcept {
  return key - origin.philox_root_key();
}

}  // namespace streamalloc
