// An MPI-IO file handle that is closed when it goes out of scope, and a check that turns an
// MPI-IO error code into an io_error. Internal to the stream-set checkpoint.
//
// MPI_File_close is collective: the handle may only be destroyed where every rank destroys its
// own, i.e. on normal return or while an AGREED exception (agreement.hpp) unwinds every rank
// through the same scope. stream_set_checkpoint_{write,read}.cpp call MPI on the file only
// between agreed steps, which keeps that true.
#pragma once

#include <mpi.h>

#include <string>
#include <string_view>

#include "streamalloc/error.hpp"

namespace streamalloc::mpi::detail {

class mpi_file {
 public:
  mpi_file() = default;
  ~mpi_file() {
    if (handle_ != MPI_FILE_NULL) MPI_File_close(&handle_);  // a close error has nobody to tell
  }
  mpi_file(const mpi_file&) = delete;
  mpi_file& operator=(const mpi_file&) = delete;

  // For MPI_File_open's output argument.
  MPI_File* out() noexcept { return &handle_; }
  MPI_File get() const noexcept { return handle_; }
  // COLLECTIVE: closes now; returns MPI's code. The handle is null afterwards either way.
  int close() noexcept {
    const int code = MPI_File_close(&handle_);
    handle_ = MPI_FILE_NULL;
    return code;
  }

 private:
  MPI_File handle_ = MPI_FILE_NULL;
};

// Throws io_error "<what>: <MPI_Error_string> (error code N)" unless code is MPI_SUCCESS.
inline void check_io(int code, std::string_view what) {
  if (code == MPI_SUCCESS) return;
  char text[MPI_MAX_ERROR_STRING];
  int length = 0;
  if (MPI_Error_string(code, text, &length) != MPI_SUCCESS) length = 0;
  throw io_error(std::string(what) + ": " + std::string(text, static_cast<std::size_t>(length)) +
                 " (error code " + std::to_string(code) + ")");
}

}  // namespace streamalloc::mpi::detail
