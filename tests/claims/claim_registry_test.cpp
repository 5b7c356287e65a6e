// claim_registry, serially: a rank's own reuse and NumPy aliases are refused at claim time —
// runs of any length checked without enumerating their streams — runs join into one record,
// and its tables are exact copies in the registry's order (the order verify() numbers claims
// in, and find_conflicts sorts them by).
#include "streamalloc/claims/claim_registry.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "claim_fixtures.hpp"
#include "streamalloc/claims/claim_table.hpp"
#include "streamalloc/claims/identity_sweep.hpp"
#include "streamalloc/error.hpp"

namespace streamalloc::claims {
namespace {

using streamalloc::testing::philox_ids;

constexpr std::uint64_t two32 = std::uint64_t{1} << 32;

claim spawn(std::uint64_t job, std::vector<std::uint64_t> prefix, std::uint64_t first,
            std::uint64_t count) {
  claim c = philox_ids(first, count, 0);
  c.kind = claim_kind::spawn_path;
  c.job = job_index(job);
  c.prefix = std::move(prefix);
  return c;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Expects reuse_error naming `fragment`.
template <class Fn>
void expect_reuse(Fn&& fn, const std::string& fragment) {
  try {
    fn();
    ADD_FAILURE() << "expected reuse_error";
  } catch (const reuse_error& e) {
    EXPECT_TRUE(contains(e.what(), fragment)) << e.what();
  }
}

class RegistryTest : public ::testing::Test {
 protected:
  campaign origin{seed_entropy(4321), strategy::spawn};
  claim_registry registry{origin, rank_id(0)};
};

TEST_F(RegistryTest, SpawnPathsWithEqualWordsAreOneStream) {
  registry.add(spawn(0, {}, two32, 1));  // words [0, 0, 1]
  expect_reuse([&] { registry.add(spawn(0, {0}, 1, 1)); }, "SeedSequence pool equals");
  EXPECT_NO_THROW(registry.add(spawn(0, {0}, 2, 1)));
  // Jobs are spawn key words too: job 2^32 (words [0, 1]) against job 0, prefix (1,).
  registry.add(spawn(two32, {}, 7, 1));
  expect_reuse([&] { registry.add(spawn(0, {1}, 7, 1)); }, "spawn path (4294967296, 7)");
  EXPECT_NO_THROW(registry.add(spawn(0, {1}, 8, 1)));
}

TEST_F(RegistryTest, LongTwoWordRunsAreCheckedWithoutEnumeratingThem) {
  // 2^40 components from 2^32 * 5: every pool [0, low, high] with high in [5, 5 + 2^8).
  registry.add(spawn(0, {}, 5 * two32, std::uint64_t{1} << 40));
  expect_reuse([&] { registry.add(spawn(0, {12345}, 100, 1)); }, "pool equals");  // high 100
  EXPECT_NO_THROW(registry.add(spawn(0, {12345}, 4, 1)));        // high 4: before the run
  EXPECT_NO_THROW(registry.add(spawn(0, {12345}, 5 + 256, 1)));  // past its end
  // One-word runs held, then a two-word run reaching into them.
  registry.add(spawn(0, {99}, 1000, 50));  // pools [0, 99, 1000..1049]
  registry.add(spawn(0, {77}, 0, 3));
  EXPECT_NO_THROW(registry.add(spawn(0, {}, (std::uint64_t{1049} << 32) + 100, 20)));
  expect_reuse([&] { registry.add(spawn(0, {}, (std::uint64_t{1049} << 32) + 80, 20)); },
               "spawn paths (0, 99, k) for k = 1000 to 1049");
}

TEST_F(RegistryTest, ConsecutiveClaimsJoinAndFragmentedOnesStayApart) {
  const campaign philox_campaign(seed_entropy(1), strategy::philox);
  claim_registry ids(philox_campaign, rank_id(0));
  for (std::uint64_t i = 0; i < 10000; ++i) ids.add(philox_ids(i, 1, 0));
  EXPECT_EQ(ids.records(), 1U);
  for (std::uint64_t i = 0; i < 10000; ++i) ids.add(philox_ids(20000 + 2 * i, 1, 0));
  EXPECT_EQ(ids.records(), 10001U);
  // Out of order, into the gaps: each gap filled joins its neighbours.
  for (std::uint64_t i = 9999; i-- > 0;) ids.add(philox_ids(20001 + 2 * i, 1, 0));
  EXPECT_EQ(ids.records(), 2U);
  EXPECT_EQ(ids.streams(), 29999U);
  expect_reuse([&] { ids.add(philox_ids(25000, 1, 0)); }, "philox stream IDs 20000 to 39998");
}

TEST_F(RegistryTest, TablesAreExactCopiesInTheRegistrysOrder) {
  const campaign philox_campaign(seed_entropy(1), strategy::philox);
  claim_registry mixed(philox_campaign, rank_id(3));
  for (std::uint64_t i = 0; i < 600; ++i) {
    claim c = philox_ids(3 * i, 1 + i % 2, 3);
    c.job = job_index(i % 3);
    c.task = task_path{i};
    if (i % 5 == 0) c.budget = 1000 + i;
    mixed.add(c);
    claim p = philox_ids(0, 1, 3);
    p.kind = claim_kind::philox_position;
    p.job = job_index(2 - i % 3);
    p.sequence = 1000 + i % 7;
    p.position = 1 + i;
    mixed.add(p);
  }
  const auto snapshot = mixed.snapshot();
  const claim_table table = mixed.table();
  ASSERT_EQ(table.size(), snapshot.size());
  EXPECT_EQ(table.streams(), mixed.streams());
  for (std::size_t i = 0; i < snapshot.size(); ++i) ASSERT_EQ(table[i], snapshot[i]) << i;
  std::vector<claim> visited;
  table.for_each([&](const claim& c) { visited.push_back(c); });
  EXPECT_EQ(visited, snapshot);
  std::size_t without_tasks = 0;
  table.for_each([&](const claim& c) { without_tasks += c.task ? 0U : 1U; }, false);
  EXPECT_EQ(without_tasks, snapshot.size());
  // The order find_conflicts numbers claims in, and verify() within a rank.
  EXPECT_TRUE(std::is_sorted(snapshot.begin(), snapshot.end(), [](const claim& a, const claim& b) {
    return sweep::compare_registry_order(a, b) < 0;
  }));
  EXPECT_THROW((void)table[snapshot.size()], invalid_argument);
  // A table does not change when the registry does.
  mixed.add(philox_ids(999999, 1, 3));
  EXPECT_EQ(table.size(), snapshot.size());
}

}  // namespace
}  // namespace streamalloc::claims
