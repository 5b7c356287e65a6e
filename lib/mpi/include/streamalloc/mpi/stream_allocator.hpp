// streamalloc/mpi/stream_allocator.hpp — a rank's source of streams: allocation plus claims.
//
// Each rank of a run constructs one stream_allocator for the run's campaign and job index. Every
// method returns the generator (or SeedSequence) AND records what it took in the rank's
// claim_registry, so a rank's own reuse is refused at once (reuse_error) and verify() can later
// prove that no stream was taken twice anywhere.
//
// Index layout. Each job of a campaign owns a region of its own (campaign.hpp: Philox keys
// root_key + job * 2^64 + id; jump counts job * 2^40 + index), so jobs of a job array never share
// a stream, whatever they do and with no communication between them. Within its job's region a
// run lays out Philox stream IDs (philox strategy) or jump indices (jumped strategy) thus, with
//   R = the resume point (next free index of this job; 0 for the job's first run),
//   P = ranks, B = block_size, D = dynamic_block_size, r = this rank:
//   static   [R, R + P*B)                  rank r's i-th static stream (i < B): R + r*B + i;
//   dynamic  [R + P*B, ...)                reserved D at a time:
//     partitioned (default): rank r's k-th block starts at R + P*B + (k*P + r)*D — a closed
//                 form of rank and a local counter, so dynamic allocation never communicates and
//                 keeps working while any other rank computes without calling MPI;
//     window:     block k (k = a counter on rank 0, advanced by MPI_Fetch_and_op) starts at
//                 R + P*B + k*D. Denser, but each reservation is a remote atomic on rank 0:
//                 with Open MPI 4.1.4 over TCP it waits until rank 0 next calls MPI, and across
//                 hosts it needs `--mca osc pt2pt` (MPI_Win_allocate fails with the default
//                 one-sided component; we then fall back to MPI_Win_create), and osc/pt2pt
//                 refuses MPI_THREAD_MULTIPLE: construct the runtime with
//                 MPI_THREAD_SERIALIZED for it (ctest mpi.allocator_osc_pt2pt does).
// Limits: Philox IDs [0, 2^64) for any job < 2^64; jump indices [0, 2^40) for jobs < 2^22
// (each job's 2^40 ≈ 1.1e12 streams); allocation past them throws invalid_argument naming the
// limit. Explicit IDs (philox_explicit, jumped_explicit, the *_range methods) are indices of the
// job's own region too — exactly what the claim checks exist for: keep them outside the
// regions above (e.g. below R).
//
// The job of a job array task: job_from_scheduler() (job_array.hpp) reads it from the scheduler's
// environment (SLURM_ARRAY_TASK_ID, PBS_ARRAY_INDEX, PBS_ARRAYID, LSB_JOBINDEX).
//
// Spawn strategy: rank-rooted paths (rank, i) from spawn_rank(i), or any task-rooted path
// (task, subtask, ...) from spawn(); both derive SeedSequence(root, spawn_key=(job, *path))
// locally, with no communication. Do not mix the two rootings in one run: a task whose number
// equals a rank number would alias (verify() reports it).
//
// Reuse has two outcomes, depending on where the two claims of one stream are made:
//   * on the SAME rank, the second claim is refused at once: the method throws reuse_error
//     naming both claims, records nothing and hands out no stream (the registry sees every
//     claim of its rank, including aliases such as a hand-built copy of a stream ID);
//   * on DIFFERENT ranks (or in different runs of the campaign), each rank sees only its own
//     claim, so both succeed; the collective verify() then reports the pair in its verdict —
//     same_descriptor, same_identity or overlap, naming both ranks — identically on every rank,
//     and require_clean() turns a non-clean verdict into the same reuse_error on every rank.
//     Across runs, `streamalloc audit` compares the runs' manifests the same way.
// Handling both, e.g. for tasks chosen by the application:
//   try {
//     auto taken = alloc.philox_explicit(stream_id(task));  // local: may throw reuse_error
//     simulate(task, taken.stream);
//   } catch (const reuse_error& e) {                     // this rank took that stream already
//     std::fprintf(stderr, "task %llu skipped: %s\n", (unsigned long long)task, e.what());
//   }
//   const mpi::verdict v = alloc.verify();  // COLLECTIVE: every rank, same verdict
//   if (!v.clean()) {                       // another rank took a stream this rank took
//     if (rt.mpi_rank() == 0) std::fprintf(stderr, "%s\n", v.report().c_str());
//     return 1;                             // every rank takes this branch together
//   }
//
// Collective calls: the constructor and destructor when options.dynamic == window (window
// creation/free); next_free() and verify() always. Everything else is local.
// Thread safety: all allocation and claim methods may be called from several threads at once
// (the window policy additionally needs MPI_THREAD_SERIALIZED or better from MPI, or calls from
// the main thread only). Collective calls must be made from one thread per rank.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "streamalloc/campaign.hpp"
#include "streamalloc/error.hpp"
#include "streamalloc/claims/claim.hpp"
#include "streamalloc/claims/claim_registry.hpp"
#include "streamalloc/claims/manifest.hpp"
#include "streamalloc/mpi/job_array.hpp"  // job_from_scheduler(): the job of a job array task
#include "streamalloc/mpi/runtime.hpp"
#include "streamalloc/mpi/verify.hpp"
#include "streamalloc/pcg64.hpp"
#include "streamalloc/philox.hpp"
#include "streamalloc/seed_sequence.hpp"
#include "streamalloc/stream_ids.hpp"
#include "streamalloc/uint128.hpp"

