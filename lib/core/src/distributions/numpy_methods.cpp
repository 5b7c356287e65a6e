#include "streamalloc/distributions/numpy_methods.hpp"

#include <array>

namespace streamalloc {
namespace {

using type = numpy_parameter_type;

// NumPy 1.24's numpy/random/_generator.pyx signatures (size, out and axis are not parameters of
// a distribution: the caller's span gives them). permutation and shuffle take an array in NumPy;
// the library draws permutation(n) = shuffle(arange(n)), so their parameter is the length n.
constexpr std::array<numpy_parameter, 2> uniform_parameters{
    {{"low", type::real, "0.0"}, {"high", type::real, "1.0"}}};
constexpr std::array<numpy_parameter, 4> integers_parameters{{{"low", type::integer, ""},
                                                              {"high", type::integer, "None"},
                                                              {"endpoint", type::boolean, "False"},
                                                              {"dtype", type::dtype, "np.int64"}}};
constexpr std::array<numpy_parameter, 2> normal_parameters{
    {{"loc", type::real, "0.0"}, {"scale", type::real, "1.0"}}};
constexpr std::array<numpy_parameter, 1> exponential_parameters{{{"scale", type::real, "1.0"}}};
constexpr std::array<numpy_parameter, 1> standard_gamma_parameters{{{"shape", type::real, ""}}};
constexpr std::array<numpy_parameter, 2> gamma_parameters{
    {{"shape", type::real, ""}, {"scale", type::real, "1.0"}}};
constexpr std::array<numpy_parameter, 1> poisson_parameters{{{"lam", type::real, "1.0"}}};
constexpr std::array<numpy_parameter, 2> binomial_parameters{
    {{"n", type::integer, ""}, {"p", type::real, ""}}};
constexpr std::array<numpy_parameter, 2> multinomial_parameters{
    {{"n", type::integer, ""}, {"pvals", type::real_list, ""}}};
constexpr std::array<numpy_parameter, 1> length_parameter{{{"n", type::integer, ""}}};

constexpr std::array<numpy_method, 14> methods{{
    {"random", {}},
    {"uniform", uniform_parameters},
    {"integers", integers_parameters},
    {"standard_normal", {}},
    {"normal", normal_parameters},
    {"standard_exponential", {}},
    {"exponential", exponential_parameters},
    {"standard_gamma", standard_gamma_parameters},
    {"gamma", gamma_parameters},
    {"poisson", poisson_parameters},
    {"binomial", binomial_parameters},
    {"multinomial", multinomial_parameters},
    {"permutation", length_parameter},
    {"shuffle", length_parameter},
}};

}  // namespace

const numpy_parameter* numpy_method::parameter(std::string_view wanted) const noexcept {
  for (const auto& p : parameters) {
    if (p.name == wanted) return &p;
  }
  return nullptr;
}

std::span<const numpy_method> numpy_methods() noexcept { return methods; }

const numpy_method* find_numpy_method(std::string_view name) noexcept {
  for (const auto& m : methods) {
    if (m.name == name) return &m;
  }
  return nullptr;
}

}  // namespace streamalloc
