// SeedSequence identities: NumPy assembles a pool from the root entropy (zero-padded to the pool
// size) followed by the spawn key, each key component as 32-bit words — one word below 2^32,
// else two, low first. Equal words give equal pools, so (2^32,) and (0, 1) — both [0, 1] — are
// one stream, and so is a spawned path whose words equal another campaign's root entropy (that
// root's Philox stream ID 0 / jump index 0 would be its generator).
//   spawn_words   every pool, as its last word in the space of all earlier words (and the pool
//                 size): a run of components below 2^32 is one span; a component >= 2^32 is
//                 the span [high, high] in the space of (earlier words, low) — one per stream,
//                 for runs of at most max_expanded_pairs such components;
//   spawn_pairs   a longer run of components >= 2^32 under head words H is one span of k in
//                 the space of H, checked against the one-word pools of the spaces H ++ [x]
//                 (which get a copy there, as segments (x, [y0, y1])) by spawn_pairs.cpp.
#include <algorithm>

#include "src/checks/checker.hpp"

namespace streamalloc::claims::sweep {
namespace {

constexpr std::uint64_t two32 = std::uint64_t{1} << 32;

void append_words(std::vector<std::uint32_t>& words, std::uint64_t component) {
  words.push_back(static_cast<std::uint32_t>(component));
  if (component >> 32 != 0) words.push_back(static_cast<std::uint32_t>(component >> 32));
}

// All words of a spawn claim but its ranged component: padded root, job, prefix.
std::vector<std::uint32_t> head_words(const campaign_facts& facts, const claim& c) {
  std::vector<std::uint32_t> words = facts.padded_root;
  append_words(words, c.job.value());
  for (const auto part : c.prefix) append_words(words, part);
  return words;
}

fingerprint fingerprint_of(std::uint64_t pool_size, const std::vector<std::uint32_t>& words,
                           std::size_t count) {
  fingerprint fp;
  fp.add(pool_size);
  for (std::size_t i = 0; i < count; ++i) fp.add(std::uint64_t{words[i]});
  return fp;
}

bool in_census(const span_census& census, const space_id& space) {
  return std::binary_search(census.pair_spaces.begin(), census.pair_spaces.end(), space);
}

// A one-word segment's copy in spawn_pairs: pools head ++ [x, y] for y in [y0, y1], against the
// two-word components y * 2^32 + x under `head` (y >= 1: y = 0 would be the one-word x).
void segment(const span_census& census, const fingerprint& head, std::uint32_t x, std::uint64_t y0,
             std::uint64_t y1, std::uint64_t ref, std::vector<identity_span>& out) {
  y0 = std::max<std::uint64_t>(y0, 1);
  if (y0 > y1) return;
  const space_id space = head.space(span_family::spawn_pairs);
  if (!in_census(census, space)) return;
  const std::uint64_t column = std::uint64_t{x} << 32;
  out.push_back(make_span(space, column | y0, column | y1, 1, ref));
}

// One-word pools head ++ [lo..hi]: a spawn_words span, and its spawn_pairs copy.
void one_word_spans(const campaign_facts& facts, const std::vector<std::uint32_t>& head,
                    std::uint64_t lo, std::uint64_t hi, std::uint64_t ref,
                    const span_census& census, std::vector<identity_span>& out) {
  fingerprint all_but_last =
      fingerprint_of(facts.pool_size, head, head.empty() ? 0 : head.size() - 1);
  fingerprint all = all_but_last;
  if (!head.empty()) all.add(std::uint64_t{head.back()});
  out.push_back(make_span(all.space(span_family::spawn_words), lo, hi, 0, ref));
  if (!head.empty()) segment(census, all_but_last, head.back(), lo, hi, ref, out);
}

// A claim as the judge sees it: the words before its varying word, and the varying values.
struct word_view {
  std::vector<std::uint32_t> head;
  std::optional<std::pair<std::uint64_t, std::uint64_t>> one;  // components below 2^32
  std::optional<std::pair<std::uint64_t, std::uint64_t>> two;  // components >= 2^32
  bool root = false;
};

word_view view_of(const sourced_claim& s) {
  const campaign_facts f = facts_of(*s.origin);
  const claim& c = s.what;
  word_view v;
  if (c.kind != claim_kind::spawn_path) {  // the root stream behind ID 0 / jump index 0
    v.root = true;
    v.head = f.padded_root;
    if (v.head.empty()) return v;
    v.one = std::pair<std::uint64_t, std::uint64_t>{v.head.back(), v.head.back()};
    v.head.pop_back();
    return v;
  }
  v.head = head_words(f, c);
  if (c.first < two32) v.one = std::pair{c.first, std::min(c.last(), two32 - 1)};
  if (c.last() >= two32) v.two = std::pair{std::max(c.first, two32), c.last()};
  return v;
}

// A stream the two claims share: each side's value (component, or root word), if any.
struct shared_stream {
  std::uint64_t a;
  std::uint64_t b;
};

// One-word values of `one` under head ++ [x] against two-word components of `two` under head:
// the smallest k in two with low word x and high word in one (and >= 1).
std::optional<shared_stream> one_against_two(const word_view& one, const word_view& two) {
  if (!one.one || !two.two || one.head.size() != two.head.size() + 1 ||
      !std::equal(two.head.begin(), two.head.end(), one.head.begin())) {
    return std::nullopt;
  }
  const std::uint64_t x = one.head.back();
  const auto [k_lo, k_hi] = *two.two;
  std::uint64_t k = (k_lo & ~(two32 - 1)) | x;
  if (k < k_lo) k += two32;
  const std::uint64_t y_lo = std::max<std::uint64_t>(one.one->first, 1);
  if ((k >> 32) < y_lo) k = (y_lo << 32) | x;
  if (k > k_hi || (k >> 32) > one.one->second) return std::nullopt;
  return shared_stream{k >> 32, k};
}

std::optional<shared_stream> shared(const word_view& a, const word_view& b) {
  if (a.one && b.one && a.head == b.head) {
    const std::uint64_t v = std::max(a.one->first, b.one->first);
    if (v <= std::min(a.one->second, b.one->second)) return shared_stream{v, v};
  }
  if (const auto s = one_against_two(a, b)) return s;
  if (const auto s = one_against_two(b, a)) return shared_stream{s->b, s->a};
  if (a.two && b.two && a.head == b.head) {
    const std::uint64_t k = std::max(a.two->first, b.two->first);
    if (k <= std::min(a.two->second, b.two->second)) return shared_stream{k, k};
  }
  return std::nullopt;
}

std::string element(const sourced_claim& s, const word_view& v, std::uint64_t value) {
  if (v.root) return "the root SeedSequence behind " + describe_stream(s.what, 0);
  return describe_stream(s.what, value);
}

}  // namespace

bool holds_root_stream(const campaign_facts& facts, const campaign& origin, const claim& c) {
  if (c.kind == claim_kind::philox_id) {
    return facts.root_key - philox_key_of(origin, c, c.first) <= c.count - 1;
  }
  if (c.kind == claim_kind::jump_index) return jump_count_of(origin, c, c.first) == 0;
  return false;
}

std::optional<space_id> pair_space_of(const campaign_facts& facts, const claim& c) {
  if (c.kind != claim_kind::spawn_path) return std::nullopt;
  const auto head = head_words(facts, c);
  return fingerprint_of(facts.pool_size, head, head.size()).space(span_family::spawn_pairs);
}

void spawn_spans(const campaign_facts& facts, const campaign& origin, const claim& c,
                 std::uint64_t ref, const span_census& census, std::vector<identity_span>& out) {
  if (c.kind != claim_kind::spawn_path) {
    if ((c.kind == claim_kind::philox_id || c.kind == claim_kind::jump_index) &&
        !facts.padded_root.empty() && holds_root_stream(facts, origin, c)) {
      std::vector<std::uint32_t> head = facts.padded_root;
      const std::uint32_t last = head.back();
      head.pop_back();
      one_word_spans(facts, head, last, last, ref, census, out);
    }
    return;
  }
  const std::vector<std::uint32_t> head = head_words(facts, c);
  if (c.first < two32) {
    one_word_spans(facts, head, c.first, std::min(c.last(), two32 - 1), ref, census, out);
  }
  if (c.last() < two32) return;
  const std::uint64_t from = std::max(c.first, two32);
  const fingerprint under = fingerprint_of(facts.pool_size, head, head.size());
  if (c.last() - from >= max_expanded_pairs) {
    out.push_back(make_span(under.space(span_family::spawn_pairs), from, c.last(), 0, ref));
    return;
  }
  for (std::uint64_t k = from;; ++k) {
    const auto low = static_cast<std::uint32_t>(k);
    fingerprint fp = under;
    fp.add(std::uint64_t{low});
    out.push_back(make_span(fp.space(span_family::spawn_words), k >> 32, k >> 32, 0, ref));
    segment(census, under, low, k >> 32, k >> 32, ref, out);
    if (k == c.last()) break;
  }
}

std::optional<judgement> judge_spawn(const sourced_claim& a, const sourced_claim& b) {
  const word_view va = view_of(a);
  const word_view vb = view_of(b);
  if (va.root && vb.root) return std::nullopt;  // compared as Philox keys / PCG64 positions
  if (facts_of(*a.origin).pool_size != facts_of(*b.origin).pool_size) return std::nullopt;
  const auto s = shared(va, vb);
  if (!s) return std::nullopt;
  if (!va.root && !vb.root && same_campaign(a, b) && a.what.job == b.what.job &&
      a.what.prefix == b.what.prefix) {
    const bool single = a.what.count == 1 && b.what.count == 1;
    return judgement{conflict_kind::same_descriptor,
                     single ? "taken twice" : describe_stream(a.what, s->a) + " taken twice"};
  }
  return judgement{conflict_kind::same_identity,
                   element(a, va, s->a) + " and " + element(b, vb, s->b) +
                       " have identical SeedSequence pools (NumPy assembles the same entropy "
                       "words from both)" +
                       campaigns_note(a, b)};
}

}  // namespace streamalloc::claims::sweep
