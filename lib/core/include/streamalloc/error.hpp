// streamalloc/error.hpp — the exception hierarchy of streamalloc.
//
// Every exception the library throws derives from streamalloc::error, so callers can catch one
// type. Messages name the offending value and what was expected. The derived kinds let callers
// (and the C API, which maps them to status codes) tell bad input from reuse, MPI and I/O failures.
// Thread safety: these are ordinary immutable exception objects.
#pragma once

#include <stdexcept>
#include <string>

namespace streamalloc {

// Base of every streamalloc exception.
class error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// An argument, seed, spawn key, state document or option value is malformed or out of range.
class invalid_argument : public error {
 public:
  using error::error;
};

// A stream, stream ID, jump index or spawn path was claimed twice, or two streams overlap.
class reuse_error : public error {
 public:
  using error::error;
};

// An MPI call failed, or another rank reported a failure inside a collective operation.
class mpi_error : public error {
 public:
  using error::error;
};

// A file (state, manifest, checkpoint) could not be read or written, or its contents are corrupt.
class io_error : public error {
 public:
  using error::error;
};

}  // namespace streamalloc
