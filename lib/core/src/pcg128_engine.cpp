#include "streamalloc/detail/pcg128_engine.hpp"

#include <array>
#include <span>

#include "src/lcg128_powers.hpp"
#include "src/state_fields.hpp"

namespace streamalloc::detail {

namespace {

// The digit tables of the two multipliers in use (PCG64's and PCG64DXSM's cheap one), for
// single steps and for NumPy's jump stride, computed by the compiler.
constexpr uint128 cheap_multiplier = 0xda942042e4dd58b5ULL;
constexpr lcg128_digit_table default_steps(pcg_default_multiplier, 1);
constexpr lcg128_digit_table default_jumps(pcg_default_multiplier, pcg_jump_step);
constexpr lcg128_digit_table cheap_steps(cheap_multiplier, 1);
constexpr lcg128_digit_table cheap_jumps(cheap_multiplier, pcg_jump_step);

const lcg128_digit_table* digit_table(uint128 multiplier, bool jumps) noexcept {
  if (multiplier == pcg_default_multiplier) return jumps ? &default_jumps : &default_steps;
  if (multiplier == cheap_multiplier) return jumps ? &cheap_jumps : &cheap_steps;
  return nullptr;
}

}  // namespace

uint128 lcg128_advance(uint128 state, uint128 delta, uint128 multiplier,
                       uint128 increment) noexcept {
  if (const auto* table = digit_table(multiplier, false)) {
    return table->apply(state, delta, increment);
  }
  return lcg128_power(multiplier, delta).apply(state, increment);
}

uint128 lcg128_jump(uint128 state, uint128 jumps, uint128 multiplier, uint128 increment) noexcept {
  if (const auto* table = digit_table(multiplier, true)) {
    return table->apply(state, jumps, increment);
  }
  return lcg128_power(multiplier, jumps * pcg_jump_step).apply(state, increment);
}

uint128 lcg128_distance(uint128 from, uint128 to, uint128 multiplier, uint128 increment) noexcept {
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
  std::array<std::uint64_t, 4> words{};
  seq.generate_state(std::span<std::uint64_t>(words));
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
