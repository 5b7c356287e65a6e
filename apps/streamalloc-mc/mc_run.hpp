// streamalloc-mc: the run loop — rounds of histories, checkpoints, manifest and verification.
#pragma once

#include <cstdint>

#include "mc_options.hpp"
#include "slab_transport.hpp"
#include "streamalloc/mpi/runtime.hpp"
#include "streamalloc/mpi/verify.hpp"

namespace streamalloc::mc {

struct run_summary {
  tallies totals;            // complete on rank 0 only
  mpi::verdict verification; // identical on every rank
  std::uint64_t streams_claimed = 0;  // by this run, all ranks
  job_index job{};
  std::uint64_t base = 0;
  std::uint64_t restarted_at = 0;  // histories already done by the checkpoint restarted from
};

// COLLECTIVE. Runs the histories [0, options.histories) spread over the ranks in rounds,
// checkpointing and verifying after each round when asked, and writes the manifest (rank 0).
// Any rank's failure is agreed on and rethrown on every rank.
run_summary run_monte_carlo(const mpi::runtime& rt, const mc_options& options);

}  // namespace streamalloc::mc
