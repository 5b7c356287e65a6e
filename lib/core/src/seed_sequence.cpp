// The mixing algorithm is Melissa O'Neill's seed_seq design as adapted by NumPy
// (numpy/random/bit_generator.pyx, SeedSequence); constants and the order of operations follow
// NumPy exactly, since every generator's initial state depends on them.
#include "streamalloc/seed_sequence.hpp"

#include <random>

#include "streamalloc/json.hpp"
#include "streamalloc/error.hpp"

namespace streamalloc {
namespace {

constexpr std::uint32_t init_a = 0x43b0d7e5U;
constexpr std::uint32_t mult_a = 0x931e8875U;
constexpr std::uint32_t init_b = 0x8b51f9ddU;
constexpr std::uint32_t mult_b = 0x58f38dedU;
constexpr std::uint32_t mix_mult_l = 0xca01f9ddU;
constexpr std::uint32_t mix_mult_r = 0x4973f715U;
constexpr unsigned xshift = 16;

// A hash whose multiplier evolves with every call, as NumPy's hashmix does.
class hash_mixer {
 public:
  std::uint32_t operator()(std::uint32_t value) noexcept {
    value ^= hash_const_;
    hash_const_ *= mult_a;
    value *= hash_const_;
    value ^= value >> xshift;
    return value;
  }

 private:
  std::uint32_t hash_const_ = init_a;
};

constexpr std::uint32_t mix(std::uint32_t x, std::uint32_t y) noexcept {
  std::uint32_t result = mix_mult_l * x - mix_mult_r * y;
  result ^= result >> xshift;
  return result;
}

}  // namespace

seed_sequence::seed_sequence(seed_entropy entropy, std::vector<big_uint> spawn_key,
                             std::size_t pool_size, std::uint64_t n_children_spawned)
    : entropy_(std::move(entropy)),
      spawn_key_(std::move(spawn_key)),
      n_children_spawned_(n_children_spawned) {
  if (pool_size < default_pool_size || pool_size > max_pool_size) {
    throw invalid_argument("pool_size: got " + std::to_string(pool_size) +
                           ", expected an integer in [4, " + std::to_string(max_pool_size) + "]");
  }
  pool_.assign(pool_size, 0);
  mix_entropy(assembled_entropy());
}

big_uint seed_sequence::os_entropy(std::size_t pool_size) {
  std::random_device device;
  std::vector<std::uint32_t> words(pool_size);
  for (auto& word : words) word = device();
  return big_uint::from_words(words);
}

std::vector<std::uint32_t> seed_sequence::assembled_entropy() const {
  std::vector<std::uint32_t> run = entropy_.words();
  std::vector<std::uint32_t> spawn;
  for (const auto& entry : spawn_key_) {
    const auto w = numpy_uint32_words(entry);
    spawn.insert(spawn.end(), w.begin(), w.end());
  }
  // NumPy (since 1.19, gh-16539) zero-pads short entropy to the pool size, but only when a
  // spawn key is present, so that a child's key cannot collide with plain entropy words.
  if (!spawn.empty() && run.size() < pool_.size()) run.resize(pool_.size(), 0);
  run.insert(run.end(), spawn.begin(), spawn.end());
  return run;
}

void seed_sequence::mix_entropy(const std::vector<std::uint32_t>& entropy_words) {
  hash_mixer hash;
  const std::size_t n = pool_.size();
  for (std::size_t i = 0; i < n; ++i) {
    pool_[i] = hash(i < entropy_words.size() ? entropy_words[i] : 0U);
  }
  for (std::size_t src = 0; src < n; ++src) {
    for (std::size_t dst = 0; dst < n; ++dst) {
      if (src != dst) pool_[dst] = mix(pool_[dst], hash(pool_[src]));
    }
  }
  for (std::size_t src = n; src < entropy_words.size(); ++src) {
    for (std::size_t dst = 0; dst < n; ++dst) {
      pool_[dst] = mix(pool_[dst], hash(entropy_words[src]));
    }
  }
}

void seed_sequence::generate_state(std::span<std::uint32_t> out) const {
  std::uint32_t hash_const = init_b;
  for (std::size_t i = 0; i < out.size(); ++i) {
    std::uint32_t value = pool_[i % pool_.size()];
    value ^= hash_const;
    hash_const *= mult_b;
    value *= hash_const;
    value ^= value >> xshift;
    out[i] = value;
  }
}

void seed_sequence::generate_state(std::span<std::uint64_t> out) const {
  // NumPy generates twice as many 32-bit words and reads them as little-endian pairs.
  std::vector<std::uint32_t> words(2 * out.size());
  generate_state(std::span<std::uint32_t>(words));
  for (std::size_t i = 0; i < out.size(); ++i) {
    out[i] = (static_cast<std::uint64_t>(words[2 * i + 1]) << 32) | words[2 * i];
  }
}

std::vector<std::uint32_t> seed_sequence::generate_state32(std::size_t n_words) const {
  std::vector<std::uint32_t> out(n_words);
  generate_state(std::span<std::uint32_t>(out));
  return out;
}

std::vector<std::uint64_t> seed_sequence::generate_state64(std::size_t n_words) const {
  std::vector<std::uint64_t> out(n_words);
  generate_state(std::span<std::uint64_t>(out));
  return out;
}

seed_sequence seed_sequence::child(std::uint64_t index) const {
  std::vector<big_uint> key = spawn_key_;
  key.emplace_back(index);
  return seed_sequence(entropy_, std::move(key), pool_.size());
}

std::vector<seed_sequence> seed_sequence::spawn(std::size_t n_children) {
  std::vector<seed_sequence> children;
  children.reserve(n_children);
  for (std::size_t i = 0; i < n_children; ++i) children.push_back(child(n_children_spawned_ + i));
  n_children_spawned_ += n_children;
  return children;
}

std::string seed_sequence::state_json() const {
  json entropy;
  if (entropy_.is_list()) {
    entropy = json::array();
    for (const auto& v : entropy_.values()) entropy.push_back(big_to_json(v));
  } else {
    entropy = big_to_json(entropy_.values().front());
  }
  json key = json::array();
  for (const auto& v : spawn_key_) key.push_back(big_to_json(v));
  json state = {{"entropy", entropy},
                        {"spawn_key", key},
                        {"pool_size", pool_.size()},
                        {"n_children_spawned", n_children_spawned_}};
  return dump_json(state);
}

}  // namespace streamalloc
