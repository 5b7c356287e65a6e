// streamalloc-mc: rank 0's progress line (rate and ETA) on a terminal.
#pragma once

#include <chrono>
#include <cstdint>

namespace streamalloc::mc {

class progress_line {
 public:
  // Draws only if `enabled` and stderr is a terminal.
  progress_line(bool enabled, std::uint64_t total);
  // Redraws at most a few times a second.
  void update(std::uint64_t done);
  // Clears the line.
  void finish();

 private:
  bool enabled_;
  std::uint64_t total_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace streamalloc::mc
