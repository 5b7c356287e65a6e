// Collective checkpoint I/O for stream sets: writing (reading is stream_set_checkpoint_read.cpp). Every step that can fail locally runs inside
// agreed() and every MPI call on the file is made by all ranks between such steps, with its
// return code agreed on afterwards — so a failure anywhere becomes the same exception everywhere
// and no rank is left waiting in a collective (stream_set_mpi_file.hpp relies on this to close
// the file collectively while an exception unwinds).
#include "streamalloc/mpi/stream_set/checkpoint.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <string>
#include <utility>

#include "src/stream_set/carry.hpp"
#include "src/stream_set/checkpoint_io.hpp"
#include "src/stream_set/checkpoint_format.hpp"
#include "src/stream_set/checkpoint_hooks.hpp"
#include "src/stream_set/mpi_file.hpp"
#include "streamalloc/atomic_file.hpp"
#include "streamalloc/error.hpp"
#include "streamalloc/mpi/agreement.hpp"
#include "streamalloc/crc32c.hpp"

namespace streamalloc::mpi {
namespace {

using detail::as_int;
using detail::as_offset;
using detail::check_io;
using detail::claim_block_entry;
using detail::displacements;
using detail::mpi_file;
using detail::set_entry;

// ---------------------------------------------------------------------------------------------
// Writing.

// This rank's block: its claims, then its sets' snapshots; entries' offsets relative to the block.
struct local_block {
  std::vector<std::byte> bytes;
  claim_block_entry claims;
  std::vector<set_entry> sets;
  std::uint64_t set_entry_bytes = 0;
};

local_block encode_block(const stream_allocator& alloc, std::span<claimed_stream_set> sets) {
  local_block block;
  const std::vector<claims::claim> claims = alloc.registry().snapshot();
  block.bytes = detail::encode_claims(claims);
  block.claims = {0, block.bytes.size(), claims.size(), streamalloc::crc32c(block.bytes)};
  for (claimed_stream_set& s : sets) {
    const std::vector<std::byte> snapshot = to_bytes(s->snapshot());
    set_entry entry;
    entry.writer = alloc.mpi_runtime().rank().value();
    entry.rooting = s.rooting();
    entry.family = s->family();
    entry.origin = s.origin_path();
    entry.task = s.details().task;
    // The budget the claims were recorded with, resolved now: a restarted allocator's default
    // may differ.
    entry.budget = s.details().budget.value_or(alloc.options().budget);
    entry.offset = block.bytes.size();
    entry.length = snapshot.size();
    entry.crc = streamalloc::crc32c(snapshot);
    block.bytes.insert(block.bytes.end(), snapshot.begin(), snapshot.end());
    block.set_entry_bytes += detail::encoded_size(entry);
    block.sets.push_back(std::move(entry));
  }
  as_int(block.bytes.size(), "this rank's checkpoint block");
  as_int(block.set_entry_bytes, "this rank's set index");
  return block;
}

// Rank 0's header from everyone's entries (gathered in rank order).
std::vector<std::byte> gather_header(const runtime& rt, const detail::checkpoint_header& header,
                                     const std::vector<std::byte>& my_block_entry,
                                     const std::vector<std::byte>& my_set_entries,
                                     std::uint64_t set_count, const std::string& what) {
  const auto ranks = static_cast<std::size_t>(rt.size());
  const bool root = rt.mpi_rank() == 0;
  std::vector<std::byte> blocks(root ? ranks * detail::claim_block_entry_size : 0);
  check_mpi(MPI_Gather(my_block_entry.data(), static_cast<int>(my_block_entry.size()), MPI_BYTE,
                       blocks.data(), static_cast<int>(detail::claim_block_entry_size), MPI_BYTE, 0,
                       rt.comm()),
            "MPI_Gather (" + what + ": claim blocks)");
  const int mine = static_cast<int>(my_set_entries.size());  // checked by encode_block
  std::vector<int> counts(root ? ranks : 0);
  check_mpi(MPI_Gather(&mine, 1, MPI_INT, counts.data(), 1, MPI_INT, 0, rt.comm()),
            "MPI_Gather (" + what + ": set index sizes)");
  const auto layout = agreed(rt, what + ": sizing the set index", [&] {
    return root ? displacements(counts, "the set index") : std::vector<int>();
  });
  std::vector<std::byte> sets(root ? header.header_length : 0);  // more than enough
  check_mpi(MPI_Gatherv(my_set_entries.data(), mine, MPI_BYTE, sets.data(), counts.data(),
                        layout.data(), MPI_BYTE, 0, rt.comm()),
            "MPI_Gatherv (" + what + ": set index)");
  return agreed(rt, what + ": assembling the header", [&] {
    if (!root) return std::vector<std::byte>();
    const std::size_t set_bytes = counts.empty() ? 0
                                                 : static_cast<std::size_t>(layout.back()) +
                                                       static_cast<std::size_t>(counts.back());
    return detail::encode_header(header, blocks, std::span(sets).first(set_bytes), set_count);
  });
}

// Makes the rename durable: without syncing the directory a crash could forget it.
void sync_directory(const std::filesystem::path& file) {
  std::filesystem::path dir = file.parent_path();
  if (dir.empty()) dir = ".";
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0 || ::fsync(fd) != 0) {
    const std::string reason = std::strerror(errno);
    if (fd >= 0) ::close(fd);
    throw io_error("cannot sync directory " + dir.string() + ": " + reason);
  }
  ::close(fd);
}

void write_temporary(const stream_allocator& alloc, const std::string& file,
                     const std::string& temporary, std::span<claimed_stream_set> sets,
                     std::span<const std::byte> app_state,
                     const detail::checkpoint_hooks& options) {
  const runtime& rt = alloc.mpi_runtime();
  const bool root = rt.mpi_rank() == 0;
  const std::string what = "write_checkpoint " + file;

  local_block block = agreed(rt, what + ": encoding this rank's claims and sets",
                             [&] { return encode_block(alloc, sets); });
  const std::string campaign_json = detail::encode_campaign(alloc.origin());

  // Sizes: header length H from everyone's index entries; rank r's block after H and the blocks
  // of the ranks before it.
  const std::uint64_t local[3] = {block.set_entry_bytes, root ? app_state.size() : 0,
                                  block.bytes.size()};
  std::uint64_t totals[3] = {0, 0, 0};
  check_mpi(MPI_Allreduce(local, totals, 3, MPI_UINT64_T, MPI_SUM, rt.comm()),
            "MPI_Allreduce (" + what + ": sizes)");
  std::uint64_t before = 0;
  check_mpi(MPI_Exscan(&local[2], &before, 1, MPI_UINT64_T, MPI_SUM, rt.comm()),
            "MPI_Exscan (" + what + ": offsets)");
  if (root) before = 0;  // MPI_Exscan leaves rank 0's result undefined

  detail::checkpoint_header header;
  header.ranks = static_cast<std::uint32_t>(rt.size());
  header.job = alloc.job();
  header.origin = alloc.origin();
  std::vector<std::byte> my_block_entry;
  std::vector<std::byte> my_set_entries;
  agreed(rt, what + ": laying out the file", [&] {
    header.header_length =
        detail::header_length(campaign_json.size(), totals[1], header.ranks, totals[0]);
    header.file_length = header.header_length + totals[2];
    if (root) header.app_state.assign(app_state.begin(), app_state.end());
    const std::uint64_t base = header.header_length + before;
    block.claims.offset = base;
    my_block_entry = detail::encode(block.claims);
    for (set_entry& entry : block.sets) {
      entry.offset += base;
      const auto bytes = detail::encode(entry);
      my_set_entries.insert(my_set_entries.end(), bytes.begin(), bytes.end());
    }
    as_int(header.header_length, "the checkpoint header");
  });
  std::uint64_t set_count = block.sets.size();
  check_mpi(MPI_Allreduce(MPI_IN_PLACE, &set_count, 1, MPI_UINT64_T, MPI_SUM, rt.comm()),
            "MPI_Allreduce (" + what + ": set count)");
  const std::vector<std::byte> header_bytes =
      gather_header(rt, header, my_block_entry, my_set_entries, set_count, what);

  // The file: created or truncated to its exact length, every block written collectively.
  mpi_file fh;
  // Rank 0 created the file exclusively (write_checkpoint): no MPI_MODE_CREATE, so a file
  // swapped in meanwhile is not silently created anew.
  const int opened =
      MPI_File_open(rt.comm(), temporary.c_str(), MPI_MODE_WRONLY, MPI_INFO_NULL, fh.out());
  agreed(rt, what + ": opening " + temporary,
         [&] { check_io(opened, "cannot create " + temporary); });
  const int sized = MPI_File_set_size(fh.get(), as_offset(header.file_length));
  agreed(rt, what + ": sizing " + temporary, [&] { check_io(sized, "cannot size " + temporary); });
  MPI_Status status;
  const int wrote =
      MPI_File_write_at_all(fh.get(), as_offset(block.claims.offset), block.bytes.data(),
                            static_cast<int>(block.bytes.size()), MPI_BYTE, &status);
  int written = 0;
  if (wrote == MPI_SUCCESS) MPI_Get_count(&status, MPI_BYTE, &written);
  int header_code = MPI_SUCCESS;
  int header_written = 0;
  if (root) {
    header_code = MPI_File_write_at(fh.get(), 0, header_bytes.data(),
                                    static_cast<int>(header_bytes.size()), MPI_BYTE, &status);
    if (header_code == MPI_SUCCESS) MPI_Get_count(&status, MPI_BYTE, &header_written);
  }
  agreed(rt, what + ": writing " + temporary, [&] {
    check_io(wrote, "cannot write this rank's block to " + temporary);
    check_io(header_code, "cannot write the header to " + temporary);
    if (static_cast<std::size_t>(written) != block.bytes.size() ||
        (root && static_cast<std::size_t>(header_written) != header_bytes.size())) {
      throw io_error("short write to " + temporary + ": " + std::to_string(written) + " of " +
                     std::to_string(block.bytes.size()) + " bytes");
    }
    if (options.fail_on_rank == rt.mpi_rank()) {
      throw io_error(
          "injected failure after writing this rank's block (checkpoint_hooks::fail_on_rank)");
    }
  });
  const int synced = MPI_File_sync(fh.get());
  agreed(rt, what + ": syncing " + temporary,
         [&] { check_io(synced, "cannot sync " + temporary); });
  const int closed = fh.close();
  agreed(rt, what + ": closing " + temporary,
         [&] { check_io(closed, "cannot close " + temporary); });
}

}  // namespace

