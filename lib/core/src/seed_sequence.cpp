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

namespace {

// NumPy's 32-bit words of one integer: its little-endian words, or one zero word for zero.
std::size_t word_count(const big_uint& value) noexcept {
  return value.is_zero() ? 1 : value.words().size();
}
void append_words(std::vector<std::uint32_t>& out, const big_uint& value) {
  if (value.is_zero()) {
    out.push_back(0U);
  } else {
    out.insert(out.end(), value.words().begin(), value.words().end());
  }
}

}  // namespace

std::vector<std::uint32_t> seed_sequence::assembled_entropy() const {
  // One allocation of the final size: streams are derived from spawn keys by the million.
  std::size_t run_words = 0;
  for (const auto& value : entropy_.values()) run_words += word_count(value);
  std::size_t spawn_words = 0;
  for (const auto& entry : spawn_key_) spawn_words += word_count(entry);
  // NumPy (since 1.19, gh-16539) zero-pads short entropy to the pool size, but only when a
  // spawn key is present, so that a child's key cannot collide with plain entropy words.
  const std::size_t padded =
      spawn_words != 0 && run_words < pool_.size() ? pool_.size() : run_words;
  std::vector<std::uint32_t> run;
  run.reserve(padded + spawn_words);
  for (const auto& value : entropy_.values()) append_words(run, value);
  run.resize(padded, 0U);
  for (const auto& entry : spawn_key_) append_words(run, entry);
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

namespace {

// NumPy's generate_state: word i is pool[i % pool size] hashed with a multiplier that evolves
// with every word.
class state_words {
 public:
  explicit state_words(const std::vector<std::uint32_t>& pool) noexcept : pool_(&pool) {}
  std::uint32_t next() noexcept {
    std::uint32_t value = (*pool_)[index_];
    if (++index_ == pool_->size()) index_ = 0;
    value ^= hash_const_;
    hash_const_ *= mult_b;
    value *= hash_const_;
    value ^= value >> xshift;
    return value;
  }

 private:
  const std::vector<std::uint32_t>* pool_;
  std::size_t index_ = 0;
  std::uint32_t hash_const_ = init_b;
};

}  // namespace

void seed_sequence::generate_state(std::span<std::uint32_t> out) const {
  state_words words(pool_);
  for (auto& word : out) word = words.next();
}

void seed_sequence::generate_state(std::span<std::uint64_t> out) const {
  // NumPy generates twice as many 32-bit words and reads them as little-endian pairs.
  state_words words(pool_);
  for (auto& word : out) {
    const std::uint64_t low = words.next();
    word = (static_cast<std::uint64_t>(words.next()) << 32) | low;
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
