#include "streamalloc/mpi/verify.hpp"

#include <algorithm>
#include <climits>
#include <cstdint>
#include <numeric>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include "claim_buckets.hpp"
#include "claim_wire.hpp"
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

int to_int_count(std::size_t n, std::string_view what) {
  if (n > static_cast<std::size_t>(INT_MAX)) {
    throw mpi_error("verify: " + std::string(what) + " of " + std::to_string(n) +
                    " bytes exceeds MPI's int counts; verify more often (at checkpoints)");
  }
  return static_cast<int>(n);
}

// Displacements for a v-collective; throws if the total does not fit MPI's int counts.
std::vector<int> displacements(const std::vector<int>& counts, std::string_view what) {
  std::vector<int> displs(counts.size());
  std::size_t total = 0;
  for (std::size_t r = 0; r < counts.size(); ++r) {
    displs[r] = to_int_count(total, what);
    total += static_cast<std::size_t>(counts[r]);
  }
  to_int_count(total, what);
  return displs;
}

std::size_t total_of(const std::vector<int>& counts) {
  return std::accumulate(counts.begin(), counts.end(), std::size_t{0},
                         [](std::size_t sum, int n) { return sum + static_cast<std::size_t>(n); });
}

// Phase 1: each claim's pieces, encoded, one buffer per destination rank.
struct outbox {
  std::vector<char> bytes;  // destination 0's records, then destination 1's, ...
  std::vector<int> counts;
  std::vector<int> displs;
};

outbox partition(const campaign& origin, const std::vector<claim>& claims, int ranks) {
  const auto n = static_cast<std::size_t>(ranks);
  std::vector<std::vector<char>> per_rank(n);
  const streamalloc::detail::claim_bucketer bucketer(origin);
  for (const claim& c : claims) {
    validate(c);  // a corrupt registry entry fails here, on its own rank, and is agreed on
    bucketer.for_each_piece(c, [&](std::uint64_t bucket, const claim& piece) {
      streamalloc::detail::wire_writer(per_rank[bucket % n]).put_claim(piece);
    });
  }
  outbox out;
  out.counts.resize(n);
  for (std::size_t r = 0; r < n; ++r) {
    out.counts[r] = to_int_count(per_rank[r].size(), "the claims sent to one rank");
  }
  out.displs = displacements(out.counts, "the claims sent by this rank");
  out.bytes.reserve(total_of(out.counts));
  for (auto& bytes : per_rank) out.bytes.insert(out.bytes.end(), bytes.begin(), bytes.end());
  return out;
}

// Phase 2: the conflicts among the pieces this rank received, encoded.
std::vector<char> analyse(const campaign& origin, const std::vector<char>& received) {
  // A claim touching two buckets that hash to this rank arrives twice; an exact copy is never a
  // second claim (a rank's registry refuses its own duplicates, and different ranks' claims
  // differ in their owner), so copies are dropped before they could "conflict" with themselves.
  std::vector<std::string_view> records;
  streamalloc::detail::wire_reader reader(received.data(), received.size());
  while (!reader.done()) {
    const std::size_t begin = reader.position();
    reader.get_claim();
    records.emplace_back(received.data() + begin, reader.position() - begin);
  }
  std::sort(records.begin(), records.end());
  records.erase(std::unique(records.begin(), records.end()), records.end());

  std::vector<sourced_claim> claims;
  claims.reserve(records.size());
  for (const auto record : records) {
    streamalloc::detail::wire_reader one(record.data(), record.size());
    claim c = one.get_claim();
    validate(c);
    // No source: describe() already names the owner rank, and "from <manifest>" is for audits.
    claims.push_back({&origin, std::move(c), std::string()});
  }
  std::vector<char> out;
  streamalloc::detail::wire_writer writer(out);
  for (const conflict& found : find_conflicts(claims)) writer.put_conflict(found);
  return out;
}

