// streamalloc/claims/record_position.hpp — a point in a run's record, and where a restart came
// from.
//
// A run record (manifest format 3, written by mpi::run_record) grows by commits: each checkpoint
// appends every rank's new claims to that rank's shard and then commits the manifest, which
// names how many lines of each shard belong to the record. A record_position names one such
// commit. A program's own checkpoint stores the position of the commit it was written after; a
// run restarted from that checkpoint records it as its lineage (resumed_from), which is what lets
// `streamalloc audit` tell a replay (a task redone on its own stream after the restart) from
// reuse. Value types; thread-compatible. Serial (no MPI).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "streamalloc/campaign.hpp"
#include "streamalloc/stream_ids.hpp"

namespace streamalloc::claims {

// Where a restarted run came from: a commit of another run's record.
struct record_lineage {
  std::string run;                         // that record's run ID (16 hex digits)
  std::uint64_t commit = 0;                // the commit the restart resumed from
  std::vector<std::uint64_t> shard_lines;  // claim lines of each of its shards at that commit
  std::string manifest;                    // that record's path, as it was written (for people)
  std::string checkpoint = {};             // the program checkpoint restarted from, if any

  friend bool operator==(const record_lineage&, const record_lineage&) = default;
};

// One commit of a run's record, with the campaign and job whose streams it records.
struct record_position {
  streamalloc::campaign campaign{seed_entropy(0), strategy::philox};
  job_index job{};
  std::string manifest;                    // the record's path; "" when the run keeps no record
  std::string run;                         // the record's run ID; "" when the run keeps no record
  std::uint64_t commit = 0;                // commits made so far (0: none yet)
  std::vector<std::uint64_t> shard_lines;  // claim lines of each rank's shard in those commits
  // The lineage of the record this position is in (a restart of a restart keeps its own).
  std::optional<record_lineage> resumed_from;

  // True if the position names a record (a run without --manifest has none).
  bool has_record() const noexcept { return !run.empty(); }
  // The lineage a run restarted from this position records; nullopt without a record.
  std::optional<record_lineage> as_lineage() const {
    if (!has_record()) return std::nullopt;
    return record_lineage{run, commit, shard_lines, manifest};
  }

  friend bool operator==(const record_position&, const record_position&) = default;
};

}  // namespace streamalloc::claims
