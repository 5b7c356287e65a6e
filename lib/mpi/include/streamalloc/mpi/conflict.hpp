// streamalloc/mpi/conflict.hpp — moved to streamalloc/claims/conflict.hpp (target streamalloc::claims,
// namespace streamalloc::claims). This forwarding header keeps the old include path and the old
// names in streamalloc::mpi working for one release; new code includes the claims header.
#pragma once

#include "streamalloc/claims/conflict.hpp"

namespace streamalloc::mpi {
using claims::conflict;
using claims::conflict_kind;
using claims::find_conflicts;
using claims::pcg64_extent;
using claims::pcg64_implicit_budget;
using claims::sourced_claim;
using claims::to_string;
}  // namespace streamalloc::mpi
