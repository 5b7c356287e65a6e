// Collective checkpoint I/O for stream sets: reading (writing is stream_set_checkpoint_write.cpp). Every step that can fail locally runs inside
// agreed() and every MPI call on the file is made by all ranks between such steps, with its
// return code agreed on afterwards — so a failure anywhere becomes the same exception everywhere
// and no rank is left waiting in a collective (stream_set_mpi_file.hpp relies on this to close
// the file collectively while an exception unwinds).
#include "streamalloc/mpi/stream_set/checkpoint.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <string>
#include <utility>

#include "src/stream_set/carry.hpp"
#include "src/stream_set/checkpoint_io.hpp"
#include "src/stream_set/checkpoint_format.hpp"
#include "src/stream_set/mpi_file.hpp"
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
  const std::uint32_t computed = streamalloc::crc32c(bytes);
  if (computed != expected) {
    char text[64];
    std::snprintf(text, sizeof text, "CRC-32C 0x%08x, the header says 0x%08x", computed, expected);
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
      throw io_error("stream set checkpoint " + file + ": the header is " + std::to_string(length) +
                     " bytes, the file only " + std::to_string(file_size) + " (truncated)");
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
      const std::vector<claims::claim> claims = detail::decode_claims(bytes, of);
      if (claims.size() != b.records) {
        throw io_error(of + ": " + std::to_string(claims.size()) + " claims, the header says " +
                       std::to_string(b.records));
      }
      for (const claims::claim& c : claims) {
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
  check_mpi(MPI_Alltoall(outgoing.first.data(), 1, MPI_INT, incoming.data(), 1, MPI_INT, rt.comm()),
            "MPI_Alltoall (" + what + ": claim counts)");
  const auto displs = agreed(rt, what + ": sizing the claim exchange", [&] {
    return std::pair(displacements(outgoing.first, "claims to send"),
                     displacements(incoming, "claims to receive"));
  });
  std::vector<std::byte> received(incoming.empty()
                                      ? 0
                                      : static_cast<std::size_t>(displs.second.back()) +
                                            static_cast<std::size_t>(incoming.back()));
  check_mpi(
      MPI_Alltoallv(outgoing.second.data(), outgoing.first.data(), displs.first.data(), MPI_BYTE,
                    received.data(), incoming.data(), displs.second.data(), MPI_BYTE, rt.comm()),
      "MPI_Alltoallv (" + what + ": claims)");
  return agreed(rt, what + ": carrying the claims", [&] {
    const std::vector<claims::claim> claims = detail::decode_claims(received, "carried claims");
    for (const claims::claim& c : claims) detail::carry_claim(alloc, c);
    return static_cast<std::uint64_t>(claims.size());
  });
}

}  // namespace

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
      mine.push_back(
          {e.rooting, e.origin, e.family, details, rank_id(e.writer), snapshot_from_bytes(bytes)});
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
  throw invalid_argument("stream_set_checkpoint: this rank continues no " +
                         std::string(rooting == stream_set_rooting::task ? "task" : "rank") +
                         "-rooted set " + origin.to_string() + " (" + std::to_string(sets_.size()) +
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
