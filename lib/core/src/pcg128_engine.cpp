#include "streamalloc/detail/pcg128_engine.hpp"

#include "src/state_fields.hpp"

namespace streamalloc::detail {

uint128 lcg128_advance(uint128 state, uint128 delta, uint128 multiplier,
                       uint128 increment) noexcept {
  // Square-and-multiply on the affine map x -> m x + c: after the loop, (acc_mult, acc_plus)
  // is the map applied `delta` times.
  uint128 acc_mult = 1;
  uint128 acc_plus = 0;
  uint128 cur_mult = multiplier;
  uint128 cur_plus = increment;
  while (delta != 0) {
    if ((delta & 1U) != 0) {
      acc_mult *= cur_mult;
      acc_plus = acc_plus * cur_mult + cur_plus;
    }
    cur_plus = (cur_mult + 1) * cur_plus;
    cur_mult *= cur_mult;
    delta >>= 1;
  }
  return acc_mult * state + acc_plus;
}

uint128 lcg128_distance(uint128 from, uint128 to, uint128 multiplier,
                        uint128 increment) noexcept {
  // Brown's bit-by-bit recovery (as in pcg-cpp's distance): decide each bit of the distance
  // from the lowest state bit that still differs, doubling the stride each round.
  uint128 the_bit = 1;
  uint128 distance = 0;
  uint128 cur_mult = multiplier;
  uint128 cur_plus = increment;
  while (from != to) {
    if ((from & the_bit) != (to & the_bit)) {
      from = from * cur_mult + cur_plus;
      distance |= the_bit;
    }
    the_bit <<= 1;
    cur_plus = (cur_mult + 1) * cur_plus;
    cur_mult *= cur_mult;
  }
  return distance;
}

pcg128_seed pcg128_seed_from(const seed_sequence& seq) {
  const auto words = seq.generate_state64(4);
  const uint128 initstate = make_uint128(words[0], words[1]);
  const uint128 initseq = make_uint128(words[2], words[3]);
  pcg128_seed seed{0, (initseq << 1) | 1U};
  seed.state = seed.state * pcg_default_multiplier + seed.increment;
  seed.state += initstate;
  seed.state = seed.state * pcg_default_multiplier + seed.increment;
  return seed;
}

std::string pcg128_state_json(std::string_view name, const pcg128_state_fields& fields) {
  json document = {{"bit_generator", name},
                   {"state",
                    {{"state", big_to_json(big_uint::from_uint128(fields.state))},
                     {"inc", big_to_json(big_uint::from_uint128(fields.increment))}}}};
  append_uint32_buffer(document, fields.has_uint32, fields.uinteger);
  return dump_json(document);
}

pcg128_state_fields pcg128_state_from_json(std::string_view name, std::string_view text) {
  const std::string what = std::string(name) + " state";
  const json document = parse_json(text, what);
  expect_bit_generator(document, name);
  const json& inner = json_field(document, "state", what);
  pcg128_state_fields fields{};
  fields.state = read_uint128(json_field(inner, "state", what), what + " field 'state'");
  fields.increment = read_uint128(json_field(inner, "inc", what), what + " field 'inc'");
  const auto buffer = read_uint32_buffer(document, what);
  fields.has_uint32 = buffer.has_uint32;
  fields.uinteger = buffer.uinteger;
  return fields;
}

}  // namespace streamalloc::detail
