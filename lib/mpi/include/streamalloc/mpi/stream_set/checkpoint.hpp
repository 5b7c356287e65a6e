// streamalloc/mpi/stream_set/checkpoint.hpp — one file holding a whole run's stream sets and
// claims, written collectively with MPI-IO and read back on any rank count the sets allow.
//
// write_checkpoint() saves, for every rank, its claim registry and its claimed stream sets
// (claimed_stream_set.hpp), plus an application blob from rank 0 (e.g. the round reached).
// read_checkpoint() on a restarted run gives each rank the sets it continues and re-adds the
// written run's claims to the new allocators; the rank re-creates each set's variables the way
// the first run did and restores them, after which every variable continues exactly where it
// stood (bit for bit: all of a variable's state is in its bit generator):
//
//   // first run, every round:
//   write_checkpoint(alloc, "run.ckpt", sets, app_state);                      // COLLECTIVE
//   // restart (any rank count for task-rooted sets):
//   stream_set_checkpoint ck = read_checkpoint(alloc, "run.ckpt");              // COLLECTIVE
//   for (const task_path& t : ck.task_sets()) {
//     claimed_stream_set s = ck.resume_task_set(alloc, t);
//     auto x = s->normal(0.0, 2.0);  // the same variables, in the same order, as the first run
//     ck.restore(s);                 // x continues where it stood at the checkpoint
//   }
//
// Redistribution. A task-rooted set goes to rank assign(task, ranks) of the reading run, where
// `task` is the task its claims name (its path unless given); the default assignment is the
// task's first component modulo the rank count. A rank-rooted set is named by its rank number,
// so it continues on the same rank of a run with the SAME rank count; a checkpoint holding one is
// refused on any other count (invalid_argument saying why).
//
// Claims: the written run's claims are carried into the reading run's registries (the choice
// between this and copying them into the next manifest): the restarted run continues the same
// job and keeps drawing from the same streams, so its verify() must see them as taken — a new
// claim of any of them is refused at once on the rank that holds it, or reported by verify() —
// and its manifest lists them, replacing the killed run's (audit it INSTEAD of the killed run's
// manifest, not next to it: both name the same streams). A claim that names a task goes to the
// rank of that task (the task of its first stream, for a lockstep run); one that names none stays
// on its rank number modulo the new rank count. Carried claims are owned by the rank they land
// on. Re-creating a resumed set's checkpointed variables claims nothing (their claims are among
// the carried ones); variables created beyond them, and reseeds, are claimed as usual. Read into
// a fresh allocator of the same campaign and job: claims already held may collide. The whole file
// is read and checked before the first claim is carried, so a damaged file leaves `alloc` as it
// was; only a carried claim the registry refuses (reuse_error) leaves the ones before it held.
//
// File format, version 1 (integers little-endian; `string` = u32 byte count + bytes):
//   header, written by rank 0 at offset 0:
//     0   8 bytes  magic 89 53 41 53 43 4B 50 0A ("\x89SASCKP\n")
//     8   u32      format version (stream_set_checkpoint_version; other versions are refused)
//     12  u32      flags, 0 (reserved)
//     16  u64      header length H (up to and including the header's CRC)
//     24  u64      file length F
//     32  u64      job
//     40  u32      ranks R of the writing run
//     44  u32      reserved, 0
//     48  u64      set count S
//     56  string   campaign, as manifests hold it ({"root": .., "strategy": .., "pool_size": ..})
//         string   application state (rank 0's blob)
//         R x      claim block of rank r: u64 offset, u64 length, u64 records, u32 CRC-32C
//         S x      set: u32 writing rank, u8 rooting (0 task, 1 rank), u8 family
//                  (bit_generator_kind), u32 n + n x u64 origin path, u8 has_task
//                  [+ u32 n + n x u64 task], u64 budget low, u64 budget high,
//                  u64 offset, u64 length, u32 CRC-32C
//     H-4 u32      CRC-32C (crc32c.hpp) of bytes [0, H - 4)
//   then each rank's block, in rank order: its claims as JSON Lines (one claim per line, the
//   manifest's form), then its sets, each a binary stream_set snapshot (stream_set_snapshot.hpp,
//   with its own frame and CRC).
// Every byte is under a CRC or is a length checked against the file's size, so a truncated,
// damaged or foreign file is refused (io_error) before anything is restored.
//
// Atomicity: the file is written to a temporary file next to <path> — an unpredictable name
// (".<name>.<16 hex digits>.tmp") that rank 0 creates with O_CREAT | O_EXCL | O_NOFOLLOW
// before the collective open, so a symbolic link or file planted in a shared directory is never
// written through — with MPI_File_write_at_all, synced and closed; only when every rank agrees
// that all of that succeeded does rank 0 rename it over <path> (and sync the directory). A
// <path> that exists and is not a regular file (a device, a directory, a symbolic link) is
// refused (io_error), and the temporary file is removed on every failure. A crash or a failure on any rank therefore leaves the
// previous checkpoint at <path>, never a torn one. Concurrent writers to one path are not
// coordinated.
//
// Errors: every failure on any rank (a damaged file, a rank that could not write, a refused
// claim) is agreed on (agreement.hpp): every rank throws the same exception, listing the failing
// ranks; none hangs. Kinds: io_error for files that cannot be read, written or trusted;
// invalid_argument for a checkpoint of another campaign or job, a rank count the sets do not
// allow, or a bad assignment; reuse_error for carried claims that collide.
// Limits: one rank's block (claims + snapshots) must be below 2 GiB (one MPI write each).
//
// Both functions are MPI-collective over the allocator's runtime; call them from one thread per
// rank. The returned stream_set_checkpoint is a local value.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <span>
#include <vector>

