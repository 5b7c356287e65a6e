// streamalloc/claims/record_shard.hpp — the serial pieces of a run record: one rank's shard and
// the manifest that commits the shards.
//
// mpi::run_record (collective) is built from these; a serial program can use them directly to
// keep a record that grows by checkpoints. The format is manifest.hpp's (format 3, run records).
// A shard is appended to and synced; the manifest naming how many lines of each shard belong to
// the record is then replaced atomically (write_record_manifest), so that a crash at any
// instant leaves a manifest that reads back as its last commit. Thread-compatible.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "streamalloc/claims/claim.hpp"
#include "streamalloc/claims/record_position.hpp"

namespace streamalloc::claims {

// The shard directory and file of rank `shard` of run `run` whose record is at `manifest`:
// "<manifest>.<run>.d" and "<manifest>.<run>.d/<shard>.jsonl".
std::filesystem::path shard_directory(const std::filesystem::path& manifest,
                                      const std::string& run);
std::filesystem::path shard_file(const std::filesystem::path& manifest, const std::string& run,
                                 std::uint32_t shard);

// One rank's shard, open for appending.
class shard_writer {
 public:
  // Creates the shard file exclusively (atomic_file.hpp's create_exclusively: no file may be
  // there, no symbolic link is followed) and writes its header line. Throws io_error naming it.
  shard_writer(std::filesystem::path file, std::string run, std::uint32_t shard);
  ~shard_writer();
  shard_writer(const shard_writer&) = delete;
  shard_writer& operator=(const shard_writer&) = delete;

  // Appends one sealed line per entry — a claim, or (update = true) a use of a claim already
  // in the shard — and, with `sync`, flushes them to disk (fdatasync). Returns the shard's
  // line count after them (header excluded). On failure throws io_error naming the file; the
  // lines committed so far are untouched (a partial line past them is ignored by readers) and
  // the next append starts where the failed one did.
  struct entry {
    claim what;
    bool update = false;
  };
  std::uint64_t append(std::span<const entry> entries, bool sync);

  std::uint64_t lines() const noexcept { return lines_; }
  std::uint64_t claims() const noexcept { return claims_; }  // lines that are claims
  const std::filesystem::path& file() const noexcept { return file_; }

 private:
  std::filesystem::path file_;
  std::uint32_t shard_;
  int fd_ = -1;
  std::uint64_t lines_ = 0;       // lines written and complete (header excluded)
  std::uint64_t claims_ = 0;      // of which claims (not updates)
  std::uint64_t end_offset_ = 0;  // bytes of the header and those lines
};

// The manifest of a run record at one commit.
struct record_manifest {
  std::filesystem::path path;
  streamalloc::campaign campaign;
  job_index job{};
  std::uint32_t ranks = 1;
  std::string run;
  std::optional<record_lineage> resumed_from;
  std::vector<std::uint64_t> shard_lines;  // one per rank
  std::uint64_t claims = 0;                // claim lines over all shards (updates excluded)
  std::uint64_t commit = 0;
  bool complete = false;
};

// Replaces m.path atomically (atomic_file.hpp; with `sync` the new manifest is on disk before
// the rename; the directory is not synced: after a crash of the machine the previous commit,
// also consistent, may be what is left) with the manifest of this commit. Throws io_error
// naming the path.
void write_record_manifest(const record_manifest& m, bool sync);

}  // namespace streamalloc::claims
