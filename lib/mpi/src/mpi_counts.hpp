// Private: MPI's int counts. A byte count passed to one MPI call, and every displacement of a
// v-collective, must fit an int; each caller says how to report one that does not (its own
// exception type and advice), so the arithmetic lives here once.
#pragma once

#include <climits>
#include <cstdint>
#include <vector>

namespace streamalloc::detail {

// n as an int; calls too_large(n), which must throw, if it does not fit.
template <class TooLarge>
int int_count(std::uint64_t n, TooLarge&& too_large) {
  if (n > static_cast<std::uint64_t>(INT_MAX)) too_large(n);
  return static_cast<int>(n);
}

// The displacements of a v-collective with these per-rank counts; too_large(total) as above if
// any displacement, or the total, does not fit.
template <class TooLarge>
std::vector<int> displacements(const std::vector<int>& counts, TooLarge&& too_large) {
  std::vector<int> displs(counts.size());
  std::uint64_t total = 0;
  for (std::size_t r = 0; r < counts.size(); ++r) {
    displs[r] = int_count(total, too_large);
    total += static_cast<std::uint64_t>(counts[r]);
  }
  int_count(total, too_large);
  return displs;
}

}  // namespace streamalloc::detail
