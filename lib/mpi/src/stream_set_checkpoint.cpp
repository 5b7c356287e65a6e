// Collective checkpoint I/O for stream sets. Every step that can fail locally runs inside
// agreed() and every MPI call on the file is made by all ranks between such steps, with its
// return code agreed on afterwards — so a failure anywhere becomes the same exception everywhere
// and no rank is left waiting in a collective (stream_set_mpi_file.hpp relies on this to close
// the file collectively while an exception unwinds).
#include "streamalloc/mpi/stream_set_checkpoint.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <string>
#include <utility>

#include "mpi_counts.hpp"
#include "stream_set_carry.hpp"
#include "stream_set_checkpoint_format.hpp"
#include "stream_set_mpi_file.hpp"
#include "streamalloc/error.hpp"
#include "streamalloc/mpi/agreement.hpp"
#include "streamalloc/stream_set_checksum.hpp"

namespace streamalloc::mpi {
namespace {

using detail::check_io;
using detail::claim_block_entry;
using detail::mpi_file;
using detail::set_entry;

[[noreturn]] void exceeds_int(const std::string& what, std::uint64_t n) {
  throw io_error(what + " is " + std::to_string(n) + " bytes, expected below 2 GiB (" +
                 std::to_string(INT_MAX) + " bytes: one MPI call each)");
}

int as_int(std::uint64_t n, const std::string& what) {
  return streamalloc::detail::int_count(n, [&](std::uint64_t bad) { exceeds_int(what, bad); });
}

MPI_Offset as_offset(std::uint64_t n) { return static_cast<MPI_Offset>(n); }

// Offsets and counts for a v-collective from per-rank byte counts.
std::vector<int> displacements(const std::vector<int>& counts, const std::string& what) {
  return streamalloc::detail::displacements(counts,
                                            [&](std::uint64_t bad) { exceeds_int(what, bad); });
}

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
  const std::vector<claim> claims = alloc.registry().snapshot();
  block.bytes = detail::encode_claims(claims);
  block.claims = {0, block.bytes.size(), claims.size(), streamalloc::detail::crc32c(block.bytes)};
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
    entry.crc = streamalloc::detail::crc32c(snapshot);
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
                       blocks.data(), static_cast<int>(detail::claim_block_entry_size), MPI_BYTE,
                       0, rt.comm()),
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
                     const checkpoint_write_options& options) {
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
    header.header_length = detail::header_length(campaign_json.size(), totals[1], header.ranks,
                                                 totals[0]);
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
  const int opened = MPI_File_open(rt.comm(), temporary.c_str(), MPI_MODE_CREATE | MPI_MODE_WRONLY,
                                   MPI_INFO_NULL, fh.out());
  agreed(rt, what + ": opening " + temporary,
         [&] { check_io(opened, "cannot create " + temporary); });
  const int sized = MPI_File_set_size(fh.get(), as_offset(header.file_length));
  agreed(rt, what + ": sizing " + temporary, [&] { check_io(sized, "cannot size " + temporary); });
  MPI_Status status;
  const int wrote = MPI_File_write_at_all(fh.get(), as_offset(block.claims.offset),
                                          block.bytes.data(), static_cast<int>(block.bytes.size()),
                                          MPI_BYTE, &status);
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
      throw io_error("injected failure after writing this rank's block (fail_on_rank)");
    }
  });
  const int synced = MPI_File_sync(fh.get());
  agreed(rt, what + ": syncing " + temporary,
         [&] { check_io(synced, "cannot sync " + temporary); });
  const int closed = fh.close();
  agreed(rt, what + ": closing " + temporary,
         [&] { check_io(closed, "cannot close " + temporary); });
}

// ---------------------------------------------------------------------------------------------
// Reading.

std::vector<std::byte> read_at(MPI_File fh, std::uint64_t offset, std::uint64_t length,
                               const std::string& what) {
  std::vector<std::byte> bytes(length);
  MPI_Status status;
  check_io(MPI_File_read_at(fh, as_offset(offset), bytes.data(), as_int(length, what), MPI_BYTE,
                            &status),
           "cannot read " + what);
  int got = 0;
  check_mpi(MPI_Get_count(&status, MPI_BYTE, &got), "MPI_Get_count");
  if (static_cast<std::uint64_t>(got) != length) {
    throw io_error("cannot read " + what + ": " + std::to_string(got) + " of " +
                   std::to_string(length) + " bytes (truncated file)");
  }
  return bytes;
}

