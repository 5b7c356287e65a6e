// streamalloc-mc: the streams of particle histories, claimed through the coordination layer.
//
// Histories are tasks: history h uses the stream of task h (plus the run's base index), never a
// stream tied to the rank that happens to run it. That is what makes the result independent of
// the number of ranks: philox stream ID base + h, jump index base + h, or the spawn path
// (base + h,) under the run's job.
//
// A rank claims its whole share of a round, histories [first, last), as ONE run of streams
// whose tasks advance in lockstep with the IDs (task (h,) on stream base + h): one registry
// record and one check per round instead of one per history, which keeps the coordination
// layer's cost a small fraction of the transport work.
#pragma once

#include <cstdint>
#include <functional>
#include <variant>

#include "slab_transport.hpp"
#include "streamalloc/mpi/stream_allocator.hpp"

namespace streamalloc::mc {

// The claimed streams of a run of consecutive histories, as the strategy derives them.
struct history_streams {
  std::uint64_t first_history = 0;
  std::variant<mpi::claimed_run<philox>, mpi::claimed_run<pcg64>, mpi::claimed_run<seed_sequence>>
      run;
};

// Claims the streams of histories [first, last) (last > first) from `allocator`, recording
// tasks (first,) ... (last - 1,).
history_streams claim_histories(mpi::stream_allocator& allocator, std::uint64_t base,
                                std::uint64_t first, std::uint64_t last);

// Runs each history on its stream, adding the outcomes to `totals`; `on_history(h)` is called
// before history h (progress reporting).
void run_histories(const history_streams& streams, const slab& geometry, tallies& totals,
                   const std::function<void(std::uint64_t)>& on_history);

}  // namespace streamalloc::mc
