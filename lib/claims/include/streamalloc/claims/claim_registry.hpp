// streamalloc/claims/claim_registry.hpp — one rank's record of the streams it has taken.
//
// Every stream a rank takes (through stream_allocator, or added by hand) is recorded here
// before it is used. The registry refuses the rank's OWN reuse at once, without communication:
//   * a claim whose descriptor overlaps one already held (the same Philox stream ID or jump
//     index, or the same spawn path in the same run; ranges count element by element);
//   * a claim of the same stream under another name: two position claims at the same
//     (sequence, position); a hand-built Philox stream at counter 0 whose key is that of a
//     claimed stream ID; a PCG64 state that is the start of a claimed jump index; or a spawn
//     path whose SeedSequence pool equals that of another claimed path (NumPy's spawn-key aliases,
//     e.g. (2^32,) and (0, 1)).
// Such a claim throws streamalloc::reuse_error naming both claims, and leaves the registry as it
// was. Reuse ACROSS ranks, and overlapping draw intervals, are found collectively by verify().
//
// Contiguous runs are stored as ranges: a claim of ID n+1 next to a held range ending at n, with
// the same job, task, budget and used count, extends that range. A rank holding a million
// consecutive IDs therefore holds one record; a claim that joins no run costs about 24 bytes
// (plus its task, if any: 8 bytes per task component and 8 more).
//
// Thread safety: every member may be called concurrently from several threads (one mutex), so
// hybrid MPI + OpenMP codes may claim from their threads. No member communicates.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "streamalloc/campaign.hpp"
#include "streamalloc/claims/claim.hpp"
#include "streamalloc/claims/claim_table.hpp"
#include "streamalloc/stream_ids.hpp"
#include "streamalloc/uint128.hpp"

namespace streamalloc::claims {

class claim_registry {
 public:
  // The registry of rank `owner` for streams of `origin` (copied: claims are checked against the
  // campaign's root key and root PCG64).
  claim_registry(campaign origin, rank_id owner);
  ~claim_registry();
  claim_registry(const claim_registry&) = delete;
  claim_registry& operator=(const claim_registry&) = delete;

  // Records `taken`. Throws invalid_argument if it is malformed (see validate()) or its owner is
  // not this registry's rank; throws reuse_error, naming both claims, if this rank already holds
  // the same stream (see above). On a throw nothing is recorded.
  void add(const claim& taken);

  // Sets the draws used by the stream(s) of `taken` (a claim returned by add's caller, or any
  // sub-range of a held range; a held range is split as needed). Throws invalid_argument if this
  // rank holds no such claim. Exceeding the budget is not refused here: verify() reports it.
  void record_use(const claim& taken, uint128 used);

  // All held claims, in a deterministic order (by kind, then descriptor).
  std::vector<claim> snapshot() const;
  // Calls visit(c) for every held claim, in snapshot()'s order, without copying them (verify()
  // reads a million claims this way). The registry is locked meanwhile: `visit` must not call
  // back into it.
  void for_each(const std::function<void(const claim&)>& visit) const;
  // An immutable copy of every held claim, in snapshot()'s order, compact (claim_table.hpp):
  // what verify() checks while other threads may go on claiming.
  claim_table table() const;
  // Number of claim records (ranges count once) and of streams (ranges count `count` times).
  std::size_t records() const;
  std::uint64_t streams() const;

  const campaign& origin() const noexcept;
  rank_id owner() const noexcept;

  struct impl;  // opaque (defined in the library)

 private:
  std::unique_ptr<impl> impl_;
};

}  // namespace streamalloc::claims