void check_crc(std::span<const std::byte> bytes, std::uint32_t expected, const std::string& what) {
  const std::uint32_t computed = streamalloc::detail::crc32c(bytes);
  if (computed != expected) {
    char text[64];
    std::snprintf(text, sizeof text, "CRC-32C 0x%08x, the header says 0x%08x", computed,
                  expected);
    throw io_error(what + " has " + text + " (the file is damaged)");
  }
}

int place(const task_assignment& assign, const task_path& task, int ranks) {
  const int rank = assign(task, ranks);
  if (rank < 0 || rank >= ranks) {
    throw invalid_argument("read_checkpoint: the task assignment puts task " + task.to_string() +
                           " on rank " + std::to_string(rank) + ", expected a rank in [0, " +
                           std::to_string(ranks) + ")");
  }
  return rank;
}

// Rank 0 reads and checks the header; every rank receives it.
std::vector<std::byte> read_header(const runtime& rt, MPI_File fh, MPI_Offset size,
                                   const std::string& file, const std::string& what) {
  std::vector<std::byte> bytes = agreed(rt, what + ": reading the header", [&] {
    if (rt.mpi_rank() != 0) return std::vector<std::byte>();
    const auto file_size = static_cast<std::uint64_t>(size);
    const std::uint64_t prefix = std::min<std::uint64_t>(file_size, detail::checkpoint_prefix_size);
    const std::uint64_t length =
        detail::header_length_of(read_at(fh, 0, prefix, "the header of " + file), file);
    if (length > file_size) {
      throw io_error("stream set checkpoint " + file + ": the header is " +
                     std::to_string(length) + " bytes, the file only " +
                     std::to_string(file_size) + " (truncated)");
    }
    std::vector<std::byte> header = read_at(fh, 0, length, "the header of " + file);
    detail::decode_header(header, file);  // checks the CRC before anyone trusts a field
    return header;
  });
  std::uint64_t length = bytes.size();
  check_mpi(MPI_Bcast(&length, 1, MPI_UINT64_T, 0, rt.comm()), "MPI_Bcast (" + what + ")");
  bytes.resize(length);  // < 2 GiB: read_at checked it on rank 0
  check_mpi(MPI_Bcast(bytes.data(), static_cast<int>(length), MPI_BYTE, 0, rt.comm()),
            "MPI_Bcast (" + what + ")");
  return bytes;
}

// Checks the header against the reading run; throws on the first mismatch.
void check_header(const detail::checkpoint_header& header, const stream_allocator& alloc,
                  MPI_Offset size, const std::string& file) {
  const std::string where = "stream set checkpoint " + file;
  if (header.file_length != static_cast<std::uint64_t>(size)) {
    throw io_error(where + " is " + std::to_string(size) + " bytes, its header says " +
                   std::to_string(header.file_length) + " (truncated or extended)");
  }
  if (!(header.origin == alloc.origin())) {
    throw invalid_argument(where + " belongs to campaign " +
                           detail::encode_campaign(header.origin) + ", expected this run's " +
                           detail::encode_campaign(alloc.origin()));
  }
  if (header.job != alloc.job()) {
    throw invalid_argument(where + " is of job " + std::to_string(header.job.value()) +
                           ", expected this run's job " + std::to_string(alloc.job().value()) +
                           " (a restart continues the job it restarts)");
  }
  const int ranks = alloc.mpi_runtime().size();
  const bool same_count = header.ranks == static_cast<std::uint32_t>(ranks);
  for (const set_entry& e : header.sets) {
    if (e.rooting == stream_set_rooting::rank && !same_count) {
      throw invalid_argument(
          where + " holds the rank-rooted stream set " + e.origin.to_string() + " of a run on " +
          std::to_string(header.ranks) + " ranks, and this run has " + std::to_string(ranks) +
          ": rank-rooted streams are named by rank number, so they continue only on " +
          std::to_string(header.ranks) + " ranks (use task-rooted sets to change the rank count)");
    }
  }
}

