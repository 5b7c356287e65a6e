// The run record (run_record.hpp): shards appended by their ranks, commits agreed between the
// ranks' background threads, the manifest replaced by rank 0.
#include "streamalloc/mpi/run_record.hpp"

#include <sys/stat.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "src/agreement_on.hpp"
#include "streamalloc/atomic_file.hpp"
#include "streamalloc/claims/record_shard.hpp"
#include "streamalloc/error.hpp"
#include "streamalloc/mpi/agreement.hpp"

namespace streamalloc::mpi {

// Commits waiting for the background thread, and how far it got. Every rank queues the same
// commits in the same order, and a commit's failure is agreed, so `failed` names the same commit
// on every rank: the main threads decide from it identically.
struct commit_queue {
  struct job {
    std::uint64_t index = 0;
    std::vector<journal_entry> entries;
    run_record::after_commit then;
  };
  std::mutex mutex;
  std::condition_variable changed;
  std::deque<job> pending;
  std::uint64_t queued = 0;             // commits queued so far
  std::uint64_t finished = 0;           // commits done or given up
  std::optional<std::uint64_t> failed;  // the first commit that failed
  std::exception_ptr failure;           // its agreed exception
  bool stop = false;
};

struct run_record::state {
  state(stream_allocator& a, std::filesystem::path m, run_record_options o)
      : alloc(a), rt(a.mpi_runtime()), manifest(std::move(m)), options(std::move(o)) {}

  stream_allocator& alloc;
  const runtime& rt;
  std::filesystem::path manifest;
  run_record_options options;
  std::string what;               // "run record <path>", for messages
  MPI_Comm comm = MPI_COMM_NULL;  // the commits' own communicator (background collectives)
  bool async = false;
  std::string run;
  std::unique_ptr<claims::shard_writer> shard;

  commit_queue queue;
  std::thread worker;
  mutable std::mutex done_mutex;
  claims::record_position done;  // the last completed commit
  bool closed = false;

