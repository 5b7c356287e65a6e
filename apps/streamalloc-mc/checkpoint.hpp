// streamalloc-mc: checkpoints of a run, for restart after a crash.
//
// Histories are processed in rounds that every rank finishes before the next starts, so after
// each round the completed histories are exactly [0, completed): the checkpoint records that
// count, the exact integer tallies so far, the streams' part of the restart — the campaign, job
// and record commit it was written after (claims::record_position, from the library's run
// record) — and the demo's own layout (base index). A restart on any rank count processes
// [completed, histories) with the same streams and reaches the same tallies, bit for bit, as an
// uninterrupted run, and its run record names the commit it resumed from.
#pragma once

#include <cstdint>
#include <filesystem>

#include "slab_transport.hpp"
#include "streamalloc/claims/record_position.hpp"

namespace streamalloc::mc {

struct checkpoint {
  claims::record_position streams;  // campaign, job, and the record commit (if any)
  std::uint64_t base = 0;           // stream ID / jump index / task number of history 0
  std::uint64_t histories = 0;
  std::uint64_t completed = 0;
  slab geometry;
  tallies totals;
};

// Writes atomically (streamalloc/atomic_file.hpp): a crash leaves either the previous
// checkpoint or the new one. Throws io_error naming the path.
void write_checkpoint(const std::filesystem::path& path, const checkpoint& c);

// Throws io_error if unreadable, invalid_argument (naming the file and field) if malformed.
checkpoint read_checkpoint(const std::filesystem::path& path);

// True if the file's first line is a checkpoint header (as opposed to a manifest).
bool is_checkpoint_file(const std::filesystem::path& path);

}  // namespace streamalloc::mc
