#include "streamalloc/mpi/runtime.hpp"

#include <string>

#include "streamalloc/error.hpp"

namespace streamalloc::mpi {

void check_mpi(int code, std::string_view call) {
  if (code == MPI_SUCCESS) return;
  char text[MPI_MAX_ERROR_STRING] = {};
  int length = 0;
  // MPI_Error_string may be called at any time (MPI-3.1 §8.7), even after a failure.
  if (MPI_Error_string(code, text, &length) != MPI_SUCCESS || length <= 0) {
    length = 0;
  }
  std::string reason = length > 0 ? std::string(text, static_cast<std::size_t>(length))
                                  : std::string("unknown MPI error");
  throw mpi_error(std::string(call) + " failed: " + reason + " (error code " +
                  std::to_string(code) + ")");
}

runtime::runtime(MPI_Comm user, int requested_thread_level) {
  start(nullptr, nullptr, user, requested_thread_level);
}

runtime::runtime(int& argc, char**& argv, MPI_Comm user, int requested_thread_level) {
  start(&argc, &argv, user, requested_thread_level);
}

void runtime::start(int* argc, char*** argv, MPI_Comm user, int requested_thread_level) {
  int finalized = 0;
  check_mpi(MPI_Finalized(&finalized), "MPI_Finalized");
  if (finalized != 0) {
    throw mpi_error(
        "streamalloc::mpi::runtime: MPI has already been finalised; it cannot be "
        "initialised again in this process");
  }
  int initialized = 0;
  check_mpi(MPI_Initialized(&initialized), "MPI_Initialized");
  if (initialized == 0) {
    // By default MPI_THREAD_MULTIPLE, so that threads may claim streams concurrently; what the
    // library actually provides is recorded and checked where it matters (the window allocator).
    check_mpi(MPI_Init_thread(argc, argv, requested_thread_level, &thread_level_),
              "MPI_Init_thread");
    initialised_mpi_ = true;
  } else {
    check_mpi(MPI_Query_thread(&thread_level_), "MPI_Query_thread");
  }
  // From here on a failure must undo what was done, since the destructor will not run.
  try {
    check_mpi(MPI_Comm_dup(user, &comm_), "MPI_Comm_dup (streamalloc's private communicator)");
    // Only on our duplicate: the user's communicators keep whatever handler they chose.
    check_mpi(MPI_Comm_set_errhandler(comm_, MPI_ERRORS_RETURN), "MPI_Comm_set_errhandler");
    check_mpi(MPI_Comm_rank(comm_, &rank_), "MPI_Comm_rank");
    check_mpi(MPI_Comm_size(comm_, &size_), "MPI_Comm_size");
  } catch (...) {
    if (comm_ != MPI_COMM_NULL) MPI_Comm_free(&comm_);
    if (initialised_mpi_) MPI_Finalize();
    throw;
  }
}

runtime::~runtime() {
  int finalized = 0;
  if (MPI_Finalized(&finalized) != MPI_SUCCESS || finalized != 0) return;
  // Errors are ignored: a destructor cannot report them, and the process is ending anyway.
  if (comm_ != MPI_COMM_NULL) MPI_Comm_free(&comm_);
  if (initialised_mpi_) MPI_Finalize();
}

boost::mpi::communicator runtime::communicator() const {
  // comm_attach: Boost neither duplicates nor frees it, and sets no error handler.
  return boost::mpi::communicator(comm_, boost::mpi::comm_attach);
}

}  // namespace streamalloc::mpi