namespace streamalloc::detail {
class window_counter;
}

namespace streamalloc::mpi {

enum class dynamic_policy : std::uint8_t { partitioned, window };

struct allocator_options {
  // Indices each rank owns in the static region (B above); 0 = no static region.
  std::uint64_t block_size = 1024;
  // Indices reserved at a time by dynamic allocation (D above); >= 1.
  std::uint64_t dynamic_block_size = 1024;
  dynamic_policy dynamic = dynamic_policy::partitioned;
  // Where this run continues its job's region (R above): the first Philox stream ID and jump
  // index no earlier run of the job claimed — find_resume_point(manifests, origin, job)
  // .next_stream / .next_jump for --resume-from, or next_free() of the job's previous run.
  stream_id resume_stream{0};
  jump_index resume_jump{0};
  // Budget (64-bit draws per stream, 1 to 2^64: claims/claim.hpp) recorded on claims that do
  // not give one; claims with a budget outside that range are refused (invalid_argument).
  uint128 budget = claims::unlimited_budget;
};

// How the tasks of a run of streams (the *_range methods) relate to its IDs.
enum class task_layout : std::uint8_t {
  shared,    // every stream of the run serves `task`
  lockstep,  // stream k of the run serves `task` with its last component advanced by k
};

// Per-claim details recorded with the claim.
struct claim_options {
  std::optional<task_path> task;  // the logical task the stream (or a run's first stream) serves
  std::optional<uint128> budget;  // default: allocator_options::budget
  task_layout tasks = task_layout::shared;  // for runs of streams; lockstep needs a task
};

// What the allocator recorded, for run records (run_record.hpp): a claim, or a use (the
// streams of `what` have used `what.used` draws).
struct journal_entry {
  claims::claim what;
  bool use = false;
};

// A stream together with the claim recorded for it (pass `record` to record_use()).
template <class Stream>
struct claimed {
  Stream stream;
  claims::claim record;
};

// A run of consecutive streams claimed as one record (one registry entry, one check, however
// long the run): stream(k) builds its k-th stream on demand.
template <class Stream>
class claimed_run {
 public:
  claimed_run(const campaign& origin, claims::claim record)
      : origin_(&origin), record_(std::move(record)) {}

  std::uint64_t size() const noexcept { return record_.count; }
  const claims::claim& record() const noexcept { return record_; }