// Phase 3: every rank's conflicts, decoded, sorted by message and de-duplicated (a conflict
// between two claims that both touch two buckets is found twice).
std::vector<conflict> collect(const campaign* origin, const std::vector<char>& gathered) {
  std::vector<std::pair<std::string_view, conflict>> found;
  streamalloc::detail::wire_reader reader(gathered.data(), gathered.size());
  while (!reader.done()) {
    const std::size_t begin = reader.position();
    conflict c = reader.get_conflict(origin);
    found.emplace_back(std::string_view(gathered.data() + begin, reader.position() - begin),
                       std::move(c));
  }
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
    return std::tie(a.second.message, a.first) < std::tie(b.second.message, b.first);
  });
  found.erase(std::unique(found.begin(), found.end(),
                          [](const auto& a, const auto& b) { return a.first == b.first; }),
              found.end());
  std::vector<conflict> out;
  out.reserve(found.size());
  for (auto& [bytes, c] : found) out.push_back(std::move(c));
  return out;
}

}  // namespace

verdict verify(const runtime& rt, const claim_registry& registry, const verify_options& options) {
  const MPI_Comm comm = rt.comm();
  verdict result;
  result.ranks = rt.size();
  result.origin = std::make_shared<const campaign>(registry.origin());
  const campaign& origin = *result.origin;

  // Claims of different campaigns cannot be compared: every rank checks that all agree.
  const std::uint64_t print = fingerprint(origin);
  std::uint64_t extremes[2] = {print, ~print};  // MIN of both = {min, ~max}
  std::uint64_t reduced[2] = {0, 0};
  check_mpi(MPI_Allreduce(extremes, reduced, 2, MPI_UINT64_T, MPI_MIN, comm),
            "MPI_Allreduce (verify: campaign fingerprint)");
  if (reduced[0] != ~reduced[1]) {
    throw invalid_argument("verify: the ranks' claim registries belong to different campaigns "
                           "(root seed, strategy or pool size differ)");
  }

  const auto box = agreed(rt, "verify: partitioning the claims", [&] {
    const std::vector<claim> claims = registry.snapshot();
    std::uint64_t records = claims.size();
    std::uint64_t streams = 0;
    for (const claim& c : claims) streams += c.count;
    return std::make_pair(partition(origin, claims, rt.size()),
                          std::array<std::uint64_t, 2>{records, streams});
  });
  std::array<std::uint64_t, 2> totals{};
  check_mpi(MPI_Allreduce(box.second.data(), totals.data(), 2, MPI_UINT64_T, MPI_SUM, comm),
            "MPI_Allreduce (verify: claim totals)");
  result.claims = totals[0];
  result.streams = totals[1];

  const auto n = static_cast<std::size_t>(rt.size());
  std::vector<int> recv_counts(n);
  check_mpi(MPI_Alltoall(box.first.counts.data(), 1, MPI_INT, recv_counts.data(), 1, MPI_INT,
                         comm),
            "MPI_Alltoall (verify: exchange sizes)");
  auto inbox = agreed(rt, "verify: sizing the exchange", [&] {
    const std::vector<int> displs = displacements(recv_counts, "the claims received by a rank");
    return std::make_pair(std::vector<char>(total_of(recv_counts)), displs);
  });
  check_mpi(MPI_Alltoallv(box.first.bytes.data(), box.first.counts.data(),
                          box.first.displs.data(), MPI_BYTE, inbox.first.data(),
                          recv_counts.data(), inbox.second.data(), MPI_BYTE, comm),
            "MPI_Alltoallv (verify: exchanging claims)");

  const std::vector<char> mine = agreed(rt, "verify: finding conflicts", [&] {
    if (options.fail_on_rank == rt.mpi_rank()) {
      throw std::runtime_error("verify: failure injected on this rank for testing "
                               "(verify_options::fail_on_rank)");
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
  for (const conflict& c : conflicts) {
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
