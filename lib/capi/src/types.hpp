// lib/capi/src/types.hpp — INTERNAL: what the serial C API's opaque handles hold.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "handles.hpp"
#include "streamalloc.h"
#include "streamalloc/any_bit_generator.hpp"
#include "streamalloc/campaign.hpp"
#include "streamalloc/seed_sequence.hpp"
#include "streamalloc/stream_set/snapshot.hpp"
#include "streamalloc/stream_set/stream_set.hpp"

struct streamalloc_seedseq : streamalloc::capi::boxed<streamalloc::capi::handle_kind::seedseq,
                                                      streamalloc::seed_sequence> {
  using boxed::boxed;
};

struct streamalloc_bitgen : streamalloc::capi::boxed<streamalloc::capi::handle_kind::bitgen,
                                                     streamalloc::any_bit_generator> {
  using boxed::boxed;
};

struct streamalloc_campaign
    : streamalloc::capi::boxed<streamalloc::capi::handle_kind::campaign, streamalloc::campaign> {
  using boxed::boxed;
};

struct streamalloc_snapshot : streamalloc::capi::boxed<streamalloc::capi::handle_kind::snapshot,
                                                       streamalloc::stream_set_snapshot> {
  using boxed::boxed;
};

namespace streamalloc::capi {

// A variable of any of the distributions a C program can add to a stream set.
using any_variable =
    std::variant<stream_variable<uniform_distribution>, stream_variable<normal_distribution>,
                 stream_variable<exponential_distribution>, stream_variable<gamma_distribution>,
                 stream_variable<poisson_distribution>, stream_variable<binomial_distribution>,
                 stream_variable<integers_distribution<std::int64_t>>,
                 stream_variable<integers_distribution<std::int32_t>>,
                 stream_variable<integers_distribution<std::int16_t>>,
                 stream_variable<integers_distribution<std::int8_t>>,
                 stream_variable<integers_distribution<std::uint64_t>>,
                 stream_variable<integers_distribution<std::uint32_t>>,
                 stream_variable<integers_distribution<std::uint16_t>>,
                 stream_variable<integers_distribution<std::uint8_t>>,
                 stream_variable<integers_distribution<bool>>,
                 stream_variable<multinomial_distribution>>;

// A stream set and the variable handles it gave out (freed with it).
struct owned_stream_set {
  explicit owned_stream_set(stream_set s) : set(std::move(s)), family(set.family()) {}
  ~owned_stream_set();
  owned_stream_set(const owned_stream_set&) = delete;
  owned_stream_set& operator=(const owned_stream_set&) = delete;

  stream_set set;
  bit_generator_kind family;  // of the variables added next (streamalloc_stream_set_use_family)
  std::vector<streamalloc_variable*> variables;
};

// The outcome of verify() or of an audit, as C reads it.
struct verdict_data {
  bool clean = true;
  std::int64_t conflicts = 0;
  std::int64_t claims = 0;
  std::string report;  // one line per conflict, then the summary
};

}  // namespace streamalloc::capi

struct streamalloc_variable : streamalloc::capi::boxed<streamalloc::capi::handle_kind::variable,
                                                       streamalloc::capi::any_variable> {
  using boxed::boxed;
};

struct streamalloc_stream_set : streamalloc::capi::boxed<streamalloc::capi::handle_kind::stream_set,
                                                         streamalloc::capi::owned_stream_set> {
  using boxed::boxed;
};

struct streamalloc_verdict : streamalloc::capi::boxed<streamalloc::capi::handle_kind::verdict,
                                                      streamalloc::capi::verdict_data> {
  using boxed::boxed;
};

namespace streamalloc::capi {

// A bit generator kind / strategy from its C constant; invalid_argument naming `what` otherwise.
bit_generator_kind kind_of(int kind, const char* what);
strategy strategy_of(int value, const char* what);

// A 128-bit value from two words.
inline uint128 words128(std::uint64_t lo, std::uint64_t hi) noexcept {
  return make_uint128(hi, lo);
}

// A signed big integer in text: a leading '-' sets `negative`. For advance/jumped distances.
struct signed_big {
  big_uint magnitude;
  bool negative = false;
};
signed_big parse_signed(std::string_view text, const char* what);

}  // namespace streamalloc::capi
