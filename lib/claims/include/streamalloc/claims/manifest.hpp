// streamalloc/mpi/manifest.hpp — the durable record of one run's streams.
//
// Rank 0 writes a manifest at the end of a run: its campaign, job and size, and every claim.
// `streamalloc audit` compares manifests of many runs for reuse, and `--resume-from` continues a
// campaign from the next free stream IDs and jump indices. The format is JSON Lines:
//
//   {"streamalloc_manifest": 1, "version": "0.1.0", "campaign": {"root": 12345,
//    "strategy": "philox", "pool_size": 4}, "job": 0, "ranks": 4}        <- line 1: header
//   {"kind": "philox_id", "first": 0, "count": 1000, "job": 0, "owner": 0}  <- one claim a line
//   ...
//   {"end": true, "claims": 4}                                             <- footer
//
// "root" is the entropy exactly as NumPy takes it (an integer of any size, or a list). A file
// without the footer is refused as truncated; the writer makes a torn file impossible anyway by
// writing `<path>.tmp.<pid>` in the same directory, fsync'ing it and renaming it over <path>.
// Serial (no MPI). Functions are thread-compatible; concurrent writers to one path are not
// coordinated beyond the atomic rename (the last rename wins, never a mixture).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "streamalloc/campaign.hpp"
#include "streamalloc/claims/claim.hpp"
#include "streamalloc/stream_ids.hpp"

namespace streamalloc::claims {

// The manifest format this library writes and reads.
inline constexpr std::uint64_t manifest_format = 1;

struct manifest {
  streamalloc::campaign campaign;
  job_index job{};
  std::uint32_t ranks = 1;
  std::vector<claim> claims;
  // The streamalloc version that wrote the file (read back by read_manifest; write_manifest
  // always writes its own version).
  std::string version;

  // The first stream ID / jump index no claim of this manifest uses: the largest claimed + 1,
  // or 0 if there is none. Throws invalid_argument if that would be 2^64 (space exhausted).
  struct free_point {
    stream_id stream{};
    jump_index jump{};
  };
  free_point next_free() const;
};

// Writes atomically (temporary file in the same directory, fsync, rename, fsync of the
// directory). Validates every claim first — well-formed, owner < ranks, job == m.job —
// (invalid_argument naming the claim's index) and
// throws io_error naming the path and the system's reason if the file cannot be written; the
// temporary file is removed on failure.
void write_manifest(const std::filesystem::path& path, const manifest& m);

// The longest manifest line read_manifest accepts: a claim line is under 1 KiB and a header
// holds at most a seed of a few big_uint::max_digits integers.
inline constexpr std::size_t max_manifest_line_bytes = std::size_t{16} << 20;

// Reads a manifest. Every error message starts with "<file>:<line>: ":
//   io_error          the file cannot be opened or read, or is truncated (no footer line);
//   invalid_argument  bad content: not JSON, wrong field types, unknown claim kinds or fields,
//                     an unsupported format, a claim count that disagrees with the footer, an
//                     owner rank outside [0, ranks), a claim whose job is not the header's.
manifest read_manifest(const std::filesystem::path& path);

// Where a new run of a campaign continues after earlier runs.
struct resume_point {
  streamalloc::campaign campaign;
  stream_id next_stream{};  // first philox stream ID no earlier run claimed
  jump_index next_jump{};   // first jump index no earlier run claimed
  job_index next_job{};     // one past the largest job index seen
};

// The resume point after the given manifests (read with read_manifest, so the same errors).
// Throws invalid_argument if the list is empty, or if two manifests (or a manifest and
// `expected`, when given) belong to different campaigns, naming both files and both campaigns.
resume_point find_resume_point(std::span<const std::filesystem::path> manifests,
                               const streamalloc::campaign* expected = nullptr);

}  // namespace streamalloc::claims
