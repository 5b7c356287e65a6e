// streamalloc/claims/manifest.hpp — the durable record of one run's streams.
//
// A manifest records one run: its campaign, job and size, and every claim its ranks made.
// `streamalloc audit` compares the manifests of many runs for reuse, and `--resume-from`
// continues a campaign from the next free stream IDs and jump indices. The format is JSON Lines
// in which every line carries a CRC-32C of itself and of its place in the file:
//
//   {"streamalloc_manifest": 3, "version": "0.1.0", "campaign": {"root": 12345,
//    "strategy": "philox", "pool_size": 4}, "job": 0, "ranks": 4, "run": "3f0c...",
//    "crc32c": "8d1a03c2"}                                                  <- line 1: header
//   {"kind": "philox_id", "first": 0, "count": 1000, "job": 0, "owner": 0, "crc32c": "…"}
//   ...                                                                     <- one claim a line
//   {"end": true, "claims": 4, "crc32c": "…"}                               <- footer
//
// "crc32c" is the CRC-32C (crc32c.hpp) of the 8-byte little-endian file domain (2^64 - 1 for a
// manifest, r for shard r), the 8-byte little-endian line number (from 1) and the line without
// its crc32c field; it is always the last field. A flipped bit, a line moved, repeated or
// dropped, or a cut file is refused naming the file and line. "root" is the entropy exactly as
// NumPy takes it (an integer of any size, or a list). "run" is the run's unpredictable ID.
//
// Run records. A run written by mpi::run_record (run_record.hpp) keeps its claims in one shard
// per rank, <manifest>.<run>.d/<rank>.jsonl, each line sealed as above:
//   {"streamalloc_shard": 3, "run": "3f0c...", "shard": 2, "crc32c": "…"}   <- shard header
//   {"kind": "philox_id", "first": 2000, ..., "owner": 2, "crc32c": "…"}    <- rank 2's claims
//   {"update": true, "kind": ..., "used": 17, "crc32c": "…"}               <- a use recorded later
// and the manifest lists the shards and how many lines of each the record holds, instead of the
// claims themselves:
//   {"shard": 2, "file": "run.jsonl.3f0c....d/2.jsonl", "lines": 118, "crc32c": "…"}
//   {"end": true, "claims": 470, "commit": 12, "complete": false, "crc32c": "…"}
// Ranks append to their shards at each checkpoint; the manifest is replaced (atomically) only
// after every rank's lines are on disk, so it always names complete lines: lines past a shard's
// count (a checkpoint cut short) are ignored, fewer lines than the count are a truncated record.
// "complete" is true once the run closed its record. A restarted run's header adds
// "resumed_from": {"run": ..., "commit": ..., "shard_lines": [...], "manifest": ...}, the commit
// of the record it restarted from (record_position.hpp).
//
// Formats. The format number says how the claims' stream IDs and jump indices were derived, and
// what the file holds:
//   1  job_layout::shared: every job in one index space (Philox key root_key + id, jump count
//      = index), as streamalloc wrote records before jobs got regions of their own;
//   2  job_layout::separated: job j's Philox key root_key + j * 2^64 + id and jump count
//      j * 2^40 + index (campaign.hpp); lines without checksums;
//   3  as 2, every line sealed with its CRC-32C, run IDs, run records and lineage.
// All three are read (the campaign comes back with the layout its format implies), so old
// records still rebuild and audit exactly; the writer writes format 3 (format 1 for a campaign of
// the shared layout, so that every record round-trips). Records of all formats may be audited
// together: each claim is compared by the stream it really names (its key or jump count).
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
#include "streamalloc/claims/manifest_reader.hpp"
#include "streamalloc/claims/record_position.hpp"
#include "streamalloc/stream_ids.hpp"

namespace streamalloc::claims {

// The manifest format this library writes (for campaigns of the separated layout); it reads
// formats 1 (shared layout), 2 and 3.
inline constexpr std::uint64_t manifest_format = 3;
inline constexpr std::uint64_t shared_layout_manifest_format = 1;

struct manifest {
  streamalloc::campaign campaign;
  job_index job{};
  std::uint32_t ranks = 1;
  std::vector<claim> claims;
  // The streamalloc version that wrote the file (read back by read_manifest; write_manifest
  // always writes its own version).
  std::string version;
  // The run's ID (16 hex digits; "" in formats 1 and 2, and write_manifest makes one up when
  // it is empty), and, for a restarted run, the record commit it resumed from.
  std::string run = {};
  std::optional<record_lineage> resumed_from = std::nullopt;
  // Run records: commits made and whether the run closed its record (read only; a single-file
  // manifest reads back as complete, commit 0).
  std::uint64_t commit = 0;
  bool complete = true;

  // The first stream ID / jump index no claim of this manifest uses: the largest claimed + 1,
  // or 0 if there is none. Throws invalid_argument if that would be 2^64 (space exhausted).
  struct free_point {
    stream_id stream{};
    jump_index jump{};
  };
  free_point next_free() const;
};

// Writes the single-file form atomically (atomic_file.hpp: an unpredictable temporary file in
// the same directory, fsync, rename, fsync of the directory). Validates every claim first —
// well-formed, owner < ranks, job == m.job — (invalid_argument naming the claim's index) and
// throws io_error naming the path and the system's reason if the file cannot be written, or if
// the path exists and is not a regular file; the temporary file is removed on failure.
void write_manifest(const std::filesystem::path& path, const manifest& m);

// The longest manifest line a reader accepts (manifest_reader.hpp's max_manifest_line): a claim
// line is under 1 KiB and a header holds at most a seed of a few big_uint::max_digits integers.
inline constexpr std::size_t max_manifest_line_bytes = max_manifest_line;

// Reads a manifest of any format, single-file or run record, into memory (manifest_reader.hpp
// reads one claim at a time instead). Uses recorded after their claims are applied (a range is
// split where needed). Every error message starts with "<file>:<line>: ":
//   io_error          the file cannot be opened or read, or is truncated (no footer line, a
//                     shard with fewer lines than the manifest commits);
//   invalid_argument  bad content: not JSON, a line whose checksum does not match (a damaged,
//                     moved or repeated line), wrong field types, unknown claim kinds or fields,
//                     an unsupported format, a claim count that disagrees with the footer, an
//                     owner rank outside [0, ranks) (or not the shard's rank), a claim whose job
//                     is not the header's, a line longer than max_manifest_line bytes.
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
