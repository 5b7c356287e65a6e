#include "dist_options.hpp"

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "dist_integers.hpp"
#include "option_values.hpp"
#include "streamalloc/distributions/numpy_methods.hpp"
#include "streamalloc/error.hpp"

namespace streamalloc::cli {
namespace {

// The methods and their parameters are the library's catalog (distributions/numpy_methods.hpp).
using method = numpy_method;

std::vector<std::string_view> method_names() {
  std::vector<std::string_view> names;
  for (const auto& m : numpy_methods()) names.push_back(m.name);
  return names;
}

std::vector<std::string_view> parameter_names(const method& m) {
  std::vector<std::string_view> names;
  for (const auto& p : m.parameters) names.push_back(p.name);
  return names;
}

// Every parameter option, in the order errors check them: each name where it first appears in
// the catalog (low, high, endpoint, dtype, loc, scale, shape, lam, n, p, pvals).
const std::vector<std::string>& parameter_options() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const auto& m : numpy_methods()) {
      for (const auto& p : m.parameters) {
        if (std::find(out.begin(), out.end(), p.name) == out.end()) out.emplace_back(p.name);
      }
    }
    return out;
  }();
  return names;
}

// The longest permutation drawn: each is held in memory (8 GiB of int64 at this bound).
constexpr std::int64_t max_permutation_length = std::int64_t{1} << 30;

// "a", "a and b", "a, b and c" with `prefix` before each name.
std::string listed(const std::vector<std::string_view>& names, std::string_view prefix,
                   std::string_view last_joint) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i != 0) out += i + 1 == names.size() ? last_joint : ", ";
    out += prefix;
    out += names[i];
  }
  return out;
}

// What --help and errors call the given parameters: "--low '5' --high '5'".
std::string given_text(const po::variables_map& vm, const std::vector<std::string_view>& names) {
  std::string out;
  for (const auto name : names) {
    const std::string key(name);
    if (!given(vm, key.c_str())) continue;
    if (!out.empty()) out += ' ';
    out += "--" + key;
    if (key != "endpoint") out += " '" + option_text(vm, key.c_str()) + "'";
  }
  return out;
}

// Builds the sampler with the library's parameter checks; their errors are prefixed with the
// options that fed them, so the message names both the option and the rule it broke.
template <class Make>
dist_sampler checked(const po::variables_map& vm, const method& m, Make make) {
  try {
    return make();
  } catch (const invalid_argument& e) {
    std::string prefix = given_text(vm, parameter_names(m));
    if (prefix.empty()) prefix = "--dist " + std::string(m.name);
    throw invalid_argument(prefix + ": " + e.what());
  }
}

double real_option(const po::variables_map& vm, const char* name, double fallback) {
  return given(vm, name) ? parse_real(option_text(vm, name), "--" + std::string(name)) : fallback;
}

std::int64_t int64_option(const po::variables_map& vm, const char* name) {
  return parse_int64(option_text(vm, name), "--" + std::string(name));
}

// Refuses parameters that the method does not take, and reports the first required one
// missing.
void check_parameters(const po::variables_map& vm, const method& m) {
  for (const auto& name : parameter_options()) {
    if (given(vm, name.c_str()) && m.parameter(name) == nullptr) {
      const std::string takes = m.parameters.empty()
                                    ? "takes no parameters"
                                    : "takes " + listed(parameter_names(m), "--", " and ");
      throw invalid_argument("--" + name + " is not a parameter of --dist " + std::string(m.name) +
                             " (" + std::string(m.name) + " " + takes + ")");
    }
  }
  for (const auto& p : m.parameters) {
    if (p.required() && !given(vm, std::string(p.name).c_str())) {
      throw invalid_argument("--dist " + std::string(m.name) + " needs --" + std::string(p.name) +
                             " (NumPy's " + std::string(m.name) + " has no default for " +
                             std::string(p.name) + ")");
    }
  }
}

