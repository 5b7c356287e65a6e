// The consumers' common workload (tests/consumers/check_run.py) through the C++ API: the
// reference the C and Fortran consumers must match value for value.
//   mpiexec -n N consumer OUTDIR
#include <boost/mpi/collectives/gather.hpp>
#include <cinttypes>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <span>
#include <string>
#include <vector>

#include "streamalloc/claims/manifest.hpp"
#include "streamalloc/claims/record_json.hpp"
#include "streamalloc/distributions.hpp"
#include "streamalloc/mpi/agreement.hpp"
#include "streamalloc/mpi/stream_allocator.hpp"

using namespace streamalloc;

namespace {

template <class T>
void print(std::ofstream& out, const std::string& head, const char* method,
           const std::vector<T>& v) {
  out << head << ' ' << method;
  for (std::size_t i = 0; i < v.size(); ++i) {
    char text[64];
    if constexpr (std::is_same_v<T, double>) {
      std::snprintf(text, sizeof text, "%.17g", v[i]);
    } else {
      std::snprintf(text, sizeof text, "%" PRId64, v[i]);
    }
    out << (i == 0 ? " " : ",") << text;
  }
  out << '\n';
}

// The common draws of one stream (see check_run.py's DRAWS).
template <class Engine>
void draw(std::ofstream& out, const char* record, Engine gen, std::uint64_t task) {
  const std::string head = std::string(record) + ' ' + std::to_string(task);
  std::vector<double> x(4);
  uniform_distribution(-1.0, 2.0).fill(gen, std::span(x));
  print(out, head, "uniform", x);
  normal_distribution(10.0, 2.0).fill(gen, std::span(x));
  print(out, head, "normal", x);
  std::vector<double> e(3);
  exponential_distribution(3.0).fill(gen, std::span(e));
  print(out, head, "exponential", e);
  std::vector<std::int64_t> k(4);
  integers_distribution<std::int64_t>(0, 1000).fill(gen, std::span(k));
  print(out, head, "integers", k);
  std::vector<std::int64_t> m(3);
  poisson_distribution(4.5).fill(gen, std::span(m));
  print(out, head, "poisson", m);
  binomial_distribution(20, 0.3).fill(gen, std::span(m));
  print(out, head, "binomial", m);
}

mpi::claim_options task_of(std::uint64_t t, bool lockstep = false) {
  return {task_path{t}, std::nullopt,
          lockstep ? mpi::task_layout::lockstep : mpi::task_layout::shared};
}

// COLLECTIVE. The run record: every rank's claims gathered to rank 0, which writes the manifest.
// (What streamalloc-mc does today; the library's own mpi::run_record replaces this when it lands.)
void write_record(const mpi::runtime& rt, const mpi::stream_allocator& alloc,
                  const std::filesystem::path& path) {
  std::string mine;
  alloc.registry().for_each(
      [&](const claims::claim& c) { mine += dump_json(claims::to_json(c)) + "\n"; });
  std::vector<std::string> all;
  boost::mpi::gather(rt.communicator(), mine, all, 0);
  mpi::agreed(rt, "writing the run record", [&] {
    if (rt.mpi_rank() != 0) return;
    std::vector<claims::claim> claims;
    for (const auto& text : all) {
      for (std::size_t start = 0; start < text.size();) {
        const auto end = text.find('\n', start);
        claims.push_back(
            claims::claim_from_json(parse_json(text.substr(start, end - start), "claim"), "claim"));
        start = end + 1;
      }
    }
    claims::write_manifest(path, {alloc.origin(),
                                  alloc.job(),
                                  static_cast<std::uint32_t>(rt.size()),
                                  std::move(claims),
                                  {}});
  });
}

// COLLECTIVE: clean expected.
int finish(const mpi::runtime& rt, const mpi::stream_allocator& alloc,
           const std::filesystem::path& path) {
  const mpi::verdict v = alloc.verify();
  write_record(rt, alloc, path);
  if (!v.clean()) std::cerr << "rank " << rt.mpi_rank() << ": " << v.report() << '\n';
  return v.clean() ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: consumer OUTDIR\n";
    return 2;
  }
  mpi::runtime rt(argc, argv);
  const std::filesystem::path dir = argv[1];
  const auto r = static_cast<std::uint64_t>(rt.mpi_rank());
  std::ofstream out(dir / ("draws." + std::to_string(r) + ".txt"));
  int failures = 0;
  {
    mpi::stream_allocator alloc(rt, campaign(seed_entropy(12345), strategy::philox), job_index(0));
    draw(out, "philox", alloc.philox_static(0, task_of(r)).stream, r);
    draw(out, "philox", alloc.philox_dynamic(task_of(100 + r)).stream, 100 + r);
    draw(out, "philox", alloc.philox_explicit(stream_id(50000 + r), task_of(200 + r)).stream,
         200 + r);
    const auto run = alloc.philox_range(stream_id(60000 + 4 * r), 3, task_of(300 + 4 * r, true));
    for (std::uint64_t k = 0; k < 3; ++k) draw(out, "philox", run.stream(k), 300 + 4 * r + k);
    failures += finish(rt, alloc, dir / "philox.jsonl");
  }
  {
    mpi::stream_allocator alloc(rt, campaign(seed_entropy(12345), strategy::jumped), job_index(0));
    draw(out, "jumped", alloc.jumped_static(0, task_of(r)).stream, r);
    const auto run = alloc.jumped_range(jump_index(10000 + 2 * r), 2, task_of(100 + 2 * r, true));
    for (std::uint64_t k = 0; k < 2; ++k) draw(out, "jumped", run.stream(k), 100 + 2 * r + k);
    failures += finish(rt, alloc, dir / "jumped.jsonl");
  }
  {
    mpi::stream_allocator alloc(rt, campaign(seed_entropy(12345), strategy::spawn), job_index(0));
    draw(out, "spawn", pcg64(alloc.spawn_rank(0, task_of(r)).stream), r);
    draw(out, "spawn", pcg64(alloc.spawn(task_path{1000 + r, 7}, task_of(100 + r)).stream),
         100 + r);
    const auto run = alloc.spawn_range(task_path{2000 + r}, 0, 2, task_of(200 + 2 * r, true));
    for (std::uint64_t k = 0; k < 2; ++k) draw(out, "spawn", pcg64(run.stream(k)), 200 + 2 * r + k);
    failures += finish(rt, alloc, dir / "spawn.jsonl");
  }
  out.close();
  {
    // The deliberate reuse: every rank takes Philox stream ID 7 of job 1.
    mpi::stream_allocator alloc(rt, campaign(seed_entropy(12345), strategy::philox), job_index(1));
    alloc.philox_explicit(stream_id(7));
    const mpi::verdict v = alloc.verify();
    std::printf("rank %d: reuse verdict: clean=%d conflicts=%zu\n", rt.mpi_rank(),
                v.clean() ? 1 : 0, v.conflicts.size());
    if (rt.size() > 1 &&
        (v.clean() || v.conflicts.size() != static_cast<std::size_t>(rt.size() - 1))) {
      std::fprintf(stderr, "rank %d: the reuse of stream ID 7 was not reported\n", rt.mpi_rank());
      ++failures;
    }
    write_record(rt, alloc, dir / "reuse.jsonl");
  }
  int total = 0;
  mpi::check_mpi(MPI_Allreduce(&failures, &total, 1, MPI_INT, MPI_SUM, rt.comm()), "MPI_Allreduce");
  if (rt.mpi_rank() == 0) std::printf("consumer (C++): %s\n", total == 0 ? "ok" : "FAILED");
  return total == 0 ? 0 : 1;
}
