// The MPI C API's run record (streamalloc_record_*) under mpiexec: records written on several
// ranks read back whole (manifest and one shard per rank), a run restarted from a stored position
// on another rank count is audited clean with its redone work accepted as replays, a restart
// that gives a stream to another task is reported, and every error (bad handles, closed records,
// unwritable paths, bad positions) comes back on every rank without a hang. Run on 1, 2 and 3
// ranks through mpi_test_main.cpp. Never assert before a collective the other ranks will enter.
#include <gtest/gtest.h>
#include <mpi.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "capi_test_support.hpp"
#include "mpi_test_support.hpp"
#include "streamalloc/claims/manifest.hpp"
#include "streamalloc/claims/record_shard.hpp"
#include "streamalloc_mpi.h"

namespace streamalloc::capi::testing {
namespace {

namespace fs = std::filesystem;
using streamalloc::mpi::testing::all_ranks;
using streamalloc::mpi::testing::same_on_all_ranks;
using streamalloc::mpi::testing::world;

using runtime_ptr =
    std::unique_ptr<streamalloc_runtime, deleter<streamalloc_runtime, streamalloc_runtime_free>>;
using allocator_ptr = std::unique_ptr<streamalloc_allocator,
                                      deleter<streamalloc_allocator, streamalloc_allocator_free>>;
using claim_ptr =
    std::unique_ptr<streamalloc_claim, deleter<streamalloc_claim, streamalloc_claim_free>>;
using record_ptr =
    std::unique_ptr<streamalloc_record, deleter<streamalloc_record, streamalloc_record_free>>;

// Every check is an EXPECT: a failed C call leaves a null handle, which later calls refuse.
#undef SA_OK
#define SA_OK SA_EXPECT_OK

constexpr const char* root = "20240611";
constexpr std::uint64_t tasks_per_round = 6;  // shared out over 1, 2 or 3 ranks
constexpr std::uint64_t job = 5;

int my_rank() { return world().mpi_rank(); }

// A directory shared by the ranks (rank 0's pid), fresh per test, removed afterwards.
class CapiRecord : public ::testing::Test {
 protected:
  void SetUp() override {
    long pid = static_cast<long>(::getpid());
    MPI_Bcast(&pid, 1, MPI_LONG, 0, world().comm());
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("streamalloc_capi_record_" + std::to_string(pid) + "_" + info->name());
    if (my_rank() == 0) {
      fs::remove_all(dir_);
      fs::create_directories(dir_);
    }
    mpi::testing::barrier();
  }
  void TearDown() override {
    mpi::testing::barrier();
    if (my_rank() == 0) fs::remove_all(dir_);
  }
  std::string path(const char* name) const { return (dir_ / name).string(); }
  fs::path dir_;
};

runtime_ptr make_runtime(MPI_Comm comm) {
  streamalloc_runtime* rt = nullptr;
  SA_OK(streamalloc_runtime_create(comm, &rt));
  return runtime_ptr(rt);
}

campaign_ptr make_campaign() {
  streamalloc_campaign* c = nullptr;
  SA_OK(streamalloc_campaign_create(root, STREAMALLOC_STRATEGY_PHILOX, 0, &c));
  return campaign_ptr(c);
}

allocator_ptr make_allocator(streamalloc_runtime* rt, streamalloc_campaign* c, std::uint64_t j) {
  streamalloc_allocator* a = nullptr;
  SA_OK(streamalloc_allocator_create(rt, c, j, nullptr, &a));
  return allocator_ptr(a);
}

record_ptr make_record(streamalloc_allocator* alloc, const std::string& path,
                       const char* resumed_from = nullptr, bool resumed = false) {
  streamalloc_record* r = nullptr;
  if (resumed) {
    SA_OK(streamalloc_record_create_resumed(alloc, path.c_str(), resumed_from, &r));
  } else {
    SA_OK(streamalloc_record_create(alloc, path.c_str(), &r));
  }
  return record_ptr(r);
}

std::string position_of(streamalloc_record* record) {
  return text_of(record, streamalloc_record_checkpoint_position);
}

// Round `round` of the work: task (round, t + task_shift) on Philox stream ID
// round * tasks_per_round + t, for this rank's share of the tasks t (t mod size = rank).
void claim_round(streamalloc_allocator* alloc, int rank, int size, std::uint64_t round,
                 std::uint64_t task_shift, std::vector<claim_ptr>& held) {
  for (std::uint64_t t = 0; t < tasks_per_round; ++t) {
    if (t % static_cast<std::uint64_t>(size) != static_cast<std::uint64_t>(rank)) continue;
    const std::uint64_t task[2] = {round, t + task_shift};
    streamalloc_claim_options details;
    SA_OK(streamalloc_claim_options_init(&details));
    details.task = task;
    details.task_depth = 2;
    streamalloc_claim* c = nullptr;
    SA_OK(streamalloc_allocator_philox_explicit(alloc, round * tasks_per_round + t, &details, &c));
    held.emplace_back(c);
  }
}

// The streams a manifest's claims hold (the allocator joins a rank's consecutive IDs into one
// claim record).
std::uint64_t streams_in(const claims::manifest& m) {
  std::uint64_t n = 0;
  for (const auto& c : m.claims) n += c.count;
  return n;
}

// `streamalloc audit` (the installed command's code) over the records: its report.
std::string audit_report(const std::vector<std::string>& records, bool* clean) {
  std::vector<const char*> paths;
  for (const auto& r : records) paths.push_back(r.c_str());
  streamalloc_verdict* v = nullptr;
  SA_OK(streamalloc_audit(paths.data(), static_cast<std::int64_t>(paths.size()), &v));
  verdict_ptr verdict(v);
  *clean = false;
  SA_OK(streamalloc_verdict_clean(verdict.get(), clean));
  return text_of(verdict.get(), streamalloc_verdict_report);
}

// The exit status of the `streamalloc audit` command (STREAMALLOC_CLI, set by CMake) on the
// records; -1 if it could not run.
int audit_command(const std::vector<std::string>& records) {
  const char* cli = std::getenv("STREAMALLOC_CLI");
  if (cli == nullptr) {
    ADD_FAILURE() << "STREAMALLOC_CLI is not set (tests/capi/CMakeLists.txt sets it)";
    return -1;
  }
  std::string command = std::string(cli) + " audit";
  for (const auto& r : records) command += " '" + r + "'";
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// A record written on every rank, checkpointed several times, reads back whole: every claim
// in the manifest, one shard per rank, the same position on every rank.
TEST_F(CapiRecord, EveryCheckpointReadsBackWithOneShardPerRank) {
  runtime_ptr rt = make_runtime(MPI_COMM_WORLD);
  campaign_ptr c = make_campaign();
  allocator_ptr alloc = make_allocator(rt.get(), c.get(), job);
  const int size = world().size();
  std::vector<claim_ptr> held;
  claim_round(alloc.get(), my_rank(), size, 0, 0, held);  // before the record: its first commit
  const std::string manifest = path("run.jsonl");
  record_ptr record = make_record(alloc.get(), manifest);
  for (std::uint64_t round = 1; round < 4; ++round) {
    claim_round(alloc.get(), my_rank(), size, round, 0, held);
    SA_OK(streamalloc_record_checkpoint(record.get()));
    const std::string at = position_of(record.get());
    // The position of this checkpoint's commit (the constructor's was commit 1).
    EXPECT_NE(at.find("\"commit\": " + std::to_string(round + 1) + ","), std::string::npos) << at;
    EXPECT_TRUE(same_on_all_ranks(at));
  }
  SA_OK(streamalloc_record_close(record.get()));
  const std::string closed = position_of(record.get());
  EXPECT_NE(closed.find("\"commit\": 5,"), std::string::npos) << closed;
  EXPECT_EQ(streamalloc_record_close(record.get()), STREAMALLOC_ERR_INVALID_ARGUMENT);
  mpi::testing::barrier();

  if (my_rank() == 0) {
    const claims::manifest m = claims::read_manifest(manifest);
    EXPECT_EQ(streams_in(m), 4 * tasks_per_round);
    EXPECT_EQ(m.ranks, static_cast<std::uint32_t>(size));
    EXPECT_EQ(m.job, job_index(job));
    EXPECT_TRUE(m.complete);
    EXPECT_EQ(m.commit, 5U);
    for (int r = 0; r < size; ++r) {
      EXPECT_TRUE(
          fs::is_regular_file(claims::shard_file(manifest, m.run, static_cast<std::uint32_t>(r))))
          << "no shard of rank " << r;
    }
    bool clean = false;
    const std::string report = audit_report({manifest}, &clean);
    EXPECT_TRUE(clean) << report;
    EXPECT_EQ(audit_command({manifest}), 0);
  }
}

// The restart: a run on fewer ranks (all but the last; 1 on one rank) checkpoints rounds 0, 1 and
// 2 but its program checkpoint holds the position after round 1 only, then stops without closing
// (as if killed). The restart on every rank resumes from that position, redoes round 2 on the
// same streams and does round 3: audited together, the two records are clean, round 2's six
// claims accepted as replays. A restart that gives round 2's streams to other tasks is reuse.
TEST_F(CapiRecord, RestartOnAnotherRankCountIsAuditedCleanWithReplays) {
  const int size = world().size();
  const int first_size = size > 1 ? size - 1 : 1;
  const std::string interrupted = path("interrupted.jsonl");
  const std::string restarted = path("restarted.jsonl");
  const std::string reusing = path("reusing.jsonl");

  std::string stored;  // the program checkpoint's position, on world rank 0
  MPI_Comm sub = MPI_COMM_NULL;
  MPI_Comm_split(world().comm(), my_rank() < first_size ? 0 : MPI_UNDEFINED, my_rank(), &sub);
  if (sub != MPI_COMM_NULL) {
    runtime_ptr rt = make_runtime(sub);
    campaign_ptr c = make_campaign();
    allocator_ptr alloc = make_allocator(rt.get(), c.get(), job);
    record_ptr record = make_record(alloc.get(), interrupted);
    std::vector<claim_ptr> held;
    for (std::uint64_t round = 0; round < 3; ++round) {
      claim_round(alloc.get(), my_rank(), first_size, round, 0, held);
      SA_OK(streamalloc_record_checkpoint(record.get()));
      if (round == 1 && my_rank() == 0) stored = position_of(record.get());
    }
    record.reset();  // no close: the record reads back as its last commit
    alloc.reset();
    rt.reset();
    MPI_Comm_free(&sub);
  }
  // Every rank reads the campaign and job from the position (the test shares it; the record
  // itself takes rank 0's).
  std::uint64_t length = stored.size();
  MPI_Bcast(&length, 1, MPI_UINT64_T, 0, world().comm());
  std::string shared(length, '\0');
  if (my_rank() == 0) shared = stored;
  MPI_Bcast(shared.data(), static_cast<int>(length), MPI_CHAR, 0, world().comm());

  const auto restart = [&](const std::string& manifest, std::uint64_t task_shift,
                           std::uint64_t last_round) {
    runtime_ptr rt = make_runtime(MPI_COMM_WORLD);
    streamalloc_campaign* raw = nullptr;
    std::uint64_t resumed_job = 99;
    SA_OK(streamalloc_record_position_campaign(shared.c_str(), &raw, &resumed_job));
    campaign_ptr c(raw);
    EXPECT_EQ(resumed_job, job);
    allocator_ptr alloc = make_allocator(rt.get(), c.get(), resumed_job);
    // Rank 0's position counts; the others pass none.
    record_ptr record =
        make_record(alloc.get(), manifest, my_rank() == 0 ? stored.c_str() : nullptr, true);
    std::vector<claim_ptr> held;
    for (std::uint64_t round = 2; round <= last_round; ++round) {
      claim_round(alloc.get(), my_rank(), size, round, task_shift, held);
      SA_OK(streamalloc_record_checkpoint(record.get()));
    }
    SA_OK(streamalloc_record_close(record.get()));
  };
  restart(restarted, 0, 3);
  restart(reusing, 100, 2);
  mpi::testing::barrier();

  if (my_rank() == 0) {
    const claims::manifest first = claims::read_manifest(interrupted);
    EXPECT_FALSE(first.complete);
    EXPECT_EQ(first.commit, 4U);  // created, then three checkpoints
    EXPECT_EQ(streams_in(first), 3 * tasks_per_round);
    const claims::manifest second = claims::read_manifest(restarted);
    EXPECT_TRUE(second.complete);
    EXPECT_EQ(second.ranks, static_cast<std::uint32_t>(size));
    EXPECT_EQ(streams_in(second), 2 * tasks_per_round);
    ASSERT_TRUE(second.resumed_from.has_value());
    EXPECT_EQ(second.resumed_from->run, first.run);
    EXPECT_EQ(second.resumed_from->commit, 3U);  // after round 1

    bool clean = false;
    const std::string report = audit_report({interrupted, restarted}, &clean);
    EXPECT_TRUE(clean) << report;
    EXPECT_NE(report.find("after restarts accepted (6 streams)"), std::string::npos) << report;
    EXPECT_EQ(audit_command({interrupted, restarted}), 0);

    const std::string reuse = audit_report({interrupted, reusing}, &clean);
    EXPECT_FALSE(clean) << reuse;
    EXPECT_EQ(audit_command({interrupted, reusing}), 1);
  }
}

// Errors: refused on every rank that makes them, agreed where the call is collective, each
// naming its cause; none hangs (the ctest's timeout would say so).
TEST_F(CapiRecord, ErrorsComeBackOnEveryRankNamingTheirCause) {
  runtime_ptr rt = make_runtime(MPI_COMM_WORLD);
  campaign_ptr c = make_campaign();
  allocator_ptr alloc = make_allocator(rt.get(), c.get(), 0);
  const auto message_has = [](const std::string& part) {
    return std::string(streamalloc_last_error()).find(part) != std::string::npos;
  };

  // Handles: null, another kind, freed.
  EXPECT_EQ(streamalloc_record_checkpoint(nullptr), STREAMALLOC_ERR_INVALID_ARGUMENT);
  EXPECT_TRUE(message_has("null handle")) << streamalloc_last_error();
  EXPECT_EQ(streamalloc_record_close(nullptr), STREAMALLOC_ERR_INVALID_ARGUMENT);
  std::int64_t length = 0;
  EXPECT_EQ(streamalloc_record_checkpoint_position(nullptr, nullptr, 0, &length),
            STREAMALLOC_ERR_INVALID_ARGUMENT);
  auto* not_a_record = reinterpret_cast<streamalloc_record*>(alloc.get());
  EXPECT_EQ(streamalloc_record_checkpoint(not_a_record), STREAMALLOC_ERR_INVALID_ARGUMENT);
  EXPECT_TRUE(message_has("allocator handle, expected a run record handle"))
      << streamalloc_last_error();
  EXPECT_EQ(streamalloc_record_free(not_a_record), STREAMALLOC_ERR_INVALID_ARGUMENT);
  streamalloc_record* freed = nullptr;
  SA_OK(streamalloc_record_create(alloc.get(), path("freed.jsonl").c_str(), &freed));
  SA_OK(streamalloc_record_free(freed));
  EXPECT_EQ(streamalloc_record_checkpoint(freed), STREAMALLOC_ERR_INVALID_ARGUMENT);
  EXPECT_TRUE(message_has("already freed")) << streamalloc_last_error();
  EXPECT_EQ(streamalloc_record_free(nullptr), STREAMALLOC_OK);

  // An unwritable path (a missing directory): an I/O error naming it, on every rank.
  const std::string bad = (dir_ / "no" / "such" / "dir" / "run.jsonl").string();
  streamalloc_record* none = nullptr;
  EXPECT_TRUE(
      all_ranks(streamalloc_record_create(alloc.get(), bad.c_str(), &none) == STREAMALLOC_ERR_IO));
  EXPECT_TRUE(all_ranks(message_has(bad))) << streamalloc_last_error();
  EXPECT_EQ(none, nullptr);
  EXPECT_TRUE(all_ranks(streamalloc_record_create(alloc.get(), "", &none) ==
                        STREAMALLOC_ERR_INVALID_ARGUMENT));

  // Bad positions: not a position, and a position of another job.
  EXPECT_TRUE(all_ranks(streamalloc_record_create_resumed(alloc.get(), path("r.jsonl").c_str(),
                                                          "{\"campaign\": 1", &none) ==
                        STREAMALLOC_ERR_INVALID_ARGUMENT));
  EXPECT_TRUE(all_ranks(message_has("resumed_from"))) << streamalloc_last_error();
  std::string job0_position;
  {
    record_ptr record = make_record(alloc.get(), path("job0.jsonl"));
    SA_OK(streamalloc_record_checkpoint(record.get()));
    job0_position = position_of(record.get());
    // One record per allocator at a time.
    EXPECT_TRUE(all_ranks(streamalloc_record_create(alloc.get(), path("twice.jsonl").c_str(),
                                                    &none) == STREAMALLOC_ERR_INVALID_ARGUMENT));
    EXPECT_TRUE(all_ranks(message_has("already has a run record"))) << streamalloc_last_error();
    // Checkpoints after close are refused on every rank, naming the record.
    SA_OK(streamalloc_record_close(record.get()));
    EXPECT_TRUE(
        all_ranks(streamalloc_record_checkpoint(record.get()) == STREAMALLOC_ERR_INVALID_ARGUMENT));
    EXPECT_TRUE(all_ranks(message_has("job0.jsonl was closed"))) << streamalloc_last_error();
  }
  allocator_ptr job1 = make_allocator(rt.get(), c.get(), 1);
  EXPECT_TRUE(all_ranks(streamalloc_record_create_resumed(job1.get(), path("r.jsonl").c_str(),
                                                          job0_position.c_str(), &none) ==
                        STREAMALLOC_ERR_INVALID_ARGUMENT));
  EXPECT_TRUE(all_ranks(message_has("position of job 0") && message_has("alloc's job 1")))
      << streamalloc_last_error();
  streamalloc_campaign* raw = nullptr;
  std::uint64_t j = 0;
  EXPECT_EQ(streamalloc_record_position_campaign("[]", &raw, &j), STREAMALLOC_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(streamalloc_record_position_campaign(nullptr, &raw, &j),
            STREAMALLOC_ERR_INVALID_ARGUMENT);

  // A record whose allocator was freed first: ended with it, its calls refused, its handle freed.
  record_ptr orphan = make_record(job1.get(), path("orphan.jsonl"));
  job1.reset();
  EXPECT_EQ(streamalloc_record_checkpoint(orphan.get()), STREAMALLOC_ERR_INVALID_ARGUMENT);
  EXPECT_TRUE(message_has("the record's allocator")) << streamalloc_last_error();
  EXPECT_EQ(streamalloc_record_free(orphan.release()), STREAMALLOC_OK);
}

}  // namespace
}  // namespace streamalloc::capi::testing
