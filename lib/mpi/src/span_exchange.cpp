#include "src/span_exchange.hpp"

#include "src/fault_injection.hpp"

#include <mpi.h>

#include <algorithm>
#include <climits>
#include <cstring>
#include <exception>
#include <string>

#include "streamalloc/error.hpp"
#include "streamalloc/mpi/agreement.hpp"

namespace streamalloc::mpi::detail {
namespace {

using claims::sweep::combine;
using claims::sweep::partition_floor;
using claims::sweep::span_less;
using claims::sweep::sweep_holder;

// Samples each rank contributes to the choice of splitters (at most), and the span families
// (each gets one at least).
constexpr std::size_t families = 8;
constexpr std::size_t samples_per_rank = 256 + families;
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

// What each rank tells the others before the exchange: whether building its spans failed, and
// a weighted sample of them.
struct sample_block {
  census_row words;
  std::uint64_t spans;  // how many it holds
  std::uint64_t count;  // samples
  identity_span first;  // its smallest and largest span (when spans > 0)
  identity_span last;
  sweep_holder summary;  // summarize() of its spans, if known (summary_known)
  std::uint64_t summary_known;
  // Per span family: how many, the smallest and largest, summarize() (if summary_known).
  std::uint64_t family_count[span_families];
  identity_span family_first[span_families];
  identity_span family_last[span_families];
  sweep_holder family_summary[span_families];
  sample samples[samples_per_rank];
};

// Buffers below this (bounded by all ranks' spans together, which every rank knows) are
// allocated without agreeing on the outcome first: a process that cannot allocate that little
// is lost anyway.
constexpr std::size_t agree_above_bytes = std::size_t{256} << 20;

// P - 1 splitters from every rank's samples: the spans at which the cumulative weight of the
// sorted samples reaches k / P of the total (rank k - 1's share ends with splitter k - 1),
// each moved down to below the first span of its space if that space must stay whole.
std::vector<identity_span> choose_splitters(const std::vector<sample_block>& blocks,
                                            std::size_t ranks) {
  std::vector<sample> all;
  for (const auto& b : blocks) all.insert(all.end(), b.samples, b.samples + b.count);
  std::sort(all.begin(), all.end(),
            [](const sample& a, const sample& b) { return span_less(a.span, b.span); });
  std::uint64_t total = 0;
  for (const auto& s : all) total += s.weight;
  std::vector<identity_span> splitters;
  std::uint64_t seen = 0;
  std::size_t j = 0;
  for (std::size_t k = 1; k < ranks && !all.empty(); ++k) {
    const auto target =
        static_cast<std::uint64_t>((static_cast<uint128>(total) * k + ranks - 1) / ranks);
    while (j + 1 < all.size() && seen + all[j].weight < target) seen += all[j++].weight;
    splitters.push_back(partition_floor(all[j].span));
  }
  return splitters;
}

void combine_holders(void* in, void* inout, int* length, MPI_Datatype* /*type*/) {
  const auto* earlier = static_cast<const sweep_holder*>(in);
  auto* later = static_cast<sweep_holder*>(inout);
  for (int i = 0; i < *length; ++i) later[i] = claims::sweep::combine(earlier[i], later[i]);
}

}  // namespace

std::span<const identity_span> family_spans(std::span<const identity_span> sorted,
                                            std::size_t family) noexcept {
  const auto family_at = [](const identity_span& s) {
    return static_cast<std::size_t>(claims::sweep::family_of(s));
  };
  const auto begin = std::partition_point(
      sorted.begin(), sorted.end(), [&](const identity_span& s) { return family_at(s) < family; });
  const auto end = std::partition_point(
      begin, sorted.end(), [&](const identity_span& s) { return family_at(s) == family; });
  return {begin, end};
}

exchange_plan gather_plan(const runtime& rt, const census_row& words, const span_share& local) {
  const auto ranks = static_cast<std::size_t>(rt.size());
  const std::vector<identity_span>& sorted = local.spans;
  const std::size_t n = sorted.size();
  sample_block mine{};
  mine.words = words;
  mine.spans = n;
  if (n != 0) {
    mine.first = sorted.front();
    mine.last = sorted.back();
  }
  if (local.summary) {
    mine.summary = *local.summary;
    mine.summary_known = 1;
  }
  for (std::size_t f = 0; f < span_families; ++f) {
    const auto spans = family_spans(sorted, f);
    mine.family_count[f] = spans.size();
    if (!spans.empty()) {
      mine.family_first[f] = spans.front();
      mine.family_last[f] = spans.back();
    }
    mine.family_summary[f] = local.family_summaries[f];
  }
  // A sample stands for the spans since the previous one and is the last of them, so that a
  // splitter falls exactly between two ranks' spans where they do not interleave. Each family
  // (a contiguous stretch of the sorted spans, keys of very different ranges) gets its share of
  // the samples, and its last span is always one: a lone span of another family (a campaign's
  // root stream) never carries the weight of thousands of IDs.
  std::size_t room = samples_per_rank - families;
  for (std::size_t from = 0; from < n;) {
    std::size_t to = from + 1;
    while (to < n &&
           claims::sweep::family_of(sorted[to]) == claims::sweep::family_of(sorted[from])) {
      ++to;
    }
    const std::size_t m = to - from;
    const std::size_t k = std::min(m, 1 + std::min(room, m * (samples_per_rank - families) / n));
    room -= k - 1;
    for (std::size_t j = 0; j < k; ++j) {
      const std::size_t a = from + j * m / k;
      const std::size_t b = from + (j + 1) * m / k;
      mine.samples[mine.count++] = {sorted[b - 1], b - a};
    }
    from = to;
  }
  const byte_block_type block_type(sizeof(sample_block));
  std::vector<sample_block> blocks(ranks);
  check_mpi(
      MPI_Allgather(&mine, 1, block_type.get(), blocks.data(), 1, block_type.get(), rt.comm()),
      "MPI_Allgather (verify: census and samples)");
  exchange_plan plan;
  for (const auto& b : blocks) {
    plan.words.push_back(b.words);
    plan.sampled_spans += b.spans;
  }
  plan.splitters = choose_splitters(blocks, ranks);
  // Already partitioned, family by family? (exchange_plan::in_place)
  plan.in_place = true;
  for (const auto& b : blocks) {
    if (b.spans != 0 && b.summary_known == 0) plan.in_place = false;
  }
  for (std::size_t f = 0; f < span_families && plan.in_place; ++f) {
    const identity_span* before = nullptr;  // the last span of this family on a lower rank
    for (const auto& b : blocks) {
      if (b.family_count[f] == 0) continue;
      // A spawn_pairs space is swept whole: on one rank only.
      if (before != nullptr &&
          (f == static_cast<std::size_t>(claims::sweep::span_family::spawn_pairs) ||
           !span_less(*before, b.family_first[f]))) {
        plan.in_place = false;
        break;
      }
      before = &b.family_last[f];
    }
  }
  if (plan.in_place) {
    // The holders after all lower ranks' spans, for this rank: their summaries folded.
    for (std::size_t j = 0; j < static_cast<std::size_t>(rt.mpi_rank()); ++j) {
      for (std::size_t f = 0; f < span_families; ++f) {
        if (blocks[j].family_count[f] != 0) {
          plan.holders_before[f] = combine(plan.holders_before[f], blocks[j].family_summary[f]);
        }
      }
    }
  }
  return plan;
}

span_share exchange_spans(const runtime& rt, const exchange_plan& plan,
                          const std::function<span_share()>& build, std::string_view what,
                          std::size_t round_spans) {
  const auto ranks = static_cast<std::size_t>(rt.size());
  const MPI_Comm comm = rt.comm();
  std::exception_ptr failure;
  span_share built;
  try {
    fault_point(comm, what);
    built = build();
  } catch (...) {
    failure = std::current_exception();
  }
  std::vector<identity_span>& local = built.spans;
  if (ranks == 1) {
    if (failure) agree(rt, failure, what);  // throws, as on any rank count
    return built;
  }
  const std::vector<identity_span>& splitters = plan.splitters;
  // What any rank can receive, at most: all spans (those sampled, and a margin for the spans
  // `build` added since, which are few).
  const std::uint64_t everyone = plan.sampled_spans + plan.sampled_spans / 8 + 1024;

  // Where this rank's sorted spans go: rank k gets [cut[k], cut[k + 1]), the spans after
  // splitter k - 1 up to and including splitter k.
  std::vector<std::size_t> cut(ranks + 1, local.size());
  cut[0] = 0;
  for (std::size_t k = 1; k < ranks; ++k) {
    cut[k] = k - 1 < splitters.size()
                 ? static_cast<std::size_t>(
                       std::upper_bound(local.begin(), local.end(), splitters[k - 1], span_less) -
                       local.begin())
                 : local.size();
  }
  // The counts, or this rank's failure (a count no rank can send), in one all-to-all.
  constexpr std::uint64_t failed = ~std::uint64_t{0};
  std::vector<std::uint64_t> send(ranks);
  for (std::size_t k = 0; k < ranks; ++k) send[k] = failure ? failed : cut[k + 1] - cut[k];
  std::vector<std::uint64_t> receive(ranks);
  check_mpi(MPI_Alltoall(send.data(), 1, MPI_UINT64_T, receive.data(), 1, MPI_UINT64_T, comm),
            "MPI_Alltoall (verify: exchange sizes)");
  if (failure || std::find(receive.begin(), receive.end(), failed) != receive.end()) {
    agree(rt, failure, what);  // every rank throws the same exception
  }
  // This rank's share: its own spans in place (in the common case every rank's spans already
  // lie in its own range — consecutive IDs per rank — and nothing moves), then what the others
  // send, in rank order. Runs received are merged afterwards.
  const auto self = static_cast<std::size_t>(rt.mpi_rank());
  std::vector<std::size_t> at(ranks + 1, 0);  // where rank k's spans go in `incoming`
  for (std::size_t k = 0; k < ranks; ++k) at[k + 1] = at[k] + (k == self ? 0 : receive[k]);
  const auto allocate = [&] { return std::vector<identity_span>(at[ranks]); };
  std::vector<identity_span> incoming = everyone * sizeof(identity_span) > agree_above_bytes
                                            ? agreed(rt, "verify: sizing the exchange", allocate)
                                            : allocate();

  // Point to point, in rounds of at most `round` spans per peer. Each rank runs the rounds its
  // own sends and receives need: a pair's messages are posted in the same order on both sides.
  const byte_block_type span_type(sizeof(identity_span));
  const std::size_t round = std::max<std::size_t>(1, std::min<std::size_t>(round_spans, INT_MAX));
  std::uint64_t most = 0;
  for (std::size_t k = 0; k < ranks; ++k) {
    if (k != self) most = std::max({most, send[k], receive[k]});
  }
  std::vector<MPI_Request> requests;
  for (std::uint64_t skip = 0; skip < most; skip += round) {
    requests.clear();
    for (std::size_t k = 0; k < ranks; ++k) {
      if (k == self) continue;
      const std::uint64_t out = send[k] > skip ? std::min<std::uint64_t>(round, send[k] - skip) : 0;
      const std::uint64_t in =
          receive[k] > skip ? std::min<std::uint64_t>(round, receive[k] - skip) : 0;
      if (in != 0) {
        requests.emplace_back();
        check_mpi(MPI_Irecv(incoming.data() + at[k] + skip, static_cast<int>(in), span_type.get(),
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
  // Nothing moved (ranks hold separate ranges): the build's summary holds.
  const std::size_t own = cut[self + 1] - cut[self];
  if (own == local.size() && incoming.empty() && built.summary) return built;
  // Sent: keep only this rank's own part of `local`, then append what came in.
  if (cut[self] != 0 && own != 0) {
    std::memmove(local.data(), local.data() + cut[self], own * sizeof(identity_span));
  }
  local.resize(own);
  if (!incoming.empty()) {
    local.reserve(own + incoming.size());
    local.insert(local.end(), incoming.begin(), incoming.end());
  }
  std::vector<identity_span>().swap(incoming);
  // At most one sorted run per sender: merged (this does not throw).
  const claims::sweep::sweep_holder summary = claims::sweep::sort_and_summarize(local);
  return {std::move(local), summary};
}

claims::sweep::sweep_holder holder_before(const runtime& rt, const sweep_holder& summary) {
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

std::vector<char> allgather_bytes(const runtime& rt, const std::function<std::vector<char>()>& step,
                                  std::string_view what, std::size_t round_bytes) {
  const MPI_Comm comm = rt.comm();
  const auto ranks = static_cast<std::size_t>(rt.size());
  std::exception_ptr failure;
  std::vector<char> mine;
  try {
    fault_point(comm, what);
    mine = step();
  } catch (...) {
    failure = std::current_exception();
  }
  // The sizes, or the failure, of every rank.
  constexpr std::uint64_t failed = ~std::uint64_t{0};
  const std::uint64_t size = failure ? failed : mine.size();
  std::vector<std::uint64_t> sizes(ranks);
  check_mpi(MPI_Allgather(&size, 1, MPI_UINT64_T, sizes.data(), 1, MPI_UINT64_T, comm),
            "MPI_Allgather (verify: sizes)");
  if (std::find(sizes.begin(), sizes.end(), failed) != sizes.end()) agree(rt, failure, what);
  std::vector<std::size_t> offset(ranks + 1, 0);
  for (std::size_t k = 0; k < ranks; ++k) offset[k + 1] = offset[k] + sizes[k];
  if (offset[ranks] == 0) return {};
  // Each round, each rank contributes at most `chunk` bytes: the round's total and every
  // displacement stay below 2^30, whatever the rank count.
  const std::size_t chunk =
      std::max<std::size_t>(1, std::min(round_bytes, (std::size_t{1} << 30) / ranks));
  const std::uint64_t longest = *std::max_element(sizes.begin(), sizes.end());
  std::size_t first_round = 0;  // the largest round: the first
  for (const auto n : sizes) first_round += std::min<std::uint64_t>(chunk, n);
  const auto allocate = [&] {
    return std::make_pair(std::vector<char>(offset[ranks]), std::vector<char>(first_round));
  };
  auto buffers = offset[ranks] > agree_above_bytes ? agreed(rt, "verify: sizing a gather", allocate)
                                                   : allocate();
  std::vector<char>& all = buffers.first;
  std::vector<char>& round_buffer = buffers.second;
  std::vector<int> counts(ranks);
  std::vector<int> displs(ranks);
  const auto me = static_cast<std::size_t>(rt.mpi_rank());
  for (std::uint64_t skip = 0; skip < longest; skip += chunk) {
    int total = 0;
    for (std::size_t k = 0; k < ranks; ++k) {
      counts[k] =
          static_cast<int>(sizes[k] > skip ? std::min<std::uint64_t>(chunk, sizes[k] - skip) : 0);
      displs[k] = total;
      total += counts[k];
    }
    check_mpi(
        MPI_Allgatherv(mine.data() + std::min<std::uint64_t>(skip, mine.size()), counts[me],
                       MPI_BYTE, round_buffer.data(), counts.data(), displs.data(), MPI_BYTE, comm),
        "MPI_Allgatherv (verify: gathering)");
    for (std::size_t k = 0; k < ranks; ++k) {
      if (counts[k] != 0) {
        std::memcpy(all.data() + offset[k] + skip, round_buffer.data() + displs[k],
                    static_cast<std::size_t>(counts[k]));
      }
    }
  }
  return all;
}

}  // namespace streamalloc::mpi::detail
