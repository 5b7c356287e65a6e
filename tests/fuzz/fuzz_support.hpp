// Shared by the libFuzzer targets of tests/fuzz: the contract every target checks.
//
// A parser of outside input may refuse its input only with a streamalloc::error (the targets
// catch that kind alone); anything else escaping — std::bad_alloc, a std::out_of_range, an
// nlohmann exception — is a finding, and so is every sanitizer report, a stack overflow, a
// timeout or an input that a reader accepts but whose written form it does not read back equal
// (FUZZ_CHECK). Each finding becomes a unit test in tests/core or tests/mpi.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string_view>

#define FUZZ_CHECK(condition)                                                                 \
  do {                                                                                        \
    if (!(condition)) {                                                                       \
      std::fprintf(stderr, "%s:%d: round trip broken: %s\n", __FILE__, __LINE__, #condition); \
      std::abort();                                                                           \
    }                                                                                         \
  } while (false)

namespace streamalloc::fuzz {

inline std::string_view text_of(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

inline std::span<const std::byte> bytes_of(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const std::byte*>(data), size};
}

}  // namespace streamalloc::fuzz
