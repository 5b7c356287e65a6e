// streamalloc/mpi/verify.hpp — the collective check that no stream is used twice anywhere.
//
// verify() is run at checkpoints and at the end of a run. It compares the claims of ALL ranks and
// reports every stream ID, jump index, spawn path or canonical identity taken twice (by the same
// or different ranks), every pair of streams whose draw intervals overlap on one sequence, and
// every stream that used more than its budget — each conflict naming both ranks, both tasks and
// both descriptors (see claims/conflict.hpp).
//
// The verdict does not depend on the rank count: it is exactly find_conflicts() of all ranks'
// claims together (the same conflicts, the same messages), on 1 rank as on 64. verify() runs
// find_conflicts' own sweep spread over the ranks (claims/identity_sweep.hpp): each
// claim becomes a few fixed-size intervals in identity spaces (48 bytes each; a run of streams,
// however long, is one), the ranks sort all intervals together by range partitioning (splitters
// sampled from every rank, so each rank gets an even share whatever it holds), an MPI_Exscan
// hands each rank the interval reaching furthest before its share, and each rank sweeps its
// share from there: together, exactly the one serial sweep. The few candidate pairs and the
// claims they name are then gathered to every rank, which judges them identically.
//
// Cost per rank, for n claim records per rank on P ranks: O(n log n) time, O(n) for a registry's
// claims (they come sorted: nothing to sort), O(n) traffic and about 70 bytes of memory per
// record beyond the registry's (a compact copy of it, 24, and its 48-byte intervals), whatever the
// number of streams the records cover. A clean verify() crosses four collectives (census and
// samples, the exchange's counts, MPI_Exscan, the candidates); when every rank's intervals
// already lie in its own range (ranks claiming separate ranges of streams) nothing is
// exchanged and two remain. Exchanges go in rounds of at most 2^22 intervals per peer (and
// 2^28 bytes per gather), so no MPI count can pass INT_MAX: any number of claims verifies.
//
// Conflicts carry empty sourced_claim::source strings: each claim's describe() already names its
// owner rank ("philox stream ID 7 (rank 2, task (2,))"); sources name manifests in audits.
//
// Wire format: intervals and claims travel as native-endian binary records (src/claim_wire.hpp);
// the ranks of one job must share one architecture, as they do on every MPI system we target.
//
// Failures: any exception on any rank during verify (a corrupt record, an out-of-memory, a claim
// the checks cannot prove) is agreed on (agreement.hpp) — every rank throws the same exception
// naming the failing ranks; no rank is left waiting. Ranks that disagree about the campaign
// (root seed, strategy, pool size, job layout) make every rank throw invalid_argument.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "streamalloc/campaign.hpp"
#include "streamalloc/claims/claim_registry.hpp"
#include "streamalloc/claims/conflict.hpp"
#include "streamalloc/mpi/runtime.hpp"

namespace streamalloc::mpi {

// The outcome of verify(): identical on every rank.
struct verdict {
  // Sorted by message; each conflict appears once.
  std::vector<claims::conflict> conflicts;
  std::uint64_t claims = 0;   // claim records over all ranks (a range counts once)
  std::uint64_t streams = 0;  // streams over all ranks
  int ranks = 0;
  // The campaign the conflicts' sourced_claim::origin point to; kept alive with the verdict.
  std::shared_ptr<const campaign> origin;

  bool clean() const noexcept { return conflicts.empty(); }
  // "verify: 2 conflict(s) among 12 claim record(s) (40 streams) on 4 ranks" and one line per
  // conflict.
  std::string report() const;
};

// MPI-collective over rt.comm(): every rank calls it with its own registry (all of one campaign).
// Returns the same verdict on every rank, or throws the same exception on every rank.
// Not to be called concurrently with another collective of this runtime; other threads may keep
// adding claims meanwhile (a snapshot is taken at the start).
verdict verify(const runtime& rt, const claims::claim_registry& registry);

// Throws reuse_error carrying v.report() unless the verdict is clean. Local, but since verdicts
// are identical, every rank throws or none does.
void require_clean(const verdict& v);

}  // namespace streamalloc::mpi
