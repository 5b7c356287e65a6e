// streamalloc/mpi/claim_registry.hpp — moved to streamalloc/claims/claim_registry.hpp (target streamalloc::claims,
// namespace streamalloc::claims). This forwarding header keeps the old include path and the old
// names in streamalloc::mpi working for one release; new code includes the claims header.
#pragma once

#include "streamalloc/claims/claim_registry.hpp"

namespace streamalloc::mpi {
using claims::claim_registry;
}  // namespace streamalloc::mpi
