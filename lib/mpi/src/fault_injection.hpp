// Private: a failure injected into the library's collectives, for the tests that prove every
// collective turns a failure on one rank into the same error on every rank (tests include this
// header from the source tree; it is not installed).
//
// Every collective step of streamalloc::mpi ends in agree_on() (agreement.cpp): the run record's
// background commits, verify(), next_free(), the allocator's layout and counter window, the
// stream-set checkpoints, job_from_scheduler(). An armed fault makes the agreement on one rank
// behave as if that rank's local step had thrown io_error("injected fault in <what>") — at the
// exact point a real failure would be reported — whenever the step's `what` contains `step`
// (steps whose failure travels with their data call fault_point() instead).
// Disarmed (the default), the cost is one relaxed atomic load per agreement.
#pragma once

#include <mpi.h>

#include <string>
#include <string_view>

namespace streamalloc::mpi::detail {

// Arms the fault: every agreement whose description contains `step` fails on `rank` (its rank in
// the agreement's communicator) until disarm_fault(). Thread-safe; local (call it on every rank
// with the same arguments to keep the ranks' views equal).
void arm_fault(std::string step, int rank);
void disarm_fault();

// Throws io_error(injected_fault_message(what)) if an armed fault selects `what` on this rank of
// `comm`: called at the start of the local steps whose outcome travels with data rather than
// through agree_on() (verify's census, its gathers and exchanges).
void fault_point(MPI_Comm comm, std::string_view what);

// The message an armed fault throws for the agreement `what` (used by agreement.cpp).
std::string injected_fault_message(const std::string& what);

}  // namespace streamalloc::mpi::detail
