// Private: cutting claims into pieces and assigning each piece a bucket, for verify()'s
// hash-partitioned exchange (the scheme is described in streamalloc/mpi/verify.hpp).
//
// The one invariant: two claims that can conflict — equal descriptors, equal identities or
// overlapping draw intervals — always share at least one bucket. Buckets are 64-bit hashes; the
// rank that checks a bucket is hash % ranks, so two buckets may share a rank, never the reverse.
#pragma once

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <vector>

#include "stream_geometry.hpp"
#include "streamalloc/campaign.hpp"
#include "streamalloc/mpi/claim.hpp"
#include "streamalloc/uint128.hpp"

namespace streamalloc::detail {

// Philox stream indices are bucketed 2^16 at a time, so a range of IDs is cut only at multiples
// of 2^16 and a rank holding one large block sends a handful of pieces.
inline constexpr unsigned philox_bucket_bits = 16;
// PCG64 cycle offsets are bucketed 2^64 draws at a time; intervals longer than that are
// bucketed as if 2^64 draws long (no real stream draws 2^64 words).
inline constexpr unsigned pcg_bucket_bits = 64;

// splitmix64's finaliser (Steele, Lea & Flood 2014): a fixed, well-mixed hash, identical on
// every rank and every platform, unlike std::hash.
constexpr std::uint64_t mix64(std::uint64_t z) noexcept {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

inline std::uint64_t bucket_hash(std::initializer_list<std::uint64_t> words) noexcept {
  std::uint64_t h = 0x9e3779b97f4a7c15ULL;
  for (const auto w : words) h = mix64(h ^ w);
  return h;
}

enum bucket_family : std::uint64_t { philox_family = 1, pcg_family = 2, spawn_family = 3 };

class claim_bucketer {
 public:
  explicit claim_bucketer(const campaign& origin)
      : origin_(origin),
        root_offset_(pcg64_cycle_offset(origin.jumped_root().lcg_state(),
                                        origin.jumped_root().lcg_increment())) {}

  // Calls emit(bucket, piece) for every piece of `c`; the pieces together cover `c`.
  template <class Emit>
  void for_each_piece(const mpi::claim& c, Emit&& emit) const {
    switch (c.kind) {
      case mpi::claim_kind::philox_id: philox_ids(c, emit); return;
      case mpi::claim_kind::philox_position:
        emit(philox_bucket(philox_index_of_key(origin_, c.sequence)), c);
        return;
      case mpi::claim_kind::jump_index: {
        const pcg64& root = origin_.jumped_root();
        each_element(c, [&](const mpi::claim& piece) {
          // jumped(i) starts i jump steps after the root (mod 2^128).
          const uint128 offset = root_offset_ + uint128{piece.first} * pcg_jump_step;
          pcg_buckets(root.lcg_increment(), offset, piece, emit);
        });
        return;
      }
      case mpi::claim_kind::pcg64_position:
        pcg_buckets(c.sequence, pcg64_cycle_offset(c.position, c.sequence), c, emit);
        return;
      case mpi::claim_kind::spawn_path:
        each_element(c, [&](const mpi::claim& piece) {
          std::vector<std::uint64_t> parts = piece.prefix;
          parts.push_back(piece.first);
          const auto pool = origin_.spawn_sequence(piece.job, task_path(std::move(parts))).pool();
          std::uint64_t h = spawn_family;
          for (const auto word : pool) h = mix64(h ^ word);
          emit(h, piece);
        });
        return;
    }
  }

 private:
  static std::uint64_t philox_bucket(uint128 index) noexcept {
    const uint128 chunk = index >> philox_bucket_bits;
    return bucket_hash({philox_family, high64(chunk), low64(chunk)});
  }

  template <class Emit>
  static void philox_ids(const mpi::claim& c, Emit& emit) {
    constexpr std::uint64_t chunk_mask = (std::uint64_t{1} << philox_bucket_bits) - 1;
    mpi::claim piece = c;
    for (std::uint64_t start = c.first;;) {
      const std::uint64_t end = std::min(c.last(), start | chunk_mask);
      piece.first = start;
      piece.count = end - start + 1;
      emit(philox_bucket(start), piece);
      if (end == c.last()) break;
      start = end + 1;
    }
  }

  template <class Emit>
  static void pcg_buckets(uint128 increment, uint128 offset, const mpi::claim& piece, Emit& emit) {
    const uint128 longest = uint128{1} << pcg_bucket_bits;
    const uint128 extent = piece.budget == 0 ? 1 : std::min(piece.budget, longest);
    const uint128 first_chunk = offset >> pcg_bucket_bits;
    const uint128 last_chunk = (offset + (extent - 1)) >> pcg_bucket_bits;  // wraps mod 2^128
    const auto bucket = [&](uint128 chunk) {
      return bucket_hash({pcg_family, high64(increment), low64(increment), high64(chunk),
                          low64(chunk)});
    };
    emit(bucket(first_chunk), piece);
    if (last_chunk != first_chunk) emit(bucket(last_chunk), piece);
  }

  template <class Each>
  static void each_element(const mpi::claim& c, Each&& each) {
    mpi::claim piece = c;
    piece.count = 1;
    for (std::uint64_t i = c.first;; ++i) {
      piece.first = i;
      each(piece);
      if (i == c.last()) break;
    }
  }

  const campaign& origin_;
  uint128 root_offset_;
};

}  // namespace streamalloc::detail
