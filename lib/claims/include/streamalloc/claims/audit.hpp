// streamalloc/mpi/audit.hpp — `streamalloc audit M1 M2 ...`: reuse and overlap across runs.
//
// Reads any number of manifests and runs find_conflicts() over all their claims together, each
// claim with its own manifest's campaign, so runs of one campaign that reused IDs and runs of
// different campaigns that alias (entropy 0 vs [0, 0]) are both caught. Conflicts name each
// claim's file and line ("run2.jsonl:57") next to its rank and task. Serial (no MPI).
#pragma once

#include <cstddef>
#include <filesystem>
#include <iosfwd>
#include <memory>
#include <span>
#include <vector>

#include "streamalloc/campaign.hpp"
#include "streamalloc/claims/conflict.hpp"

namespace streamalloc::claims {

struct audit_report {
  std::vector<std::filesystem::path> manifests;  // as given
  std::size_t claims = 0;                        // claim records (a range counts once)
  std::vector<conflict> conflicts;               // as find_conflicts() orders them
  // The manifests' campaigns, which the conflicts' `origin` pointers refer to (shared, so a
  // copied report stays valid).
  std::vector<std::shared_ptr<const campaign>> campaigns;

  bool clean() const noexcept { return conflicts.empty(); }
};

// Reads every manifest (read_manifest's errors propagate: io_error / invalid_argument, each
// starting "<file>:<line>: "), refuses a file given twice (invalid_argument), and finds all
// conflicts among all claims.
audit_report audit_manifests(std::span<const std::filesystem::path> manifests);

// The CLI contract of `streamalloc audit`:
//   0  clean: prints "audit: N manifests, M claims, no conflicts" on `out`;
//   1  conflicts: one line per conflict on `out`, then "audit: N manifests, M claims,
//      K conflicts";
//   2  bad input (no manifests, unreadable, truncated or malformed file): one line on `err`
//      naming the file and line.
int run_audit(std::span<const std::filesystem::path> manifests, std::ostream& out,
              std::ostream& err);

}  // namespace streamalloc::claims
