#include "streamalloc/mt19937.hpp"

#include <string>

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
  constexpr std::size_t n = state_size;
  constexpr std::size_t m = middle_offset;
  std::size_t i = 0;
  for (; i < n - m; ++i) key_[i] = twist(key_[i], key_[i + 1], key_[i + m]);
  for (; i < n - 1; ++i) key_[i] = twist(key_[i], key_[i + 1], key_[i + m - n]);
  key_[n - 1] = twist(key_[n - 1], key_[0], key_[m - 1]);
  pos_ = 0;
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
  const auto pos =
      json_to_u64(json_field(inner, "pos", what), what + " field 'pos'", state_size);
  for (std::size_t i = 0; i < state_size; ++i) key_[i] = static_cast<std::uint32_t>(key[i]);
  pos_ = static_cast<std::size_t>(pos);
}

mt19937 mt19937::from_state_json(std::string_view text) {
  mt19937 engine;
  engine.set_state_json(text);
  return engine;
}

}  // namespace streamalloc
