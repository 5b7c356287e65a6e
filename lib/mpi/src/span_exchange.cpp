#include "src/span_exchange.hpp"

#include <mpi.h>

#include <algorithm>
#include <climits>
#include <cstring>
#include <string>

#include "streamalloc/error.hpp"
#include "streamalloc/mpi/agreement.hpp"

namespace streamalloc::mpi::detail {
namespace {

using claims::detail::partition_floor;
using claims::detail::span_less;
using claims::detail::sweep_holder;

// Samples each rank contributes to the choice of splitters.
constexpr std::size_t samples_per_rank = 64;
constexpr int exchange_tag = 0x5a11;

// A committed MPI datatype of `bytes` contiguous bytes, freed on scope exit.
class byte_block_type {
 public:
  explicit byte_block_type(std::size_t bytes) {
    check_mpi(MPI_Type_contiguous(static_cast<int>(bytes), MPI_BYTE, &type_),
              "MPI_Type_contiguous (verify)");
    check_mpi(MPI_Type_commit(&type_), "MPI_Type_commit (verify)");
  }
  ~byte_block_type() { MPI_Type_free(&type_); }
  byte_block_type(const byte_block_type&) = delete;
  byte_block_type& operator=(const byte_block_type&) = delete;
  MPI_Datatype get() const noexcept { return type_; }

