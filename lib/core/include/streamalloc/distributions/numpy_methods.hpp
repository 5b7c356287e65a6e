// streamalloc/distributions/numpy_methods.hpp — the numpy.random.Generator methods the library
// draws: their names, keyword parameters, NumPy's defaults and which are required.
//
// One description of every distribution, in the library, that every user of the names follows:
// `streamalloc generate --dist NAME --PARAM ...` takes exactly these methods and parameters, and
// the stream_set descriptions of the built-in distributions (stream_set/distribution.hpp) name
// the same methods with the same parameters in the same order (a test holds them together).
// Methods are listed in a fixed order (random, uniform, integers, standard_normal, normal,
// standard_exponential, exponential, standard_gamma, gamma, poisson, binomial, multinomial,
// permutation, shuffle), parameters in NumPy's order but for integers, whose endpoint comes before
// dtype here (as the CLI and stream_set descriptions have always listed them). Parameters that
// do not describe the distribution (size, out, axis, the float dtype, method) are left out.
// tests/golden/numpy_methods.jsonl, made from NumPy's own signatures, holds the catalog to NumPy.
// Thread safety: immutable static data.
#pragma once

#include <span>
#include <string_view>

namespace streamalloc {

// What a parameter holds (how the CLI reads it).
enum class numpy_parameter_type {
  real,       // a double (loc, scale, p, ...)
  integer,    // a signed integer (integers' bounds, binomial's n, ...)
  boolean,    // a flag (integers' endpoint)
  dtype,      // a NumPy integer dtype name (integers' dtype)
  real_list,  // a list of doubles (multinomial's pvals)
};

struct numpy_parameter {
  std::string_view name;
  numpy_parameter_type type;
  // NumPy's default as its signature writes it ("0.0", "None", "False", "np.int64"), or empty when the
  // parameter is required (NumPy has no default for it).
  std::string_view numpy_default;

  bool required() const noexcept { return numpy_default.empty(); }
};

struct numpy_method {
  std::string_view name;
  std::span<const numpy_parameter> parameters;

  // The parameter called `name`, or nullptr if the method does not take it.
  const numpy_parameter* parameter(std::string_view name) const noexcept;
};

// Every method, in the order above.
std::span<const numpy_method> numpy_methods() noexcept;

// The method called `name`, or nullptr.
const numpy_method* find_numpy_method(std::string_view name) noexcept;

}  // namespace streamalloc