// Parameters given without --dist: say which methods take them.
void refuse_parameters_without_dist(const po::variables_map& vm) {
  for (const auto& name : parameter_options()) {
    if (!given(vm, name.c_str())) continue;
    std::vector<std::string_view> users;
    for (const auto& m : numpy_methods()) {
      if (m.parameter(name) != nullptr) users.push_back(m.name);
    }
    throw invalid_argument("--" + name +
                           " was given without --dist (it is a "
                           "parameter of --dist " +
                           listed(users, "", " or ") + ")");
  }
}

// The sampler of method `m`, by its name (the catalog's names; one branch each).
dist_sampler make_sampler(const po::variables_map& vm, const method& m) {
  const std::string_view name = m.name;
  if (name == "random") return random_draw{};
  if (name == "standard_normal") return standard_normal_draw{};
  if (name == "standard_exponential") return standard_exponential_draw{};
  if (name == "uniform") {
    const double low = real_option(vm, "low", 0.0);
    const double high = real_option(vm, "high", 1.0);
    return checked(vm, m, [&] { return uniform_distribution(low, high); });
  }
  if (name == "integers") {
    integers_request request;
    request.low = parse_signed_distance(option_text(vm, "low"), "--low");
    if (given(vm, "high")) {
      request.high = parse_signed_distance(option_text(vm, "high"), "--high");
    }
    request.endpoint = given(vm, "endpoint");
    if (given(vm, "dtype")) {
      request.dtype = parse_choice(option_text(vm, "dtype"), "--dtype",
                                   std::vector<std::string_view>(std::begin(integer_dtype_names),
                                                                 std::end(integer_dtype_names)));
    }
    return checked(vm, m, [&] { return make_integers_sampler(request); });
  }
  if (name == "normal") {
    const double loc = real_option(vm, "loc", 0.0);
    const double scale = real_option(vm, "scale", 1.0);
    return checked(vm, m, [&] { return normal_distribution(loc, scale); });
  }
  if (name == "exponential") {
    const double scale = real_option(vm, "scale", 1.0);
    return checked(vm, m, [&] { return exponential_distribution(scale); });
  }
  if (name == "standard_gamma") {
    const double shape = real_option(vm, "shape", 0.0);
    // gamma(shape, 1) checks shape exactly as standard_gamma(shape) does; its message is
    // renamed so that it names the method the user asked for.
    return checked(vm, m, [&] {
      try {
        (void)gamma_distribution(shape, 1.0);
      } catch (const invalid_argument& e) {
        std::string message = e.what();
        if (message.rfind("gamma:", 0) == 0) message.insert(0, "standard_");
        throw invalid_argument(message);
      }
      return standard_gamma_draw{shape};
    });
  }
  if (name == "gamma") {
    const double shape = real_option(vm, "shape", 0.0);
    const double scale = real_option(vm, "scale", 1.0);
    return checked(vm, m, [&] { return gamma_distribution(shape, scale); });
  }
  if (name == "poisson") {
    const double lam = real_option(vm, "lam", 1.0);
    return checked(vm, m, [&] { return poisson_distribution(lam); });
  }
  if (name == "binomial") {
    const std::int64_t n = int64_option(vm, "n");
    const double p = real_option(vm, "p", 0.0);
    return checked(vm, m, [&] { return binomial_distribution(n, p); });
  }
  if (name == "multinomial") {
    const std::int64_t n = int64_option(vm, "n");
    std::vector<double> pvals = parse_real_list(option_text(vm, "pvals"), "--pvals");
    return checked(vm, m, [&] { return multinomial_distribution(n, std::move(pvals)); });
  }
  if (name == "permutation" || name == "shuffle") {
    const std::int64_t n = int64_option(vm, "n");
    if (n < 0 || n > max_permutation_length) {
      throw invalid_argument("--n '" + option_text(vm, "n") + "': " + std::string(m.name) +
                             ": n = " + std::to_string(n) +
                             " is invalid: it must be in [0, 2**30] (each permutation is held "
                             "in memory)");
    }
    return permutation_draw{n};
  }
  throw invalid_argument("--dist: unhandled method " + std::string(name));  // unreachable
}

}  // namespace

