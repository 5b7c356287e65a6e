// Private: cutting claims into pieces and assigning each piece a bucket, for verify()'s
// hash-partitioned exchange (the scheme is described in streamalloc/mpi/verify.hpp).
//
// The one invariant: two claims that can conflict — equal descriptors, equal identities or
// overlapping draw intervals — always share at least one bucket. Buckets are 64-bit hashes; the
// rank that checks a bucket is hash % ranks, and it may check its buckets one group at a time.
//
// Runs of streams stay runs wherever the geometry allows, so a rank holding a million
// consecutive streams sends a handful of pieces, not a million:
//   philox_id     by index, 2^16 indices a bucket (a hand-built Philox stream joins the bucket
//                 of the index its key names);
//   jump_index    by index like philox_id when the run is `compact_jumps` (see verify.cpp: no
//                 hand-built PCG64 stream on the campaign's root sequence, and every jumped
//                 budget within the jumped streams' spacing, so distinct indices can never
//                 meet); otherwise stream by stream, by where each starts on the PCG64 cycle;
//   spawn_path    by the assembled entropy words but the last, and the last word's 2^16-block:
//                 equal words (aliases such as (2^32,) vs (0, 1)) always meet, and a run of
//                 components below 2^32 is cut only every 2^16. Components >= 2^32 (two words)
//                 go stream by stream.
#pragma once

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <vector>

#include "streamalloc/claims/spawn_words.hpp"
#include "streamalloc/stream_geometry.hpp"
#include "streamalloc/campaign.hpp"
#include "streamalloc/claims/claim.hpp"
#include "streamalloc/uint128.hpp"

namespace streamalloc::detail {

// Indices (Philox stream IDs, jump indices, last spawn words) bucketed together: a run is cut
// only at multiples of 2^16.
inline constexpr unsigned index_bucket_bits = 16;
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

enum bucket_family : std::uint64_t {
  philox_family = 1,
  pcg_family = 2,
  spawn_family = 3,
  jump_index_family = 4,
};

class claim_bucketer {
 public:
  claim_bucketer(const campaign& origin, bool compact_jumps)
      : origin_(origin),
        compact_jumps_(compact_jumps),
        root_offset_(pcg64_cycle_offset(origin.jumped_root().lcg_state(),
                                        origin.jumped_root().lcg_increment())) {}

  // Calls send(bucket, piece) for every piece of `c` and each of its (distinct) buckets; the
  // pieces together cover `c`.
  template <class Send>
  void for_each_piece(const claims::claim& c, Send&& send) const {
    switch (c.kind) {
      case claims::claim_kind::philox_id:
        // Job j's IDs are the keys root + j * 2^64 + id (separated layout): its own head, the
        // one a hand-built stream of such a key joins below.
        index_runs(c, c.first, c.last(), philox_head(origin_.jobs() == job_layout::separated
                                                         ? c.job.value()
                                                         : 0),
                   0, send);
        return;
      case claims::claim_kind::philox_position: {
        // Only an index below 2^64 can be a claimed stream ID; any other key gets a bucket of
        // its own (the high half of the index) where it meets hand-built streams of that key.
        const uint128 index = philox_index_of_key(origin_, c.sequence);
        send(index_bucket(philox_head(high64(index)), low64(index)), c);
        return;
      }
      case claims::claim_kind::jump_index:
        if (compact_jumps_) {
          // Bucketed by jump count (job regions are multiples of 2^16 apart, so the cuts fall
          // where they would for the in-job indices).
          index_runs(c, c.first, c.last(), jump_index_family,
                     claims::jump_count_of(origin_, c, c.first) - c.first, send);
          return;
        }
        each_element(c, c.first, c.last(), [&](const claims::claim& piece) {
          // jumped(count) starts count jump steps after the root (mod 2^128).
          const uint128 offset =
              root_offset_ +
              uint128{claims::jump_count_of(origin_, piece, piece.first)} * pcg_jump_step;
          pcg_buckets(origin_.jumped_root().lcg_increment(), offset, piece, send);
        });
        return;
      case claims::claim_kind::pcg64_position:
        pcg_buckets(c.sequence, pcg64_cycle_offset(c.position, c.sequence), c, send);
        return;
      case claims::claim_kind::spawn_path: spawn_runs(c, send); return;
    }
  }

