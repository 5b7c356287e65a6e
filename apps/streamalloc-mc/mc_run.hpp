// streamalloc-mc: the run loop — rounds of histories, checkpoints, manifest and verification.
#pragma once

#include <cstdint>
#include <string>

#include "mc_options.hpp"
#include "slab_transport.hpp"
#include "streamalloc/mpi/runtime.hpp"
#include "streamalloc/campaign.hpp"
#include "streamalloc/mpi/verify.hpp"

namespace streamalloc::mc {

// Wall-clock seconds of one rank in the coordination layer, by step.
struct coordination_time {
  double claims = 0;     // claiming streams (registry checks included)
  double verify = 0;     // collective verify() at checkpoints and at the end
  double manifests = 0;  // the run record's calls (constructor, checkpoints, close)
  // Not coordination: time spent at each verify() waiting for ranks still computing their share
  // of the round (load imbalance, which any synchronous checkpoint pays), measured apart by a
  // barrier just before it so that verify's own time is the layer's.
  double waiting = 0;
  double total() const noexcept { return claims + verify + manifests; }
};

struct run_summary {
  campaign origin{seed_entropy(0),
                  strategy::philox};  // the campaign the run used (a restart's: its checkpoint's)
  slab geometry;                      // likewise
  std::uint64_t histories = 0;        // likewise
  tallies totals;                     // complete on rank 0 only
  mpi::verdict verification;          // identical on every rank
  std::uint64_t streams_claimed = 0;  // by this run, all ranks
  job_index job{};
  std::string job_source;  // the environment variable of --job auto, else empty
  std::uint64_t base = 0;
  std::uint64_t restarted_at = 0;  // histories already done by the checkpoint restarted from
  double run_seconds = 0;          // rank 0's wall time of the whole run
  // The slowest rank's coordination time (by its total), identical on every rank: the share of
  // the run the coordination layer costs (issue target: under 1%).
  coordination_time coordination;
};

// COLLECTIVE. Runs the histories [0, options.histories) spread over the ranks in rounds,
// checkpointing and verifying after each round when asked, and writes the manifest (rank 0).
// Any rank's failure is agreed on and rethrown on every rank.
run_summary run_monte_carlo(const mpi::runtime& rt, const mc_options& options);

}  // namespace streamalloc::mc
