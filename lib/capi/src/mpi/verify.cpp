// streamalloc_allocator_verify, streamalloc_allocator_next_free: the collective checks.
//
// Both check their arguments collectively first (agreed): a null out-parameter on one rank is
// then every rank's invalid argument, not one rank returning while the others wait in the
// exchange. Only an allocator handle that is itself bad cannot be agreed on (it is the way to the
// communicator): that rank returns at once, as any MPI program with a bad handle on one rank.
#include <string>

#include "../boundary.hpp"
#include "streamalloc/mpi/agreement.hpp"
#include "streamalloc/mpi/verify.hpp"
#include "types.hpp"

using namespace streamalloc;
using namespace streamalloc::capi;

extern "C" {

streamalloc_status streamalloc_allocator_verify(const streamalloc_allocator* alloc,
                                                streamalloc_verdict** out) {
  return call(__func__, [&] {
    const allocator_data& a = live_allocator(alloc, "alloc");
    mpi::agreed(a.allocator.mpi_runtime(), "streamalloc_allocator_verify",
                [&] { require_out(out, "out"); });
    const mpi::verdict v = a.allocator.verify();  // agrees on its own failures
    verdict_data d;
    d.clean = v.clean();
    d.conflicts = static_cast<std::int64_t>(v.conflicts.size());
    d.claims = static_cast<std::int64_t>(v.claims);
    d.report = v.report();
    if (d.report.empty() || d.report.back() != '\n') d.report += '\n';
    *out = make_handle<streamalloc_verdict>(std::move(d));
  });
}

streamalloc_status streamalloc_allocator_next_free(const streamalloc_allocator* alloc,
                                                   uint64_t* next_stream, uint64_t* next_jump) {
  return call(__func__, [&] {
    const allocator_data& a = live_allocator(alloc, "alloc");
    mpi::agreed(a.allocator.mpi_runtime(), "streamalloc_allocator_next_free", [&] {
      require_out(next_stream, "next_stream");
      require_out(next_jump, "next_jump");
    });
    const claims::manifest::free_point at = a.allocator.next_free();
    *next_stream = at.stream.value();
    *next_jump = at.jump.value();
  });
}

}  // extern "C"
