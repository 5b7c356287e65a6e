#include "streamalloc/mt19937.hpp"

#include <algorithm>
#include <cstddef>
#include <span>
#include <string>

#include "src/simd_kernels.hpp"
#include "src/state_fields.hpp"
#include "streamalloc/error.hpp"

namespace streamalloc {

mt19937::mt19937(const seed_sequence& seq) {
  const auto words = seq.generate_state32(state_size);
  // NumPy's _mt19937.pyx: the first word is replaced by 0x80000000 (a non-zero state whatever
  // the seed, as in the reference init_by_array), and pos is left at the seeding loop's last
  // index, 623, so the first draw tempers word 623 before the first regeneration.
  key_[0] = 0x80000000U;
  for (std::size_t i = 1; i < state_size; ++i) key_[i] = words[i];
  pos_ = state_size - 1;
}

mt19937 mt19937::from_key(const key_type& key, std::size_t pos) {
  if (pos > state_size) {
    throw invalid_argument("MT19937 state: pos is " + std::to_string(pos) +
                           ", expected an integer in [0, 624]");
  }
  mt19937 engine;
  engine.key_ = key;
  engine.pos_ = pos;
  return engine;
}

void mt19937::regenerate() noexcept {
  detail::mt19937_regenerate(key_.data());
  pos_ = 0;
}

void mt19937::fill(std::span<std::uint32_t> out) noexcept {
  // Whole runs of the current block at a time: temper key_[pos_, pos_ + n) straight out.
  for (std::size_t i = 0; i < out.size();) {
    if (pos_ == state_size) regenerate();
    const std::size_t n = std::min(out.size() - i, state_size - pos_);
    detail::mt19937_temper(key_.data() + pos_, out.data() + i, n);
    pos_ += n;
    i += n;
  }
}

namespace {

// Draws 2 * n 32-bit values a block at a time and hands each pair (first, second) to `put`.
template <class Put>
void fill_pairs(mt19937& engine, std::size_t n, Put put) noexcept {
  constexpr std::size_t block = 256;
  std::uint32_t draws[2 * block];
  for (std::size_t i = 0; i < n;) {
    const std::size_t m = std::min(n - i, block);
    engine.fill(std::span<std::uint32_t>(draws, 2 * m));
    for (std::size_t k = 0; k < m; ++k) put(i + k, draws[2 * k], draws[2 * k + 1]);
    i += m;
  }
}

}  // namespace

void mt19937::fill(std::span<std::uint64_t> out) noexcept {
  fill_pairs(*this, out.size(), [out](std::size_t i, std::uint32_t first, std::uint32_t second) {
    out[i] = (static_cast<std::uint64_t>(first) << 32) | second;
  });
}

void mt19937::fill(std::span<double> out) noexcept {
  fill_pairs(*this, out.size(), [out](std::size_t i, std::uint32_t first, std::uint32_t second) {
    out[i] = double_of((static_cast<std::uint64_t>(first) << 32) | second);
  });
}

void mt19937::fill_raw(std::span<std::uint64_t> out) noexcept {
  constexpr std::size_t block = 512;
  std::uint32_t draws[block];
  for (std::size_t i = 0; i < out.size();) {
    const std::size_t m = std::min(out.size() - i, block);
    fill(std::span<std::uint32_t>(draws, m));
    for (std::size_t k = 0; k < m; ++k) out[i + k] = draws[k];
    i += m;
  }
}

std::string mt19937::state_json() const {
  return dump_json(json{{"bit_generator", numpy_name}, {"state", {{"key", key_}, {"pos", pos_}}}});
}

void mt19937::set_state_json(std::string_view text) {
  const std::string what = "MT19937 state";
  const json document = parse_json(text, what);
  detail::expect_bit_generator(document, numpy_name);
  const auto& inner = json_field(document, "state", what);
  const auto key = detail::read_uint_array(json_field(inner, "key", what), state_size, 32,
                                           what + " field 'key'");
  // NumPy does not check pos, but one above 624 would read past the key.
  const auto pos = json_to_u64(json_field(inner, "pos", what), what + " field 'pos'", state_size);
  for (std::size_t i = 0; i < state_size; ++i) key_[i] = static_cast<std::uint32_t>(key[i]);
  pos_ = static_cast<std::size_t>(pos);
}

mt19937 mt19937::from_state_json(std::string_view text) {
  mt19937 engine;
  engine.set_state_json(text);
  return engine;
}

}  // namespace streamalloc
