#include "option_values.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <limits>
#include <system_error>

#include "streamalloc/error.hpp"

namespace streamalloc::cli {
namespace {

std::string_view trim_spaces(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::string quoted(std::string_view text) { return "'" + cut_for_message(text) + "'"; }

}  // namespace

std::uint64_t parse_count(std::string_view text, std::string_view what, std::uint64_t max) {
  const big_uint value = big_uint::parse(trim_spaces(text), what);
  if (!value.fits_u64() || value.low_u64() > max) {
    throw invalid_argument(std::string(what) + ": " + quoted(text) +
                           " is too large (expected an integer in [0, " + std::to_string(max) +
                           "])");
  }
  return value.low_u64();
}

std::vector<big_uint> parse_spawn_key(std::string_view text, std::string_view what) {
  std::vector<big_uint> key;
  if (trim_spaces(text).empty()) return key;
  std::string_view rest = text;
  while (true) {
    const auto comma = rest.find(',');
    const std::string_view entry = trim_spaces(rest.substr(0, comma));
    try {
      key.push_back(big_uint::parse(entry, what));
    } catch (const invalid_argument&) {
      throw invalid_argument(std::string(what) + ": " + quoted(text) +
                             " is not a comma-separated list of non-negative integers (entry " +
                             std::to_string(key.size() + 1) + " is " + quoted(entry) + ")");
    }
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return key;
}

signed_distance parse_signed_distance(std::string_view text, std::string_view what) {
  const std::string_view trimmed = trim_spaces(text);
  const bool negative = !trimmed.empty() && trimmed.front() == '-';
  try {
    return {negative, big_uint::parse(negative ? trimmed.substr(1) : trimmed, what)};
  } catch (const invalid_argument&) {
    throw invalid_argument(std::string(what) + ": " + quoted(text) +
                           " is not an integer (expected decimal digits or 0x-prefixed hex, "
                           "optionally preceded by '-')");
  }
}

std::int64_t parse_int64(std::string_view text, std::string_view what) {
  const signed_distance value = parse_signed_distance(text, what);
  // |INT64_MIN| = 2^63 is allowed for negative values only.
  const std::uint64_t limit = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) +
                              (value.negative ? 1U : 0U);
  if (!value.magnitude.fits_u64() || value.magnitude.low_u64() > limit) {
    throw invalid_argument(std::string(what) + ": " + quoted(text) +
                           " is out of range (expected an integer in [-2**63, 2**63 - 1])");
  }
  const std::uint64_t magnitude = value.magnitude.low_u64();
  // Two's complement negation in unsigned arithmetic: exact for 2^63 as well.
  return static_cast<std::int64_t>(value.negative ? 0U - magnitude : magnitude);
}

double parse_real(std::string_view text, std::string_view what) {
  std::string_view number = trim_spaces(text);
  // from_chars takes '-' but not '+', which Python's float() and C's strtod both accept.
  if (number.size() > 1 && number.front() == '+' && number[1] != '-') number.remove_prefix(1);
  double value = 0.0;
  const char* const last = number.data() + number.size();
  const auto [end, ec] = std::from_chars(number.data(), last, value);
  if (ec == std::errc::result_out_of_range && end == last) {
    throw invalid_argument(std::string(what) + ": " + quoted(text) +
                           " is out of the range of a double (expected a magnitude from "
                           "4.9e-324 to 1.8e308, or 0, inf or nan)");
  }
  if (ec != std::errc() || end != last || number.empty()) {
    throw invalid_argument(std::string(what) + ": " + quoted(text) +
                           " is not a number (expected a decimal such as 2, -0.5 or 1e-3, or "
                           "inf or nan)");
  }
  return value;
}

std::vector<double> parse_real_list(std::string_view text, std::string_view what) {
  std::vector<double> values;
  if (trim_spaces(text).empty()) return values;
  std::string_view rest = text;
  while (true) {
    const auto comma = rest.find(',');
    const std::string_view entry = rest.substr(0, comma);
    try {
      values.push_back(parse_real(entry, what));
    } catch (const invalid_argument&) {
      throw invalid_argument(std::string(what) + ": " + quoted(text) +
                             " is not a comma-separated list of numbers (entry " +
                             std::to_string(values.size() + 1) + " is " +
                             quoted(trim_spaces(entry)) + ")");
    }
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return values;
}

std::size_t parse_choice(std::string_view text, std::string_view what,
                         const std::vector<std::string_view>& choices) {
  std::string expected;
  for (std::size_t i = 0; i < choices.size(); ++i) {
    if (text == choices[i]) return i;
    if (i != 0) expected += i + 1 == choices.size() ? " or " : ", ";
    expected += choices[i];
  }
  throw invalid_argument(std::string(what) + ": " + quoted(text) + " is not valid (expected " +
                         expected + ")");
}

std::string read_input(const std::string& path, std::string_view what, std::size_t max_bytes) {
  const bool from_stdin = path == "-";
  const int fd = from_stdin ? STDIN_FILENO : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  const std::string source = from_stdin ? std::string("standard input") : quoted(path);
  auto fail = [&](int err) {
    if (!from_stdin && fd >= 0) ::close(fd);
    throw invalid_argument(std::string(what) + ": cannot read " + source + ": " +
                           std::strerror(err));
  };
  if (fd < 0) fail(errno);
  std::string content;
  char block[65536];
  while (true) {
    const ssize_t n = ::read(fd, block, sizeof block);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail(errno);
    if (n == 0) break;
    content.append(block, static_cast<std::size_t>(n));
    if (content.size() > max_bytes) {
      if (!from_stdin) ::close(fd);
      throw invalid_argument(std::string(what) + ": " + source + " is larger than " +
                             std::to_string(max_bytes) +
                             " bytes (expected a NumPy bit generator state document)");
    }
  }
  if (!from_stdin) ::close(fd);
  return content;
}

}  // namespace streamalloc::cli
