// streamalloc_bitgen_*: NumPy's five bit generators behind one handle.
#include <array>
#include <span>
#include <string>

#include "boundary.hpp"
#include "types.hpp"

namespace streamalloc::capi {

bit_generator_kind kind_of(int kind, const char* what) {
  if (kind < STREAMALLOC_PCG64 || kind > STREAMALLOC_MT19937) {
    throw invalid_argument(std::string(what) + " = " + std::to_string(kind) +
                           " is no bit generator, expected STREAMALLOC_PCG64 (0) to "
                           "STREAMALLOC_MT19937 (4)");
  }
  return static_cast<bit_generator_kind>(kind);
}

signed_big parse_signed(std::string_view text, const char* what) {
  signed_big out;
  if (!text.empty() && text.front() == '-') {
    out.negative = true;
    text.remove_prefix(1);
  }
  out.magnitude = big_uint::parse(text, what);
  return out;
}

}  // namespace streamalloc::capi

using namespace streamalloc;
using namespace streamalloc::capi;

namespace {

any_bit_generator& gen_of(streamalloc_bitgen* gen) { return *checked(gen, "gen").value; }
const any_bit_generator& gen_of(const streamalloc_bitgen* gen) {
  return *checked(gen, "gen").value;
}

// n draws of T into out, by `fill(engine, span)`.
template <class T, class Fill>
void fill_with(streamalloc_bitgen* gen, T* out, std::int64_t n, Fill&& fill) {
  any_bit_generator& g = gen_of(gen);
  const std::size_t count = count_of(n, "n");
  require_array(out, n, "out");
  fill(g, std::span<T>(out, count));
}

}  // namespace

