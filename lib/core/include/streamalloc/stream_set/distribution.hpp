// streamalloc/stream_set/distribution.hpp — how a stream_set names the distribution of each of
// its random variables.
//
// A stream_set snapshot records, for every variable, which numpy.random.Generator method it draws
// with and that method's keyword arguments (a distribution_description), so that
//   * restore() can refuse a snapshot taken from a set whose variables draw something else, and
//   * a Python user can reproduce variable k: Generator(<bit generator on child k>).<name>(**args).
// distribution_traits<Dist>::describe(dist) gives the description of a distribution object; it is
// specialised here for every distribution class of the library, and users may specialise it for
// their own distributions to create them with stream_set::make<Dist>().
//
// Thread safety: descriptions are plain values. Not MPI-collective (nothing here is).
#pragma once

#include <concepts>
#include <cstdint>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "streamalloc/distributions.hpp"

namespace streamalloc {

// One argument value: a bool, a signed or unsigned 64-bit integer, a double, a string (a NumPy
// dtype name) or a list of doubles (multinomial's pvals).
using distribution_parameter_value =
    std::variant<bool, std::int64_t, std::uint64_t, double, std::string, std::vector<double>>;

// One keyword argument of the Generator method.
struct distribution_parameter {
  std::string name;
  distribution_parameter_value value;

  // Exact comparison: doubles compare by bit pattern (so 0.0 != -0.0); integers compare by value
  // whether held as int64 or uint64 (JSON does not record which); values of other alternatives
  // never compare equal.
  friend bool operator==(const distribution_parameter& a, const distribution_parameter& b) noexcept;
};

// A Generator method and its keyword arguments, e.g. normal(loc=0.5, scale=2.0).
struct distribution_description {
  std::string name;                                // "normal", "integers", ...
  std::vector<distribution_parameter> parameters;  // in the order the method lists them

  friend bool operator==(const distribution_description&,
                         const distribution_description&) = default;

  // The call in Python syntax, for messages: "normal(loc=0.5, scale=2.0)",
  // "integers(low=0, high=9, endpoint=True, dtype='int64')". Doubles print with 17 significant
  // digits, so the text identifies the value exactly.
  std::string to_string() const;
};

// Specialise with `static distribution_description describe(const Dist&)`.
template <class Dist>
struct distribution_traits;

// A distribution a stream_set can hold: it has a description, and it draws from a generator.
template <class Dist>
concept described_distribution = requires(const Dist& dist) {
  typename Dist::result_type;
  { distribution_traits<Dist>::describe(dist) } -> std::same_as<distribution_description>;
};

template <>
struct distribution_traits<uniform_distribution> {
  static distribution_description describe(const uniform_distribution& d) {
    return {"uniform", {{"low", d.low()}, {"high", d.high()}}};
  }
};

template <>
struct distribution_traits<normal_distribution> {
  static distribution_description describe(const normal_distribution& d) {
    return {"normal", {{"loc", d.loc()}, {"scale", d.scale()}}};
  }
};

template <>
struct distribution_traits<exponential_distribution> {
  static distribution_description describe(const exponential_distribution& d) {
    return {"exponential", {{"scale", d.scale()}}};
  }
};

template <>
struct distribution_traits<gamma_distribution> {
  static distribution_description describe(const gamma_distribution& d) {
    return {"gamma", {{"shape", d.shape()}, {"scale", d.scale()}}};
  }
};

template <>
struct distribution_traits<poisson_distribution> {
  static distribution_description describe(const poisson_distribution& d) {
    return {"poisson", {{"lam", d.lam()}}};
  }
};

template <>
struct distribution_traits<binomial_distribution> {
  static distribution_description describe(const binomial_distribution& d) {
    return {"binomial", {{"n", std::int64_t{d.n()}}, {"p", d.p()}}};
  }
};

template <>
struct distribution_traits<multinomial_distribution> {
  static distribution_description describe(const multinomial_distribution& d) {
    return {"multinomial", {{"n", std::int64_t{d.n()}}, {"pvals", d.pvals()}}};
  }
};

// integers is recorded in its closed form [min, max] with endpoint=True, which NumPy draws
// identically to the half-open [min, max + 1): Generator.integers reduces both to the same range.
template <numpy_integer T>
struct distribution_traits<integers_distribution<T>> {
  static distribution_description describe(const integers_distribution<T>& d) {
    return {"integers",
            {{"low", bound(d.min())},
             {"high", bound(d.max())},
             {"endpoint", true},
             {"dtype", std::string(detail::numpy_dtype_name<T>())}}};
  }

 private:
  static distribution_parameter_value bound(T value) {
    if constexpr (std::is_unsigned_v<T> && !std::is_same_v<T, bool>) {
      return static_cast<std::uint64_t>(value);
    } else {
      return static_cast<std::int64_t>(value);
    }
  }
};

}  // namespace streamalloc
