#include "streamalloc/claims/audit.hpp"

#include <algorithm>
#include <iterator>
#include <optional>
#include <string>
#include <system_error>
#include <unordered_map>

#include "src/manifest/apply_use.hpp"
#include "streamalloc/claims/manifest_reader.hpp"
#include "streamalloc/error.hpp"

namespace streamalloc::claims {
namespace {

// Where a claim came from: its manifest, and for run records its shard and line there.
struct place {
  std::uint32_t manifest = 0;
  std::optional<std::uint32_t> shard;
  std::uint64_t line = 0;
};

struct entry {
  sourced_claim claim;
  place at;
};

// The records' lineage: which manifest each run's record is, and whom each restarted from.
class lineage {
 public:
  explicit lineage(const std::vector<manifest_header>& headers) : headers_(headers) {
    for (std::uint32_t i = 0; i < headers.size(); ++i) {
      if (!headers[i].run.empty()) by_run_.emplace(headers[i].run, i);
    }
  }

  // True if the claim at `abandoned` was made after the commit from which some restart leading
  // to manifest `descendant` resumed — i.e. `descendant` (or a restart between them) redid that
  // part of `abandoned`'s record.
  bool redid(const place& abandoned, std::uint32_t descendant) const {
    if (!abandoned.shard) return false;  // single-file manifests have no commits
    std::uint32_t at = descendant;
    for (std::size_t depth = 0; depth <= headers_.size(); ++depth) {
      const auto& from = headers_[at].resumed_from;
      if (!from) return false;
      const auto parent = by_run_.find(from->run);
      if (parent == by_run_.end()) return false;  // its predecessor is not being audited
      if (parent->second == abandoned.manifest) {
        const std::uint32_t shard = *abandoned.shard;
        if (shard >= from->shard_lines.size()) return false;
        // Shard line 1 is its header: claim line k + 1 is the k-th line committed.
        return abandoned.line > from->shard_lines[shard] + 1;
      }
      at = parent->second;
    }
    return false;  // a cycle of run IDs: no lineage
  }

 private:
  const std::vector<manifest_header>& headers_;
  std::unordered_map<std::string, std::uint32_t> by_run_;
};

// The streams both claims name ([lo, hi] of their runs), when one descriptor was taken twice.
struct overlap {
  std::uint64_t lo;
  std::uint64_t hi;
};

std::optional<overlap> shared_streams(const claim& a, const claim& b) {
  if (a.kind != b.kind || a.job != b.job || a.prefix != b.prefix) return std::nullopt;
  if (a.kind == claim_kind::philox_position || a.kind == claim_kind::pcg64_position) {
    return std::nullopt;  // hand-built streams have no task layout to replay
  }
  const std::uint64_t lo = std::max(a.first, b.first);
  const std::uint64_t hi = std::min(a.last(), b.last());
  if (lo > hi) return std::nullopt;
  return overlap{lo, hi};
}

// Every shared stream serves the same task in both claims (tasks advance by one per stream in
// lockstep runs, or stay the same: checking both ends covers every mix of the two).
bool same_tasks(const claim& a, const claim& b, overlap o) {
  return task_of(a, o.lo) == task_of(b, o.lo) && task_of(a, o.hi) == task_of(b, o.hi);
}

// The parts of `c` outside [o.lo, o.hi].
std::vector<claim> outside(const claim& c, overlap o) {
  std::vector<claim> out;
  if (o.lo > c.first) out.push_back(slice(c, c.first, o.lo - c.first));
  if (o.hi < c.last()) out.push_back(slice(c, o.hi + 1, c.last() - o.hi));
  return out;
}

}  // namespace

audit_report audit_manifests(std::span<const std::filesystem::path> manifests) {
  audit_report report;
  // The same run twice would report every claim as reused: refuse it as bad input instead.
  for (std::size_t i = 0; i < manifests.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      std::error_code ec;
      if (std::filesystem::equivalent(manifests[j], manifests[i], ec) && !ec) {
        throw invalid_argument(manifests[i].string() + ":1: the same file as " +
                               manifests[j].string() + "; give each manifest once");
      }
    }
  }
  std::vector<entry> all;
  std::vector<manifest_header> headers;
  for (std::uint32_t m = 0; m < manifests.size(); ++m) {
    manifest_reader reader(manifests[m]);
    headers.push_back(reader.header());
    report.campaigns.push_back(std::make_shared<const campaign>(reader.header().campaign));
    const campaign* origin = report.campaigns.back().get();
    // Uses recorded after their claims are applied to this manifest's claims, which start at
    // `first` in `all`.
    const std::size_t first = all.size();
    reader.read([&](const claim& c, const claim_location& at) {
      std::string source = at.file->string() + ":" + std::to_string(at.line);
      if (!at.update) {
        all.push_back({{origin, c, std::move(source)}, {m, at.shard, at.line}});
        return;
      }
      try {
        std::vector<entry> mine(std::make_move_iterator(all.begin() + static_cast<std::ptrdiff_t>(first)),
                                std::make_move_iterator(all.end()));
        all.resize(first);
        detail::apply_use_to(mine, c, [](entry& e) -> claim& { return e.claim.what; });
        all.insert(all.end(), std::make_move_iterator(mine.begin()),
                   std::make_move_iterator(mine.end()));
      } catch (const invalid_argument& e) {
        throw invalid_argument(source + ": " + e.what());
      }
    });
  }
  report.manifests.assign(manifests.begin(), manifests.end());
  report.claims = all.size();