extern "C" {

streamalloc_status streamalloc_bitgen_create(int kind, const streamalloc_seedseq* seq,
                                             streamalloc_bitgen** out) {
  return call(__func__, [&] {
    const bit_generator_kind k = kind_of(kind, "kind");
    const seed_sequence& s = *checked(seq, "seq").value;
    require_out(out, "out");
    *out = make_handle<streamalloc_bitgen>(k, s);
  });
}

streamalloc_status streamalloc_bitgen_create_philox(const uint64_t key[2], const uint64_t* counter,
                                                    streamalloc_bitgen** out) {
  return call(__func__, [&] {
    require_array(key, 2, "key");
    require_out(out, "out");
    philox::key_type k{key[0], key[1]};
    philox::counter_type c{};
    if (counter != nullptr) c = {counter[0], counter[1], counter[2], counter[3]};
    *out = make_handle<streamalloc_bitgen>(philox::from_words(k, c));
  });
}

streamalloc_status streamalloc_bitgen_create_philox_str(const char* key, const char* counter,
                                                        streamalloc_bitgen** out) {
  return call(__func__, [&] {
    const big_uint k = big_uint::parse(text_of(key, "key"), "key");
    const big_uint c =
        (counter == nullptr || *counter == '\0') ? big_uint{} : big_uint::parse(counter, "counter");
    require_out(out, "out");
    *out = make_handle<streamalloc_bitgen>(philox::from_key(k, c));
  });
}

streamalloc_status streamalloc_bitgen_create_from_state_json(const char* json,
                                                             streamalloc_bitgen** out) {
  return call(__func__, [&] {
    any_bit_generator g = any_bit_generator::from_state_json(text_of(json, "json"));
    require_out(out, "out");
    *out = make_handle<streamalloc_bitgen>(std::move(g));
  });
}

streamalloc_status streamalloc_bitgen_copy(const streamalloc_bitgen* gen,
                                           streamalloc_bitgen** out) {
  return call(__func__, [&] {
    const any_bit_generator& g = gen_of(gen);
    require_out(out, "out");
    *out = make_handle<streamalloc_bitgen>(g);
  });
}

streamalloc_status streamalloc_bitgen_free(streamalloc_bitgen* gen) {
  return call(__func__, [&] { free_handle(gen, "gen"); });
}

streamalloc_status streamalloc_bitgen_kind(const streamalloc_bitgen* gen, int* kind) {
  return call(__func__, [&] {
    const any_bit_generator& g = gen_of(gen);
    require_out(kind, "kind");
    *kind = static_cast<int>(g.kind());
  });
}

streamalloc_status streamalloc_bitgen_next64(streamalloc_bitgen* gen, uint64_t* out) {
  return call(__func__, [&] {
    any_bit_generator& g = gen_of(gen);
    require_out(out, "out");
    *out = g.next64();
  });
}

streamalloc_status streamalloc_bitgen_next32(streamalloc_bitgen* gen, uint32_t* out) {
  return call(__func__, [&] {
    any_bit_generator& g = gen_of(gen);
    require_out(out, "out");
    *out = g.next32();
  });
}

streamalloc_status streamalloc_bitgen_next_double(streamalloc_bitgen* gen, double* out) {
  return call(__func__, [&] {
    any_bit_generator& g = gen_of(gen);
    require_out(out, "out");
    *out = g.next_double();
  });
}

streamalloc_status streamalloc_bitgen_fill_u64(streamalloc_bitgen* gen, uint64_t* out, int64_t n) {
  return call(__func__, [&] {
    fill_with(gen, out, n, [](any_bit_generator& g, std::span<std::uint64_t> values) {
      // next64 (not random_raw: MT19937's 64-bit word is two 32-bit draws), engine-local loop.
      g.visit([&](auto& engine) {
        for (auto& v : values) v = engine.next64();
      });
    });
  });
}

streamalloc_status streamalloc_bitgen_fill_u32(streamalloc_bitgen* gen, uint32_t* out, int64_t n) {
  return call(__func__, [&] {
    fill_with(gen, out, n,
              [](any_bit_generator& g, std::span<std::uint32_t> values) { g.fill(values); });
  });
}

streamalloc_status streamalloc_bitgen_fill_double(streamalloc_bitgen* gen, double* out, int64_t n) {
  return call(__func__, [&] {
    fill_with(gen, out, n, [](any_bit_generator& g, std::span<double> values) { g.fill(values); });
  });
}

streamalloc_status streamalloc_bitgen_fill_raw(streamalloc_bitgen* gen, uint64_t* out, int64_t n) {
  return call(__func__, [&] {
    fill_with(gen, out, n,
              [](any_bit_generator& g, std::span<std::uint64_t> values) { g.fill_raw(values); });
  });
}

streamalloc_status streamalloc_bitgen_advance(streamalloc_bitgen* gen, uint64_t delta_lo,
                                              uint64_t delta_hi) {
  return call(__func__,
              [&] { gen_of(gen).advance(big_uint::from_uint128(words128(delta_lo, delta_hi))); });
}

streamalloc_status streamalloc_bitgen_advance_str(streamalloc_bitgen* gen, const char* delta) {
  return call(__func__, [&] {
    any_bit_generator& g = gen_of(gen);
    const signed_big d = parse_signed(text_of(delta, "delta"), "delta");
    if (d.negative) {
      g.retreat(d.magnitude);
    } else {
      g.advance(d.magnitude);
    }
  });
}

streamalloc_status streamalloc_bitgen_jumped(const streamalloc_bitgen* gen, uint64_t jumps_lo,
                                             uint64_t jumps_hi, streamalloc_bitgen** out) {
  return call(__func__, [&] {
    const any_bit_generator& g = gen_of(gen);
    require_out(out, "out");
    *out = make_handle<streamalloc_bitgen>(
        g.jumped(big_uint::from_uint128(words128(jumps_lo, jumps_hi))));
  });
}

streamalloc_status streamalloc_bitgen_jumped_str(const streamalloc_bitgen* gen, const char* jumps,
                                                 streamalloc_bitgen** out) {
  return call(__func__, [&] {
    const any_bit_generator& g = gen_of(gen);
    const signed_big j = parse_signed(text_of(jumps, "jumps"), "jumps");
    require_out(out, "out");
    *out = make_handle<streamalloc_bitgen>(j.negative ? g.jumped_back(j.magnitude)
                                                      : g.jumped(j.magnitude));
  });
}

streamalloc_status streamalloc_bitgen_state_json(const streamalloc_bitgen* gen, char* buf,
                                                 int64_t capacity, int64_t* length) {
  return call(__func__, [&] { write_out(gen_of(gen).state_json(), buf, capacity, length); });
}

streamalloc_status streamalloc_bitgen_set_state_json(streamalloc_bitgen* gen, const char* json) {
  return call(__func__, [&] {
    any_bit_generator& g = gen_of(gen);
    any_bit_generator next = any_bit_generator::from_state_json(text_of(json, "json"));
    if (next.kind() != g.kind()) {
      throw invalid_argument("the state is a " + std::string(numpy_name(next.kind())) +
                             " state, expected a " + std::string(numpy_name(g.kind())) +
                             " state (the generator's own family)");
    }
    g = std::move(next);
  });
}

}  // extern "C"
