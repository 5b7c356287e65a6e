// The MPI C API (streamalloc_mpi.h) under mpiexec: every allocation method gives the stream the
// C++ API gives for the same campaign, reuse is refused or reported on every rank, collective
// calls agree on failures (the run record: mpi_capi_record_test.cpp). Run on 1, 2 and 3 ranks
// through mpi_test_main.cpp (its verdict all-reduced). Never assert before a collective the other
// ranks will enter: reduce first (all_ranks), then assert.
#include <gtest/gtest.h>
#include <mpi.h>

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "capi_test_support.hpp"
#include "mpi_test_support.hpp"
#include "streamalloc/any_bit_generator.hpp"
#include "streamalloc/campaign.hpp"
#include "streamalloc/mpi/stream_allocator.hpp"
#include "streamalloc_mpi.h"

namespace streamalloc::capi::testing {
namespace {

using streamalloc::mpi::testing::all_ranks;
using streamalloc::mpi::testing::same_on_all_ranks;
using streamalloc::mpi::testing::world;

using runtime_ptr =
    std::unique_ptr<streamalloc_runtime, deleter<streamalloc_runtime, streamalloc_runtime_free>>;
using allocator_ptr = std::unique_ptr<streamalloc_allocator,
                                      deleter<streamalloc_allocator, streamalloc_allocator_free>>;
using claim_ptr =
    std::unique_ptr<streamalloc_claim, deleter<streamalloc_claim, streamalloc_claim_free>>;

// Failed checks must not return from a test body before a collective the other ranks will enter:
// every check here is an EXPECT (a failed C call leaves a null handle, which later calls refuse
// without crashing).
#undef SA_OK
#define SA_OK SA_EXPECT_OK

constexpr const char* root = "20240611";

std::uint64_t my_rank() { return static_cast<std::uint64_t>(world().mpi_rank()); }

runtime_ptr make_runtime() {
  streamalloc_runtime* rt = nullptr;
  EXPECT_EQ(streamalloc_runtime_create(MPI_COMM_WORLD, &rt), STREAMALLOC_OK)
      << streamalloc_last_error();
  return runtime_ptr(rt);
}

campaign_ptr make_campaign(int strategy) {
  streamalloc_campaign* c = nullptr;
  EXPECT_EQ(streamalloc_campaign_create(root, strategy, 0, &c), STREAMALLOC_OK)
      << streamalloc_last_error();
  return campaign_ptr(c);
}

allocator_ptr make_allocator(streamalloc_runtime* rt, streamalloc_campaign* c, std::uint64_t job,
                             const streamalloc_allocator_options* options = nullptr) {
  streamalloc_allocator* a = nullptr;
  EXPECT_EQ(streamalloc_allocator_create(rt, c, job, options, &a), STREAMALLOC_OK)
      << streamalloc_last_error();
  return allocator_ptr(a);
}

std::string state_of(const streamalloc_claim* claim, std::uint64_t k, int kind = -1) {
  streamalloc_bitgen* gen = nullptr;
  if (streamalloc_claim_bitgen(claim, k, kind, &gen) != STREAMALLOC_OK) {
    ADD_FAILURE() << streamalloc_last_error();
    return {};
  }
  bitgen_ptr owned(gen);
  return text_of(owned.get(), streamalloc_bitgen_state_json);
}

std::string state_of(const any_bit_generator& gen) { return gen.state_json(); }

TEST(CapiRuntime, FromCAndFortranCommunicators) {
  runtime_ptr rt = make_runtime();
  int rank = -1;
  int size = -1;
  SA_EXPECT_OK(streamalloc_runtime_rank(rt.get(), &rank));
  SA_EXPECT_OK(streamalloc_runtime_size(rt.get(), &size));
  EXPECT_EQ(rank, world().mpi_rank());
  EXPECT_EQ(size, world().size());
  streamalloc_runtime* f = nullptr;
  SA_EXPECT_OK(streamalloc_runtime_create_f(MPI_Comm_c2f(MPI_COMM_WORLD), &f));
  runtime_ptr from_fortran(f);
  SA_EXPECT_OK(streamalloc_runtime_size(from_fortran.get(), &size));
  EXPECT_EQ(size, world().size());
  EXPECT_EQ(streamalloc_runtime_create(MPI_COMM_NULL, &f), STREAMALLOC_ERR_INVALID_ARGUMENT);
}

// Every philox method gives the stream the C++ stream_allocator gives for the same campaign,
// job and options (and so NumPy's Philox(key=root_key + job * 2**64 + id), which the C++ suites
// check against NumPy).
TEST(CapiAllocator, PhiloxMethodsMatchTheCppApi) {
  runtime_ptr rt = make_runtime();
  campaign_ptr c = make_campaign(STREAMALLOC_STRATEGY_PHILOX);
  streamalloc_allocator_options options;
  SA_OK(streamalloc_allocator_options_init(&options));
  options.block_size = 8;
  options.dynamic_block_size = 4;
  allocator_ptr alloc = make_allocator(rt.get(), c.get(), 3, &options);
  mpi::allocator_options cpp_options;
  cpp_options.block_size = 8;
  cpp_options.dynamic_block_size = 4;
  mpi::stream_allocator cpp(world(), campaign(seed_entropy(20240611), strategy::philox),
                            job_index(3), cpp_options);
  streamalloc_claim* raw = nullptr;

  SA_OK(streamalloc_allocator_philox_static(alloc.get(), 2, nullptr, &raw));
  claim_ptr s(raw);
  EXPECT_EQ(state_of(s.get(), 0), state_of(cpp.philox_static(2).stream));

  SA_OK(streamalloc_allocator_philox_dynamic(alloc.get(), nullptr, &raw));
  claim_ptr d(raw);
  EXPECT_EQ(state_of(d.get(), 0), state_of(cpp.philox_dynamic().stream));

  const std::uint64_t explicit_id = 100000 + my_rank();
  SA_OK(streamalloc_allocator_philox_explicit(alloc.get(), explicit_id, nullptr, &raw));
  claim_ptr e(raw);
  EXPECT_EQ(state_of(e.get(), 0), state_of(cpp.philox_explicit(stream_id(explicit_id)).stream));

  SA_OK(streamalloc_allocator_philox_static_range(alloc.get(), 4, 3, nullptr, &raw));
  claim_ptr sr(raw);
  const auto cpp_sr = cpp.philox_static_range(4, 3);
  std::uint64_t size = 0;
  SA_OK(streamalloc_claim_size(sr.get(), &size));
  EXPECT_EQ(size, 3U);
  for (std::uint64_t k = 0; k < 3; ++k)
    EXPECT_EQ(state_of(sr.get(), k), state_of(cpp_sr.stream(k)));

  const std::uint64_t task[1] = {200000 + 10 * my_rank()};
  streamalloc_claim_options details;
  SA_OK(streamalloc_claim_options_init(&details));
  details.task = task;
  details.task_depth = 1;
  details.tasks = STREAMALLOC_TASKS_LOCKSTEP;
  SA_OK(streamalloc_allocator_philox_range(alloc.get(), task[0], 5, &details, &raw));
  claim_ptr r(raw);
  const auto cpp_r = cpp.philox_range(stream_id(task[0]), 5);
  for (std::uint64_t k = 0; k < 5; ++k) EXPECT_EQ(state_of(r.get(), k), state_of(cpp_r.stream(k)));
  const std::string described = text_of(r.get(), streamalloc_claim_describe);
  EXPECT_NE(described.find("philox stream IDs"), std::string::npos) << described;

  // A rank's own reuse is refused at once; other strategies' methods are invalid here.
  EXPECT_EQ(streamalloc_allocator_philox_explicit(alloc.get(), explicit_id, nullptr, &raw),
            STREAMALLOC_ERR_REUSE);
  EXPECT_NE(std::string(streamalloc_last_error()).find("philox stream ID"), std::string::npos);
  EXPECT_EQ(streamalloc_allocator_jumped_static(alloc.get(), 0, nullptr, &raw),
            STREAMALLOC_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(streamalloc_claim_bitgen(s.get(), 0, STREAMALLOC_PCG64, nullptr),
            STREAMALLOC_ERR_INVALID_ARGUMENT);
  streamalloc_bitgen* gen = nullptr;
  EXPECT_EQ(streamalloc_claim_bitgen(s.get(), 0, STREAMALLOC_PCG64, &gen),
            STREAMALLOC_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(streamalloc_claim_bitgen(sr.get(), 3, -1, &gen), STREAMALLOC_ERR_INVALID_ARGUMENT);

  streamalloc_verdict* v = nullptr;
  SA_OK(streamalloc_allocator_verify(alloc.get(), &v));
  verdict_ptr verdict(v);
  bool clean = false;
  SA_OK(streamalloc_verdict_clean(verdict.get(), &clean));
  EXPECT_TRUE(all_ranks(clean));
}

TEST(CapiAllocator, JumpedAndSpawnMethodsMatchTheCppApi) {
  runtime_ptr rt = make_runtime();
  campaign_ptr cj = make_campaign(STREAMALLOC_STRATEGY_JUMPED);
  allocator_ptr jumped = make_allocator(rt.get(), cj.get(), 1);
  mpi::stream_allocator cpp_j(world(), campaign(seed_entropy(20240611), strategy::jumped),
                              job_index(1));
  streamalloc_claim* raw = nullptr;
  SA_OK(streamalloc_allocator_jumped_static(jumped.get(), 1, nullptr, &raw));
  claim_ptr js(raw);
  EXPECT_EQ(state_of(js.get(), 0), state_of(cpp_j.jumped_static(1).stream));
  SA_OK(streamalloc_allocator_jumped_dynamic(jumped.get(), nullptr, &raw));
  claim_ptr jd(raw);
  EXPECT_EQ(state_of(jd.get(), 0), state_of(cpp_j.jumped_dynamic().stream));
  SA_OK(streamalloc_allocator_jumped_explicit(jumped.get(), 50000 + my_rank(), nullptr, &raw));
  claim_ptr je(raw);
  EXPECT_EQ(state_of(je.get(), 0),
            state_of(cpp_j.jumped_explicit(jump_index(50000 + my_rank())).stream));
  SA_OK(streamalloc_allocator_jumped_static_range(jumped.get(), 2, 2, nullptr, &raw));
  claim_ptr jsr(raw);
  const auto cpp_jsr = cpp_j.jumped_static_range(2, 2);
  EXPECT_EQ(state_of(jsr.get(), 1), state_of(cpp_jsr.stream(1)));
  SA_OK(streamalloc_allocator_jumped_range(jumped.get(), 60000 + 2 * my_rank(), 2, nullptr, &raw));
  claim_ptr jr(raw);
  EXPECT_EQ(state_of(jr.get(), 1),
            state_of(cpp_j.jumped_range(jump_index(60000 + 2 * my_rank()), 2).stream(1)));
  // Hand-built positions: a block of the root PCG64, and a PCG64 positioned by hand.
  const std::uint64_t budget = 1000;
  streamalloc_claim_options details;
  SA_OK(streamalloc_claim_options_init(&details));
  details.has_budget = true;
  details.budget_lo = budget;
  SA_OK(streamalloc_allocator_pcg64_block(jumped.get(), budget * (10 + my_rank()), 0, &details,
                                          &raw));
  claim_ptr block(raw);
  EXPECT_EQ(state_of(block.get(), 0),
            state_of(cpp_j.pcg64_block(budget * (10 + my_rank()), {std::nullopt, budget}).stream));

  campaign_ptr cs = make_campaign(STREAMALLOC_STRATEGY_SPAWN);
  allocator_ptr spawn = make_allocator(rt.get(), cs.get(), 0);
  const campaign cpp_c(seed_entropy(20240611), strategy::spawn);
  SA_OK(streamalloc_allocator_spawn_rank(spawn.get(), 4, nullptr, &raw));
  claim_ptr sr(raw);
  EXPECT_EQ(
      state_of(sr.get(), 0, STREAMALLOC_SFC64),
      state_of(any_bit_generator(bit_generator_kind::sfc64,
                                 cpp_c.spawn_sequence(job_index(0), task_path{my_rank(), 4}))));
  const std::uint64_t path[2] = {1000 + my_rank(), 7};
  SA_OK(streamalloc_allocator_spawn(spawn.get(), path, 2, nullptr, &raw));
  claim_ptr sp(raw);
  EXPECT_EQ(state_of(sp.get(), 0),  // PCG64 by default
            state_of(any_bit_generator(
                pcg64(cpp_c.spawn_sequence(job_index(0), task_path{1000 + my_rank(), 7})))));
  streamalloc_seedseq* seq = nullptr;
  SA_OK(streamalloc_claim_seedseq(sp.get(), 0, &seq));
  seedseq_ptr owned(seq);
  EXPECT_EQ(text_of(owned.get(), streamalloc_seedseq_state_json),
            cpp_c.spawn_sequence(job_index(0), task_path{1000 + my_rank(), 7}).state_json());
  SA_OK(streamalloc_allocator_spawn_range(spawn.get(), path, 1, 20, 3, nullptr, &raw));
  claim_ptr range(raw);
  EXPECT_EQ(state_of(range.get(), 2, STREAMALLOC_PHILOX),
            state_of(any_bit_generator(
                philox(cpp_c.spawn_sequence(job_index(0), task_path{1000 + my_rank(), 22})))));
  // Philox at a key and counter, on a spawn campaign: any strategy may hold hand-built streams.
  SA_OK(streamalloc_allocator_philox_at(spawn.get(), 77 + my_rank(), 0, 5, 0, nullptr, &raw));
  claim_ptr at(raw);
  EXPECT_EQ(state_of(at.get(), 0),
            state_of(any_bit_generator(philox::from_key(77 + my_rank(), 5))));
  streamalloc_bitgen* gen = nullptr;
  SA_OK(streamalloc_claim_bitgen(js.get(), 0, -1, &gen));
  bitgen_ptr pcg(gen);
  SA_OK(streamalloc_bitgen_advance(pcg.get(), 12345, 1));
  SA_OK(streamalloc_allocator_pcg64_at(jumped.get(), pcg.get(), nullptr, &raw));
  claim_ptr pat(raw);
  EXPECT_EQ(state_of(pat.get(), 0), text_of(pcg.get(), streamalloc_bitgen_state_json));
  streamalloc_bitgen* sfc = nullptr;
  SA_OK(streamalloc_claim_bitgen(sr.get(), 0, STREAMALLOC_SFC64, &sfc));
  bitgen_ptr not_pcg(sfc);
  EXPECT_EQ(streamalloc_allocator_pcg64_at(jumped.get(), not_pcg.get(), nullptr, &raw),
            STREAMALLOC_ERR_INVALID_ARGUMENT);

  streamalloc_verdict* v = nullptr;
  SA_OK(streamalloc_allocator_verify(jumped.get(), &v));
  verdict_ptr jv(v);
  bool clean = false;
  SA_OK(streamalloc_verdict_clean(jv.get(), &clean));
  EXPECT_TRUE(all_ranks(clean)) << text_of(jv.get(), streamalloc_verdict_report);
  SA_OK(streamalloc_allocator_verify(spawn.get(), &v));
  verdict_ptr sv(v);
  SA_OK(streamalloc_verdict_clean(sv.get(), &clean));
  EXPECT_TRUE(all_ranks(clean)) << text_of(sv.get(), streamalloc_verdict_report);
}

// Two ranks claiming one stream ID: every rank's verify reports it, with the same report.
TEST(CapiVerify, ReuseAcrossRanksIsReportedOnEveryRank) {
  runtime_ptr rt = make_runtime();
  campaign_ptr c = make_campaign(STREAMALLOC_STRATEGY_PHILOX);
  allocator_ptr alloc = make_allocator(rt.get(), c.get(), 0);
  streamalloc_claim* raw = nullptr;
  SA_OK(streamalloc_allocator_philox_explicit(alloc.get(), 999999, nullptr, &raw));
  claim_ptr shared(raw);
  // Over budget: rank 0's stream used 2000 draws of a 1000-draw budget.
  streamalloc_claim_options details;
  SA_OK(streamalloc_claim_options_init(&details));
  details.has_budget = true;
  details.budget_lo = 1000;
  SA_OK(streamalloc_allocator_philox_static(alloc.get(), 0, &details, &raw));
  claim_ptr budgeted(raw);
  if (my_rank() == 0) {
    SA_OK(streamalloc_allocator_record_use(alloc.get(), budgeted.get(), 2000, 0));
  }
  streamalloc_verdict* v = nullptr;
  SA_OK(streamalloc_allocator_verify(alloc.get(), &v));
  verdict_ptr verdict(v);
  bool clean = true;
  std::int64_t conflicts = 0;
  SA_OK(streamalloc_verdict_clean(verdict.get(), &clean));
  SA_OK(streamalloc_verdict_conflicts(verdict.get(), &conflicts));
  const std::string report = text_of(verdict.get(), streamalloc_verdict_report);
  const bool reused = world().size() > 1;
  // Rank 0's over-budget stream, and rank 0's ID 999999 against each other rank's.
  const std::int64_t expected = 1 + (world().size() - 1);
  EXPECT_TRUE(all_ranks(!clean));
  EXPECT_TRUE(all_ranks(conflicts == expected)) << report;
  EXPECT_TRUE(same_on_all_ranks(report));
  EXPECT_TRUE(all_ranks(report.find("budget") != std::string::npos)) << report;
  EXPECT_TRUE(all_ranks(!reused || report.find("999999") != std::string::npos)) << report;
  EXPECT_EQ(streamalloc_verdict_require_clean(verdict.get()), STREAMALLOC_ERR_REUSE);
}

// A failure on one rank inside a collective call is every rank's failure, with one message.
TEST(CapiVerify, CollectiveFailuresAreAgreed) {
  runtime_ptr rt = make_runtime();
  campaign_ptr c = make_campaign(STREAMALLOC_STRATEGY_PHILOX);
  allocator_ptr alloc = make_allocator(rt.get(), c.get(), 0);
  streamalloc_verdict* v = nullptr;
  const streamalloc_status status =
      streamalloc_allocator_verify(alloc.get(), my_rank() == 0 ? nullptr : &v);
  const std::string message = streamalloc_last_error();
  EXPECT_TRUE(all_ranks(status == STREAMALLOC_ERR_INVALID_ARGUMENT)) << message;
  EXPECT_TRUE(same_on_all_ranks(message)) << message;
  EXPECT_TRUE(all_ranks(message.find("rank 0") != std::string::npos)) << message;
  std::uint64_t next_stream = 0;
  std::uint64_t next_jump = 0;
  SA_OK(streamalloc_allocator_next_free(alloc.get(), &next_stream, &next_jump));
  EXPECT_EQ(next_stream, 0U);
  // The allocator of a freed runtime is refused, not used.
  allocator_ptr orphan = make_allocator(rt.get(), c.get(), 1);
  rt.reset();
  EXPECT_EQ(streamalloc_allocator_verify(orphan.get(), &v), STREAMALLOC_ERR_INVALID_ARGUMENT);
  EXPECT_NE(std::string(streamalloc_last_error()).find("runtime"), std::string::npos);
}

// The window policy makes creation collective: a bad argument on one rank fails every rank, and
// the shared counter hands every rank distinct dynamic streams.
TEST(CapiAllocator, WindowPolicyIsCollective) {
  runtime_ptr rt = make_runtime();
  campaign_ptr c = make_campaign(STREAMALLOC_STRATEGY_PHILOX);
  streamalloc_allocator_options options;
  SA_OK(streamalloc_allocator_options_init(&options));
  options.dynamic_policy = STREAMALLOC_DYNAMIC_WINDOW;
  options.dynamic_block_size = 2;
  streamalloc_allocator* raw = nullptr;
  const streamalloc_status status =
      streamalloc_allocator_create(rt.get(), c.get(), 0, &options, my_rank() == 0 ? nullptr : &raw);
  EXPECT_TRUE(all_ranks(status == STREAMALLOC_ERR_INVALID_ARGUMENT)) << streamalloc_last_error();
  allocator_ptr alloc = make_allocator(rt.get(), c.get(), 0, &options);
  std::vector<claim_ptr> claims;
  for (int i = 0; i < 5; ++i) {
    streamalloc_claim* claim = nullptr;
    SA_OK(streamalloc_allocator_philox_dynamic(alloc.get(), nullptr, &claim));
    claims.emplace_back(claim);
  }
  streamalloc_verdict* v = nullptr;
  SA_OK(streamalloc_allocator_verify(alloc.get(), &v));
  verdict_ptr verdict(v);
  bool clean = false;
  SA_OK(streamalloc_verdict_clean(verdict.get(), &clean));
  EXPECT_TRUE(all_ranks(clean)) << text_of(verdict.get(), streamalloc_verdict_report);
}

}  // namespace
}  // namespace streamalloc::capi::testing
