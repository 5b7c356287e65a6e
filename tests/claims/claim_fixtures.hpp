// Test support for the serial claim suites: claims built the way the tests describe them.
#pragma once

#include <cstdint>

#include "streamalloc/claims/claim.hpp"

namespace streamalloc::testing {

// A run of `count` Philox stream IDs from `first`, owned by rank `owner`.
inline claims::claim philox_ids(std::uint64_t first, std::uint64_t count, std::uint32_t owner) {
  claims::claim c;
  c.kind = claims::claim_kind::philox_id;
  c.first = first;
  c.count = count;
  c.owner = rank_id(owner);
  return c;
}

}  // namespace streamalloc::testing
