// Private: the shared block counter of the `window` dynamic policy — one 64-bit integer in an
// MPI window on rank 0, advanced with MPI_Fetch_and_op.
//
// Passive-target RMA with one lock_all epoch kept open for the counter's lifetime, so each
// reservation is one MPI_Fetch_and_op + MPI_Win_flush and nothing else. Caveats (Open MPI 4.1.4):
//   * across hosts over TCP, MPI_Win_allocate fails with the default one-sided component; run
//     with `--mca osc pt2pt`, which in turn refuses MPI_THREAD_MULTIPLE ("The OSC pt2pt component
//     does not support MPI_THREAD_MULTIPLE in this release"): start the runtime with
//     MPI_THREAD_SERIALIZED for that (the allocator serialises its own MPI calls);
//   * without hardware atomics a remote MPI_Fetch_and_op completes only when rank 0 next enters
//     MPI (a 3 s compute phase on rank 0 delayed 1000 remote atomics by 3 s).
// That is why `partitioned`, which needs no communication at all, is the default policy.
#pragma once

#include <mpi.h>

#include <cstdint>
#include <exception>
#include <memory>
#include <string>

#include "streamalloc/error.hpp"
#include "streamalloc/mpi/agreement.hpp"
#include "streamalloc/mpi/runtime.hpp"

namespace streamalloc::detail {

class window_counter {
 public:
  // Collective over rt.comm(); every rank throws the same error if any rank fails.
  explicit window_counter(const mpi::runtime& rt) {
    try {
      open(rt);
    } catch (...) {
      if (comm_ != MPI_COMM_NULL) MPI_Comm_free(&comm_);
      throw;
    }
  }

  // Collective (MPI_Win_free). Never throws; does nothing once MPI is finalised.
  ~window_counter() {
    int finalized = 0;
    if (MPI_Finalized(&finalized) != MPI_SUCCESS || finalized != 0) return;
    MPI_Win_unlock_all(win_);
    MPI_Win_free(&win_);
    MPI_Comm_free(&comm_);
  }

  window_counter(const window_counter&) = delete;
  window_counter& operator=(const window_counter&) = delete;

  // Adds n to the counter and returns its previous value. Not thread-safe: callers serialise.
  std::uint64_t fetch_add(std::uint64_t n) {
    std::uint64_t previous = 0;
    mpi::check_mpi(MPI_Fetch_and_op(&n, &previous, MPI_UINT64_T, 0, 0, MPI_SUM, win_),
                   "MPI_Fetch_and_op (window allocator)");
    mpi::check_mpi(MPI_Win_flush(0, win_), "MPI_Win_flush (window allocator)");
    return previous;
  }

 private:
  // Each creation attempt gets a fresh duplicate of the runtime's communicator: a creation that
  // fails part-way (osc/pt2pt under MPI_THREAD_MULTIPLE, for one) can leave unmatched internal
  // messages behind, which must poison neither the runtime's communicator nor the next attempt.
  void fresh_comm(const mpi::runtime& rt) {
    if (comm_ != MPI_COMM_NULL) MPI_Comm_free(&comm_);
    mpi::check_mpi(MPI_Comm_dup(rt.comm(), &comm_), "MPI_Comm_dup (window allocator)");
  }

  void open(const mpi::runtime& rt) {
    const bool host = rt.mpi_rank() == 0;
    const MPI_Aint bytes = host ? static_cast<MPI_Aint>(sizeof(std::uint64_t)) : 0;
    constexpr int unit = static_cast<int>(sizeof(std::uint64_t));

    fresh_comm(rt);
    void* base = nullptr;
    const int allocated = MPI_Win_allocate(bytes, unit, MPI_INFO_NULL, comm_, &base, &win_);
    // {ok, -ok} reduced with MIN gives "all ok" and "any ok" in one call.
    int ok[2] = {allocated == MPI_SUCCESS ? 1 : 0, allocated == MPI_SUCCESS ? -1 : 0};
    int all[2] = {0, 0};
    mpi::check_mpi(MPI_Allreduce(ok, all, 2, MPI_INT, MPI_MIN, rt.comm()),
                   "MPI_Allreduce (window allocator set-up)");
    if (all[0] == 1) {
      counter_ = static_cast<std::uint64_t*>(base);
    } else if (all[1] == -1) {
      // Some ranks hold a window and some do not: freeing it would hang, so it is leaked.
      throw mpi_error("window allocator: MPI_Win_allocate failed on some ranks only");
    } else {
      // Some one-sided components support only MPI_Win_create on user memory.
      fresh_comm(rt);
      own_memory_ = std::make_unique<std::uint64_t>(0);
      const int created = MPI_Win_create(host ? own_memory_.get() : nullptr, bytes, unit,
                                         MPI_INFO_NULL, comm_, &win_);
      mpi::agree(rt, failure(created, rt.thread_level()),
                 "window allocator: creating the counter window");
      counter_ = own_memory_.get();
    }
    mpi::agreed(rt, "window allocator: opening the access epoch", [&] {
      // Only our window: its RMA calls then return errors instead of aborting the job.
      mpi::check_mpi(MPI_Win_set_errhandler(win_, MPI_ERRORS_RETURN), "MPI_Win_set_errhandler");
      mpi::check_mpi(MPI_Win_lock_all(MPI_MODE_NOCHECK, win_), "MPI_Win_lock_all");
      if (host) {
        *counter_ = 0;
        // Makes the local store visible to RMA in the separate memory model; the all-reduce of
        // agreed() then orders it before any rank's first MPI_Fetch_and_op.
        mpi::check_mpi(MPI_Win_sync(win_), "MPI_Win_sync");
      }
    });
  }

  static std::exception_ptr failure(int code, int thread_level) {
    std::string call = "MPI_Win_create (window allocator, after MPI_Win_allocate failed too";
    call += thread_level == MPI_THREAD_MULTIPLE
                ? "; Open MPI's osc/pt2pt refuses MPI_THREAD_MULTIPLE: start the runtime with "
                  "MPI_THREAD_SERIALIZED, or use the partitioned policy)"
                : "; across hosts Open MPI 4.1 needs --mca osc pt2pt)";
    try {
      mpi::check_mpi(code, call);
    } catch (...) {
      return std::current_exception();
    }
    return nullptr;
  }

  MPI_Comm comm_ = MPI_COMM_NULL;
  MPI_Win win_ = MPI_WIN_NULL;
  std::uint64_t* counter_ = nullptr;
  std::unique_ptr<std::uint64_t> own_memory_;
};

}  // namespace streamalloc::detail
