// streamalloc CLI: the sampler of `generate --dist integers` (private to dist_options.cpp).
//
// NumPy's integers(low, high=None, dtype=..., endpoint=False) takes Python integers of any
// size; the library takes 64-bit bounds. This file bridges the two: bounds within
// [-2^63, 2^64 - 1] go to the library as they are (so its messages show what the user wrote),
// uint64's exclusive high of 2^64 is passed as the equivalent closed bound 2^64 - 1, and
// anything larger is refused here with NumPy's "out of bounds" reason.
#pragma once

#include <optional>
#include <string>

#include "dist_sampler.hpp"
#include "option_values.hpp"

namespace streamalloc::cli {

// NumPy's dtype names that integers() accepts here.
inline constexpr const char* integer_dtype_names[] = {"int64",  "int32",  "int16", "int8", "uint64",
                                                      "uint32", "uint16", "uint8", "bool"};

struct integers_request {
  signed_distance low;
  std::optional<signed_distance> high;  // absent: integers(low) is [0, low)
  bool endpoint = false;
  std::size_t dtype = 0;  // index into integer_dtype_names
};

// The checked sampler. Throws invalid_argument (the library's, or ours for bounds beyond 64
// bits) without naming options: the caller prefixes them.
dist_sampler make_integers_sampler(const integers_request& request);

}  // namespace streamalloc::cli
