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
//            next to two checks measured the same way, in turns with it: the bare reference
//            (16-byte records hash-partitioned with one MPI_Alltoallv, sorted and scanned: the
//            floor of a distributed duplicate check, equal IDs only) and the naive peer
//            (MPI_Allgatherv of every rank's raw IDs, then sort + adjacent_find on every rank);
//            plus the heap verify() allocates on top of the registry (peak, per rank)
//            (verify_bench.cpp);
//   ranges   verify() of one claim however long: runs of 2^32, 2^48, 2^63 IDs, a job's 2^40
//            jump indices with a hand-built stream inside, spawn runs of 10^4..10^6 components
//            >= 2^32 (verify_bench.cpp);
//   memory   registry bytes per claim (glibc mallinfo2() in-use bytes before/after) for N
//            contiguous vs N fragmented claims, next to a std::set<uint64_t> of the same IDs;
//   checkpoint  a run record's checkpoint for N new claims per rank, next to the old way of
//            gathering every claim to rank 0 and rewriting the manifest (record_bench.cpp).
// Ranks beyond the node's cores time-share them; the output says so (per-rank wall rates then
// fall roughly by ranks/cores). Each rank's own CPU time per claim is reported next to the wall
// rates, and ranks wait for each other in sleeping barriers (Open MPI's blocking collectives
// busy-poll and would steal the cores of ranks still working).
//
// Usage: mpiexec -n P streamalloc-bench [--mode all|claims,verify,memory,ranges,checkpoint]
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

