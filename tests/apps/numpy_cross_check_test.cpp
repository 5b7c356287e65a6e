// Live cross-check of the streamalloc program against NumPy: for many option combinations, the
// bytes `streamalloc generate|seedseq` prints must equal what numpy_cli_oracle.py computes with
// numpy.random for the same options. Needs NumPy importable by STREAMALLOC_NUMPY_PYTHON
// (Debian's /usr/bin/python3 with NumPy 1.24; the environment variable of the same name
// overrides it); without NumPy every test here is skipped, loudly.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "cli_runner.hpp"
#include "streamalloc/detail/json.hpp"

namespace streamalloc::testing {
namespace {

using args = std::vector<std::string>;

const std::vector<std::string> all_bitgens = {"pcg64", "pcg64dxsm", "philox", "sfc64", "mt19937"};
const std::vector<std::string> all_outputs = {"u64", "u32", "double"};

bool has_advance(const std::string& bitgen) {
  return bitgen == "pcg64" || bitgen == "pcg64dxsm" || bitgen == "philox";
}
bool has_jumped(const std::string& bitgen) { return bitgen != "sfc64"; }

// The interpreter that runs the oracle: the build's choice, unless the environment variable
// STREAMALLOC_NUMPY_PYTHON names another (e.g. to check the skip with a Python lacking NumPy).
const std::string& python() {
  static const std::string path = [] {
    const char* chosen = std::getenv("STREAMALLOC_NUMPY_PYTHON");
    return std::string(chosen != nullptr && *chosen != '\0' ? chosen : STREAMALLOC_NUMPY_PYTHON);
  }();
  return path;
}

// Why NumPy cannot be used, or "" when it can.
const std::string& numpy_unavailable() {
  static const std::string reason = [] {
    run_result r;
    try {
      r = run_program(python(), {"-c", "import numpy"});
    } catch (const std::exception& e) {
      return python() + " cannot be run (" + e.what() + ")";
    }
    if (r.exit_code == 0) return std::string();
    std::string why = r.err.empty() ? "exit status " + std::to_string(r.exit_code) : r.err;
    while (!why.empty() && why.back() == '\n') why.pop_back();
    const auto last_line = why.rfind('\n');
    if (last_line != std::string::npos) why = why.substr(last_line + 1);
    return python() + " cannot import numpy (" + why + ")";
  }();
  return reason;
}

#define SKIP_WITHOUT_NUMPY()                                                              \
  do {                                                                                    \
    if (!numpy_unavailable().empty()) {                                                   \
      GTEST_SKIP() << "NumPy cross-check skipped: " << numpy_unavailable()                \
                   << "; install python3-numpy to compare the CLI with numpy.random";     \
    }                                                                                     \
  } while (false)

// One comparison: the CLI run with `cli` (stdin fed from `stdin_path` if set) must print what
// the oracle prints for `oracle`.
struct cli_case {
  args oracle;
  args cli;
  std::string stdin_path;
};

// A batch of oracle invocations run by one Python process; cases run in order, so write-state
// steps (which print nothing) can create files that later cases read.
class oracle_batch {
 public:
  explicit oracle_batch(std::string name) : name_(std::move(name)) {}
  oracle_batch(const oracle_batch&) = delete;
  oracle_batch& operator=(const oracle_batch&) = delete;
  ~oracle_batch() {
    std::error_code ignored;
    for (const auto& path : temp_files_) std::filesystem::remove(path, ignored);
  }

  // A case whose CLI command line is the oracle's.
  void add(const args& command) { cases_.push_back({command, command, ""}); }
  void add(cli_case c) { cases_.push_back(std::move(c)); }
  // NumPy writes json.dump(bitgen.state) for `generate_args` (after drawing their values) to a
  // temporary file, whose path is returned.
  std::string write_state(const std::string& file, const args& generate_args) {
    const std::string path = temp_path(file);
    args step = {"write-state", path};
    step.insert(step.end(), generate_args.begin(), generate_args.end());
    steps_.push_back({static_cast<std::size_t>(cases_.size()), step});
    return path;
  }