  // Stream k (k < size()) of the run: stream ID / jump index first + k, or spawn path
  // prefix + (first + k,). Throws invalid_argument past the end.
  Stream stream(std::uint64_t k) const {
    if (k >= record_.count) {
      throw invalid_argument("claimed_run: stream " + std::to_string(k) + " of a run of " +
                             std::to_string(record_.count) + ", expected below " +
                             std::to_string(record_.count));
    }
    const std::uint64_t index = record_.first + k;
    if constexpr (std::is_same_v<Stream, philox>) {
      return origin_->philox_stream(record_.job, stream_id(index));
    } else if constexpr (std::is_same_v<Stream, pcg64>) {
      return origin_->jumped_stream(record_.job, jump_index(index));
    } else {
      static_assert(std::is_same_v<Stream, seed_sequence>);
      std::vector<std::uint64_t> path = record_.prefix;
      path.push_back(index);
      return origin_->spawn_sequence(record_.job, task_path(std::move(path)));
    }
  }

 private:
  const campaign* origin_;  // the allocator's campaign: a run must not outlive its allocator
  claims::claim record_;
};

class stream_allocator {
 public:
  // Collective if options.dynamic == window (creates the counter window); local otherwise.
  // Throws invalid_argument on inconsistent options (zero dynamic block, a static region that does
  // not fit the job stride, overflow past 2^64) — on every rank, for the window policy.
  stream_allocator(const runtime& rt, campaign origin, job_index job,
                   const allocator_options& options = {});
  // Collective if the window policy is used (MPI_Win_free). Never throws.
  ~stream_allocator();
  stream_allocator(const stream_allocator&) = delete;
  stream_allocator& operator=(const stream_allocator&) = delete;

  // --- philox strategy: campaign.philox_stream(id) -------------------------------------------
  // This rank's local_index-th static stream (local_index < block_size).
  claimed<philox> philox_static(std::uint64_t local_index, const claim_options& details = {});
  // The next stream of this rank's dynamic reservation (reserving a new block when it runs out).
  claimed<philox> philox_dynamic(const claim_options& details = {});
  // A stream ID the user chose.
  claimed<philox> philox_explicit(stream_id id, const claim_options& details = {});
  // Runs of streams, one claim each: this rank's static streams [local_first, local_first +
  // count), or the IDs [first, first + count) the user chose. With details.tasks == lockstep,
  // stream k serves task details.task advanced by k (e.g. a rank's share of histories).
  claimed_run<philox> philox_static_range(std::uint64_t local_first, std::uint64_t count,
                                          const claim_options& details = {});
  claimed_run<philox> philox_range(stream_id first, std::uint64_t count,
                                   const claim_options& details = {});

  // --- jumped strategy: campaign.jumped_stream(index) ----------------------------------------
  claimed<pcg64> jumped_static(std::uint64_t local_index, const claim_options& details = {});
  claimed<pcg64> jumped_dynamic(const claim_options& details = {});
  claimed<pcg64> jumped_explicit(jump_index index, const claim_options& details = {});
  claimed_run<pcg64> jumped_static_range(std::uint64_t local_first, std::uint64_t count,
                                         const claim_options& details = {});
  claimed_run<pcg64> jumped_range(jump_index first, std::uint64_t count,
                                  const claim_options& details = {});

  // --- spawn strategy: campaign.spawn_sequence(job, path) ------------------------------------
  // Rank-rooted: the path (rank, local_index).
  claimed<seed_sequence> spawn_rank(std::uint64_t local_index, const claim_options& details = {});
  // Any non-empty path, e.g. task-rooted (task, subtask, ...).
  claimed<seed_sequence> spawn(const task_path& path, const claim_options& details = {});
  // The paths parent + (first + k,) for k < count, e.g. the sub-tasks of one task.
  claimed_run<seed_sequence> spawn_range(const task_path& parent, std::uint64_t first,
                                         std::uint64_t count, const claim_options& details = {});

