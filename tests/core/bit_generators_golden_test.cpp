// Every bit generator against NumPy's own output: tests/golden/bit_generators.jsonl, written by
// scripts/gen_golden.py from NumPy. Covers seeding (entropy forms, spawn keys, pool sizes,
// Philox key/counter), jumped (negative counts too), advance (huge and negative deltas),
// mid-buffer states, the state
// dict text, and every output kind (raw, buffered 32-bit, 64-bit, doubles, interleavings).
#include <gtest/gtest.h>

#include <map>
#include <functional>

#include "streamalloc/error.hpp"
#include "support/engines.hpp"

namespace streamalloc::testing {
namespace {

template <class Engine>
Engine restored(const json& state) {
  return Engine::from_state_json(dump_json(state));
}

template <class Engine>
void check_case(const json& c) {
  // The golden script applies its optional steps in this order (see scripts/gen_golden.py).
  const auto times = [&](const char* key) {
    return c.contains(key) ? c[key].get<std::uint64_t>() : std::uint64_t{0};
  };
  Engine engine = engine_from_seed<Engine>(c.at("seed"));
  for (std::uint64_t i = 0; i < times("pre_u32"); ++i) (void)engine.next32();
  if (c.contains("jumped")) engine = apply_jumped(engine, c["jumped"]);
  if (c.contains("advance")) apply_advance(engine, c["advance"]);
  for (std::uint64_t i = 0; i < times("predraw"); ++i) (void)engine.next_raw();
  for (std::uint64_t i = 0; i < times("predraw_u32"); ++i) (void)engine.next32();
  ASSERT_EQ(engine.state_json(), dump_json(c.at("initial_state")));

  {  // The seeded engine itself continues with NumPy's raw words...
    const auto expected = u64_list(c.at("raw"));
    std::vector<std::uint64_t> got;
    for (std::size_t i = 0; i < expected.size(); ++i) got.push_back(engine.next_raw());
    EXPECT_EQ(got, expected);
    EXPECT_EQ(engine.state_json(), dump_json(c.at("state_after_raw")));
  }
  {  // ...and so does one restored from NumPy's state dict, for every output kind.
    Engine fresh = restored<Engine>(c["initial_state"]);
    const auto expected = u32_list(c.at("u32"));
    std::vector<std::uint32_t> got;
    for (std::size_t i = 0; i < expected.size(); ++i) got.push_back(fresh.next32());
    EXPECT_EQ(got, expected);
    EXPECT_EQ(fresh.state_json(), dump_json(c.at("state_after_u32")));
  }
  {
    Engine fresh = restored<Engine>(c["initial_state"]);
    const auto expected = u64_list(c.at("u64"));
    std::vector<std::uint64_t> bulk(expected.size());
    fresh.fill(std::span<std::uint64_t>(bulk));
    EXPECT_EQ(bulk, expected);
  }
  {
    Engine fresh = restored<Engine>(c["initial_state"]);
    const auto expected = double_list(c.at("double"));
    std::vector<double> bulk(expected.size());
    fresh.fill(std::span<double>(bulk));
    for (std::size_t i = 0; i < expected.size(); ++i) {
      EXPECT_EQ(bulk[i], expected[i]) << "double #" << i;  // bit-exact, not approximately
    }
  }
  if (c.contains("mixed")) {
    Engine fresh = restored<Engine>(c["initial_state"]);
    const auto& kinds = c.at("mixed_kinds");
    const auto& values = c["mixed"];
    ASSERT_EQ(kinds.size(), values.size());
    for (std::size_t i = 0; i < kinds.size(); ++i) {
      const auto kind = kinds[i].get<std::string>();
      if (kind == "u32") {
        EXPECT_EQ(fresh.next32(), values[i].get<std::uint64_t>()) << "mixed #" << i;
      } else if (kind == "u64") {
        EXPECT_EQ(fresh.next64(), values[i].get<std::uint64_t>()) << "mixed #" << i;
      } else if (kind == "double") {
        EXPECT_EQ(fresh.next_double(), values[i].get<double>()) << "mixed #" << i;
      } else {
        FAIL() << "unknown draw kind " << kind;
      }
    }
    EXPECT_EQ(fresh.state_json(), dump_json(c.at("state_after_mixed")));
  }
}

TEST(BitGeneratorsGolden, EveryCaseMatchesNumPy) {
  const auto golden = load_golden("bit_generators.jsonl");
  const std::map<std::string, std::function<void(const json&)>> runners = {
      {"PCG64", check_case<pcg64>},
      {"PCG64DXSM", check_case<pcg64_dxsm>},
      {"Philox", check_case<philox>},
      {"SFC64", check_case<sfc64>},
      {"MT19937", check_case<mt19937>}};
  std::map<std::string, int> seen;
  // Bulk fills and MT19937's regeneration have vector kernels: every level must match NumPy.
  for (const auto level : simd_levels()) {
    const simd_level_scope scope(level);
    SCOPED_TRACE(detail::to_string(level));
    for (const auto& c : golden.cases) {
      SCOPED_TRACE(describe_case(c));
      const auto name = c.at("bitgen").get<std::string>();
      const auto runner = runners.find(name);
      ASSERT_NE(runner, runners.end()) << "unknown bit generator " << name;
      runner->second(c);
      ++seen[name];
    }
  }
  // Every generator must actually have been exercised.
  for (const auto& [name, run] : runners) EXPECT_GE(seen[name], 10) << name;
}

TEST(BitGeneratorsGolden, CallsNumPyRefusesThrowInvalidArgument) {
  // tests/golden/bit_generator_errors.jsonl: MT19937 jump counts beyond NumPy's C long.
  const auto golden = load_golden("bit_generator_errors.jsonl");
  int checked = 0;
  for (const auto& c : golden.cases) {
    SCOPED_TRACE(describe_case(c));
    ASSERT_EQ(c.at("bitgen"), "MT19937");
    ASSERT_TRUE(c.contains("jumped"));
    const mt19937 engine = engine_from_seed<mt19937>(c.at("seed"));
    EXPECT_THROW((void)apply_jumped(engine, c["jumped"]), invalid_argument);
    ++checked;
  }
  EXPECT_GE(checked, 4);
}

TEST(BitGeneratorsGolden, StateTextIsWhatPythonJsonDumpsPrints) {
  const auto golden = load_golden("state_roundtrip.jsonl");
  int checked = 0;
  for (const auto& c : golden.cases) {
    SCOPED_TRACE(describe_case(c));
    const auto name = c.at("bitgen").get<std::string>();
    const auto text = c.at("json").get<std::string>();
    const auto raw = u64_list(c.at("next_raw"));
    auto check = [&](auto engine) {
      EXPECT_EQ(engine.state_json(), text);  // byte for byte
      for (const auto expected : raw) EXPECT_EQ(engine.next_raw(), expected);
      ++checked;
    };
    if (name == "PCG64") check(pcg64::from_state_json(text));
    if (name == "PCG64DXSM") check(pcg64_dxsm::from_state_json(text));
    if (name == "Philox") check(philox::from_state_json(text));
    if (name == "SFC64") check(sfc64::from_state_json(text));
    if (name == "MT19937") check(mt19937::from_state_json(text));
  }
  EXPECT_EQ(checked, static_cast<int>(golden.cases.size()));
}

}  // namespace
}  // namespace streamalloc::testing
