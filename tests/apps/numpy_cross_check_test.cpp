// Live cross-check of the streamalloc program against NumPy: for many option combinations, the
// bytes `streamalloc generate|seedseq` prints must equal what numpy_cli_oracle.py computes with
// numpy.random for the same options (distributions: numpy_dist_cross_check_test.cpp). Needs
// NumPy importable by STREAMALLOC_NUMPY_PYTHON (see numpy_oracle.hpp); without NumPy every test
// here is skipped, loudly.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "numpy_oracle.hpp"

namespace streamalloc::testing {
namespace {

const std::vector<std::string> all_bitgens = {"pcg64", "pcg64dxsm", "philox", "sfc64", "mt19937"};
const std::vector<std::string> all_outputs = {"u64", "u32", "double"};

bool has_advance(const std::string& bitgen) {
  return bitgen == "pcg64" || bitgen == "pcg64dxsm" || bitgen == "philox";
}
bool has_jumped(const std::string& bitgen) { return bitgen != "sfc64"; }

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
      batch.add(
          {"generate", "--bitgen", bitgen, "--seed", seed, "--output", output, "--count", "17"});
    }
  }
  // Long enough to cross buffer and block boundaries (MT19937 regenerates every 624 draws).
  for (const auto& output : all_outputs) {
    batch.add(
        {"generate", "--bitgen", bitgen, "--seed", "2024", "--output", output, "--count", "3000"});
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
  batch.add(
      cli_case{{"generate", "--bitgen", bitgen, "--seed", "5", "--count", "4"},
               {"generate", "--bitgen", bitgen, "--seed", "5", "--spawn-key", "", "--count", "4"},
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
    for (const std::string jumps : {"0", "1", "2", "3", "-1", "-2", "-1000"}) {
      for (const auto& output : all_outputs) {
        // --jumped=J keeps the oracle's argparse from reading "-1" as an option.
        batch.add(with(base, {"--jumped=" + jumps, "--output", output}));
      }
    }
    if (bitgen != "mt19937") {  // NumPy jumps MT19937 once per count: keep that one small
      batch.add(with(base, {"--jumped", "123456789012345678901234567890"}));
      batch.add(with(base, {"--jumped", "0xffffffffffffffffffffffffffffffffff"}));
      // Negative counts wrap, as NumPy's advance does.
      batch.add(with(base, {"--jumped=-18446744073709551619"}));
      batch.add(with(base, {"--jumped=-0xffffffffffffffffffffffffffffffffff", "--output", "u32"}));
      batch.add(with(base, {"--jumped", "-3", "--advance", "5"}));  // "-3" as a separate word
    } else {
      // MT19937 takes a C long: down to -2^63 (zero jumps, as any negative count).
      batch.add(with(base, {"--jumped=-9223372036854775808"}));
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
      batch.add({"generate", "--bitgen", bitgen, "--seed", "31337", "--output", output, "--count",
                 count, "--print-state"});
    }
    for (const std::string count : {"1", "33", "1000"}) {
      batch.add({"generate", "--bitgen", bitgen, "--seed", "31337", "--output", output, "--count",
                 count, "--format", "binary"});
    }
  }
  if (has_advance(bitgen)) {
    batch.add({"generate", "--bitgen", bitgen, "--seed", "8", "--advance", "-1", "--count", "0",
               "--print-state"});
    batch.add({"generate", "--bitgen", bitgen, "--seed", "8", "--advance", "-1", "--output", "u32",
               "--count", "3", "--print-state"});
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
    batch.add(
        {"generate", "--from-state", file, "--output", "u32", "--count", "3", "--print-state"});
    batch.add({"generate", "--from-state", file, "--bitgen", bitgen, "--count", "2"});
    if (has_jumped(bitgen)) {
      batch.add({"generate", "--from-state", file, "--jumped", "1", "--count", "4"});
    }
    if (has_advance(bitgen)) {
      batch.add(
          {"generate", "--from-state", file, "--advance", "-9", "--output", "u32", "--count", "4"});
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
      batch.add(
          {"generate", "--bitgen", "philox", "--key", key, "--output", output, "--count", "9"});
    }
    for (const auto& counter : args{"0", "1", "3", "18446744073709551615", max_counter}) {
      batch.add(
          {"generate", "--bitgen", "philox", "--key", key, "--counter", counter, "--count", "6"});
    }
  }
  // The counter wraps: advancing past 2^256 - 1, or back past 0.
  batch.add({"generate", "--bitgen", "philox", "--key", "7", "--counter", max_counter, "--advance",
             "2", "--count", "5"});
  batch.add({"generate", "--bitgen", "philox", "--key", "7", "--advance", "-1", "--count", "5"});
  batch.add({"generate", "--bitgen", "philox", "--key", "7", "--counter", "9", "--jumped", "3",
             "--advance", "11", "--output", "u32", "--count", "5"});
  batch.add({"generate", "--bitgen", "philox", "--key", max_key, "--counter", "5", "--print-state",
             "--count", "6", "--output", "u32"});
  batch.add({"generate", "--bitgen", "philox", "--key", "12", "--format", "binary", "--output",
             "double", "--count", "77"});
  // A seeded Philox may also start at another counter: NumPy's Philox(seed, counter=C).
  batch.add({"generate", "--bitgen", "philox", "--seed", "5", "--counter", "100", "--count", "5"});
  batch.add({"generate", "--bitgen", "philox", "--seed", "5,6", "--spawn-key", "1", "--counter",
             max_counter, "--output", "u32", "--count", "9"});
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
