// The streamalloc program's contract for help and errors: --help and --version succeed with the
// text on standard output; every bad argument exits with status 2 and exactly one line
// "streamalloc: error: ..." on standard error that names the bad value.
#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "cli_expectations.hpp"

namespace streamalloc::testing {
namespace {

using args = std::vector<std::string>;

void expect_help(const args& command, const std::string& mentioned) {
  SCOPED_TRACE(describe_command(command));
  const run_result r = run_cli(command);
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.err, "");
  EXPECT_NE(r.out.find("Usage: streamalloc"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(mentioned), std::string::npos) << r.out;
}

// A file in the test's temporary directory holding `content`.
std::string temp_file(const std::string& name, const std::string& content) {
  const std::string path = ::testing::TempDir() + "streamalloc_cli_usage_" + name;
  std::ofstream(path) << content;
  return path;
}

TEST(CliUsage, HelpOfEveryCommandExitsZero) {
  expect_help({"--help"}, "generate");
  expect_help({"-h"}, "seedseq");
  expect_help({"generate", "--help"}, "--from-state");
  expect_help({"generate", "-h"}, "--print-state");
  expect_help({"seedseq", "--help"}, "--spawn");
  // --help wins over other options, even bad ones.
  expect_help({"generate", "--seed", "5", "--help"}, "--bitgen");
}

TEST(CliUsage, VersionIsTheProjectVersion) {
  const run_result r = run_cli({"--version"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, std::string("streamalloc ") + STREAMALLOC_EXPECTED_VERSION + "\n");
  EXPECT_EQ(r.err, "");
}

TEST(CliUsage, CommandLineShapeErrors) {
  expect_usage_error({}, "no command");
  expect_usage_error({"frobnicate"}, "'frobnicate'");
  expect_usage_error({"--frobnicate"}, "'--frobnicate'");
  expect_usage_error({"generate", "--sed", "5"}, "--sed");
  expect_usage_error({"generate", "--adv", "5"}, "--adv");  // no abbreviations
  expect_usage_error({"generate", "--seed"}, "--seed");
  expect_usage_error({"generate", "--seed", "1", "--seed", "2"}, "--seed");
  expect_usage_error({"generate", "stray"}, "'stray'");
  expect_usage_error({"seedseq", "--count", "5"}, "--count");
}

TEST(CliUsage, BadSeed) {
  for (const char* cmd : {"generate", "seedseq"}) {
    expect_usage_error({cmd, "--seed", "-5"}, "'-5'");
    expect_usage_error({cmd, "--seed", "abc"}, "'abc'");
    expect_usage_error({cmd, "--seed", "1.5"}, "'1.5'");
    expect_usage_error({cmd, "--seed", ""}, "--seed: ''");
    expect_usage_error({cmd, "--seed", "0x"}, "'0x'");
    expect_usage_error({cmd, "--seed", "0xfg"}, "'0xfg'");
    expect_usage_error({cmd, "--seed", "1,-2"}, "'-2'");
    expect_usage_error({cmd, "--seed", "1,,2"}, "--seed");
  }
}

TEST(CliUsage, BadSpawnKeyAndPoolSize) {
  for (const char* cmd : {"generate", "seedseq"}) {
    expect_usage_error({cmd, "--seed", "1", "--spawn-key", "1,-2"}, "'1,-2'");
    expect_usage_error({cmd, "--seed", "1", "--spawn-key", "x"}, "'x'");
    expect_usage_error({cmd, "--seed", "1", "--spawn-key", "1,,3"}, "'1,,3'");
    expect_usage_error({cmd, "--seed", "1", "--pool-size", "3"}, "'3'");
    expect_usage_error({cmd, "--seed", "1", "--pool-size", "0"}, "'0'");
    expect_usage_error({cmd, "--seed", "1", "--pool-size", "65537"}, "'65537'");
    expect_usage_error({cmd, "--seed", "1", "--pool-size", "four"}, "'four'");
    expect_usage_error({cmd, "--seed", "1", "--pool-size", "-4"}, "'-4'");
  }
}

TEST(CliUsage, BadGenerateValues) {
  expect_usage_error({"generate", "--bitgen", "pcg32"}, "'pcg32'");
  expect_usage_error({"generate", "--bitgen", "PCG64"}, "'PCG64'");  // names are lower case
  expect_usage_error({"generate", "--bitgen", ""}, "--bitgen");
  expect_usage_error({"generate", "--count", "-1"}, "'-1'");
  expect_usage_error({"generate", "--count", "ten"}, "'ten'");
  expect_usage_error({"generate", "--count", "1.5"}, "'1.5'");
  expect_usage_error({"generate", "--count", "1e3"}, "'1e3'");
  expect_usage_error({"generate", "--count", "18446744073709551616"}, "'18446744073709551616'");
  expect_usage_error({"generate", "--output", "u16"}, "'u16'");
  expect_usage_error({"generate", "--format", "hex"}, "'hex'");
  expect_usage_error({"generate", "--jumped", "x"}, "'x'");
  expect_usage_error({"generate", "--jumped", "--1"}, "'--1'");
  expect_usage_error({"generate", "--jumped", "-"}, "'-'");
  expect_usage_error({"generate", "--advance", "1.5"}, "'1.5'");
  expect_usage_error({"generate", "--advance", "-"}, "'-'");
  expect_usage_error({"generate", "--advance", "--5"}, "'--5'");
  expect_usage_error({"seedseq", "--words", "x"}, "'x'");
  expect_usage_error({"seedseq", "--words", "99999999999"}, "'99999999999'");
  expect_usage_error({"seedseq", "--dtype", "u8"}, "'u8'");
  expect_usage_error({"seedseq", "--spawn", "-1"}, "'-1'");
}

TEST(CliUsage, PhiloxKeyAndCounter) {
  expect_usage_error({"generate", "--key", "5"}, "--key");  // default bitgen pcg64
  expect_usage_error({"generate", "--bitgen", "pcg64", "--key", "5"}, "pcg64");
  expect_usage_error({"generate", "--bitgen", "sfc64", "--counter", "5"}, "sfc64");
  expect_usage_error({"generate", "--bitgen", "philox", "--key", "5", "--seed", "1"}, "--seed");
  expect_usage_error({"generate", "--bitgen", "philox", "--key", "5", "--spawn-key", "1"},
                     "--spawn-key");
  expect_usage_error({"generate", "--bitgen", "philox", "--key", "5", "--pool-size", "8"},
                     "--pool-size");
  // 2^128: one past the largest key.
  expect_usage_error(
      {"generate", "--bitgen", "philox", "--key", "340282366920938463463374607431768211456"},
      "'340282366920938463463374607431768211456'");
  expect_usage_error({"generate", "--bitgen", "philox", "--key", "-1"}, "'-1'");
  // 2^256: one past the largest counter.
  expect_usage_error({"generate", "--bitgen", "philox", "--key", "1", "--counter",
                      "0x10000000000000000000000000000000000000000000000000000000000000000"},
                     "0x10000000000000000000000000000000000000000000000000000000000000000");
}

TEST(CliUsage, UnsupportedGeneratorOperations) {
  expect_usage_error({"generate", "--bitgen", "sfc64", "--advance", "5"}, "sfc64");
  expect_usage_error({"generate", "--bitgen", "mt19937", "--advance", "5"}, "mt19937");
  expect_usage_error({"generate", "--bitgen", "sfc64", "--jumped", "1"}, "sfc64");
  // NumPy's MT19937.jumped takes a C long: OverflowError outside [-2^63, 2^63 - 1].
  expect_usage_error({"generate", "--bitgen", "mt19937", "--jumped", "18446744073709551616"},
                     "18446744073709551616");
  expect_usage_error({"generate", "--bitgen", "mt19937", "--jumped", "9223372036854775808"},
                     "'9223372036854775808'");
  expect_usage_error({"generate", "--bitgen", "mt19937", "--jumped=-9223372036854775809"},
                     "'-9223372036854775809'");
  expect_usage_error({"generate", "--bitgen", "sfc64", "--jumped=-1"}, "sfc64");
  expect_usage_error({"generate", "--print-state", "--format", "binary"}, "--print-state");
}

TEST(CliUsage, BadStateDocuments) {
  const std::string pcg_state =
      R"({"bit_generator": "PCG64", "state": {"state": 1, "inc": 3}, "has_uint32": 0, )"
      R"("uinteger": 0})";
  const std::string sfc_state =
      R"({"bit_generator": "SFC64", "state": {"state": [1, 2, 3, 4]}, "has_uint32": 0, )"
      R"("uinteger": 0})";
  const std::string good = temp_file("good.json", pcg_state);
  const std::string sfc = temp_file("sfc.json", sfc_state);
  const std::string syntax = temp_file("syntax.json", R"({"bit_generator": "PCG64", )");
  const std::string unknown = temp_file("unknown.json", R"({"bit_generator": "Xorshift"})");
  const std::string no_name = temp_file("no_name.json", R"({"state": {}})");
  const std::string no_inc = temp_file(
      "no_inc.json",
      R"({"bit_generator": "PCG64", "state": {"state": 1}, "has_uint32": 0, "uinteger": 0})");
  const std::string not_object = temp_file("not_object.json", "[1, 2, 3]");

  expect_usage_error({"generate", "--from-state", syntax}, syntax);
  expect_usage_error({"generate", "--from-state", unknown}, "Xorshift");
  expect_usage_error({"generate", "--from-state", no_name}, "bit_generator");
  expect_usage_error({"generate", "--from-state", no_inc}, "inc");
  expect_usage_error({"generate", "--from-state", not_object}, not_object);
  expect_usage_error({"generate", "--from-state", ::testing::TempDir() + "no/such/file.json"},
                     "no/such/file.json");
  expect_usage_error({"generate", "--from-state", ::testing::TempDir()}, "--from-state");
  // The generator named in the file must agree with an explicit --bitgen.
  expect_usage_error({"generate", "--from-state", good, "--bitgen", "sfc64"}, "sfc64");
  // Capabilities are checked against the generator the file holds.
  expect_usage_error({"generate", "--from-state", sfc, "--advance", "1"}, "sfc64");
  expect_usage_error({"generate", "--from-state", sfc, "--jumped", "1"}, "sfc64");
  // A state replaces all seeding options.
  expect_usage_error({"generate", "--from-state", good, "--seed", "1"}, "--seed");
  expect_usage_error({"generate", "--from-state", good, "--spawn-key", "1"}, "--spawn-key");
  expect_usage_error({"generate", "--from-state", good, "--pool-size", "8"}, "--pool-size");
  expect_usage_error({"generate", "--bitgen", "philox", "--from-state", good, "--key", "1"},
                     "--key");
  // Standard input: empty, and malformed.
  expect_usage_error({"generate", "--from-state", "-"}, "standard input");
  run_options bad_stdin;
  bad_stdin.stdin_data = "{\"bit_generator\": \"PCG64\",\n\"state\": nope}\n";
  expect_usage_error({"generate", "--from-state", "-"}, "standard input", bad_stdin);
}

}  // namespace
}  // namespace streamalloc::testing
