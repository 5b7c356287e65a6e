// streamalloc/error.hpp — the exception hierarchy of streamalloc.
//
// Every exception the library throws derives from streamalloc::error, so callers can catch one
// type. Messages name the offending value and what was expected. The derived kinds let callers
// (and the C API, which maps them to status codes) tell bad input from reuse, MPI and I/O failures.
// Thread safety: these are ordinary immutable exception objects.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

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

// A value's text as an error message quotes it: whole when short, else its first characters and
// its length ("123456... (100000 characters)"), so that one bad input never makes a message of
// its own size (a 10^5-digit seed used to give a 100 KB line).
inline std::string cut_for_message(std::string_view text, std::size_t max_chars = 60) {
  if (text.size() <= max_chars) return std::string(text);
  return std::string(text.substr(0, max_chars - 3)) + "... (" + std::to_string(text.size()) +
         " characters)";
}

}  // namespace streamalloc
