// Shared by the parts of streamalloc-bench (coordination_bench.cpp: options, claims, memory,
// main; verify_bench.cpp: verify() against its references, and runs of streams): options,
// timing across ranks, heap probes, formatting.
#pragma once

#include <mpi.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <functional>
#include <string>
#include <vector>

#include "streamalloc/claims/claim_registry.hpp"
#include "streamalloc/mpi/runtime.hpp"
#include "streamalloc/seed_entropy.hpp"

namespace streamalloc_bench {

namespace mpi = streamalloc::mpi;

struct bench_options {
  bool claims = true;
  bool verify = true;
  bool memory = true;
  bool ranges = true;
  std::vector<std::uint64_t> claim_counts{10000, 100000, 1000000};
  bool contiguous = true;
  bool fragmented = true;
  unsigned repeat = 3;
  std::uint64_t rate_claims = 100000;
  bool checkpoint = false;  // not in "all": it writes files
  std::string directory = "streamalloc-bench-records";
};

inline const streamalloc::seed_entropy bench_seed{20240607};

// Heap probes (coordination_bench.cpp replaces operator new/delete to count them).
// Peak net heap growth (bytes) while `body` runs: allocations minus frees since the start.
long long heap_peak_during(const std::function<void()>& body);
// glibc's in-use heap bytes (mallinfo2), which counts what MPI allocates too.
std::size_t heap_in_use();

// --- timing across ranks ----------------------------------------------------------------------

// A barrier that sleeps while it waits. Open MPI's blocking collectives busy-poll, so on an
// oversubscribed node a rank that is done would steal the core of a rank still working and
// distort every other rank's time; waiting here costs no CPU (50 us polls).
inline void sleepy_barrier(MPI_Comm comm) {
  MPI_Request request = MPI_REQUEST_NULL;
  MPI_Ibarrier(comm, &request);
  int done = 0;
  while (true) {
    MPI_Test(&request, &done, MPI_STATUS_IGNORE);
    if (done != 0) return;
    timespec pause{0, 50000};
    nanosleep(&pause, nullptr);
  }
}

inline double thread_cpu_seconds() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}

struct spread {
  double max = 0;      // wall seconds, slowest rank
  double mean = 0;     // wall seconds, mean over ranks
  double cpu_max = 0;  // CPU seconds of the calling thread, largest over ranks
};

// Times `body` on every rank between two sleeping barriers (the wait before it is not timed);
// returns (on every rank) the slowest rank's wall time, the mean wall time and the largest CPU
// time.
inline spread timed(const mpi::runtime& rt, const std::function<void()>& body) {
  sleepy_barrier(rt.comm());
  const double cpu_start = thread_cpu_seconds();
  const double start = MPI_Wtime();
  body();
  const double local[2] = {MPI_Wtime() - start, thread_cpu_seconds() - cpu_start};
  sleepy_barrier(rt.comm());
  double max[2] = {0, 0};
  double sum = 0;
  MPI_Allreduce(local, max, 2, MPI_DOUBLE, MPI_MAX, rt.comm());
  MPI_Allreduce(&local[0], &sum, 1, MPI_DOUBLE, MPI_SUM, rt.comm());
  return {max[0], sum / rt.size(), max[1]};
}

inline double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

// Medians over repetitions (of the slowest rank's wall time, the mean wall time, the largest CPU
// time), plus the fastest repetition's slowest rank.
struct repeated {
  double median_max = 0;
  double median_mean = 0;
  double median_cpu = 0;
  double best_max = 0;
};

inline repeated repeat_timed(unsigned repeat, const std::function<spread()>& once) {
  std::vector<double> maxes;
  std::vector<double> means;
  std::vector<double> cpus;
  for (unsigned i = 0; i < repeat; ++i) {
    const spread s = once();
    maxes.push_back(s.max);
    means.push_back(s.mean);
    cpus.push_back(s.cpu_max);
  }
  return {median(maxes), median(means), median(cpus),
          *std::min_element(maxes.begin(), maxes.end())};
}

// Keeps derived streams from being optimised away.
inline volatile std::uint64_t sink = 0;

inline std::string human(double v) {
  char text[32];
  if (v >= 1e9) {
    std::snprintf(text, sizeof text, "%.2fG", v / 1e9);
  } else if (v >= 1e6) {
    std::snprintf(text, sizeof text, "%.2fM", v / 1e6);
  } else if (v >= 1e3) {
    std::snprintf(text, sizeof text, "%.1fk", v / 1e3);
  } else {
    std::snprintf(text, sizeof text, "%.0f", v);
  }
  return text;
}

// Bytes as "812 B", "12.3 KiB", "126.3 MiB", "1.21 GiB".
inline std::string bytes_text(double bytes) {
  char text[32];
  if (bytes >= 1024.0 * 1024 * 1024) {
    std::snprintf(text, sizeof text, "%.2f GiB", bytes / (1024.0 * 1024 * 1024));
  } else if (bytes >= 1024.0 * 1024) {
    std::snprintf(text, sizeof text, "%.1f MiB", bytes / (1024.0 * 1024));
  } else if (bytes >= 1024.0) {
    std::snprintf(text, sizeof text, "%.1f KiB", bytes / 1024.0);
  } else {
    std::snprintf(text, sizeof text, "%.0f B", bytes);
  }
  return text;
}

inline std::string count_text(std::uint64_t n) {
  // 10000 -> "1e4" when exact, else the digits.
  unsigned e = 0;
  std::uint64_t m = n;
  while (m >= 10 && m % 10 == 0) {
    m /= 10;
    ++e;
  }
  return e >= 3 ? std::to_string(m) + "e" + std::to_string(e) : std::to_string(n);
}

inline double max_over_ranks(const mpi::runtime& rt, double v) {
  double out = 0;
  MPI_Allreduce(&v, &out, 1, MPI_DOUBLE, MPI_MAX, rt.comm());
  return out;
}

// verify_bench.cpp. Rank r's i-th stream ID: contiguous IDs r*N + i, or fragmented
// 2*(r*N + i) (never adjacent); a registry filled with N one-stream philox_id claims so.
std::uint64_t layout_id(bool fragmented, std::uint64_t rank, std::uint64_t n, std::uint64_t i);
void fill_registry(streamalloc::claims::claim_registry& reg, const mpi::runtime& rt,
                   bool fragmented, std::uint64_t n);
// verify() against the bare reference and the naive peer (false if a verdict
// was not clean), and the cost of runs of streams.
bool bench_verify(const mpi::runtime& rt, const bench_options& opt);
bool bench_ranges(const mpi::runtime& rt, const bench_options& opt);

}  // namespace streamalloc_bench
