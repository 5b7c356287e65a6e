// streamalloc-bench, part (b): verify() next to the bare reference and the naive peer, and
// runs of streams (see coordination_bench.cpp for the whole program).
#include <mpi.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "bench_common.hpp"
#include "streamalloc/campaign.hpp"
#include "streamalloc/claims/claim.hpp"
#include "streamalloc/claims/claim_registry.hpp"
#include "streamalloc/mpi/stream_allocator.hpp"
#include "streamalloc/mpi/verify.hpp"
#include "streamalloc/stream_geometry.hpp"

namespace streamalloc_bench {

namespace claims = streamalloc::claims;

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

namespace {

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

// The bare reference issue 11 measures verify() against: every rank's raw IDs as 16-byte records
// (ID, rank << 32 | index), hash-partitioned over the ranks (splitmix64 of the ID, one
// MPI_Alltoallv), sorted by ID and scanned for equal neighbours on each rank. It finds equal IDs
// only — no canonical identities, NumPy aliases, overlapping draw intervals or budgets: the floor
// a hash-partitioned check of this shape pays. Returns the number of duplicates (0 here).
std::uint64_t bare_reference(const mpi::runtime& rt, const std::vector<std::uint64_t>& ids) {
  struct record {
    std::uint64_t id;
    std::uint64_t ref;
  };
  const auto ranks = static_cast<std::size_t>(rt.size());
  const auto mix = [](std::uint64_t z) {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  };
  std::vector<int> counts(ranks, 0);
  for (const auto id : ids) ++counts[mix(id) % ranks];
  std::vector<int> displs(ranks, 0);
  for (std::size_t r = 1; r < ranks; ++r) displs[r] = displs[r - 1] + counts[r - 1];
  std::vector<record> out(ids.size());
  std::vector<int> at = displs;
  const auto rank = static_cast<std::uint64_t>(rt.mpi_rank()) << 32;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    out[static_cast<std::size_t>(at[mix(ids[i]) % ranks]++)] = {ids[i], rank | i};
  }
  std::vector<int> in_counts(ranks);
  MPI_Alltoall(counts.data(), 1, MPI_INT, in_counts.data(), 1, MPI_INT, rt.comm());
  std::vector<int> in_displs(ranks, 0);
  for (std::size_t r = 1; r < ranks; ++r) in_displs[r] = in_displs[r - 1] + in_counts[r - 1];
  std::vector<record> in(static_cast<std::size_t>(in_displs[ranks - 1] + in_counts[ranks - 1]));
  MPI_Datatype type = MPI_DATATYPE_NULL;
  MPI_Type_contiguous(static_cast<int>(sizeof(record)), MPI_BYTE, &type);
  MPI_Type_commit(&type);
  MPI_Alltoallv(out.data(), counts.data(), displs.data(), type, in.data(), in_counts.data(),
                in_displs.data(), type, rt.comm());
  MPI_Type_free(&type);
  std::sort(in.begin(), in.end(), [](const record& a, const record& b) {
    return a.id != b.id ? a.id < b.id : a.ref < b.ref;
  });
  std::uint64_t duplicates = 0;
  for (std::size_t i = 1; i < in.size(); ++i) duplicates += in[i].id == in[i - 1].id ? 1U : 0U;
  return duplicates;
}

}  // namespace

