// streamalloc/campaign.hpp — the three ways to derive a rank's stream from one root seed.
//
// A campaign is one root seed (entropy of any size) and one strategy. Every stream of every run
// (job) in the campaign is a pure function of the root, the job index and a typed descriptor, so
// any stream can be rebuilt later — in C++ or in NumPy — from its manifest entry:
//   spawn   SeedSequence(root, spawn_key=(job, *path))            (path rank- or task-rooted)
//   philox  Philox(key=root_key + job * 2**64 + id)               (id < 2^64, any job < 2^64)
//           with root_key = Philox(SeedSequence(root)).key, the sum taken mod 2^128
//   jumped  PCG64(SeedSequence(root)).jumped(job * 2**40 + index) (index < 2^40, job < 2^22)
// Each derivation is bit-exact with the NumPy expression shown. Distinct jobs therefore never
// share a stream, with no communication between them: each job owns its own region of the Philox
// keys (their high 64 bits), of the jump counts (2^40 each), or of the spawn tree (its first
// key word). Job 0's streams are those of a campaign without jobs (key root_key + id, jumped(i)).
// The jumped limits keep every pair of jumped streams of a campaign more than 2^65 draws apart
// (jumped_min_spacing(2^62) in stream_geometry.hpp), so no PCG64 stream within its 2^64-draw
// budget can reach another. Serial: no MPI involved.
// Thread safety: a campaign is immutable after construction; all members are const.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "streamalloc/big_uint.hpp"
#include "streamalloc/pcg64.hpp"
#include "streamalloc/philox.hpp"
#include "streamalloc/seed_entropy.hpp"
#include "streamalloc/seed_sequence.hpp"
#include "streamalloc/stream_ids.hpp"
#include "streamalloc/uint128.hpp"

namespace streamalloc {

enum class strategy { spawn, philox, jumped };

// How the jobs of a campaign share the Philox keys and jump counts of its root.
enum class job_layout : std::uint8_t {
  // Each job owns its own region (the derivations above; manifest format 2 and later).
  separated,
  // Every job draws from one shared index space: key root_key + id and jumped(index) whatever
  // the job, so two jobs are kept apart only by the IDs they are handed. How manifest format 1
  // recorded streams: kept so that old records still rebuild and audit correctly.
  shared,
};

// The jumped strategy's job regions: job j owns jump counts [j * 2^40, (j + 1) * 2^40), for
// j < 2^22. (Philox needs no such limit: a job's IDs fill the low 64 bits of the key.)
inline constexpr std::uint64_t jump_indices_per_job = std::uint64_t{1} << 40;
inline constexpr std::uint64_t max_jumped_jobs = std::uint64_t{1} << 22;

// "spawn", "philox", "jumped".
std::string_view to_string(strategy s) noexcept;
// Parses a strategy name; `what` names the source (e.g. "--strategy") in the error message.
strategy parse_strategy(std::string_view text, std::string_view what);

class campaign {
 public:
  campaign(seed_entropy root, strategy how,
           std::size_t pool_size = seed_sequence::default_pool_size,
           job_layout jobs = job_layout::separated);

  const seed_entropy& root() const noexcept { return root_; }
  strategy how() const noexcept { return how_; }
  std::size_t pool_size() const noexcept { return pool_size_; }
  job_layout jobs() const noexcept { return jobs_; }

  // spawn: the SeedSequence of the stream at `path` in run `job`. Feed it to any generator.
  seed_sequence spawn_sequence(job_index job, const task_path& path) const;

  // philox: the key of job 0's stream 0 (NumPy's Philox(SeedSequence(root)).state['state']['key']).
  uint128 philox_root_key() const noexcept { return philox_root_key_; }
  // The key of stream `id` of job `job`: root_key + job * 2^64 + id (mod 2^128); with the shared
  // layout root_key + id.
  uint128 philox_key(job_index job, stream_id id) const noexcept {
    const uint128 region = jobs_ == job_layout::separated ? uint128{job.value()} << 64 : 0;
    return philox_root_key_ + region + id.value();
  }
  philox philox_stream(job_index job, stream_id id) const noexcept {
    const uint128 key = philox_key(job, id);
    return philox::from_words({low64(key), high64(key)}, {0, 0, 0, 0});
  }

  // jumped: the root PCG64 and the jump count of stream `index` of job `job`:
  // job * 2^40 + index (shared layout: index). Throws invalid_argument, naming the limit, if
  // the separated layout's limits are passed (index >= 2^40 or job >= 2^22).
  const pcg64& jumped_root() const noexcept { return jumped_root_; }
  // The count is below 2^62 (separated layout) or 2^64 (shared), so it fits 64 bits.
  std::uint64_t jump_count(job_index job, jump_index index) const;
  pcg64 jumped_stream(job_index job, jump_index index) const {
    return jumped_root_.jumped(jump_count(job, index));
  }

  friend bool operator==(const campaign& a, const campaign& b) {
    return a.root_ == b.root_ && a.how_ == b.how_ && a.pool_size_ == b.pool_size_ &&
           a.jobs_ == b.jobs_;
  }

 private:
  seed_entropy root_;
  strategy how_;
  std::size_t pool_size_;
  job_layout jobs_;
  uint128 philox_root_key_;
  pcg64 jumped_root_;
};

}  // namespace streamalloc
