// Carrying a claim of an earlier run into this run's allocator: the same streams, the same task,
// budget and use, owned by this rank. Internal to the stream-set checkpoint.
#pragma once

#include "streamalloc/claims/claim.hpp"
#include "streamalloc/mpi/stream_allocator.hpp"

namespace streamalloc::mpi::detail {

// Re-adds `carried` (a claim of alloc's job, validated) through the allocator's public claim
// methods, so the registry checks it like any other: reuse_error if this rank already holds one
// of its streams. Throws invalid_argument for a claim of another job or of a kind the campaign's
// strategy does not hand out.
void carry_claim(stream_allocator& alloc, const claims::claim& carried);

}  // namespace streamalloc::mpi::detail
