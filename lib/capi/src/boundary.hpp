// lib/capi/src/boundary.hpp — INTERNAL: where C++ exceptions become C status codes.
//
// Every exported function's body runs inside call(): whatever it throws is caught there, mapped
// to one status code by kind (streamalloc::invalid_argument, reuse_error, mpi_error, io_error,
// std::bad_alloc; anything else is internal), and its message stored as this thread's
// streamalloc_last_error(), prefixed with the function's name. No exception crosses the C
// boundary ({fmt}'s C API does the same).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "streamalloc.h"

namespace streamalloc::capi {

// Stores `message` as this thread's last error and returns `status`.
streamalloc_status fail(streamalloc_status status, const char* function, std::string_view message);
// Maps the exception being handled (call only inside a catch block) to a status and message.
streamalloc_status fail_current(const char* function) noexcept;
// Clears this thread's last error.
void clear_error() noexcept;

// Runs body() for the C function `function` and returns its status.
template <class Body>
streamalloc_status call(const char* function, Body&& body) noexcept {
  try {
    clear_error();
    body();
    return STREAMALLOC_OK;
  } catch (...) {
    return fail_current(function);
  }
}

// Argument checks shared by the C functions; each throws invalid_argument naming `what`.
// A count: >= 0 (returned as size_t).
std::size_t count_of(std::int64_t n, const char* what);
// An array of n elements: non-null when n > 0.
void require_array(const void* p, std::int64_t n, const char* what);
// An out-parameter: non-null.
void require_out(const void* p, const char* what);
// Text in: non-null.
std::string_view text_of(const char* p, const char* what);

// Text (or bytes) out, streamalloc.h's convention: sets *length, writes `text` (plus a NUL when
// nul_terminate) into buf when it fits, asks-for-length when buf is null and capacity 0,
// invalid_argument when the buffer is too short.
void write_out(std::string_view text, char* buf, std::int64_t capacity, std::int64_t* length,
               bool nul_terminate = true);

}  // namespace streamalloc::capi