bool bench_verify(const mpi::runtime& rt, const bench_options& opt) {
  const bool root = rt.mpi_rank() == 0;
  bool all_clean = true;
  if (root) {
    std::printf(
        "\n== verify() wall time, max over ranks (barrier before, MPI_Allreduce MAX "
        "after): %d rank(s), median of %u\n",
        rt.size(), opt.repeat);
    std::printf("%-11s %-10s %8s %10s %8s | %19s %8s %11s | %19s %8s %6s | %18s\n", "claims/rank",
                "layout", "records", "registry", "add/s", "verify() ms", "ns/claim", "verify heap",
                "bare ref ms", "ratio", "cpu", "peer ms");
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
      std::vector<std::uint64_t> ids(n);
      for (std::uint64_t i = 0; i < n; ++i) ids[i] = layout_id(fragmented, rank, n, i);
      std::uint64_t duplicates = 0;
      // verify(), the bare reference and the peer take turns, repetition by repetition, so
      // that a change in the machine's load falls on all three.
      std::vector<spread> verify_runs;
      std::vector<spread> reference_runs;
      std::vector<spread> peer_runs;
      for (unsigned r = 0; r < opt.repeat; ++r) {
        std::optional<mpi::verdict> v;
        spread s;
        const long long peak =
            heap_peak_during([&] { s = timed(rt, [&] { v.emplace(mpi::verify(rt, *reg)); }); });
        peak_heap = std::max(peak_heap, peak);
        expected_records = v->claims;
        clean = clean && v->clean() && v->streams == n * static_cast<std::uint64_t>(rt.size());
        verify_runs.push_back(s);
        reference_runs.push_back(timed(rt, [&] { duplicates += bare_reference(rt, ids); }));
        peer_runs.push_back(timed(rt, [&] { duplicates += gather_sort_check(rt, ids); }));
      }
      std::size_t next = 0;
      const auto replay = [&](const std::vector<spread>& runs) {
        next = 0;
        return repeat_timed(opt.repeat, [&] { return runs[next++]; });
      };
      const repeated verify_t = replay(verify_runs);
      const repeated reference_t = replay(reference_runs);
      const repeated peer_t = replay(peer_runs);
      // The ratios per repetition (verify() and the reference ran back to back), then their
      // median: on a machine whose load changes, steadier than the ratio of the medians.
      std::vector<double> wall_ratios;
      std::vector<double> cpu_ratios;
      for (unsigned r = 0; r < opt.repeat; ++r) {
        wall_ratios.push_back(verify_runs[r].max / reference_runs[r].max);
        cpu_ratios.push_back(verify_runs[r].cpu_max / reference_runs[r].cpu_max);
      }
      const double verify_heap = max_over_ranks(rt, static_cast<double>(peak_heap));
      if (!clean || duplicates != 0) all_clean = false;

      if (root) {
        char verify_text[48];
        char reference_text[48];
        char peer_text[48];
        std::snprintf(verify_text, sizeof verify_text, "%.3f [%.3f]", verify_t.median_max * 1e3,
                      verify_t.best_max * 1e3);
        std::snprintf(reference_text, sizeof reference_text, "%.3f [%.3f]",
                      reference_t.median_max * 1e3, reference_t.best_max * 1e3);
        std::snprintf(peer_text, sizeof peer_text, "%.3f [%.3f]", peer_t.median_max * 1e3,
                      peer_t.best_max * 1e3);
        std::printf("%-11s %-10s %8s %10s %8s | %19s %8.1f %11s | %19s %8.2f %6.2f | %18s%s\n",
                    count_text(n).c_str(), fragmented ? "fragmented" : "contiguous",
                    human(static_cast<double>(expected_records) / rt.size()).c_str(),
                    bytes_text(reg_bytes).c_str(),
                    human(static_cast<double>(n) / build.max).c_str(), verify_text,
                    verify_t.median_max * 1e9 / static_cast<double>(n),
                    bytes_text(verify_heap).c_str(), reference_text, median(wall_ratios),
                    median(cpu_ratios), peer_text, clean ? "" : "  NOT CLEAN");
      }
    }
  }
  if (root) {
    std::printf(
        "(records = claim records per rank after merging; registry = its heap per "
        "rank (mallinfo2, max over ranks); add/s = claim_registry::add rate, slowest rank;"
        "\n ns/claim = verify() median / claims per rank; verify heap = peak C++ heap "
        "verify() allocates on top of the registry, max over ranks;\n bare ref = 16-byte "
        "records (ID, owner) hash-partitioned with one MPI_Alltoallv + std::sort + scan "
        "(equal IDs only); ratio = median over repetitions of verify() / bare ref, wall "
        "times (the two run back to back); cpu = the same\n for the largest CPU time of "
        "a rank (less sensitive to a loaded machine; MPI waits spin, so they count);\n "
        "peer = "
        "MPI_Allgatherv of all raw IDs + sort + adjacent_find on every rank; [fastest "
        "repetition])\n");
  }
  return all_clean;
}