 private:
  MPI_Datatype type_ = MPI_DATATYPE_NULL;
};

struct sample {
  identity_span span;
  std::uint64_t weight;  // how many of its rank's spans it stands for
};

// P - 1 splitters from every rank's samples: the spans at which the cumulative weight of the
// sorted samples reaches k / P of the total, each moved down to the start of its space if that
// space must stay whole.
std::vector<identity_span> choose_splitters(const runtime& rt,
                                            const std::vector<identity_span>& local) {
  const auto ranks = static_cast<std::size_t>(rt.size());
  const std::size_t n = local.size();
  const std::size_t taken = std::min(n, samples_per_rank);
  std::vector<sample> mine;
  for (std::size_t j = 0; j < taken; ++j) {
    const std::size_t from = j * n / taken;
    const std::size_t to = (j + 1) * n / taken;
    mine.push_back({local[(from + to) / 2], to - from});
  }
  const std::vector<char> bytes(reinterpret_cast<const char*>(mine.data()),
                                reinterpret_cast<const char*>(mine.data() + mine.size()));
  const std::vector<char> gathered = allgather_bytes(rt, bytes, std::size_t{1} << 26);
  std::vector<sample> all(gathered.size() / sizeof(sample));
  if (!all.empty()) std::memcpy(all.data(), gathered.data(), all.size() * sizeof(sample));
  std::sort(all.begin(), all.end(),
            [](const sample& a, const sample& b) { return span_less(a.span, b.span); });
  std::uint64_t total = 0;
  for (const auto& s : all) total += s.weight;
  std::vector<identity_span> splitters;
  std::uint64_t seen = 0;
  std::size_t j = 0;
  for (std::size_t k = 1; k < ranks && !all.empty(); ++k) {
    const auto target = static_cast<std::uint64_t>(
        (static_cast<uint128>(total) * k + ranks - 1) / ranks);
    while (j + 1 < all.size() && seen + all[j].weight < target) seen += all[j++].weight;
    splitters.push_back(partition_floor(all[j].span));
  }
  return splitters;
}

void combine_holders(void* in, void* inout, int* length, MPI_Datatype* /*type*/) {
  const auto* earlier = static_cast<const sweep_holder*>(in);
  auto* later = static_cast<sweep_holder*>(inout);
  for (int i = 0; i < *length; ++i) later[i] = claims::detail::combine(earlier[i], later[i]);
}

}  // namespace

void sort_spans(std::vector<identity_span>& spans) {
  std::vector<std::size_t> bounds{0};
  for (std::size_t i = 1; i < spans.size(); ++i) {
    if (span_less(spans[i], spans[i - 1])) bounds.push_back(i);
  }
  if (bounds.size() == 1) return;
  if (bounds.size() > 64) {
    std::sort(spans.begin(), spans.end(), span_less);
    return;
  }
  bounds.push_back(spans.size());
  const auto at = [&](std::size_t i) { return spans.begin() + static_cast<std::ptrdiff_t>(i); };
  while (bounds.size() > 2) {  // merge neighbouring runs pairwise until one is left
    std::vector<std::size_t> merged{0};
    std::size_t i = 0;
    for (; i + 2 < bounds.size(); i += 2) {
      std::inplace_merge(at(bounds[i]), at(bounds[i + 1]), at(bounds[i + 2]), span_less);
      merged.push_back(bounds[i + 2]);
    }
    if (i + 1 < bounds.size() && merged.back() != bounds.back()) merged.push_back(bounds.back());
    bounds = std::move(merged);
  }
}

std::vector<identity_span> partition_spans(const runtime& rt, std::vector<identity_span> local,
                                           std::size_t round_spans) {
  const auto ranks = static_cast<std::size_t>(rt.size());
  if (ranks == 1) return local;
  const MPI_Comm comm = rt.comm();
  const std::vector<identity_span> splitters = choose_splitters(rt, local);

  // Where this rank's sorted spans go: rank k gets [cut[k], cut[k + 1]).
  std::vector<std::size_t> cut(ranks + 1, local.size());
  cut[0] = 0;
  for (std::size_t k = 1; k < ranks; ++k) {
    cut[k] = k - 1 < splitters.size()
                 ? static_cast<std::size_t>(std::lower_bound(local.begin(), local.end(),
                                                             splitters[k - 1], span_less) -
                                            local.begin())
                 : local.size();
  }
  std::vector<std::uint64_t> send(ranks);
  for (std::size_t k = 0; k < ranks; ++k) send[k] = cut[k + 1] - cut[k];
  std::vector<std::uint64_t> receive(ranks);
  check_mpi(MPI_Alltoall(send.data(), 1, MPI_UINT64_T, receive.data(), 1, MPI_UINT64_T, comm),
            "MPI_Alltoall (verify: exchange sizes)");
  std::uint64_t longest = *std::max_element(send.begin(), send.end());
  check_mpi(MPI_Allreduce(MPI_IN_PLACE, &longest, 1, MPI_UINT64_T, MPI_MAX, comm),
            "MPI_Allreduce (verify: exchange rounds)");
  std::vector<std::size_t> at(ranks + 1, 0);
  for (std::size_t k = 0; k < ranks; ++k) at[k + 1] = at[k] + receive[k];
  std::vector<identity_span> mine = agreed(rt, "verify: sizing the exchange", [&] {
    return std::vector<identity_span>(at[ranks]);
  });

  const byte_block_type span_type(sizeof(identity_span));
  const std::size_t round = std::max<std::size_t>(1, std::min<std::size_t>(round_spans, INT_MAX));
  const std::uint64_t rounds = (longest + round - 1) / round;
  const auto self = static_cast<std::size_t>(rt.mpi_rank());
  std::vector<MPI_Request> requests;
  for (std::uint64_t r = 0; r < rounds; ++r) {
    requests.clear();
    const std::uint64_t skip = r * round;
    for (std::size_t k = 0; k < ranks; ++k) {
      const std::uint64_t out = send[k] > skip ? std::min<std::uint64_t>(round, send[k] - skip) : 0;
      const std::uint64_t in =
          receive[k] > skip ? std::min<std::uint64_t>(round, receive[k] - skip) : 0;
      if (k == self) {
        if (out != 0) {
          std::memcpy(mine.data() + at[k] + skip, local.data() + cut[k] + skip,
                      out * sizeof(identity_span));
        }
        continue;
      }
      if (in != 0) {
        requests.emplace_back();
        check_mpi(MPI_Irecv(mine.data() + at[k] + skip, static_cast<int>(in), span_type.get(),
                            static_cast<int>(k), exchange_tag, comm, &requests.back()),
                  "MPI_Irecv (verify: exchanging spans)");
      }
      if (out != 0) {
        requests.emplace_back();
        check_mpi(MPI_Isend(local.data() + cut[k] + skip, static_cast<int>(out), span_type.get(),
                            static_cast<int>(k), exchange_tag, comm, &requests.back()),
                  "MPI_Isend (verify: exchanging spans)");
      }
    }
    check_mpi(MPI_Waitall(static_cast<int>(requests.size()), requests.data(), MPI_STATUSES_IGNORE),
              "MPI_Waitall (verify: exchanging spans)");
  }
  std::vector<identity_span>().swap(local);  // sent: free it before the merge needs memory
  agreed(rt, "verify: merging the spans", [&] { sort_spans(mine); });
  return mine;
}

claims::detail::sweep_holder holder_before(const runtime& rt, const sweep_holder& summary) {
  sweep_holder before;  // rank 0: nothing before it
  if (rt.size() == 1) return before;
  const byte_block_type holder_type(sizeof(sweep_holder));
  MPI_Op op = MPI_OP_NULL;
  check_mpi(MPI_Op_create(&combine_holders, /*commute=*/0, &op), "MPI_Op_create (verify)");
  sweep_holder scanned;
  const int rc = MPI_Exscan(&summary, &scanned, 1, holder_type.get(), op, rt.comm());
  MPI_Op_free(&op);
  check_mpi(rc, "MPI_Exscan (verify: holders across ranks)");
  return rt.mpi_rank() == 0 ? before : scanned;
}

std::vector<char> allgather_bytes(const runtime& rt, const std::vector<char>& mine,
                                  std::size_t round_bytes) {
  const MPI_Comm comm = rt.comm();
  const auto ranks = static_cast<std::size_t>(rt.size());
  const std::uint64_t size = mine.size();
  std::vector<std::uint64_t> sizes(ranks);
  check_mpi(MPI_Allgather(&size, 1, MPI_UINT64_T, sizes.data(), 1, MPI_UINT64_T, comm),
            "MPI_Allgather (verify: sizes)");
  std::vector<std::size_t> offset(ranks + 1, 0);
  for (std::size_t k = 0; k < ranks; ++k) offset[k + 1] = offset[k] + sizes[k];
  // Each round, each rank contributes at most `chunk` bytes: the round's total and every
  // displacement stay below 2^30, whatever the rank count.
  const std::size_t chunk = std::max<std::size_t>(
      1, std::min(round_bytes, (std::size_t{1} << 30) / ranks));
  const std::uint64_t longest = *std::max_element(sizes.begin(), sizes.end());
  const std::uint64_t rounds = (longest + chunk - 1) / chunk;
  std::size_t first_round = 0;  // the largest round: the first
  for (const auto n : sizes) first_round += std::min<std::uint64_t>(chunk, n);
  auto buffers = agreed(rt, "verify: sizing a gather", [&] {
    return std::make_pair(std::vector<char>(offset[ranks]), std::vector<char>(first_round));
  });
  std::vector<char>& all = buffers.first;
  std::vector<char>& round_buffer = buffers.second;
  std::vector<int> counts(ranks);
  std::vector<int> displs(ranks);
  for (std::uint64_t r = 0; r < rounds; ++r) {
    const std::uint64_t skip = r * chunk;
    int total = 0;
    for (std::size_t k = 0; k < ranks; ++k) {
      counts[k] = static_cast<int>(sizes[k] > skip ? std::min<std::uint64_t>(chunk, sizes[k] - skip) : 0);
      displs[k] = total;
      total += counts[k];
    }
    const auto me = static_cast<std::size_t>(rt.mpi_rank());
    check_mpi(MPI_Allgatherv(mine.data() + std::min<std::uint64_t>(skip, size), counts[me],
                             MPI_BYTE, round_buffer.data(), counts.data(), displs.data(), MPI_BYTE,
                             comm),
              "MPI_Allgatherv (verify: gathering)");
    for (std::size_t k = 0; k < ranks; ++k) {
      if (counts[k] != 0) {
        std::memcpy(all.data() + offset[k] + skip,
                    round_buffer.data() + displs[k], static_cast<std::size_t>(counts[k]));
      }
    }
  }
  return all;
}

}  // namespace streamalloc::mpi::detail