#include "bench_common.hpp"

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
  while (now > peak && !heap_peak.compare_exchange_weak(peak, now, std::memory_order_relaxed)) {
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

namespace streamalloc_bench {

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

}  // namespace streamalloc_bench

namespace {

using namespace streamalloc_bench;  // NOLINT(google-build-using-namespace): the bench's own
namespace claims = streamalloc::claims;
namespace po = boost::program_options;

// --- options ----------------------------------------------------------------------------------

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
  described.add_options()("help,h", "print this help and exit")(
      "mode", po::value(&mode)->default_value(mode),
      "what to measure: all (claims, verify, memory, ranges), or any of "
      "claims,verify,memory,ranges,checkpoint (comma-separated)")(
      "claims", po::value(&claims)->default_value(claims),
      "claims per rank for verify() and memory (comma-separated counts, e.g. 1e4,1e5,1e6)")(
      "layout", po::value(&layout)->default_value(layout),
      "verify() claim layout: both | contiguous | fragmented")(
      "repeat", po::value(&repeat)->default_value(repeat),
      "timed repetitions of each measurement (the median is reported)")(
      "rate-claims", po::value(&rate)->default_value(rate),
      "claims per rank timed for each claim method")(
      "directory", po::value<std::string>()->default_value("streamalloc-bench-records"),
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
    out.claims = out.verify = out.memory = out.ranges = false;
    std::stringstream modes(mode);
    for (std::string item; std::getline(modes, item, ',');) {
      if (item == "claims") {
        out.claims = true;
      } else if (item == "verify") {
        out.verify = true;
      } else if (item == "ranges") {
        out.ranges = true;
      } else if (item == "memory") {
        out.memory = true;
      } else if (item == "checkpoint") {
        out.checkpoint = true;
      } else {
        throw usage_error("--mode: '" + item +
                          "' is not a mode (expected all, or claims, verify, memory, ranges, "
                          "checkpoint separated by commas)");
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

// --- (a) claims per second per rank -----------------------------------------------------------

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
  for (std::uint64_t i = 0; i < n; ++i)
    acc ^= c.philox_stream(streamalloc::job_index(0), streamalloc::stream_id(first + i)).key()[0];
  sink = sink ^ acc;
}

void jumped_derive(const streamalloc::campaign& c, std::uint64_t first, std::uint64_t n) {
  std::uint64_t acc = 0;
  for (std::uint64_t i = 0; i < n; ++i) {
    acc ^= streamalloc::low64(
        c.jumped_stream(streamalloc::job_index(0), streamalloc::jump_index(first + i)).lcg_state());
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
    std::printf(
        "\n== claims per second per rank: %s claims per rank, %d rank(s), median of %u\n"
        "   claims/s/rank = N / wall time of the slowest rank (mean rank in parentheses); "
        "CPU ns = the rank's own CPU time per claim (largest over ranks)\n",
        count_text(n).c_str(), rt.size(), opt.repeat);
    std::printf("%-34s %20s %7s | %-34s %14s %7s | %9s %6s\n", "method", "claims/s/rank", "CPU ns",
                "baseline: the derivation alone", "derive/s/rank", "CPU ns", "coord ns", "share");
  }
  for (const claim_method& m : claim_methods(n)) {
    const streamalloc::campaign origin(bench_seed, m.how);
    const std::uint64_t count = std::max<std::uint64_t>(1, n / m.divisor);
    const std::string name =
        m.divisor == 1 ? m.name : m.name + (" (N/" + std::to_string(m.divisor) + ")");
    const repeated claim_t = repeat_timed(opt.repeat, [&] {
      // The allocator (and its registry) is created and destroyed outside the timed region.
      mpi::stream_allocator alloc(rt, origin, streamalloc::job_index(0), m.options);
      return timed(rt, [&] { m.take(alloc, first, count); });
    });
    const repeated derive_t = repeat_timed(
        opt.repeat, [&] { return timed(rt, [&] { m.derive(origin, first, count); }); });
    if (root) {
      const double dn = static_cast<double>(count);
      const double claim_ns = claim_t.median_cpu / dn * 1e9;
      const double derive_ns = derive_t.median_cpu / dn * 1e9;
      const std::string claim_rate =
          human(dn / claim_t.median_max) + " (" + human(dn / claim_t.median_mean) + ")";
      std::printf("%-34s %20s %7.0f | %-34s %14s %7.0f | %9.0f %5.0f%%\n", name.c_str(),
                  claim_rate.c_str(), claim_ns, m.baseline, human(dn / derive_t.median_max).c_str(),
                  derive_ns, claim_ns - derive_ns, 100.0 * (claim_ns - derive_ns) / claim_ns);
    }
  }
  if (root) {
    std::printf(
        "(coord ns = CPU ns per claim - CPU ns per derivation: the claim bookkeeping "
        "(allocation, claim_registry::add); share = coord / claim.\n D = "
        "dynamic_block_size; window = one MPI_Fetch_and_op + MPI_Win_flush on rank 0 per "
        "block of D.)\n");
  }
}

// --- (c) memory -------------------------------------------------------------------------------

void bench_memory(const mpi::runtime& rt, const bench_options& opt) {
  if (rt.mpi_rank() != 0) return;
  const std::uint64_t n = *std::max_element(opt.claim_counts.begin(), opt.claim_counts.end());
  const streamalloc::campaign origin(bench_seed, streamalloc::strategy::philox);
  std::printf(
      "\n== registry memory on one rank, %s claims (glibc mallinfo2() in-use bytes "
      "before/after; sizeof(claim) = %zu)\n",
      count_text(n).c_str(), sizeof(claims::claim));
  std::printf("%-48s %10s %14s %12s %16s\n", "structure", "records", "bytes", "bytes/claim",
              "vs std::set");
  const auto measure = [&](const std::function<std::size_t()>& build_and_hold) {
    // build_and_hold returns the records and keeps the structure alive until the next call.
    const std::size_t before = heap_in_use();
    const std::size_t records = build_and_hold();
    return std::make_pair(records,
                          static_cast<double>(heap_in_use()) - static_cast<double>(before));
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
  std::printf(
      "streamalloc-bench: %d rank(s), up to %d per node, %u hardware thread(s) per node; "
      "%s, %s\n",
      rt.size(), most_on_a_node, cores, first_line.c_str(), level_name);
  if (static_cast<unsigned>(most_on_a_node) > cores) {
    std::printf(
        "NOTE: OVERSUBSCRIBED — %d ranks share %u core(s) on a node: ranks time-share "
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
    if (opt->ranges) clean = bench_ranges(*rt, *opt) && clean;
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