po::options_description dist_options_description() {
  po::options_description options(
      "Distribution options (--dist: numpy.random.Generator methods, NumPy's defaults)");
  options.add_options()(
      "dist", po::value<std::string>()->value_name("NAME"),
      ("draw Generator(bitgen).NAME(params, size=N) for --count N instead of raw words: " +
       listed(method_names(), "", " or "))
          .c_str())(
      "low", po::value<std::string>()->value_name("X"),
      "uniform: lower bound (default 0); integers: lower bound (required), or alone the "
      "exclusive upper bound as in integers(X), i.e. [0, X)")(
      "high", po::value<std::string>()->value_name("X"),
      "uniform: upper bound (default 1); integers: exclusive upper bound (inclusive with "
      "--endpoint); integer bounds may be decimal or 0x-hex, of any size the dtype allows")(
      "endpoint", po::bool_switch(), "integers: include --high (NumPy's endpoint=True)")(
      "dtype", po::value<std::string>()->value_name("T"),
      "integers: int64 (default), int32, int16, int8, uint64, uint32, uint16, uint8 or bool "
      "(printed as 0/1)")("loc", po::value<std::string>()->value_name("X"),
                          "normal: mean (default 0)")(
      "scale", po::value<std::string>()->value_name("X"),
      "normal, exponential, gamma: scale, >= 0 (default 1)")(
      "shape", po::value<std::string>()->value_name("X"),
      "standard_gamma, gamma: shape, >= 0 (required)")("lam",
                                                       po::value<std::string>()->value_name("X"),
                                                       "poisson: expected count, >= 0 (default 1)")(
      "n", po::value<std::string>()->value_name("N"),
      "binomial, multinomial: number of trials, >= 0 (required); permutation, shuffle: the "
      "length, permutation(N) = shuffle(arange(N)) (required)")(
      "p", po::value<std::string>()->value_name("X"),
      "binomial: success probability in [0, 1] (required)")(
      "pvals", po::value<std::string>()->value_name("P1,P2,..."),
      "multinomial: category probabilities, comma-separated; sum(pvals[:-1]) <= 1 and the last "
      "category takes the remainder (required)");
  return options;
}

std::optional<dist_sampler> read_dist_options(const po::variables_map& vm) {
  if (!given(vm, "dist")) {
    refuse_parameters_without_dist(vm);
    return std::nullopt;
  }
  if (given(vm, "output")) {
    throw invalid_argument(
        "--dist cannot be combined with --output (--output picks a raw draw: u64, u32 or "
        "double; --dist draws the distribution's values)");
  }
  const std::size_t index = parse_choice(option_text(vm, "dist"), "--dist", method_names());
  const method& m = numpy_methods()[index];
  check_parameters(vm, m);
  return make_sampler(vm, m);
}

void check_dist_count(const dist_sampler& dist, std::uint64_t count, output_format format) {
  const bool endless = count == 0 && format == output_format::binary;
  if (draws_in_one_piece(dist)) {
    const std::string why =
        "NumPy's integers() with --dtype int16, int8, uint16, uint8 or bool shares 32-bit words "
        "between the values of one call, so they are drawn in one call, held in memory";
    if (endless) {
      throw invalid_argument("--count 0 (endless binary output) cannot be used here (" + why +
                             "; expected --count N > 0)");
    }
    if (count > max_one_piece_count) {
      throw invalid_argument("--count: '" + std::to_string(count) + "' is too large here (" + why +
                             "; expected at most " + std::to_string(max_one_piece_count) + ")");
    }
  }
  if (endless) {
    const auto* permutation = std::get_if<permutation_draw>(&dist);
    if (permutation != nullptr && permutation->n == 0) {
      throw invalid_argument(
          "--count 0 (endless binary output) with --n 0 would write nothing, forever (expected "
          "--count N, or --n > 0)");
    }
  }
}

}  // namespace streamalloc::cli
