#include "mc_run.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "checkpoint.hpp"
#include "starting_point.hpp"
#include "history_streams.hpp"
#include "progress_line.hpp"
#include "streamalloc/atomic_file.hpp"
#include "streamalloc/claims/manifest.hpp"
#include "streamalloc/mpi/agreement.hpp"
#include "streamalloc/mpi/job_array.hpp"
#include "streamalloc/mpi/run_record.hpp"
#include "streamalloc/mpi/stream_allocator.hpp"

namespace streamalloc::mc {
namespace {

// Exact integer tallies as words, for MPI_Gather.
constexpr std::size_t tally_words = 9;
std::array<std::uint64_t, tally_words> to_words(const tallies& t) {
  return {t.histories,
          t.fates[0],
          t.fates[1],
          t.fates[2],
          t.collisions,
          low64(t.collisions_squared),
          high64(t.collisions_squared),
          low64(t.track_fixed),
          high64(t.track_fixed)};
}
tallies from_words(const std::uint64_t* w) {
  tallies t;
  t.histories = w[0];
  t.fates = {w[1], w[2], w[3]};
  t.collisions = w[4];
  t.collisions_squared = make_uint128(w[6], w[5]);
  t.track_fixed = make_uint128(w[8], w[7]);
  return t;
}

// Rank 0 receives every rank's tallies and adds them; integer sums, so the order is irrelevant.
tallies sum_on_root(const mpi::runtime& rt, const tallies& local) {
  const auto words = to_words(local);
  std::vector<std::uint64_t> all(
      rt.mpi_rank() == 0 ? tally_words * static_cast<std::size_t>(rt.size()) : 0);
  mpi::check_mpi(MPI_Gather(words.data(), tally_words, MPI_UINT64_T, all.data(), tally_words,
                            MPI_UINT64_T, 0, rt.comm()),
                 "MPI_Gather(tallies)");
  tallies sum;
  if (rt.mpi_rank() == 0) {
    for (int r = 0; r < rt.size(); ++r)
      sum.merge(from_words(all.data() + tally_words * static_cast<std::size_t>(r)));
  }
  return sum;
}

// Adds the wall time of fn() to `seconds`.
template <class Fn>
auto timed(double& seconds, Fn&& fn) {
  struct adder {
    double& seconds;
    std::chrono::steady_clock::time_point began = std::chrono::steady_clock::now();
    ~adder() {
      seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
    }
  } add{seconds};
  return fn();
}

// With --timing: the ranks meet before a verify(), so that the time a rank waits there for
// ranks still computing (load imbalance) is not counted as verify's.
void wait_for_every_rank(const mpi::runtime& rt, coordination_time& spent) {
  timed(spent.waiting,
        [&] { mpi::check_mpi(MPI_Barrier(rt.comm()), "MPI_Barrier (before verify)"); });
}

// The slowest rank's coordination time, on every rank.
coordination_time slowest(const mpi::runtime& rt, const coordination_time& mine) {
  struct {
    double total;
    int rank;
  } in{mine.total(), rt.mpi_rank()}, out{};
  mpi::check_mpi(MPI_Allreduce(&in, &out, 1, MPI_DOUBLE_INT, MPI_MAXLOC, rt.comm()),
                 "MPI_Allreduce(coordination time)");
  std::array<double, 3> parts{mine.claims, mine.verify, mine.manifests};
  mpi::check_mpi(MPI_Bcast(parts.data(), 3, MPI_DOUBLE, out.rank, rt.comm()),
                 "MPI_Bcast(coordination time)");
  double waiting = 0;  // the longest wait of any rank
  mpi::check_mpi(MPI_Allreduce(&mine.waiting, &waiting, 1, MPI_DOUBLE, MPI_MAX, rt.comm()),
                 "MPI_Allreduce(waiting time)");
  return {parts[0], parts[1], parts[2], waiting};
}

// Fault injection for the restart tests (tests/mc/mc_restart_lineage.sh): with
// STREAMALLOC_MC_TEST_KILL_BEFORE_CHECKPOINT=K set, rank 0 kills itself with SIGKILL after the
// record's commit of the K-th checkpoint and before writing that checkpoint — the moment at
// which the record holds a round the checkpoint does not.
void die_if_asked(std::uint64_t checkpoint_number) {
  static const char* asked = std::getenv("STREAMALLOC_MC_TEST_KILL_BEFORE_CHECKPOINT");
  if (asked != nullptr && std::to_string(checkpoint_number) == asked) ::raise(SIGKILL);
}

// The histories of [begin, end) this rank runs: a contiguous share, the same for any history.
std::pair<std::uint64_t, std::uint64_t> my_share(std::uint64_t begin, std::uint64_t end, int rank,
                                                 int size) {
  const uint128 span = end - begin;
  const auto at = [&](int r) {
    return begin + static_cast<std::uint64_t>(span * static_cast<unsigned>(r) /
                                              static_cast<unsigned>(size));
  };
  return {at(rank), at(rank + 1)};
}

}  // namespace

run_summary run_monte_carlo(const mpi::runtime& rt, const mc_options& options) {
  const auto began = std::chrono::steady_clock::now();
  std::optional<job_index> job;
  std::string job_source;
  if (options.job_auto) {
    const auto from = mpi::job_from_scheduler(rt);
    job = from.job;
    job_source = from.variable;
  } else if (options.job) {
    job = job_index(*options.job);
  }
  const starting_point start =
      mpi::agreed(rt, "reading --resume-from", [&] { return decide_start(options, job); });
  mpi::stream_allocator allocator(rt, start.origin, start.job);
  const std::uint64_t round_size =
      options.checkpoint.empty() ? start.histories : options.checkpoint_every;
  progress_line progress(!options.quiet && rt.mpi_rank() == 0, start.histories);
  coordination_time spent;

  // Where checkpoints go is checked now, before any history runs (a full, read-only or missing
  // directory, or a target that is not a regular file, would otherwise be found at the end).
  if (!options.checkpoint.empty()) {
    mpi::agreed(rt, "checking --checkpoint", [&] {
      if (rt.mpi_rank() == 0) require_writable_target(options.checkpoint);
    });
  }
  // The run's manifest: every rank records its own claims (the library's run record); its
  // paths are checked now, before any history runs.
  std::optional<mpi::run_record> record;
  if (!options.manifest.empty()) {
    timed(spent.manifests, [&] {
      record.emplace(allocator, options.manifest, mpi::run_record_options{start.resumed_from});
    });
  }
  // Our checkpoint of round `completed`, with the streams' part the library gives: written after
  // the record's commit of that round (on rank 0), so that it never names claims the record
  // does not hold.
  const auto checkpoint_of = [&](const claims::record_position& streams, std::uint64_t completed,
                                 const tallies& sum) {
    return checkpoint{streams, start.base, start.histories, completed, start.geometry, sum};
  };

  tallies local;
  std::uint64_t completed = start.completed;
  std::uint64_t checkpoints = 0;
  while (completed < start.histories) {
    const std::uint64_t round_end = completed + std::min(round_size, start.histories - completed);
    // Plain variables, not a structured binding: the lambdas below capture them, which Clang
    // accepts only from version 16 (the sanitizer and fuzz builds use Debian's Clang 14).
    const auto share = my_share(completed, round_end, rt.mpi_rank(), rt.size());
    const std::uint64_t first = share.first;
    const std::uint64_t last = share.second;
    mpi::agreed(rt, "running histories", [&] {
      if (first == last) return;
      const auto streams =
          timed(spent.claims, [&] { return claim_histories(allocator, start.base, first, last); });
      run_histories(streams, start.geometry, local, [&](std::uint64_t h) {
        if ((h - first) % 4096 == 0) {
          // Rank 0 estimates global progress from its own share.
          progress.update(completed + (h - first) * static_cast<std::uint64_t>(rt.size()));
        }
      });
    });
    completed = round_end;
    if (!options.checkpoint.empty() && completed < start.histories) {
      tallies sum = sum_on_root(rt, local);
      sum.merge(start.totals);
      // Conflicts surface at every checkpoint.
      if (options.timing) wait_for_every_rank(rt, spent);
      (void)timed(spent.verify, [&] { return allocator.verify(); });
      const std::filesystem::path path = options.checkpoint;
      if (record) {
        timed(spent.manifests, [&] {
          record->checkpoint(
              [=, done = completed, number = ++checkpoints](const claims::record_position& at) {
                die_if_asked(number);
                write_checkpoint(path, checkpoint_of(at, done, sum));
              });
        });
      } else {
        mpi::agreed(rt, "writing the checkpoint", [&] {
          if (rt.mpi_rank() != 0) return;
          write_checkpoint(
              path, checkpoint_of({start.origin, start.job, {}, {}, 0, {}, start.resumed_from},
                                  completed, sum));
        });
      }
    }
  }
  progress.finish();

  run_summary summary;
  summary.totals = sum_on_root(rt, local);
  summary.totals.merge(start.totals);
  if (options.timing) wait_for_every_rank(rt, spent);
  summary.verification = timed(spent.verify, [&] { return allocator.verify(); });
  if (record) timed(spent.manifests, [&] { record->close(); });
  summary.streams_claimed = summary.verification.streams;
  summary.origin = start.origin;
  summary.geometry = start.geometry;
  summary.histories = start.histories;
  summary.job = start.job;
  summary.job_source = job_source;
  summary.base = start.base;
  summary.restarted_at = start.completed;
  summary.run_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
  summary.coordination = slowest(rt, spent);
  return summary;
}

}  // namespace streamalloc::mc
