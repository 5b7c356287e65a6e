// The sweep every check shares (identity_sweep.hpp): the census, the span builder's
// dispatch to the identity kinds, the holder sweep, its associative summary, and the orders.
#include "streamalloc/claims/identity_sweep.hpp"

#include <algorithm>
#include <cstdint>

#if defined(__linux__)
#include <sys/mman.h>
#endif
#include <tuple>

#include "src/checks/checker.hpp"

namespace streamalloc::claims::sweep {

std::string_view to_string(span_family family) noexcept {
  switch (family) {
    case span_family::over_budget: return "over_budget";
    case span_family::philox_keys: return "philox_keys";
    case span_family::philox_blocks: return "philox_blocks";
    case span_family::jump_counts: return "jump_counts";
    case span_family::pcg64_cycle: return "pcg64_cycle";
    case span_family::spawn_words: return "spawn_words";
    case span_family::spawn_pairs: return "spawn_pairs";
  }
  return "?";
}

// ---- census and builder --------------------------------------------------------------------

void span_census::merge(const span_census& other) {
  jumped_roots.insert(jumped_roots.end(), other.jumped_roots.begin(), other.jumped_roots.end());
  pair_spaces.insert(pair_spaces.end(), other.pair_spaces.begin(), other.pair_spaces.end());
}

void span_census::finish() {
  std::sort(jumped_roots.begin(), jumped_roots.end());
  jumped_roots.erase(std::unique(jumped_roots.begin(), jumped_roots.end()), jumped_roots.end());
  std::sort(pair_spaces.begin(), pair_spaces.end());
  pair_spaces.erase(std::unique(pair_spaces.begin(), pair_spaces.end()), pair_spaces.end());
}

struct span_builder::impl {
  // Campaign objects seen, with their facts (the root's cycle offset costs 128 LCG steps, so it
  // is derived once per campaign object, not per claim).
  std::vector<std::pair<const campaign*, campaign_facts>> facts;
  span_census census;

