// streamalloc-bench — what the coordination layer costs, measured with MPI on 1..P ranks.
//
//   claims   claims per second per rank for each way of taking a stream (philox_static,
//            philox_dynamic with the partitioned and the window policy, jumped_dynamic,
//            spawn(task_path)), each next to its baseline: the derivation alone
//            (campaign.philox_stream(id), .jumped_stream(i), .spawn_sequence(job, path)), so the
//            share of the claim bookkeeping is visible;
//   verify   verify() wall time (max over ranks: a barrier before, MPI_Allreduce MAX after) for
//            N claims per rank, in two layouts — contiguous (consecutive IDs: one range record per
//            rank) and fragmented (IDs with stride 2: one record per claim, nothing merges) —
//            next to a peer measured the same way: MPI_Allgatherv of every rank's raw IDs then
//            sort + adjacent_find on every rank (the gather-everything check that verify()'s
//            hash-partitioned exchange replaces; it finds only equal IDs, no aliases or overlaps);
//            plus the heap verify() allocates on top of the registry (peak, per rank);
//   memory   registry bytes per claim (glibc mallinfo2() in-use bytes before/after) for N
//            contiguous vs N fragmented claims, next to a std::set<uint64_t> of the same IDs;
//   checkpoint  a run record's checkpoint for N new claims per rank, next to the old way of
//            gathering every claim to rank 0 and rewriting the manifest (record_bench.cpp).
// Ranks beyond the node's cores time-share them; the output says so (per-rank wall rates then
// fall roughly by ranks/cores). Each rank's own CPU time per claim is reported next to the wall
// rates, and ranks wait for each other in sleeping barriers (Open MPI's blocking collectives
// busy-poll and would steal the cores of ranks still working).
//
// Usage: mpiexec -n P streamalloc-bench [--mode all|claims,verify,memory,checkpoint]
//        [--claims 1e4,1e5,1e6] [--layout both|contiguous|fragmented] [--repeat 3]
//        [--rate-claims 1e5] [--directory DIR]
// Exit status: 0 done, 1 a verify() verdict was not clean (the benchmark did not measure what it
// says), 2 bad arguments (one line on stderr).
#include <malloc.h>
#include <mpi.h>

#include <algorithm>
#include <atomic>
#include <boost/program_options.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <functional>
#include <new>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "record_bench.hpp"
#include "streamalloc/campaign.hpp"
#include "streamalloc/error.hpp"
#include "streamalloc/claims/claim.hpp"
#include "streamalloc/claims/claim_registry.hpp"
#include "streamalloc/mpi/runtime.hpp"
#include "streamalloc/mpi/stream_allocator.hpp"
#include "streamalloc/mpi/verify.hpp"
#include "streamalloc/stream_ids.hpp"

// --- heap accounting --------------------------------------------------------------------------
// The global operator new/delete are replaced so that the net C++ heap growth during verify()
// can be measured (peak, per rank). Counting is off except inside heap_probe, and costs one
// relaxed load per allocation otherwise. Memory MPI allocates with malloc is not counted.
namespace {

std::atomic<bool> heap_counting{false};
std::atomic<long long> heap_current{0};
std::atomic<long long> heap_peak{0};

void heap_count(long long delta) noexcept {
  const long long now = heap_current.fetch_add(delta, std::memory_order_relaxed) + delta;
  long long peak = heap_peak.load(std::memory_order_relaxed);
  while (now > peak &&
         !heap_peak.compare_exchange_weak(peak, now, std::memory_order_relaxed)) {
  }
}

}  // namespace

void* operator new(std::size_t size) {
  void* p = std::malloc(size == 0 ? 1 : size);
  if (p == nullptr) throw std::bad_alloc();
  if (heap_counting.load(std::memory_order_relaxed)) {
    heap_count(static_cast<long long>(malloc_usable_size(p)));
  }
  return p;
}

void operator delete(void* p) noexcept {
  if (p == nullptr) return;
  if (heap_counting.load(std::memory_order_relaxed)) {
    heap_count(-static_cast<long long>(malloc_usable_size(p)));
  }
  std::free(p);
}

void operator delete(void* p, std::size_t /*size*/) noexcept { operator delete(p); }

