// Private helpers shared by the JSON and binary forms of stream_set snapshots.
#pragma once

#include <string>
#include <string_view>

#include "streamalloc/any_bit_generator.hpp"
#include "streamalloc/json.hpp"

namespace streamalloc::detail {

// The "format" field of the JSON form.
inline constexpr std::string_view stream_set_format_name = "streamalloc.stream_set_snapshot";

// NumPy's bit_generator.state dict of the generator.
json generator_state(const any_bit_generator& generator);

// A generator of `family` in the state the NumPy state dict describes. Throws invalid_argument,
// prefixed with `what`, if the dict is malformed or describes another family.
any_bit_generator generator_from_state(bit_generator_kind family, const json& state,
                                       const std::string& what);

}  // namespace streamalloc::detail