  // One commit: append, agree, exchange counts, rank 0 replaces the manifest and calls `then`,
  // agree. `poll`: on the background thread.
  void commit(std::vector<journal_entry> entries, const after_commit& then, bool complete,
              bool poll);
  // Queues a commit (or runs it inline without a background thread).
  void launch(std::vector<journal_entry> entries, after_commit then);
  // Waits until every commit up to `index` (1-based) is finished; throws the agreed failure if
  // one of them failed.
  void wait_for(std::uint64_t index);
  // The background thread's loop.
  void work();
};

void run_record::state::commit(std::vector<journal_entry> entries, const after_commit& then,
                               bool complete, bool poll) {
  std::exception_ptr local;
  try {
    std::vector<claims::shard_writer::entry> lines;
    lines.reserve(entries.size());
    for (auto& e : entries) lines.push_back({std::move(e.what), e.use});
    shard->append(lines, options.sync);
  } catch (...) {
    local = std::current_exception();
  }
  detail::agree_on(comm, local, what + ": appending each rank's claims to its shard", poll);

  // Every rank learns every shard's committed lines and claims (2 words a rank).
  const auto ranks = static_cast<std::size_t>(rt.size());
  const std::array<std::uint64_t, 2> mine = {shard->lines(), shard->claims()};
  std::vector<std::uint64_t> all(2 * ranks);
  MPI_Request request = MPI_REQUEST_NULL;
  check_mpi(
      MPI_Iallgather(mine.data(), 2, MPI_UINT64_T, all.data(), 2, MPI_UINT64_T, comm, &request),
      "MPI_Iallgather (" + what + ": shard lines)");
  detail::complete(request, poll, "MPI_Iallgather (" + what + ": shard lines)");

  claims::record_position at;
  {
    const std::lock_guard lock(done_mutex);
    at = done;
  }
  at.commit += 1;
  at.shard_lines.resize(ranks);
  std::uint64_t claims_total = 0;
  for (std::size_t r = 0; r < ranks; ++r) {
    at.shard_lines[r] = all[2 * r];
    claims_total += all[2 * r + 1];
  }
  local = nullptr;
  if (rt.mpi_rank() == 0) {
    try {
      claims::write_record_manifest(
          {manifest, alloc.origin(), alloc.job(), static_cast<std::uint32_t>(ranks), run,
           options.resumed_from, at.shard_lines, claims_total, at.commit, complete},
          options.sync);
      if (then) then(at);
    } catch (...) {
      local = std::current_exception();
    }
  }
  detail::agree_on(comm, local, what + ": committing the manifest", poll);
  const std::lock_guard lock(done_mutex);
  done = std::move(at);
}

void run_record::state::launch(std::vector<journal_entry> entries, after_commit then) {
  std::unique_lock lock(queue.mutex);
  const std::uint64_t index = ++queue.queued;
  if (!async) {
    lock.unlock();
    try {
      commit(std::move(entries), then, false, false);
    } catch (...) {
      lock.lock();
      queue.failed = index;
      queue.failure = std::current_exception();
      queue.finished = index;
      throw;
    }
    lock.lock();
    queue.finished = index;
    return;
  }
  queue.pending.push_back({index, std::move(entries), std::move(then)});
  queue.changed.notify_all();
}

void run_record::state::wait_for(std::uint64_t index) {
  std::unique_lock lock(queue.mutex);
  queue.changed.wait(lock, [&] { return queue.finished >= index; });
  if (queue.failed && *queue.failed <= index) std::rethrow_exception(queue.failure);
}

void run_record::state::work() {
  std::unique_lock lock(queue.mutex);
  for (;;) {
    queue.changed.wait(lock, [&] { return queue.stop || !queue.pending.empty(); });
    if (queue.pending.empty()) return;  // stopping, nothing left
    commit_queue::job next = std::move(queue.pending.front());
    queue.pending.pop_front();
    const bool give_up = queue.failed.has_value();  // after a failure, on every rank alike
    lock.unlock();
    std::exception_ptr failure;
    if (!give_up) {
      try {
        commit(std::move(next.entries), next.then, false, true);
      } catch (...) {
        failure = std::current_exception();
      }
    }
    lock.lock();
    if (failure && !queue.failed) {
      queue.failed = next.index;
      queue.failure = failure;
    }
    queue.finished = next.index;
    queue.changed.notify_all();
  }
}

run_record::run_record(stream_allocator& alloc, std::filesystem::path manifest,
                       run_record_options options)
    : state_(std::make_unique<state>(alloc, std::move(manifest), std::move(options))) {
  state& s = *state_;
  s.what = "run record " + s.manifest.string();
  const runtime& rt = s.rt;
  s.async = s.options.background && rt.thread_level() >= MPI_THREAD_MULTIPLE;

  // The run's ID, from rank 0, and the paths: checked and created before anything is computed.
  std::array<char, 17> run{};
  std::vector<claims::claim> earlier;
  bool journal_open = false;
  try {
    agreed(rt, s.what + ": checking the manifest path", [&] {
      if (rt.mpi_rank() != 0) return;
      require_writable_target(s.manifest);
      const std::string id = random_hex64();
      std::memcpy(run.data(), id.c_str(), 17);
      const auto dir = claims::shard_directory(s.manifest, id);
      if (::mkdir(dir.c_str(), 0755) != 0) {
        throw io_error(dir.string() +
                       ": cannot create the record's shard directory: " + std::strerror(errno));
      }
    });
    check_mpi(MPI_Bcast(run.data(), 17, MPI_CHAR, 0, rt.comm()),
              "MPI_Bcast (" + s.what + ": run ID)");
    s.run = run.data();
    agreed(rt, s.what + ": creating each rank's shard", [&] {
      s.shard = std::make_unique<claims::shard_writer>(
          claims::shard_file(s.manifest, s.run, rt.rank().value()), s.run, rt.rank().value());
      earlier = s.alloc.open_journal();
      journal_open = true;
    });
    check_mpi(MPI_Comm_dup(rt.comm(), &s.comm), "MPI_Comm_dup (" + s.what + ")");
  } catch (...) {
    // No record was started: the allocator may take another one, and the empty shards go.
    if (journal_open) s.alloc.close_journal();
    s.shard.reset();
    std::error_code ignored;
    if (run[0] !=
        '\0') {  // rank 0 made the shard directory (every rank knows its name after the Bcast)
      const std::string id = run.data();
      std::filesystem::remove(claims::shard_file(s.manifest, id, rt.rank().value()), ignored);
      if (rt.mpi_rank() == 0) {
        // The other ranks remove their shards at the same moment, and remove_all stops at an
        // entry that vanished under it (seen: one run in five on 4 ranks left the directory):
        // again until the directory is gone.
        const auto dir = claims::shard_directory(s.manifest, id);
        for (int attempt = 0; attempt < 100 && std::filesystem::exists(dir, ignored); ++attempt) {
          std::filesystem::remove_all(dir, ignored);
        }
      }
    }
    throw;
  }
  if (s.async) s.worker = std::thread([&s] { s.work(); });
  s.done = {alloc.origin(), alloc.job(), s.manifest.string(), s.run, 0, {}, s.options.resumed_from};
  // The first commit: the claims held before the record started, and any made since.
  std::vector<journal_entry> first;
  first.reserve(earlier.size());
  for (auto& c : earlier) first.push_back({std::move(c), false});
  for (auto& e : s.alloc.take_journal()) first.push_back(std::move(e));
  s.launch(std::move(first), {});
}

run_record::~run_record() {
  state& s = *state_;
  if (s.worker.joinable()) {
    {
      // Every rank queued the same commits: the queue is drained (their collectives complete),
      // then the thread ends.
      const std::lock_guard lock(s.queue.mutex);
      s.queue.stop = true;
    }
    s.queue.changed.notify_all();
    s.worker.join();
  }
  if (!s.closed) s.alloc.close_journal();
  if (s.comm != MPI_COMM_NULL) MPI_Comm_free(&s.comm);
}

void run_record::checkpoint(after_commit then) {
  state& s = *state_;
  if (s.closed) throw invalid_argument(s.what + ": checkpoint() after close()");
  // Commits run up to `pipeline_depth` behind: wait for the one before those (every rank waits
  // for the same commit, so a failure is thrown by the same call everywhere).
  std::uint64_t queued = 0;
  {
    const std::lock_guard lock(s.queue.mutex);
    queued = s.queue.queued;
  }
  if (queued >= pipeline_depth) s.wait_for(queued + 1 - pipeline_depth);
  s.launch(s.alloc.take_journal(), std::move(then));
}

claims::record_position run_record::close() {
  state& s = *state_;
  if (s.closed) throw invalid_argument(s.what + ": close() called twice");
  std::uint64_t queued = 0;
  {
    const std::lock_guard lock(s.queue.mutex);
    queued = s.queue.queued;
  }
  s.wait_for(queued);
  try {
    s.commit(s.alloc.take_journal(), {}, true, false);
  } catch (...) {
    const std::lock_guard lock(s.queue.mutex);
    s.queue.failed = queued + 1;
    s.queue.failure = std::current_exception();
    throw;
  }
  s.closed = true;
  s.alloc.close_journal();
  return position();
}

claims::record_position run_record::wait() {
  state& s = *state_;
  std::uint64_t queued = 0;
  {
    const std::lock_guard lock(s.queue.mutex);
    queued = s.queue.queued;
  }
  s.wait_for(queued);
  return position();
}

const std::string& run_record::run() const noexcept { return state_->run; }

const std::filesystem::path& run_record::manifest() const noexcept { return state_->manifest; }

claims::record_position run_record::position() const {
  const std::lock_guard lock(state_->done_mutex);
  return state_->done;
}

}  // namespace streamalloc::mpi
