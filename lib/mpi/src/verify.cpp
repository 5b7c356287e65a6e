// verify(): find_conflicts' identity sweep (claims/identity_sweep.hpp), spread over the
// ranks. A local step's failure travels with the next collective, and every rank then throws
// the same exception (agreement.hpp).
//   1. census   each rank copies its registry (a claim_table) and turns the claims that need
//               nothing from other ranks into spans, numbered rank << 32 | index, sorted as
//               they come; one all-gather shares the totals, the campaign's fingerprint, what
//               other ranks' spans need to know (jumped roots, spawn_pairs spaces) and a
//               sample of the spans (span_exchange.cpp: gather_plan);
//   2. spans    the claims that waited for that (hand-built PCG64 streams, spawn paths);
//   3. exchange range partitioning: every rank gets one stretch of the globally sorted spans,
//               point to point in rounds — or keeps its own when, family by family, the ranks
//               already hold them in rank order (nothing moves);
//   4. sweep    the holder after all lower ranks' spans (MPI_Exscan of their summaries; when
//               nothing moved, per family from the plan's summaries); each rank sweeps its
//               spans from there: together, exactly the sweep of all spans on one process;
//   5. verdict  the candidates, and the claims they name when there are any, are gathered to
//               every rank, which judges them identically (conflict_collector).
#include "streamalloc/mpi/verify.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <utility>

#include "claim_wire.hpp"
#include "src/span_exchange.hpp"
#include "src/verify_hooks.hpp"
#include "streamalloc/claims/claim_table.hpp"
#include "streamalloc/claims/identity_sweep.hpp"
#include "streamalloc/error.hpp"
#include "src/fault_injection.hpp"
#include "streamalloc/mpi/agreement.hpp"

