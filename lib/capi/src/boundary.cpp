#include "boundary.hpp"

#include <cstring>
#include <exception>
#include <new>
#include <stdexcept>

#include "streamalloc/error.hpp"

namespace streamalloc::capi {
namespace {

thread_local std::string last_error;

}  // namespace

streamalloc_status fail(streamalloc_status status, const char* function, std::string_view message) {
  try {
    last_error.assign(function);
    last_error.append(": ");
    last_error.append(message);
  } catch (...) {
    // No memory for the message: the status still says what happened.
    last_error.clear();
  }
  return status;
}

streamalloc_status fail_current(const char* function) noexcept {
  try {
    throw;
  } catch (const reuse_error& e) {
    return fail(STREAMALLOC_ERR_REUSE, function, e.what());
  } catch (const invalid_argument& e) {
    return fail(STREAMALLOC_ERR_INVALID_ARGUMENT, function, e.what());
  } catch (const mpi_error& e) {
    return fail(STREAMALLOC_ERR_MPI, function, e.what());
  } catch (const io_error& e) {
    return fail(STREAMALLOC_ERR_IO, function, e.what());
  } catch (const std::bad_alloc&) {
    return fail(STREAMALLOC_ERR_OUT_OF_MEMORY, function, "out of memory");
  } catch (const std::length_error& e) {
    return fail(STREAMALLOC_ERR_OUT_OF_MEMORY, function, std::string("out of memory: ") + e.what());
  } catch (const std::exception& e) {
    return fail(STREAMALLOC_ERR_INTERNAL, function,
                std::string("internal error (please report): ") + e.what());
  } catch (...) {
    return fail(STREAMALLOC_ERR_INTERNAL, function, "internal error: an unknown exception");
  }
}

void clear_error() noexcept { last_error.clear(); }

std::size_t count_of(std::int64_t n, const char* what) {
  if (n < 0) {
    throw invalid_argument(std::string(what) + " = " + std::to_string(n) +
                           " is negative, expected a count >= 0");
  }
  return static_cast<std::size_t>(n);
}

void require_array(const void* p, std::int64_t n, const char* what) {
  if (p == nullptr && n > 0) {
    throw invalid_argument(std::string(what) + " is a null pointer, expected an array of " +
                           std::to_string(n) + " elements");
  }
}

void require_out(const void* p, const char* what) {
  if (p == nullptr) {
    throw invalid_argument(std::string(what) +
                           " is a null pointer, expected where to write the result");
  }
}

std::string_view text_of(const char* p, const char* what) {
  if (p == nullptr) {
    throw invalid_argument(std::string(what) +
                           " is a null pointer, expected a NUL-terminated text");
  }
  return p;
}

void write_out(std::string_view text, char* buf, std::int64_t capacity, std::int64_t* length,
               bool nul_terminate) {
  require_out(length, "length");
  if (capacity < 0) count_of(capacity, "capacity");
  const auto needed = static_cast<std::int64_t>(text.size());
  *length = needed;
  if (buf == nullptr && capacity == 0) return;  // asking for the length
  if (buf == nullptr) require_array(buf, capacity, "buf");
  const std::int64_t room = nul_terminate ? needed + 1 : needed;
  if (capacity < room) {
    throw invalid_argument("buffer of " + std::to_string(capacity) +
                           " bytes is too short: " + std::to_string(room) + " needed" +
                           (nul_terminate ? " (the text and its terminating NUL)" : ""));
  }
  if (!text.empty()) std::memcpy(buf, text.data(), text.size());
  if (nul_terminate) buf[text.size()] = '\0';
}

}  // namespace streamalloc::capi

extern "C" {

const char* streamalloc_last_error(void) { return streamalloc::capi::last_error.c_str(); }

const char* streamalloc_status_name(streamalloc_status status) {
  switch (status) {
    case STREAMALLOC_OK: return "STREAMALLOC_OK";
    case STREAMALLOC_ERR_INVALID_ARGUMENT: return "STREAMALLOC_ERR_INVALID_ARGUMENT";
    case STREAMALLOC_ERR_REUSE: return "STREAMALLOC_ERR_REUSE";
    case STREAMALLOC_ERR_MPI: return "STREAMALLOC_ERR_MPI";
    case STREAMALLOC_ERR_IO: return "STREAMALLOC_ERR_IO";
    case STREAMALLOC_ERR_OUT_OF_MEMORY: return "STREAMALLOC_ERR_OUT_OF_MEMORY";
    case STREAMALLOC_ERR_INTERNAL: return "STREAMALLOC_ERR_INTERNAL";
    default: return "unknown status";
  }
}

const char* streamalloc_version(void) { return STREAMALLOC_VERSION; }

}  // extern "C"
