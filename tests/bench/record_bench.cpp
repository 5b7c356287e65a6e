// streamalloc-bench --mode checkpoint: the cost of committing a run's claims to its record at a
// checkpoint, against the number of new claims per rank, their layout and the ranks.
//
//   checkpoint()  the call the program makes (mpi::run_record, background commits): the wall
//                 time it blocks the rank, slowest rank;
//   commit        one commit done inline (run_record_options::background = false): appending each
//                 rank's new claims to its shard, fdatasync, agreeing, rank 0 replacing the
//                 manifest (fsync) — what the background thread does, i.e. the latency until the
//                 checkpoint is on disk;
//   +1e3 after    the commit of 1e3 new claims per rank on top of N already recorded: O(new);
//   peer          what streamalloc-mc did before run records: every rank's claims as JSON text to
//                 rank 0 (boost::mpi::gather), parsed there, and the whole manifest rewritten
//                 (write_manifest: temporary file, fsync, rename): O(all claims) on rank 0.
//   shards / MPI-IO  the same new lines (encoded beforehand) written two ways: each rank to its
//                 own file (pwrite + fdatasync, then an all-reduce) — what run records do — and
//                 all ranks to one file with MPI-IO (MPI_Exscan of the sizes, collective
//                 MPI_File_write_at_all, MPI_File_sync), the stream-set checkpoint's way.
// Fragmented claims: every claim its own record (IDs 0, 2, 4, ...); contiguous: one record per
// rank however many streams.
#include "record_bench.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <boost/mpi/collectives/gather.hpp>
#include <boost/serialization/string.hpp>
#include <boost/serialization/vector.hpp>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "streamalloc/claims/manifest.hpp"
#include "streamalloc/claims/record_json.hpp"
#include "bench_common.hpp"
#include "streamalloc/json.hpp"
#include "streamalloc/mpi/run_record.hpp"
#include "streamalloc/mpi/stream_allocator.hpp"

