// streamalloc-mc: where a run starts — fresh, restarted from a checkpoint, or continuing a
// campaign from its manifests — and which options it takes from there.
#pragma once

#include <cstdint>
#include <optional>

#include "mc_options.hpp"
#include "slab_transport.hpp"
#include "streamalloc/campaign.hpp"
#include "streamalloc/claims/record_position.hpp"
#include "streamalloc/stream_ids.hpp"

namespace streamalloc::mc {

struct starting_point {
  campaign origin;
  job_index job;
  std::uint64_t histories = 0;  // of the whole run
  std::uint64_t base = 0;       // stream ID / jump index / task number of history 0
  std::uint64_t completed = 0;
  tallies totals;
  slab geometry;
  std::optional<claims::record_lineage> resumed_from;  // the record commit a restart came from
};

// `job`: the job the command line names (--job J, or --job auto resolved), if any.
// A restart takes the campaign, job, geometry and histories of its checkpoint: an option the
// command line gives explicitly that contradicts the checkpoint is refused (invalid_argument
// naming both values), one it leaves out is taken from the checkpoint. Continuing a campaign
// from a manifest takes the manifest's seed and strategy unless given (and refuses others).
// Throws what reading the checkpoint or manifest throws.
starting_point decide_start(const mc_options& options, std::optional<job_index> job);

}  // namespace streamalloc::mc
