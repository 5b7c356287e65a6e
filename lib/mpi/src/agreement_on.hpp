// Private: agree() (agreement.hpp) on any communicator, optionally without spinning.
#pragma once

#include <mpi.h>

#include <exception>
#include <string_view>

namespace streamalloc::mpi::detail {

// Completes a non-blocking MPI operation: blocking (MPI_Wait), or, with `poll` — on a background
// thread that must not spin a core while other ranks compute — testing and sleeping in between,
// 100 us at first, doubling up to 10 ms. Throws mpi_error naming `call`.
void complete(MPI_Request& request, bool poll, std::string_view call);

// agree() over `comm`. With `poll`, the first all-reduce is non-blocking and completed as
// complete() does, so a background thread waiting for other ranks leaves the cores to the
// computation (run records commit this way; MPI_THREAD_MULTIPLE required).
void agree_on(MPI_Comm comm, std::exception_ptr local_failure, std::string_view what, bool poll);

}  // namespace streamalloc::mpi::detail
