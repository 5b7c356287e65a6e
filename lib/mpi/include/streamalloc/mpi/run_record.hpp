// streamalloc/mpi/run_record.hpp — the run's manifest, written by every rank as the run goes.
//
// A run_record keeps the durable record of a run (manifest.hpp, format 3 run records): its
// campaign, job and ranks, and every claim its allocator makes. Each rank appends its own claims
// to its own shard (<manifest>.<run>.d/<rank>.jsonl) — nothing is gathered to rank 0 — and a
// small manifest names how many lines of each shard the record holds:
//
//   mpi::run_record record(alloc, "run.jsonl");   // COLLECTIVE: shards created, run.jsonl
//   for (round ...) {                             //   names an empty record from here on
//     ... claim and use streams ...
//     record.checkpoint([&](const claims::record_position& at) {
//       write_my_checkpoint(at, tallies);         // rank 0, once commit `at` is on disk
//     });
//   }
//   record.close();                               // COLLECTIVE: the final commit
//
// Cost. checkpoint() only takes the claims made since the last checkpoint from the allocator's
// journal and hands them to a background thread; each rank's thread then appends them to its
// shard (O(new claims of the rank), never O(all claims)), syncs it, agrees with the other
// ranks' threads that every shard is on disk, and rank 0 replaces the manifest (atomically,
// O(ranks)). The threads wait with non-blocking collectives on a communicator of their own,
// sleeping between tests, so they leave the cores to the computation. Up to pipeline_depth
// commits may be in flight: checkpoint k waits for commit k - 2, so the disk's sync latency
// (milliseconds per fsync) is hidden behind two rounds of work. close() waits for all. Without
// MPI_THREAD_MULTIPLE the same steps run inside checkpoint() instead.
//
// Atomicity. The manifest is replaced only after every rank's lines are on disk, and readers
// take exactly the lines it names: a crash (or SIGKILL) at any instant leaves a manifest that
// reads back as the last completed commit, never a torn one. A checkpoint's callback runs after
// its commit, so a program checkpoint written there never claims more than the record holds;
// the record may hold more (a commit whose callback did not finish), which `streamalloc audit`
// accepts as replays when a run restarted from the earlier checkpoint redoes that work
// (record_lineage: pass the position the checkpoint stored as options.resumed_from).
//
// Failures. An I/O error or a failed callback on any rank becomes the same exception on every
// rank (agreement.hpp): thrown by the checkpoint() or close() that follows (or by that call, when
// it runs inline). The record stays as its last completed commit. Paths are checked before the
// run starts: the manifest must be absent or a regular file in a writable directory (a device,
// directory, FIFO or symbolic link there is refused), and shards are created exclusively.
//
// Collective calls: the constructor, checkpoint() and close(), on every rank in the same order.
// The destructor waits for a pending commit but writes nothing more (an unclosed record reads
// back as its last commit, "complete": false). Thread safety: one thread per rank calls these;
// the allocator may be used from any thread meanwhile.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "streamalloc/claims/record_position.hpp"
#include "streamalloc/mpi/stream_allocator.hpp"

namespace streamalloc::mpi {

struct run_record_options {
  // The commit this run restarted from (the position a checkpoint stored), recorded as the
  // manifest's "resumed_from".
  std::optional<claims::record_lineage> resumed_from;
  // Flush shards and manifest to disk at each commit (fdatasync, fsync). Without it a commit is
  // still atomic for readers and against a crash of the process, not of the machine.
  bool sync = true;
  // Commit on a background thread when MPI provides MPI_THREAD_MULTIPLE (else inline).
  bool background = true;
};

class run_record {
 public:
  // Called on rank 0 once a checkpoint's commit is on disk, with its position.
  using after_commit = std::function<void(const claims::record_position&)>;

  // COLLECTIVE. Starts the record of `alloc`'s run at `manifest` (opening the allocator's
  // journal: claims made before are the first commit's). Throws io_error naming the path on
  // every rank if it cannot be written (checked now, before the run computes anything), and
  // invalid_argument if the allocator already has a record.
  run_record(stream_allocator& alloc, std::filesystem::path manifest,
             run_record_options options = {});
  // Waits for a pending commit; never throws; not collective (see above).
  ~run_record();
  run_record(const run_record&) = delete;
  run_record& operator=(const run_record&) = delete;

  // Commits in flight at most: checkpoint k first waits for commit k - pipeline_depth.
  static constexpr std::uint64_t pipeline_depth = 2;

  // COLLECTIVE. Commits the claims and uses made since the last commit (see Cost), then calls
  // `then` on rank 0 with the commit's position (on the background thread, when there is one).
  // Throws the agreed failure of an earlier commit, if any.
  void checkpoint(after_commit then = {});

  // COLLECTIVE. The final commit ("complete": true), waited for; returns its position (the same
  // on every rank). Throws the agreed failure of this or an earlier commit. Later calls throw
  // invalid_argument.
  claims::record_position close();

  // Waits until every commit started so far (the constructor's, each checkpoint()'s, close()'s)
  // is on disk and returns the last one's position, the same on every rank: what a program
  // stores in its own checkpoint when it writes it after checkpoint() returns rather than in its
  // callback (the C and Fortran APIs). Throws the agreed failure of any of those commits. Not
  // collective: the commits advance on every rank's background thread (or ran inline), so one
  // rank may call it alone.
  claims::record_position wait();

  // The run's ID and manifest path; the position of the last completed commit.
  const std::string& run() const noexcept;
  const std::filesystem::path& manifest() const noexcept;
  claims::record_position position() const;

 private:
  struct state;
  std::unique_ptr<state> state_;
};

}  // namespace streamalloc::mpi