// Routes the written run's claims to their new ranks and carries them into `alloc`. Returns the
// number of records carried here.
std::uint64_t carry_claims(stream_allocator& alloc, MPI_File fh,
                           const detail::checkpoint_header& header, const task_assignment& assign,
                           const std::string& file, const std::string& what) {
  const runtime& rt = alloc.mpi_runtime();
  const int ranks = rt.size();
  const auto n = static_cast<std::size_t>(ranks);
  // Old rank r's claims are read by new rank r mod ranks, which sends each to its task's rank.
  auto outgoing = agreed(rt, what + ": reading the claims", [&] {
    std::vector<std::vector<std::byte>> out(n);
    for (std::uint32_t r = 0; r < header.ranks; ++r) {
      if (static_cast<int>(r % static_cast<std::uint32_t>(ranks)) != rt.mpi_rank()) continue;
      const claim_block_entry& b = header.blocks[r];
      const std::string of = "rank " + std::to_string(r) + "'s claims in " + file;
      const auto bytes = read_at(fh, b.offset, b.length, of);
      check_crc(bytes, b.crc, of);
      const std::vector<claim> claims = detail::decode_claims(bytes, of);
      if (claims.size() != b.records) {
        throw io_error(of + ": " + std::to_string(claims.size()) + " claims, the header says " +
                       std::to_string(b.records));
      }
      for (const claim& c : claims) {
        const int to = c.task ? place(assign, *c.task, ranks) : rt.mpi_rank();
        const auto line = detail::encode_claims({c});
        auto& box = out[static_cast<std::size_t>(to)];
        box.insert(box.end(), line.begin(), line.end());
      }
    }
    std::vector<int> counts(n);
    for (std::size_t r = 0; r < n; ++r) counts[r] = as_int(out[r].size(), "claims to send");
    std::vector<std::byte> flat;
    for (const auto& box : out) flat.insert(flat.end(), box.begin(), box.end());
    return std::pair(std::move(counts), std::move(flat));
  });
  std::vector<int> incoming(n);
  check_mpi(MPI_Alltoall(outgoing.first.data(), 1, MPI_INT, incoming.data(), 1, MPI_INT,
                         rt.comm()),
            "MPI_Alltoall (" + what + ": claim counts)");
  const auto displs = agreed(rt, what + ": sizing the claim exchange", [&] {
    return std::pair(displacements(outgoing.first, "claims to send"),
                     displacements(incoming, "claims to receive"));
  });
  std::vector<std::byte> received(
      incoming.empty() ? 0
                       : static_cast<std::size_t>(displs.second.back()) +
                             static_cast<std::size_t>(incoming.back()));
  check_mpi(MPI_Alltoallv(outgoing.second.data(), outgoing.first.data(), displs.first.data(),
                          MPI_BYTE, received.data(), incoming.data(), displs.second.data(),
                          MPI_BYTE, rt.comm()),
            "MPI_Alltoallv (" + what + ": claims)");
  return agreed(rt, what + ": carrying the claims", [&] {
    const std::vector<claim> claims = detail::decode_claims(received, "carried claims");
    for (const claim& c : claims) detail::carry_claim(alloc, c);
    return static_cast<std::uint64_t>(claims.size());
  });
}

}  // namespace

void write_checkpoint(const stream_allocator& alloc, const std::filesystem::path& path,
                      std::span<claimed_stream_set> sets, std::span<const std::byte> app_state,
                      const checkpoint_write_options& options) {
  const runtime& rt = alloc.mpi_runtime();
  const std::string file = path.string();
  const std::string temporary = file + ".tmp";
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
    if (::rename(temporary.c_str(), file.c_str()) != 0) {
      const std::string reason = std::strerror(errno);
      std::error_code ignored;
      std::filesystem::remove(temporary, ignored);
      throw io_error("cannot rename " + temporary + " to " + file + ": " + reason);
    }
    sync_directory(path);
  });
}

int round_robin(const task_path& task, int ranks) {
  if (task.empty() || ranks <= 0) return 0;
  return static_cast<int>(task.parts().front() % static_cast<std::uint64_t>(ranks));
}

