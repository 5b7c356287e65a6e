// streamalloc/mpi/audit.hpp — moved to streamalloc/claims/audit.hpp (target streamalloc::claims,
// namespace streamalloc::claims). This forwarding header keeps the old include path and the old
// names in streamalloc::mpi working for one release; new code includes the claims header.
#pragma once

#include "streamalloc/claims/audit.hpp"

namespace streamalloc::mpi {
using claims::audit_manifests;
using claims::audit_report;
}  // namespace streamalloc::mpi
