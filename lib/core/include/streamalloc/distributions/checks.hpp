// streamalloc/distributions/checks.hpp — parameter validation shared by the distributions.
// Shipped for the distribution headers; not part of the stable API.
//
// Each check mirrors the ValueError that numpy.random.Generator raises for the same parameter,
// and throws streamalloc::invalid_argument with a message naming the distribution, the
// parameter, the offending value and the valid range. In addition, NaN is rejected for every
// real parameter (NumPy lets NaN through for loc, scale and shape and then returns NaN or, for
// standard_gamma, never returns). The throwing paths live out of line (src/distributions/).
#pragma once

#include <cmath>
#include <cstdint>
#include <string_view>

namespace streamalloc::detail {

// Throws invalid_argument: "<dist>: <param> = <value> is invalid: <requirement>".
[[noreturn]] void throw_bad_parameter(std::string_view distribution, std::string_view parameter,
                                      double value, std::string_view requirement);
[[noreturn]] void throw_bad_parameter(std::string_view distribution, std::string_view parameter,
                                      std::int64_t value, std::string_view requirement);
// Throws invalid_argument with the message as given (prefixed by the distribution name).
[[noreturn]] void throw_invalid(std::string_view distribution, std::string_view message);

inline void require_not_nan(std::string_view distribution, std::string_view parameter,
                            double value) {
  if (std::isnan(value)) {
    throw_bad_parameter(distribution, parameter, value, "it must not be NaN");
  }
}

// NumPy's CONS_NON_NEGATIVE: rejects values with the sign bit set, so -0.0 is rejected too;
// we also reject NaN.
inline void require_non_negative(std::string_view distribution, std::string_view parameter,
                                 double value) {
  require_not_nan(distribution, parameter, value);
  if (std::signbit(value)) {
    throw_bad_parameter(distribution, parameter, value,
                        "it must be >= 0 (negative zero is rejected, as NumPy does)");
  }
}

// NumPy's CONS_BOUNDED_0_1: 0 <= value <= 1, not NaN.
inline void require_probability(std::string_view distribution, std::string_view parameter,
                                double value) {
  if (!(value >= 0.0 && value <= 1.0)) {
    throw_bad_parameter(distribution, parameter, value, "it must be in [0, 1] and not NaN");
  }
}

inline void require_count(std::string_view distribution, std::string_view parameter,
                          std::int64_t value) {
  if (value < 0) throw_bad_parameter(distribution, parameter, value, "it must be >= 0");
}

}  // namespace streamalloc::detail
