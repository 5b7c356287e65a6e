// Private: write_checkpoint() with the hook its tests need, out of the public API (tests include
// this header from the source tree; it is not installed).
#pragma once

#include <cstddef>
#include <filesystem>
#include <span>

#include "streamalloc/mpi/stream_set/checkpoint.hpp"

namespace streamalloc::mpi::detail {

struct checkpoint_hooks {
  // If >= 0, that rank fails after writing its block, to exercise the agreed failure: no rank
  // returns normally and the target keeps its previous content.
  int fail_on_rank = -1;
};

// mpi::write_checkpoint() with hooks; COLLECTIVE, as write_checkpoint() is.
void write_checkpoint(const stream_allocator& alloc, const std::filesystem::path& path,
                      std::span<claimed_stream_set> sets, std::span<const std::byte> app_state,
                      const checkpoint_hooks& hooks);

}  // namespace streamalloc::mpi::detail
