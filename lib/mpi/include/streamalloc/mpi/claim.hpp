// streamalloc/mpi/claim.hpp — moved to streamalloc/claims/claim.hpp (target streamalloc::claims,
// namespace streamalloc::claims). This forwarding header keeps the old include path and the old
// names in streamalloc::mpi working for one release; new code includes the claims header.
#pragma once

#include "streamalloc/claims/claim.hpp"

namespace streamalloc::mpi {
using claims::claim;
using claims::claim_kind;
using claims::describe_stream;
using claims::parse_claim_kind;
using claims::slice;
using claims::task_of;
using claims::to_string;
using claims::unlimited_budget;
using claims::validate;
}  // namespace streamalloc::mpi