 private:
  static std::uint64_t head_hash(std::uint64_t family, const std::vector<std::uint32_t>& head) {
    std::uint64_t h = family;
    for (const auto word : head) h = mix64(h ^ word);
    return h;
  }
  static std::uint64_t index_bucket(std::uint64_t head, std::uint64_t index) noexcept {
    return bucket_hash({head, index >> index_bucket_bits});
  }
  // The head of job `job`'s Philox keys (the high 64 bits of key - root key).
  static std::uint64_t philox_head(std::uint64_t job) noexcept {
    return job == 0 ? std::uint64_t{philox_family} : bucket_hash({philox_family, job});
  }

  // The pieces of `c` covering indices [from, to], cut at multiples of 2^16; each piece's
  // bucket hashes `head` (see head_hash) and the 2^16-block of its index + `shift` (a multiple
  // of 2^16: where the index space of `c` starts in a larger one).
  template <class Send>
  void index_runs(const claims::claim& c, std::uint64_t from, std::uint64_t to, std::uint64_t head,
                  std::uint64_t shift, Send& send) const {
    constexpr std::uint64_t block_mask = (std::uint64_t{1} << index_bucket_bits) - 1;
    for (std::uint64_t start = from;;) {
      const std::uint64_t end = std::min(to, start | block_mask);
      send(index_bucket(head, start + shift), start == c.first && end == c.last()
                                ? c
                                : claims::slice(c, start, end - start + 1));
      if (end == to) break;
      start = end + 1;
    }
  }

  template <class Send>
  void pcg_buckets(uint128 increment, uint128 offset, const claims::claim& piece, Send& send) const {
    const uint128 longest = uint128{1} << pcg_bucket_bits;
    const uint128 extent = std::min(claims::budget_of(piece), longest);
    const uint128 first_chunk = offset >> pcg_bucket_bits;
    const uint128 last_chunk = (offset + (extent - 1)) >> pcg_bucket_bits;  // wraps mod 2^128
    const auto bucket = [&](uint128 chunk) {
      return bucket_hash({pcg_family, high64(increment), low64(increment), high64(chunk),
                          low64(chunk)});
    };
    send(bucket(first_chunk), piece);
    if (last_chunk != first_chunk) send(bucket(last_chunk), piece);
  }

  // By the spawn_words.hpp runs: the head and the varying word's 2^16-block.
  template <class Send>
  void spawn_runs(const claims::claim& c, Send& send) const {
    claims::for_each_word_run(c, [&](const std::vector<std::uint32_t>& head, std::uint32_t lo,
                             std::uint32_t hi, std::uint64_t first_index) {
      const std::uint64_t h = head_hash(spawn_family, head);
      if (first_index >> 32 != 0) {  // a two-word stream: one stream, one bucket
        send(index_bucket(h, lo), c.count == 1 ? c : claims::slice(c, first_index, 1));
        return;
      }
      index_runs(c, lo, hi, h, 0, send);
    });
  }

  // Single streams first..last of `c` (inside it), one at a time.
  template <class Each>
  static void each_element(const claims::claim& c, std::uint64_t first, std::uint64_t last,
                           Each&& each) {
    if (c.count == 1) {
      each(c);
      return;
    }
    claims::claim piece = claims::slice(c, first, 1);
    for (std::uint64_t i = first;; ++i) {
      piece.first = i;
      if (c.task_lockstep) piece.task = claims::task_of(c, i);
      each(piece);
      if (i == last) break;
    }
  }

  const campaign& origin_;
  bool compact_jumps_;
  uint128 root_offset_;
};

}  // namespace streamalloc::detail
