// streamalloc/claims/detail/identity_sweep.hpp — INTERNAL, not API (may change in any release):
// the pieces find_conflicts() is made of, shared with the collective verify() of
// streamalloc::mpi, which runs the same sweep spread over ranks.
//
// Every claim becomes a few fixed-size spans: inclusive intervals [lo, hi] in an identity
// space (the keys of Philox streams starting at counter block 1, the counter blocks of one
// Philox key, the jump counts of one jumped root, an arc of one PCG64 cycle, the last entropy
// word of SeedSequence pools with equal leading words, ...). Two claims can conflict only if two
// of their spans share a space and intersect, and an intersection of two spans of a space is a
// conflict (checked exactly by the judge, which also names it). A run of streams is one span
// however long, so a claim costs O(1) spans and the check O(n log n) in claims, not streams.
//
// The sweep: spans sorted by span_less; a running holder — the span reaching furthest so far
// in the current space — and every span starting inside the holder is a candidate with it.
// That finds an intersection iff there is one, and reports each cluster of intersecting spans
// with O(spans) candidates. Because the holder after a sequence of spans is an associative
// fold (combine()), the sorted spans may be cut anywhere and swept piece by piece, each piece
// starting from the holder of everything before it (an exclusive scan): verify() does that
// across ranks, so its candidates are exactly find_conflicts()' whatever the rank count.
// Spaces of the spawn_pairs family are the exception: they are checked whole by a 2-D sweep,
// so a cut must not fall inside one (partition_floor()).
//
// Serial; thread-compatible (a span_builder caches per campaign: one per thread).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "streamalloc/campaign.hpp"
#include "streamalloc/claims/claim.hpp"
#include "streamalloc/claims/conflict.hpp"
#include "streamalloc/uint128.hpp"

