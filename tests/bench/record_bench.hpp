// streamalloc-bench --mode checkpoint: what a run record's checkpoint costs (record_bench.cpp).
#pragma once

#include <cstdint>
#include <filesystem>
#include <vector>

#include "streamalloc/mpi/runtime.hpp"

namespace streamalloc::bench {

struct checkpoint_bench_options {
  std::vector<std::uint64_t> claim_counts;  // new claims per rank per checkpoint
  bool contiguous = true;
  bool fragmented = true;
  unsigned repeat = 3;
  std::filesystem::path directory;  // where the records go (shared by the ranks)
};

// COLLECTIVE. Prints the table (rank 0).
void bench_checkpoint(const mpi::runtime& rt, const checkpoint_bench_options& opt);

}  // namespace streamalloc::bench
