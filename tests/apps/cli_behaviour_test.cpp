// The streamalloc program's behaviour that needs no NumPy: reproducing OS-seeded runs, pipes
// closed by the reader, empty output, resuming from a printed state, and --jumped against
// NumPy's golden streams (tests/golden, written by scripts/gen_golden.py).
#include <gtest/gtest.h>

#include <cctype>
#include <fstream>
#include <string>
#include <vector>

#include "cli_runner.hpp"
#include "streamalloc/big_uint.hpp"
#include "streamalloc/json.hpp"
#include "support/golden.hpp"

namespace streamalloc::testing {
namespace {

using args = std::vector<std::string>;

const std::vector<std::string> all_bitgens = {"pcg64", "pcg64dxsm", "philox", "sfc64", "mt19937"};

run_result run_ok(const args& command, const run_options& options = {}) {
  run_result r = run_cli(command, options);
  EXPECT_EQ(r.exit_code, 0) << describe_command(command) << "\n" << r.err;
  EXPECT_EQ(r.signal, 0) << describe_command(command);
  return r;
}

TEST(CliBehaviour, OsEntropyIsPrintedAndReproducesTheRun) {
  for (const std::string pool : {"4", "8"}) {
    const args command = {"generate", "--pool-size", pool, "--count", "5"};
    const run_result first = run_ok(command);
    const std::string prefix = "streamalloc: seed entropy ";
    ASSERT_EQ(first.err.rfind(prefix, 0), 0U) << first.err;
    ASSERT_EQ(first.err.back(), '\n');
    const std::string entropy =
        first.err.substr(prefix.size(), first.err.size() - prefix.size() - 1);
    // NumPy draws pool_size * 32 bits of OS entropy.
    EXPECT_LE(big_uint::parse(entropy, "entropy").bit_length(), std::stoul(pool) * 32);

    args again = command;
    again.insert(again.end(), {"--seed", entropy});
    const run_result second = run_ok(again);
    EXPECT_EQ(second.err, "");
    EXPECT_EQ(second.out, first.out);
    // A second OS-seeded run draws different entropy (2^-128 chance of a false failure).
    EXPECT_NE(run_ok(command).err, first.err);
  }
}

TEST(CliBehaviour, SeedseqShowsOsEntropyThatReproducesIt) {
  const run_result first = run_ok({"seedseq", "--spawn", "2"});
  EXPECT_EQ(first.err, "");
  const auto document = parse_json(first.out, "seedseq output");
  const std::string entropy = dump_json(document.at("entropy"));
  const run_result second = run_ok({"seedseq", "--spawn", "2", "--seed", entropy});
  EXPECT_EQ(second.out, first.out);
}

TEST(CliBehaviour, CountZeroPrintsNothingInText) {
  for (const auto& bitgen : all_bitgens) {
    const run_result r = run_ok({"generate", "--bitgen", bitgen, "--seed", "1", "--count", "0"});
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(r.err, "");
  }
}

TEST(CliBehaviour, EndlessBinaryStopsQuietlyWhenThePipeCloses) {
  for (const std::string output : {"u64", "u32", "double"}) {
    const args endless = {"generate", "--seed", "7",       "--output", output,
                          "--format", "binary", "--count", "0"};
    run_options head;
    head.stdout_limit = (std::size_t{3} << 20) + 5;  // several buffers, cut mid-value
    const run_result r = run_ok(endless, head);
    EXPECT_EQ(r.err, "") << "a closed pipe is not an error";
    ASSERT_EQ(r.out.size(), head.stdout_limit);

    // The endless stream starts with exactly what a finite run prints.
    const std::size_t width = output == "u32" ? 4 : 8;
    const std::size_t values = 100000;
    const run_result finite = run_ok({"generate", "--seed", "7", "--output", output, "--format",
                                      "binary", "--count", std::to_string(values)});
    ASSERT_EQ(finite.out.size(), values * width);
    EXPECT_EQ(r.out.substr(0, finite.out.size()), finite.out);
  }
}

TEST(CliBehaviour, TextOutputStopsQuietlyWhenThePipeCloses) {
  run_options head;
  head.stdout_limit = 100;
  const run_result r = run_ok({"generate", "--seed", "7", "--count", "10000000"}, head);
  EXPECT_EQ(r.err, "");
}

TEST(CliBehaviour, TextAndBinaryCarryTheSameValues) {
  const run_result text = run_ok({"generate", "--seed", "3", "--count", "4"});
  const run_result binary =
      run_ok({"generate", "--seed", "3", "--count", "4", "--format", "binary"});
  ASSERT_EQ(binary.out.size(), 32U);
  std::string decoded;
  for (std::size_t i = 0; i < 4; ++i) {
    std::uint64_t v = 0;
    for (std::size_t b = 0; b < 8; ++b) {
      v |= std::uint64_t{static_cast<unsigned char>(binary.out[i * 8 + b])} << (8 * b);
    }
    decoded += std::to_string(v) + "\n";
  }
  EXPECT_EQ(decoded, text.out);
}

// Drawing k values, printing the state and resuming from it continues the same stream, whatever
// is buffered at the cut (a 32-bit half, a partly used Philox block, MT19937's position).
TEST(CliBehaviour, PrintStateThenFromStateResumesTheStream) {
  for (const auto& bitgen : all_bitgens) {
    for (const std::string output : {"u64", "u32", "double"}) {
      SCOPED_TRACE(bitgen + " " + output);
      const args base = {"generate", "--bitgen", bitgen, "--seed", "42", "--output", output};
      args whole = base;
      whole.insert(whole.end(), {"--count", "12"});
      args head = base;
      head.insert(head.end(), {"--count", "5", "--print-state"});
      const run_result all = run_ok(whole);
      const run_result state = run_ok(head);
      ASSERT_EQ(state.out.back(), '\n');

      run_options from_stdin;
      from_stdin.stdin_data = state.out;
      const run_result rest =
          run_ok({"generate", "--from-state", "-", "--output", output, "--count", "7"}, from_stdin);
      args first_five = base;
      first_five.insert(first_five.end(), {"--count", "5"});
      EXPECT_EQ(run_ok(first_five).out + rest.out, all.out);

      // The same through a file, with --bitgen given and agreeing.
      const std::string path = ::testing::TempDir() + "streamalloc_cli_state_" + bitgen + ".json";
      std::ofstream(path) << state.out;
      EXPECT_EQ(run_ok({"generate", "--from-state", path, "--bitgen", bitgen, "--output", output,
                        "--count", "7"})
                    .out,
                rest.out);
    }
  }
}

// The CLI's --bitgen name of a NumPy bit generator class.
std::string cli_name(std::string numpy_name) {
  std::string name;
  for (const char c : numpy_name)
    name += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return name;
}

TEST(CliBehaviour, JumpedMatchesNumPysGoldenStreams) {
  // Every golden case that is a seeded generator, jumped and nothing else (negative counts
  // included): `generate --jumped=J` prints NumPy's random_raw words.
  const auto golden = load_golden("bit_generators.jsonl");
  int checked = 0;
  int negative = 0;
  for (const auto& c : golden.cases) {
    const auto& seed = c.at("seed");
    if (!c.contains("jumped") || !seed.contains("entropy") || !seed["entropy"].is_number() ||
        c.contains("pre_u32") || c.contains("advance") || c.contains("predraw") ||
        c.contains("predraw_u32")) {
      continue;
    }
    SCOPED_TRACE(describe_case(c));
    std::string key;
    for (const auto& part : seed.at("spawn_key")) key += (key.empty() ? "" : ",") + dump_json(part);
    const std::string jumps = dump_json(c["jumped"]);
    const run_result r =
        run_ok({"generate", "--bitgen", cli_name(c.at("bitgen").get<std::string>()), "--seed",
                dump_json(seed["entropy"]), "--spawn-key", key, "--pool-size",
                dump_json(seed.at("pool_size")), "--jumped=" + jumps, "--count",
                dump_json(c.at("count"))});
    std::string expected;
    for (const auto& word : c.at("raw")) expected += dump_json(word) + "\n";
    EXPECT_EQ(r.out, expected);
    ++checked;
    negative += jumps.front() == '-' ? 1 : 0;
  }
  EXPECT_GE(checked, 30);
  EXPECT_GE(negative, 16);
}

TEST(CliBehaviour, JumpedCountsNumPyRefusesAreUsageErrors) {
  // tests/golden/bit_generator_errors.jsonl: what NumPy raises for, the CLI refuses (exit 2).
  const auto golden = load_golden("bit_generator_errors.jsonl");
  for (const auto& c : golden.cases) {
    SCOPED_TRACE(describe_case(c));
    const run_result r =
        run_cli({"generate", "--bitgen", cli_name(c.at("bitgen").get<std::string>()), "--seed",
                 dump_json(c.at("seed").at("entropy")), "--jumped=" + dump_json(c.at("jumped"))});
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_EQ(r.out, "");
  }
  EXPECT_GE(golden.cases.size(), 4U);
}

// Bad input (issue 12): deep nesting crashed `generate --from-state` and `audit` with a stack
// overflow (10^5 levels); a 10^5-digit integer gave a 100 KB error line.
TEST(CliBehaviour, DeepOrHugeInputsGetOneShortLineAndExitTwo) {
  const std::string dir = ::testing::TempDir();
  const std::string deep = std::string(100'000, '[') + std::string(100'000, ']');
  std::ofstream(dir + "streamalloc_deep.json") << deep;
  std::ofstream(dir + "streamalloc_deep.jsonl") << deep << "\n" << deep << "\n";
  const std::string digits(100'000, '9');
  std::ofstream(dir + "streamalloc_digits.json")
      << R"({"bit_generator": "PCG64", "state": {"state": )" << digits
      << R"(, "inc": 1}, "has_uint32": 0, "uinteger": 0})";
  for (const args& command : {args{"generate", "--from-state", dir + "streamalloc_deep.json"},
                              args{"audit", dir + "streamalloc_deep.jsonl"},
                              args{"generate", "--from-state", dir + "streamalloc_digits.json"},
                              args{"generate", "--seed", digits + "9"},
                              args{"generate", "--spawn-key", "1," + digits + "9"}}) {
    SCOPED_TRACE(command.front() + " " + command[1] + " " + command.back().substr(0, 40));
    const run_result r = run_cli(command);
    EXPECT_EQ(r.exit_code, 2) << r.err.substr(0, 300);
    EXPECT_LT(r.err.size(), 400U) << r.err.substr(0, 300);
    EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << r.err.substr(0, 300);
  }
  run_options from_stdin;
  from_stdin.stdin_data = deep;
  const run_result r = run_cli({"generate", "--from-state", "-"}, from_stdin);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("nested deeper than 256 levels"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace streamalloc::testing
