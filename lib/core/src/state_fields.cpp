#include "src/state_fields.hpp"

#include "streamalloc/error.hpp"

namespace streamalloc::detail {

void expect_bit_generator(const json& document, std::string_view name) {
  const std::string what = std::string(name) + " state";
  const json& given = json_field(document, "bit_generator", what);
  if (!given.is_string() || given.get<std::string>() != name) {
    throw invalid_argument(what + ": field 'bit_generator' is " + describe_json(given) +
                           ", expected \"" + std::string(name) + "\"");
  }
}

uint128 read_uint128(const json& value, const std::string& what) {
  const big_uint big = json_to_big(value, what);
  if (big.bit_length() > 128) {
    throw invalid_argument(what + ": got " + cut_for_message(big.to_string()) +
                           ", expected an integer below 2**128");
  }
  return big.low_u128();
}

std::vector<std::uint64_t> read_uint_array(const json& value, std::size_t count, unsigned bits,
                                           const std::string& what) {
  if (!value.is_array() || value.size() != count) {
    throw invalid_argument(what + ": got " + describe_json(value) + ", expected an array of " +
                           std::to_string(count) + " integers");
  }
  const std::uint64_t max = bits >= 64 ? UINT64_MAX : (std::uint64_t{1} << bits) - 1;
  std::vector<std::uint64_t> out;
  out.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    out.push_back(json_to_u64(value[i], what + "[" + std::to_string(i) + "]", max));
  }
  return out;
}

uint32_buffer_fields read_uint32_buffer(const json& document, const std::string& what) {
  const auto has =
      json_to_u64(json_field(document, "has_uint32", what), what + " field 'has_uint32'", 1);
  const auto value =
      json_to_u64(json_field(document, "uinteger", what), what + " field 'uinteger'", UINT32_MAX);
  return {has == 1, static_cast<std::uint32_t>(value)};
}

void append_uint32_buffer(json& document, bool has_uint32, std::uint32_t uinteger) {
  document["has_uint32"] = has_uint32 ? 1 : 0;
  document["uinteger"] = uinteger;
}

}  // namespace streamalloc::detail
