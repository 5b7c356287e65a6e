// verify(): find_conflicts' identity sweep (claims/detail/identity_sweep.hpp), spread over the
// ranks. Each step that can fail locally is agreed on (agreement.hpp) before the next
// collective.
//   1. census   each rank copies its registry (a claim_table) and tallies what every rank's
//               spans need to know (campaign, totals, jumped roots, spawn_pairs spaces);
//   2. spans    each rank turns its claims into spans, numbered rank << 32 | index, and sorts
//               them (runs: a few merges);
//   3. exchange range partitioning: every rank gets one stretch of the globally sorted spans
//               (span_exchange.cpp), sent in rounds;
//   4. sweep    MPI_Exscan of the holders gives each rank the holder after all lower ranks'
//               spans; each rank sweeps its stretch from there: together, exactly the sweep
//               of all spans on one process;
//   5. verdict  the candidates and the claims they name are gathered to every rank, which
//               judges them identically (conflict_collector).
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
#include "streamalloc/claims/detail/identity_sweep.hpp"
#include "streamalloc/error.hpp"
#include "streamalloc/mpi/agreement.hpp"

namespace streamalloc::mpi {

namespace {

namespace cd = claims::detail;
using detail::allgather_bytes;
using detail::default_round_spans;
using detail::holder_before;
using detail::partition_spans;
using detail::sort_spans;

// A fingerprint of what makes two ranks' campaigns the same: root entropy (as NumPy coerces
// it, plus its form), strategy, pool size and job layout.
std::uint64_t fingerprint(const campaign& c) {
  std::uint64_t h = cd::mix64(std::uint64_t{0x9e3779b97f4a7c15} ^ static_cast<std::uint64_t>(c.how()));
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
  std::vector<cd::identity_span> spans;
  std::vector<cd::candidate> found;   // over budget
};

// Claims whose spans do not depend on other ranks' claims get them at once; the others wait
// for the census (hand-built PCG64 streams probe jumped roots, spawn paths and campaign roots
// may need spawn_pairs copies).
bool needs_census(const claims::claim& c) {
  return c.kind == claims::claim_kind::pcg64_position || c.kind == claims::claim_kind::spawn_path ||
         (c.first == 0 && (c.kind == claims::claim_kind::philox_id ||
                           c.kind == claims::claim_kind::jump_index));
}

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
  out.spans.reserve(out.table.size() + 8);
  std::size_t index = 0;
  const int rank = rt.mpi_rank();
  out.table.for_each(
      [&](const claims::claim& c) {
        claims::validate(c);  // a corrupt registry entry fails here, on its own rank
        builder.tally(origin, c, out.census);
        if (cd::over_budget(c)) {
          out.found.push_back({ref_of(rank, index), ref_of(rank, index),
                               static_cast<std::uint64_t>(cd::span_family::over_budget)});
        }
        if (needs_census(c)) {
          out.deferred.push_back(index);
        } else {
          builder.add(origin, c, ref_of(rank, index), out.spans);
        }
        ++index;
      },
      /*tasks=*/false);
  return out;
}

// Step 5: the claims the candidates name, from their owners, to every rank.
std::unordered_map<std::uint64_t, claims::claim> gather_named(
    const runtime& rt, const claims::claim_table& table, const std::vector<cd::candidate>& all,
    std::size_t round_bytes) {
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
  {
    streamalloc::detail::wire_writer out(mine);
    for (const std::uint64_t ref : wanted) {
      out.put(ref);
      out.put_claim(table[static_cast<std::size_t>(ref & 0xffffffffULL)]);
    }
  }
  const std::vector<char> gathered = allgather_bytes(rt, mine, round_bytes);
  std::unordered_map<std::uint64_t, claims::claim> named;
  streamalloc::detail::wire_reader in(gathered.data(), gathered.size());
  while (!in.done()) {
    const auto ref = in.get<std::uint64_t>();
    named.emplace(ref, in.get_claim());
  }
  return named;
}

}  // namespace

verdict verify(const runtime& rt, const claims::claim_registry& registry) {
  return detail::verify(rt, registry, detail::verify_hooks{});
}

