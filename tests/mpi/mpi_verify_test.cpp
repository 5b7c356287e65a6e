// verify(): the collective check. Deliberate conflicts between two ranks — one Philox ID, one
// jump index, one spawn path, aliasing spawn keys, overlapping advance blocks — must be reported
// on EVERY rank naming both ranks; clean runs report nothing; a failure on one rank during verify
// throws the same error on every rank instead of hanging. Tests only EXPECT (never ASSERT) before
// their last collective, so a failing rank never skips a collective the others enter.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <utility>

#include "mpi_test_support.hpp"
#include "streamalloc/campaign.hpp"
#include "streamalloc/stream_geometry.hpp"
#include "streamalloc/error.hpp"
#include "streamalloc/mpi/stream_allocator.hpp"
#include "streamalloc/mpi/verify.hpp"
#include "src/verify_hooks.hpp"  // the test-only hooks (lib/mpi/src)

namespace streamalloc::mpi {
namespace {

using testing::same_on_all_ranks;
using testing::world;

campaign make_campaign(strategy how, std::uint64_t seed = 987654321) {
  return campaign(seed_entropy(seed), how);
}

int last_rank() { return world().size() - 1; }
bool is(int rank) { return world().mpi_rank() == rank; }
// The two ranks that collide: 0 and the last (the same rank when there is only one).
bool colliding_rank() { return is(0) || is(last_rank()); }
bool two_ranks() { return world().size() > 1; }

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// True if the verdict holds a conflict of `kind` between ranks a and b (either order) whose
// message names both.
bool has_conflict(const verdict& v, claims::conflict_kind kind, int a, int b) {
  const std::set<std::uint32_t> wanted{static_cast<std::uint32_t>(a),
                                       static_cast<std::uint32_t>(b)};
  for (const claims::conflict& c : v.conflicts) {
    const std::set<std::uint32_t> owners{c.first.what.owner.value(), c.second.what.owner.value()};
    if (c.kind == kind && owners == wanted && contains(c.message, "rank " + std::to_string(a)) &&
        contains(c.message, "rank " + std::to_string(b))) {
      return true;
    }
  }
  return false;
}

// Every rank holds the identical verdict (compared through its full report).
void expect_identical_everywhere(const verdict& v) {
  EXPECT_TRUE(same_on_all_ranks(v.report())) << v.report();
  EXPECT_EQ(v.ranks, world().size());
}

// Ranks 0 and last collide as `kind`; at one rank the test is a clean run.
void expect_collision(const verdict& v, claims::conflict_kind kind) {
  expect_identical_everywhere(v);
  if (two_ranks()) {
    EXPECT_TRUE(has_conflict(v, kind, 0, last_rank())) << v.report();
    EXPECT_THROW(require_clean(v), reuse_error);
  } else {
    EXPECT_TRUE(v.clean()) << v.report();
  }
}

TEST(VerifyClean, StaticDynamicAndExplicitClaimsOfAllRanksAreClean) {
  allocator_options options;
  options.block_size = 16;
  options.dynamic_block_size = 64;
  options.resume_stream = stream_id(1000);
  stream_allocator alloc(world(), make_campaign(strategy::philox), job_index(0), options);
  for (std::uint64_t i = 0; i < 16; ++i) alloc.philox_static(i);
  for (int i = 0; i < 200; ++i) alloc.philox_dynamic();
  alloc.philox_explicit(stream_id(static_cast<std::uint64_t>(world().mpi_rank())));  // below R
  alloc.philox_at(alloc.origin().philox_key(job_index(0), stream_id(500 + world().rank().value())),
                  0);
  const verdict v = alloc.verify();
  EXPECT_TRUE(v.clean()) << v.report();
  EXPECT_EQ(v.streams, 218U * static_cast<std::uint64_t>(world().size()));
  expect_identical_everywhere(v);
  EXPECT_NO_THROW(require_clean(v));
}

TEST(VerifyClean, JumpedAndSpawnRunsAreClean) {
  stream_allocator jumped(world(), make_campaign(strategy::jumped), job_index(0));
  for (std::uint64_t i = 0; i < 50; ++i) jumped.jumped_static(i);
  for (int i = 0; i < 300; ++i) jumped.jumped_dynamic();
  const verdict vj = jumped.verify();
  EXPECT_TRUE(vj.clean()) << vj.report();
  expect_identical_everywhere(vj);

  stream_allocator spawned(world(), make_campaign(strategy::spawn), job_index(4));
  for (std::uint64_t i = 0; i < 200; ++i) spawned.spawn_rank(i);
  const verdict vs = spawned.verify();
  EXPECT_TRUE(vs.clean()) << vs.report();
  EXPECT_EQ(vs.streams, 200U * static_cast<std::uint64_t>(world().size()));
  expect_identical_everywhere(vs);
}

TEST(VerifyClean, ManyClaimsInRangesStayCheap) {
  allocator_options options;
  options.dynamic_block_size = 4096;
  stream_allocator alloc(world(), make_campaign(strategy::philox), job_index(0), options);
  for (int i = 0; i < 100000; ++i) alloc.philox_dynamic();
  const verdict v = alloc.verify();
  EXPECT_TRUE(v.clean()) << v.report();
  EXPECT_EQ(v.streams, 100000U * static_cast<std::uint64_t>(world().size()));
  EXPECT_LE(v.claims, 25U * static_cast<std::uint64_t>(world().size()));  // 100000 / 4096 blocks
}

TEST(VerifyConflicts, TwoRanksClaimOnePhiloxId) {
  stream_allocator alloc(world(), make_campaign(strategy::philox), job_index(0));
  if (colliding_rank()) {
    claim_options details;
    details.task = task_path{static_cast<std::uint64_t>(world().mpi_rank())};
    alloc.philox_explicit(stream_id(7), details);
  }
  alloc.philox_static(0);  // plus unrelated claims everywhere
  const verdict v = alloc.verify();
  expect_collision(v, claims::conflict_kind::same_descriptor);
  if (two_ranks()) {
    EXPECT_TRUE(contains(v.report(), "task (0,)")) << v.report();
    EXPECT_TRUE(contains(v.report(), "task (" + std::to_string(last_rank()) + ",)")) << v.report();
  }
}

TEST(VerifyConflicts, TwoRanksClaimOneJumpIndex) {
  stream_allocator alloc(world(), make_campaign(strategy::jumped), job_index(0));
  if (colliding_rank()) alloc.jumped_explicit(jump_index(3));
  alloc.jumped_static(0);
  const verdict v = alloc.verify();
  expect_collision(v, claims::conflict_kind::same_descriptor);
}

TEST(VerifyConflicts, TwoRanksClaimOneSpawnPath) {
  stream_allocator alloc(world(), make_campaign(strategy::spawn), job_index(1));
  if (colliding_rank()) alloc.spawn(task_path{5, 1});
  alloc.spawn_rank(0);
  const verdict v = alloc.verify();
  expect_collision(v, claims::conflict_kind::same_descriptor);
}

TEST(VerifyConflicts, AliasingSpawnKeysOnTwoRanks) {
  stream_allocator alloc(world(), make_campaign(strategy::spawn), job_index(0));
  // NumPy coerces 2^32 to the words [0, 1]: spawn keys (0, 2^32) and (0, 0, 1) are one stream.
  if (is(0)) alloc.spawn(task_path{std::uint64_t{1} << 32});
  if (is(last_rank()) && two_ranks()) alloc.spawn(task_path{0, 1});
  const verdict v = alloc.verify();
  expect_collision(v, claims::conflict_kind::same_identity);
}

TEST(VerifyConflicts, OverlappingAdvanceBlocksOfOneStream) {
  stream_allocator alloc(world(), make_campaign(strategy::jumped), job_index(0));
  // Rank r takes draws [600 r, 600 r + 1000) of the root stream: each overlaps the next rank's.
  claim_options details;
  details.budget = 1000;
  alloc.pcg64_block(600 * static_cast<uint128>(world().mpi_rank()), details);
  const verdict v = alloc.verify();
  expect_identical_everywhere(v);
  EXPECT_EQ(v.conflicts.size(), static_cast<std::size_t>(world().size() - 1)) << v.report();
  for (int r = 0; r + 1 < world().size(); ++r) {
    EXPECT_TRUE(has_conflict(v, claims::conflict_kind::overlap, r, r + 1)) << v.report();
  }
}

TEST(VerifyConflicts, AJumpedStreamAndAnAdvanceBlockOnIt) {
  stream_allocator alloc(world(), make_campaign(strategy::jumped), job_index(0));
  claim_options details;
  details.budget = 1000;
  if (is(0)) alloc.jumped_explicit(jump_index(0), details);  // the root stream, draws [0, 1000)
  if (is(last_rank()) && two_ranks()) alloc.pcg64_block(500, details);
  const verdict v = alloc.verify();
  expect_collision(v, claims::conflict_kind::overlap);
}

TEST(VerifyConflicts, AHandBuiltPhiloxStreamAliasesAnIdOnAnotherRank) {
  stream_allocator alloc(world(), make_campaign(strategy::philox), job_index(0));
  if (is(0)) alloc.philox_explicit(stream_id(9));
  if (is(last_rank()) && two_ranks())
    alloc.philox_at(alloc.origin().philox_key(job_index(0), stream_id(9)), 0);
  const verdict v = alloc.verify();
  expect_identical_everywhere(v);
  if (two_ranks()) {
    EXPECT_FALSE(v.clean()) << v.report();
    bool between = false;
    for (const claims::conflict& c : v.conflicts) {
      between = between || (c.first.what.owner != c.second.what.owner);
    }
    EXPECT_TRUE(between) << v.report();
  }
}

TEST(VerifyConflicts, RangesOverlappingAcrossABucketBoundary) {
  // Rank 0 holds IDs 65530..65545 as one range (crossing 2^16, where verify cuts ranges); the
  // last rank takes 65536 alone.
  stream_allocator alloc(world(), make_campaign(strategy::philox), job_index(0));
  if (is(0)) {
    for (std::uint64_t id = 65530; id <= 65545; ++id) alloc.philox_explicit(stream_id(id));
  }
  if (is(last_rank()) && two_ranks()) alloc.philox_explicit(stream_id(65536));
  const verdict v = alloc.verify();
  expect_collision(v, claims::conflict_kind::same_descriptor);
}

// Each rank's share of histories as one lockstep run: history h on ID / index / path base + h.
TEST(VerifyLockstep, SharesOfHistoriesAreCleanAndAnOverlapNamesTheStreamsOwnTasks) {
  const auto rank = static_cast<std::uint64_t>(world().mpi_rank());
  const auto details = [](std::uint64_t first_history) {
    return claim_options{task_path{first_history}, std::nullopt, task_layout::lockstep};
  };
  stream_allocator alloc(world(), make_campaign(strategy::philox), job_index(0));
  alloc.philox_range(stream_id(1000 + 70000 * rank), 70000, details(70000 * rank));  // spans 2^16
  const verdict clean = alloc.verify();
  EXPECT_TRUE(clean.clean()) << clean.report();
  EXPECT_EQ(clean.claims, static_cast<std::uint64_t>(world().size()));
  expect_identical_everywhere(clean);

  // The last rank re-runs histories 5..9 of rank 0's share on the same IDs.
  if (is(last_rank()) && two_ranks()) alloc.philox_range(stream_id(1005), 5, details(5));
  const verdict v = alloc.verify();
  expect_collision(v, claims::conflict_kind::same_descriptor);
  if (two_ranks() && !v.conflicts.empty()) {
    // The run is reported whole (verify() no longer cuts runs at multiples of 2^16), each
    // stream with its own task.
    EXPECT_TRUE(contains(v.conflicts[0].message,
                         "philox stream IDs 1000 to 70999 (rank 0, tasks (0,) to (69999,))"))
        << v.report();
    EXPECT_TRUE(contains(v.conflicts[0].message, "tasks (5,) to (9,)")) << v.report();
  }
}

TEST(VerifyLockstep, JumpedRunsAreCheckedAsRunsAndStillMeetHandBuiltStreams) {
  const auto rank = static_cast<std::uint64_t>(world().mpi_rank());
  stream_allocator alloc(world(), make_campaign(strategy::jumped), job_index(0));
  alloc.jumped_range(jump_index(200000 * rank), 200000,
                     {task_path{200000 * rank}, std::nullopt, task_layout::lockstep});
  const verdict clean = alloc.verify();
  EXPECT_TRUE(clean.clean()) << clean.report();
  expect_identical_everywhere(clean);
  // A hand-built copy of jump index 123456 (rank 0's) on the last rank: the runs must now be
  // looked at stream by stream on the cycle, and the alias found.
  if (is(last_rank()) && two_ranks()) {
    alloc.pcg64_at(alloc.origin().jumped_stream(job_index(0), jump_index(123456)));
  }
  const verdict v = alloc.verify();
  expect_identical_everywhere(v);
  if (two_ranks()) {
    EXPECT_FALSE(v.clean()) << v.report();
    bool named = false;
    for (const claims::conflict& c : v.conflicts)
      named = named || contains(c.message, "jump index 123456");
    EXPECT_TRUE(named) << v.report();
  }
}

TEST(VerifyLockstep, SpawnRunsMeetTheirNumpyAliasesOnOtherRanks) {
  stream_allocator alloc(world(), make_campaign(strategy::spawn), job_index(0));
  // Paths (0, k) for k < 100000 on rank 0; (k * 2^32,) is the words [0, 0, k], i.e. (0, k).
  if (is(0)) alloc.spawn_range(task_path{0}, 0, 100000);
  if (is(last_rank()) && two_ranks()) alloc.spawn(task_path{std::uint64_t{77777} << 32});
  const verdict v = alloc.verify();
  expect_collision(v, claims::conflict_kind::same_identity);
}

// More pieces than one analysis batch (2^16) on a rank: buckets are checked a batch at a time,
// and a conflict in the last bucket is still found, exactly once.
TEST(VerifyBatches, ManyFragmentedClaimsAndOneReuseAtTheEnd) {
  constexpr std::uint64_t n = 150000;
  const auto rank = static_cast<std::uint64_t>(world().mpi_rank());
  stream_allocator alloc(world(), make_campaign(strategy::philox), job_index(0));
  for (std::uint64_t i = 0; i < n; ++i) alloc.philox_explicit(stream_id(2 * (rank * n + i)));
  if (is(last_rank()) && two_ranks()) alloc.philox_explicit(stream_id(2 * (n - 1)));
  const verdict v = alloc.verify();
  expect_collision(v, claims::conflict_kind::same_descriptor);
  EXPECT_EQ(v.conflicts.size(), two_ranks() ? 1U : 0U) << v.report();
  EXPECT_EQ(v.claims, n * static_cast<std::uint64_t>(world().size()) + (two_ranks() ? 1U : 0U));
}

// A hand-built stream whose draws cross a 2^64-draw chunk of the cycle is sent to both chunks'
// buckets; where both are checked together it must not "conflict" with its own copy, and a
// stream starting inside it on another rank must be found.
TEST(VerifyBatches, AStreamInTwoBucketsIsOneStream) {
  stream_allocator alloc(world(), make_campaign(strategy::jumped), job_index(0));
  const pcg64& root = alloc.origin().jumped_root();
  const uint128 at = pcg64_cycle_offset(root.lcg_state(), root.lcg_increment());
  // Draws [offset, offset + 1000) of the root stream straddle a multiple of 2^64 on the cycle.
  const uint128 offset = (uint128{1} << 64) - (at & ~std::uint64_t{0}) - 10;
  claim_options details;
  details.budget = 1000;
  if (is(0)) alloc.pcg64_block(offset, details);
  const verdict clean = alloc.verify();
  EXPECT_TRUE(clean.clean()) << clean.report();
  if (is(last_rank()) && two_ranks()) alloc.pcg64_block(offset + 500, details);
  const verdict v = alloc.verify();
  expect_collision(v, claims::conflict_kind::overlap);
}

TEST(VerifyConflicts, OverBudgetIsReportedOnEveryRank) {
  stream_allocator alloc(world(), make_campaign(strategy::philox), job_index(0));
  claim_options details;
  details.budget = 100;
  const auto taken = alloc.philox_static(0, details);
  if (is(last_rank())) alloc.record_use(taken.record, 101);
  const verdict v = alloc.verify();
  expect_identical_everywhere(v);
  EXPECT_EQ(v.conflicts.size(), 1U) << v.report();
  EXPECT_TRUE(has_conflict(v, claims::conflict_kind::over_budget, last_rank(), last_rank()))
      << v.report();
}

TEST(VerifyFailures, AnErrorOnOneRankThrowsTheSameErrorOnEveryRank) {
  stream_allocator alloc(world(), make_campaign(strategy::philox), job_index(0));
  alloc.philox_static(0);
  detail::verify_hooks hooks;
  hooks.fail_on_rank = last_rank();
  std::string message;
  try {
    detail::verify(world(), alloc.registry(), hooks);
    ADD_FAILURE() << "expected mpi_error on every rank";
  } catch (const mpi_error& e) {
    message = e.what();
  }
  EXPECT_TRUE(contains(message, "rank " + std::to_string(last_rank()) +
                                    ": verify: failure "
                                    "injected"))
      << message;
  EXPECT_TRUE(contains(message, "failed on 1 of")) << message;
  EXPECT_TRUE(same_on_all_ranks(message));
  // No rank is left inside a collective: the next verify works normally.
  const verdict v = alloc.verify();
  EXPECT_TRUE(v.clean()) << v.report();
}

TEST(VerifyFailures, RanksOfDifferentCampaignsAreRefusedEverywhere) {
  // The last rank uses another root seed (at one rank, every rank agrees: a clean run).
  const std::uint64_t seed = is(last_rank()) && two_ranks() ? 1 : 987654321;
  stream_allocator alloc(world(), make_campaign(strategy::philox, seed), job_index(0));
  alloc.philox_static(0);
  bool refused = false;
  try {
    const verdict v = alloc.verify();
    EXPECT_TRUE(v.clean());
  } catch (const invalid_argument& e) {
    refused = true;
    EXPECT_TRUE(contains(e.what(), "different campaigns")) << e.what();
  }
  EXPECT_EQ(refused, two_ranks());
  EXPECT_TRUE(testing::all_ranks(refused == two_ranks()));
}

// Ranks holding consecutive stretches of streams (the usual layout: rank 0 from stream 0, whose
// claim also probes the campaign's root pool, a span of another family that sorts after every
// key) verify in place: no span moves, and the verdict is the sweep of all spans. Interleaved
// streams must move.
bool exchanged_by_verify(const stream_allocator& alloc, verdict& v) {
  bool exchanged = true;
  detail::verify_hooks hooks;
  hooks.exchanged = &exchanged;
  v = detail::verify(world(), alloc.registry(), hooks);
  return exchanged;
}

TEST(VerifyPlan, RanksHoldingConsecutiveStreamsExchangeNothing) {
  const auto rank = static_cast<std::uint64_t>(world().mpi_rank());
  const auto ranks = static_cast<std::uint64_t>(world().size());
  for (const strategy how : {strategy::philox, strategy::jumped}) {
    stream_allocator alloc(world(), make_campaign(how), job_index(0));
    for (std::uint64_t k = 0; k < 300; ++k) {
      const std::uint64_t id = 1000 * rank + 2 * k;  // never adjacent: one record each
      if (how == strategy::philox) {
        alloc.philox_explicit(stream_id(id));
      } else {
        alloc.jumped_explicit(jump_index(id));
      }
    }
    verdict v;
    EXPECT_FALSE(exchanged_by_verify(alloc, v));
    EXPECT_TRUE(v.clean()) << v.report();
    EXPECT_EQ(v.claims, 300 * ranks);
    expect_identical_everywhere(v);
  }
}

TEST(VerifyPlan, InterleavedStreamsMoveAndTheirConflictsAreFound) {
  const auto rank = static_cast<std::uint64_t>(world().mpi_rank());
  const auto ranks = static_cast<std::uint64_t>(world().size());
  stream_allocator alloc(world(), make_campaign(strategy::philox), job_index(0));
  for (std::uint64_t k = 0; k < 300; ++k) {
    alloc.philox_explicit(stream_id(2 * (k * ranks + rank)));
  }
  if (is(last_rank()) && two_ranks()) alloc.philox_explicit(stream_id(0));  // rank 0's stream
  verdict v;
  EXPECT_EQ(exchanged_by_verify(alloc, v), two_ranks());
  expect_collision(v, claims::conflict_kind::same_descriptor);
}

TEST(VerifyPlan, ConflictsAtTheRankBoundariesAreFoundInPlace) {
  // Consecutive stretches that meet: each rank's first stream is the previous rank's last. In
  // the key family the ranks stay in order, so nothing moves, and the holder carried from the
  // lower ranks' summaries finds every reuse across a boundary.
  const auto rank = static_cast<std::uint64_t>(world().mpi_rank());
  stream_allocator alloc(world(), make_campaign(strategy::philox), job_index(0));
  if (rank > 0) alloc.philox_explicit(stream_id(1000 * (rank - 1) + 2 * 99));
  for (std::uint64_t k = 0; k < 100; ++k) alloc.philox_explicit(stream_id(1000 * rank + 2 * k));
  verdict v;
  const bool exchanged = exchanged_by_verify(alloc, v);
  expect_identical_everywhere(v);
  EXPECT_FALSE(exchanged);
  EXPECT_EQ(v.conflicts.size(), static_cast<std::size_t>(world().size() - 1)) << v.report();
  for (int r = 1; r < world().size(); ++r) {
    EXPECT_TRUE(has_conflict(v, claims::conflict_kind::same_descriptor, r - 1, r)) << v.report();
  }
}

}  // namespace
}  // namespace streamalloc::mpi
