// Private: the MPI-IO checkpoint's shared arithmetic — byte counts that must fit one MPI call
// (an int), file offsets, and v-collective displacements — with the checkpoint's own message.
#pragma once

#include <mpi.h>

#include <climits>
#include <cstdint>
#include <string>
#include <vector>

#include "src/mpi_counts.hpp"
#include "streamalloc/error.hpp"

namespace streamalloc::mpi::detail {

[[noreturn]] inline void checkpoint_exceeds_int(const std::string& what, std::uint64_t n) {
  throw io_error(what + " is " + std::to_string(n) + " bytes, expected below 2 GiB (" +
                 std::to_string(INT_MAX) + " bytes: one MPI call each)");
}

inline int as_int(std::uint64_t n, const std::string& what) {
  return streamalloc::detail::int_count(
      n, [&](std::uint64_t bad) { checkpoint_exceeds_int(what, bad); });
}

inline MPI_Offset as_offset(std::uint64_t n) { return static_cast<MPI_Offset>(n); }

// Offsets and counts for a v-collective from per-rank byte counts.
inline std::vector<int> displacements(const std::vector<int>& counts, const std::string& what) {
  return streamalloc::detail::displacements(
      counts, [&](std::uint64_t bad) { checkpoint_exceeds_int(what, bad); });
}

}  // namespace streamalloc::mpi::detail