namespace streamalloc::bench {
namespace {

using streamalloc_bench::sleepy_barrier;

// The slowest rank's wall time of body() (sleeping barrier before, max after).
double timed(const mpi::runtime& rt, const std::function<void()>& body) {
  sleepy_barrier(rt.comm());
  const double start = MPI_Wtime();
  body();
  double local = MPI_Wtime() - start;
  double max = 0;
  MPI_Allreduce(&local, &max, 1, MPI_DOUBLE, MPI_MAX, rt.comm());
  return max;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.size() % 2 == 1 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

// N claims of this rank from `from` (its i-th ID: contiguous r*N + i, fragmented 2(r*N + i)).
void take(mpi::stream_allocator& alloc, bool fragmented, std::uint64_t from, std::uint64_t n) {
  const auto rank = static_cast<std::uint64_t>(alloc.mpi_runtime().mpi_rank());
  const std::uint64_t ranks = static_cast<std::uint64_t>(alloc.mpi_runtime().size());
  if (!fragmented) {
    alloc.philox_range(stream_id(from + rank * n), n);
    return;
  }
  for (std::uint64_t i = 0; i < n; ++i) {
    alloc.philox_explicit(stream_id(2 * (from + rank * n + i)));
  }
  (void)ranks;
}

// The peer: the whole manifest gathered to rank 0 as JSON text and rewritten.
void gather_and_rewrite(const mpi::runtime& rt, const mpi::stream_allocator& alloc,
                        const std::filesystem::path& path) {
  std::string mine;
  alloc.registry().for_each(
      [&](const claims::claim& c) { mine += dump_json(claims::to_json(c)) + "\n"; });
  std::vector<std::string> all;
  boost::mpi::gather(rt.communicator(), mine, all, 0);
  if (rt.mpi_rank() != 0) return;
  std::vector<claims::claim> list;
  for (const auto& text : all) {
    std::size_t start = 0;
    while (start < text.size()) {
      const auto end = text.find('\n', start);
      list.push_back(claims::claim_from_json(
          parse_json(std::string_view(text).substr(start, end - start), "claim"), "claim"));
      start = end + 1;
    }
  }
  claims::write_manifest(path, {alloc.origin(), alloc.job(), static_cast<std::uint32_t>(rt.size()),
                                std::move(list), ""});
}

std::string count_text(std::uint64_t n) {
  unsigned e = 0;
  std::uint64_t m = n;
  while (m >= 10 && m % 10 == 0) {
    m /= 10;
    ++e;
  }
  return e >= 3 ? std::to_string(m) + "e" + std::to_string(e) : std::to_string(n);
}

// This rank's claims as the lines a commit writes (without seals: the same bytes both ways).
std::string lines_of(const mpi::stream_allocator& alloc) {
  std::string out;
  alloc.registry().for_each(
      [&](const claims::claim& c) { out += dump_json(claims::to_json(c)) + "\n"; });
  return out;
}

void write_shard(const mpi::runtime& rt, const std::filesystem::path& dir,
                 const std::string& text) {
  const std::string file = (dir / ("shard." + std::to_string(rt.mpi_rank()))).string();
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0 || ::pwrite(fd, text.data(), text.size(), 0) != static_cast<ssize_t>(text.size()) ||
      ::fdatasync(fd) != 0) {
    throw std::runtime_error("cannot write " + file);
  }
  ::close(fd);
  int ok = 1;
  MPI_Allreduce(MPI_IN_PLACE, &ok, 1, MPI_INT, MPI_MIN, rt.comm());
}

void write_mpi_io(const mpi::runtime& rt, const std::filesystem::path& dir,
                  const std::string& text) {
  const std::string file = (dir / "mpiio").string();
  MPI_File fh = MPI_FILE_NULL;
  MPI_File_open(rt.comm(), file.c_str(), MPI_MODE_CREATE | MPI_MODE_WRONLY, MPI_INFO_NULL, &fh);
  std::uint64_t mine = text.size();
  std::uint64_t before = 0;
  MPI_Exscan(&mine, &before, 1, MPI_UINT64_T, MPI_SUM, rt.comm());
  if (rt.mpi_rank() == 0) before = 0;
  MPI_Status status;
  MPI_File_write_at_all(fh, static_cast<MPI_Offset>(before), text.data(),
                        static_cast<int>(text.size()), MPI_BYTE, &status);
  MPI_File_sync(fh);
  MPI_File_close(&fh);
}

void clear(const mpi::runtime& rt, const std::filesystem::path& dir) {
  sleepy_barrier(rt.comm());
  if (rt.mpi_rank() == 0) {
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
    std::filesystem::create_directories(dir);
  }
  sleepy_barrier(rt.comm());
}

}  // namespace

void bench_checkpoint(const mpi::runtime& rt, const checkpoint_bench_options& opt) {
  const bool root = rt.mpi_rank() == 0;
  if (root) {
    std::printf("\n== run record checkpoints: %d rank(s), median of %u, in %s\n", rt.size(),
                opt.repeat, opt.directory.c_str());
    std::printf("%-11s %-10s | %15s %12s %14s | %14s %8s | %10s %10s\n", "new/rank", "layout",
                "checkpoint() ms", "commit ms", "+1e3 after ms", "peer ms", "ratio", "shards ms",
                "MPI-IO ms");
  }
  const campaign origin(seed_entropy(20240607), strategy::philox);
  const std::filesystem::path dir = opt.directory;
  for (const std::uint64_t n : opt.claim_counts) {
    for (const bool fragmented : {false, true}) {
      if (fragmented ? !opt.fragmented : !opt.contiguous) continue;
      std::vector<double> blocking;
      std::vector<double> inline_commit;
      std::vector<double> after;
      std::vector<double> peer;
      std::vector<double> shards;
      std::vector<double> mpi_io;
      for (unsigned r = 0; r < opt.repeat; ++r) {
        clear(rt, dir);
        {
          // The call a program makes: claims handed to the background thread.
          mpi::stream_allocator alloc(rt, origin, job_index(0));
          mpi::run_record record(alloc, dir / "background.jsonl");
          take(alloc, fragmented, 0, n);
          blocking.push_back(timed(rt, [&] { record.checkpoint(); }));
          record.close();
        }
        {
          // The commit itself, inline; then 1e3 more on top of the N recorded.
          mpi::stream_allocator alloc(rt, origin, job_index(0));
          mpi::run_record_options inline_options;
          inline_options.background = false;
          mpi::run_record record(alloc, dir / "inline.jsonl", inline_options);
          take(alloc, fragmented, 0, n);
          inline_commit.push_back(timed(rt, [&] { record.checkpoint(); }));
          take(alloc, fragmented, n * static_cast<std::uint64_t>(rt.size()) + 1000, 1000);
          after.push_back(timed(rt, [&] { record.checkpoint(); }));
          // The peer on the same claims (N + 1e3 per rank).
          peer.push_back(timed(rt, [&] { gather_and_rewrite(rt, alloc, dir / "peer.jsonl"); }));
          record.close();
          const std::string text = lines_of(alloc);
          shards.push_back(timed(rt, [&] { write_shard(rt, dir, text); }));
          mpi_io.push_back(timed(rt, [&] { write_mpi_io(rt, dir, text); }));
        }
      }
      if (root) {
        std::printf("%-11s %-10s | %15.3f %12.3f %14.3f | %14.3f %8.3f | %10.3f %10.3f\n",
                    count_text(n).c_str(), fragmented ? "fragmented" : "contiguous",
                    median(blocking) * 1e3, median(inline_commit) * 1e3, median(after) * 1e3,
                    median(peer) * 1e3, median(inline_commit) / median(peer), median(shards) * 1e3,
                    median(mpi_io) * 1e3);
      }
    }
  }
  clear(rt, dir);
  if (root) {
    std::filesystem::remove_all(dir);
    std::printf(
        "(checkpoint() = wall time the call blocks a rank, background commits; commit = "
        "one commit inline: shard append + fdatasync + agreement + manifest fsync/rename;"
        "\n +1e3 after = commit of 1e3 new claims per rank after N recorded; peer = "
        "gather every claim to rank 0 as JSON + rewrite the manifest (the demo before); "
        "ratio = commit / peer;\n shards / MPI-IO = the same lines written to one file "
        "per rank (pwrite + fdatasync) or to one file (MPI_File_write_at_all + "
        "MPI_File_sync); slowest rank)\n");
  }
}

}  // namespace streamalloc::bench
