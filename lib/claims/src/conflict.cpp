// find_conflicts: four independent checks over the claims in one canonical order.
//   descriptors  per (campaign, kind[, job, prefix]): sort ID ranges, sweep for intersections;
//   philox       per (key, counter segment): sort counter intervals, sweep; ID ranges are
//                rectangles (key range x counter blocks [1, end]);
//   pcg64        per increment: jumped ranges by index per root, then draw arcs on the cycle;
//   spawn        per canonical entropy words: ranges of the one varying word, swept.
// Every sweep keeps the interval reaching furthest so far (the "holder") and reports each new
// interval that starts inside it: O(n log n), and no conflicts iff no intersections.
#include "streamalloc/claims/conflict.hpp"

#include <algorithm>
#include <limits>
#include <set>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "streamalloc/big_uint.hpp"
#include "streamalloc/error.hpp"
#include "streamalloc/pcg64.hpp"
#include "streamalloc/stream_geometry.hpp"

namespace streamalloc::claims {
namespace {

constexpr uint128 u128_max = ~uint128{0};
constexpr std::uint64_t word_span = std::uint64_t{1} << 32;

std::string hex(uint128 v) { return big_uint::from_uint128(v).to_hex(); }
std::string dec(uint128 v) { return big_uint::from_uint128(v).to_string(); }

std::string_view headline(conflict_kind kind) {
  switch (kind) {
    case conflict_kind::same_descriptor: return "reuse";
    case conflict_kind::same_identity: return "alias";
    case conflict_kind::overlap: return "overlap";
    case conflict_kind::over_budget: return "over budget";
  }
  return "?";
}

template <class T>
int compare3(const T& a, const T& b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

// A total order on claims (field by field), so that results do not depend on input order.
int compare_claims(const claim& a, const claim& b) {
  if (int c = compare3(a.kind, b.kind)) return c;
  if (int c = compare3(a.first, b.first)) return c;
  if (int c = compare3(a.count, b.count)) return c;
  if (int c = compare3(a.job, b.job)) return c;
  if (int c = compare3(a.prefix, b.prefix)) return c;
  if (int c = compare3(a.sequence, b.sequence)) return c;
  if (int c = compare3(a.position, b.position)) return c;
  if (int c = compare3(a.position_high, b.position_high)) return c;
  if (int c = compare3(a.owner, b.owner)) return c;
  if (int c = compare3(a.task.has_value(), b.task.has_value())) return c;
  if (a.task && b.task) {
    if (int c = compare3(*a.task, *b.task)) return c;
  }
  if (int c = compare3(a.task_lockstep, b.task_lockstep)) return c;
  if (int c = compare3(a.budget, b.budget)) return c;
  return compare3(a.used, b.used);
}

class checker {
 public:
  explicit checker(std::span<const sourced_claim> claims);
  std::vector<conflict> run();

 private:
  // --- shared ---
  const claim& at(std::size_t pos) const { return entries_[pos].sc->what; }
  const campaign& origin(std::size_t pos) const { return *campaigns_[entries_[pos].camp]; }
  bool same_campaign(std::size_t a, std::size_t b) const {
    return entries_[a].camp == entries_[b].camp;
  }
  std::string side(std::size_t pos) const;
  void report(conflict_kind kind, std::size_t a, std::size_t b, const std::string& detail);
  std::string budget_text(std::size_t pos, uint128 effective) const;
  // " (campaigns seeded 0 and [0, 0])" for claims of two campaigns, else "".
  std::string campaigns_note(std::size_t a, std::size_t b) const;

  void check_budgets();
  void check_descriptors();
  void check_philox();
  void check_pcg64();
  void check_spawn();

  struct entry {
    const sourced_claim* sc;
    std::size_t camp;  // index into campaigns_, itself in a canonical order
  };
  std::vector<const campaign*> campaigns_;
  std::vector<entry> entries_;
  std::set<std::tuple<int, std::size_t, std::size_t>> reported_;
  std::vector<conflict> out_;
};

checker::checker(std::span<const sourced_claim> claims) {
  // Distinct campaigns by value (manifests of one campaign carry equal copies), ordered by a
  // key that is equal iff the campaigns are.
  std::vector<const campaign*> seen;
  std::unordered_set<const campaign*> seen_set;
  for (const auto& sc : claims) {
    if (sc.origin == nullptr) {
      throw invalid_argument("find_conflicts: " + sc.what.describe() + " has no campaign");
    }
    validate(sc.what);
    if (seen_set.insert(sc.origin).second) seen.push_back(sc.origin);
  }
  const auto key = [](const campaign* c) {
    return std::make_tuple(c->root().to_string(), c->root().is_list(), c->how(), c->pool_size());
  };
  std::sort(seen.begin(), seen.end(), [&](auto* a, auto* b) { return key(a) < key(b); });
  for (auto* c : seen) {
    if (campaigns_.empty() || !(*campaigns_.back() == *c)) campaigns_.push_back(c);
  }
  // Many claims share one campaign object: resolve each object once.
  std::unordered_map<const campaign*, std::size_t> index_of;
  for (auto* c : seen) {
    const auto it = std::find_if(campaigns_.begin(), campaigns_.end(),
                                 [&](auto* known) { return *known == *c; });
    index_of.emplace(c, static_cast<std::size_t>(it - campaigns_.begin()));
  }
  entries_.reserve(claims.size());
  for (const auto& sc : claims) entries_.push_back({&sc, index_of.at(sc.origin)});
  std::sort(entries_.begin(), entries_.end(), [](const entry& a, const entry& b) {
    if (a.camp != b.camp) return a.camp < b.camp;
    if (int c = compare_claims(a.sc->what, b.sc->what)) return c < 0;
    return a.sc->source < b.sc->source;
  });
}

std::string checker::side(std::size_t pos) const {
  const auto& sc = *entries_[pos].sc;
  return sc.what.describe() + (sc.source.empty() ? "" : " from " + sc.source);
}

void checker::report(conflict_kind kind, std::size_t a, std::size_t b, const std::string& detail) {
  if (b < a) std::swap(a, b);  // sides in canonical order, whatever the geometry
  if (!reported_.emplace(static_cast<int>(kind), std::min(a, b), std::max(a, b)).second) return;
  std::string message = std::string(headline(kind)) + ": " + side(a);
  if (a != b) message += " and " + side(b);
  message += ": " + detail;
  out_.push_back({kind, *entries_[a].sc, *entries_[b].sc, std::move(message)});
}

std::string checker::budget_text(std::size_t pos, uint128 effective) const {
  if (at(pos).budget == unlimited_budget) {
    return "its implicit budget of " + dec(effective) + " draws (no budget given)";
  }
  return "its budget of " + dec(at(pos).budget) + " draws";
}

std::string checker::campaigns_note(std::size_t a, std::size_t b) const {
  if (same_campaign(a, b)) return "";
  const auto& x = origin(std::min(a, b));
  const auto& y = origin(std::max(a, b));
  return " (campaigns seeded " + cut_for_message(x.root().to_string()) + " and " +
         cut_for_message(y.root().to_string()) + ")";
}

std::vector<conflict> checker::run() {
  check_budgets();
  check_descriptors();
  check_philox();
  check_pcg64();
  check_spawn();
  std::sort(out_.begin(), out_.end(),
            [](const conflict& a, const conflict& b) { return a.message < b.message; });
  return std::move(out_);
}

// ------------------------------------------------------------------------------------------
// Budgets and descriptors.

void checker::check_budgets() {
  for (std::size_t pos = 0; pos < entries_.size(); ++pos) {
    const claim& c = at(pos);
    if (c.budget != unlimited_budget && c.used > c.budget) {
      report(conflict_kind::over_budget, pos, pos,
             "used " + dec(c.used) + " draws, over its budget of " + dec(c.budget));
    }
  }
}

void checker::check_descriptors() {
  // Spawn paths start with the job, so they collide only within one (job, prefix); Philox IDs
  // and jump indices likewise within one job when jobs own separate regions, and campaign-wide
  // in the shared layout of old records (two jobs must not share them).
  const auto group = [&](std::size_t pos) {
    const claim& c = at(pos);
    const bool spawn = c.kind == claim_kind::spawn_path;
    const bool per_job = spawn || origin(pos).jobs() == job_layout::separated;
    return std::make_tuple(entries_[pos].camp, c.kind, per_job ? c.job.value() : 0,
                           spawn ? &c.prefix : nullptr);
  };
  const auto same_group = [&](std::size_t a, std::size_t b) {
    const auto ga = group(a);
    const auto gb = group(b);
    if (std::get<0>(ga) != std::get<0>(gb) || std::get<1>(ga) != std::get<1>(gb) ||
        std::get<2>(ga) != std::get<2>(gb)) {
      return false;
    }
    return std::get<3>(ga) == nullptr || *std::get<3>(ga) == *std::get<3>(gb);
  };
  std::vector<std::size_t> ids;
  for (std::size_t pos = 0; pos < entries_.size(); ++pos) {
    const auto kind = at(pos).kind;
    if (kind == claim_kind::philox_id || kind == claim_kind::jump_index ||
        kind == claim_kind::spawn_path) {
      ids.push_back(pos);
    }
  }
  // Canonical order already sorts by (campaign, kind, first, count, job, prefix, ...); the
  // group needs job and prefix before first.
  std::stable_sort(ids.begin(), ids.end(), [&](std::size_t a, std::size_t b) {
    const auto ga = group(a);
    const auto gb = group(b);
    if (std::get<0>(ga) != std::get<0>(gb)) return std::get<0>(ga) < std::get<0>(gb);
    if (std::get<1>(ga) != std::get<1>(gb)) return std::get<1>(ga) < std::get<1>(gb);
    if (std::get<2>(ga) != std::get<2>(gb)) return std::get<2>(ga) < std::get<2>(gb);
    if (std::get<3>(ga) != nullptr && *std::get<3>(ga) != *std::get<3>(gb)) {
      return *std::get<3>(ga) < *std::get<3>(gb);
    }
    return at(a).first < at(b).first;
  });
  std::size_t holder = 0;
  bool have = false;
  for (const std::size_t pos : ids) {
    if (have && !same_group(holder, pos)) have = false;
    if (have && at(pos).first <= at(holder).last()) {
      const bool single = at(pos).count == 1 && at(holder).count == 1;
      report(conflict_kind::same_descriptor, holder, pos,
             single ? "taken twice" : describe_stream(at(pos), at(pos).first) + " taken twice");
    }
    if (!have || at(pos).last() > at(holder).last()) {
      holder = pos;
      have = true;
    }
  }
}

// ------------------------------------------------------------------------------------------
// Philox: identity = (key, 256-bit counter). A stream at counter c uses blocks c + 1 on.

struct philox_point {
  uint128 key;
  uint128 segment;  // counter bits 128..255 of this piece
  uint128 lo, hi;   // counter blocks (bits 0..127), inclusive
  uint128 start_segment, start;
  std::size_t pos;
};

struct philox_span {  // a philox_id range: keys [key_lo, key_hi] x blocks [1, hi] in segment 0
  uint128 key_lo, key_hi, hi;
  std::size_t pos;
};

// Counter blocks a budget of draws needs (>= 1 so that a zero budget still has a start).
uint128 philox_blocks(uint128 budget) {
  const uint128 blocks = budget / 4 + ((budget % 4) != 0 ? 1 : 0);
  return std::max<uint128>(blocks, 1);
}

std::string philox_counter(uint128 segment, uint128 block) {
  return ((big_uint::from_uint128(segment) << 128) + big_uint::from_uint128(block)).to_hex();
}

void checker::check_philox() {
  std::vector<philox_point> points;
  std::vector<philox_span> spans;
  const auto add_points = [&](uint128 key, uint128 high, uint128 low, uint128 budget,
                              std::size_t pos) {
    // The first block is counter + 1 (NumPy increments before computing a block).
    const uint128 start_seg = low == u128_max ? high + 1 : high;
    const uint128 start = low + 1;
    if (budget == unlimited_budget) {
      points.push_back({key, start_seg, start, u128_max, start_seg, start, pos});
      return;
    }
    const uint128 end = start + (philox_blocks(budget) - 1);
    if (end >= start) {
      points.push_back({key, start_seg, start, end, start_seg, start, pos});
    } else {  // crosses into the next 2^128-block segment
      points.push_back({key, start_seg, start, u128_max, start_seg, start, pos});
      points.push_back({key, start_seg + 1, 0, end, start_seg, start, pos});
    }
  };
  for (std::size_t pos = 0; pos < entries_.size(); ++pos) {
    const claim& c = at(pos);
    if (c.kind == claim_kind::philox_position) {
      add_points(c.sequence, c.position_high, c.position, c.budget, pos);
    } else if (c.kind == claim_kind::philox_id) {
      const uint128 k0 = philox_key_of(origin(pos), c, c.first);
      const uint128 k1 = philox_key_of(origin(pos), c, c.last());
      if (c.count == 1) {
        add_points(k0, 0, 0, c.budget, pos);
        continue;
      }
      const uint128 hi = c.budget == unlimited_budget ? u128_max : philox_blocks(c.budget);
      if (k0 <= k1) {
        spans.push_back({k0, k1, hi, pos});
      } else {  // the keys wrap around 2^128
        spans.push_back({k0, u128_max, hi, pos});
        spans.push_back({0, k1, hi, pos});
      }
    }
  }
  const auto id_of = [&](std::size_t pos, uint128 key) {
    return static_cast<std::uint64_t>(key - philox_key_of(origin(pos), at(pos), 0));
  };
  const auto name = [&](std::size_t pos, uint128 key) {
    return describe_stream(at(pos), at(pos).kind == claim_kind::philox_id ? id_of(pos, key) : 0);
  };
  // Two philox_id claims of one campaign on one key are one ID taken twice: reported already.
  const auto same_id = [&](std::size_t a, std::size_t b) {
    return at(a).kind == claim_kind::philox_id && at(b).kind == claim_kind::philox_id &&
           same_campaign(a, b);
  };
  const auto judge = [&](std::size_t ha, uint128 ha_seg, uint128 ha_start, std::size_t b,
                         uint128 b_seg, uint128 b_start, uint128 key, uint128 seg, uint128 block) {
    if (ha == b || same_id(ha, b)) return;
    const std::string both = name(std::min(ha, b), key) + " and " + name(std::max(ha, b), key);
    if (ha_seg == b_seg && ha_start == b_start) {
      report(conflict_kind::same_identity, ha, b,
             both + " are the same stream (Philox key " + hex(key) + ", first counter block " +
                 philox_counter(b_seg, b_start) + ")" + campaigns_note(ha, b));
    } else {
      report(conflict_kind::overlap, ha, b,
             both + " both use counter block " + philox_counter(seg, block) + " of Philox key " +
                 hex(key));
    }
  };

  // Points against points, per (key, segment).
  std::sort(points.begin(), points.end(), [](const philox_point& a, const philox_point& b) {
    return std::tie(a.key, a.segment, a.lo, a.pos) < std::tie(b.key, b.segment, b.lo, b.pos);
  });
  for (std::size_t i = 0, h = 0; i < points.size(); ++i) {
    const auto& p = points[i];
    if (i == 0 || points[h].key != p.key || points[h].segment != p.segment) {
      h = i;
      continue;
    }
    const auto& q = points[h];
    if (p.lo <= q.hi)
      judge(q.pos, q.start_segment, q.start, p.pos, p.start_segment, p.start, p.key, p.segment,
            p.lo);
    if (p.hi > q.hi) h = i;
  }

  // Spans against spans: every span starts at block 1, so sharing a key is sharing a stream.
  std::sort(spans.begin(), spans.end(), [](const philox_span& a, const philox_span& b) {
    return std::tie(a.key_lo, a.pos) < std::tie(b.key_lo, b.pos);
  });
  std::vector<std::size_t> reach(spans.size());  // span reaching furthest among spans[0..i]
  for (std::size_t i = 0; i < spans.size(); ++i) {
    reach[i] = (i == 0 || spans[i].key_hi > spans[reach[i - 1]].key_hi) ? i : reach[i - 1];
    if (i > 0 && spans[i].key_lo <= spans[reach[i - 1]].key_hi) {
      const auto& q = spans[reach[i - 1]];
      judge(q.pos, 0, 1, spans[i].pos, 0, 1, spans[i].key_lo, 0, 1);
    }
  }

  // Points in segment 0 against the span reaching furthest among those starting at or before
  // their key (if any span covers the key, that one does).
  for (const auto& p : points) {
    if (p.segment != 0 || spans.empty()) continue;
    const auto it =
        std::upper_bound(spans.begin(), spans.end(), p.key,
                         [](uint128 key, const philox_span& s) { return key < s.key_lo; });
    if (it == spans.begin()) continue;
    const auto& s = spans[reach[static_cast<std::size_t>(it - spans.begin()) - 1]];
    if (s.key_hi < p.key || p.lo > s.hi) continue;
    judge(s.pos, 0, 1, p.pos, p.start_segment, p.start, p.key, 0, std::max<uint128>(p.lo, 1));
  }
}

// ------------------------------------------------------------------------------------------
// PCG64: identity = (increment, steps from state 0). Draws use [p, p + budget) on the cycle.

struct pcg_root {
  uint128 increment;
  uint128 origin;  // position of jumped(0)
};

pcg_root root_of(const campaign& c) {
  const auto& r = c.jumped_root();
  return {r.lcg_increment(),
          pcg64_cycle_offset(r.lcg_state(), r.lcg_increment())};
}

uint128 pcg_length(const claim& c) { return pcg64_extent(c); }

struct pcg_arc {
  uint128 start, length;
  std::size_t pos;
  std::uint64_t element;  // jump index, for jumped arcs
  bool jumped;
  uint128 root;  // origin of the jumped root, for jumped arcs
};

void checker::check_pcg64() {
  struct jumped_claim {
    pcg_root root;
    std::size_t pos;
    std::uint64_t count0;  // the jump count of the claim's first stream (jump_count_of)
    std::uint64_t count1;  // ... and of its last
  };
  struct position_claim {
    uint128 increment, start;
    std::size_t pos;
  };
  std::vector<pcg_root> roots(campaigns_.size());
  std::vector<bool> root_known(campaigns_.size(), false);
  std::vector<jumped_claim> jumped;
  std::vector<position_claim> positions;
  for (std::size_t pos = 0; pos < entries_.size(); ++pos) {
    const claim& c = at(pos);
    if (c.kind == claim_kind::jump_index) {
      const std::size_t camp = entries_[pos].camp;
      if (!root_known[camp]) {
        roots[camp] = root_of(*campaigns_[camp]);
        root_known[camp] = true;
      }
      jumped.push_back({roots[camp], pos, jump_count_of(origin(pos), c, c.first),
                        jump_count_of(origin(pos), c, c.last())});
    } else if (c.kind == claim_kind::pcg64_position) {
      positions.push_back(
          {c.sequence, pcg64_cycle_offset(c.position, c.sequence), pos});
    }
  }
  std::sort(jumped.begin(), jumped.end(), [&](const jumped_claim& a, const jumped_claim& b) {
    return std::tie(a.root.increment, a.root.origin, a.count0, a.pos) <
           std::tie(b.root.increment, b.root.origin, b.count0, b.pos);
  });
  std::sort(positions.begin(), positions.end(),
            [](const position_claim& a, const position_claim& b) {
              return std::tie(a.increment, a.start, a.pos) < std::tie(b.increment, b.start, b.pos);
            });

  // Equal indices of one root are one stream: across campaigns whose roots coincide (entropy 0
  // vs [0, 0]) this is an alias; within one campaign a reuse, reported already.
  for (std::size_t i = 1, h = 0; i < jumped.size(); ++i) {
    const auto& q = jumped[h];
    const auto& p = jumped[i];
    if (q.root.increment != p.root.increment || q.root.origin != p.root.origin) {
      h = i;
      continue;
    }
    if (p.count0 <= q.count1 && !same_campaign(p.pos, q.pos)) {
      const std::uint64_t index = at(q.pos).first + (p.count0 - q.count0);
      report(conflict_kind::same_identity, q.pos, p.pos,
             describe_stream(at(q.pos), index) +
                 " of both campaigns is the same PCG64 stream "
                 "(their root generators are identical)" +
                 campaigns_note(q.pos, p.pos));
    }
    if (p.count1 > q.count1) h = i;
  }

  // Draw arcs, one increment (one cycle) at a time.
  std::size_t ji = 0;
  std::size_t pi = 0;
  while (ji < jumped.size() || pi < positions.size()) {
    uint128 inc = 0;
    if (ji < jumped.size() &&
        (pi >= positions.size() || jumped[ji].root.increment <= positions[pi].increment)) {
      inc = jumped[ji].root.increment;
    } else {
      inc = positions[pi].increment;
    }
    const std::size_t j0 = ji;
    while (ji < jumped.size() && jumped[ji].root.increment == inc) ++ji;
    const std::size_t p0 = pi;
    while (pi < positions.size() && positions[pi].increment == inc) ++pi;

    // Do the jumped streams need to be looked at one by one?
    bool one_root = true;
    uint128 total = 0;
    uint128 longest = 0;
    std::size_t longest_pos = 0;
    std::uint64_t lowest = std::numeric_limits<std::uint64_t>::max();
    std::uint64_t highest = 0;
    for (std::size_t k = j0; k < ji; ++k) {
      const claim& c = at(jumped[k].pos);
      one_root = one_root && jumped[k].root.origin == jumped[j0].root.origin;
      total += c.count;
      if (pcg_length(c) > longest) {
        longest = pcg_length(c);
        longest_pos = jumped[k].pos;
      }
      lowest = std::min(lowest, jumped[k].count0);
      highest = std::max(highest, jumped[k].count1);
    }
    const bool has_jumped = ji > j0;
    const uint128 spacing = has_jumped ? jumped_min_spacing(highest - lowest) : u128_max;
    // With one root and budgets within the spacing, distinct indices cannot overlap: proven by
    // jumped_min_spacing, whatever the number of streams.
    const bool jumped_safe = one_root && longest <= spacing;
    const bool need_arcs = has_jumped && (!jumped_safe || pi > p0);
    if (need_arcs && total > max_expanded_jump_streams) {
      std::string why;
      std::size_t other = longest_pos;
      if (!one_root) {
        why = "jumped streams of two different roots share this sequence";
        for (std::size_t k = j0; k < ji; ++k) {
          if (jumped[k].root.origin != jumped[j0].root.origin) other = jumped[k].pos;
        }
      } else if (!jumped_safe) {
        why = "a budget of " + dec(longest) + " draws exceeds the " + dec(spacing) +
              " draws between the closest of these jumped streams";
      } else {
        why = "hand-built PCG64 streams lie on the same sequence";
        other = positions[p0].pos;
      }
      report(conflict_kind::overlap, jumped[j0].pos, other,
             "cannot rule out an overlap: " + dec(total) + " jumped streams on PCG64 sequence " +
                 "(increment " + hex(inc) + ") are more than the " +
                 std::to_string(max_expanded_jump_streams) + " checked one by one, and " + why);
    }
    std::vector<pcg_arc> arcs;
    for (std::size_t k = p0; k < pi; ++k) {
      arcs.push_back(
          {positions[k].start, pcg_length(at(positions[k].pos)), positions[k].pos, 0, false, 0});
    }
    if (need_arcs && total <= max_expanded_jump_streams) {
      for (std::size_t k = j0; k < ji; ++k) {
        const claim& c = at(jumped[k].pos);
        const uint128 len = pcg_length(c);
        uint128 start = jumped[k].root.origin + uint128{jumped[k].count0} * pcg_jump_step;
        for (std::uint64_t e = c.first;; ++e) {
          arcs.push_back({start, len, jumped[k].pos, e, true, jumped[k].root.origin});
          if (e == c.last()) break;
          start += pcg_jump_step;
        }
      }
    }
    if (arcs.size() < 2) continue;

    // Arcs that wrap past 2^128 - 1 become two pieces; sweep the pieces in order.
    struct piece {
      uint128 lo, hi;
      std::size_t arc;
    };
    std::vector<piece> pieces;
    pieces.reserve(arcs.size() + 8);
    for (std::size_t a = 0; a < arcs.size(); ++a) {
      const uint128 end = arcs[a].start + (arcs[a].length - 1);
      if (end >= arcs[a].start) {
        pieces.push_back({arcs[a].start, end, a});
      } else {
        pieces.push_back({arcs[a].start, u128_max, a});
        pieces.push_back({0, end, a});
      }
    }
    std::sort(pieces.begin(), pieces.end(), [](const piece& x, const piece& y) {
      return std::tie(x.lo, x.arc) < std::tie(y.lo, y.arc);
    });
    const auto name = [&](const pcg_arc& a) { return describe_stream(at(a.pos), a.element); };
    for (std::size_t i = 1, h = 0; i < pieces.size(); ++i) {
      const piece& q = pieces[h];
      const piece& p = pieces[i];
      if (p.lo <= q.hi && p.arc != q.arc) {
        const pcg_arc& x = arcs[q.arc];
        const pcg_arc& y = arcs[p.arc];
        if (x.start == y.start) {
          // One root, one start: one index, handled by the index sweep above.
          if (!(x.jumped && y.jumped && x.root == y.root)) {
            const bool x_side = std::tie(x.pos, x.element) < std::tie(y.pos, y.element);
            report(conflict_kind::same_identity, x.pos, y.pos,
                   name(x_side ? x : y) + " and " + name(x_side ? y : x) +
                       " are the same PCG64 stream (increment " + hex(inc) + ", " + dec(x.start) +
                       " steps from state 0)" + campaigns_note(x.pos, y.pos));
          }
        } else {
          const uint128 ahead = y.start - x.start;
          const bool x_first = ahead < x.length;
          const pcg_arc& a = x_first ? x : y;
          const pcg_arc& b = x_first ? y : x;
          report(conflict_kind::overlap, x.pos, y.pos,
                 name(b) + " starts " + dec(b.start - a.start) + " draws after " + name(a) +
                     " on PCG64 sequence (increment " + hex(inc) + "), within " +
                     budget_text(a.pos, a.length));
        }
      }
      if (p.hi > q.hi) h = i;
    }
  }
}

// ------------------------------------------------------------------------------------------
// Spawn: identity = the assembled entropy words (and pool size). Each run of streams is a set
// head ++ [v] (v in a range) or, where the last component is >= 2^32 and takes two words,
// head ++ [v, t] (v, t in ranges).

struct word_set {
  std::size_t pool;
  std::vector<std::uint32_t> head;
  std::uint32_t v_lo, v_hi;
  bool two_words;
  std::uint32_t t_lo, t_hi;  // the high word of the component, when two_words
  std::size_t pos;
  bool root;  // a campaign's root SeedSequence (behind philox ID 0 / jump index 0)
};

std::vector<std::uint32_t> padded_root_words(const campaign& c) {
  std::vector<std::uint32_t> words = c.root().words();
  if (words.size() < c.pool_size()) words.resize(c.pool_size(), 0);
  return words;
}

void checker::check_spawn() {
  std::vector<word_set> ones;
  std::vector<word_set> twos;
  for (std::size_t pos = 0; pos < entries_.size(); ++pos) {
    const claim& c = at(pos);
    const campaign& camp = origin(pos);
    // Job 0's stream 0 of either kind is the root SeedSequence's own generator.
    const bool root_stream =
        (c.kind == claim_kind::philox_id && philox_key_of(camp, c, c.first) == camp.philox_root_key()) ||
        (c.kind == claim_kind::jump_index && jump_count_of(camp, c, c.first) == 0);
    if (root_stream) {
      // NumPy mixes short entropy as if zero-padded to the pool size, so padding is canonical.
      auto words = padded_root_words(camp);
      const std::uint32_t last = words.back();
      words.pop_back();
      ones.push_back({camp.pool_size(), std::move(words), last, last, false, 0, 0, pos, true});
    }
    if (c.kind != claim_kind::spawn_path) continue;
    // NumPy pads the root entropy to the pool size when a spawn key follows (gh-16539).
    std::vector<std::uint32_t> head = padded_root_words(camp);
    const auto append = [&](std::uint64_t value) {
      const auto words = numpy_uint32_words(big_uint(value));
      head.insert(head.end(), words.begin(), words.end());
    };
    append(c.job.value());
    for (const auto part : c.prefix) append(part);
    const std::uint64_t first = c.first;
    const std::uint64_t last = c.last();
    if (first < word_span) {  // components below 2^32 are one word (0 too)
      ones.push_back({camp.pool_size(), head, static_cast<std::uint32_t>(first),
                      static_cast<std::uint32_t>(std::min(last, word_span - 1)), false, 0, 0, pos,
                      false});
    }
    if (last < word_span) continue;
    // Components >= 2^32: words [low, high]. Split into a partial first block, full middle
    // blocks and a partial last block of 2^32 values.
    const std::uint64_t from = std::max(first, word_span);
    const auto lo32 = [](std::uint64_t v) { return static_cast<std::uint32_t>(v); };
    const auto hi32 = [](std::uint64_t v) { return static_cast<std::uint32_t>(v >> 32); };
    const auto add_two = [&](std::uint32_t v_lo, std::uint32_t v_hi, std::uint32_t t_lo,
                             std::uint32_t t_hi) {
      twos.push_back({camp.pool_size(), head, v_lo, v_hi, true, t_lo, t_hi, pos, false});
    };
    if (hi32(from) == hi32(last)) {
      add_two(lo32(from), lo32(last), hi32(from), hi32(from));
    } else {
      const std::uint32_t max32 = std::numeric_limits<std::uint32_t>::max();
      std::uint32_t full_lo = hi32(from);
      if (lo32(from) != 0) {
        add_two(lo32(from), max32, hi32(from), hi32(from));
        ++full_lo;
      }
      std::uint32_t full_hi = hi32(last);
      if (lo32(last) != max32) {
        add_two(0, lo32(last), hi32(last), hi32(last));
        --full_hi;
      }
      if (full_lo <= full_hi && full_lo != 0) add_two(0, max32, full_lo, full_hi);
    }
  }

  // The stream of a set with the given words.
  const auto element = [&](const word_set& s, std::uint32_t v, std::uint32_t t) {
    if (s.root) {
      return "the root SeedSequence behind " + describe_stream(at(s.pos), 0);
    }
    const std::uint64_t k = s.two_words ? (std::uint64_t{t} << 32) | v : v;
    return describe_stream(at(s.pos), k);
  };
  const auto judge = [&](const word_set& a, const word_set& b, const std::string& ea,
                         const std::string& eb) {
    if (a.root && b.root) return;  // compared as Philox keys / PCG64 positions instead
    const claim& ca = at(a.pos);
    const claim& cb = at(b.pos);
    if (!a.root && !b.root && same_campaign(a.pos, b.pos) && ca.job == cb.job &&
        ca.prefix == cb.prefix) {
      return;  // the same spawn path: reported as reuse
    }
    const bool a_side = a.pos <= b.pos;
    report(conflict_kind::same_identity, a.pos, b.pos,
           (a_side ? ea : eb) + " and " + (a_side ? eb : ea) +
               " have identical SeedSequence pools (NumPy assembles the same entropy words "
               "from both)" +
               campaigns_note(a.pos, b.pos));
  };
  const auto head_less = [](const word_set& a, const word_set& b) {
    return std::tie(a.pool, a.head) < std::tie(b.pool, b.head);
  };
  const auto same_head = [](const word_set& a, const word_set& b) {
    return a.pool == b.pool && a.head == b.head;
  };

  // One varying word: same head, intersecting ranges.
  std::sort(ones.begin(), ones.end(), [&](const word_set& a, const word_set& b) {
    if (head_less(a, b)) return true;
    if (head_less(b, a)) return false;
    return std::tie(a.v_lo, a.pos, a.root) < std::tie(b.v_lo, b.pos, b.root);
  });
  for (std::size_t i = 1, h = 0; i < ones.size(); ++i) {
    if (!same_head(ones[h], ones[i])) {
      h = i;
      continue;
    }
    if (ones[i].v_lo <= ones[h].v_hi) {
      const std::uint32_t v = ones[i].v_lo;
      judge(ones[h], ones[i], element(ones[h], v, 0), element(ones[i], v, 0));
    }
    if (ones[i].v_hi > ones[h].v_hi) h = i;
  }

  // Two varying words: same head, intersecting rectangles. Such sets are rare (components
  // >= 2^32), so a pairwise scan within a head is fine.
  std::sort(twos.begin(), twos.end(), [&](const word_set& a, const word_set& b) {
    if (head_less(a, b)) return true;
    if (head_less(b, a)) return false;
    return std::tie(a.v_lo, a.t_lo, a.pos) < std::tie(b.v_lo, b.t_lo, b.pos);
  });
  for (std::size_t i = 0; i < twos.size(); ++i) {
    for (std::size_t j = i + 1; j < twos.size() && same_head(twos[i], twos[j]); ++j) {
      const auto& a = twos[i];
      const auto& b = twos[j];
      if (b.v_lo > a.v_hi || b.t_lo > a.t_hi || a.t_lo > b.t_hi) continue;
      const std::uint32_t v = b.v_lo;
      const std::uint32_t t = std::max(a.t_lo, b.t_lo);
      judge(a, b, element(a, v, t), element(b, v, t));
    }
  }

  // One word against two: head1 ++ [v1] == head2 ++ [v2, t2] iff head1 == head2 ++ [v2] and
  // v1 == t2 — e.g. spawn key (0, 1) against (2^32,).
  for (const auto& a : ones) {
    if (a.head.empty()) continue;
    word_set probe{a.pool, {a.head.begin(), a.head.end() - 1}, 0, 0, true, 0, 0, 0, false};
    const std::uint32_t v2 = a.head.back();
    auto it = std::lower_bound(twos.begin(), twos.end(), probe, head_less);
    for (; it != twos.end() && same_head(*it, probe); ++it) {
      const auto& b = *it;
      if (v2 < b.v_lo || v2 > b.v_hi || a.v_hi < b.t_lo || b.t_hi < a.v_lo) continue;
      const std::uint32_t t = std::max(a.v_lo, b.t_lo);
      judge(a, b, element(a, t, 0), element(b, v2, t));
    }
  }
}

}  // namespace

std::string_view to_string(conflict_kind kind) noexcept {
  switch (kind) {
    case conflict_kind::same_descriptor: return "same_descriptor";
    case conflict_kind::same_identity: return "same_identity";
    case conflict_kind::overlap: return "overlap";
    case conflict_kind::over_budget: return "over_budget";
  }
  return "?";
}

std::vector<conflict> find_conflicts(std::span<const sourced_claim> claims) {
  return checker(claims).run();
}

}  // namespace streamalloc::claims
