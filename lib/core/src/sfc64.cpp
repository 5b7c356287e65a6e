#include "streamalloc/sfc64.hpp"

#include "src/state_fields.hpp"

namespace streamalloc {

sfc64::sfc64(const seed_sequence& seq) {
  const auto seed = seq.generate_state64(3);
  a_ = seed[0];
  b_ = seed[1];
  c_ = seed[2];
  counter_ = 1;
  // NumPy (numpy/random/src/sfc64/sfc64.h) discards 12 outputs to mix the seed in.
  for (int i = 0; i < 12; ++i) next64();
}

void sfc64::fill(std::span<std::uint64_t> out) noexcept {
  // next64() on locals: the output and a, b, counter are off the critical path, which is c's
  // rotate-and-add (two cycles a word).
  std::uint64_t a = a_;
  std::uint64_t b = b_;
  std::uint64_t c = c_;
  std::uint64_t counter = counter_;
  for (auto& word : out) {
    const std::uint64_t result = a + b + counter++;
    a = b ^ (b >> 11);
    b = c + (c << 3);
    c = ((c << 24) | (c >> 40)) + result;
    word = result;
  }
  a_ = a;
  b_ = b;
  c_ = c;
  counter_ = counter;
}

std::string sfc64::state_json() const {
  json document = {{"bit_generator", numpy_name}, {"state", {{"state", {a_, b_, c_, counter_}}}}};
  detail::append_uint32_buffer(document, has_uint32(), uinteger());
  return dump_json(document);
}

void sfc64::set_state_json(std::string_view text) {
  const std::string what = "SFC64 state";
  const json document = parse_json(text, what);
  detail::expect_bit_generator(document, numpy_name);
  const auto& inner = json_field(document, "state", what);
  const auto w =
      detail::read_uint_array(json_field(inner, "state", what), 4, 64, what + " field 'state'");
  const auto buffer = detail::read_uint32_buffer(document, what);
  a_ = w[0];
  b_ = w[1];
  c_ = w[2];
  counter_ = w[3];
  set_uint32_buffer(buffer.has_uint32, buffer.uinteger);
}

sfc64 sfc64::from_state_json(std::string_view text) {
  sfc64 engine;
  engine.set_state_json(text);
  return engine;
}

}  // namespace streamalloc