// One claim however long: verify() of a run of streams on rank 0 (the other ranks claim
// nothing), and of the spawn runs of components >= 2^32 (which were quadratic).
bool bench_ranges(const mpi::runtime& rt, const bench_options& opt) {
  const bool root = rt.mpi_rank() == 0;
  if (root) {
    std::printf(
        "\n== runs of streams: verify() wall time of one claim on rank 0, max over "
        "ranks, %d rank(s), median of %u\n",
        rt.size(), opt.repeat);
    std::printf("%-62s %22s %12s\n", "claim", "streams", "verify() ms");
  }
  bool all_clean = true;
  const auto measure = [&](const std::string& name, streamalloc::strategy how,
                           const std::function<void(mpi::stream_allocator&)>& take,
                           bool expect_clean) {
    const streamalloc::campaign origin(bench_seed, how);
    mpi::stream_allocator alloc(rt, origin, streamalloc::job_index(0));
    if (rt.mpi_rank() == 0) take(alloc);
    std::uint64_t streams = 0;
    bool as_expected = true;
    const repeated t = repeat_timed(opt.repeat, [&] {
      std::optional<mpi::verdict> v;
      const spread s = timed(rt, [&] { v.emplace(alloc.verify()); });
      streams = v->streams;
      as_expected = as_expected && v->clean() == expect_clean;
      return s;
    });
    if (!as_expected) all_clean = false;
    if (root) {
      std::printf("%-62s %22llu %12.3f%s\n", name.c_str(), static_cast<unsigned long long>(streams),
                  t.median_max * 1e3, as_expected ? "" : "  UNEXPECTED VERDICT");
    }
  };
  using streamalloc::jump_index;
  using streamalloc::stream_id;
  using streamalloc::task_path;
  const std::uint64_t two32 = std::uint64_t{1} << 32;
  for (const unsigned bits : {32U, 48U, 63U}) {
    measure(
        "philox_range(stream_id(0), 2^" + std::to_string(bits) + ")", streamalloc::strategy::philox,
        [&](mpi::stream_allocator& a) { a.philox_range(stream_id(0), std::uint64_t{1} << bits); },
        true);
  }
  measure(
      "jumped_range(jump_index(0), 2^40) + a hand-built stream inside",
      streamalloc::strategy::jumped,
      [&](mpi::stream_allocator& a) {
        mpi::claim_options details;
        details.budget = 1000;
        a.jumped_range(jump_index(0), std::uint64_t{1} << 40, details);
        a.pcg64_block(streamalloc::uint128{std::uint64_t{1} << 39} * streamalloc::pcg_jump_step + 5,
                      details);
      },
      false);
  for (const std::uint64_t n : {10000ULL, 20000ULL, 40000ULL, 1000000ULL}) {
    measure(
        "spawn_range((7,), 3 * 2^32, " + count_text(n) + "): components >= 2^32",
        streamalloc::strategy::spawn,
        [&](mpi::stream_allocator& a) { a.spawn_range(task_path{7}, 3 * two32, n); }, true);
  }
  for (const std::uint64_t n : {10000ULL, 20000ULL, 40000ULL}) {
    measure(
        count_text(n) + " single paths (7, 3 * 2^32 + 2k): components >= 2^32",
        streamalloc::strategy::spawn,
        [&](mpi::stream_allocator& a) {
          for (std::uint64_t k = 0; k < n; ++k) a.spawn(task_path{7, 3 * two32 + 2 * k});
        },
        true);
  }
  if (root) {
    std::printf(
        "(a run is one claim record and one interval for the checks whatever its length; "
        "the jumped run's hand-built stream is an\n overlap found through the one jump "
        "count that can reach it)\n");
  }
  return all_clean;
}

}  // namespace streamalloc_bench
