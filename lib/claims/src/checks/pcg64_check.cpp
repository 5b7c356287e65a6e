// PCG64 identities: every stream on one increment lies on one 2^128-step cycle, at a position
// counted from LCG state 0 (pcg64_cycle_offset), and its draws are the budget_of() steps from
// there. Two families:
//   jump_counts   jumped runs, by jump count, per root: jumped streams of one root are more
//                 than 2^65 draws apart (counts below 2^62: jumped_min_spacing), and budgets are
//                 at most 2^64, so they meet only by sharing a count, and a run is one span.
//                 A hand-built stream on the root's cycle probes the one count whose stream
//                 can reach it or be reached by it (first_jump_in_window: O(log 2^128), not one
//                 test per jumped stream).
//   pcg64_cycle   hand-built streams, by position, per (increment, position >> 64): arcs of at
//                 most 2^64 steps, so one or two spans each.
// Jumped streams of two campaigns whose roots differ but share an increment (odds 2^-127) are
// not compared with each other.
#include <algorithm>

#include "src/checks/checker.hpp"
#include "streamalloc/stream_geometry.hpp"

namespace streamalloc::claims::sweep {
namespace {

constexpr std::uint64_t u64_max = ~std::uint64_t{0};
// Jump counts the checks can prove apart (campaign.hpp: separated jobs stay below it).
constexpr std::uint64_t max_jump_count = std::uint64_t{1} << 62;

space_id cycle_space(uint128 increment, std::uint64_t position_high) noexcept {
  fingerprint fp;
  fp.add(increment);
  fp.add(position_high);
  return fp.space(span_family::pcg64_cycle);
}

uint128 position_of(const claim& c) noexcept { return pcg64_cycle_offset(c.position, c.sequence); }

// The jump count whose jumped stream of the root at `origin` can share a step with the stream
// at `position` drawing `extent` steps: its start lies within (position - 2^64, position +
// extent), a window under the 2^65 spacing of counts below 2^62, so at most one count does.
std::optional<std::uint64_t> meeting_count(uint128 origin, uint128 position, uint128 extent) {
  const uint128 before = max_budget - 1;  // the longest a jumped stream can reach back
  const uint128 window = position - before;
  const uint128 count = streamalloc::detail::first_multiple_in_window_2_128(
      pcg_jump_step, origin - window, before + extent);
  if (count >= max_jump_count) return std::nullopt;
  return static_cast<std::uint64_t>(count);
}

// A PCG64 stream as the judge sees it: where it starts and how far it reaches.
struct arc {
  uint128 start;
  uint128 length;
  std::string name;
  const claim* owner;
};

std::optional<judgement> judge_arcs(const sourced_claim& a, const sourced_claim& b, const arc& x,
                                    const arc& y, uint128 increment) {
  const std::string both = x.name + " and " + y.name;
  if (x.start == y.start) {
    return judgement{conflict_kind::same_identity,
                     both + " are the same PCG64 stream (increment " + hex(increment) + ", " +
                         dec(x.start) + " steps from state 0)" + campaigns_note(a, b)};
  }
  const bool x_first = y.start - x.start < x.length;
  if (!x_first && x.start - y.start >= y.length) return std::nullopt;
  const arc& early = x_first ? x : y;
  const arc& late = x_first ? y : x;
  return judgement{conflict_kind::overlap, late.name + " starts " + dec(late.start - early.start) +
                                               " draws after " + early.name +
                                               " on PCG64 sequence (increment " + hex(increment) +
                                               "), within " + budget_text(*early.owner)};
}

std::optional<judgement> judge_jumps(const sourced_claim& a, const sourced_claim& b) {
  const bool a_jumped = a.what.kind == claim_kind::jump_index;
  const bool b_jumped = b.what.kind == claim_kind::jump_index;
  if (a_jumped && b_jumped) {
    const campaign_facts fa = facts_of(*a.origin);
    const campaign_facts fb = facts_of(*b.origin);
    if (fa.root_increment != fb.root_increment || fa.root_offset != fb.root_offset) {
      return std::nullopt;  // a fingerprint collision
    }
    const std::uint64_t a0 = checked_jump_count(*a.origin, a.what, a.what.first);
    const std::uint64_t a1 = checked_jump_count(*a.origin, a.what, a.what.last());
    const std::uint64_t b0 = checked_jump_count(*b.origin, b.what, b.what.first);
    const std::uint64_t b1 = checked_jump_count(*b.origin, b.what, b.what.last());
    const std::uint64_t common = std::max(a0, b0);
    if (common > std::min(a1, b1)) return std::nullopt;
    const std::uint64_t index_a = a.what.first + (common - a0);
    if (same_campaign(a, b)) {
      const bool single = a.what.count == 1 && b.what.count == 1;
      return judgement{conflict_kind::same_descriptor,
                       single ? "taken twice" : describe_stream(a.what, index_a) + " taken twice"};
    }
    return judgement{conflict_kind::same_identity,
                     describe_stream(a.what, index_a) +
                         " of both campaigns is the same PCG64 stream (their root generators "
                         "are identical)" +
                         campaigns_note(a, b)};
  }
  if (a_jumped == b_jumped) return std::nullopt;
  // A jumped run and a hand-built stream that probed it.
  const sourced_claim& run = a_jumped ? a : b;
  const sourced_claim& hand = a_jumped ? b : a;
  const campaign_facts f = facts_of(*run.origin);
  if (f.root_increment != hand.what.sequence) return std::nullopt;
  const uint128 position = position_of(hand.what);
  const auto count = meeting_count(f.root_offset, position, budget_of(hand.what));
  if (!count) return std::nullopt;
  const std::uint64_t c0 = checked_jump_count(*run.origin, run.what, run.what.first);
  const std::uint64_t c1 = checked_jump_count(*run.origin, run.what, run.what.last());
  if (*count < c0 || *count > c1) return std::nullopt;
  const arc jumped{f.root_offset + uint128{*count} * pcg_jump_step, budget_of(run.what),
                   describe_stream(run.what, run.what.first + (*count - c0)), &run.what};
  const arc built{position, budget_of(hand.what), describe_stream(hand.what, 0), &hand.what};
  return a_jumped ? judge_arcs(a, b, jumped, built, f.root_increment)
                  : judge_arcs(a, b, built, jumped, f.root_increment);
}

std::optional<judgement> judge_cycle(const sourced_claim& a, const sourced_claim& b) {
  if (a.what.sequence != b.what.sequence) return std::nullopt;  // a fingerprint collision
  const arc x{position_of(a.what), budget_of(a.what), describe_stream(a.what, 0), &a.what};
  const arc y{position_of(b.what), budget_of(b.what), describe_stream(b.what, 0), &b.what};
  return judge_arcs(a, b, x, y, a.what.sequence);
}

}  // namespace

std::uint64_t checked_jump_count(const campaign& origin, const claim& c, std::uint64_t index) {
  const std::uint64_t count = jump_count_of(origin, c, index);
  if (count >= max_jump_count) {
    throw invalid_argument(describe_stream(c, index) + " (jump count " + std::to_string(count) +
                           ") is at or above 2^62 jumps, where jumped streams are no longer "
                           "provably 2^65 draws apart; expected a jump count below 2^62 (every "
                           "job region of the separated layout is)");
  }
  return count;
}

void jump_span(const campaign_facts& facts, std::uint64_t c0, std::uint64_t c1, std::uint64_t ref,
               std::vector<identity_span>& out) {
  out.push_back(make_span(facts.jump_space, c0, c1, 0, ref));
}

void pcg64_spans(const campaign_facts& facts, const campaign& origin, const claim& c,
                 std::uint64_t ref, const span_census& census, std::vector<identity_span>& out) {
  if (c.kind == claim_kind::jump_index) {
    jump_span(facts, checked_jump_count(origin, c, c.first),
              checked_jump_count(origin, c, c.last()), ref, out);
    return;
  }
  // A hand-built stream: its arc, in one or two pieces of 2^64 positions ...
  const uint128 start = position_of(c);
  const uint128 extent = budget_of(c);
  const uint128 end = start + (extent - 1);
  if (high64(start) == high64(end) && low64(start) <= low64(end)) {
    out.push_back(
        make_span(cycle_space(c.sequence, high64(start)), low64(start), low64(end), 0, ref));
  } else {
    out.push_back(make_span(cycle_space(c.sequence, high64(start)), low64(start), u64_max, 0, ref));
    out.push_back(make_span(cycle_space(c.sequence, high64(end)), 0, low64(end), 0, ref));
  }
  // ... and a probe of the one jump count that can meet it, on each root with jumped claims
  // sharing its cycle.
  const auto& roots = census.jumped_roots;
  for (auto it =
           std::lower_bound(roots.begin(), roots.end(), std::pair<uint128, uint128>{c.sequence, 0});
       it != roots.end() && it->first == c.sequence; ++it) {
    if (const auto count = meeting_count(it->second, start, extent)) {
      out.push_back(
          make_span(jumped_root_space(it->first, it->second), *count, *count, probe_bit, ref));
    }
  }
}

std::optional<judgement> judge_pcg64(span_family family, const sourced_claim& a,
                                     const sourced_claim& b) {
  return family == span_family::jump_counts ? judge_jumps(a, b) : judge_cycle(a, b);
}

}  // namespace streamalloc::claims::sweep
