// streamalloc/mpi/manifest.hpp — moved to streamalloc/claims/manifest.hpp (target streamalloc::claims,
// namespace streamalloc::claims). This forwarding header keeps the old include path and the old
// names in streamalloc::mpi working for one release; new code includes the claims header.
#pragma once

#include "streamalloc/claims/manifest.hpp"

namespace streamalloc::mpi {
using claims::find_resume_point;
using claims::manifest;
using claims::manifest_format;
using claims::read_manifest;
using claims::resume_point;
using claims::write_manifest;
}  // namespace streamalloc::mpi
