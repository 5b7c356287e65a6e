// streamalloc CLI: buffered output to a file descriptor that tells a closed pipe from a failure.
//
// `streamalloc generate` feeds test batteries (dieharder, PractRand) at full speed, so output goes
// out in large write(2) calls rather than through iostreams. When the reader goes away (the
// battery has read enough, or `| head`), write fails with EPIPE — SIGPIPE is ignored by main —
// and the sink throws output_closed, which main treats as a normal end (exit status 0).
// Not thread-safe.
#pragma once

#include <cstddef>
#include <exception>
#include <span>
#include <string>
#include <string_view>

namespace streamalloc::cli {

// The reader of our output closed it; not an error.
class output_closed : public std::exception {
 public:
  const char* what() const noexcept override { return "output closed by the reader"; }
};

class output_sink {
 public:
  explicit output_sink(int fd, std::size_t capacity = std::size_t{1} << 20);
  output_sink(const output_sink&) = delete;
  output_sink& operator=(const output_sink&) = delete;
  // Unflushed bytes are dropped: call flush() to learn whether they arrived.
  ~output_sink() = default;

  // Buffers `bytes`; writes larger than the buffer go straight to the descriptor.
  void write(std::string_view bytes);
  void write(std::span<const std::byte> bytes) {
    write(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
  }
  // Writes out everything buffered. Throws output_closed on EPIPE and streamalloc::io_error on
  // any other failure.
  void flush();

 private:
  void write_all(std::string_view bytes);

  int fd_;
  std::size_t capacity_;
  std::string buffer_;
};

}  // namespace streamalloc::cli
