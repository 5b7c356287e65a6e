// streamalloc/mpi/runtime.hpp — streamalloc's handle on MPI: initialisation, a private
// communicator, and checked MPI calls.
//
// A `runtime` is what every MPI-aware part of streamalloc is given. It
//   * initialises MPI only if nobody has (MPI_Init_thread, by default asking for
//     MPI_THREAD_MULTIPLE so that hybrid MPI + OpenMP codes may claim streams from several threads;
//     what MPI provides is recorded) and finalises only what it initialised — a program or
//     framework that owns MPI keeps owning it;
//   * duplicates the user's communicator (MPI_COMM_WORLD by default), so streamalloc's messages
//     never match the user's, and sets MPI_ERRORS_RETURN on that duplicate only: the user's
//     communicators keep their error handlers (unlike boost::mpi::environment, which changes
//     MPI_COMM_WORLD's);
//   * works without mpirun: Open MPI then starts a one-rank "singleton" job.
//
// Every MPI call streamalloc makes goes through check_mpi(), which turns an error code into a
// streamalloc::mpi_error carrying MPI_Error_string's text.
//
// Thread safety: construct and destroy a runtime on the thread that owns MPI (the main thread).
// Its accessors are const and may be called from any thread.
#pragma once

#include <mpi.h>

#include <boost/mpi/communicator.hpp>
#include <string_view>

#include "streamalloc/stream_ids.hpp"

namespace streamalloc::mpi {

// Throws streamalloc::mpi_error "<call> failed: <MPI_Error_string(code)> (error code N)" unless
// `code` is MPI_SUCCESS. `call` names the MPI function (and what it was for) in the message.
void check_mpi(int code, std::string_view call);

class runtime {
 public:
  // Attaches to `user` (which must be a valid intra-communicator), initialising MPI first if it is
  // not initialised yet, asking for `requested_thread_level` (ignored if MPI is initialised
  // already). Ask for less than MPI_THREAD_MULTIPLE only when a component needs it: Open MPI 4.1's
  // osc/pt2pt (the one-sided component that works across hosts over TCP) refuses
  // MPI_THREAD_MULTIPLE, and the window dynamic policy works with MPI_THREAD_SERIALIZED.
  // Collective over `user` (MPI_Comm_dup). Throws mpi_error if MPI has already been finalised or
  // any MPI call fails.
  explicit runtime(MPI_Comm user = MPI_COMM_WORLD,
                   int requested_thread_level = MPI_THREAD_MULTIPLE);
  // As above, passing the program's arguments to MPI_Init_thread when this call initialises MPI.
  runtime(int& argc, char**& argv, MPI_Comm user = MPI_COMM_WORLD,
          int requested_thread_level = MPI_THREAD_MULTIPLE);

  // Frees the duplicate, then calls MPI_Finalize if (and only if) this runtime initialised MPI and
  // MPI has not been finalised by someone else meanwhile. Collective (MPI_Comm_free). Never throws.
  ~runtime();

  runtime(const runtime&) = delete;
  runtime& operator=(const runtime&) = delete;

  // streamalloc's duplicate of the user's communicator (error handler MPI_ERRORS_RETURN).
  MPI_Comm comm() const noexcept { return comm_; }
  // The same communicator for Boost.MPI code, attached (not duplicated, not owned): valid while
  // this runtime lives.
  boost::mpi::communicator communicator() const;

  rank_id rank() const noexcept { return rank_id(static_cast<rank_id::rep>(rank_)); }
  // This rank as MPI's int, for MPI calls.
  int mpi_rank() const noexcept { return rank_; }
  int size() const noexcept { return size_; }

  // The thread support MPI provides (MPI_THREAD_SINGLE .. MPI_THREAD_MULTIPLE), whoever
  // initialised it.
  int thread_level() const noexcept { return thread_level_; }
  // True if this runtime called MPI_Init_thread (and so will call MPI_Finalize).
  bool initialised_mpi() const noexcept { return initialised_mpi_; }

 private:
  void start(int* argc, char*** argv, MPI_Comm user, int requested_thread_level);

  MPI_Comm comm_ = MPI_COMM_NULL;
  int rank_ = 0;
  int size_ = 1;
  int thread_level_ = MPI_THREAD_SINGLE;
  bool initialised_mpi_ = false;
};

}  // namespace streamalloc::mpi
