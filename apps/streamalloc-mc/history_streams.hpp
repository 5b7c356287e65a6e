// streamalloc-mc: the stream of one particle history, claimed through the coordination layer.
//
// Histories are tasks: history h uses the stream of task h (plus the run's base index), never a
// stream tied to the rank that happens to run it. That is what makes the result independent of
// the number of ranks: philox stream ID base + h, jump index base + h, or the spawn path
// (base + h,) under the run's job.
#pragma once

#include <cstdint>

#include "slab_transport.hpp"
#include "streamalloc/mpi/stream_allocator.hpp"

namespace streamalloc::mc {

// Claims history h's stream from `allocator` (recording task (h,)) and runs the history on it.
history_outcome run_claimed_history(mpi::stream_allocator& allocator, std::uint64_t base,
                                    std::uint64_t history, const slab& geometry);

}  // namespace streamalloc::mc
