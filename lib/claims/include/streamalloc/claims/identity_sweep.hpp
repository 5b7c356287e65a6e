// streamalloc/claims/identity_sweep.hpp — the sweep find_conflicts() is made of, public so that
// a distributed check can run the same sweep spread over ranks (the collective verify() of
// streamalloc::mpi does). A building block for checkers, not for programs that only claim
// streams: its types and their layout may change in any minor release.
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

#include <array>
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
#include "streamalloc/claims/claim_table.hpp"
#include "streamalloc/claims/conflict.hpp"
#include "streamalloc/uint128.hpp"

namespace streamalloc::claims::sweep {

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
// Room for every family value (the top byte's values in use, and a spare).
inline constexpr std::size_t span_family_count = 8;

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
  std::uint64_t lo;  // inclusive interval in the space
  std::uint64_t hi;
  std::uint64_t tag;  // bit 63: a probe (looks for a holder, never becomes one); bits
                      // 0..62: family data (see span_family)
  std::uint64_t ref;  // which claim: the caller's numbering (verify: rank << 32 | index)
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

// Asks the kernel to back [data, data + bytes) with huge pages where it can (Linux,
// transparent huge pages in "madvise" mode): a vector of a million spans then costs a few dozen
// page faults, not twelve thousand. Call it on memory not yet written; a hint, never an error.
void prefer_huge_pages(void* data, std::size_t bytes) noexcept;

// Sorts spans by span_less, exploiting sorted runs: a few runs are merged, O(n log runs); only
// input of many runs is sorted from scratch. Never throws (merges fall back to no buffer).
void sort_spans(std::vector<identity_span>& spans);
// sort_spans(), and summarize() of the result: in one pass when the spans were sorted.
sweep_holder sort_and_summarize(std::vector<identity_span>& spans);
// combine() is below; span_collector folds summaries with it.
sweep_holder combine(const sweep_holder& earlier, const sweep_holder& later) noexcept;

// Spans gathered by family. Claims in a registry's order give each family's spans in order
// (one run of IDs after the next), so keeping the families apart keeps them sorted, and the
// families one after the other are sorted as a whole: for the common case, no sort at all.
class span_collector {
 public:
  // Room for n spans of the family that will hold most, and some more: a campaign root's span,
  // and what verify()'s exchange brings when ranks hold separate ranges of streams (at most a
  // sample's worth, 1/256 of a rank's spans), fit without a reallocation.
  void reserve(span_family family, std::size_t n) {
    auto& spans = families_[static_cast<std::size_t>(family)];
    spans.reserve(n + n / 128 + 64);
    prefer_huge_pages(spans.data(), spans.capacity() * sizeof(identity_span));
  }
  void add(const identity_span& s) {
    const auto f = static_cast<std::size_t>(family_of(s));
    auto& spans = families_[f];
    if (!spans.empty() && span_less(s, spans.back())) unsorted_[f] = true;
    spans.push_back(s);
    fold(f, s.space_high, s.space_low, s.hi, s.tag, s.ref);
  }
  // The same for a span the caller made for `family` (the table scan's fast path).
  void add(span_family family, std::uint64_t space_high, std::uint64_t space_low, std::uint64_t lo,
           std::uint64_t hi, std::uint64_t tag, std::uint64_t ref) {
    const auto f = static_cast<std::size_t>(family);
    auto& spans = families_[f];
    if (!spans.empty()) {
      const identity_span& b = spans.back();
      if (space_high < b.space_high ||
          (space_high == b.space_high &&
           (space_low < b.space_low || (space_low == b.space_low && lo <= b.lo)))) {
        unsorted_[f] = true;  // (not after the last span: sorted() checks the family again)
      }
    }
    spans.push_back({space_high, space_low, lo, hi, tag, ref});
    fold(f, space_high, space_low, hi, tag, ref);
  }
  // Moves the spans a builder appended to `scratch` here.
  void take(std::vector<identity_span>& scratch) {
    for (const auto& s : scratch) add(s);
    scratch.clear();
  }
  // All spans, sorted; the collector is left empty. When no family needed sorting, `summary`
  // is set to summarize() of the result, found on the way (no pass of its own), and
  // `by_family` (if given) to summarize() of each family's spans.
  std::vector<identity_span> sorted(
      std::optional<sweep_holder>* summary = nullptr,
      std::array<sweep_holder, span_family_count>* by_family = nullptr);

