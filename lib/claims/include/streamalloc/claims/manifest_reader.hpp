// streamalloc/claims/manifest_reader.hpp — reading a manifest one claim at a time.
//
// read_manifest() holds every claim of a run; an audit of runs with millions of claim records
// needs less: manifest_reader checks the header and the footer (and a run record's shard list)
// when it is opened, then hands out one claim at a time, read line by line from the manifest or
// its shards — no more than one line of text is held at a time, and a line longer than
// max_manifest_line is refused. Every format is read (manifest.hpp). Errors are those of
// read_manifest(), each starting "<file>:<line>: " (the shard's file for claims in shards).
// Serial; thread-compatible.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "streamalloc/campaign.hpp"
#include "streamalloc/claims/claim.hpp"
#include "streamalloc/claims/record_position.hpp"
#include "streamalloc/stream_ids.hpp"

namespace streamalloc::claims {

// The longest line a manifest or shard may hold (a claim line is a few hundred bytes; a header
// holds at most a seed of a few big_uint::max_digits integers).
inline constexpr std::size_t max_manifest_line = std::size_t{16} << 20;

// What a manifest says about its run (everything but the claims).
struct manifest_header {
  std::uint64_t format = 0;
  std::string version;
  streamalloc::campaign campaign{seed_entropy(0), strategy::philox};  // set when read
  job_index job{};
  std::uint32_t ranks = 1;
  std::string run;  // "" for formats 1 and 2
  std::optional<record_lineage> resumed_from;
  std::uint64_t claims = 0;  // claim records, as the footer counts them
  std::uint64_t commit = 0;  // run records: commits made (0 for single-file manifests)
  bool complete = true;      // run records: closed by the run
  // Run records: each shard's file (resolved against the manifest's directory) and committed
  // lines; empty for single-file manifests.
  std::vector<std::filesystem::path> shard_files;
  std::vector<std::uint64_t> shard_lines;
};

// Where a claim was read.
struct claim_location {
  const std::filesystem::path* file = nullptr;  // the manifest or the shard
  std::uint64_t line = 0;                       // 1-based line in that file
  std::optional<std::uint32_t> shard;           // the shard (rank), for run records
  // A use recorded after its claim: `claim.used` draws were used by the streams of `claim`
  // (which lies inside a claim read earlier from the same shard).
  bool update = false;
};

class manifest_reader {
 public:
  // Opens `path` and checks its header, footer and shard list (not the claims yet).
  explicit manifest_reader(std::filesystem::path path);
  ~manifest_reader();
  manifest_reader(const manifest_reader&) = delete;
  manifest_reader& operator=(const manifest_reader&) = delete;

  const std::filesystem::path& path() const noexcept { return path_; }
  const manifest_header& header() const noexcept { return header_; }

  // Reads every claim (and use update) in file order — the manifest's lines, or shard 0's, then
  // shard 1's, ... — and calls visit(claim, where) for each; validates each as read_manifest()
  // does and the footer's count at the end. May be called once.
  void read(const std::function<void(const claim&, const claim_location&)>& visit);

 private:
  std::filesystem::path path_;
  manifest_header header_;
  std::uint64_t footer_line_ = 0;
  bool read_ = false;
};

// Applies a use update (claim_location::update) to the claims read so far: the claims of the
// same owner whose streams it covers get `update.used` (ranges split where needed). Throws
// invalid_argument if no such claims hold every stream of the update.
void apply_use(std::vector<claim>& claims, const claim& update);

}  // namespace streamalloc::claims