  // A fresh path in the test's temporary directory, removed with the batch.
  std::string temp_path(const std::string& file) {
    temp_files_.push_back(::testing::TempDir() + "streamalloc_oracle_" + name_ + "_" +
                          std::to_string(::getpid()) + "_" + file);
    return temp_files_.back();
  }

  void run_and_compare() {
    // Steps are placed before the case that followed them when they were added.
    std::vector<args> lines;
    std::vector<std::ptrdiff_t> case_of_line;
    std::size_t next_step = 0;
    for (std::size_t i = 0; i <= cases_.size(); ++i) {
      while (next_step < steps_.size() && steps_[next_step].before_case == i) {
        lines.push_back(steps_[next_step++].command);
        case_of_line.push_back(-1);
      }
      if (i < cases_.size()) {
        lines.push_back(cases_[i].oracle);
        case_of_line.push_back(static_cast<std::ptrdiff_t>(i));
      }
    }
    const std::string batch_path = temp_path("batch.jsonl");
    {
      std::ofstream batch(batch_path);
      for (const auto& line : lines) batch << detail::dump_json(detail::json(line)) << '\n';
    }
    const run_result oracle =
        run_program(python(), {STREAMALLOC_CLI_ORACLE, "batch", batch_path});
    ASSERT_EQ(oracle.exit_code, 0) << "numpy_cli_oracle.py failed:\n" << oracle.err;
    std::istringstream results(oracle.out);
    std::string result_line;
    std::size_t compared = 0;
    for (std::size_t line = 0; line < lines.size(); ++line) {
      ASSERT_TRUE(std::getline(results, result_line)) << "oracle printed too few results";
      if (case_of_line[line] < 0) continue;
      const cli_case& c = cases_[static_cast<std::size_t>(case_of_line[line])];
      const auto result = detail::parse_json(result_line, "oracle result");
      const std::string expected = from_hex(result.at("stdout_hex").get<std::string>());
      compare(c, expected);
      ++compared;
    }
    EXPECT_EQ(compared, cases_.size());
    EXPECT_GT(compared, 0U);
  }

 private:
  struct oracle_step {
    std::size_t before_case;
    args command;
  };

  static std::string from_hex(const std::string& hex) {
    std::string out;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
      out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
    }
    return out;
  }

  static void compare(const cli_case& c, const std::string& expected) {
    run_options options;
    if (!c.stdin_path.empty()) {
      std::ifstream in(c.stdin_path);
      options.stdin_data.assign(std::istreambuf_iterator<char>(in), {});
    }
    const run_result r = run_cli(c.cli, options);
    const std::string command = describe_command(c.cli);
    EXPECT_EQ(r.exit_code, 0) << command << "\n" << r.err;
    EXPECT_EQ(r.err, "") << command;
    if (r.out == expected) return;
    // Show the first line where they part, not megabytes of output (binary: the bytes from the
    // first difference on, up to the next newline byte or 64 bytes).
    std::size_t at = 0;
    while (at < r.out.size() && at < expected.size() && r.out[at] == expected[at]) ++at;
    const std::size_t line_start = at == 0 ? std::string::npos : expected.rfind('\n', at - 1);
    const std::size_t from = line_start == std::string::npos ? 0 : line_start + 1;
    auto line_at = [from](const std::string& text) {
      if (from >= text.size()) return std::string("<end of output>");
      const std::size_t end = text.find('\n', from);
      return text.substr(from, std::min<std::size_t>(end == std::string::npos ? text.size() - from
                                                                              : end - from,
                                                     64));
    };
    ADD_FAILURE() << command << "\ndiffers from NumPy at byte " << at << " (lengths "
                  << r.out.size() << " vs " << expected.size() << ")\n  streamalloc: "
                  << line_at(r.out) << "\n  numpy:       " << line_at(expected);
  }