namespace streamalloc::claims::detail {

// splitmix64's finaliser (Steele, Lea & Flood 2014): fixed and well mixed, identical on every
// rank and platform, unlike std::hash.
constexpr std::uint64_t mix64(std::uint64_t z) noexcept {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// The identity spaces. The family is the top byte of a span's space, so spans sort by family.
enum class span_family : std::uint8_t {
  over_budget = 0,    // no spans: the family of the budget check's candidates
  philox_keys = 1,    // Philox streams starting at counter block 1 (stream IDs, counter-0
                      // copies), by key: space = high 64 key bits, lo/hi = low 64 bits;
                      // tag = the blocks each uses; probes: hand-built streams at another
                      // counter whose blocks reach into [1, 2^62] (tag = their first such block)
  philox_blocks = 2,  // hand-built Philox streams, by counter block, per (key, block >> 64)
  jump_counts = 3,    // jumped runs, by jump count, per jumped root; probes: the one jump count
                      // whose stream can meet a hand-built PCG64 stream on the root's cycle
  pcg64_cycle = 4,    // hand-built PCG64 streams, by position, per (increment, position >> 64)
  spawn_words = 5,    // SeedSequence pools (spawn paths, campaign roots), by their last entropy
                      // word, per (pool size, all earlier words)
  spawn_pairs = 6,    // spawn runs of more than max_expanded_pairs components >= 2^32 (two
                      // words each), against the one-word pools they can alias, per leading
                      // words: checked whole by a 2-D sweep (spawn_pairs.cpp)
};
std::string_view to_string(span_family family) noexcept;

// A 128-bit space: the family and either exact coordinates (philox_keys) or a 120-bit
// fingerprint of them (two spaces then collide with probability 2^-120, which at worst adds a
// candidate the judge drops, or hides one behind a foreign holder: no weaker than the 128-bit
// SeedSequence pools it compares).
struct space_id {
  std::uint64_t high = 0;
  std::uint64_t low = 0;
  friend auto operator<=>(const space_id&, const space_id&) = default;
};

struct identity_span {
  std::uint64_t space_high;  // span_family in the top byte
  std::uint64_t space_low;
  std::uint64_t lo;          // inclusive interval in the space
  std::uint64_t hi;
  std::uint64_t tag;         // bit 63: a probe (looks for a holder, never becomes one); bits
                             // 0..62: family data (see span_family)
  std::uint64_t ref;         // which claim: the caller's numbering (verify: rank << 32 | index)
};
static_assert(sizeof(identity_span) == 48);

inline constexpr std::uint64_t probe_bit = std::uint64_t{1} << 63;
inline constexpr std::uint64_t tag_data_mask = probe_bit - 1;

inline span_family family_of(const identity_span& s) noexcept {
  return static_cast<span_family>(s.space_high >> 56);
}
inline space_id space_of(const identity_span& s) noexcept { return {s.space_high, s.space_low}; }

// The total order of the sweep: space, lo, streams before probes, then ref (which decides ties,
// so ref order must not depend on how claims are spread over ranks: verify numbers a rank's
// claims in its registry's order, find_conflicts in the same order, owner first), hi, tag.
inline bool span_less(const identity_span& a, const identity_span& b) noexcept {
  if (a.space_high != b.space_high) return a.space_high < b.space_high;
  if (a.space_low != b.space_low) return a.space_low < b.space_low;
  if (a.lo != b.lo) return a.lo < b.lo;
  if ((a.tag & probe_bit) != (b.tag & probe_bit)) return (a.tag & probe_bit) == 0;
  if (a.ref != b.ref) return a.ref < b.ref;
  if (a.hi != b.hi) return a.hi < b.hi;
  return a.tag < b.tag;
}

// Spawn runs with at most this many components >= 2^32 are spans of spawn_words, one per
// stream; longer ones are one spawn_pairs span.
inline constexpr std::uint64_t max_expanded_pairs = 16;

// What the spans of some claims need to know about all claims: the jumped roots (increment,
// cycle offset of jumped(0)) of the campaigns with jump_index claims — hand-built PCG64 streams
// on their cycles get probes — and the spawn_pairs spaces in use, whose one-word neighbours get
// a copy there. A span_builder tallies every claim into one (verify: each rank its own, then
// merged across ranks), then builds spans with the finished census.
struct span_census {
  std::vector<std::pair<uint128, uint128>> jumped_roots;
  std::vector<space_id> pair_spaces;

  void merge(const span_census& other);
  // Sorts and de-duplicates: the census of the same claims is then the same everywhere.
  void finish();
};

// Turns claims into spans.
class span_builder {
 public:
  span_builder();
  ~span_builder();
  span_builder(const span_builder&) = delete;
  span_builder& operator=(const span_builder&) = delete;

  // Phase 1: what `c`, a claim of `origin`, adds to the census.
  void tally(const campaign& origin, const claim& c, span_census& census);
  // Phase 2: the census of all claims (finished) ...
  void use(span_census census);
  // ... then the spans of `c`, numbered `ref`, appended to `out`. Throws invalid_argument for
  // a claim the checks cannot prove (a jump count of the shared layout at or above 2^62).
  void add(const campaign& origin, const claim& c, std::uint64_t ref,
           std::vector<identity_span>& out);

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

// A pair of claims (by ref) whose spans of `family` intersect; `first` is the holder.
struct candidate {
  std::uint64_t first;
  std::uint64_t second;
  std::uint64_t family;  // span_family
};
static_assert(sizeof(candidate) == 24);

// The sweep's state: the span reaching furthest so far in the current space (valid == 0:
// none yet).
struct sweep_holder {
  std::uint64_t space_high = 0;
  std::uint64_t space_low = 0;
  std::uint64_t hi = 0;
  std::uint64_t tag = 0;
  std::uint64_t ref = 0;
  std::uint64_t valid = 0;
};
static_assert(sizeof(sweep_holder) == 48);

// Sweeps sorted spans, starting from `holder` (the holder after all spans before them),
// appending candidates and leaving `holder` as it is after them.
void sweep(std::span<const identity_span> sorted, sweep_holder& holder,
           std::vector<candidate>& out);
// The holder a sweep of `sorted` alone ends with (from no holder).
sweep_holder summarize(std::span<const identity_span> sorted) noexcept;
// The holder after `earlier` then `later` spans, from their summaries: associative, with the
// invalid holder as identity, so summaries fold into an exclusive scan.
sweep_holder combine(const sweep_holder& earlier, const sweep_holder& later) noexcept;
// A splitter moved down to the smallest key of its space when that space must stay whole
// (spawn_pairs); cut sorted spans at partition_floor(s) rather than at s.
identity_span partition_floor(const identity_span& s) noexcept;

// The over_budget candidate of `c`, if it used more than budget_of(c).
bool over_budget(const claim& c) noexcept;

// Judges candidates and gathers the conflicts: each candidate with both its claims (refs
// resolved by the caller), at most one conflict of each kind per pair of claims (the smallest
// message wins), sorted by message.
class conflict_collector {
 public:
  void add(const candidate& found, const sourced_claim& first, const sourced_claim& second);
  std::vector<conflict> take();

 private:
  struct key {
    int kind;
    std::uint64_t low_ref, high_ref;
    friend auto operator<=>(const key&, const key&) = default;
  };
  std::vector<std::pair<key, conflict>> found_;
};

// The order of conflict sides in messages (the smaller names the pair first): by content —
// kind, first, count, job, prefix, sequence, position, owner, task, budget, used — then source.
int compare_claims(const claim& a, const claim& b) noexcept;
// The order find_conflicts numbers claims in for the sweep (ref order): owner, then a
// registry's own order (kind, job, prefix, first, sequence, position_high, position, then the
// rest), so that numbering each rank's registry in order and prefixing the rank gives the same
// order.
int compare_registry_order(const claim& a, const claim& b) noexcept;

}  // namespace streamalloc::claims::detail
