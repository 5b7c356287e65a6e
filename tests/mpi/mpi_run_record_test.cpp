// mpi::run_record: every rank writes its own claims, checkpoints append only what is new, the
// manifest reads back as its last commit, failures are agreed, paths are checked up front.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <string>
#include <vector>

#include "mpi_test_support.hpp"
#include "streamalloc/claims/manifest.hpp"
#include "streamalloc/claims/manifest_reader.hpp"
#include "streamalloc/claims/record_shard.hpp"
#include "streamalloc/error.hpp"
#include "streamalloc/mpi/run_record.hpp"

namespace streamalloc::mpi {
namespace {

namespace fs = std::filesystem;
using testing::world;

std::uint64_t my_rank() { return static_cast<std::uint64_t>(world().mpi_rank()); }
std::uint64_t ranks() { return static_cast<std::uint64_t>(world().size()); }

// A directory shared by the ranks (rank 0's pid), fresh per test, removed afterwards.
class RunRecord : public ::testing::Test {
 protected:
  void SetUp() override {
    long pid = static_cast<long>(::getpid());
    check_mpi(MPI_Bcast(&pid, 1, MPI_LONG, 0, world().comm()), "MPI_Bcast");
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("streamalloc_run_record_" + std::to_string(pid) + "_" + info->name());
    if (my_rank() == 0) {
      fs::remove_all(dir_);
      fs::create_directories(dir_);
    }
    testing::barrier();
  }
  void TearDown() override {
    testing::barrier();
    if (my_rank() == 0) fs::remove_all(dir_);
  }
  fs::path dir_;
};

campaign philox_campaign() { return campaign(seed_entropy(77), strategy::philox); }

// The claims of every rank, from each rank's registry, in one sorted list (same on every rank).
std::vector<std::string> all_claims_of(const stream_allocator& alloc) {
  std::string mine;
  for (const auto& c : alloc.registry().snapshot()) mine += c.describe() + "\n";
  std::vector<std::string> lines;
  // Gather the text through the word helper: lengths then bytes.
  std::vector<std::uint64_t> words(mine.begin(), mine.end());
  const std::vector<std::uint64_t> bytes = testing::gather_all(words);
  std::string all(bytes.begin(), bytes.end());
  std::string line;
  for (const char ch : all) {
    if (ch == '\n') {
      lines.push_back(line);
      line.clear();
    } else {
      line += ch;
    }
  }
  std::sort(lines.begin(), lines.end());
  return lines;
}

std::vector<std::string> described(const std::vector<claims::claim>& claims) {
  std::vector<std::string> out;
  for (const auto& c : claims) out.push_back(c.describe());
  std::sort(out.begin(), out.end());
  return out;
}

std::uint64_t lines_in(const fs::path& file) {
  std::ifstream in(file);
  return static_cast<std::uint64_t>(
      std::count(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>(), '\n'));
}

TEST_F(RunRecord, EveryRanksClaimsReadBackAfterEachCommit) {
  stream_allocator alloc(world(), philox_campaign(), job_index(3));
  const fs::path path = dir_ / "run.jsonl";
  alloc.philox_explicit(stream_id(1000 + my_rank()));  // before the record: its first commit
  run_record record(alloc, path);
  std::vector<claims::record_position> seen;
  for (std::uint64_t round = 0; round < 4; ++round) {
    // Gaps between rounds: each round's claim is a record of its own (not joined).
    alloc.philox_range(
        stream_id(round * 100 + my_rank() * 10), 5,
        {task_path{round * 100 + my_rank() * 10}, std::nullopt, task_layout::lockstep});
    record.checkpoint([&](const claims::record_position& at) { seen.push_back(at); });
  }
  const claims::record_position closed = record.close();
  EXPECT_EQ(closed.commit, 6U);  // the first commit, four checkpoints, close
  EXPECT_EQ(closed.run, record.run());
  EXPECT_EQ(closed.shard_lines, std::vector<std::uint64_t>(ranks(), 5));
  EXPECT_TRUE(testing::same_on_all_ranks(closed.run));

  const claims::manifest m = claims::read_manifest(path);
  EXPECT_EQ(m.job, job_index(3));
  EXPECT_EQ(m.ranks, ranks());
  EXPECT_EQ(m.run, record.run());
  EXPECT_TRUE(m.complete);
  EXPECT_EQ(m.commit, 6U);
  EXPECT_EQ(described(m.claims), all_claims_of(alloc));
  // Each shard holds its header and one line per claim record: nothing was written twice.
  for (std::uint64_t r = 0; r < ranks(); ++r) {
    EXPECT_EQ(lines_in(claims::shard_file(path, record.run(), static_cast<std::uint32_t>(r))), 6U);
  }
  // Rank 0's callbacks saw each checkpoint's commit, in order, after it was on disk.
  if (my_rank() == 0) {
    ASSERT_EQ(seen.size(), 4U);
    for (std::size_t k = 0; k < seen.size(); ++k) {
      EXPECT_EQ(seen[k].commit, k + 2);
      EXPECT_EQ(seen[k].shard_lines, std::vector<std::uint64_t>(ranks(), k + 2));
      EXPECT_EQ(seen[k].job, job_index(3));
    }
  }
}

TEST_F(RunRecord, AnUnclosedRecordReadsBackAsItsLastCommitWhateverFollowsInTheShards) {
  stream_allocator alloc(world(), philox_campaign(), job_index(0));
  const fs::path path = dir_ / "run.jsonl";
  std::string run;
  {
    run_record record(alloc, path);
    run = record.run();
    alloc.philox_range(stream_id(my_rank() * 100), 10);
    record.checkpoint();
    alloc.philox_range(stream_id(10000 + my_rank() * 100), 10);
    record.checkpoint();
    // Destroyed without close(): the queued commits finish, nothing more is written.
  }
  testing::barrier();
  claims::manifest m = claims::read_manifest(path);
  EXPECT_FALSE(m.complete);
  EXPECT_EQ(m.commit, 3U);
  EXPECT_EQ(m.claims.size(), 2 * ranks());
  // A checkpoint cut short: half a line appended to a shard after the last commit is ignored.
  if (my_rank() == 0) {
    std::ofstream(claims::shard_file(path, run, 0), std::ios::app) << "{\"kind\": \"philox_i";
  }
  testing::barrier();
  m = claims::read_manifest(path);
  EXPECT_EQ(m.claims.size(), 2 * ranks());
  testing::barrier();  // every rank has read before rank 0 cuts the shard
  // Fewer lines than the manifest commits: a truncated record, named as such.
  if (my_rank() == 0) fs::resize_file(claims::shard_file(path, run, 0), 10);
  testing::barrier();
  bool truncated = false;
  try {
    claims::read_manifest(path);
  } catch (const io_error& e) {
    truncated = std::string(e.what()).find("truncated shard") != std::string::npos;
  }
  EXPECT_TRUE(truncated);
}

// wait(): after each checkpoint, the position of that checkpoint's commit (not an earlier one
// still in flight), the same on every rank, and asked for by one rank alone.
TEST_F(RunRecord, WaitGivesTheLastCheckpointsCommit) {
  stream_allocator alloc(world(), philox_campaign(), job_index(2));
  const fs::path path = dir_ / "run.jsonl";
  run_record record(alloc, path);
  for (std::uint64_t round = 0; round < 3; ++round) {
    alloc.philox_explicit(stream_id(round * 100 + my_rank()));
    record.checkpoint();
    if (my_rank() == 0) {
      const claims::record_position at = record.wait();
      EXPECT_EQ(at.commit, round + 2);
      EXPECT_EQ(at.shard_lines, std::vector<std::uint64_t>(ranks(), round + 1));
      EXPECT_EQ(at, record.position());
    }
  }
  const claims::record_position at = record.wait();
  EXPECT_EQ(at.commit, 4U);
  EXPECT_TRUE(testing::same_on_all_ranks(at.run + std::to_string(at.commit)));
  const claims::record_position closed = record.close();
  EXPECT_EQ(closed.commit, 5U);
  EXPECT_EQ(record.wait(), closed);
}

TEST_F(RunRecord, UsesAndLineageAreRecorded) {
  stream_allocator alloc(world(), philox_campaign(), job_index(1));
  const fs::path path = dir_ / "run.jsonl";
  const claims::record_lineage parent{"0123456789abcdef", 7, {3, 4}, "killed.jsonl"};
  run_record record(alloc, path, {parent});
  const auto taken = alloc.philox_range(stream_id(my_rank() * 10), 10);
  record.checkpoint();
  alloc.record_use(claims::slice(taken.record(), my_rank() * 10 + 4, 1), 99);
  const auto closed = record.close();
  EXPECT_EQ(closed.resumed_from, parent);
  const claims::manifest m = claims::read_manifest(path);
  ASSERT_TRUE(m.resumed_from.has_value());
  EXPECT_EQ(*m.resumed_from, parent);
  EXPECT_EQ(described(m.claims), all_claims_of(alloc));
  std::uint64_t used = 0;
  for (const auto& c : m.claims) used += c.used == 99 ? c.count : 0;
  EXPECT_EQ(used, ranks());
}

TEST_F(RunRecord, FailuresAreAgreedAndPathsCheckedBeforeTheRun) {
  stream_allocator alloc(world(), philox_campaign(), job_index(0));
  // A directory, a missing directory, a device: refused on every rank by the constructor.
  for (const fs::path& bad : {dir_, dir_ / "missing" / "run.jsonl", fs::path("/dev/null")}) {
    bool refused = false;
    try {
      run_record record(alloc, bad);
    } catch (const io_error& e) {
      refused = std::string(e.what()).find(bad.string()) != std::string::npos;
    }
    EXPECT_TRUE(refused) << bad;
  }
  EXPECT_TRUE(fs::exists("/dev/null") && !fs::is_regular_file("/dev/null"));
  // A failing checkpoint callback (rank 0) surfaces on every rank, at the next call.
  const fs::path path = dir_ / "run.jsonl";
  run_record record(alloc, path);
  record.checkpoint([](const claims::record_position&) {
    throw io_error("cannot write the program's checkpoint");
  });
  bool failed = false;
  try {
    record.checkpoint();
    record.checkpoint();
    record.close();
  } catch (const io_error& e) {
    failed =
        std::string(e.what()).find("cannot write the program's checkpoint") != std::string::npos;
  }
  EXPECT_TRUE(failed);
  // The record is left as its last completed commit: the callback's, whose manifest was written
  // before the callback failed; the commits queued after it were given up.
  EXPECT_EQ(claims::read_manifest(path).commit, 2U);
}

}  // namespace
}  // namespace streamalloc::mpi