  const lineage runs(headers);
  const auto find = [&](const std::unordered_multimap<std::string, std::size_t>& index,
                        const sourced_claim& c) -> std::optional<std::size_t> {
    const auto range = index.equal_range(c.source);
    for (auto it = range.first; it != range.second; ++it) {
      if (all[it->second].claim.what == c.what) return it->second;
    }
    return std::nullopt;
  };
  // Find the conflicts, set the abandoned part of every replayed claim aside, and find them
  // again, until a pass finds no replay (each pass removes at least one stream, so this ends;
  // a bound keeps pathological inputs from looping long — what is left is then reported).
  for (int pass = 0;; ++pass) {
    std::vector<sourced_claim> claims;
    claims.reserve(all.size());
    for (const entry& e : all) claims.push_back(e.claim);
    std::vector<conflict> found = find_conflicts(claims);
    claims.clear();
    claims.shrink_to_fit();
    if (pass == 64) {
      report.conflicts = std::move(found);
      break;
    }
    std::unordered_multimap<std::string, std::size_t> index;
    index.reserve(all.size());
    for (std::size_t i = 0; i < all.size(); ++i) index.emplace(all[i].claim.source, i);
    // For each abandoned claim, the streams replayed (replacements computed after the scan).
    std::vector<std::pair<std::size_t, overlap>> replayed;
    std::vector<conflict> reuse;
    for (conflict& c : found) {
      bool replay = false;
      if (c.kind == conflict_kind::same_descriptor) {
        const auto a = find(index, c.first);
        const auto b = find(index, c.second);
        const auto o = shared_streams(c.first.what, c.second.what);
        if (a && b && o && c.first.origin != nullptr && c.second.origin != nullptr &&
            *c.first.origin == *c.second.origin && same_tasks(c.first.what, c.second.what, *o)) {
          for (const auto& [old, young] : {std::pair{*a, *b}, std::pair{*b, *a}}) {
            if (runs.redid(all[old].at, all[young].at.manifest)) {
              replayed.emplace_back(old, *o);
              replay = true;
              break;
            }
          }
        }
      }
      if (!replay) reuse.push_back(std::move(c));
    }
    if (replayed.empty()) {
      report.conflicts = std::move(reuse);
      break;
    }
    // Set the replayed streams aside: one claim may be replayed in several pieces.
    std::sort(replayed.begin(), replayed.end(), [](const auto& x, const auto& y) {
      return x.first != y.first ? x.first > y.first : x.second.lo > y.second.lo;
    });
    for (const auto& [index_of, o] : replayed) {
      const claim& held = all[index_of].claim.what;
      if (o.lo < held.first || o.hi > held.last()) continue;  // already set aside in this pass
      ++report.replays;
      report.replayed_streams += o.hi - o.lo + 1;
      std::vector<entry> parts;
      for (claim& piece : outside(held, o)) {
        parts.push_back(all[index_of]);
        parts.back().claim.what = std::move(piece);
      }
      all.erase(all.begin() + static_cast<std::ptrdiff_t>(index_of));
      all.insert(all.begin() + static_cast<std::ptrdiff_t>(index_of),
                 std::make_move_iterator(parts.begin()), std::make_move_iterator(parts.end()));
    }
  }
  return report;
}

}  // namespace streamalloc::claims
