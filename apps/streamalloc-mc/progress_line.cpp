#include "progress_line.hpp"

#include <unistd.h>

#include <cstdio>

namespace streamalloc::mc {

progress_line::progress_line(bool enabled, std::uint64_t total)
    : enabled_(enabled && ::isatty(STDERR_FILENO) == 1),
      total_(total),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

void progress_line::update(std::uint64_t done) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (now - last_draw_ < std::chrono::milliseconds(200)) return;
  last_draw_ = now;
  const double seconds = std::chrono::duration<double>(now - start_).count();
  const double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0.0;
  const double remaining = rate > 0 ? static_cast<double>(total_ - done) / rate : 0.0;
  std::fprintf(stderr, "\rstreamalloc-mc: %5.1f%%  %.3g histories/s  ETA %.0f s   ",
               100.0 * static_cast<double>(done) / static_cast<double>(total_), rate, remaining);
  std::fflush(stderr);
}

void progress_line::finish() {
  if (!enabled_) return;
  std::fprintf(stderr, "\r%70s\r", "");
  std::fflush(stderr);
}

}  // namespace streamalloc::mc
