// Private: verify() with the hooks its tests need, out of the public API (tests include this
// header from the source tree; it is not installed).
#pragma once

#include "streamalloc/claims/claim_registry.hpp"
#include "streamalloc/mpi/runtime.hpp"
#include "streamalloc/mpi/verify.hpp"

namespace streamalloc::mpi::detail {

struct verify_hooks {
  // If >= 0, that rank throws an injected failure while it looks for conflicts among its share
  // of the claims (after the exchange), to exercise the agreed-failure path.
  int fail_on_rank = -1;
};

// mpi::verify() with hooks; COLLECTIVE, as verify() is.
verdict verify(const runtime& rt, const claims::claim_registry& registry,
               const verify_hooks& hooks);

}  // namespace streamalloc::mpi::detail