  // --- hand-built streams (any strategy), checked by identity and by draw-interval overlap ---
  // Philox with this key at this 256-bit counter (little-endian words, as philox::counter()
  // holds it): its draws use counter blocks counter + 1 on. A jumped(k) copy of a campaign
  // stream is its key at counter k * 2^128, a different stream; at counter 0, the stream itself.
  claimed<philox> philox_at(uint128 key, const philox::counter_type& counter,
                            const claim_options& details = {});
  // The same for a counter below 2^128.
  claimed<philox> philox_at(uint128 key, uint128 counter, const claim_options& details = {});
  // The Philox generator the caller positioned (key and full counter, e.g. after advance() or
  // jumped()). Its buffer must be empty, as construction, advance(), retreat() and jumped()
  // leave it, so that its next draw is the first of block counter + 1; throws
  // invalid_argument naming the buffer position otherwise.
  claimed<philox> philox_at(const philox& start, const claim_options& details = {});
  // A PCG64 generator the caller positioned, e.g. by advance().
  claimed<pcg64> pcg64_at(const pcg64& start, const claim_options& details = {});
  // The campaign's root PCG64 advanced by `offset` draws: advance-based blocks of one stream.
  // Give a budget, or every block overlaps every later one.
  claimed<pcg64> pcg64_block(uint128 offset, const claim_options& details = {});

  // Records the draws a claimed stream used (reported by verify() if over budget). Local.
  void record_use(const claims::claim& record, uint128 used);

  // --- the journal, which run records append to the run's manifest (run_record.hpp) ----------
  // Starts journaling: from now on every claim and use this allocator records is also kept until
  // take_journal() hands it out. Returns the claims held so far (the registry's snapshot), which
  // the journal does not repeat. Throws invalid_argument if a journal is open already (one run
  // record per allocator). Local; thread-safe like the claim methods.
  std::vector<claims::claim> open_journal();
  // The claims and uses recorded since open_journal() or the last take_journal(), in the order
  // they were recorded, consecutive claims of one run joined as the registry joins them. Local.
  std::vector<journal_entry> take_journal();
  // Stops journaling and drops what was not taken. Local.
  void close_journal() noexcept;

  // COLLECTIVE: where the campaign's next run continues — one past the largest stream ID and
  // jump index claimed by any rank (never below this run's own resume point), as
  // manifest::next_free() computes it from the manifest. Same on every rank.
  claims::manifest::free_point next_free() const;

  // COLLECTIVE: verify(runtime(), registry()).
  verdict verify() const;

  const runtime& mpi_runtime() const noexcept { return rt_; }
  const campaign& origin() const noexcept { return registry_.origin(); }
  job_index job() const noexcept { return job_; }
  const claims::claim_registry& registry() const noexcept { return registry_; }
  const allocator_options& options() const noexcept { return options_; }
  // First index of this run's static region and of its dynamic region (see the layout above).
  std::uint64_t static_base() const noexcept { return base_; }
  std::uint64_t dynamic_base() const noexcept { return dynamic_base_; }

 private:
  void require(strategy wanted, const char* method) const;
  // The resume point of the campaign's index space (stream IDs, or jump indices if jumped).
  std::uint64_t resume_index() const;
  std::uint64_t static_index(std::uint64_t local_index) const;
  // First index of the static run [local_first, local_first + count); checks it fits the block.
  std::uint64_t static_run(std::uint64_t local_first, std::uint64_t count,
                           const char* method) const;
  std::uint64_t dynamic_index();
  void reserve_block();
  claims::claim make_claim(claims::claim_kind kind, std::uint64_t first,
                           const claim_options& details, std::uint64_t count = 1) const;
  claims::claim record(claims::claim taken);

  const runtime& rt_;
  job_index job_;
  allocator_options options_;
  claims::claim_registry registry_;
  std::uint64_t base_ = 0;          // static region start
  std::uint64_t dynamic_base_ = 0;  // dynamic region start
  std::uint64_t region_end_ = 0;    // one past the job region's last index (jumped), else 0

  // Guards the journal and orders registry additions with it (so that open_journal()'s snapshot
  // and the journal neither miss nor repeat a claim).
  std::mutex journal_mutex_;
  bool journaling_ = false;
  std::vector<journal_entry> journal_;

  std::mutex dynamic_mutex_;  // guards the reservation below and the window counter
  std::uint64_t next_in_block_ = 0;
  std::uint64_t block_end_ = 0;  // [next_in_block_, block_end_) is still free
  std::uint64_t blocks_reserved_ = 0;
  std::unique_ptr<streamalloc::detail::window_counter> window_;
};

}  // namespace streamalloc::mpi
