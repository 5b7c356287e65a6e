// stream_allocator and claim_registry: the static and dynamic layouts, distinctness across ranks
// and threads, liveness while another rank computes, the rank's own reuse refused at once, and
// resuming a campaign.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "mpi_test_support.hpp"
#include "streamalloc/campaign.hpp"
#include "streamalloc/error.hpp"
#include "streamalloc/claims/claim_registry.hpp"
#include "streamalloc/mpi/stream_allocator.hpp"

namespace streamalloc::mpi {
namespace {

using testing::gather_all;
using testing::world;

campaign make_campaign(strategy how) { return campaign(seed_entropy(20240611), how); }

std::uint64_t my_rank() { return static_cast<std::uint64_t>(world().mpi_rank()); }
std::uint64_t ranks() { return static_cast<std::uint64_t>(world().size()); }

bool all_distinct(std::vector<std::uint64_t> ids) {
  std::sort(ids.begin(), ids.end());
  return std::adjacent_find(ids.begin(), ids.end()) == ids.end();
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The first draws of two generators agree (engines are compared by output, which is what
// matters, whatever their operator==).
template <class Engine>
bool same_draws(Engine a, Engine b) {
  for (int i = 0; i < 8; ++i) {
    if (a() != b()) return false;
  }
  return true;
}

TEST(StaticLayout, PhiloxIsBlockPerRankAfterTheResumePoint) {
  allocator_options options;
  options.block_size = 10;
  options.resume_stream = stream_id(100);
  stream_allocator alloc(world(), make_campaign(strategy::philox), job_index(0), options);
  EXPECT_EQ(alloc.static_base(), 100U);
  EXPECT_EQ(alloc.dynamic_base(), 100U + 10U * ranks());
  for (std::uint64_t i = 0; i < 10; ++i) {
    const auto taken = alloc.philox_static(i);
    const std::uint64_t expected = 100 + my_rank() * 10 + i;
    EXPECT_EQ(taken.record.first, expected);
    EXPECT_EQ(taken.record.owner, world().rank());
    EXPECT_TRUE(
        same_draws(taken.stream, alloc.origin().philox_stream(job_index(0), stream_id(expected))));
  }
  EXPECT_THROW(alloc.philox_static(10), invalid_argument);  // another rank's block
  EXPECT_EQ(alloc.registry().records(), 1U);                // ten IDs, one range record
  EXPECT_EQ(alloc.registry().streams(), 10U);
}

TEST(StaticLayout, JumpedAndSpawnUseTheirClosedForms) {
  allocator_options options;
  options.block_size = 4;
  options.resume_jump = jump_index(8);
  stream_allocator jumped(world(), make_campaign(strategy::jumped), job_index(2), options);
  const auto j = jumped.jumped_static(3);
  EXPECT_EQ(j.record.kind, claims::claim_kind::jump_index);
  EXPECT_EQ(j.record.first, 8 + my_rank() * 4 + 3);
  EXPECT_TRUE(j.stream ==
              jumped.origin().jumped_stream(job_index(2), jump_index(8 + my_rank() * 4 + 3)));

  stream_allocator spawned(world(), make_campaign(strategy::spawn), job_index(2), options);
  const auto s = spawned.spawn_rank(5);
  EXPECT_EQ(s.record.prefix, std::vector<std::uint64_t>{my_rank()});
  EXPECT_EQ(s.record.first, 5U);
  EXPECT_TRUE(s.stream == spawned.origin().spawn_sequence(job_index(2), task_path{my_rank(), 5}));
  const auto t = spawned.spawn(task_path{1000 + my_rank(), 2, 7});  // task-rooted
  EXPECT_EQ(t.record.prefix, (std::vector<std::uint64_t>{1000 + my_rank(), 2}));
  EXPECT_TRUE(t.stream ==
              spawned.origin().spawn_sequence(job_index(2), task_path{1000 + my_rank(), 2, 7}));
  EXPECT_THROW(spawned.spawn(task_path{}), invalid_argument);
}

TEST(StaticLayout, MethodsOfAnotherStrategyAreRefused) {
  stream_allocator alloc(world(), make_campaign(strategy::philox), job_index(0));
  EXPECT_THROW(alloc.jumped_static(0), invalid_argument);
  EXPECT_THROW(alloc.spawn_rank(0), invalid_argument);
  EXPECT_NO_THROW(alloc.philox_static(0));
}

std::vector<std::uint64_t> take_dynamic(stream_allocator& alloc, int n) {
  std::vector<std::uint64_t> ids;
  for (int i = 0; i < n; ++i) ids.push_back(alloc.philox_dynamic().record.first);
  return ids;
}

TEST(DynamicPartitioned, BlocksFollowTheClosedFormAndNeverCollide) {
  allocator_options options;
  options.block_size = 8;
  options.dynamic_block_size = 100;
  stream_allocator alloc(world(), make_campaign(strategy::philox), job_index(0), options);
  const auto mine = take_dynamic(alloc, 250);  // three blocks: 100 + 100 + 50
  // Rank r's k-th block starts at dynamic_base + (k*P + r)*D.
  EXPECT_EQ(mine.front(), alloc.dynamic_base() + my_rank() * 100);
  EXPECT_EQ(mine[100], alloc.dynamic_base() + (ranks() + my_rank()) * 100);
  EXPECT_EQ(mine[200], alloc.dynamic_base() + (2 * ranks() + my_rank()) * 100);
  const auto all = gather_all(mine);
  EXPECT_EQ(all.size(), 250 * ranks());
  EXPECT_TRUE(all_distinct(all));
  EXPECT_GE(*std::min_element(all.begin(), all.end()), alloc.dynamic_base());
  // One record per block; with one rank the blocks are adjacent and coalesce.
  EXPECT_EQ(alloc.registry().records(), ranks() == 1 ? 1U : 3U);
}

TEST(DynamicWindow, BlocksFromTheSharedCounterNeverCollide) {
  allocator_options options;
  options.block_size = 8;
  options.dynamic_block_size = 64;
  options.dynamic = dynamic_policy::window;
  std::vector<std::uint64_t> mine;
  {
    stream_allocator alloc(world(), make_campaign(strategy::philox), job_index(0), options);
    mine = take_dynamic(alloc, 300);
    for (const auto id : mine) EXPECT_GE(id, alloc.dynamic_base());
  }  // collective destruction frees the window
  const auto all = gather_all(mine);
  EXPECT_EQ(all.size(), 300 * ranks());
  EXPECT_TRUE(all_distinct(all));
  // The window hands out dense blocks: all blocks reserved lie below P * ceil(300/64) blocks.
  const std::uint64_t blocks = ranks() * ((300 + 63) / 64);
  EXPECT_LT(*std::max_element(all.begin(), all.end()), 8 * ranks() + blocks * 64);
}

void threads_claim_distinct(dynamic_policy policy) {
  if (policy == dynamic_policy::window && world().thread_level() < MPI_THREAD_SERIALIZED) {
    GTEST_SKIP() << "MPI provides no thread support beyond FUNNELED";  // same on every rank
  }
  allocator_options options;
  options.block_size = 0;
  options.dynamic_block_size = 32;  // small blocks: many concurrent reservations
  options.dynamic = policy;
  std::vector<std::uint64_t> mine;
  {
    stream_allocator alloc(world(), make_campaign(strategy::philox), job_index(0), options);
    std::mutex mutex;
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&] {
        std::vector<std::uint64_t> local;
        for (int i = 0; i < 500; ++i) {
          const auto taken = alloc.philox_dynamic();
          local.push_back(taken.record.first);
        }
        const std::lock_guard lock(mutex);
        mine.insert(mine.end(), local.begin(), local.end());
      });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(alloc.registry().streams(), 2000U);
  }
  EXPECT_EQ(mine.size(), 2000U);
  const auto all = gather_all(mine);
  EXPECT_EQ(all.size(), 2000 * ranks());
  EXPECT_TRUE(all_distinct(all));
}

TEST(DynamicThreads, FourThreadsPerRankPartitioned) {
  threads_claim_distinct(dynamic_policy::partitioned);
}

TEST(DynamicThreads, FourThreadsPerRankWindow) { threads_claim_distinct(dynamic_policy::window); }

TEST(DynamicPartitioned, KeepsWorkingWhileRankZeroComputesWithoutMpi) {
  allocator_options options;
  options.dynamic_block_size = 16;  // many reservations during rank 0's compute phase
  stream_allocator alloc(world(), make_campaign(strategy::philox), job_index(0), options);
  std::vector<std::uint64_t> mine;
  double seconds = 0;
  if (world().mpi_rank() == 0) {
    // A compute phase: no MPI call for 2 s. Other ranks must not wait for it to allocate.
    std::this_thread::sleep_for(std::chrono::seconds(2));
    mine = take_dynamic(alloc, 10);
  } else {
    const auto began = std::chrono::steady_clock::now();
    mine = take_dynamic(alloc, 1000);
    seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
  }
  // Liveness, not speed: allocation that waited for rank 0 would take the 2 s of its compute
  // phase; 1000 local allocations take microseconds, so 1 s leaves room for any loaded machine.
  EXPECT_LT(seconds, 1.0) << "rank " << world().mpi_rank() << " waited for rank 0";
  // Only now does rank 0 enter MPI again; no ID was handed out twice.
  const auto all = gather_all(mine);
  EXPECT_EQ(all.size(), 10 + 1000 * (ranks() - 1));
  EXPECT_TRUE(all_distinct(all));
}

TEST(OwnReuse, TheSameIdTwiceIsRefusedAtOnceNamingBothClaims) {
  stream_allocator alloc(world(), make_campaign(strategy::philox), job_index(0));
  claim_options first;
  first.task = task_path{1};
  claim_options second;
  second.task = task_path{2};
  alloc.philox_explicit(stream_id(5), first);
  try {
    alloc.philox_explicit(stream_id(5), second);
    ADD_FAILURE() << "expected reuse_error";
  } catch (const reuse_error& e) {
    EXPECT_TRUE(contains(e.what(), "task (1,)")) << e.what();
    EXPECT_TRUE(contains(e.what(), "task (2,)")) << e.what();
    EXPECT_TRUE(contains(e.what(), "philox stream ID 5")) << e.what();
  }
  EXPECT_EQ(alloc.registry().records(), 1U);  // nothing recorded by the refused claim
  // A static stream then the same ID explicitly.
  const auto s = alloc.philox_static(3);
  EXPECT_THROW(alloc.philox_explicit(stream_id(s.record.first)), reuse_error);
}

TEST(OwnReuse, TheSameStreamUnderAnotherNameIsRefused) {
  stream_allocator philox(world(), make_campaign(strategy::philox), job_index(0));
  philox.philox_explicit(stream_id(3));
  EXPECT_THROW(philox.philox_at(philox.origin().philox_key(job_index(0), stream_id(3)), 0),
               reuse_error);
  philox.philox_at(philox.origin().philox_key(job_index(0), stream_id(9)), 0);
  EXPECT_THROW(philox.philox_explicit(stream_id(9)), reuse_error);
  EXPECT_NO_THROW(philox.philox_at(philox.origin().philox_key(job_index(0), stream_id(9)), 100));

  stream_allocator jumped(world(), make_campaign(strategy::jumped), job_index(0));
  jumped.jumped_explicit(jump_index(2));
  EXPECT_THROW(jumped.pcg64_at(jumped.origin().jumped_stream(job_index(0), jump_index(2))),
               reuse_error);
  jumped.jumped_explicit(jump_index(0));  // the root stream itself
  EXPECT_THROW(jumped.pcg64_block(0), reuse_error);
}

// philox_at takes the full 256-bit counter: NumPy's jumped() copy of a campaign stream (counter
// + 2^128) is another stream and can be claimed by hand next to it; the stream itself (counter
// 0) cannot. The generator overload reads key and counter from the generator.
TEST(OwnReuse, PhiloxAtTakesTheWhole256BitCounter) {
  stream_allocator alloc(world(), make_campaign(strategy::philox), job_index(0));
  const auto own = alloc.philox_explicit(stream_id(12));
  const philox copy = own.stream.jumped();  // NumPy: Philox(...).jumped(): counter + 2^128
  ASSERT_EQ(copy.counter()[2], 1U);
  const uint128 key = alloc.origin().philox_key(job_index(0), stream_id(12));
  const auto claimed = alloc.philox_at(key, copy.counter());
  EXPECT_EQ(claimed.record.position_high, uint128{1});
  EXPECT_EQ(claimed.record.position, uint128{0});
  EXPECT_EQ(claimed.stream.state_json(), copy.state_json());
  EXPECT_THROW(alloc.philox_at(copy), reuse_error);  // the same hand-built stream again
  EXPECT_THROW(alloc.philox_at(key, philox::counter_type{0, 0, 0, 0}), reuse_error);  // ID 12
  const philox twice = copy.jumped();
  EXPECT_NO_THROW(alloc.philox_at(twice));
  philox drawn = twice.jumped();
  (void)drawn.next64();
  try {
    alloc.philox_at(drawn);
    ADD_FAILURE() << "expected invalid_argument";
  } catch (const invalid_argument& e) {
    EXPECT_TRUE(contains(e.what(), "buffer position 1")) << e.what();
  }
}

TEST(OwnReuse, NumpySpawnKeyAliasesAreRefused) {
  stream_allocator alloc(world(), make_campaign(strategy::spawn), job_index(0));
  alloc.spawn(task_path{std::uint64_t{1} << 32});
  // (2^32,) and (0, 1) give SeedSequence the same words: the same stream.
  EXPECT_THROW(alloc.spawn(task_path{0, 1}), reuse_error);
  EXPECT_NO_THROW(alloc.spawn(task_path{0, 2}));
}

TEST(Resume, NextFreeIsTheMaximumOverRanksAndTheNextRunStartsThere) {
  allocator_options options;
  options.block_size = 10;
  options.resume_stream = stream_id(50);
  stream_allocator first(world(), make_campaign(strategy::philox), job_index(0), options);
  for (std::uint64_t i = 0; i <= my_rank(); ++i) first.philox_static(i);
  first.philox_dynamic();
  const auto next = first.next_free();
  // Largest claim: the last rank's dynamic ID (its first block is the highest first block).
  const std::uint64_t highest = first.dynamic_base() + (ranks() - 1) * 1024;
  EXPECT_EQ(next.stream, stream_id(highest + 1));
  EXPECT_EQ(next.jump, jump_index(0));
  EXPECT_TRUE(testing::same_on_all_ranks(std::to_string(next.stream.value())));

  allocator_options resumed = options;
  resumed.resume_stream = next.stream;
  stream_allocator second(world(), make_campaign(strategy::philox), job_index(1), resumed);
  EXPECT_GE(second.philox_static(0).record.first, next.stream.value());
  EXPECT_GT(second.philox_dynamic().record.first, highest);
}

TEST(Resume, NextFreeNeverGoesBelowTheResumePoint) {
  allocator_options options;
  options.resume_jump = jump_index(777);
  stream_allocator idle(world(), make_campaign(strategy::jumped), job_index(0), options);
  const auto next = idle.next_free();
  EXPECT_EQ(next.jump, jump_index(777));
}

// Each job owns its own region (campaign.hpp): job 3's Philox stream ID i has key
// root + 3 * 2^64 + i, so its static streams start at ID 0 of that region like job 0's, yet
// are other streams.
TEST(JobRegions, PhiloxJobsOwnTheHighHalfOfTheKey) {
  allocator_options options;
  options.block_size = 10;
  const campaign origin = make_campaign(strategy::philox);
  stream_allocator job3(world(), origin, job_index(3), options);
  const auto taken = job3.philox_static(0);
  EXPECT_EQ(taken.record.first, my_rank() * 10);
  EXPECT_EQ(taken.record.job, job_index(3));
  const uint128 key = origin.philox_root_key() + (uint128{3} << 64) + my_rank() * 10;
  EXPECT_EQ(taken.stream.key()[0], low64(key));
  EXPECT_EQ(taken.stream.key()[1], high64(key));
  EXPECT_FALSE(
      same_draws(taken.stream, origin.philox_stream(job_index(0), stream_id(my_rank() * 10))));
}

// Jumped: job j's index i is jumped(j * 2^40 + i); 2^40 indices a job, 2^22 jobs, refused at
// the edge and not one past it.
TEST(JobRegions, JumpedJobsOwn2To40IndicesAndTheLimitsAreExact) {
  const campaign origin = make_campaign(strategy::jumped);
  const std::uint64_t per_job = std::uint64_t{1} << 40;
  stream_allocator last_job(world(), origin, job_index((std::uint64_t{1} << 22) - 1));
  EXPECT_THROW(stream_allocator(world(), origin, job_index(std::uint64_t{1} << 22)),
               invalid_argument);
  stream_allocator job5(world(), origin, job_index(5));
  const auto edge = job5.jumped_explicit(jump_index(per_job - 1 - my_rank()));
  EXPECT_TRUE(edge.stream == origin.jumped_root().jumped(big_uint::from_uint128(
                                 (uint128{5} << 40) + per_job - 1 - my_rank())));
  EXPECT_THROW(job5.jumped_explicit(jump_index(per_job)), invalid_argument);
  EXPECT_THROW(job5.jumped_range(jump_index(per_job - 2), 3), invalid_argument);
  EXPECT_EQ(job5.jumped_range(jump_index(per_job - 100 + 10 * my_rank()), 2).size(), 2U);
  // Dynamic allocation stops at the region's end with an error naming it.
  allocator_options options;
  options.block_size = 10;
  options.dynamic_block_size = 100;
  options.resume_jump = jump_index(per_job - 5000);
  stream_allocator near_end(world(), origin, job_index(7), options);
  std::uint64_t highest = 0;
  bool exhausted = false;
  for (int i = 0; i < 10000 && !exhausted; ++i) {
    try {
      highest = std::max(highest, near_end.jumped_dynamic().record.first);
    } catch (const invalid_argument& e) {
      exhausted = true;
      EXPECT_TRUE(contains(e.what(), "2^40")) << e.what();
    }
  }
  EXPECT_TRUE(exhausted);
  EXPECT_LT(highest, per_job);
  options.resume_jump = jump_index(per_job - 1);  // the static region no longer fits
  EXPECT_THROW(stream_allocator(world(), origin, job_index(0), options), invalid_argument);
}

claims::claim philox_claim(std::uint64_t first, std::uint64_t count = 1) {
  claims::claim c;
  c.kind = claims::claim_kind::philox_id;
  c.first = first;
  c.count = count;
  c.owner = world().rank();
  return c;
}

TEST(Registry, ConcurrentClaimsFromFourThreadsCoalesceIntoOneRange) {
  claims::claim_registry registry(make_campaign(strategy::philox), world().rank());
  std::vector<std::thread> threads;
  for (std::uint64_t t = 0; t < 4; ++t) {
    threads.emplace_back([&registry, t] {
      for (std::uint64_t i = t; i < 4000; i += 4) registry.add(philox_claim(i));
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(registry.records(), 1U);
  EXPECT_EQ(registry.streams(), 4000U);
  const auto claims = registry.snapshot();
  EXPECT_EQ(claims.size(), 1U);
  if (!claims.empty()) {
    EXPECT_EQ(claims.front().first, 0U);
    EXPECT_EQ(claims.front().count, 4000U);
  }
}

TEST(Registry, OverlappingRangesAndForeignOwnersAreRefused) {
  claims::claim_registry registry(make_campaign(strategy::philox), world().rank());
  registry.add(philox_claim(10, 10));
  EXPECT_THROW(registry.add(philox_claim(19, 5)), reuse_error);
  EXPECT_THROW(registry.add(philox_claim(0, 11)), reuse_error);
  EXPECT_NO_THROW(registry.add(philox_claim(20, 5)));
  claims::claim foreign = philox_claim(100);
  foreign.owner = rank_id(world().rank().value() + 1);
  EXPECT_THROW(registry.add(foreign), invalid_argument);
  claims::claim malformed = philox_claim(200, 0);
  EXPECT_THROW(registry.add(malformed), invalid_argument);
}

claims::claim lockstep_claim(std::uint64_t first, std::uint64_t count, std::uint64_t task) {
  claims::claim c = philox_claim(first, count);
  c.task = task_path{task};
  c.task_lockstep = count > 1;
  return c;
}

TEST(Registry, ConsecutiveTasksOnConsecutiveIdsBecomeOneLockstepRecord) {
  claims::claim_registry registry(make_campaign(strategy::philox), world().rank());
  // History h on stream 1000 + h, claimed one by one, in runs, and out of order.
  for (std::uint64_t h = 0; h < 100; ++h) registry.add(lockstep_claim(1000 + h, 1, h));
  registry.add(lockstep_claim(1150, 50, 150));
  registry.add(lockstep_claim(1100, 50, 100));  // fills the gap: joins both neighbours
  EXPECT_EQ(registry.records(), 1U);
  EXPECT_EQ(registry.streams(), 200U);
  // A task that does not continue the run, or a shared-task run, stays separate.
  registry.add(lockstep_claim(1200, 1, 999));
  claims::claim shared = philox_claim(1201, 5);
  shared.task = task_path{1201};
  registry.add(shared);
  const auto claims = registry.snapshot();
  ASSERT_EQ(claims.size(), 3U);  // no collective follows in this test
  EXPECT_EQ(claims[0].first, 1000U);
  EXPECT_EQ(claims[0].count, 200U);
  EXPECT_TRUE(claims[0].task_lockstep);
  EXPECT_EQ(claims[0].task, (task_path{0}));
  EXPECT_EQ(claims::task_of(claims[0], 1199), (task_path{199}));
  EXPECT_FALSE(claims[1].task_lockstep);
  EXPECT_FALSE(claims[2].task_lockstep);
  // The rank's own reuse inside the run names the stream's own task.
  try {
    registry.add(lockstep_claim(1150, 1, 7));
    ADD_FAILURE() << "expected reuse_error";
  } catch (const reuse_error& e) {
    EXPECT_TRUE(contains(e.what(), "tasks (0,) to (199,)")) << e.what();
  }
}

TEST(Registry, RecordUseInALockstepRunKeepsEveryStreamsTask) {
  claims::claim_registry registry(make_campaign(strategy::philox), world().rank());
  registry.add(lockstep_claim(0, 10, 50));
  registry.record_use(lockstep_claim(5, 1, 55), 77);
  const auto claims = registry.snapshot();
  ASSERT_EQ(claims.size(), 3U);
  EXPECT_EQ(claims[0].task, (task_path{50}));
  EXPECT_TRUE(claims[0].task_lockstep);
  EXPECT_EQ(claims[1].task, (task_path{55}));
  EXPECT_FALSE(claims[1].task_lockstep);
  EXPECT_EQ(claims[1].used, uint128{77});
  EXPECT_EQ(claims[2].first, 6U);
  EXPECT_EQ(claims[2].task, (task_path{56}));
  EXPECT_TRUE(claims[2].task_lockstep);
}

TEST(RangeClaims, EachStreamOfARunIsTheSingleStreamOfItsId) {
  const auto philox_campaign = make_campaign(strategy::philox);
  stream_allocator philox_alloc(world(), philox_campaign, job_index(0));
  const auto run = philox_alloc.philox_range(stream_id(500), 10,
                                             {task_path{0}, std::nullopt, task_layout::lockstep});
  EXPECT_EQ(run.size(), 10U);
  EXPECT_EQ(run.stream(7).state_json(),
            philox_campaign.philox_stream(job_index(0), stream_id(507)).state_json());
  EXPECT_THROW((void)run.stream(10), invalid_argument);
  EXPECT_EQ(philox_alloc.registry().records(), 1U);
  EXPECT_THROW(philox_alloc.philox_explicit(stream_id(509)), reuse_error);
  const auto statics = philox_alloc.philox_static_range(3, 4);
  EXPECT_EQ(statics.record().first,
            philox_alloc.static_base() + static_cast<std::uint64_t>(world().mpi_rank()) * 1024 + 3);
  EXPECT_THROW(philox_alloc.philox_static_range(1020, 5), invalid_argument);  // past the block

  const auto jumped_campaign = make_campaign(strategy::jumped);
  stream_allocator jumped_alloc(world(), jumped_campaign, job_index(0));
  const auto jumps = jumped_alloc.jumped_range(jump_index(20), 3);
  EXPECT_EQ(jumps.stream(2).state_json(),
            jumped_campaign.jumped_stream(job_index(0), jump_index(22)).state_json());

  const auto spawn_campaign = make_campaign(strategy::spawn);
  stream_allocator spawn_alloc(world(), spawn_campaign, job_index(3));
  const auto paths = spawn_alloc.spawn_range(task_path{9}, 40, 5);
  EXPECT_EQ(paths.stream(4).pool(),
            spawn_campaign.spawn_sequence(job_index(3), task_path{9, 44}).pool());
  // (9, 42) is inside the run; (2^32 * 42 + 9,) is NumPy's alias of (9, 42) — words [9, 42].
  EXPECT_THROW(spawn_alloc.spawn(task_path{9, 42}), reuse_error);
  EXPECT_THROW(spawn_alloc.spawn(task_path{(std::uint64_t{42} << 32) | 9}), reuse_error);
  EXPECT_NO_THROW(spawn_alloc.spawn(task_path{(std::uint64_t{45} << 32) | 9}));
  testing::barrier();
}

TEST(Registry, RecordUseSplitsTheRangeItFallsIn) {
  claims::claim_registry registry(make_campaign(strategy::philox), world().rank());
  registry.add(philox_claim(0, 10));
  registry.record_use(philox_claim(5), 123);
  const auto claims = registry.snapshot();
  ASSERT_EQ(claims.size(), 3U);  // no collective follows in this test
  EXPECT_EQ(claims[0].count, 5U);
  EXPECT_EQ(claims[1].first, 5U);
  EXPECT_EQ(claims[1].used, uint128{123});
  EXPECT_EQ(claims[2].first, 6U);
  EXPECT_EQ(claims[2].count, 4U);
  EXPECT_THROW(registry.record_use(philox_claim(50), 1), invalid_argument);
}

// --job auto: the first of the scheduler variables that is set; one error naming all of them
// when none is, and one naming the variable and value when it is not an index.
TEST(JobArray, TheFirstSchedulerVariableThatIsSetGivesTheJob) {
  std::map<std::string, std::string> env;
  const environment_lookup lookup = [&](const char* name) -> const char* {
    const auto it = env.find(name);
    return it == env.end() ? nullptr : it->second.c_str();
  };
  const std::vector<std::string> names = {"SLURM_ARRAY_TASK_ID", "PBS_ARRAY_INDEX", "PBS_ARRAYID",
                                          "LSB_JOBINDEX"};
  try {
    job_from_scheduler(lookup);
    ADD_FAILURE() << "expected invalid_argument with no variable set";
  } catch (const invalid_argument& e) {
    for (const auto& name : names) EXPECT_TRUE(contains(e.what(), name)) << e.what();
  }
  // Each variable alone; then with every later one set too, the earlier wins.
  for (std::size_t i = names.size(); i-- > 0;) {
    env[names[i]] = std::to_string(10 + i);
    const scheduler_job got = job_from_scheduler(lookup);
    EXPECT_EQ(got.job, job_index(10 + i));
    EXPECT_EQ(got.variable, names[i]);
  }
  env["SLURM_ARRAY_TASK_ID"] = "18446744073709551615";  // 2^64 - 1: the last job index
  EXPECT_EQ(job_from_scheduler(lookup).job, job_index(UINT64_MAX));
  for (const char* bad : {"18446744073709551616", "-1", "3a", "", "0x10", "1.5"}) {
    env["SLURM_ARRAY_TASK_ID"] = bad;
    try {
      job_from_scheduler(lookup);
      ADD_FAILURE() << "expected invalid_argument for '" << bad << "'";
    } catch (const invalid_argument& e) {
      EXPECT_TRUE(contains(e.what(), std::string("SLURM_ARRAY_TASK_ID='") + bad + "'")) << e.what();
    }
  }
  env["SLURM_ARRAY_TASK_ID"] = " 7\n";
  EXPECT_EQ(job_from_scheduler(lookup).job, job_index(7));
}

TEST(JobArray, EveryRankAgreesOnTheJobOrOnTheError) {
  const auto lookup_of = [](std::string value) {
    return environment_lookup([value = std::move(value)](const char* name) -> const char* {
      return std::string(name) == "PBS_ARRAYID" ? value.c_str() : nullptr;
    });
  };
  EXPECT_EQ(job_from_scheduler(world(), lookup_of("42")).job, job_index(42));
  // A rank that sees another value (or none) fails every rank alike.
  bool refused = false;
  try {
    job_from_scheduler(world(), lookup_of(my_rank() == ranks() - 1 ? "43" : "42"));
  } catch (const invalid_argument&) {
    refused = true;
  }
  EXPECT_EQ(refused, ranks() > 1);
  refused = false;
  try {
    job_from_scheduler(world(), lookup_of(my_rank() == 0 ? "x" : "42"));
  } catch (const invalid_argument& e) {
    refused = contains(e.what(), "PBS_ARRAYID='x'");
  }
  EXPECT_TRUE(refused);
}

}  // namespace
}  // namespace streamalloc::mpi
