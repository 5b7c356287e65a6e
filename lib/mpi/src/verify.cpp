#include "streamalloc/mpi/verify.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <numeric>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>

#include "claim_buckets.hpp"
#include "claim_wire.hpp"
#include "src/verify_hooks.hpp"
#include "src/mpi_counts.hpp"
#include "streamalloc/error.hpp"
#include "streamalloc/mpi/agreement.hpp"

namespace streamalloc::mpi {

namespace {

// A fingerprint of what makes two ranks' campaigns the same: root entropy (as NumPy coerces
// it, plus its form), strategy and pool size.
std::uint64_t fingerprint(const campaign& c) {
  std::uint64_t h = streamalloc::detail::bucket_hash(
      {static_cast<std::uint64_t>(c.how()), c.pool_size(), c.root().is_list() ? 1U : 0U});
  for (const auto word : c.root().words()) h = streamalloc::detail::mix64(h ^ word);
  return h;
}

[[noreturn]] void exceeds_int(std::string_view what, std::uint64_t n) {
  throw mpi_error("verify: " + std::string(what) + " of " + std::to_string(n) +
                  " bytes exceeds MPI's int counts; verify more often (at checkpoints)");
}

int to_int_count(std::size_t n, std::string_view what) {
  return streamalloc::detail::int_count(n, [&](std::uint64_t bad) { exceeds_int(what, bad); });
}

// Displacements for a v-collective; throws if the total does not fit MPI's int counts.
std::vector<int> displacements(const std::vector<int>& counts, std::string_view what) {
  return streamalloc::detail::displacements(counts,
                                            [&](std::uint64_t bad) { exceeds_int(what, bad); });
}

std::size_t total_of(const std::vector<int>& counts) {
  return std::accumulate(counts.begin(), counts.end(), std::size_t{0},
                         [](std::size_t sum, int n) { return sum + static_cast<std::size_t>(n); });
}

// What a rank's claims look like, for the collective choice of how to bucket jump indices.
struct claim_census {
  std::uint64_t records = 0;
  std::uint64_t streams = 0;
  std::uint64_t jump_lowest = UINT64_MAX;  // smallest and largest jump count claimed
  std::uint64_t jump_highest = 0;
  uint128 jump_longest = 0;                // largest draw extent of a jump_index claim
  bool root_positions = false;             // a pcg64_position claim on the root's sequence
};

claim_census take_census(const campaign& origin, const claims::claim_registry& registry) {
  claim_census census;
  const uint128 root_increment = origin.jumped_root().lcg_increment();
  registry.for_each([&](const claims::claim& c) {
    ++census.records;
    census.streams += c.count;
    if (c.kind == claims::claim_kind::jump_index) {
      census.jump_lowest = std::min(census.jump_lowest, claims::jump_count_of(origin, c, c.first));
      census.jump_highest = std::max(census.jump_highest, claims::jump_count_of(origin, c, c.last()));
      census.jump_longest = std::max(census.jump_longest, claims::pcg64_extent(c));
    }
    if (c.kind == claims::claim_kind::pcg64_position && c.sequence == root_increment) {
      census.root_positions = true;
    }
  });
  return census;
}

// Phase 1: each claim's pieces, encoded, one buffer per destination rank.
struct outbox {
  std::vector<char> bytes;  // destination 0's records, then destination 1's, ...
  std::vector<int> counts;
  std::vector<int> displs;
};

outbox partition(const campaign& origin, const claims::claim_registry& registry, int ranks,
                 bool compact_jumps, std::uint64_t records) {
  const auto n = static_cast<std::size_t>(ranks);
  std::vector<std::vector<char>> per_rank(n);
  // A typical record is 8 + 34 bytes (bucket, claim_wire.hpp); growing from empty would copy
  // each buffer a dozen times.
  for (auto& bytes : per_rank) bytes.reserve(static_cast<std::size_t>(records) * 48 / n + 64);
  const streamalloc::detail::claim_bucketer bucketer(origin, compact_jumps);
  registry.for_each([&](const claims::claim& c) {
    claims::validate(c);  // a corrupt registry entry fails here, on its own rank, and is agreed on
    bucketer.for_each_piece(c, [&](std::uint64_t bucket, const claims::claim& piece) {
      streamalloc::detail::wire_writer out(per_rank[bucket % n]);
      out.put(bucket);  // the receiver checks its buckets a batch at a time
      out.put_claim(piece);
    });
  });
  outbox out;
  out.counts.resize(n);
  for (std::size_t r = 0; r < n; ++r) {
    out.counts[r] = to_int_count(per_rank[r].size(), "the claims sent to one rank");
  }
  out.displs = displacements(out.counts, "the claims sent by this rank");
  if (n == 1) {
    out.bytes = std::move(per_rank[0]);
    return out;
  }
  out.bytes.reserve(total_of(out.counts));
  for (auto& bytes : per_rank) {
    out.bytes.insert(out.bytes.end(), bytes.begin(), bytes.end());
    std::vector<char>().swap(bytes);  // release as we go: the peak is one copy, not two
  }
  return out;
}

// Phase 2: the conflicts among the pieces this rank received, encoded. Two claims that can
// conflict share a bucket, so buckets may be checked separately: they are, in batches of whole
// buckets of about batch_pieces pieces, which bounds the memory find_conflicts() needs (a
// decoded claim and its sweep entries take a few hundred bytes) whatever a rank receives.
constexpr std::size_t batch_pieces = std::size_t{1} << 16;

std::vector<char> analyse(const campaign& origin, const std::vector<char>& received) {
  struct record {
    std::uint64_t bucket;
    std::size_t at, size;  // the claim's bytes in `received`
  };
  std::vector<record> records;
  records.reserve(received.size() / (sizeof(std::uint64_t) +
                                     streamalloc::detail::min_claim_record_bytes));
  streamalloc::detail::wire_reader reader(received.data(), received.size());
  while (!reader.done()) {
    const auto bucket = reader.get<std::uint64_t>();
    const std::size_t at = reader.position();
    reader.get_claim();
    records.push_back({bucket, at, reader.position() - at});
  }
  std::sort(records.begin(), records.end(),
            [](const record& a, const record& b) { return std::tie(a.bucket, a.at) < std::tie(b.bucket, b.at); });

  std::vector<char> out;
  streamalloc::detail::wire_writer writer(out);
  std::vector<std::string_view> batch;
  std::vector<claims::sourced_claim> claims;
  const auto check_batch = [&] {
    // A piece in two buckets of one batch arrived twice; an exact copy is never a second claim
    // (a rank's registry refuses its own duplicates, and different ranks' claims differ in their
    // owner), so copies are dropped before they could "conflict" with themselves.
    std::sort(batch.begin(), batch.end());
    batch.erase(std::unique(batch.begin(), batch.end()), batch.end());
    claims.clear();
    for (const auto bytes : batch) {
      streamalloc::detail::wire_reader one(bytes.data(), bytes.size());
      claims::claim c = one.get_claim();
      claims::validate(c);
      // No source: describe() already names the owner rank; "from <manifest>" is for audits.
      claims.push_back({&origin, std::move(c), std::string()});
    }
    for (const claims::conflict& found : claims::find_conflicts(claims)) writer.put_conflict(found);
    batch.clear();
  };
  for (std::size_t i = 0; i < records.size(); ++i) {
    if (batch.size() >= batch_pieces && records[i].bucket != records[i - 1].bucket) check_batch();
    batch.emplace_back(received.data() + records[i].at, records[i].size);
  }
  check_batch();
  return out;
}

// Phase 3: every rank's conflicts, decoded, sorted by message and de-duplicated (a conflict
// between two claims that both touch two buckets is found in each).
std::vector<claims::conflict> collect(const campaign* origin, const std::vector<char>& gathered) {
  std::vector<std::pair<std::string_view, claims::conflict>> found;
  streamalloc::detail::wire_reader reader(gathered.data(), gathered.size());
  while (!reader.done()) {
    const std::size_t begin = reader.position();
    claims::conflict c = reader.get_conflict(origin);
    found.emplace_back(std::string_view(gathered.data() + begin, reader.position() - begin),
                       std::move(c));
  }
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
    return std::tie(a.second.message, a.first) < std::tie(b.second.message, b.first);
  });
  found.erase(std::unique(found.begin(), found.end(),
                          [](const auto& a, const auto& b) { return a.first == b.first; }),
              found.end());
  std::vector<claims::conflict> out;
  out.reserve(found.size());
  for (auto& [bytes, c] : found) out.push_back(std::move(c));
  return out;
}

}  // namespace

