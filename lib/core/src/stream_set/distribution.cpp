// distribution_description: exact comparison and the Python-syntax text used in messages.
#include "streamalloc/stream_set/distribution.hpp"

#include <bit>
#include <cmath>
#include <cstdio>
#include <optional>

namespace streamalloc {
namespace {

bool same_double(double a, double b) noexcept {
  return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b);
}

// Python's repr for the special values, 17 significant digits otherwise (enough to identify the
// double; Python's shortest repr can be shorter, which does not matter in a message).
std::string python_double(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.17g", value);
  std::string text = buffer;
  if (text.find_first_of(".en") == std::string::npos) text += ".0";
  return text;
}

struct python_value {
  std::string operator()(bool v) const { return v ? "True" : "False"; }
  std::string operator()(std::int64_t v) const { return std::to_string(v); }
  std::string operator()(std::uint64_t v) const { return std::to_string(v); }
  std::string operator()(double v) const { return python_double(v); }
  std::string operator()(const std::string& v) const { return "'" + v + "'"; }
  std::string operator()(const std::vector<double>& v) const {
    std::string text = "[";
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (i != 0) text += ", ";
      text += python_double(v[i]);
    }
    return text + "]";
  }
};

// An integer parameter's value, whichever integer alternative holds it.
struct integer_value {
  bool negative;
  std::uint64_t magnitude_bits;  // the value modulo 2^64
};

std::optional<integer_value> as_integer(const distribution_parameter_value& value) noexcept {
  if (const auto* s = std::get_if<std::int64_t>(&value)) {
    return integer_value{*s < 0, static_cast<std::uint64_t>(*s)};
  }
  if (const auto* u = std::get_if<std::uint64_t>(&value)) return integer_value{false, *u};
  return std::nullopt;
}

}  // namespace

bool operator==(const distribution_parameter& a, const distribution_parameter& b) noexcept {
  if (a.name != b.name) return false;
  // Integers compare by value: int64 5 equals uint64 5 (JSON does not say which one was meant).
  const auto int_a = as_integer(a.value);
  const auto int_b = as_integer(b.value);
  if (int_a || int_b) {
    return int_a && int_b && int_a->negative == int_b->negative &&
           int_a->magnitude_bits == int_b->magnitude_bits;
  }
  if (a.value.index() != b.value.index()) return false;
  if (const auto* x = std::get_if<double>(&a.value)) {
    return same_double(*x, std::get<double>(b.value));
  }
  if (const auto* x = std::get_if<std::vector<double>>(&a.value)) {
    const auto& y = std::get<std::vector<double>>(b.value);
    if (x->size() != y.size()) return false;
    for (std::size_t i = 0; i < x->size(); ++i) {
      if (!same_double((*x)[i], y[i])) return false;
    }
    return true;
  }
  return a.value == b.value;
}

std::string distribution_description::to_string() const {
  std::string text = name + "(";
  for (std::size_t i = 0; i < parameters.size(); ++i) {
    if (i != 0) text += ", ";
    text += parameters[i].name + "=" + std::visit(python_value{}, parameters[i].value);
  }
  return text + ")";
}

}  // namespace streamalloc
