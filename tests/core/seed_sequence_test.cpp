// seed_sequence against NumPy's SeedSequence (tests/golden/seed_sequence.jsonl, from NumPy),
// plus the aliasing facts and bad-input handling the coordination layer builds on.
#include "streamalloc/seed_sequence.hpp"

#include <gtest/gtest.h>

#include <chrono>

#include "streamalloc/json.hpp"
#include "streamalloc/error.hpp"
#include "support/golden.hpp"

namespace streamalloc::testing {
namespace {

TEST(SeedSequenceGolden, PoolsStatesAndChildrenMatchNumPy) {
  const auto golden = load_golden("seed_sequence.jsonl");
  for (const auto& c : golden.cases) {
    SCOPED_TRACE(describe_case(c));
    seed_sequence seq(entropy_from_json(c.at("entropy")), spawn_key_from_json(c.at("spawn_key")),
                      c.at("pool_size").get<std::size_t>());
    EXPECT_EQ(seq.pool(), u32_list(c.at("pool")));
    const auto expected32 = u32_list(c.at("state_u32"));
    EXPECT_EQ(seq.generate_state32(expected32.size()), expected32);
    const auto expected64 = u64_list(c.at("state_u64"));
    EXPECT_EQ(seq.generate_state64(expected64.size()), expected64);

    const auto& spawned = c.at("spawn");
    const auto children = seq.spawn(spawned.size());
    ASSERT_EQ(children.size(), spawned.size());
    for (std::size_t i = 0; i < children.size(); ++i) {
      EXPECT_EQ(children[i].spawn_key(), spawn_key_from_json(spawned[i].at("spawn_key")));
      EXPECT_EQ(children[i].pool(), u32_list(spawned[i].at("pool")));
      EXPECT_EQ(children[i].pool_size(), seq.pool_size());
      EXPECT_EQ(children[i].entropy(), seq.entropy());
    }
    EXPECT_EQ(seq.n_children_spawned(), c.at("n_children_spawned_after").get<std::uint64_t>());
  }
  EXPECT_GE(golden.cases.size(), 40U);
}

TEST(SeedSequence, SpawnContinuesWhereTheLastSpawnStopped) {
  seed_sequence all(seed_entropy(7));
  const auto five = all.spawn(5);
  seed_sequence split(seed_entropy(7));
  auto first = split.spawn(2);
  const auto rest = split.spawn(3);
  first.insert(first.end(), rest.begin(), rest.end());
  ASSERT_EQ(first.size(), five.size());
  for (std::size_t i = 0; i < five.size(); ++i) EXPECT_EQ(first[i], five[i]);
  EXPECT_EQ(split.n_children_spawned(), 5U);
}

TEST(SeedSequence, ChildIsSpawnWithoutTheCounter) {
  seed_sequence parent(seed_entropy(99), {big_uint(3)});
  const auto child = parent.child(4);
  auto spawned = parent.spawn(5);
  EXPECT_EQ(child, spawned[4]);
  EXPECT_EQ(child.spawn_key(), (std::vector<big_uint>{big_uint(3), big_uint(4)}));
}

TEST(SeedSequence, GenerateStateIsAPureFunctionOfThePool) {
  const seed_sequence seq(seed_entropy(5));
  EXPECT_EQ(seq.generate_state32(8), seq.generate_state32(8));
  // The uint64 form is the uint32 stream read as little-endian pairs.
  const auto words = seq.generate_state32(8);
  const auto pairs = seq.generate_state64(4);
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(pairs[i], (static_cast<std::uint64_t>(words[2 * i + 1]) << 32) | words[2 * i]);
  }
}

TEST(SeedSequence, NumPyAliasesGiveTheSamePool) {
  // Entropy words beyond the given ones are mixed in as zeros, so trailing zero words are
  // invisible (NumPy: SeedSequence(0).pool == SeedSequence([0, 0]).pool); an integer is its
  // 32-bit words, and lists concatenate.
  EXPECT_TRUE(seed_sequence(seed_entropy(0))
                  .same_pool(seed_sequence(seed_entropy::list({big_uint(0), big_uint(0)}))));
  EXPECT_TRUE(seed_sequence(seed_entropy(big_uint(1) << 32))
                  .same_pool(seed_sequence(seed_entropy::list({big_uint(0), big_uint(1)}))));
  EXPECT_TRUE(seed_sequence(seed_entropy(0), {big_uint(1) << 32})
                  .same_pool(seed_sequence(seed_entropy(0), {big_uint(0), big_uint(1)})));
  EXPECT_FALSE(seed_sequence(seed_entropy(1)).same_pool(seed_sequence(seed_entropy(2))));
}

TEST(SeedSequence, EntropyParsingAcceptsNumPyForms) {
  EXPECT_EQ(seed_entropy::parse("12345", "--seed"), seed_entropy(12345));
  EXPECT_EQ(seed_entropy::parse("0x10", "--seed"), seed_entropy(16));
  EXPECT_EQ(seed_entropy::parse("1, 2,0x3", "--seed"), seed_entropy::list({1, 2, 3}));
  EXPECT_TRUE(seed_entropy::parse("5", "--seed").words() == seed_entropy::list({5}).words());
  EXPECT_FALSE(seed_entropy::parse("5", "--seed").is_list());
  EXPECT_EQ(seed_entropy::list({1, 2}).to_string(), "[1, 2]");
}

TEST(SeedSequence, BadInputIsRejectedWithTheValueNamed) {
  for (const char* bad : {"-1", "", "abc", "1.5", "1,,2", "1,-2", "0x"}) {
    try {
      (void)seed_entropy::parse(bad, "--seed");
      ADD_FAILURE() << "accepted '" << bad << "'";
    } catch (const invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find("--seed"), std::string::npos) << e.what();
    }
  }
  try {
    seed_sequence bad(seed_entropy(1), {}, 3);
    FAIL() << "accepted pool_size 3";
  } catch (const invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("3"), std::string::npos) << e.what();
  }
  EXPECT_THROW(seed_sequence(seed_entropy(1), {}, seed_sequence::max_pool_size + 1),
               invalid_argument);
}

