// Each claim kind maps to the allocator method that claims exactly that descriptor: a carried
// claim goes through the same registry checks as a fresh one, with no private access to the
// registry (the allocator owns it and hands out only a const view).
#include "src/stream_set/carry.hpp"

#include <string>

#include "streamalloc/error.hpp"
#include "streamalloc/pcg64.hpp"
#include "streamalloc/philox.hpp"

namespace streamalloc::mpi::detail {

void carry_claim(stream_allocator& alloc, const claims::claim& carried) {
  if (carried.job != alloc.job()) {
    throw invalid_argument("carrying " + carried.describe() + ": it is of job " +
                           std::to_string(carried.job.value()) + ", expected this run's job " +
                           std::to_string(alloc.job().value()));
  }
  claim_options details;
  details.task = carried.task;
  details.budget = carried.budget;
  details.tasks = carried.task_lockstep ? task_layout::lockstep : task_layout::shared;
  claims::claim recorded;
  switch (carried.kind) {
    case claims::claim_kind::spawn_path:
      recorded = alloc.spawn_range(task_path(carried.prefix), carried.first, carried.count, details)
                     .record();
      break;
    case claims::claim_kind::philox_id:
      recorded = alloc.philox_range(stream_id(carried.first), carried.count, details).record();
      break;
    case claims::claim_kind::jump_index:
      recorded = alloc.jumped_range(jump_index(carried.first), carried.count, details).record();
      break;
    case claims::claim_kind::philox_position:
      recorded = alloc
                     .philox_at(carried.sequence,
                                philox::counter_type{
                                    low64(carried.position), high64(carried.position),
                                    low64(carried.position_high), high64(carried.position_high)},
                                details)
                     .record;
      break;
    case claims::claim_kind::pcg64_position:
      recorded =
          alloc.pcg64_at(pcg64::from_lcg_state(carried.position, carried.sequence), details).record;
      break;
  }
  if (carried.used != 0) alloc.record_use(recorded, carried.used);
}

}  // namespace streamalloc::mpi::detail