verdict verify(const runtime& rt, const claims::claim_registry& registry) {
  return detail::verify(rt, registry, detail::verify_hooks{});
}

verdict detail::verify(const runtime& rt, const claims::claim_registry& registry,
                       const verify_hooks& options) {
  const MPI_Comm comm = rt.comm();
  verdict result;
  result.ranks = rt.size();
  result.origin = std::make_shared<const campaign>(registry.origin());
  const campaign& origin = *result.origin;

  const claim_census census =
      agreed(rt, "verify: reading the claims", [&] { return take_census(origin, registry); });

  // Claims of different campaigns cannot be compared: every rank checks that all agree. The
  // same MIN all-reduce finds the range of jump indices and any hand-built stream on the root's
  // PCG64 sequence.
  const std::uint64_t print = fingerprint(origin);
  std::array<std::uint64_t, 5> mins = {print, ~print, census.jump_lowest, ~census.jump_highest,
                                       census.root_positions ? 0U : 1U};
  std::array<std::uint64_t, 5> reduced{};
  check_mpi(MPI_Allreduce(mins.data(), reduced.data(), 5, MPI_UINT64_T, MPI_MIN, comm),
            "MPI_Allreduce (verify: campaign fingerprint, jump index range)");
  if (reduced[0] != ~reduced[1]) {
    throw invalid_argument("verify: the ranks' claim registries belong to different campaigns "
                           "(root seed, strategy or pool size differ)");
  }
  // Jump index runs may be bucketed by index, like stream IDs, when no two distinct indices
  // can meet on the cycle: no hand-built stream on the root's sequence, and every budget within
  // the spacing jumped_min_spacing() proves for the whole index range (else stream by stream).
  const std::uint64_t jump_span = reduced[2] <= ~reduced[3] ? ~reduced[3] - reduced[2] : 0;
  const bool my_jumps_fit = census.jump_longest <= jumped_min_spacing(jump_span);
  std::array<std::uint64_t, 3> sums = {census.records, census.streams, my_jumps_fit ? 0U : 1U};
  std::array<std::uint64_t, 3> totals{};
  check_mpi(MPI_Allreduce(sums.data(), totals.data(), 3, MPI_UINT64_T, MPI_SUM, comm),
            "MPI_Allreduce (verify: claim totals)");
  result.claims = totals[0];
  result.streams = totals[1];
  const bool compact_jumps = reduced[4] == 1 && totals[2] == 0;

  outbox box = agreed(rt, "verify: partitioning the claims", [&] {
    return partition(origin, registry, rt.size(), compact_jumps, census.records);
  });

  const auto n = static_cast<std::size_t>(rt.size());
  std::vector<int> recv_counts(n);
  check_mpi(MPI_Alltoall(box.counts.data(), 1, MPI_INT, recv_counts.data(), 1, MPI_INT,
                         comm),
            "MPI_Alltoall (verify: exchange sizes)");
  auto inbox = agreed(rt, "verify: sizing the exchange", [&] {
    const std::vector<int> displs = displacements(recv_counts, "the claims received by a rank");
    return std::make_pair(std::vector<char>(total_of(recv_counts)), displs);
  });
  check_mpi(MPI_Alltoallv(box.bytes.data(), box.counts.data(),
                          box.displs.data(), MPI_BYTE, inbox.first.data(),
                          recv_counts.data(), inbox.second.data(), MPI_BYTE, comm),
            "MPI_Alltoallv (verify: exchanging claims)");
  std::vector<char>().swap(box.bytes);  // sent: free it before the analysis needs memory

  const std::vector<char> mine = agreed(rt, "verify: finding conflicts", [&] {
    if (options.fail_on_rank == rt.mpi_rank()) {
      throw std::runtime_error("verify: failure injected on this rank for testing "
                               "(verify_hooks::fail_on_rank)");
    }
    return analyse(origin, inbox.first);
  });

  const int my_size = to_int_count(mine.size(), "this rank's conflicts");  // cannot fail: checked
  std::vector<int> sizes(n);
  check_mpi(MPI_Allgather(&my_size, 1, MPI_INT, sizes.data(), 1, MPI_INT, comm),
            "MPI_Allgather (verify: conflict sizes)");
  auto gathered = agreed(rt, "verify: sizing the conflict gather", [&] {
    const std::vector<int> displs = displacements(sizes, "the conflicts of all ranks");
    return std::make_pair(std::vector<char>(total_of(sizes)), displs);
  });
  check_mpi(MPI_Allgatherv(mine.data(), my_size, MPI_BYTE, gathered.first.data(), sizes.data(),
                           gathered.second.data(), MPI_BYTE, comm),
            "MPI_Allgatherv (verify: conflicts)");

  result.conflicts = agreed(rt, "verify: reading the conflicts",
                            [&] { return collect(result.origin.get(), gathered.first); });
  return result;
}

std::string verdict::report() const {
  std::string text = "verify: " + std::to_string(conflicts.size()) + " conflict(s) among " +
                     std::to_string(claims) + " claim record(s) (" + std::to_string(streams) +
                     " streams) on " + std::to_string(ranks) + " rank(s)";
  for (const claims::conflict& c : conflicts) {
    text += "\n  ";
    text += to_string(c.kind);
    text += ": ";
    text += c.message;
  }
  return text;
}

void require_clean(const verdict& v) {
  if (!v.clean()) throw reuse_error(v.report());
}

}  // namespace streamalloc::mpi
