// streamalloc-mc: command-line options of the Monte Carlo demo.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "slab_transport.hpp"
#include "streamalloc/campaign.hpp"
#include "streamalloc/seed_entropy.hpp"

namespace streamalloc::mc {

struct mc_options {
  strategy how = strategy::philox;
  std::uint64_t histories = 100000;
  seed_entropy seed{12345};
  std::optional<std::uint64_t> job;  // unset: 0, or the next free job when resuming a campaign
  bool job_auto = false;   // --job auto: the job array index from the scheduler's environment
  std::string manifest;    // empty: no manifest
  std::string checkpoint;  // empty: no checkpoints
  std::uint64_t checkpoint_every = 0;
  std::string resume_from;  // a checkpoint (restart) or a manifest (continue campaign)
  bool quiet = false;
  bool timing = false;  // print where the run's wall time went (coordination share)
  slab geometry;
  // Which of the options above the command line gave (a restart takes the others from its
  // checkpoint, and refuses given ones that contradict it).
  struct {
    bool histories = false;
    bool seed = false;
    bool strategy = false;
    bool thickness = false;
    bool scattering_ratio = false;
  } given;
};

// Parses argv. Returns nullopt after printing --help (exit 0). Throws streamalloc::invalid_argument
// (or a Boost.Program_options error) for bad input.
std::optional<mc_options> parse_mc_options(int argc, char** argv);

}  // namespace streamalloc::mc
