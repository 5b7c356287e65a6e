// `streamalloc generate --dist`'s contract for help and errors (no NumPy needed): --help lists
// every distribution option; an unknown method, a parameter the method does not take (or one
// given without --dist), a missing required parameter and every invalid value exit with status
// 2 and one line "streamalloc: error: ..." that names the option and the bad value.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "cli_expectations.hpp"

namespace streamalloc::testing {
namespace {

using args = std::vector<std::string>;

// Runs `generate --seed 1` with `more` and expects a usage error mentioning every string in
// `mentioned`.
void expect_dist_error(const args& more, const std::vector<std::string>& mentioned) {
  args command = {"generate", "--seed", "1"};
  command.insert(command.end(), more.begin(), more.end());
  expect_usage_error(command, mentioned);
}

// Each method and the parameters it takes (the public contract of --dist).
struct method_parameters {
  std::string name;
  std::vector<std::string> parameters;
  args valid;  // a complete, valid parameter set
};

const std::vector<method_parameters> methods = {
    {"random", {}, {}},
    {"uniform", {"low", "high"}, {}},
    {"integers", {"low", "high", "endpoint", "dtype"}, {"--low", "5"}},
    {"standard_normal", {}, {}},
    {"normal", {"loc", "scale"}, {}},
    {"standard_exponential", {}, {}},
    {"exponential", {"scale"}, {}},
    {"standard_gamma", {"shape"}, {"--shape", "2"}},
    {"gamma", {"shape", "scale"}, {"--shape", "2"}},
    {"poisson", {"lam"}, {}},
    {"binomial", {"n", "p"}, {"--n", "5", "--p", "0.5"}},
    {"multinomial", {"n", "pvals"}, {"--n", "5", "--pvals", "0.5,0.5"}},
    {"permutation", {"n"}, {"--n", "5"}},
    {"shuffle", {"n"}, {"--n", "5"}},
};

const std::vector<std::string> all_parameters = {
    "low", "high", "endpoint", "dtype", "loc", "scale", "shape", "lam", "n", "p", "pvals"};

// A value each parameter accepts somewhere, to show that the refusal is about the method.
args parameter_words(const std::string& name) {
  if (name == "endpoint") return {"--endpoint"};
  if (name == "dtype") return {"--dtype", "int32"};
  if (name == "pvals") return {"--pvals", "0.5,0.5"};
  return {"--" + name, "1"};
}

TEST(CliDistUsage, HelpListsTheDistributionOptions) {
  const run_result r = run_cli({"generate", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.err, "");
  for (const std::string option :
       {"--dist NAME", "--low X", "--high X", "--endpoint", "--dtype T", "--loc X", "--scale X",
        "--shape X", "--lam X", "--n N", "--p X", "--pvals P1,P2,..."}) {
    EXPECT_NE(r.out.find("\n  " + option + " "), std::string::npos) << option << " is not listed:\n"
                                                                    << r.out;
  }
  for (const auto& m : methods) {
    EXPECT_NE(r.out.find(m.name), std::string::npos) << m.name << " is not named:\n" << r.out;
  }
}

TEST(CliDistUsage, EveryMethodRunsWithItsParameters) {
  for (const auto& m : methods) {
    args command = {"generate", "--seed", "1", "--count", "2", "--dist", m.name};
    command.insert(command.end(), m.valid.begin(), m.valid.end());
    const run_result r = run_cli(command);
    EXPECT_EQ(r.exit_code, 0) << describe_command(command) << "\n" << r.err;
    EXPECT_EQ(r.err, "") << describe_command(command);
    EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 2) << r.out;
  }
}

TEST(CliDistUsage, UnknownMethod) {
  expect_dist_error({"--dist", "lognormal"}, {"--dist", "'lognormal'", "normal"});
  expect_dist_error({"--dist", "Normal"}, {"'Normal'"});  // NumPy's names are lower case
  expect_dist_error({"--dist", ""}, {"--dist: ''"});
  expect_dist_error({"--dist"}, {"--dist"});
}

TEST(CliDistUsage, ParameterNotTakenByTheMethod) {
  for (const auto& m : methods) {
    for (const auto& parameter : all_parameters) {
      if (std::find(m.parameters.begin(), m.parameters.end(), parameter) != m.parameters.end()) {
        continue;
      }
      args more = {"--dist", m.name};
      more.insert(more.end(), m.valid.begin(), m.valid.end());
      const args foreign = parameter_words(parameter);
      more.insert(more.end(), foreign.begin(), foreign.end());
      expect_dist_error(more, {"--" + parameter + " is not a parameter of --dist " + m.name});
    }
  }
}

TEST(CliDistUsage, ParameterWithoutDist) {
  for (const auto& parameter : all_parameters) {
    expect_dist_error(parameter_words(parameter), {"--" + parameter, "without --dist"});
  }
}

TEST(CliDistUsage, DistAndRawOutputConflict) {
  for (const std::string output : {"u64", "u32", "double"}) {
    expect_dist_error({"--dist", "normal", "--output", output}, {"--dist", "--output"});
  }
}

TEST(CliDistUsage, MissingRequiredParameter) {
  expect_dist_error({"--dist", "integers"}, {"--low"});
  expect_dist_error({"--dist", "integers", "--high", "5"}, {"--low"});
  expect_dist_error({"--dist", "standard_gamma"}, {"--shape"});
  expect_dist_error({"--dist", "gamma", "--scale", "2"}, {"--shape"});
  expect_dist_error({"--dist", "binomial", "--p", "0.5"}, {"--n"});
  expect_dist_error({"--dist", "binomial", "--n", "5"}, {"--p"});
  expect_dist_error({"--dist", "multinomial", "--n", "5"}, {"--pvals"});
  expect_dist_error({"--dist", "multinomial", "--pvals", "1"}, {"--n"});
  expect_dist_error({"--dist", "permutation"}, {"--n"});
  expect_dist_error({"--dist", "shuffle"}, {"--n"});
}

TEST(CliDistUsage, ValuesThatAreNotNumbers) {
  expect_dist_error({"--dist", "normal", "--loc", "abc"}, {"--loc", "'abc'"});
  expect_dist_error({"--dist", "normal", "--scale", ""}, {"--scale", "''"});
  expect_dist_error({"--dist", "normal", "--scale", "1.5x"}, {"--scale", "'1.5x'"});
  expect_dist_error({"--dist", "normal", "--scale", "0x10"}, {"--scale", "'0x10'"});
  expect_dist_error({"--dist", "poisson", "--lam", "1e999"}, {"--lam", "'1e999'"});
  expect_dist_error({"--dist", "uniform", "--low", "1e-999"}, {"--low", "'1e-999'"});
  expect_dist_error({"--dist", "binomial", "--n", "5.0", "--p", "0.5"}, {"--n", "'5.0'"});
  expect_dist_error({"--dist", "binomial", "--n", "9223372036854775808", "--p", "0.5"},
                    {"--n", "'9223372036854775808'"});
  expect_dist_error({"--dist", "integers", "--low", "1.5"}, {"--low", "'1.5'"});
  expect_dist_error({"--dist", "integers", "--low", "1", "--high", "ten"}, {"--high", "'ten'"});
  expect_dist_error({"--dist", "integers", "--low", "5", "--dtype", "float64"},
                    {"--dtype", "'float64'"});
  expect_dist_error({"--dist", "integers", "--low", "5", "--dtype", "int"}, {"--dtype", "'int'"});
  expect_dist_error({"--dist", "multinomial", "--n", "5", "--pvals", "0.5,x"},
                    {"--pvals", "'0.5,x'", "'x'"});
  expect_dist_error({"--dist", "multinomial", "--n", "5", "--pvals", "0.5,,0.5"},
                    {"--pvals", "'0.5,,0.5'"});
  expect_dist_error({"--dist", "multinomial", "--n", "5", "--pvals", "0.5,"}, {"--pvals"});
}

// Values the library refuses (NumPy's ValueError, and NaN): the message names the option and
// the value, and says what was expected.
TEST(CliDistUsage, InvalidParameters) {
  expect_dist_error({"--dist", "normal", "--scale", "-1"}, {"--scale '-1'", ">= 0"});
  expect_dist_error({"--dist", "normal", "--scale", "-0.0"}, {"--scale '-0.0'"});
  expect_dist_error({"--dist", "normal", "--scale", "nan"}, {"--scale 'nan'", "NaN"});
  expect_dist_error({"--dist", "normal", "--loc", "nan"}, {"--loc 'nan'", "NaN"});
  expect_dist_error({"--dist", "exponential", "--scale", "-2"}, {"--scale '-2'"});
  expect_dist_error({"--dist", "standard_gamma", "--shape", "-1"},
                    {"--shape '-1'", "standard_gamma: shape = -1"});
  expect_dist_error({"--dist", "gamma", "--shape", "nan"}, {"--shape 'nan'"});
  expect_dist_error({"--dist", "gamma", "--shape", "1", "--scale", "-1e-300"},
                    {"--scale '-1e-300'"});
  expect_dist_error({"--dist", "poisson", "--lam", "-1"}, {"--lam '-1'"});
  expect_dist_error({"--dist", "poisson", "--lam", "nan"}, {"--lam 'nan'"});
  expect_dist_error({"--dist", "poisson", "--lam", "1e19"}, {"--lam '1e19'"});
  expect_dist_error({"--dist", "binomial", "--n", "5", "--p", "1.5"}, {"--p '1.5'", "[0, 1]"});
  expect_dist_error({"--dist", "binomial", "--n", "5", "--p", "-0.1"}, {"--p '-0.1'"});
  expect_dist_error({"--dist", "binomial", "--n", "5", "--p", "nan"}, {"--p 'nan'"});
  expect_dist_error({"--dist", "binomial", "--n", "-1", "--p", "0.5"}, {"--n '-1'"});
  expect_dist_error({"--dist", "multinomial", "--n", "-3", "--pvals", "1"}, {"--n '-3'"});
  expect_dist_error({"--dist", "multinomial", "--n", "5", "--pvals", "0.7,0.7,0"},
                    {"--pvals '0.7,0.7,0'", "sum(pvals[:-1])"});
  expect_dist_error({"--dist", "multinomial", "--n", "5", "--pvals", "0.5,1.5"},
                    {"--pvals '0.5,1.5'", "pvals[1]"});
  expect_dist_error({"--dist", "multinomial", "--n", "5", "--pvals", "-0.5,1"},
                    {"--pvals '-0.5,1'", "pvals[0]"});
  expect_dist_error({"--dist", "multinomial", "--n", "5", "--pvals", "nan,1"}, {"--pvals"});
  expect_dist_error({"--dist", "multinomial", "--n", "5", "--pvals", ""}, {"--pvals"});
  expect_dist_error({"--dist", "uniform", "--low", "2", "--high", "1"},
                    {"--low '2'", "--high '1'"});
  expect_dist_error({"--dist", "uniform", "--low", "nan"}, {"--low 'nan'"});
  expect_dist_error({"--dist", "uniform", "--high", "inf"}, {"--high 'inf'"});
  expect_dist_error({"--dist", "uniform", "--low=-1e308", "--high", "1e308"}, {"--low"});
  expect_dist_error({"--dist", "permutation", "--n", "-1"}, {"--n '-1'"});
  expect_dist_error({"--dist", "shuffle", "--n", "2000000000"}, {"--n '2000000000'"});
}

TEST(CliDistUsage, InvalidIntegerRanges) {
  expect_dist_error({"--dist", "integers", "--low", "5", "--high", "5"},
                    {"--low '5'", "--high '5'", "low must be < high"});
  expect_dist_error({"--dist", "integers", "--low", "6", "--high", "5", "--endpoint"},
                    {"--low '6'", "--high '5'", "--endpoint"});
  expect_dist_error({"--dist", "integers", "--low", "0"}, {"--low '0'"});  // integers(0)
  expect_dist_error({"--dist", "integers", "--low=-1", "--high", "5", "--dtype", "uint8"},
                    {"--low '-1'", "uint8"});
  expect_dist_error({"--dist", "integers", "--low", "0", "--high", "257", "--dtype", "uint8"},
                    {"--high '257'", "uint8"});
  expect_dist_error(
      {"--dist", "integers", "--low", "0", "--high", "256", "--dtype", "uint8", "--endpoint"},
      {"--high '256'", "uint8"});
  expect_dist_error({"--dist", "integers", "--low", "0", "--high", "3", "--dtype", "bool"},
                    {"--high '3'", "bool"});
  // Beyond every 64-bit bound, and 2^64 where only uint64 takes it.
  expect_dist_error({"--dist", "integers", "--low", "0", "--high", "18446744073709551616"},
                    {"--high '18446744073709551616'", "int64"});
  expect_dist_error({"--dist", "integers", "--low", "0", "--high", "18446744073709551616",
                     "--dtype", "uint64", "--endpoint"},
                    {"--high '18446744073709551616'", "uint64"});
  expect_dist_error({"--dist", "integers", "--low=-9223372036854775809", "--high", "0"},
                    {"--low '-9223372036854775809'"});
  expect_dist_error({"--dist", "integers", "--low", "0", "--high",
                     "0x100000000000000000000000000000000000", "--dtype", "uint64"},
                    {"--high '0x100000000000000000000000000000000000'"});
  expect_dist_error({"--dist", "integers", "--low", "-340282366920938463463374607431768211456000"},
                    {"--low '-340282366920938463463374607431768211456000'"});
}

TEST(CliDistUsage, CountsThatCannotBeDrawn) {
  // NumPy draws the narrow dtypes in one call: no endless stream, and a bounded count.
  for (const std::string dtype : {"int16", "int8", "uint16", "uint8", "bool"}) {
    expect_dist_error({"--dist", "integers", "--low", "1", "--dtype", dtype, "--count", "0",
                       "--format", "binary"},
                      {"--count 0"});
    expect_dist_error(
        {"--dist", "integers", "--low", "1", "--dtype", dtype, "--count", "1000000000"},
        {"--count", "'1000000000'"});
  }
  expect_dist_error({"--dist", "permutation", "--n", "0", "--count", "0", "--format", "binary"},
                    {"--count 0", "--n 0"});
}

}  // namespace
}  // namespace streamalloc::testing
