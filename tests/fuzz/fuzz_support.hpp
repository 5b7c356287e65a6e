// Shared by the libFuzzer targets of tests/fuzz: the contract every target checks.
//
// A parser of outside input may refuse its input only with a streamalloc::error (the targets
// catch that kind alone); anything else escaping — std::bad_alloc, a std::out_of_range, an
// nlohmann exception — is a finding, and so is every sanitizer report, a stack overflow, a
// timeout or an input that a reader accepts but whose written form it does not read back equal
// (FUZZ_CHECK). Each finding becomes a unit test in tests/core or tests/mpi.
#pragma once

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <span>
#include <string>
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

// A directory of this process for round-trip targets that write files: $TMPDIR when set (the
// fuzz.* ctests point it into the build tree), else memory (/dev/shm), else /tmp.
inline std::filesystem::path scratch_directory(const std::string& target) {
  const char* tmp = std::getenv("TMPDIR");
  const std::filesystem::path root = tmp != nullptr && *tmp != '\0'        ? tmp
                                     : std::filesystem::exists("/dev/shm") ? "/dev/shm"
                                                                           : "/tmp";
  auto dir = root / ("streamalloc-fuzz-" + target + "-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  return dir;
}

}  // namespace streamalloc::fuzz
