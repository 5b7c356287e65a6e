// streamalloc/mpi/verify.hpp — the collective check that no stream is used twice anywhere.
//
// verify() is run at checkpoints and at the end of a run. It compares the claims of ALL ranks and
// reports every stream ID, jump index, spawn path or canonical identity taken twice (by the same
// or different ranks), every pair of streams whose draw intervals overlap on one sequence, and
// every stream that used more than its budget — each conflict naming both ranks, both tasks and
// both descriptors (see conflict.hpp).
//
// How it scales: claims are hash-partitioned, not gathered. Each claim is cut into pieces that
// are sent (one MPI_Alltoallv) to the rank owning the piece's bucket (src/claim_buckets.hpp):
//   Philox   bucket = (stream index >> 16), where a hand-built Philox stream's index is
//            key - root key; runs of IDs are split at multiples of 2^16;
//   PCG64    jump-index runs are bucketed by index like Philox IDs when no two distinct indices
//            can meet (no hand-built PCG64 stream on the root's sequence, every budget within
//            the spacing jumped_min_spacing() proves — a collective census decides); otherwise,
//            and for hand-built streams, bucket = (increment, cycle offset >> 64), the cycle
//            offset being the stream's start in draws from LCG state 0; a stream is sent to each
//            bucket its first min(budget, 2^64) draws touch (at most two), so any two
//            overlapping streams meet in the bucket of the later start (overlaps are thus
//            detected for streams that draw less than 2^64 words, i.e. all real ones);
//   spawn    bucket = NumPy's assembled entropy words of the path but the last, and the last
//            word's 2^16-block, so NumPy's spawn-key aliases meet as well as equal paths.
// Descriptors map one-to-one onto these identities, so equal descriptors meet too. Each rank runs
// find_conflicts() on what it received, whole buckets at a time in batches of about 2^16 pieces
// (so its memory stays bounded however many claims it receives); the conflicts (few) are
// gathered to every rank (MPI_Allgatherv), sorted by message and de-duplicated, so every rank
// returns the identical verdict. Traffic per rank is proportional to the claims per rank, not
// to the total, and a run of consecutive streams costs what one stream costs.
//
// Conflicts carry empty sourced_claim::source strings: each claim's describe() already names its
// owner rank ("philox stream ID 7 (rank 2, task (2,))"); sources name manifests in audits.
//
// Wire format: a compact native-endian binary record per claim (see src/claim_wire.hpp); the
// ranks of one job must share one architecture, as they do on every MPI system we target.
//
// Failures: any exception on any rank during verify (a corrupt record, an out-of-memory, an
// injected test failure) is agreed on (agreement.hpp) — every rank throws the same exception
// naming the failing ranks; no rank is left waiting. Ranks that disagree about the campaign
// (root seed, strategy, pool size) make every rank throw invalid_argument.
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