namespace {

namespace mpi = streamalloc::mpi;
namespace claims = streamalloc::claims;
namespace po = boost::program_options;

// Peak net heap growth (bytes) while `body` runs: allocations minus frees since the start.
long long heap_peak_during(const std::function<void()>& body) {
  heap_current.store(0, std::memory_order_relaxed);
  heap_peak.store(0, std::memory_order_relaxed);
  heap_counting.store(true, std::memory_order_relaxed);
  body();
  heap_counting.store(false, std::memory_order_relaxed);
  return heap_peak.load(std::memory_order_relaxed);
}

std::size_t heap_in_use() { return mallinfo2().uordblks; }

// --- options ----------------------------------------------------------------------------------

struct bench_options {
  bool claims = true;
  bool verify = true;
  bool memory = true;
  std::vector<std::uint64_t> claim_counts{10000, 100000, 1000000};
  bool contiguous = true;
  bool fragmented = true;
  unsigned repeat = 3;
  std::uint64_t rate_claims = 100000;
  bool checkpoint = false;  // not in "all": it writes files
  std::string directory = "streamalloc-bench-records";
};

struct usage_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// "100000", "1e5", "25e4": a positive count.
std::uint64_t parse_count(const std::string& text, const char* option) {
  const auto fail = [&] {
    return usage_error(std::string(option) + ": '" + text +
                       "' is not a count (expected e.g. 10000 or 1e4, at least 1)");
  };
  const auto e = text.find_first_of("eE");
  const std::string mantissa = text.substr(0, e);
  const std::string exponent = e == std::string::npos ? "0" : text.substr(e + 1);
  const auto digits = [](const std::string& s) {
    return !s.empty() && s.size() <= 19 &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (!digits(mantissa) || !digits(exponent)) throw fail();
  std::uint64_t value = std::stoull(mantissa);
  for (std::uint64_t i = 0, n = std::stoull(exponent); i < n; ++i) {
    if (value > UINT64_MAX / 10) throw fail();
    value *= 10;
  }
  if (value == 0) throw fail();
  return value;
}

std::optional<bench_options> parse_options(int argc, char** argv, bool print_help) {
  std::string mode = "all";
  std::string claims = "1e4,1e5,1e6";
  std::string layout = "both";
  std::string repeat = "3";
  std::string rate = "1e5";
  po::options_description described(
      "streamalloc-bench: what streamalloc's coordination layer costs per rank.\n\n"
      "Usage: [mpiexec -n P] streamalloc-bench [options]\n\nOptions");
  described.add_options()
      ("help,h", "print this help and exit")
      ("mode", po::value(&mode)->default_value(mode),
       "what to measure: all (claims, verify, memory), or any of claims,verify,memory,checkpoint "
       "(comma-separated)")
      ("claims", po::value(&claims)->default_value(claims),
       "claims per rank for verify() and memory (comma-separated counts, e.g. 1e4,1e5,1e6)")
      ("layout", po::value(&layout)->default_value(layout),
       "verify() claim layout: both | contiguous | fragmented")
      ("repeat", po::value(&repeat)->default_value(repeat),
       "timed repetitions of each measurement (the median is reported)")
      ("rate-claims", po::value(&rate)->default_value(rate),
       "claims per rank timed for each claim method")
      ("directory", po::value<std::string>()->default_value("streamalloc-bench-records"),
       "where --mode checkpoint writes its records (removed afterwards)");
  po::variables_map values;
  po::store(po::command_line_parser(argc, argv).options(described).run(), values);
  if (values.count("help") != 0) {
    if (print_help) {
      std::ostringstream text;
      text << described;
      std::printf("%s\n", text.str().c_str());
    }
    return std::nullopt;
  }
  po::notify(values);

  bench_options out;
  if (mode != "all") {
    out.claims = out.verify = out.memory = false;
    std::stringstream modes(mode);
    for (std::string item; std::getline(modes, item, ',');) {
      if (item == "claims") {
        out.claims = true;
      } else if (item == "verify") {
        out.verify = true;
      } else if (item == "memory") {
        out.memory = true;
      } else if (item == "checkpoint") {
        out.checkpoint = true;
      } else {
        throw usage_error("--mode: '" + item +
                          "' is not a mode (expected all, or claims, verify, memory, checkpoint "
                          "separated by commas)");
      }
    }
  }
  out.claim_counts.clear();
  std::stringstream list(claims);
  for (std::string item; std::getline(list, item, ',');) {
    out.claim_counts.push_back(parse_count(item, "--claims"));
  }
  if (out.claim_counts.empty()) throw usage_error("--claims: no counts given");
  if (layout == "contiguous" || layout == "fragmented") {
    out.contiguous = layout == "contiguous";
    out.fragmented = layout == "fragmented";
  } else if (layout != "both") {
    throw usage_error("--layout: '" + layout +
                      "' is not a layout (expected both, contiguous or fragmented)");
  }
  const std::uint64_t reps = parse_count(repeat, "--repeat");
  if (reps > 1000) throw usage_error("--repeat: '" + repeat + "' is too many (at most 1000)");
  out.repeat = static_cast<unsigned>(reps);
  out.rate_claims = parse_count(rate, "--rate-claims");
  out.directory = values["directory"].as<std::string>();
  return out;
}

// --- timing across ranks ----------------------------------------------------------------------

// A barrier that sleeps while it waits. Open MPI's blocking collectives busy-poll, so on an
// oversubscribed node a rank that is done would steal the core of a rank still working and
// distort every other rank's time; waiting here costs no CPU (50 us polls).
void sleepy_barrier(MPI_Comm comm) {
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

double thread_cpu_seconds() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}

struct spread {
  double max = 0;      // wall seconds, slowest rank
  double mean = 0;     // wall seconds, mean over ranks
  double cpu_max = 0;  // CPU seconds of the calling thread, largest over ranks
};

// Times `body` on every rank between two sleeping barriers (the wait before it is not timed); returns (on every rank) the slowest
// rank's wall time, the mean wall time and the largest CPU time.
spread timed(const mpi::runtime& rt, const std::function<void()>& body) {
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

double median(std::vector<double> v) {
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

repeated repeat_timed(unsigned repeat, const std::function<spread()>& once) {
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
volatile std::uint64_t sink = 0;

std::string human(double v) {
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
std::string bytes_text(double bytes) {
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

std::string count_text(std::uint64_t n) {
  // 10000 -> "1e4" when exact, else the digits.
  unsigned e = 0;
  std::uint64_t m = n;
  while (m >= 10 && m % 10 == 0) {
    m /= 10;
    ++e;
  }
  return e >= 3 ? std::to_string(m) + "e" + std::to_string(e) : std::to_string(n);
}

// --- (a) claims per second per rank -----------------------------------------------------------

const streamalloc::seed_entropy bench_seed{20240607};

struct claim_method {
  const char* name;
  streamalloc::strategy how;
  mpi::allocator_options options;
  // Takes N streams with a fresh allocator; returns nothing (folds into the sink).
  std::function<void(mpi::stream_allocator&, std::uint64_t first, std::uint64_t n)> take;
  const char* baseline;  // the derivation alone
  std::function<void(const streamalloc::campaign&, std::uint64_t first, std::uint64_t n)> derive;
  std::uint64_t divisor = 1;  // times fewer claims (for the slow methods)
};

void philox_derive(const streamalloc::campaign& c, std::uint64_t first, std::uint64_t n) {
  std::uint64_t acc = 0;
  for (std::uint64_t i = 0; i < n; ++i) acc ^= c.philox_stream(streamalloc::job_index(0), streamalloc::stream_id(first + i)).key()[0];
  sink = sink ^ acc;
}

void jumped_derive(const streamalloc::campaign& c, std::uint64_t first, std::uint64_t n) {
  std::uint64_t acc = 0;
  for (std::uint64_t i = 0; i < n; ++i) {
    acc ^= streamalloc::low64(c.jumped_stream(streamalloc::job_index(0), streamalloc::jump_index(first + i)).lcg_state());
  }
  sink = sink ^ acc;
}

void spawn_derive(const streamalloc::campaign& c, std::uint64_t first, std::uint64_t n) {
  std::uint64_t acc = 0;
  for (std::uint64_t i = 0; i < n; ++i) {
    acc ^= c.spawn_sequence(streamalloc::job_index(0), streamalloc::task_path{first + i}).pool()[0];
  }
  sink = sink ^ acc;
}

std::vector<claim_method> claim_methods(std::uint64_t n) {
  std::vector<claim_method> out;
  mpi::allocator_options static_opts;
  static_opts.block_size = n;
  mpi::allocator_options partitioned;
  partitioned.block_size = 0;
  mpi::allocator_options window = partitioned;
  window.dynamic = mpi::dynamic_policy::window;
  mpi::allocator_options window1 = window;
  window1.dynamic_block_size = 1;
  mpi::allocator_options partitioned1 = partitioned;
  partitioned1.dynamic_block_size = 1;

  const auto philox_dynamic = [](mpi::stream_allocator& a, std::uint64_t, std::uint64_t count) {
    std::uint64_t acc = 0;
    for (std::uint64_t i = 0; i < count; ++i) acc ^= a.philox_dynamic().stream.key()[0];
    sink = sink ^ acc;
  };
  out.push_back({"philox_static", streamalloc::strategy::philox, static_opts,
                 [](mpi::stream_allocator& a, std::uint64_t, std::uint64_t count) {
                   std::uint64_t acc = 0;
                   for (std::uint64_t i = 0; i < count; ++i) {
                     acc ^= a.philox_static(i).stream.key()[0];
                   }
                   sink = sink ^ acc;
                 },
                 "campaign.philox_stream(id)", philox_derive});
  out.push_back({"philox_dynamic partitioned D=1024", streamalloc::strategy::philox, partitioned,
                 philox_dynamic, "campaign.philox_stream(id)", philox_derive});
  out.push_back({"philox_dynamic partitioned D=1", streamalloc::strategy::philox, partitioned1,
                 philox_dynamic, "campaign.philox_stream(id)", philox_derive});
  out.push_back({"philox_dynamic window D=1024", streamalloc::strategy::philox, window,
                 philox_dynamic, "campaign.philox_stream(id)", philox_derive});
  out.push_back({"philox_dynamic window D=1", streamalloc::strategy::philox, window1,
                 philox_dynamic, "campaign.philox_stream(id)", philox_derive, 10});
  out.push_back({"jumped_dynamic partitioned D=1024", streamalloc::strategy::jumped, partitioned,
                 [](mpi::stream_allocator& a, std::uint64_t, std::uint64_t count) {
                   std::uint64_t acc = 0;
                   for (std::uint64_t i = 0; i < count; ++i) {
                     acc ^= streamalloc::low64(a.jumped_dynamic().stream.lcg_state());
                   }
                   sink = sink ^ acc;
                 },
                 "campaign.jumped_stream(i)", jumped_derive});
  out.push_back({"spawn(task_path{t})", streamalloc::strategy::spawn, partitioned,
                 [](mpi::stream_allocator& a, std::uint64_t first, std::uint64_t count) {
                   std::uint64_t acc = 0;
                   for (std::uint64_t i = 0; i < count; ++i) {
                     acc ^= a.spawn(streamalloc::task_path{first + i}).stream.pool()[0];
                   }
                   sink = sink ^ acc;
                 },
                 "campaign.spawn_sequence(job, path)", spawn_derive});
  return out;
}

void bench_claims(const mpi::runtime& rt, const bench_options& opt) {
  const bool root = rt.mpi_rank() == 0;
  const std::uint64_t n = opt.rate_claims;
  const auto first = static_cast<std::uint64_t>(rt.mpi_rank()) * n;
  if (root) {
    std::printf("\n== claims per second per rank: %s claims per rank, %d rank(s), median of %u\n"
                "   claims/s/rank = N / wall time of the slowest rank (mean rank in parentheses); "
                "CPU ns = the rank's own CPU time per claim (largest over ranks)\n",
                count_text(n).c_str(), rt.size(), opt.repeat);
    std::printf("%-34s %20s %7s | %-34s %14s %7s | %9s %6s\n", "method", "claims/s/rank",
                "CPU ns", "baseline: the derivation alone", "derive/s/rank", "CPU ns",
                "coord ns", "share");
  }
  for (const claim_method& m : claim_methods(n)) {
    const streamalloc::campaign origin(bench_seed, m.how);
    const std::uint64_t count = std::max<std::uint64_t>(1, n / m.divisor);
    const std::string name = m.divisor == 1 ? m.name : m.name + (" (N/" + std::to_string(m.divisor) + ")");
    const repeated claim_t = repeat_timed(opt.repeat, [&] {
      // The allocator (and its registry) is created and destroyed outside the timed region.
      mpi::stream_allocator alloc(rt, origin, streamalloc::job_index(0), m.options);
      return timed(rt, [&] { m.take(alloc, first, count); });
    });
    const repeated derive_t = repeat_timed(opt.repeat, [&] {
      return timed(rt, [&] { m.derive(origin, first, count); });
    });
    if (root) {
      const double dn = static_cast<double>(count);
      const double claim_ns = claim_t.median_cpu / dn * 1e9;
      const double derive_ns = derive_t.median_cpu / dn * 1e9;
      const std::string claim_rate =
          human(dn / claim_t.median_max) + " (" + human(dn / claim_t.median_mean) + ")";
      std::printf("%-34s %20s %7.0f | %-34s %14s %7.0f | %9.0f %5.0f%%\n", name.c_str(),
                  claim_rate.c_str(), claim_ns, m.baseline,
                  human(dn / derive_t.median_max).c_str(), derive_ns, claim_ns - derive_ns,
                  100.0 * (claim_ns - derive_ns) / claim_ns);
    }
  }
  if (root) {
    std::printf("(coord ns = CPU ns per claim - CPU ns per derivation: the claim bookkeeping "
                "(allocation, claim_registry::add); share = coord / claim.\n D = "
                "dynamic_block_size; window = one MPI_Fetch_and_op + MPI_Win_flush on rank 0 per "
                "block of D.)\n");
  }
}

// --- (b) verify() -----------------------------------------------------------------------------

// Rank r's i-th stream ID: contiguous IDs r*N + i, or fragmented 2*(r*N + i) (never adjacent).
std::uint64_t layout_id(bool fragmented, std::uint64_t rank, std::uint64_t n, std::uint64_t i) {
  const std::uint64_t dense = rank * n + i;
  return fragmented ? 2 * dense : dense;
}

// Fills `reg` with N one-stream philox_id claims, exactly as stream_allocator records them.
void fill_registry(claims::claim_registry& reg, const mpi::runtime& rt, bool fragmented,
                   std::uint64_t n) {
  claims::claim c;
  c.kind = claims::claim_kind::philox_id;
  c.count = 1;
  c.job = streamalloc::job_index(0);
  c.owner = rt.rank();
  const auto rank = static_cast<std::uint64_t>(rt.mpi_rank());
  for (std::uint64_t i = 0; i < n; ++i) {
    c.first = layout_id(fragmented, rank, n, i);
    reg.add(c);
  }
}

// The peer: every rank's raw IDs to every rank (MPI_Allgatherv), sorted, adjacent duplicates
// searched. Returns the number of duplicates (0 here).
std::uint64_t gather_sort_check(const mpi::runtime& rt, const std::vector<std::uint64_t>& ids) {
  const int mine = static_cast<int>(ids.size());
  std::vector<int> counts(static_cast<std::size_t>(rt.size()));
  MPI_Allgather(&mine, 1, MPI_INT, counts.data(), 1, MPI_INT, rt.comm());
  std::vector<int> displs(counts.size());
  std::size_t total = 0;
  for (std::size_t r = 0; r < counts.size(); ++r) {
    displs[r] = static_cast<int>(total);
    total += static_cast<std::size_t>(counts[r]);
  }
  std::vector<std::uint64_t> all(total);
  MPI_Allgatherv(ids.data(), mine, MPI_UINT64_T, all.data(), counts.data(), displs.data(),
                 MPI_UINT64_T, rt.comm());
  std::sort(all.begin(), all.end());
  std::uint64_t duplicates = 0;
  for (std::size_t i = 1; i < all.size(); ++i) duplicates += all[i] == all[i - 1] ? 1U : 0U;
  return duplicates;
}

double max_over_ranks(const mpi::runtime& rt, double v) {
  double out = 0;
  MPI_Allreduce(&v, &out, 1, MPI_DOUBLE, MPI_MAX, rt.comm());
  return out;
}

bool bench_verify(const mpi::runtime& rt, const bench_options& opt) {
  const bool root = rt.mpi_rank() == 0;
  bool all_clean = true;
  if (root) {
    std::printf("\n== verify() wall time, max over ranks (barrier before, MPI_Allreduce MAX "
                "after): %d rank(s), median of %u\n",
                rt.size(), opt.repeat);
    std::printf("%-11s %-10s %8s %10s %8s | %21s %11s | %21s %8s\n", "claims/rank", "layout",
                "records", "registry", "add/s", "verify() ms", "verify heap", "peer gather+sort ms",
                "ratio");
  }
  const streamalloc::campaign origin(bench_seed, streamalloc::strategy::philox);
  const auto rank = static_cast<std::uint64_t>(rt.mpi_rank());
  for (const std::uint64_t n : opt.claim_counts) {
    for (const bool fragmented : {false, true}) {
      if (fragmented ? !opt.fragmented : !opt.contiguous) continue;
      std::optional<claims::claim_registry> reg;
      const std::size_t before = heap_in_use();
      const spread build = timed(rt, [&] {
        reg.emplace(origin, rt.rank());
        fill_registry(*reg, rt, fragmented, n);
      });
      const double reg_bytes =
          max_over_ranks(rt, static_cast<double>(heap_in_use()) - static_cast<double>(before));

      std::uint64_t expected_records = 0;
      bool clean = true;
      long long peak_heap = 0;
      const repeated verify_t = repeat_timed(opt.repeat, [&] {
        std::optional<mpi::verdict> v;
        spread s;
        const long long peak = heap_peak_during([&] { s = timed(rt, [&] { v.emplace(mpi::verify(rt, *reg)); }); });
        peak_heap = std::max(peak_heap, peak);
        expected_records = v->claims;
        clean = clean && v->clean() && v->streams == n * static_cast<std::uint64_t>(rt.size());
        return s;
      });
      const double verify_heap = max_over_ranks(rt, static_cast<double>(peak_heap));
      if (!clean) all_clean = false;

      std::vector<std::uint64_t> ids(n);
      for (std::uint64_t i = 0; i < n; ++i) ids[i] = layout_id(fragmented, rank, n, i);
      std::uint64_t duplicates = 0;
      const repeated peer_t = repeat_timed(opt.repeat, [&] {
        return timed(rt, [&] { duplicates += gather_sort_check(rt, ids); });
      });
      if (duplicates != 0) all_clean = false;

      if (root) {
        char verify_text[48];
        char peer_text[48];
        std::snprintf(verify_text, sizeof verify_text, "%.3f [%.3f]", verify_t.median_max * 1e3,
                      verify_t.best_max * 1e3);
        std::snprintf(peer_text, sizeof peer_text, "%.3f [%.3f]", peer_t.median_max * 1e3,
                      peer_t.best_max * 1e3);
        std::printf("%-11s %-10s %8s %10s %8s | %21s %11s | %21s %8.2f%s\n",
                    count_text(n).c_str(), fragmented ? "fragmented" : "contiguous",
                    human(static_cast<double>(expected_records) / rt.size()).c_str(),
                    bytes_text(reg_bytes).c_str(),
                    human(static_cast<double>(n) / build.max).c_str(), verify_text,
                    bytes_text(verify_heap).c_str(), peer_text,
                    verify_t.median_max / peer_t.median_max, clean ? "" : "  NOT CLEAN");
      }
    }
  }
  if (root) {
    std::printf("(records = claim records per rank after merging; registry = its heap per "
                "rank (mallinfo2, max over ranks); add/s = claim_registry::add rate, slowest rank;"
                "\n verify heap = peak C++ heap verify() allocates on top of the registry, max "
                "over ranks; peer = MPI_Allgatherv of all raw IDs + sort + adjacent_find on every "
                "rank\n (finds equal IDs only); ratio = verify() / peer, median times; "
                "[fastest repetition])\n");
  }
  return all_clean;
}

// --- (c) memory -------------------------------------------------------------------------------

void bench_memory(const mpi::runtime& rt, const bench_options& opt) {
  if (rt.mpi_rank() != 0) return;
  const std::uint64_t n = *std::max_element(opt.claim_counts.begin(), opt.claim_counts.end());
  const streamalloc::campaign origin(bench_seed, streamalloc::strategy::philox);
  std::printf("\n== registry memory on one rank, %s claims (glibc mallinfo2() in-use bytes "
              "before/after; sizeof(claim) = %zu)\n",
              count_text(n).c_str(), sizeof(claims::claim));
  std::printf("%-48s %10s %14s %12s %16s\n", "structure", "records", "bytes", "bytes/claim",
              "vs std::set");
  const auto measure = [&](const std::function<std::size_t()>& build_and_hold) {
    // build_and_hold returns the records and keeps the structure alive until the next call.
    const std::size_t before = heap_in_use();
    const std::size_t records = build_and_hold();
    return std::make_pair(records, static_cast<double>(heap_in_use()) - static_cast<double>(before));
  };
  std::optional<claims::claim_registry> reg;
  std::set<std::uint64_t> ids;
  const auto contiguous = measure([&] {
    reg.emplace(origin, rt.rank());
    fill_registry(*reg, rt, false, n);
    return reg->records();
  });
  reg.reset();
  const auto fragmented = measure([&] {
    reg.emplace(origin, rt.rank());
    fill_registry(*reg, rt, true, n);
    return reg->records();
  });
  reg.reset();
  const auto set_peer = measure([&] {
    for (std::uint64_t i = 0; i < n; ++i) ids.insert(layout_id(true, 0, n, i));
    return ids.size();
  });
  ids.clear();
  const double dn = static_cast<double>(n);
  const auto row = [&](const char* name, std::pair<std::size_t, double> m) {
    std::printf("%-48s %10zu %14.0f %12.2f %15.2fx\n", name, m.first, m.second, m.second / dn,
                m.second / set_peer.second);
  };
  row("claim_registry, contiguous IDs", contiguous);
  row("claim_registry, fragmented IDs (stride 2)", fragmented);
  row("peer: std::set<uint64_t> of the fragmented IDs", set_peer);
}

// --- the machine ------------------------------------------------------------------------------

void describe_machine(const mpi::runtime& rt) {
  MPI_Comm node = MPI_COMM_NULL;
  MPI_Comm_split_type(rt.comm(), MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &node);
  int on_node = 1;
  MPI_Comm_size(node, &on_node);
  MPI_Comm_free(&node);
  int most_on_a_node = 0;
  MPI_Reduce(&on_node, &most_on_a_node, 1, MPI_INT, MPI_MAX, 0, rt.comm());
  if (rt.mpi_rank() != 0) return;
  char library[MPI_MAX_LIBRARY_VERSION_STRING];
  int length = 0;
  MPI_Get_library_version(library, &length);
  std::string first_line(library, static_cast<std::size_t>(length));
  first_line = first_line.substr(0, first_line.find_first_of("\n,"));
  const unsigned cores = std::max(1U, std::thread::hardware_concurrency());
  const int level = rt.thread_level();
  const char* level_name = level == MPI_THREAD_MULTIPLE     ? "MPI_THREAD_MULTIPLE"
                           : level == MPI_THREAD_SERIALIZED ? "MPI_THREAD_SERIALIZED"
                           : level == MPI_THREAD_FUNNELED   ? "MPI_THREAD_FUNNELED"
                                                            : "MPI_THREAD_SINGLE";
  std::printf("streamalloc-bench: %d rank(s), up to %d per node, %u hardware thread(s) per node; "
              "%s, %s\n",
              rt.size(), most_on_a_node, cores, first_line.c_str(), level_name);
  if (static_cast<unsigned>(most_on_a_node) > cores) {
    std::printf("NOTE: OVERSUBSCRIBED — %d ranks share %u core(s) on a node: ranks time-share "
                "cores, so per-rank rates fall by about %.1fx and wall times grow accordingly.\n",
                most_on_a_node, cores, static_cast<double>(most_on_a_node) / cores);
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::optional<mpi::runtime> rt;
  try {
    rt.emplace(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "streamalloc-bench: error: %s\n", e.what());
    return 2;
  }
  const bool root = rt->mpi_rank() == 0;
  std::optional<bench_options> opt;
  try {
    opt = parse_options(argc, argv, root);
    if (!opt) return 0;
  } catch (const std::exception& e) {  // program_options errors and our usage_error
    if (root) std::fprintf(stderr, "streamalloc-bench: error: %s (see --help)\n", e.what());
    return 2;
  }
  try {
    describe_machine(*rt);
    bool clean = true;
    if (opt->claims) bench_claims(*rt, *opt);
    if (opt->verify) clean = bench_verify(*rt, *opt);
    if (opt->memory) bench_memory(*rt, *opt);
    if (opt->checkpoint) {
      streamalloc::bench::bench_checkpoint(
          *rt, {opt->claim_counts, opt->contiguous, opt->fragmented, opt->repeat, opt->directory});
    }
    MPI_Barrier(rt->comm());
    if (!clean) {
      if (root) std::fprintf(stderr, "streamalloc-bench: a verify() verdict was not clean\n");
      return 1;
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "streamalloc-bench: rank %d: error: %s\n", rt->mpi_rank(), e.what());
    MPI_Abort(MPI_COMM_WORLD, 1);
  }
  std::fflush(stdout);
  return 0;
}
