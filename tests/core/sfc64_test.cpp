// SFC64 specifics: its state dict (four words incl. the counter) and validation. Outputs are
// checked against NumPy in bit_generators_golden_test.cpp and numpy_known_answer_test.cpp.
#include "streamalloc/sfc64.hpp"

#include <gtest/gtest.h>

#include "streamalloc/json.hpp"
#include "streamalloc/error.hpp"

namespace streamalloc {
namespace {

TEST(Sfc64, CounterIsTheFourthStateWordAndCountsDraws) {
  sfc64 engine{seed_sequence(seed_entropy(0))};
  const auto before = engine.words()[3];
  for (int i = 0; i < 10; ++i) (void)engine.next64();
  EXPECT_EQ(engine.words()[3], before + 10);
  // Seeding discards 12 outputs after starting the counter at 1.
  EXPECT_EQ(before, 13U);
}

TEST(Sfc64, StateDictListsTheFourWords) {
  sfc64 engine{seed_sequence(seed_entropy(6))};
  (void)engine.next32();
  const auto state = parse_json(engine.state_json(), "state");
  const auto words = engine.words();
  for (std::size_t i = 0; i < 4; ++i)
    EXPECT_EQ(state["state"]["state"][i].get<std::uint64_t>(), words[i]);
  EXPECT_EQ(state["has_uint32"], 1);
  EXPECT_EQ(state["uinteger"].get<std::uint32_t>(), engine.uinteger());
}

TEST(Sfc64, MalformedStatesAreRefused) {
  sfc64 engine{seed_sequence(seed_entropy(1))};
  const std::string head = R"({"bit_generator": "SFC64", "state": {"state": )";
  const std::string tail = R"(}, "has_uint32": 0, "uinteger": 0})";
  for (const char* words : {"[1, 2, 3]", "[1, 2, 3, 4, 5]", "[1, 2, 3, -4]",
                            "[1, 2, 3, 18446744073709551616]", "5", "[1, 2, 3, \"4\"]"}) {
    EXPECT_THROW(engine.set_state_json(head + words + tail), invalid_argument) << words;
  }
  EXPECT_NO_THROW(engine.set_state_json(head + "[1, 2, 3, 4]" + tail));
  EXPECT_EQ(engine.words(), (std::array<std::uint64_t, 4>{1, 2, 3, 4}));
}

}  // namespace
}  // namespace streamalloc
