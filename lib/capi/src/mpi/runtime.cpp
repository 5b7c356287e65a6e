// streamalloc_runtime_*: streamalloc's handle on MPI, from a C or a Fortran communicator.
#include "../boundary.hpp"
#include "streamalloc/mpi/agreement.hpp"
#include "types.hpp"

using namespace streamalloc;
using namespace streamalloc::capi;

namespace {

// MPI_COMM_NULL would reach MPI_Comm_dup, whose error handler on a null communicator is
// MPI_COMM_WORLD's (fatal by default): refused here instead.
void require_comm(MPI_Comm comm) {
  if (comm == MPI_COMM_NULL) {
    throw invalid_argument("comm is MPI_COMM_NULL, expected a valid intra-communicator");
  }
}

}  // namespace

extern "C" {

streamalloc_status streamalloc_runtime_create(MPI_Comm comm, streamalloc_runtime** out) {
  return call(__func__, [&] {
    require_comm(comm);
    pending_handle<streamalloc_runtime> made(make_handle<streamalloc_runtime>(comm));
    // Collective from here: a bad out-parameter on one rank is every rank's failure (each then
    // frees its new duplicate communicator, collectively).
    mpi::agreed(*made.get()->value, "streamalloc_runtime_create", [&] { require_out(out, "out"); });
    *out = made.release();
  });
}

streamalloc_status streamalloc_runtime_create_f(MPI_Fint comm, streamalloc_runtime** out) {
  return call(__func__, [&] {
    int initialised = 0;
    mpi::check_mpi(MPI_Initialized(&initialised), "MPI_Initialized");
    if (initialised == 0) {
      throw invalid_argument(
          "MPI is not initialised: a Fortran communicator exists only after MPI_Init (call "
          "MPI_Init first, or streamalloc_runtime_create from C)");
    }
    const MPI_Comm c = MPI_Comm_f2c(comm);
    require_comm(c);
    pending_handle<streamalloc_runtime> made(make_handle<streamalloc_runtime>(c));
    mpi::agreed(*made.get()->value, "streamalloc_runtime_create_f",
                [&] { require_out(out, "out"); });
    *out = made.release();
  });
}

streamalloc_status streamalloc_runtime_free(streamalloc_runtime* rt) {
  return call(__func__, [&] { free_handle(rt, "rt"); });
}

streamalloc_status streamalloc_runtime_rank(const streamalloc_runtime* rt, int* rank) {
  return call(__func__, [&] {
    const mpi::runtime& r = *checked(rt, "rt").value;
    require_out(rank, "rank");
    *rank = r.mpi_rank();
  });
}

streamalloc_status streamalloc_runtime_size(const streamalloc_runtime* rt, int* size) {
  return call(__func__, [&] {
    const mpi::runtime& r = *checked(rt, "rt").value;
    require_out(size, "size");
    *size = r.size();
  });
}

}  // extern "C"
