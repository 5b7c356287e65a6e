// lib/capi/src/mpi/types.hpp — INTERNAL: what the MPI C API's opaque handles hold.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string_view>

#include "../handles.hpp"
#include "../types.hpp"
#include "streamalloc/any_bit_generator.hpp"
#include "streamalloc/claims/claim.hpp"
#include "streamalloc/mpi/run_record.hpp"
#include "streamalloc/mpi/runtime.hpp"
#include "streamalloc/mpi/stream_allocator.hpp"
#include "streamalloc_mpi.h"

struct streamalloc_runtime
    : streamalloc::capi::boxed<streamalloc::capi::handle_kind::runtime, streamalloc::mpi::runtime> {
  using boxed::boxed;
};

namespace streamalloc::capi {

// An allocator, the runtime handle it was made on (checked live before every collective, so a
// freed runtime is an error rather than a dangling reference), its campaign, shared with its
// claims (which build their streams after the allocator is gone), and its run record while a
// record handle holds one: owned here, declared after the allocator it journals, so freeing the
// allocator first ends the record (waiting for its commits) rather than leaving it dangling.
struct allocator_data {
  allocator_data(const streamalloc_runtime* rt_handle, const mpi::runtime& rt, const campaign& c,
                 job_index job, const mpi::allocator_options& options)
      : runtime_handle(rt_handle),
        origin(std::make_shared<const campaign>(c)),
        allocator(rt, c, job, options) {}

  const streamalloc_runtime* runtime_handle;
  std::shared_ptr<const campaign> origin;
  mpi::stream_allocator allocator;
  std::unique_ptr<mpi::run_record> record;
};

// One claim: its record, its campaign, and (for hand-built positions) the stream itself.
struct claim_data {
  claims::claim record;
  std::shared_ptr<const campaign> origin;
  std::optional<any_bit_generator> position_stream;
};

// A record handle: the allocator whose run_record it is (allocator_data::record, checked to be
// this record's before every call) and whether it was closed.
struct record_data {
  streamalloc_allocator* allocator_handle;
  const mpi::run_record* record;
  std::filesystem::path path;
  bool closed = false;
};

}  // namespace streamalloc::capi

struct streamalloc_allocator : streamalloc::capi::boxed<streamalloc::capi::handle_kind::allocator,
                                                        streamalloc::capi::allocator_data> {
  using boxed::boxed;
};

struct streamalloc_claim : streamalloc::capi::boxed<streamalloc::capi::handle_kind::claim,
                                                    streamalloc::capi::claim_data> {
  using boxed::boxed;
};

struct streamalloc_record : streamalloc::capi::boxed<streamalloc::capi::handle_kind::record,
                                                     streamalloc::capi::record_data> {
  using boxed::boxed;
};

namespace streamalloc::capi {

// A record position (claims::record_position) from the text streamalloc_record_checkpoint_position
// gives; invalid_argument naming `what` on bad text (record_position.cpp).
claims::record_position position_of_text(std::string_view text, const char* what);

// The allocator behind a handle, after checking that its runtime is still live.
allocator_data& live_allocator(streamalloc_allocator* alloc, const char* what);
const allocator_data& live_allocator(const streamalloc_allocator* alloc, const char* what);

}  // namespace streamalloc::capi
