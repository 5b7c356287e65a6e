// streamalloc/claims/audit.hpp — reuse and overlap across runs (what `streamalloc audit M1 M2 ...`
// reports).
//
// Reads any number of manifests and runs find_conflicts() over all their claims together, each
// claim with its own manifest's campaign, so runs of one campaign that reused IDs and runs of
// different campaigns that alias (entropy 0 vs [0, 0]) are both caught. Conflicts name each
// claim's file and line ("run2.jsonl:57", or a run record's shard) next to its rank and task.
// Manifests are read one claim at a time (manifest_reader.hpp): no JSON text is held beyond
// one line.
//
// Memory. Claims are held compactly, not as `claim` objects: about 56 bytes per claim record
// (its streams, its task, where it was read), plus 48 bytes per record while the conflicts are
// found, plus, per conflict, its message and claim numbers (~200 bytes) — with the visiting
// form below, which builds each conflict only when it hands it over. The report of the other
// form holds every conflict whole (~1 KB each). 10^7 records audit in under 1 GiB when clean
// (README, "Bounds.").
//
// Restarts. A run restarted from a checkpoint redoes the work its predecessor did after that
// checkpoint, on the same streams: its record names the commit it resumed from
// (record_lineage), and the predecessor's claims after that commit are abandoned. The audit
// tells such a *replay* — the same task of the same job on the same stream, claimed by a
// descendant of the record whose abandoned claim it repeats — from *reuse*: a stream serving two
// different tasks, two jobs, two runs that do not descend from each other, or a descendant
// re-claiming what its predecessor had committed before the restart point. Replays are counted,
// not reported; every manifest of a campaign (killed runs, restarts, other jobs) may be audited
// together. How: the reported same-descriptor conflicts are classified by the records' lineage;
// the abandoned part of each replayed claim is set aside (its stream is still held, by the
// replay) and the conflicts are found again, until no replay is left — so a replay never hides
// a reuse (a pair find_conflicts did not name in one pass is named in the next).
//
// The library returns the report; printing it and exit codes are the caller's
// (`streamalloc audit` maps clean / conflicts / bad input to 0 / 1 / 2). Serial (no MPI).
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <span>
#include <vector>

#include "streamalloc/campaign.hpp"
#include "streamalloc/claims/conflict.hpp"

namespace streamalloc::claims {

struct audit_report {
  std::vector<std::filesystem::path> manifests;  // as given
  std::size_t claims = 0;                        // claim records (a range counts once)
  // As find_conflicts() orders them (reuse); empty when they were handed to a visitor.
  std::vector<conflict> conflicts;
  std::size_t conflict_count = 0;      // conflicts found, kept or visited
  std::size_t replays = 0;             // claims found replayed by a restart (accepted)
  std::uint64_t replayed_streams = 0;  // streams in those replays
  // The manifests' campaigns, which the conflicts' `origin` pointers refer to (shared, so a
  // copied report stays valid).
  std::vector<std::shared_ptr<const campaign>> campaigns;

  bool clean() const noexcept { return conflicts.empty() && conflict_count == 0; }
};

// Reads every manifest (read_manifest's errors propagate: io_error / invalid_argument, each
// starting "<file>:<line>: "), refuses a file given twice (invalid_argument), and finds all
// conflicts among all claims.
audit_report audit_manifests(std::span<const std::filesystem::path> manifests);

// The same audit, handing each conflict to `visit`, in the order the report would list them,
// instead of keeping them (the report's `conflicts` stays empty; `conflict_count` counts them):
// for audits of many conflicting claims, which then hold a message per conflict, not the
// conflict. The same errors, all thrown before the first visit; what `visit` throws propagates.
audit_report audit_manifests(std::span<const std::filesystem::path> manifests,
                             const std::function<void(const conflict&)>& visit);

}  // namespace streamalloc::claims
