// scan_table: verify()'s first pass over a rank's claims, straight from the claim table's
// records. A run of stream IDs or jump indices is 24 bytes there and one span here, with no
// claim object in between: this pass and the sweep are most of what verify() costs per claim.
#include <algorithm>

#include "src/checks/checker.hpp"
#include "src/registry/registry_state.hpp"

namespace streamalloc::claims::sweep {
namespace {

using detail::claim_meta;
using detail::run_record;

std::uint64_t blocks_of(uint128 budget) {
  const uint128 b = budget == unlimited_budget ? implicit_budget : budget;
  return static_cast<std::uint64_t>(b / 4 + ((b % 4) != 0 ? 1 : 0));
}

bool over(const claim_meta& m) {
  return m.used > (m.budget == unlimited_budget ? implicit_budget : m.budget);
}

}  // namespace

void scan_table(const claim_table& table, const campaign& origin, std::uint64_t ref_base,
                span_builder& builder, span_census& census, span_collector& spans,
                std::vector<std::size_t>& deferred, std::vector<candidate>& found) {
  const claim_table::data& d = table.internals();
  const campaign_facts facts = facts_of(origin);
  const span_census none;  // a campaign root's span needs no spawn_pairs copy (see verify.cpp)
  const auto over_budget_family = static_cast<std::uint64_t>(span_family::over_budget);
  constexpr std::uint64_t key_family =
      std::uint64_t{static_cast<std::uint8_t>(span_family::philox_keys)} << 56;
  std::vector<identity_span> scratch;

  // Most spans go to one family: room for them up front.
  std::size_t ids = 0;
  std::size_t jumps = 0;
  for (std::size_t s = 0; s < d.spaces.size(); ++s) {
    const std::size_t end = s + 1 < d.spaces.size() ? d.spaces[s + 1].begin : d.runs.size();
    (d.spaces[s].kind == claim_kind::jump_index ? jumps : ids) += end - d.spaces[s].begin;
  }
  spans.reserve(jumps > ids ? span_family::jump_counts : span_family::philox_keys,
                std::max(ids, jumps));

  for (std::size_t s = 0; s < d.spaces.size(); ++s) {
    const claim_table::data::space& space = d.spaces[s];
    const std::size_t end = s + 1 < d.spaces.size() ? d.spaces[s + 1].begin : d.runs.size();
    const job_index job(space.job);
    // One claim per namespace, updated record by record, for the rarer paths.
    claim c;
    c.kind = space.kind;
    c.job = job;
    c.prefix = space.prefix;
    c.owner = d.owner;
    if (space.kind == claim_kind::jump_index) {
      census.jumped_roots.emplace_back(facts.root_increment, facts.root_offset);
    }
    for (std::size_t i = space.begin; i < end; ++i) {
      const run_record& r = d.runs[i];
      const claim_meta& meta = d.metas[r.meta];
      const std::uint64_t ref = ref_base | i;
      if (over(meta)) found.push_back({ref, ref, over_budget_family});
      switch (space.kind) {
        case claim_kind::philox_id: {
          // key_spans(), inline: one span unless the keys carry into the next high half.
          const uint128 k0 = origin.philox_key(job, stream_id(r.first));
          const uint128 k1 = k0 + (r.count - 1);
          if (high64(k0) == high64(k1) && low64(k0) <= low64(k1)) {
            spans.add(span_family::philox_keys, key_family, high64(k0), low64(k0), low64(k1),
                      blocks_of(meta.budget), ref);
          } else {
            key_spans(k0, r.count - 1, blocks_of(meta.budget), ref, scratch);
          }
          break;
        }
        case claim_kind::jump_index: {
          c.first = r.first;
          c.count = r.count;
          jump_span(facts, checked_jump_count(origin, c, r.first),
                    checked_jump_count(origin, c, r.last()), ref, scratch);
          break;
        }
        default:  // spawn paths wait for the census of all ranks (spawn_pairs copies)
          c.first = r.first;
          c.count = r.count;
          builder.tally(origin, c, census);
          deferred.push_back(i);
          continue;
      }
      if (r.first == 0) {  // may hold the campaign's root stream
        c.first = r.first;
        c.count = r.count;
        spawn_spans(facts, origin, c, ref, none, scratch);
      }
      spans.take(scratch);
    }
  }
  for (std::size_t j = 0; j < d.positions.size(); ++j) {
    const claim& p = d.positions[j];
    const std::size_t i = d.runs.size() + j;
    const std::uint64_t ref = ref_base | i;
    if (over_budget(p)) found.push_back({ref, ref, over_budget_family});
    if (p.kind == claim_kind::pcg64_position) {  // probes jumped roots: waits for the census
      deferred.push_back(i);
      continue;
    }
    builder.add(origin, p, ref, scratch);
    spans.take(scratch);
  }
}

}  // namespace streamalloc::claims::sweep