void write_checkpoint(const stream_allocator& alloc, const std::filesystem::path& path,
                      std::span<claimed_stream_set> sets, std::span<const std::byte> app_state) {
  detail::write_checkpoint(alloc, path, sets, app_state, {});
}

void detail::write_checkpoint(const stream_allocator& alloc, const std::filesystem::path& path,
                              std::span<claimed_stream_set> sets,
                              std::span<const std::byte> app_state,
                              const checkpoint_hooks& options) {
  const runtime& rt = alloc.mpi_runtime();
  const std::string file = path.string();
  // The temporary file: an unpredictable name next to the target, created by rank 0 with
  // O_CREAT | O_EXCL | O_NOFOLLOW (atomic_file.hpp) before the collective open, so that nobody
  // sharing the directory can plant a symbolic link or a file of theirs under its name; the
  // target itself must be a regular file or absent (a symbolic link is not followed).
  std::array<char, 4096> name{};
  agreed(rt, "write_checkpoint " + file + ": creating the temporary file", [&] {
    if (rt.mpi_rank() != 0) return;
    require_regular_target(path);
    const std::filesystem::path dir = path.has_parent_path() ? path.parent_path() : ".";
    for (int attempt = 0;; ++attempt) {
      const std::filesystem::path candidate =
          dir / ("." + path.filename().string() + "." + random_hex64() + ".tmp");
      if (candidate.string().size() >= name.size()) {
        throw io_error(file + ": the path is too long for a temporary file next to it");
      }
      const int fd =
          ::open(candidate.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
      if (fd < 0 && errno == EEXIST && attempt < 16) continue;  // taken: another name
      if (fd < 0) {
        throw io_error(candidate.string() +
                       ": cannot create the temporary file: " + std::strerror(errno));
      }
      ::close(fd);
      std::copy_n(candidate.string().c_str(), candidate.string().size() + 1, name.begin());
      return;
    }
  });
  check_mpi(MPI_Bcast(name.data(), static_cast<int>(name.size()), MPI_CHAR, 0, rt.comm()),
            "MPI_Bcast (write_checkpoint " + file + ": temporary file name)");
  const std::string temporary = name.data();
  try {
    write_temporary(alloc, file, temporary, sets, app_state, options);
  } catch (...) {
    // Every rank is here (the failure was agreed) and the file is closed: drop the torn copy.
    if (rt.mpi_rank() == 0) {
      std::error_code ignored;
      std::filesystem::remove(temporary, ignored);
    }
    throw;
  }
  agreed(rt, "write_checkpoint " + file + ": renaming " + temporary, [&] {
    if (rt.mpi_rank() != 0) return;
    const auto drop = [&] {
      std::error_code ignored;
      std::filesystem::remove(temporary, ignored);
    };
    try {
      require_regular_target(path);  // checked again just before replacing it
    } catch (...) {
      drop();
      throw;
    }
    if (::rename(temporary.c_str(), file.c_str()) != 0) {
      const std::string reason = std::strerror(errno);
      drop();
      throw io_error("cannot rename " + temporary + " to " + file + ": " + reason);
    }
    sync_directory(path);
  });
}

}  // namespace streamalloc::mpi
