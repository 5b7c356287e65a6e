// From candidates to conflicts: the judge's dispatch to the identity kinds, the messages'
// shared pieces, the budget check, and the collector that keeps one conflict of each kind per
// pair of claims. Also the campaign facts and the 256-bit counters the kinds share.
#include <algorithm>
#include <tuple>

#include "src/checks/checker.hpp"
#include "streamalloc/big_uint.hpp"
#include "streamalloc/error.hpp"
#include "streamalloc/stream_geometry.hpp"

namespace streamalloc::claims::sweep {
namespace {

std::string_view headline(conflict_kind kind) {
  switch (kind) {
    case conflict_kind::same_descriptor: return "reuse";
    case conflict_kind::same_identity: return "alias";
    case conflict_kind::overlap: return "overlap";
    case conflict_kind::over_budget: return "over budget";
  }
  return "?";
}

std::string side(const sourced_claim& s) {
  return s.what.describe() + (s.source.empty() ? "" : " from " + s.source);
}

// Campaigns in a canonical order (claims of one campaign share a side order; two campaigns in
// an audit are named in this order, whatever order the manifests came in).
int compare_campaigns(const campaign& a, const campaign& b) {
  if (a == b) return 0;
  const auto key = [](const campaign& c) {
    return std::make_tuple(c.root().to_string(), c.root().is_list(), c.how(), c.pool_size(),
                           c.jobs());
  };
  return key(a) < key(b) ? -1 : 1;
}

// Which side a message names first.
bool named_first(const sourced_claim& a, const sourced_claim& b) {
  if (a.origin != b.origin) {
    if (const int c = compare_campaigns(*a.origin, *b.origin)) return c < 0;
  }
  if (const int c = compare_claims(a.what, b.what)) return c < 0;
  return a.source <= b.source;
}

std::optional<judgement> judge_budget(const sourced_claim& a) {
  const claim& c = a.what;
  if (!over_budget(c)) return std::nullopt;
  return judgement{
      conflict_kind::over_budget,
      "used " + dec(c.used) + " draws, over its " +
          (c.budget == unlimited_budget
               ? "implicit budget of " + dec(implicit_budget) + " draws (no budget given)"
               : "budget of " + dec(c.budget))};
}

}  // namespace

campaign_facts facts_of(const campaign& origin) {
  campaign_facts f;
  f.root_key = origin.philox_root_key();
  const pcg64& root = origin.jumped_root();
  f.root_increment = root.lcg_increment();
  f.root_offset = pcg64_cycle_offset(root.lcg_state(), root.lcg_increment());
  f.jump_space = jumped_root_space(f.root_increment, f.root_offset);
  // NumPy pads short entropy with zeros to the pool size before it mixes it (and before a
  // spawn key, gh-16539), so padded words are the canonical ones.
  f.padded_root = origin.root().words();
  if (f.padded_root.size() < origin.pool_size()) f.padded_root.resize(origin.pool_size(), 0);
  f.pool_size = origin.pool_size();
  return f;
}

u256 counter_of(const claim& c) noexcept {
  return {low64(c.position), high64(c.position), low64(c.position_high), high64(c.position_high)};
}

u256 add(u256 x, std::uint64_t y) noexcept {
  for (auto& limb : x) {
    const std::uint64_t before = limb;
    limb += y;
    if (limb >= before) break;
    y = 1;
  }
  return x;
}

u256 subtract(u256 x, const u256& y) noexcept {
  std::uint64_t borrow = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    const std::uint64_t before = x[i];
    x[i] = before - y[i] - borrow;
    borrow = (before < y[i] || (before == y[i] && borrow != 0)) ? 1 : 0;
  }
  return x;
}

bool less(const u256& a, const u256& b) noexcept {
  for (std::size_t i = 4; i-- > 0;) {
    if (a[i] != b[i]) return a[i] < b[i];
  }
  return false;
}

std::string hex(const u256& x) {
  std::vector<std::uint32_t> words;
  for (const auto limb : x) {
    words.push_back(static_cast<std::uint32_t>(limb));
    words.push_back(static_cast<std::uint32_t>(limb >> 32));
  }
  return big_uint::from_words(words).to_hex();
}

std::string hex(uint128 x) { return big_uint::from_uint128(x).to_hex(); }
std::string dec(uint128 x) { return big_uint::from_uint128(x).to_string(); }

bool same_campaign(const sourced_claim& a, const sourced_claim& b) {
  return a.origin == b.origin || *a.origin == *b.origin;
}

std::string campaigns_note(const sourced_claim& a, const sourced_claim& b) {
  if (same_campaign(a, b)) return "";
  return " (campaigns seeded " + cut_for_message(a.origin->root().to_string()) + " and " +
         cut_for_message(b.origin->root().to_string()) + ")";
}

std::string budget_text(const claim& c) {
  if (c.budget == unlimited_budget) {
    return "its implicit budget of " + dec(implicit_budget) + " draws (no budget given)";
  }
  return "its budget of " + dec(c.budget) + " draws";
}

std::optional<conflict> conflict_collector::judge(const candidate& found,
                                                  const sourced_claim& first,
                                                  const sourced_claim& second) {
  const auto family = static_cast<span_family>(found.family);
  const bool keep_order = named_first(first, second);
  const sourced_claim& a = keep_order ? first : second;
  const sourced_claim& b = keep_order ? second : first;
  std::optional<judgement> verdict;
  switch (family) {
    case span_family::over_budget: verdict = judge_budget(a); break;
    case span_family::philox_keys:
    case span_family::philox_blocks: verdict = judge_philox(family, a, b); break;
    case span_family::jump_counts:
    case span_family::pcg64_cycle: verdict = judge_pcg64(family, a, b); break;
    case span_family::spawn_words:
    case span_family::spawn_pairs: verdict = judge_spawn(a, b); break;
  }
  // The spans met but the streams do not (e.g. two roots, a probe miss).
  if (!verdict) return std::nullopt;
  std::string message = std::string(headline(verdict->kind)) + ": " + side(a);
  if (family != span_family::over_budget) message += " and " + side(b);
  message += ": " + verdict->detail;
  return conflict{verdict->kind, a, b, std::move(message)};
}

void conflict_collector::add(const candidate& found, const sourced_claim& first,
                             const sourced_claim& second) {
  std::optional<conflict> c = judge(found, first, second);
  if (!c) return;
  const key k{static_cast<int>(c->kind), std::min(found.first, found.second),
              std::max(found.first, found.second)};
  found_.push_back({k, std::move(*c)});
}

std::vector<conflict> conflict_collector::take() {
  // One conflict of each kind per pair (the smallest message, whatever order the candidates
  // came in), sorted by message.
  std::sort(found_.begin(), found_.end(), [](const auto& x, const auto& y) {
    return std::tie(x.first, x.second.message) < std::tie(y.first, y.second.message);
  });
  found_.erase(std::unique(found_.begin(), found_.end(),
                           [](const auto& x, const auto& y) { return x.first == y.first; }),
               found_.end());
  std::vector<conflict> out;
  out.reserve(found_.size());
  for (auto& [k, c] : found_) out.push_back(std::move(c));
  found_.clear();
  std::stable_sort(out.begin(), out.end(),
                   [](const conflict& x, const conflict& y) { return x.message < y.message; });
  return out;
}

}  // namespace streamalloc::claims::sweep
