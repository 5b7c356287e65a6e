// Private: verify() with the hooks its tests need, out of the public API (tests include this
// header from the source tree; it is not installed).
#pragma once

#include <cstddef>

#include "streamalloc/claims/claim_registry.hpp"
#include "streamalloc/mpi/runtime.hpp"
#include "streamalloc/mpi/verify.hpp"

namespace streamalloc::mpi::detail {

struct verify_hooks {
  // If >= 0, that rank throws an injected failure while it looks for conflicts among its share
  // of the claims (after the exchange), to exercise the agreed-failure path.
  int fail_on_rank = -1;
  // If not 0: at most this many spans per peer, and bytes per rank, in each round of the
  // exchanges (default: 2^22 spans, 2^28 bytes), to exercise the round path with small claims.
  std::size_t round_spans = 0;
  // If set: told whether this verify moved spans between ranks (false when every rank's spans
  // were already its share, family by family, or on one rank).
  bool* exchanged = nullptr;
};

// mpi::verify() with hooks; COLLECTIVE, as verify() is.
verdict verify(const runtime& rt, const claims::claim_registry& registry,
               const verify_hooks& hooks);

}  // namespace streamalloc::mpi::detail
