#include "dist_integers.hpp"

#include <cstdint>
#include <limits>
#include <string>
#include <type_traits>

#include "streamalloc/big_uint.hpp"
#include "streamalloc/error.hpp"
#include "streamalloc/uint128.hpp"

namespace streamalloc::cli {
namespace {

__extension__ typedef __int128 int128;

constexpr int128 two_to_64 = static_cast<int128>(1) << 64;

bool fits_64_bit_bound(int128 value) noexcept {
  return value >= std::numeric_limits<std::int64_t>::min() && value < two_to_64;
}

std::string decimal(int128 value) {
  const auto magnitude =
      value < 0 ? uint128{0} - static_cast<uint128>(value) : static_cast<uint128>(value);
  return (value < 0 ? "-" : "") + big_uint::from_uint128(magnitude).to_string();
}

// Exact up to magnitudes of 2^127; anything of 66 bits or more is far outside every dtype, so
// it is clamped to 2^65 (keeping its sign), which every check below refuses just the same.
int128 to_int128(const signed_distance& value) {
  const int128 magnitude = value.magnitude.bit_length() > 65
                               ? static_cast<int128>(1) << 65
                               : static_cast<int128>(value.magnitude.low_u128());
  return value.negative ? -magnitude : magnitude;
}

[[noreturn]] void throw_out_of_bounds(const char* name, const signed_distance& value,
                                      const char* dtype, int128 min, int128 max,
                                      const std::string& condition) {
  throw invalid_argument(std::string("integers: ") + name + " = " + (value.negative ? "-" : "") +
                         cut_for_message(value.magnitude.to_string()) + " is out of bounds for " +
                         dtype + " (expected an integer in [" + decimal(min) + ", " + decimal(max) +
                         "]" + condition + ")");
}

// integers_distribution<T> takes any integral bound types: pass each bound as int64 when it
// is negative and as uint64 otherwise, which together cover [-2^63, 2^64 - 1] exactly.
template <class T, class L>
dist_sampler with_high(L low, int128 high, bool endpoint) {
  if (high < 0) return integers_distribution<T>(low, static_cast<std::int64_t>(high), endpoint);
  return integers_distribution<T>(low, static_cast<std::uint64_t>(high), endpoint);
}

template <class T>
dist_sampler with_bounds(int128 low, int128 high, bool endpoint) {
  if (low < 0) return with_high<T>(static_cast<std::int64_t>(low), high, endpoint);
  return with_high<T>(static_cast<std::uint64_t>(low), high, endpoint);
}

template <class T>
dist_sampler make_for(const signed_distance& low_text, const signed_distance& high_text,
                      bool endpoint, const char* dtype) {
  int128 low = to_int128(low_text);
  int128 high = to_int128(high_text);
  if constexpr (std::is_same_v<T, std::uint64_t>) {
    // The whole uint64 range, [low, 2^64): the library takes it in its closed form.
    if (!endpoint && high == two_to_64 && fits_64_bit_bound(low)) {
      return with_bounds<T>(low, two_to_64 - 1, true);
    }
  }
  const auto min = static_cast<int128>(std::numeric_limits<T>::min());
  const auto max = static_cast<int128>(std::numeric_limits<T>::max());
  if (!fits_64_bit_bound(low)) throw_out_of_bounds("low", low_text, dtype, min, max, "");
  if (!fits_64_bit_bound(high)) {
    const int128 past = endpoint ? 0 : 1;
    throw_out_of_bounds("high", high_text, dtype, min + past, max + past,
                        endpoint ? " with endpoint=true" : " with endpoint=false");
  }
  return with_bounds<T>(low, high, endpoint);
}

}  // namespace

dist_sampler make_integers_sampler(const integers_request& request) {
  // NumPy's integers(low) means integers(0, low).
  const signed_distance low = request.high ? request.low : signed_distance{};
  const signed_distance high = request.high ? *request.high : request.low;
  const bool endpoint = request.endpoint;
  const char* const dtype = integer_dtype_names[request.dtype];
  switch (request.dtype) {
    case 0: return make_for<std::int64_t>(low, high, endpoint, dtype);
    case 1: return make_for<std::int32_t>(low, high, endpoint, dtype);
    case 2: return make_for<std::int16_t>(low, high, endpoint, dtype);
    case 3: return make_for<std::int8_t>(low, high, endpoint, dtype);
    case 4: return make_for<std::uint64_t>(low, high, endpoint, dtype);
    case 5: return make_for<std::uint32_t>(low, high, endpoint, dtype);
    case 6: return make_for<std::uint16_t>(low, high, endpoint, dtype);
    case 7: return make_for<std::uint8_t>(low, high, endpoint, dtype);
    default: return make_for<bool>(low, high, endpoint, dtype);
  }
}

}  // namespace streamalloc::cli
