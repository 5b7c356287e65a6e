// The throwing side of the distributions' parameter checks, kept out of the inline hot paths.
#include "streamalloc/distributions/checks.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <string>

#include "streamalloc/distributions/integers.hpp"
#include "streamalloc/distributions/multinomial.hpp"
#include "streamalloc/error.hpp"

namespace streamalloc::detail {
namespace {

// Shortest text that reads back as the same double (C++17 to_chars), with Python's spellings of
// the special values.
std::string format_double(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  std::array<char, 64> buffer{};
  const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  return std::string(buffer.data(), result.ptr);
}

[[noreturn]] void throw_message(std::string_view distribution, std::string_view parameter,
                                const std::string& value, std::string_view requirement) {
  std::string message(distribution);
  message += ": ";
  message += parameter;
  message += " = ";
  message += value;
  message += " is invalid: ";
  message += requirement;
  throw invalid_argument(message);
}

}  // namespace

void throw_bad_parameter(std::string_view distribution, std::string_view parameter, double value,
                         std::string_view requirement) {
  throw_message(distribution, parameter, format_double(value), requirement);
}

void throw_bad_parameter(std::string_view distribution, std::string_view parameter,
                         std::int64_t value, std::string_view requirement) {
  throw_message(distribution, parameter, std::to_string(value), requirement);
}

void throw_invalid(std::string_view distribution, std::string_view message) {
  std::string text(distribution);
  text += ": ";
  text += message;
  throw invalid_argument(text);
}

namespace {

std::string int128_text(int128 value) {
  if (value == 0) return "0";
  const bool negative = value < 0;
  auto magnitude =
      negative ? uint128{0} - static_cast<uint128>(value) : static_cast<uint128>(value);
  std::string digits;
  while (magnitude != 0) {
    digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(magnitude % 10)));
    magnitude /= 10;
  }
  return negative ? "-" + digits : digits;
}

}  // namespace

void throw_integers_error(std::string_view dtype, int128 low, int128 high, bool endpoint,
                          int128 dtype_min, int128 dtype_max, int which) {
  const std::string dt(dtype);
  const std::string interval = endpoint ? " (endpoint=true)" : " (endpoint=false)";
  switch (which) {
    case 0:
      throw_message("integers", "low", int128_text(low),
                    "it is out of bounds for " + dt + ": low must be >= " + int128_text(dtype_min));
    case 1:
      throw_message("integers", "high", int128_text(high),
                    "it is out of bounds for " + dt + ": high must be <= " +
                        int128_text(endpoint ? dtype_max : dtype_max + 1) + interval);
    default:
      throw_invalid("integers", "low = " + int128_text(low) + ", high = " + int128_text(high) +
                                    " are invalid: low must be " +
                                    (endpoint ? "<= high" : "< high") + interval);
  }
}

void check_multinomial_pvals(std::span<const double> pvals) {
  if (pvals.empty()) throw_invalid("multinomial", "pvals must have at least one entry");
  for (std::size_t i = 0; i < pvals.size(); ++i) {
    if (!(pvals[i] >= 0.0 && pvals[i] <= 1.0)) {
      throw_message("multinomial", "pvals[" + std::to_string(i) + "]", format_double(pvals[i]),
                    "every pval must be in [0, 1] and not NaN");
    }
  }
  const double head = kahan_sum(pvals.first(pvals.size() - 1));
  if (head > 1.0 + 1e-12) {
    throw_message("multinomial", "sum(pvals[:-1])", format_double(head),
                  "it must be <= 1 (+1e-12); the last pval takes the remainder");
  }
}

}  // namespace streamalloc::detail
