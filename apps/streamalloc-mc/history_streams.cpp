#include "history_streams.hpp"

namespace streamalloc::mc {

history_outcome run_claimed_history(mpi::stream_allocator& allocator, std::uint64_t base,
                                    std::uint64_t history, const slab& geometry) {
  const std::uint64_t index = base + history;
  const mpi::claim_options details{task_path{history}, std::nullopt};
  switch (allocator.origin().how()) {
    case strategy::philox: {
      auto taken = allocator.philox_explicit(stream_id(index), details);
      return run_history(geometry, [&] { return taken.stream.next_double(); });
    }
    case strategy::jumped: {
      auto taken = allocator.jumped_explicit(jump_index(index), details);
      return run_history(geometry, [&] { return taken.stream.next_double(); });
    }
    case strategy::spawn: {
      auto taken = allocator.spawn(task_path{index}, details);
      pcg64 stream(taken.stream);
      return run_history(geometry, [&] { return stream.next_double(); });
    }
  }
  throw invalid_argument("unknown strategy");
}

}  // namespace streamalloc::mc
