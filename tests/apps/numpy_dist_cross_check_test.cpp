// Live cross-check of `streamalloc generate --dist` against NumPy: for every Generator method the
// CLI offers, with parameter sets at and near every edge (p = 0 and 1, n = 0, tiny and huge lam,
// degenerate pvals, integer ranges of width 1, 2, 2^32 +- 1 and the full 2^64 of every dtype,
// endpoint on and off), on every bit generator, the bytes the CLI prints must equal what
// numpy_cli_oracle.py prints for Generator(bitgen).<method>(..., size=count). Skipped, loudly,
// without NumPy (see numpy_oracle.hpp). Every expected value comes from NumPy at test time.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "numpy_oracle.hpp"

namespace streamalloc::testing {
namespace {

const std::vector<std::string> all_bitgens = {"pcg64", "pcg64dxsm", "philox", "sfc64", "mt19937"};

// The real-valued and count distributions, each with the parameter sets that reach NumPy's
// separate code paths (inversion and BTPE binomials, multiplication and PTRS Poisson, gamma's
// three shape regimes) and edges.
const std::vector<args> real_and_count_cases = {
    {"--dist", "random"},
    {"--dist", "uniform"},
    {"--dist", "uniform", "--low", "-3.5", "--high", "1e10"},
    {"--dist", "uniform", "--low=-1e-300", "--high", "1e-300"},
    {"--dist", "uniform", "--low", "2", "--high", "2"},
    {"--dist", "uniform", "--high", "0.5"},
    {"--dist", "uniform", "--low", "+0.25"},
    {"--dist", "standard_normal"},
    {"--dist", "normal", "--loc", "3", "--scale", "0.25"},
    {"--dist", "normal", "--loc=-1e300", "--scale", "1e300"},
    {"--dist", "normal", "--scale", "0"},
    {"--dist", "normal", "--loc", "inf", "--scale", "0"},
    {"--dist", "normal", "--loc", "5e-324"},
    {"--dist", "standard_exponential"},
    {"--dist", "exponential", "--scale", "2.5"},
    {"--dist", "exponential", "--scale", "0"},
    {"--dist", "standard_gamma", "--shape", "0"},
    {"--dist", "standard_gamma", "--shape", "1e-300"},
    {"--dist", "standard_gamma", "--shape", "0.3"},
    {"--dist", "standard_gamma", "--shape", "1"},
    {"--dist", "standard_gamma", "--shape", "7.5"},
    {"--dist", "gamma", "--shape", "2", "--scale", "3"},
    {"--dist", "gamma", "--shape", "0.5"},
    {"--dist", "gamma", "--shape", "1e6", "--scale", "1e-6"},
    {"--dist", "gamma", "--shape", "3", "--scale", "0"},
    {"--dist", "poisson"},
    {"--dist", "poisson", "--lam", "0"},
    {"--dist", "poisson", "--lam", "1e-300"},
    {"--dist", "poisson", "--lam", "9.99"},
    {"--dist", "poisson", "--lam", "10"},
    {"--dist", "poisson", "--lam", "1234.5"},
    {"--dist", "poisson", "--lam", "1e18"},
    {"--dist", "poisson", "--lam", "9223372006484770816"},  // NumPy's POISSON_LAM_MAX
    {"--dist", "binomial", "--n", "0", "--p", "0.5"},
    {"--dist", "binomial", "--n", "10", "--p", "0"},
    {"--dist", "binomial", "--n", "10", "--p", "1"},
    {"--dist", "binomial", "--n", "1", "--p", "0.5"},
    {"--dist", "binomial", "--n", "20", "--p", "0.3"},
    {"--dist", "binomial", "--n", "20", "--p", "0.7"},
    {"--dist", "binomial", "--n", "1000", "--p", "0.4"},
    {"--dist", "binomial", "--n", "1000000000", "--p", "0.9"},
    {"--dist", "binomial", "--n", "9223372036854775807", "--p", "1e-18"},
    {"--dist", "binomial", "--n", "0x100", "--p", "0.5"},
    {"--dist", "multinomial", "--n", "0", "--pvals", "0.5,0.5"},
    {"--dist", "multinomial", "--n", "10", "--pvals", "1"},
    {"--dist", "multinomial", "--n", "10", "--pvals", "1,0,0"},
    {"--dist", "multinomial", "--n", "10", "--pvals", "0,0,1"},
    {"--dist", "multinomial", "--n", "10", "--pvals", "0,1,0.7"},
    {"--dist", "multinomial", "--n", "100", "--pvals", "0.2,0.3,0.5"},
    {"--dist", "multinomial", "--n", "100", "--pvals", "0.1, 0.1"},
    {"--dist", "multinomial", "--n", "1000000", "--pvals", "0.25,0.25,0.25,0.25"},
    // Within NumPy's 1e-12 tolerance on sum(pvals[:-1]).
    {"--dist", "multinomial", "--n", "7", "--pvals", "0.5,0.5000000000005,0"},
    {"--dist", "permutation", "--n", "0"},
    {"--dist", "permutation", "--n", "1"},
    {"--dist", "permutation", "--n", "2"},
    {"--dist", "permutation", "--n", "10"},
    {"--dist", "permutation", "--n", "1000"},
    {"--dist", "shuffle", "--n", "10"},
};

// One integer dtype: its name and bounds as NumPy spells them.
struct dtype_bounds {
  std::string name;
  std::string min, min_plus_1, max, max_plus_1;
};

const std::vector<dtype_bounds> dtypes = {
    {"int64", "-9223372036854775808", "-9223372036854775807", "9223372036854775807",
     "9223372036854775808"},
    {"int32", "-2147483648", "-2147483647", "2147483647", "2147483648"},
    {"int16", "-32768", "-32767", "32767", "32768"},
    {"int8", "-128", "-127", "127", "128"},
    {"uint64", "0", "1", "18446744073709551615", "18446744073709551616"},
    {"uint32", "0", "1", "4294967295", "4294967296"},
    {"uint16", "0", "1", "65535", "65536"},
    {"uint8", "0", "1", "255", "256"},
    {"bool", "0", "1", "1", "2"},
};

// integers() ranges for one dtype: the full range (closed and half-open), width 1 at both ends,
// width 2, high omitted (with and without endpoint), and ranges around 2^32 that switch NumPy
// between its 32-bit buffered, raw 32-bit and 64-bit paths.
std::vector<args> integers_cases(const dtype_bounds& d) {
  const args dist = {"--dist", "integers", "--dtype", d.name};
  std::vector<args> cases = {
      with(dist, {"--low=" + d.min, "--high", d.max, "--endpoint"}),
      with(dist, {"--low=" + d.min, "--high", d.max_plus_1}),
      with(dist, {"--low=" + d.min, "--high=" + d.min_plus_1}),
      with(dist, {"--low=" + d.max, "--high", d.max, "--endpoint"}),
      with(dist, {"--low", "0", "--high", "2"}),
      with(dist, {"--low", "1"}),
      with(dist, {"--low", "1", "--endpoint"}),
      with(dist, {"--low", d.max_plus_1}),
  };
  if (d.name != "bool") {
    cases.push_back(with(dist, {"--low", "5", "--high", "100"}));
    cases.push_back(with(dist, {"--low", "0x10", "--high", "0x7f", "--endpoint"}));
    cases.push_back(with(dist, {"--low", "100", "--endpoint"}));
    cases.push_back(with(dist, {"--low", "0", "--high", "3"}));
  }
  if (d.min != "0" && d.name != "bool") {
    cases.push_back(with(dist, {"--low=-100", "--high=-50"}));
    cases.push_back(with(dist, {"--low=-1", "--high", "1"}));
  }
  if (d.name == "int64" || d.name == "uint64") {
    for (const std::string high :
         {"4294967295", "4294967296", "4294967297", "4294967299", "1099511627776"}) {
      cases.push_back(with(dist, {"--low", "0", "--high", high}));
      cases.push_back(with(dist, {"--low", "3", "--high", high, "--endpoint"}));
    }
  }
  if (d.name == "int32" || d.name == "uint32") {
    cases.push_back(with(dist, {"--low", "0", "--high", "2147483647"}));
    cases.push_back(with(dist, {"--low", "1", "--high", "2147483647", "--endpoint"}));
  }
  return cases;
}

class NumpyDistCrossCheck : public ::testing::TestWithParam<std::string> {};

TEST_P(NumpyDistCrossCheck, RealAndCountDistributions) {
  SKIP_WITHOUT_NUMPY();
  const std::string& bitgen = GetParam();
  oracle_batch batch("dist_real_" + bitgen);
  for (const auto& dist : real_and_count_cases) {
    batch.add(with({"generate", "--bitgen", bitgen, "--seed", "2024", "--count", "37"}, dist));
  }
  // Beyond one chunk of draws (8192 values per fill in the CLI) and MT19937's 624-word block.
  for (const auto& dist :
       std::vector<args>{{"--dist", "normal", "--scale", "2"},
                         {"--dist", "standard_gamma", "--shape", "0.7"},
                         {"--dist", "poisson", "--lam", "33"},
                         {"--dist", "binomial", "--n", "40", "--p", "0.6"},
                         {"--dist", "multinomial", "--n", "9", "--pvals", "0.1,0.2,0.3,0.4"}}) {
    batch.add(with({"generate", "--bitgen", bitgen, "--seed", "7", "--count", "20000"}, dist));
  }
  batch.add({"generate", "--bitgen", bitgen, "--seed", "7", "--dist", "normal"});  // count 10
  batch.add({"generate", "--bitgen", bitgen, "--seed", "7", "--dist", "poisson", "--count", "0"});
  batch.run_and_compare();
}

TEST_P(NumpyDistCrossCheck, IntegersOfEveryDtype) {
  SKIP_WITHOUT_NUMPY();
  const std::string& bitgen = GetParam();
  oracle_batch batch("dist_integers_" + bitgen);
  for (const auto& d : dtypes) {
    for (const auto& dist : integers_cases(d)) {
      batch.add(with({"generate", "--bitgen", bitgen, "--seed", "99", "--count", "41"}, dist));
    }
    // The narrow dtypes cut several values from one 32-bit word: many values in one call.
    const args range = d.name == "bool" ? args{"--low", "2"} : args{"--low", "3", "--high", "17"};
    batch.add(with({"generate", "--bitgen", bitgen, "--seed", "5", "--count", "10001", "--dist",
                    "integers", "--dtype", d.name},
                   range));
  }
  // Without --dtype: int64, NumPy's default.
  batch.add({"generate", "--bitgen", bitgen, "--seed", "5", "--dist", "integers", "--low=-7",
             "--high", "1000", "--count", "12000"});
  batch.run_and_compare();
}

// Binary output is NumPy's array.tobytes(); --print-state after drawing is the state NumPy's
// generator has then (including a buffered 32-bit half left by integers and narrow dtypes).
TEST_P(NumpyDistCrossCheck, BinaryAndPrintState) {
  SKIP_WITHOUT_NUMPY();
  const std::string& bitgen = GetParam();
  oracle_batch batch("dist_binary_" + bitgen);
  const std::vector<args> dists = {
      {"--dist", "random"},
      {"--dist", "normal", "--loc", "1", "--scale", "3"},
      {"--dist", "poisson", "--lam", "4"},
      {"--dist", "binomial", "--n", "50", "--p", "0.5"},
      {"--dist", "multinomial", "--n", "20", "--pvals", "0.3,0.3,0.4"},
      {"--dist", "permutation", "--n", "17"},
      {"--dist", "integers", "--low", "10"},
      {"--dist", "integers", "--low", "0", "--high", "18446744073709551616", "--dtype", "uint64"},
      {"--dist", "integers", "--low=-5", "--high", "5", "--dtype", "int32"},
      {"--dist", "integers", "--low", "1000", "--dtype", "uint16"},
      {"--dist", "integers", "--low=-100", "--high", "100", "--dtype", "int8"},
      {"--dist", "integers", "--low", "2", "--dtype", "bool"},
  };
  for (const auto& dist : dists) {
    for (const std::string count : {"1", "3", "33"}) {
      const args base = {"generate", "--bitgen", bitgen, "--seed", "31337", "--count", count};
      batch.add(with(with(base, dist), {"--format", "binary"}));
      batch.add(with(with(base, dist), {"--print-state"}));
    }
  }
  batch.run_and_compare();
}

// The generator options combine with --dist as with raw draws: keys, jumps, advances and states
// written by NumPy after its own distribution draws.
TEST_P(NumpyDistCrossCheck, AnyGeneratorSource) {
  SKIP_WITHOUT_NUMPY();
  const std::string& bitgen = GetParam();
  oracle_batch batch("dist_sources_" + bitgen);
  const args dist = {"--dist", "gamma", "--shape", "2.5", "--count", "9"};
  batch.add(with({"generate", "--bitgen", bitgen, "--seed", "1,2,3", "--spawn-key", "4"}, dist));
  if (bitgen == "philox") {
    batch.add(
        with({"generate", "--bitgen", bitgen, "--key", "0xdeadbeef", "--counter", "3"}, dist));
  }
  if (bitgen != "sfc64") {
    batch.add(with({"generate", "--bitgen", bitgen, "--seed", "8", "--jumped", "2"}, dist));
  }
  if (bitgen == "pcg64" || bitgen == "pcg64dxsm" || bitgen == "philox") {
    batch.add(with({"generate", "--bitgen", bitgen, "--seed", "8", "--advance=-3"}, dist));
  }
  // A state cut after an odd number of 32-bit draws, continued with --dist.
  const std::string state = batch.write_state(
      bitgen + "_after_integers.json", {"--bitgen", bitgen, "--seed", "12", "--count", "3",
                                        "--dist", "integers", "--low", "6", "--dtype", "int32"});
  batch.add(
      {"generate", "--from-state", state, "--dist", "integers", "--low", "6", "--count", "5"});
  batch.add({"generate", "--from-state", state, "--dist", "standard_normal", "--count", "5"});
  batch.run_and_compare();
}

std::string bitgen_name(const ::testing::TestParamInfo<std::string>& param) { return param.param; }

INSTANTIATE_TEST_SUITE_P(AllBitGenerators, NumpyDistCrossCheck, ::testing::ValuesIn(all_bitgens),
                         bitgen_name);

}  // namespace
}  // namespace streamalloc::testing