verdict detail::verify(const runtime& rt, const claims::claim_registry& registry,
                       const verify_hooks& hooks) {
  const MPI_Comm comm = rt.comm();
  verdict result;
  result.ranks = rt.size();
  result.origin = std::make_shared<const campaign>(registry.origin());
  const campaign& origin = *result.origin;
  const std::size_t round_spans = hooks.round_spans != 0 ? hooks.round_spans : default_round_spans;
  const std::size_t round_bytes =
      hooks.round_spans != 0 ? hooks.round_spans : (std::size_t{1} << 28);

  // 1. Census.
  cd::span_builder builder;
  local_claims local = agreed(rt, "verify: reading the claims",
                              [&] { return read_claims(rt, origin, registry, builder); });
  // One all-reduce: campaign agreement (MIN of the fingerprint and of its complement), whether
  // any rank holds jumped claims or long two-word spawn runs (MIN of complements), and the totals.
  const std::uint64_t print = fingerprint(origin);
  std::array<std::uint64_t, 4> mins = {print, ~print, local.census.jumped_roots.empty() ? 1U : 0U,
                                       local.census.pair_spaces.empty() ? 1U : 0U};
  check_mpi(MPI_Allreduce(MPI_IN_PLACE, mins.data(), 4, MPI_UINT64_T, MPI_MIN, comm),
            "MPI_Allreduce (verify: campaign, census)");
  if (mins[0] != ~mins[1]) {
    throw invalid_argument("verify: the ranks' claim registries belong to different campaigns "
                           "(root seed, strategy, pool size or job layout differ)");
  }
  std::array<std::uint64_t, 2> totals = {local.table.size(), local.table.streams()};
  check_mpi(MPI_Allreduce(MPI_IN_PLACE, totals.data(), 2, MPI_UINT64_T, MPI_SUM, comm),
            "MPI_Allreduce (verify: claim totals)");
  result.claims = totals[0];
  result.streams = totals[1];
  cd::span_census census;
  if (mins[2] == 0) {  // some rank holds jump indices: hand-built PCG64 streams probe the root
    const pcg64& root = origin.jumped_root();
    census.jumped_roots.emplace_back(root.lcg_increment(),
                                     pcg64_cycle_offset(root.lcg_state(), root.lcg_increment()));
  }
  if (mins[3] == 0) {  // some rank holds long two-word spawn runs: every rank learns their spaces
    local.census.finish();
    const auto& spaces = local.census.pair_spaces;
    const std::vector<char> bytes(reinterpret_cast<const char*>(spaces.data()),
                                  reinterpret_cast<const char*>(spaces.data() + spaces.size()));
    const std::vector<char> all = allgather_bytes(rt, bytes, round_bytes);
    census.pair_spaces.resize(all.size() / sizeof(cd::space_id));
    if (!all.empty()) std::memcpy(census.pair_spaces.data(), all.data(), all.size());
  }

  // 2. Spans.
  agreed(rt, "verify: building the spans", [&] {
    builder.use(std::move(census));
    for (const std::size_t i : local.deferred) {
      builder.add(origin, local.table[i], ref_of(rt.mpi_rank(), i), local.spans);
    }
    sort_spans(local.spans);
  });

  // 3. Exchange, 4. sweep.
  const std::vector<cd::identity_span> share =
      partition_spans(rt, std::move(local.spans), round_spans);
  const cd::sweep_holder carried = holder_before(rt, cd::summarize(share));
  agreed(rt, "verify: finding conflicts", [&] {
    if (hooks.fail_on_rank == rt.mpi_rank()) {
      throw std::runtime_error("verify: failure injected on this rank for testing "
                               "(verify_hooks::fail_on_rank)");
    }
    cd::sweep_holder holder = carried;
    cd::sweep(share, holder, local.found);
  });

  // 5. Verdict: every rank judges every candidate, in the same order, from the same claims.
  const std::vector<char> mine(reinterpret_cast<const char*>(local.found.data()),
                               reinterpret_cast<const char*>(local.found.data() + local.found.size()));
  const std::vector<char> gathered = allgather_bytes(rt, mine, round_bytes);
  std::vector<cd::candidate> all(gathered.size() / sizeof(cd::candidate));
  if (!all.empty()) std::memcpy(all.data(), gathered.data(), gathered.size());
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