stream_set_checkpoint read_checkpoint(stream_allocator& alloc, const std::filesystem::path& path,
                                      const task_assignment& assign) {
  const runtime& rt = alloc.mpi_runtime();
  const std::string file = path.string();
  const std::string what = "read_checkpoint " + file;

  mpi_file fh;
  const int opened =
      MPI_File_open(rt.comm(), file.c_str(), MPI_MODE_RDONLY, MPI_INFO_NULL, fh.out());
  agreed(rt, what + ": opening", [&] { check_io(opened, "cannot open checkpoint " + file); });
  MPI_Offset size = 0;
  const int sized = MPI_File_get_size(fh.get(), &size);
  agreed(rt, what + ": sizing", [&] { check_io(sized, "cannot size checkpoint " + file); });

  const std::vector<std::byte> header_bytes = read_header(rt, fh.get(), size, file, what);
  const detail::checkpoint_header header = agreed(rt, what + ": checking the header", [&] {
    detail::checkpoint_header h = detail::decode_header(header_bytes, file);
    check_header(h, alloc, size, file);
    return h;
  });

  stream_set_checkpoint result;
  result.origin_ = header.origin;
  result.job_ = header.job;
  result.written_ranks_ = header.ranks;
  result.app_state_ = header.app_state;
  // Sets first: every byte is read and checked before the first carried claim changes `alloc`.
  result.sets_ = agreed(rt, what + ": reading this rank's sets", [&] {
    std::vector<checkpointed_set> mine;
    for (const set_entry& e : header.sets) {
      const task_path& task = e.task ? *e.task : e.origin;
      const int to = e.rooting == stream_set_rooting::rank ? static_cast<int>(e.writer)
                                                           : place(assign, task, rt.size());
      if (to != rt.mpi_rank()) continue;
      const std::string of = "the stream set " + e.origin.to_string() + " in " + file;
      const auto bytes = read_at(fh.get(), e.offset, e.length, of);
      check_crc(bytes, e.crc, of);
      claim_options details;
      details.task = e.task;
      details.budget = e.budget;
      mine.push_back({e.rooting, e.origin, e.family, details, rank_id(e.writer),
                      snapshot_from_bytes(bytes)});
    }
    std::sort(mine.begin(), mine.end(), [](const checkpointed_set& a, const checkpointed_set& b) {
      return std::pair(a.rooting, a.origin) < std::pair(b.rooting, b.origin);
    });
    return mine;
  });
  result.carried_claims_ = carry_claims(alloc, fh.get(), header, assign, file, what);
  const int closed = fh.close();
  agreed(rt, what + ": closing", [&] { check_io(closed, "cannot close checkpoint " + file); });
  return result;
}

// ---------------------------------------------------------------------------------------------
// stream_set_checkpoint

std::vector<task_path> stream_set_checkpoint::task_sets() const {
  std::vector<task_path> out;
  for (const auto& s : sets_) {
    if (s.rooting == stream_set_rooting::task) out.push_back(s.origin);
  }
  return out;
}

std::vector<std::uint64_t> stream_set_checkpoint::rank_sets() const {
  std::vector<std::uint64_t> out;
  for (const auto& s : sets_) {
    if (s.rooting == stream_set_rooting::rank && s.origin.depth() == 2) {
      out.push_back(s.origin.parts()[1]);
    }
  }
  return out;
}

const checkpointed_set& stream_set_checkpoint::find(stream_set_rooting rooting,
                                                    const task_path& origin) const {
  for (const auto& s : sets_) {
    if (s.rooting == rooting && s.origin == origin) return s;
  }
  throw invalid_argument(
      "stream_set_checkpoint: this rank continues no " +
      std::string(rooting == stream_set_rooting::task ? "task" : "rank") + "-rooted set " +
      origin.to_string() + " (" + std::to_string(sets_.size()) +
      " set(s) here; a task's set goes to the rank its assignment names)");
}

claimed_stream_set stream_set_checkpoint::resume(stream_allocator& alloc,
                                                 const checkpointed_set& saved) const {
  return detail::adopt_stream_set(alloc, saved.snapshot.meta, saved.family, saved.rooting,
                                  saved.origin, saved.details, saved.snapshot.variables.size());
}

claimed_stream_set stream_set_checkpoint::resume_task_set(stream_allocator& alloc,
                                                          const task_path& task) const {
  return resume(alloc, find(stream_set_rooting::task, task));
}

claimed_stream_set stream_set_checkpoint::resume_rank_set(stream_allocator& alloc,
                                                          std::uint64_t local_index) const {
  return resume(alloc, find(stream_set_rooting::rank,
                            task_path{alloc.mpi_runtime().rank().value(), local_index}));
}

void stream_set_checkpoint::restore(claimed_stream_set& set) const {
  set->restore(find(set.rooting(), set.origin_path()).snapshot);
}

}  // namespace streamalloc::mpi
