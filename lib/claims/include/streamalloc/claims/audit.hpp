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
// The library returns the report; printing it and exit codes are the caller's
// (`streamalloc audit` maps clean / conflicts / bad input to 0 / 1 / 2). Serial (no MPI).
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <span>
#include <vector>

#include "streamalloc/campaign.hpp"
#include "streamalloc/claims/conflict.hpp"

namespace streamalloc::claims {

struct audit_report {
  std::vector<std::filesystem::path> manifests;  // as given
  std::size_t claims = 0;                        // claim records (a range counts once)
  std::vector<conflict> conflicts;               // as find_conflicts() orders them (reuse)
  // The manifests' campaigns, which the conflicts' `origin` pointers refer to (shared, so a
  // copied report stays valid).
  std::vector<std::shared_ptr<const campaign>> campaigns;

  bool clean() const noexcept { return conflicts.empty(); }
};

// Reads every manifest (read_manifest's errors propagate: io_error / invalid_argument, each
// starting "<file>:<line>: "), refuses a file given twice (invalid_argument), and finds all
// conflicts among all claims.
audit_report audit_manifests(std::span<const std::filesystem::path> manifests);

}  // namespace streamalloc::claims
