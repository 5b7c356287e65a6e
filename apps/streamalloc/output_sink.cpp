#include "output_sink.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "streamalloc/error.hpp"

namespace streamalloc::cli {

output_sink::output_sink(int fd, std::size_t capacity) : fd_(fd), capacity_(capacity) {
  buffer_.reserve(capacity_);
}

void output_sink::write(std::string_view bytes) {
  if (buffer_.size() + bytes.size() > capacity_) flush();
  if (bytes.size() >= capacity_) {
    write_all(bytes);
  } else {
    buffer_.append(bytes);
  }
}

void output_sink::flush() {
  // Emptied even when the write fails, so a later flush does not repeat the same bytes.
  struct clear_on_exit {
    std::string& buffer;
    ~clear_on_exit() { buffer.clear(); }
  } guard{buffer_};
  write_all(buffer_);
}

void output_sink::write_all(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EPIPE) throw output_closed();
      throw io_error("cannot write output: " + std::string(std::strerror(errno)));
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

}  // namespace streamalloc::cli
