#include "streamalloc/philox.hpp"

#include <cstddef>

#include "src/simd_kernels.hpp"
#include "src/state_fields.hpp"
#include "streamalloc/error.hpp"

namespace streamalloc {

namespace {

// A non-negative integer below 2^(64 * N) as N little-endian words, as NumPy's int_to_array
// checks Philox's key (128 bits) and counter (256 bits).
template <std::size_t N>
std::array<std::uint64_t, N> to_words(const big_uint& value, std::string_view name) {
  if (value.bit_length() > 64 * N) {
    throw invalid_argument("Philox " + std::string(name) + ": got " +
                           cut_for_message(value.to_string()) + ", but the " + std::string(name) +
                           " must be below 2**" + std::to_string(64 * N));
  }
  const auto words = value.low_u64_words(N);
  std::array<std::uint64_t, N> out{};
  for (std::size_t i = 0; i < N; ++i) out[i] = words[i];
  return out;
}

philox::counter_type counter_delta(const big_uint& delta) {
  const auto words = delta.low_u64_words(4);  // NumPy's wrap_int(delta, 256)
  return {words[0], words[1], words[2], words[3]};
}

}  // namespace

void philox::fill(std::span<std::uint64_t> out) noexcept {
  std::size_t i = 0;
  const std::size_t n = out.size();
  while (i < n && buffer_pos_ < buffer_size) out[i++] = buffer_[buffer_pos_++];
  // Whole blocks straight into the output; the buffer then holds the last one, used up, as
  // after single draws.
  if (const std::size_t blocks = (n - i) / buffer_size; blocks != 0) {
    detail::philox4x64_10_blocks(counter_, key_, out.data() + i, blocks, buffer_);
    buffer_pos_ = buffer_size;
    i += blocks * buffer_size;
  }
  for (; i < n; ++i) out[i] = next64();
}

philox::philox(const seed_sequence& seq, const big_uint& counter) {
  seq.generate_state(std::span<std::uint64_t>(key_));
  counter_ = to_words<4>(counter, "counter");
}

philox philox::from_key(const big_uint& key, const big_uint& counter) {
  return from_words(to_words<2>(key, "key"), to_words<4>(counter, "counter"));
}

void philox::add_to_counter(const counter_type& delta) noexcept {
  // Schoolbook 256-bit addition; the carry out of the top word is dropped (mod 2^256).
  std::uint64_t carry = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    const std::uint64_t partial = counter_[i] + delta[i];
    const std::uint64_t carry_a = partial < counter_[i] ? 1 : 0;
    counter_[i] = partial + carry;
    const std::uint64_t carry_b = counter_[i] < partial ? 1 : 0;
    carry = carry_a | carry_b;
  }
}

// NumPy's Philox._reset_state_variables: the block buffer and the 32-bit half are dropped.
void philox::reset_buffers() noexcept {
  reset_uint32_buffer();
  buffer_ = {};
  buffer_pos_ = buffer_size;
}

philox& philox::advance(const big_uint& delta) {
  add_to_counter(counter_delta(delta));
  reset_buffers();
  return *this;
}

philox& philox::retreat(const big_uint& delta) { return advance(delta.negated_modulo_pow2(256)); }

philox philox::jumped_words(std::uint64_t low, std::uint64_t high) const noexcept {
  // jumps * 2^128 mod 2^256: the low 128 bits of jumps land in the counter's upper two words.
  philox copy = *this;
  copy.add_to_counter({0, 0, low, high});
  copy.reset_buffers();
  return copy;
}

philox philox::jumped(const big_uint& jumps) const {
  const auto low = jumps.low_u64_words(2);
  return jumped_words(low[0], low[1]);
}

philox philox::jumped(std::uint64_t jumps) const { return jumped_words(jumps, 0); }

philox philox::jumped_back(const big_uint& jumps) const {
  // -jumps mod 2^128, in the counter's upper two words.
  const uint128 negated = uint128{0} - jumps.low_u128();
  return jumped_words(low64(negated), high64(negated));
}

std::string philox::state_json() const {
  json document = {{"bit_generator", numpy_name},
                   {"state", {{"counter", counter_}, {"key", key_}}},
                   {"buffer", buffer_},
                   {"buffer_pos", buffer_pos_}};
  detail::append_uint32_buffer(document, has_uint32(), uinteger());
  return dump_json(document);
}

void philox::set_state_json(std::string_view text) {
  const std::string what = "Philox state";
  const json document = parse_json(text, what);
  detail::expect_bit_generator(document, numpy_name);
  const auto& inner = json_field(document, "state", what);
  const auto counter =
      detail::read_uint_array(json_field(inner, "counter", what), 4, 64, what + " field 'counter'");
  const auto key =
      detail::read_uint_array(json_field(inner, "key", what), 2, 64, what + " field 'key'");
  const auto buffer = detail::read_uint_array(json_field(document, "buffer", what), 4, 64,
                                              what + " field 'buffer'");
  // NumPy does not check buffer_pos, but one above 4 would read past its buffer.
  const auto pos = json_to_u64(json_field(document, "buffer_pos", what),
                               what + " field 'buffer_pos'", buffer_size);
  const auto half = detail::read_uint32_buffer(document, what);
  for (std::size_t i = 0; i < 4; ++i) {
    counter_[i] = counter[i];
    buffer_[i] = buffer[i];
  }
  key_ = {key[0], key[1]};
  buffer_pos_ = static_cast<std::size_t>(pos);
  set_uint32_buffer(half.has_uint32, half.uinteger);
}

philox philox::from_state_json(std::string_view text) {
  philox engine;
  engine.set_state_json(text);
  return engine;
}

}  // namespace streamalloc