TEST(SeedSequence, PoolSizeIsCappedWhereMixingIsStillCheap) {
  // Mixing is quadratic in the pool size: 2^16 (the old cap) took seconds per SeedSequence,
  // and any file could name it (fuzz_snapshot_binary's timeout).
  EXPECT_EQ(seed_sequence::max_pool_size, 1024U);
  const auto start = std::chrono::steady_clock::now();
  const seed_sequence largest(seed_entropy(1), {}, seed_sequence::max_pool_size);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  EXPECT_EQ(largest.pool_size(), 1024U);
  EXPECT_THROW(seed_sequence(seed_entropy(1), {}, 15824), invalid_argument);
}

TEST(SeedSequence, OsEntropyIsRecordedSoTheRunCanBeReproduced) {
  const seed_sequence fresh;
  const seed_sequence again(fresh.entropy());
  EXPECT_EQ(fresh.pool(), again.pool());
  EXPECT_LE(fresh.entropy().values().front().bit_length(), 128U);
  EXPECT_FALSE(fresh.same_pool(seed_sequence()));  // two draws of 128 bits do not collide
}

TEST(SeedSequence, StateJsonHasNumPysFields) {
  seed_sequence seq(seed_entropy::list({big_uint(1) << 70, 5}), {big_uint(2)}, 8);
  (void)seq.spawn(2);
  const auto state = parse_json(seq.state_json(), "state");
  EXPECT_EQ(dump_json(state["entropy"]), "[1180591620717411303424, 5]");
  EXPECT_EQ(dump_json(state["spawn_key"]), "[2]");
  EXPECT_EQ(state["pool_size"], 8);
  EXPECT_EQ(state["n_children_spawned"], 2);
}

}  // namespace
}  // namespace streamalloc::testing
