// streamalloc/mpi/manifest.hpp — the durable record of one run's streams.
//
// Rank 0 writes a manifest at the end of a run: its campaign, job and size, and every claim.
// `streamalloc audit` compares manifests of many runs for reuse, and `--resume-from` continues a
// campaign from the next free stream IDs and jump indices. The format is JSON Lines:
//
//   {"streamalloc_manifest": 2, "version": "0.1.0", "campaign": {"root": 12345,
//    "strategy": "philox", "pool_size": 4}, "job": 0, "ranks": 4}        <- line 1: header
//   {"kind": "philox_id", "first": 0, "count": 1000, "job": 0, "owner": 0}  <- one claim a line
//   ...
//   {"end": true, "claims": 4}                                             <- footer
//
// "root" is the entropy exactly as NumPy takes it (an integer of any size, or a list).
//
// Formats. The format number says how the claims' stream IDs and jump indices were derived:
//   1  job_layout::shared: every job in one index space (Philox key root_key + id, jump count
//      = index), as streamalloc wrote records before jobs got regions of their own;
//   2  job_layout::separated: job j's Philox key root_key + j * 2^64 + id and jump count
//      j * 2^40 + index (campaign.hpp).
// Both are read (the campaign comes back with the layout its format implies), so old records
// still rebuild and audit exactly; the writer writes format 2, or format 1 for a campaign of the
// shared layout, so that every record round-trips. Records of both formats may be audited
// together: each claim is compared by the stream it really names (its key or jump count).
//
// A file
// without the footer is refused as truncated; the writer makes a torn file impossible anyway by
// writing `<path>.tmp.<pid>` in the same directory, fsync'ing it and renaming it over <path>.
// Serial (no MPI). Functions are thread-compatible; concurrent writers to one path are not
// coordinated beyond the atomic rename (the last rename wins, never a mixture).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "streamalloc/campaign.hpp"
#include "streamalloc/claims/claim.hpp"
#include "streamalloc/stream_ids.hpp"

namespace streamalloc::claims {

// The manifest format this library writes (for campaigns of the separated layout); it reads
// formats 1 (shared layout) and 2.
inline constexpr std::uint64_t manifest_format = 2;
inline constexpr std::uint64_t shared_layout_manifest_format = 1;

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
  // The campaign, with the separated layout whatever the manifests' formats: new runs always
  // derive streams from their job's own region.
  streamalloc::campaign campaign;
  job_index job{};          // the job the new run belongs to (see find_resume_point)
  stream_id next_stream{};  // first philox stream ID of `job`'s region no earlier run claimed
  jump_index next_jump{};   // first jump index of `job`'s region no earlier run claimed
  job_index next_job{};     // one past the largest job index seen
};

// The resume point after the given manifests (read with read_manifest, so the same errors) for
// a new run of job `job` — by default `next_job`, a job no manifest has used, whose region is
// then untouched (next_stream = next_jump = 0). A later run of job j continues job j's region
// only: the IDs and indices that earlier runs of j claimed. Claims of format-1 manifests (shared
// layout) are mapped to the regions they really lie in: Philox ID i of any job is job 0's ID i,
// jump index i is job floor(i / 2^40)'s index i mod 2^40 — so a separated-layout run resuming
// after old runs never takes one of their streams again.
// Throws invalid_argument if the list is empty, or if two manifests (or a manifest and
// `expected`, when given) belong to different campaigns (root, strategy or pool size; the job
// layout may differ), naming both files and both campaigns.
resume_point find_resume_point(std::span<const std::filesystem::path> manifests,
                               const streamalloc::campaign* expected = nullptr,
                               std::optional<job_index> job = std::nullopt);

}  // namespace streamalloc::claims