namespace streamalloc::mpi {

namespace {

namespace cd = claims::sweep;
using detail::allgather_bytes;
using detail::census_row;
using detail::default_round_spans;
using detail::exchange_plan;
using detail::exchange_spans;
using detail::gather_plan;
using detail::holder_before;
using detail::span_share;

// A fingerprint of what makes two ranks' campaigns the same: root entropy (as NumPy coerces
// it, plus its form), strategy, pool size and job layout.
std::uint64_t fingerprint(const campaign& c) {
  std::uint64_t h =
      cd::mix64(std::uint64_t{0x9e3779b97f4a7c15} ^ static_cast<std::uint64_t>(c.how()));
  h = cd::mix64(h ^ c.pool_size());
  h = cd::mix64(h ^ (c.root().is_list() ? 1U : 0U) ^ (static_cast<std::uint64_t>(c.jobs()) << 1));
  for (const auto word : c.root().words()) h = cd::mix64(h ^ word);
  return h;
}

std::uint64_t ref_of(int rank, std::size_t index) {
  return (static_cast<std::uint64_t>(rank) << 32) | index;
}

// Step 1, locally: this rank's claims and what its spans need to know.
struct local_claims {
  claims::claim_table table;
  cd::span_census census;
  std::vector<std::size_t> deferred;  // claims whose spans need the census of all ranks
  cd::span_collector spans;
  std::vector<cd::candidate> found;  // over budget
};

local_claims read_claims(const runtime& rt, const campaign& origin,
                         const claims::claim_registry& registry, cd::span_builder& builder) {
  local_claims out;
  out.table = registry.table();
  if (out.table.size() > 0xffffffffULL) {
    throw invalid_argument("verify: rank " + std::to_string(rt.mpi_rank()) + " holds " +
                           std::to_string(out.table.size()) +
                           " claim records, expected at most 2^32 - 1 (they are numbered in "
                           "32 bits)");
  }
  // (The registry validated every claim when it was added.)
  cd::scan_table(out.table, origin, ref_of(rt.mpi_rank(), 0), builder, out.census, out.spans,
                 out.deferred, out.found);
  return out;
}

// Step 5: the claims the candidates name, from their owners, to every rank.
std::unordered_map<std::uint64_t, claims::claim> gather_named(const runtime& rt,
                                                              const claims::claim_table& table,
                                                              const std::vector<cd::candidate>& all,
                                                              std::size_t round_bytes) {
  const std::vector<char> gathered = allgather_bytes(
      rt,
      [&] {
        const auto me = static_cast<std::uint64_t>(rt.mpi_rank());
        std::vector<std::uint64_t> wanted;
        for (const auto& c : all) {
          for (const std::uint64_t ref : {c.first, c.second}) {
            if ((ref >> 32) == me) wanted.push_back(ref);
          }
        }
        std::sort(wanted.begin(), wanted.end());
        wanted.erase(std::unique(wanted.begin(), wanted.end()), wanted.end());
        std::vector<char> mine;
        streamalloc::detail::wire_writer out(mine);
        for (const std::uint64_t ref : wanted) {
          out.put(ref);
          out.put_claim(table[static_cast<std::size_t>(ref & 0xffffffffULL)]);
        }
        return mine;
      },
      "verify: gathering the conflicting claims", round_bytes);
  std::unordered_map<std::uint64_t, claims::claim> named;
  streamalloc::detail::wire_reader in(gathered.data(), gathered.size());
  while (!in.done()) {
    const auto ref = in.get<std::uint64_t>();
    named.emplace(ref, in.get_claim());
  }
  return named;
}

template <class T>
std::vector<char> bytes_of(const std::vector<T>& values) {
  const auto* begin = reinterpret_cast<const char*>(values.data());
  return std::vector<char>(begin, begin + values.size() * sizeof(T));
}

template <class T>
std::vector<T> values_of(const std::vector<char>& bytes) {
  std::vector<T> out(bytes.size() / sizeof(T));
  if (!out.empty()) std::memcpy(out.data(), bytes.data(), out.size() * sizeof(T));
  return out;
}

}  // namespace

verdict verify(const runtime& rt, const claims::claim_registry& registry) {
  return detail::verify(rt, registry, detail::verify_hooks{});
}

verdict detail::verify(const runtime& rt, const claims::claim_registry& registry,
                       const verify_hooks& hooks) {
  verdict result;
  result.ranks = rt.size();
  result.origin = std::make_shared<const campaign>(registry.origin());
  const campaign& origin = *result.origin;
  const std::size_t round_spans = hooks.round_spans != 0 ? hooks.round_spans : default_round_spans;
  const std::size_t round_bytes =
      hooks.round_spans != 0 ? hooks.round_spans : (std::size_t{1} << 28);

  // 1. Census and samples. The local read's outcome travels with the totals, in one all-gather
  // of a few words per rank (failure, records, streams, the campaign's fingerprint, whether the
  // rank holds jumped claims or long two-word spawn runs) and a sample of its spans so far.
  cd::span_builder builder;
  std::exception_ptr failure;
  local_claims local;
  span_share spans;
  try {
    detail::fault_point(rt.comm(), "verify: reading the claims");
    local = read_claims(rt, origin, registry, builder);
    spans.spans = local.spans.sorted(&spans.summary, &spans.family_summaries);
  } catch (...) {
    failure = std::current_exception();
  }
  const census_row mine = {failure ? 1U : 0U,
                           local.table.size(),
                           local.table.streams(),
                           fingerprint(origin),
                           local.census.jumped_roots.empty() ? 0U : 1U,
                           local.census.pair_spaces.empty() ? 0U : 1U,
                           local.deferred.size(),
                           0};
  const exchange_plan plan = gather_plan(rt, mine, spans);
  census_row sums{};
  bool one_campaign = true;
  for (const auto& rank : plan.words) {
    for (std::size_t i = 0; i < sums.size(); ++i) sums[i] += rank[i];
    one_campaign = one_campaign && rank[3] == mine[3];
  }
  if (sums[0] != 0) agree(rt, failure, "verify: reading the claims");
  if (!one_campaign) {  // every rank sees every fingerprint: all throw
    throw invalid_argument(
        "verify: the ranks' claim registries belong to different campaigns "
        "(root seed, strategy, pool size or job layout differ)");
  }
  result.claims = sums[1];
  result.streams = sums[2];
  cd::span_census census;
  if (sums[4] != 0) {  // some rank holds jump indices: hand-built PCG64 streams probe the root
    const pcg64& root = origin.jumped_root();
    census.jumped_roots.emplace_back(root.lcg_increment(),
                                     pcg64_cycle_offset(root.lcg_state(), root.lcg_increment()));
  }
  if (sums[5] != 0) {  // some rank holds long two-word spawn runs: every rank learns their spaces
    census.pair_spaces = values_of<cd::space_id>(allgather_bytes(
        rt,
        [&] {
          local.census.finish();
          return bytes_of(local.census.pair_spaces);
        },
        "verify: the spawn_pairs spaces", round_bytes));
  }

  // 2. The spans that waited for the census, 3. the exchange — unless, family by family, the
  // ranks already hold their spans in rank order and none waited (then nothing moves, and the
  // plan's per-family summaries give the holders before each rank: no exchange, no MPI_Exscan).
  const bool in_place = rt.size() > 1 && plan.in_place && sums[6] == 0;
  if (hooks.exchanged != nullptr) *hooks.exchanged = rt.size() > 1 && !in_place;
  const span_share share =
      in_place ? std::move(spans)
               : exchange_spans(
                     rt, plan,
                     [&] {
                       if (local.deferred.empty()) return std::move(spans);
                       builder.use(std::move(census));
                       std::vector<cd::identity_span> scratch;
                       for (const std::size_t i : local.deferred) {
                         builder.add(origin, local.table[i], ref_of(rt.mpi_rank(), i), scratch);
                         local.spans.take(scratch);
                       }
                       std::vector<cd::identity_span> late = local.spans.sorted();
                       span_share all;
                       all.spans = std::move(spans.spans);
                       all.spans.insert(all.spans.end(), late.begin(), late.end());
                       cd::sort_spans(all.spans);  // two sorted runs: merged
                       return all;
                     },
                     "verify: building the spans", round_spans);

  // 4. Sweep, from the holder of all lower ranks' spans (in place: family by family, from the
  // holder of the lower ranks' spans of each family).
  const cd::sweep_holder carried =
      rt.size() == 1 || in_place ? cd::sweep_holder{} : holder_before(rt, *share.summary);
  const std::vector<cd::candidate> all = values_of<cd::candidate>(allgather_bytes(
      rt,
      [&] {
        if (hooks.fail_on_rank == rt.mpi_rank()) {
          throw std::runtime_error(
              "verify: failure injected on this rank for testing "
              "(verify_hooks::fail_on_rank)");
        }
        if (in_place) {
          for (std::size_t f = 0; f < detail::span_families; ++f) {
            cd::sweep_holder holder = plan.holders_before[f];
            cd::sweep(detail::family_spans(share.spans, f), holder, local.found);
          }
        } else {
          cd::sweep_holder holder = carried;
          cd::sweep(share.spans, holder, local.found);
        }
        return bytes_of(local.found);
      },
      "verify: finding conflicts", round_bytes));

  // 5. Verdict: every rank judges every candidate, in the same order, from the same claims.
  if (all.empty()) return result;  // (known to every rank alike)
  const auto named = gather_named(rt, local.table, all, round_bytes);
  result.conflicts = agreed(rt, "verify: judging the candidates", [&] {
    cd::conflict_collector collector;
    for (const auto& c : all) {
      // No source: describe() already names the owner rank; "from <manifest>" is for audits.
      const claims::sourced_claim first{&origin, named.at(c.first), std::string()};
      const claims::sourced_claim second{&origin, named.at(c.second), std::string()};
      collector.add(c, first, second);
    }
    return collector.take();
  });
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
