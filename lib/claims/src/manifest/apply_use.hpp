// Private: applying a use update (manifest_reader.hpp) to a list of claims or of items holding
// claims — shared by read_manifest and the audit, which keeps each claim's source with it.
#pragma once

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <vector>

#include "streamalloc/claims/claim.hpp"
#include "streamalloc/error.hpp"

namespace streamalloc::claims::detail {

// `claim_of(item)` is the claim inside an item (a claim&). Items whose streams the update covers
// are split into the parts before, inside and after it; the inside part gets update.used.
template <class Item, class ClaimOf>
void apply_use_to(std::vector<Item>& items, const claim& update, ClaimOf claim_of) {
  const auto same_streams = [&](const claim& c) {
    return c.kind == update.kind && c.job == update.job && c.owner == update.owner &&
           c.prefix == update.prefix && c.sequence == update.sequence &&
           c.position == update.position && c.position_high == update.position_high;
  };
  std::uint64_t covered = 0;
  for (std::size_t i = items.size(); i-- > 0;) {
    const claim c = claim_of(items[i]);
    if (!same_streams(c) || c.last() < update.first || c.first > update.last()) continue;
    const std::uint64_t lo = std::max(c.first, update.first);
    const std::uint64_t hi = std::min(c.last(), update.last());
    std::vector<Item> parts;
    const auto part = [&](std::uint64_t first, std::uint64_t count, bool used) {
      Item copy = items[i];
      claim_of(copy) = slice(c, first, count);
      if (used) claim_of(copy).used = update.used;
      parts.push_back(std::move(copy));
    };
    if (lo > c.first) part(c.first, lo - c.first, false);
    part(lo, hi - lo + 1, true);
    if (hi < c.last()) part(hi + 1, c.last() - hi, false);
    covered += hi - lo + 1;
    items.erase(items.begin() + static_cast<std::ptrdiff_t>(i));
    items.insert(items.begin() + static_cast<std::ptrdiff_t>(i),
                 std::make_move_iterator(parts.begin()), std::make_move_iterator(parts.end()));
  }
  if (covered != update.count) {
    throw invalid_argument("a use of " + update.describe() +
                           " refers to streams no earlier claim of its rank holds");
  }
}

}  // namespace streamalloc::claims::detail
