// Test support for the MPI suites: the runtime mpi_test_main.cpp created, and collective helpers
// that let a test reduce BEFORE it asserts ("never return from a test body before a collective
// other ranks will enter").
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "streamalloc/mpi/runtime.hpp"

namespace streamalloc::mpi::testing {

// The runtime created by mpi_test_main.cpp for the whole test program.
const runtime& world();

// Collective: true on every rank iff `local` is true on every rank.
bool all_ranks(bool local);
// Collective: every rank's values, concatenated in rank order (same result on every rank).
std::vector<std::uint64_t> gather_all(const std::vector<std::uint64_t>& local);
// Collective: true on every rank iff `text` is byte-identical on every rank.
bool same_on_all_ranks(const std::string& text);
// Collective: MPI_Barrier on the test runtime's communicator.
void barrier();

}  // namespace streamalloc::mpi::testing