  std::string name_;
  std::vector<cli_case> cases_;
  std::vector<oracle_step> steps_;
  std::vector<std::string> temp_files_;
};

args with(args base, const args& more) {
  base.insert(base.end(), more.begin(), more.end());
  return base;
}

// Integers of every shape NumPy accepts as entropy: small, zero, beyond 64 and 128 bits, hex,
// lists (including ones that alias an integer's words).
const std::vector<std::string> seeds = {
    "0",
    "5",
    "18446744073709551615",
    "12345678901234567890123456789012345678901234567890",
    "0xdeadbeefcafebabe0123456789abcdef0011",
    "1,2,3",
    "0,0",
    "4294967296,7",
};

class NumpyCrossCheck : public ::testing::TestWithParam<std::string> {};

TEST_P(NumpyCrossCheck, SeedsAndOutputs) {
  SKIP_WITHOUT_NUMPY();
  const std::string& bitgen = GetParam();
  oracle_batch batch("seeds_" + bitgen);
  for (const auto& seed : seeds) {
    for (const auto& output : all_outputs) {
      batch.add({"generate", "--bitgen", bitgen, "--seed", seed, "--output", output, "--count",
                 "17"});
    }
  }
  // Long enough to cross buffer and block boundaries (MT19937 regenerates every 624 draws).
  for (const auto& output : all_outputs) {
    batch.add({"generate", "--bitgen", bitgen, "--seed", "2024", "--output", output, "--count",
               "3000"});
  }
  batch.add({"generate", "--bitgen", bitgen, "--seed", "9"});  // default count and output
  batch.run_and_compare();
}

TEST_P(NumpyCrossCheck, SpawnKeysAndPoolSizes) {
  SKIP_WITHOUT_NUMPY();
  const std::string& bitgen = GetParam();
  oracle_batch batch("spawn_" + bitgen);
  for (const std::string key : {"0", "1,2,3", "4294967296", "18446744073709551616,0",
                                "340282366920938463463374607431768211457"}) {
    for (const std::string pool : {"4", "8"}) {
      for (const std::string seed : {"5", "1,2", "0xffffffffffffffffffffffffffffffffffff"}) {
        batch.add({"generate", "--bitgen", bitgen, "--seed", seed, "--spawn-key", key,
                   "--pool-size", pool, "--output", "u32", "--count", "9"});
      }
    }
  }
  // An empty spawn key is no key.
  batch.add(cli_case{{"generate", "--bitgen", bitgen, "--seed", "5", "--count", "4"},
                     {"generate", "--bitgen", bitgen, "--seed", "5", "--spawn-key", "",
                      "--count", "4"},
                     ""});
  batch.add({"generate", "--bitgen", bitgen, "--seed", "77", "--pool-size", "8", "--output",
             "double", "--count", "6"});
  batch.run_and_compare();
}

// SFC64 has neither jumped() nor advance(); that it is rejected is CliUsage's business.
class NumpyCrossCheckMovable : public ::testing::TestWithParam<std::string> {};

TEST_P(NumpyCrossCheckMovable, JumpedAndAdvanced) {
  SKIP_WITHOUT_NUMPY();
  const std::string& bitgen = GetParam();
  oracle_batch batch("moved_" + bitgen);
  const args base = {"generate", "--bitgen", bitgen, "--seed", "1234", "--count", "7"};
  if (has_jumped(bitgen)) {
    for (const std::string jumps : {"0", "1", "2", "3"}) {
      for (const auto& output : all_outputs) {
        batch.add(with(base, {"--jumped", jumps, "--output", output}));
      }
    }
    if (bitgen != "mt19937") {  // NumPy jumps MT19937 once per count: keep that one small
      batch.add(with(base, {"--jumped", "123456789012345678901234567890"}));
      batch.add(with(base, {"--jumped", "0xffffffffffffffffffffffffffffffffff"}));
    }
    batch.add(with(base, {"--spawn-key", "3", "--jumped", "2", "--output", "u32"}));
  }
  if (has_advance(bitgen)) {
    // Negative distances wrap as NumPy's wrap_int does; so do distances beyond the period
    // (2^128 for the PCG generators, 2^256 counter steps for Philox).
    for (const std::string delta :
         {"0", "1", "5", "1000", "-1", "-5", "-123456789", "18446744073709551616",
          "340282366920938463463374607431768211461", "-340282366920938463463374607431768211461",
          "0xffffffffffffffffffffffffffffffffff", "-0xffffffffffffffffffffffffffffffffff",
          "1606938044258990275541962092341162602522202993782792835301381"}) {
      for (const auto& output : all_outputs) {
        // --advance=D keeps the oracle's argparse from reading "-0x..." as an option.
        batch.add(with(base, {"--advance=" + delta, "--output", output}));
      }
    }
    batch.add(with(base, {"--advance", "-7", "--output", "u32"}));  // "-7" as a separate word
    batch.add(with(base, {"--jumped", "2", "--advance", "-3", "--output", "double"}));
    batch.add(with(base, {"--jumped", "5", "--advance", "99999999999999999999999"}));
  }
  batch.run_and_compare();
}

TEST_P(NumpyCrossCheck, PrintStateAndBinary) {
  SKIP_WITHOUT_NUMPY();
  const std::string& bitgen = GetParam();
  oracle_batch batch("state_" + bitgen);
  for (const auto& output : all_outputs) {
    for (const std::string count : {"0", "1", "3", "4", "5", "625"}) {
      batch.add({"generate", "--bitgen", bitgen, "--seed", "31337", "--output", output,
                 "--count", count, "--print-state"});
    }
    for (const std::string count : {"1", "33", "1000"}) {
      batch.add({"generate", "--bitgen", bitgen, "--seed", "31337", "--output", output,
                 "--count", count, "--format", "binary"});
    }
  }
  if (has_advance(bitgen)) {
    batch.add({"generate", "--bitgen", bitgen, "--seed", "8", "--advance", "-1", "--count", "0",
               "--print-state"});
    batch.add({"generate", "--bitgen", bitgen, "--seed", "8", "--advance", "-1", "--output",
               "u32", "--count", "3", "--print-state"});
  }
  if (has_jumped(bitgen)) {
    batch.add({"generate", "--bitgen", bitgen, "--seed", "8", "--jumped", "1", "--count", "2",
               "--print-state"});
  }
  batch.run_and_compare();
}

TEST_P(NumpyCrossCheck, FromStateWrittenByNumpy) {
  SKIP_WITHOUT_NUMPY();
  const std::string& bitgen = GetParam();
  oracle_batch batch("from_state_" + bitgen);
  // States cut at different points: fresh, with a buffered 32-bit half, mid Philox block, and
  // after MT19937 has regenerated its key.
  std::vector<std::string> files;
  for (const std::string draws : {"0", "3", "630"}) {
    for (const std::string output : {"u64", "u32"}) {
      files.push_back(batch.write_state(
          bitgen + "_" + draws + "_" + output + ".json",
          {"--bitgen", bitgen, "--seed", "2718", "--output", output, "--count", draws}));
    }
  }
  for (const auto& file : files) {
    for (const auto& output : all_outputs) {
      batch.add({"generate", "--from-state", file, "--output", output, "--count", "11"});
    }
    batch.add({"generate", "--from-state", file, "--output", "u32", "--count", "3",
               "--print-state"});
    batch.add({"generate", "--from-state", file, "--bitgen", bitgen, "--count", "2"});
    if (has_jumped(bitgen)) {
      batch.add({"generate", "--from-state", file, "--jumped", "1", "--count", "4"});
    }
    if (has_advance(bitgen)) {
      batch.add({"generate", "--from-state", file, "--advance", "-9", "--output", "u32",
                 "--count", "4"});
    }
    // Standard input reads the same document.
    batch.add(cli_case{{"generate", "--from-state", file, "--output", "double", "--count", "5"},
                       {"generate", "--from-state", "-", "--output", "double", "--count", "5"},
                       file});
  }
  batch.run_and_compare();
}

std::string bitgen_name(const ::testing::TestParamInfo<std::string>& param) { return param.param; }

INSTANTIATE_TEST_SUITE_P(AllBitGenerators, NumpyCrossCheck, ::testing::ValuesIn(all_bitgens),
                         bitgen_name);
INSTANTIATE_TEST_SUITE_P(MovableBitGenerators, NumpyCrossCheckMovable,
                         ::testing::Values("pcg64", "pcg64dxsm", "philox", "mt19937"), bitgen_name);

TEST(NumpyCrossCheckPhilox, KeyAndCounter) {
  SKIP_WITHOUT_NUMPY();
  oracle_batch batch("philox_key");
  const std::string max_key = "340282366920938463463374607431768211455";  // 2^128 - 1
  const std::string max_counter =
      "115792089237316195423570985008687907853269984665640564039457584007913129639935";  // 2^256-1
  for (const auto& key : args{"0", "1", "0xdeadbeef", "18446744073709551616", max_key}) {
    for (const auto& output : all_outputs) {
      batch.add({"generate", "--bitgen", "philox", "--key", key, "--output", output, "--count",
                 "9"});
    }
    for (const auto& counter : args{"0", "1", "3", "18446744073709551615", max_counter}) {
      batch.add({"generate", "--bitgen", "philox", "--key", key, "--counter", counter,
                 "--count", "6"});
    }
  }
  // The counter wraps: advancing past 2^256 - 1, or back past 0.
  batch.add({"generate", "--bitgen", "philox", "--key", "7", "--counter", max_counter,
             "--advance", "2", "--count", "5"});
  batch.add({"generate", "--bitgen", "philox", "--key", "7", "--advance", "-1", "--count", "5"});
  batch.add({"generate", "--bitgen", "philox", "--key", "7", "--counter", "9", "--jumped", "3",
             "--advance", "11", "--output", "u32", "--count", "5"});
  batch.add({"generate", "--bitgen", "philox", "--key", max_key, "--counter", "5",
             "--print-state", "--count", "6", "--output", "u32"});
  batch.add({"generate", "--bitgen", "philox", "--key", "12", "--format", "binary", "--output",
             "double", "--count", "77"});
  // A seeded Philox may also start at another counter: NumPy's Philox(seed, counter=C).
  batch.add({"generate", "--bitgen", "philox", "--seed", "5", "--counter", "100", "--count",
             "5"});
  batch.add({"generate", "--bitgen", "philox", "--seed", "5,6", "--spawn-key", "1",
             "--counter", max_counter, "--output", "u32", "--count", "9"});
  batch.run_and_compare();
}

TEST(NumpyCrossCheckSeedSequence, SeedseqMatchesNumpy) {
  SKIP_WITHOUT_NUMPY();
  oracle_batch batch("seedseq");
  for (const auto& seed : seeds) {
    for (const std::string key : {"", "0", "1,2", "4294967296", "18446744073709551616,5"}) {
      for (const std::string pool : {"4", "5", "8"}) {
        args command = {"seedseq", "--seed", seed, "--pool-size", pool};
        if (!key.empty()) command = with(command, {"--spawn-key", key});
        batch.add(command);
      }
    }
    for (const std::string words : {"0", "1", "4", "9"}) {
      for (const std::string dtype : {"u32", "u64"}) {
        batch.add({"seedseq", "--seed", seed, "--words", words, "--dtype", dtype});
      }
    }
    batch.add({"seedseq", "--seed", seed, "--spawn", "3"});
    batch.add({"seedseq", "--seed", seed, "--spawn-key", "7,8", "--spawn", "2", "--dtype", "u64",
               "--words", "3"});
  }
  batch.add({"seedseq", "--seed", "1", "--pool-size", "16", "--words", "40", "--spawn", "1"});
  batch.run_and_compare();
}

}  // namespace
}  // namespace streamalloc::testing
