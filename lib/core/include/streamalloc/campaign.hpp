// streamalloc/campaign.hpp — the three ways to derive a rank's stream from one root seed.
//
// A campaign is one root seed (entropy of any size) and one strategy. Every stream of every run
// in the campaign is a pure function of the root and a typed descriptor, so any stream can be
// rebuilt later — in C++ or in NumPy — from its manifest entry:
//   spawn   SeedSequence(root, spawn_key=(job, *path))   (path rank- or task-rooted)
//   philox  Philox(key=root_key + id)  with root_key = Philox(SeedSequence(root)).key  (mod 2^128)
//   jumped  PCG64(SeedSequence(root)).jumped(index)      (index 0 is the root stream itself)
// Each derivation is bit-exact with the NumPy expression shown. Serial: no MPI involved.
// Thread safety: a campaign is immutable after construction; all members are const.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "streamalloc/pcg64.hpp"
#include "streamalloc/philox.hpp"
#include "streamalloc/seed_entropy.hpp"
#include "streamalloc/seed_sequence.hpp"
#include "streamalloc/stream_ids.hpp"
#include "streamalloc/uint128.hpp"

namespace streamalloc {

enum class strategy { spawn, philox, jumped };

// "spawn", "philox", "jumped".
std::string_view to_string(strategy s) noexcept;
// Parses a strategy name; `what` names the source (e.g. "--strategy") in the error message.
strategy parse_strategy(std::string_view text, std::string_view what);

class campaign {
 public:
  campaign(seed_entropy root, strategy how, std::size_t pool_size = seed_sequence::default_pool_size);

  const seed_entropy& root() const noexcept { return root_; }
  strategy how() const noexcept { return how_; }
  std::size_t pool_size() const noexcept { return pool_size_; }

  // spawn: the SeedSequence of the stream at `path` in run `job`. Feed it to any generator.
  seed_sequence spawn_sequence(job_index job, const task_path& path) const;

  // philox: the key of stream 0 (NumPy's Philox(SeedSequence(root)).state['state']['key']).
  uint128 philox_root_key() const noexcept { return philox_root_key_; }
  uint128 philox_key(stream_id id) const noexcept { return philox_root_key_ + id.value(); }
  philox philox_stream(stream_id id) const noexcept {
    const uint128 key = philox_key(id);
    return philox::from_words({low64(key), high64(key)}, {0, 0, 0, 0});
  }

  // jumped: the root PCG64 and its index-th jumped copy.
  const pcg64& jumped_root() const noexcept { return jumped_root_; }
  pcg64 jumped_stream(jump_index index) const { return jumped_root_.jumped(index.value()); }

  friend bool operator==(const campaign& a, const campaign& b) {
    return a.root_ == b.root_ && a.how_ == b.how_ && a.pool_size_ == b.pool_size_;
  }

 private:
  seed_entropy root_;
  strategy how_;
  std::size_t pool_size_;
  uint128 philox_root_key_;
  pcg64 jumped_root_;
};

}  // namespace streamalloc
