// streamalloc/seed_sequence.hpp — NumPy's SeedSequence, bit for bit.
//
// A seed_sequence turns user entropy plus a spawn key (the path of a stream in a tree of
// streams) into a small pool of well-mixed 32-bit words, and from that pool into as many state
// words as a bit generator needs. Spawning children extends the spawn key, so sub-streams can be
// derived locally without communication. Every output equals NumPy 1.24's
// numpy.random.SeedSequence for the same entropy, spawn key and pool size.
//
// Thread safety: const members may be called concurrently; spawn() mutates the child counter.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "streamalloc/big_uint.hpp"
#include "streamalloc/seed_entropy.hpp"

namespace streamalloc {

class seed_sequence {
 public:
  static constexpr std::size_t default_pool_size = 4;
  // NumPy has no upper bound. Mixing the pool takes pool_size^2 steps, so ours is where that is
  // still about a millisecond: at 2^16 a 30-byte snapshot or manifest header naming that pool
  // size kept a reader busy for seconds (found by fuzz_snapshot_binary). NumPy's default is 4.
  static constexpr std::size_t max_pool_size = 1 << 10;

  // Fresh entropy from the operating system (pool_size * 32 bits, as NumPy draws). The drawn
  // value is kept in entropy(), so printing it lets the run be reproduced.
  seed_sequence() : seed_sequence(os_entropy(default_pool_size)) {}

  // NumPy's SeedSequence(entropy, spawn_key=spawn_key, pool_size=pool_size,
  // n_children_spawned=n_children_spawned). Throws invalid_argument if pool_size < 4.
  explicit seed_sequence(seed_entropy entropy, std::vector<big_uint> spawn_key = {},
                         std::size_t pool_size = default_pool_size,
                         std::uint64_t n_children_spawned = 0);

  // pool_size * 32 random bits from the operating system, as one integer.
  static big_uint os_entropy(std::size_t pool_size);

  const seed_entropy& entropy() const noexcept { return entropy_; }
  const std::vector<big_uint>& spawn_key() const noexcept { return spawn_key_; }
  std::size_t pool_size() const noexcept { return pool_.size(); }
  std::uint64_t n_children_spawned() const noexcept { return n_children_spawned_; }
  const std::vector<std::uint32_t>& pool() const noexcept { return pool_; }

  // NumPy's generate_state(n, np.uint32) / generate_state(n, np.uint64). Does not change the
  // sequence: the same call always returns the same words.
  std::vector<std::uint32_t> generate_state32(std::size_t n_words) const;
  std::vector<std::uint64_t> generate_state64(std::size_t n_words) const;
  void generate_state(std::span<std::uint32_t> out) const;
  void generate_state(std::span<std::uint64_t> out) const;

  // NumPy's spawn(n): children with spawn keys spawn_key + (i,) for the next n child indices.
  std::vector<seed_sequence> spawn(std::size_t n_children);
  // The child spawn() would give at `index`, without counting it as spawned: derives a
  // sub-stream from a known position in the tree with no shared counter.
  seed_sequence child(std::uint64_t index) const;

  // NumPy's SeedSequence.state dict as JSON text:
  // {"entropy": ..., "spawn_key": [...], "pool_size": 4, "n_children_spawned": 0}.
  std::string state_json() const;

  // Same pool means the same streams for every generator: this is how NumPy's aliases
  // (entropy 0 vs [0, 0], spawn key (2^32,) vs (0, 1)) are recognised.
  bool same_pool(const seed_sequence& other) const noexcept { return pool_ == other.pool_; }

  friend bool operator==(const seed_sequence&, const seed_sequence&) = default;

 private:
  std::vector<std::uint32_t> assembled_entropy() const;
  void mix_entropy(const std::vector<std::uint32_t>& entropy_words);

  seed_entropy entropy_;
  std::vector<big_uint> spawn_key_;
  std::uint64_t n_children_spawned_ = 0;
  std::vector<std::uint32_t> pool_;
};

}  // namespace streamalloc