#include "streamalloc/any_bit_generator.hpp"
#include "streamalloc/campaign.hpp"
#include "streamalloc/mpi/stream_set/claimed_stream_set.hpp"
#include "streamalloc/mpi/stream_allocator.hpp"
#include "streamalloc/stream_ids.hpp"
#include "streamalloc/stream_set/snapshot.hpp"

namespace streamalloc::mpi {

// The format version write_checkpoint writes and read_checkpoint accepts.
inline constexpr std::uint32_t stream_set_checkpoint_version = 1;

// COLLECTIVE: writes every rank's claims and `sets` (this rank's claimed stream sets, any
// number, each snapshot()ed — which makes their current states the `before` of their next
// snapshot) and rank 0's `app_state` to `path`, atomically. Other ranks' app_state is ignored.
void write_checkpoint(const stream_allocator& alloc, const std::filesystem::path& path,
                      std::span<claimed_stream_set> sets,
                      std::span<const std::byte> app_state = {});

// Where a task-rooted set (or a claim naming `task`) goes among `ranks` ranks: a rank in
// [0, ranks). Must give the same answer on every rank.
using task_assignment = std::function<int(const task_path& task, int ranks)>;

// The default assignment: the task's first component modulo `ranks` (0 for an empty task).
int round_robin(const task_path& task, int ranks);

// One checkpointed set: how it was claimed, and its state.
struct checkpointed_set {
  stream_set_rooting rooting = stream_set_rooting::task;
  task_path origin;  // claimed_stream_set::origin_path()
  bit_generator_kind family = bit_generator_kind::pcg64;
  claim_options details;  // task and budget of its claims
  rank_id writer{};       // the rank that wrote it
  stream_set_snapshot snapshot;
};

// What one rank of the reading run continues. A value; not thread-safe to mutate.
class stream_set_checkpoint {
 public:
  const campaign& origin() const noexcept { return origin_; }
  job_index job() const noexcept { return job_; }
  // The rank count of the run that wrote the checkpoint.
  std::uint32_t written_ranks() const noexcept { return written_ranks_; }
  // The writing run's rank 0 blob.
  std::span<const std::byte> app_state() const noexcept { return app_state_; }
  // The sets this rank continues, by rooting and origin path (sorted).
  const std::vector<checkpointed_set>& sets() const noexcept { return sets_; }
  // Origin paths of this rank's task-rooted sets, and local indices of its rank-rooted ones.
  std::vector<task_path> task_sets() const;
  std::vector<std::uint64_t> rank_sets() const;
  // Claim records carried into this rank's allocator.
  std::uint64_t carried_claims() const noexcept { return carried_claims_; }

  // The set of task path `task` (a task-rooted set this rank continues) on its checkpointed meta
  // seed, with no variables yet; re-create its variables as the first run did, then restore().
  // Throws invalid_argument if this rank continues no such set. Local.
  claimed_stream_set resume_task_set(stream_allocator& alloc, const task_path& task) const;
  // The same for this rank's rank-rooted set (rank, local_index).
  claimed_stream_set resume_rank_set(stream_allocator& alloc, std::uint64_t local_index) const;
  // set->restore(the checkpointed snapshot of the set with set's rooting and origin path):
  // invalid_argument if there is none here or its variables differ (stream_set::restore). Local.
  void restore(claimed_stream_set& set) const;

 private:
  friend stream_set_checkpoint read_checkpoint(stream_allocator&, const std::filesystem::path&,
                                               const task_assignment&);
  const checkpointed_set& find(stream_set_rooting rooting, const task_path& origin) const;
  claimed_stream_set resume(stream_allocator& alloc, const checkpointed_set& saved) const;

  campaign origin_{seed_entropy(0), strategy::spawn};
  job_index job_{};
  std::uint32_t written_ranks_ = 0;
  std::vector<std::byte> app_state_;
  std::vector<checkpointed_set> sets_;
  std::uint64_t carried_claims_ = 0;
};

// COLLECTIVE: reads `path` on any rank count (see the file comment), re-adds the carried claims
// to `alloc` (whose campaign and job must be the checkpoint's), and returns what this rank
// continues. `assign` places task-rooted sets and task-naming claims.
stream_set_checkpoint read_checkpoint(stream_allocator& alloc, const std::filesystem::path& path,
                                      const task_assignment& assign = round_robin);

}  // namespace streamalloc::mpi
