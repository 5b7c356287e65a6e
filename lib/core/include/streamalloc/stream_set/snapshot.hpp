// streamalloc/stream_set/snapshot.hpp — the saved state of a stream_set, and its two file forms.
//
// stream_set::snapshot() returns a stream_set_snapshot: the set's meta seed and, for every random
// variable in creation order, its bit generator family, its distribution, and two states —
// `before`, the state it had at the previous snapshot (or when it was created, reseeded or
// restored), and `now`, the state it has at this snapshot. These are Theano's updates() pairs
// (shared variable, its new value). stream_set::restore() puts every variable back to `now`.
//
// Two serialisations, both lossless (a round trip gives an equal snapshot):
//   * to_json / snapshot_from_json: readable, and each state is NumPy's own bit_generator.state
//     dict (what json.dumps(bitgen.state) prints), so Python can continue any variable with
//     `bg = np.random.PCG64(); bg.state = snap["variables"][k]["now"]`:
//       {"format": "streamalloc.stream_set_snapshot", "version": 1,
//        "meta_seed": {"entropy": E, "spawn_key": [...], "pool_size": P,
//                      "n_children_spawned": N},
//        "variables": [{"index": k, "spawn_key": [..., N + k], "family": "pcg64",
//                       "distribution": {"name": "normal", "parameters": {"loc": 0.0, ...}},
//                       "before": {NumPy state dict}, "now": {NumPy state dict}}, ...]}
//     Non-finite double parameters are written as the strings "inf", "-inf" and "nan" (so a
//     string parameter with one of those values reads back as a double). Integer parameters
//     read back as int64 when they fit, else uint64; they compare by value either way.
//   * to_bytes / snapshot_from_bytes: compact, little-endian whatever the host, framed so that
//     a truncated, corrupted, foreign or newer file is refused (io_error) instead of silently
//     mis-seeding. Layout (all integers little-endian):
//       offset 0   8 bytes  magic 89 53 41 53 53 45 54 0A ("\x89SASSET\n")
//       offset 8   u32      format version (stream_set_snapshot_version; newer ones are refused)
//       offset 12  u32      flags, 0 (reserved)
//       offset 16  u64      payload length L
//       offset 24  L bytes  payload
//       offset 24+L u32     CRC-32C (Castagnoli) of bytes [0, 24 + L)
//     The frame (magic, version, flags, length, trailing CRC) is the same in every version; the
//     payload of version 1 is
//       meta seed:  u8 entropy_is_list, u32 count, count x bigint; u32 count, count x bigint
//                   (spawn key); u32 pool_size; u64 n_children_spawned
//                   where bigint = u32 word count w, w x u32 words, least significant first
//       u64 variable count, then per variable:
//                   u64 index; u8 family (bit_generator_kind: 0 pcg64, 1 pcg64dxsm, 2 philox,
//                   3 sfc64, 4 mt19937); string name; u32 parameter count, each: string name,
//                   u8 type (0 bool as u8, 1 i64, 2 u64, 3 f64 as IEEE bits, 4 string,
//                   5 u32 count + count x f64); state before; state now
//                   where string = u32 byte count + bytes, and state is, by family:
//                   PCG64/PCG64DXSM: u64 state low, u64 state high, u64 inc low, u64 inc high,
//                                    u8 has_uint32, u32 uinteger
//                   Philox:  4 x u64 counter, 2 x u64 key, 4 x u64 buffer, u64 buffer_pos,
//                            u8 has_uint32, u32 uinteger
//                   SFC64:   4 x u64 state (a, b, c, counter), u8 has_uint32, u32 uinteger
//                   MT19937: 624 x u32 key, u32 pos
//     Checks, in this order: size (at least the 28 bytes of an empty frame), magic, length
//     against the size, CRC, version, then every field of the payload.
//
// Errors: snapshot_from_json throws invalid_argument for malformed JSON or fields (naming the
// field), snapshot_from_bytes throws io_error naming what was wrong and what was expected.
// Thread safety: snapshots are values; the functions are reentrant. Not MPI-collective.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "streamalloc/any_bit_generator.hpp"
#include "streamalloc/seed_sequence.hpp"
#include "streamalloc/stream_set/distribution.hpp"

namespace streamalloc {

// The format version to_json and to_bytes write; the readers accept 1 up to this.
inline constexpr std::uint32_t stream_set_snapshot_version = 1;

// One random variable of a snapshot.
struct stream_variable_state {
  // Creation order: the variable's stream is the meta seed's child n_children_spawned + index.
  std::uint64_t index = 0;
  bit_generator_kind family = bit_generator_kind::pcg64;
  distribution_description distribution;
  any_bit_generator before;  // at the previous snapshot, creation, seed() or restore()
  any_bit_generator now;     // at this snapshot

  // Equal fields and equal generator states (buffered 32-bit halves included).
  friend bool operator==(const stream_variable_state& a, const stream_variable_state& b);
};

struct stream_set_snapshot {
  // The set's meta seed: variable k's stream is meta.child(meta.n_children_spawned() + k).
  seed_sequence meta;
  std::vector<stream_variable_state> variables;

  friend bool operator==(const stream_set_snapshot& a, const stream_set_snapshot& b);
};

// Whether two generators hold the same family and the same state.
bool same_state(const any_bit_generator& a, const any_bit_generator& b) noexcept;

// The JSON form (see the file comment); with indent >= 0, pretty-printed like
// json.dumps(obj, indent=indent).
std::string to_json(const stream_set_snapshot& snapshot, int indent = -1);
// Reads the JSON form; throws invalid_argument naming the bad field.
stream_set_snapshot snapshot_from_json(std::string_view text);

// The binary form (see the file comment).
std::vector<std::byte> to_bytes(const stream_set_snapshot& snapshot);
// Reads the binary form; throws io_error on a short, corrupt, foreign or newer file.
stream_set_snapshot snapshot_from_bytes(std::span<const std::byte> bytes);

}  // namespace streamalloc