 private:
  // The summary of each family's spans so far (spans in order; probes and spawn_pairs spaces
  // leave no holder), folded as summarize() would.
  void fold(std::size_t f, std::uint64_t space_high, std::uint64_t space_low, std::uint64_t hi,
            std::uint64_t tag, std::uint64_t ref) {
    if ((tag & probe_bit) != 0 || f == static_cast<std::size_t>(span_family::spawn_pairs)) return;
    sweep_holder& h = folds_[f];
    if (h.valid == 0 || h.space_high != space_high || h.space_low != space_low || hi > h.hi) {
      h = {space_high, space_low, hi, tag, ref, 1};
    }
  }

  std::array<std::vector<identity_span>, span_family_count> families_;
  std::array<bool, span_family_count> unsorted_{};
  std::array<sweep_holder, span_family_count> folds_{};
};

// A pair of claims (by ref) whose spans of `family` intersect; `first` is the holder.
struct candidate {
  std::uint64_t first;
  std::uint64_t second;
  std::uint64_t family;  // span_family
};
static_assert(sizeof(candidate) == 24);

// Sweeps sorted spans, starting from `holder` (the holder after all spans before them),
// appending candidates and leaving `holder` as it is after them.
void sweep(std::span<const identity_span> sorted, sweep_holder& holder,
           std::vector<candidate>& out);
// The holder a sweep of `sorted` alone ends with (from no holder).
sweep_holder summarize(std::span<const identity_span> sorted) noexcept;
// The holder after `earlier` then `later` spans, from their summaries: associative, with the
// invalid holder as identity, so summaries fold into an exclusive scan.
sweep_holder combine(const sweep_holder& earlier, const sweep_holder& later) noexcept;
// A splitter moved down below every span of its space when that space must stay whole
// (spawn_pairs: none of its spans starts at 0); cut sorted spans at partition_floor(s) rather
// than at s, with lower_bound or upper_bound alike.
identity_span partition_floor(const identity_span& s) noexcept;

// The first pass over a rank's claims (verify()): tallies every claim of `table` (claims of
// `origin`) into `census`, adds the spans of those that do not depend on other ranks' claims to
// `spans` and lists the others' indices in `deferred` (hand-built PCG64 streams, spawn paths:
// give them to builder.add() once the census of all ranks is in use), and the over_budget
// candidates to `found`. Claim i is numbered ref_base | i. Runs of stream IDs and jump indices
// go straight from the table's records to spans, without building a claim each.
void scan_table(const streamalloc::claims::claim_table& table, const campaign& origin,
                std::uint64_t ref_base, span_builder& builder, span_census& census,
                span_collector& spans, std::vector<std::size_t>& deferred,
                std::vector<candidate>& found);

// The over_budget candidate of `c`, if it used more than budget_of(c).
bool over_budget(const claim& c) noexcept;

// Judges candidates and gathers the conflicts: each candidate with both its claims (refs
// resolved by the caller), at most one conflict of each kind per pair of claims (the smallest
// message wins), sorted by message.
class conflict_collector {
 public:
  void add(const candidate& found, const sourced_claim& first, const sourced_claim& second);
  // The conflict add() would keep for the candidate, its sides in message order; nullopt when
  // the spans met but the streams do not. For callers that keep conflicts their own way (the
  // audit keeps messages and claim numbers, not claims).
  static std::optional<conflict> judge(const candidate& found, const sourced_claim& first,
                                       const sourced_claim& second);
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

}  // namespace streamalloc::claims::sweep
