// Every collective of streamalloc::mpi, with a failure injected on one rank at each of its
// agreement points (src/fault_injection.hpp): every rank throws the same error naming that rank
// and the step, none waits forever (ctest's timeout), and the library is usable afterwards.
#include <mpi.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "mpi_test_support.hpp"
#include "src/fault_injection.hpp"
#include "streamalloc/campaign.hpp"
#include "streamalloc/error.hpp"
#include "streamalloc/mpi/job_array.hpp"
#include "streamalloc/mpi/run_record.hpp"
#include "streamalloc/mpi/stream_allocator.hpp"
#include "streamalloc/mpi/stream_set/checkpoint.hpp"
#include "streamalloc/mpi/stream_set/claimed_stream_set.hpp"
#include "streamalloc/mpi/verify.hpp"

namespace streamalloc::mpi {
namespace {

namespace fs = std::filesystem;
using testing::all_ranks;
using testing::same_on_all_ranks;
using testing::world;

int last_rank() { return world().size() - 1; }

campaign philox_campaign() { return campaign(seed_entropy(20261129), strategy::philox); }

// A directory every rank names the same (rank 0's pid), emptied around each test.
fs::path shared_directory(const char* name) {
  long long pid = world().mpi_rank() == 0 ? static_cast<long long>(::getpid()) : 0;
  MPI_Bcast(&pid, 1, MPI_LONG_LONG, 0, world().comm());
  const fs::path dir =
      fs::temp_directory_path() / ("streamalloc_faults_" + std::to_string(pid) + "_" + name);
  if (world().mpi_rank() == 0) {
    fs::remove_all(dir);
    fs::create_directories(dir);
  }
  MPI_Barrier(world().comm());
  return dir;
}

// Arms a fault for `step` on the last rank, runs `operation` on every rank and disarms it.
// Expects every rank to throw the same streamalloc::error, naming the last rank and the step.
void expect_agreed_failure(const std::string& step, const std::function<void()>& operation) {
  detail::arm_fault(step, last_rank());
  std::string message = "(returned normally)";
  bool thrown = false;
  try {
    operation();
  } catch (const error& e) {
    thrown = true;
    message = e.what();
  } catch (const std::exception& e) {
    message = std::string("not a streamalloc::error: ") + e.what();
  }
  detail::disarm_fault();
  EXPECT_TRUE(thrown) << step << ": " << message;
  const std::string expected =
      "rank " + std::to_string(last_rank()) + ": " + detail::injected_fault_message("");
  EXPECT_NE(message.find(expected), std::string::npos) << step << ": " << message;
  EXPECT_NE(message.find(step), std::string::npos) << message;
  EXPECT_NE(message.find("failed on 1 of " + std::to_string(world().size()) + " rank(s)"),
            std::string::npos)
      << message;
  EXPECT_TRUE(same_on_all_ranks(message)) << step << ": " << message;
}

TEST(AgreedFaults, WindowAllocatorSetUp) {
  // The partitioned policy's constructor is local; the window policy's is collective.
  allocator_options window;
  window.dynamic = dynamic_policy::window;
  for (const char* step : {"stream_allocator: laying out the index space",
                           "window allocator: opening the access epoch"}) {
    expect_agreed_failure(
        step, [&] { stream_allocator alloc(world(), philox_campaign(), job_index(0), window); });
  }
  // Nothing is left half-made: a window allocator works afterwards.
  stream_allocator alloc(world(), philox_campaign(), job_index(0), window);
  alloc.philox_dynamic();
  EXPECT_TRUE(alloc.verify().clean());
}

TEST(AgreedFaults, NextFreeAndEveryStepOfVerify) {
  stream_allocator alloc(world(), philox_campaign(), job_index(0));
  claim_options details;
  details.budget = 100;
  const auto taken = alloc.philox_static(0, details);
  // One use over budget on every rank: a conflict per rank, so verify() judges candidates.
  alloc.record_use(taken.record, 101);
  expect_agreed_failure("stream_allocator::next_free", [&] { alloc.next_free(); });
  for (const char* step : {"verify: reading the claims", "verify: finding conflicts",
                           "verify: judging the candidates"}) {
    expect_agreed_failure(step, [&] { alloc.verify(); });
  }
  // No rank is left inside a collective: both work normally afterwards.
  EXPECT_EQ(alloc.verify().conflicts.size(), static_cast<std::size_t>(world().size()));
  EXPECT_TRUE(all_ranks(alloc.next_free().stream.value() > 0));
}

TEST(AgreedFaults, JobFromScheduler) {
  const environment_lookup slurm = [](const char* name) -> const char* {
    return std::string(name) == "SLURM_ARRAY_TASK_ID" ? "7" : nullptr;
  };
  expect_agreed_failure("reading the job array index", [&] { job_from_scheduler(world(), slurm); });
  EXPECT_EQ(job_from_scheduler(world(), slurm).job.value(), 7U);
}

TEST(AgreedFaults, RunRecordCreateCommitAndClose) {
  const fs::path dir = shared_directory("record");
  stream_allocator alloc(world(), philox_campaign(), job_index(0));
  alloc.philox_static(0);
  expect_agreed_failure(": checking the manifest path",
                        [&] { run_record record(alloc, dir / "a.jsonl"); });
  expect_agreed_failure(": creating each rank's shard",
                        [&] { run_record record(alloc, dir / "b.jsonl"); });
  // The commits (background thread or inline) agree on their own communicator; the failure
  // reaches every rank by the checkpoint() or close() that follows.
  for (const char* step :
       {": appending each rank's claims to its shard", ": committing the manifest"}) {
    const fs::path path = dir / (std::string("c") + std::to_string(step[2]) + ".jsonl");
    stream_allocator fresh(world(), philox_campaign(), job_index(1));
    run_record record(fresh, path);
    fresh.philox_static(0);
    expect_agreed_failure(step, [&] {
      record.checkpoint();
      record.checkpoint();
      record.checkpoint();
      record.close();
    });
  }
  // The failed constructions left the allocator free to start a record, and no shards behind.
  run_record record(alloc, dir / "ok.jsonl");
  record.close();
  std::size_t entries = 0;
  for (const auto& entry : fs::directory_iterator(dir)) entries += entry.is_directory() ? 1U : 0U;
  EXPECT_TRUE(all_ranks(entries == 1 + 2)) << entries;  // ok.jsonl's and the two commits' records
  if (world().mpi_rank() == 0) fs::remove_all(dir);
}

TEST(AgreedFaults, StreamSetCheckpointWriteAndRead) {
  const fs::path dir = shared_directory("checkpoint");
  const fs::path path = dir / "run.ckpt";
  const campaign spawn(seed_entropy(271828), strategy::spawn);
  {
    stream_allocator alloc(world(), spawn, job_index(0));
    std::vector<claimed_stream_set> sets;
    sets.push_back(
        claim_task_stream_set(alloc, task_path{static_cast<std::uint64_t>(world().mpi_rank())}));
    sets.back()->normal();
    write_checkpoint(alloc, path, sets);
    for (const char* step : {": creating the temporary file", ": writing ", ": renaming "}) {
      expect_agreed_failure(step, [&] { write_checkpoint(alloc, path, sets); });
    }
  }
  for (const char* step : {": reading the header", ": reading the claims", ": carrying the claims",
                           ": reading this rank's sets"}) {
    stream_allocator restarted(world(), spawn, job_index(0));
    expect_agreed_failure(step, [&] { read_checkpoint(restarted, path); });
  }
  stream_allocator restarted(world(), spawn, job_index(0));
  // After the failures, a read succeeds: every rank's set comes back, once.
  const auto counts = testing::gather_all({read_checkpoint(restarted, path).sets().size()});
  std::uint64_t total = 0;
  for (const std::uint64_t n : counts) total += n;
  EXPECT_EQ(total, static_cast<std::uint64_t>(world().size()));
  if (world().mpi_rank() == 0) fs::remove_all(dir);
}

}  // namespace
}  // namespace streamalloc::mpi
