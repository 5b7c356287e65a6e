// find_conflicts: the identity sweep (identity_sweep.hpp) on one process. Claims are
// numbered in the order verify() numbers them across ranks (owner, then each registry's own
// order), so the serial and the collective check find the same candidates.
#include "streamalloc/claims/conflict.hpp"

#include <algorithm>
#include <numeric>
#include <tuple>
#include <unordered_map>

#include "streamalloc/claims/identity_sweep.hpp"
#include "streamalloc/error.hpp"

namespace streamalloc::claims {

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
  for (const auto& sc : claims) {
    if (sc.origin == nullptr) {
      throw invalid_argument("find_conflicts: " + sc.what.describe() + " has no campaign");
    }
    validate(sc.what);
  }
  // Campaign objects in a canonical order of their values (manifests of one campaign carry
  // equal copies, which share a rank).
  std::vector<const campaign*> objects;
  for (const auto& sc : claims) objects.push_back(sc.origin);
  std::sort(objects.begin(), objects.end());
  objects.erase(std::unique(objects.begin(), objects.end()), objects.end());
  const auto key = [](const campaign* c) {
    return std::make_tuple(c->root().to_string(), c->root().is_list(), c->how(), c->pool_size(),
                           c->jobs());
  };
  std::vector<std::pair<decltype(key(nullptr)), const campaign*>> keyed;
  for (const campaign* c : objects) keyed.emplace_back(key(c), c);
  std::sort(keyed.begin(), keyed.end());
  std::unordered_map<const campaign*, std::size_t> rank_of;
  for (std::size_t i = 0, r = 0; i < keyed.size(); ++i) {
    if (i > 0 && keyed[i].first != keyed[i - 1].first) ++r;
    rank_of.emplace(keyed[i].second, r);
  }

  // Number the claims: owner and registry order, then campaign and source.
  std::vector<std::size_t> order(claims.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
    const auto& a = claims[x];
    const auto& b = claims[y];
    if (const int c = sweep::compare_registry_order(a.what, b.what)) return c < 0;
    const std::size_t ca = rank_of.at(a.origin);
    const std::size_t cb = rank_of.at(b.origin);
    if (ca != cb) return ca < cb;
    return std::tie(a.source, x) < std::tie(b.source, y);
  });

  sweep::span_builder builder;
  sweep::span_census census;
  for (const std::size_t i : order) builder.tally(*claims[i].origin, claims[i].what, census);
  builder.use(std::move(census));
  std::vector<sweep::identity_span> spans;
  spans.reserve(claims.size() + claims.size() / 4);
  for (std::size_t ref = 0; ref < order.size(); ++ref) {
    builder.add(*claims[order[ref]].origin, claims[order[ref]].what, ref, spans);
  }
  std::sort(spans.begin(), spans.end(), sweep::span_less);

  std::vector<sweep::candidate> found;
  sweep::sweep_holder holder;
  sweep::sweep(spans, holder, found);
  for (std::size_t ref = 0; ref < order.size(); ++ref) {
    if (sweep::over_budget(claims[order[ref]].what)) {
      found.push_back({ref, ref, static_cast<std::uint64_t>(sweep::span_family::over_budget)});
    }
  }
  sweep::conflict_collector collector;
  for (const auto& c : found) {
    collector.add(c, claims[order[c.first]], claims[order[c.second]]);
  }
  return collector.take();
}

}  // namespace streamalloc::claims