  const campaign_facts& facts_for(const campaign& origin) {
    if (!facts.empty() && facts.back().first == &origin) return facts.back().second;
    for (auto& [known, f] : facts) {
      if (known == &origin) return f;
    }
    facts.emplace_back(&origin, facts_of(origin));
    return facts.back().second;
  }
};

span_builder::span_builder() : impl_(std::make_unique<impl>()) {}
span_builder::~span_builder() = default;

void span_builder::tally(const campaign& origin, const claim& c, span_census& census) {
  if (c.kind == claim_kind::jump_index) {
    const campaign_facts& f = impl_->facts_for(origin);
    const std::pair<uint128, uint128> root{f.root_increment, f.root_offset};
    if (census.jumped_roots.empty() || census.jumped_roots.back() != root) {
      census.jumped_roots.push_back(root);
    }
  } else if (c.kind == claim_kind::spawn_path && c.last() >> 32 != 0 &&
             c.last() - std::max(c.first, std::uint64_t{1} << 32) >= max_expanded_pairs) {
    if (const auto space = pair_space_of(impl_->facts_for(origin), c)) {
      if (census.pair_spaces.empty() || census.pair_spaces.back() != *space) {
        census.pair_spaces.push_back(*space);
      }
    }
  }
}

void span_builder::use(span_census census) {
  census.finish();
  impl_->census = std::move(census);
}

void span_builder::add(const campaign& origin, const claim& c, std::uint64_t ref,
                       std::vector<identity_span>& out) {
  const campaign_facts& f = impl_->facts_for(origin);
  switch (c.kind) {
    case claim_kind::philox_id:
    case claim_kind::philox_position: philox_spans(f, origin, c, ref, out); break;
    case claim_kind::jump_index:
    case claim_kind::pcg64_position: pcg64_spans(f, origin, c, ref, impl_->census, out); break;
    case claim_kind::spawn_path: break;
  }
  // Spawn paths, and the root stream behind Philox stream ID 0 / jump index 0 (a run holding it
  // starts at 0: see holds_root_stream).
  if (c.kind == claim_kind::spawn_path || c.first == 0) {
    spawn_spans(f, origin, c, ref, impl_->census, out);
  }
}

// ---- memory ----------------------------------------------------------------------------------

void prefer_huge_pages(void* data, std::size_t bytes) noexcept {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  constexpr std::uintptr_t huge = std::uintptr_t{2} << 20;
  if (bytes < 2 * huge) return;
  const auto begin = reinterpret_cast<std::uintptr_t>(data);
  const std::uintptr_t from = (begin + huge - 1) & ~(huge - 1);
  const std::uintptr_t to = (begin + bytes) & ~(huge - 1);
  if (to > from) {
    (void)madvise(reinterpret_cast<void*>(from), to - from, MADV_HUGEPAGE);
  }
#else
  (void)data;
  (void)bytes;
#endif
}

// ---- sorting ---------------------------------------------------------------------------------

void sort_spans(std::vector<identity_span>& spans) {
  // A lambda, not a function pointer, so that the comparisons are inlined.
  const auto less = [](const identity_span& a, const identity_span& b) { return span_less(a, b); };
  std::vector<std::size_t> bounds{0};
  for (std::size_t i = 1; i < spans.size(); ++i) {
    if (less(spans[i], spans[i - 1])) bounds.push_back(i);
  }
  if (bounds.size() == 1) return;
  if (bounds.size() > 64) {
    std::sort(spans.begin(), spans.end(), less);
    return;
  }
  bounds.push_back(spans.size());
  const auto at = [&](std::size_t i) { return spans.begin() + static_cast<std::ptrdiff_t>(i); };
  while (bounds.size() > 2) {  // merge neighbouring runs pairwise until one is left
    std::vector<std::size_t> merged{0};
    std::size_t i = 0;
    for (; i + 2 < bounds.size(); i += 2) {
      std::inplace_merge(at(bounds[i]), at(bounds[i + 1]), at(bounds[i + 2]), less);
      merged.push_back(bounds[i + 2]);
    }
    if (i + 1 < bounds.size() && merged.back() != bounds.back()) merged.push_back(bounds.back());
    bounds = std::move(merged);
  }
}

sweep_holder sort_and_summarize(std::vector<identity_span>& spans) {
  // The run check and the summary's fold in one pass; a second only if something moved.
  bool sorted = true;
  sweep_holder h;
  for (std::size_t i = 0; i < spans.size(); ++i) {
    const identity_span& p = spans[i];
    if (i > 0 && span_less(p, spans[i - 1])) {
      sorted = false;
      break;
    }
    if ((p.tag & probe_bit) != 0 || family_of(p) == span_family::spawn_pairs) continue;
    if (h.valid == 0 || h.space_high != p.space_high || h.space_low != p.space_low || p.hi > h.hi) {
      h = {p.space_high, p.space_low, p.hi, p.tag, p.ref, 1};
    }
  }
  if (sorted) return h;
  sort_spans(spans);
  return summarize(spans);
}

std::vector<identity_span> span_collector::sorted(
    std::optional<sweep_holder>* summary, std::array<sweep_holder, span_family_count>* by_family) {
  bool moved = false;
  sweep_holder folded;
  for (std::size_t f = 0; f < families_.size(); ++f) {
    if (unsorted_[f]) {
      sort_spans(families_[f]);
      moved = true;
    }
    unsorted_[f] = false;
    folded = combine(folded, folds_[f]);
    if (by_family != nullptr) (*by_family)[f] = folds_[f];
    folds_[f] = sweep_holder{};
  }
  if (summary != nullptr) {
    if (moved) {
      summary->reset();
    } else {
      *summary = folded;
    }
  }
  // The largest family's vector becomes the result when it comes first (ID runs, the common
  // case: no copy); otherwise every family is copied into one.
  std::size_t largest = 0;
  std::size_t total = 0;
  for (std::size_t f = 0; f < families_.size(); ++f) {
    total += families_[f].size();
    if (families_[f].size() > families_[largest].size()) largest = f;
  }
  std::size_t f = 0;
  while (f < families_.size() && families_[f].empty()) ++f;
  std::vector<identity_span> out;
  if (f == largest && f < families_.size()) out = std::move(families_[f++]);
  if (out.capacity() < total) out.reserve(total);
  for (; f < families_.size(); ++f) {
    out.insert(out.end(), families_[f].begin(), families_[f].end());
    std::vector<identity_span>().swap(families_[f]);
  }
  return out;
}

// ---- the sweep -------------------------------------------------------------------------------

namespace {

bool same_space(const sweep_holder& h, const identity_span& s) noexcept {
  return h.valid != 0 && h.space_high == s.space_high && h.space_low == s.space_low;
}

// Does a probe inside the holder's interval meet the holder? Philox: the probe's first block
// within [1, 2^62] against the blocks the holder's streams use; elsewhere the judge decides.
bool probe_meets(const sweep_holder& h, const identity_span& probe) noexcept {
  if (family_of(probe) == span_family::philox_keys) {
    return (probe.tag & tag_data_mask) <= (h.tag & tag_data_mask);
  }
  return true;
}

// One pass of the sweep; candidates go to `out` when it is not null.
template <bool Collect>
void run(std::span<const identity_span> sorted, sweep_holder& h, std::vector<candidate>* out) {
  for (std::size_t i = 0; i < sorted.size();) {
    const identity_span& p = sorted[i];
    const auto family = static_cast<std::uint64_t>(family_of(p));
    if (family_of(p) == span_family::spawn_pairs) [[unlikely]] {
      std::size_t end = i + 1;
      while (end < sorted.size() && sorted[end].space_high == p.space_high &&
             sorted[end].space_low == p.space_low) {
        ++end;
      }
      // Such spaces are swept whole, by the 2-D sweep, and leave the holder as it was (in an
      // earlier space: no later span shares it), which keeps summaries a plain fold.
      if constexpr (Collect) sweep_spawn_pairs(sorted.subspan(i, end - i), *out);
      i = end;
      continue;
    }
    const bool same = same_space(h, p);
    if ((p.tag & probe_bit) != 0) {
      if constexpr (Collect) {
        if (same && p.lo <= h.hi && probe_meets(h, p)) out->push_back({h.ref, p.ref, family});
      }
    } else {
      if constexpr (Collect) {
        if (same && p.lo <= h.hi) out->push_back({h.ref, p.ref, family});
      }
      if (!same || p.hi > h.hi) h = {p.space_high, p.space_low, p.hi, p.tag, p.ref, 1};
    }
    ++i;
  }
}

}  // namespace

void sweep(std::span<const identity_span> sorted, sweep_holder& holder,
           std::vector<candidate>& out) {
  run<true>(sorted, holder, &out);
}

sweep_holder summarize(std::span<const identity_span> sorted) noexcept {
  sweep_holder h;
  run<false>(sorted, h, nullptr);
  return h;
}

sweep_holder combine(const sweep_holder& earlier, const sweep_holder& later) noexcept {
  // `later`'s summary is its holder in its last space. Spans are sorted, so if that is
  // `earlier`'s space, every span of `later` lies in it: the holder is whichever reaches
  // further, `earlier`'s on a tie (a span replaces the holder only if it reaches strictly
  // further). A later space starts afresh; spans that leave no holder (probes, spawn_pairs
  // spaces) change nothing.
  if (later.valid == 0) return earlier;
  if (earlier.valid == 0 || earlier.space_high != later.space_high ||
      earlier.space_low != later.space_low) {
    return later;
  }
  return later.hi > earlier.hi ? later : earlier;
}

identity_span partition_floor(const identity_span& s) noexcept {
  if (family_of(s) != span_family::spawn_pairs) return s;
  return {s.space_high, s.space_low, 0, 0, 0, 0};
}

bool over_budget(const claim& c) noexcept { return c.used > budget_of(c); }

// ---- orders ----------------------------------------------------------------------------------

namespace {

template <class T>
int compare3(const T& a, const T& b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

int compare_tasks(const claim& a, const claim& b) {
  if (int c = compare3(a.task.has_value(), b.task.has_value())) return c;
  if (a.task && b.task) {
    if (int c = compare3(*a.task, *b.task)) return c;
  }
  return compare3(a.task_lockstep, b.task_lockstep);
}

}  // namespace

int compare_claims(const claim& a, const claim& b) noexcept {
  if (int c = compare3(a.kind, b.kind)) return c;
  if (int c = compare3(a.first, b.first)) return c;
  if (int c = compare3(a.count, b.count)) return c;
  if (int c = compare3(a.job, b.job)) return c;
  if (int c = compare3(a.prefix, b.prefix)) return c;
  if (int c = compare3(a.sequence, b.sequence)) return c;
  if (int c = compare3(a.position, b.position)) return c;
  if (int c = compare3(a.position_high, b.position_high)) return c;
  if (int c = compare3(a.owner, b.owner)) return c;
  if (int c = compare_tasks(a, b)) return c;
  if (int c = compare3(a.budget, b.budget)) return c;
  return compare3(a.used, b.used);
}

int compare_registry_order(const claim& a, const claim& b) noexcept {
  if (int c = compare3(a.owner, b.owner)) return c;
  if (int c = compare3(a.kind, b.kind)) return c;
  if (int c = compare3(a.job, b.job)) return c;
  if (int c = compare3(a.prefix, b.prefix)) return c;
  if (int c = compare3(a.first, b.first)) return c;
  if (int c = compare3(a.sequence, b.sequence)) return c;
  if (int c = compare3(a.position_high, b.position_high)) return c;
  if (int c = compare3(a.position, b.position)) return c;
  if (int c = compare3(a.count, b.count)) return c;
  if (int c = compare_tasks(a, b)) return c;
  if (int c = compare3(a.budget, b.budget)) return c;
  return compare3(a.used, b.used);
}

}  // namespace streamalloc::claims::sweep
