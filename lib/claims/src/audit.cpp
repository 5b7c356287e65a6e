#include "streamalloc/claims/audit.hpp"

#include <algorithm>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <string_view>
#include <unordered_map>

#include "src/manifest/apply_use.hpp"
#include "streamalloc/claims/manifest_reader.hpp"
#include "streamalloc/error.hpp"

namespace streamalloc::claims {
namespace {

// Where a claim came from: its manifest, and for run records its shard and line there, and
// the file (an index into the audit's file names) whose line it is.
struct place {
  std::uint32_t manifest = 0;
  std::optional<std::uint32_t> shard;
  std::uint64_t line = 0;
  std::uint32_t file = 0;
};

// Claims carry a short token as their source while the conflicts are found — "\x1f" and the
// claim record's number in 8 hex digits, short enough for std::string's inline buffer, so a
// million claims cost no million heap strings — and the conflicts' messages get "<file>:<line>"
// afterwards.
constexpr char token_mark = '\x1f';
constexpr std::size_t token_digits = 8;

std::string token(std::uint32_t record) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out(1 + token_digits, token_mark);
  for (std::size_t i = 0; i < token_digits; ++i) {
    out[token_digits - i] = digits[(record >> (4 * i)) & 0xF];
  }
  return out;
}

// The record number of a token at `at` in `text`, if there is one.
std::optional<std::uint32_t> token_at(std::string_view text, std::size_t at) {
  if (at + 1 + token_digits > text.size() || text[at] != token_mark) return std::nullopt;
  std::uint32_t value = 0;
  for (std::size_t i = 1; i <= token_digits; ++i) {
    const char c = text[at + i];
    const int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    if (d < 0) return std::nullopt;
    value = (value << 4) | static_cast<std::uint32_t>(d);
  }
  return value;
}

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
  // Every claim record once, as find_conflicts takes it, with where it came from alongside.
  std::vector<sourced_claim> all;
  std::vector<place> places;       // all[i] came from places[i]
  std::vector<place> records;      // by record number (the token): for the messages
  std::vector<std::string> files;  // the manifests' and shards' names
  std::vector<manifest_header> headers;
  // Headers first: their claim counts size the lists once (no doubling while reading).
  std::vector<std::unique_ptr<manifest_reader>> readers;
  std::uint64_t expected = 0;
  for (const auto& file : manifests) {
    readers.push_back(std::make_unique<manifest_reader>(file));
    expected += readers.back()->header().claims;
  }
  const auto reserve = static_cast<std::size_t>(std::min<std::uint64_t>(expected, 1ULL << 32));
  all.reserve(reserve);
  places.reserve(reserve);
  records.reserve(reserve);
  for (std::uint32_t m = 0; m < manifests.size(); ++m) {
    manifest_reader& reader = *readers[m];
    headers.push_back(reader.header());
    report.campaigns.push_back(std::make_shared<const campaign>(reader.header().campaign));
    const campaign* origin = report.campaigns.back().get();
    // Uses recorded after their claims are applied to this manifest's claims, which start at
    // `first` in `all`.
    const std::size_t first = all.size();
    const std::filesystem::path* file = nullptr;
    reader.read([&](const claim& c, const claim_location& at) {
      if (at.file != file) {
        file = at.file;
        files.push_back(file->string());
      }
      const place here{m, at.shard, at.line, static_cast<std::uint32_t>(files.size() - 1)};
      if (!at.update) {
        if (records.size() > 0xFFFFFFFFU) {
          throw invalid_argument(file->string() + ":" + std::to_string(at.line) +
                                 ": more than 2^32 claim records in one audit");
        }
        all.push_back({origin, c, token(static_cast<std::uint32_t>(records.size()))});
        places.push_back(here);
        records.push_back(here);
        return;
      }
      try {
        // A use splits the claims it covers; each part keeps its claim's source and place.
        struct item {
          sourced_claim c;
          place p;
        };
        std::vector<item> mine;
        for (std::size_t i = first; i < all.size(); ++i) mine.push_back({std::move(all[i]), places[i]});
        all.resize(first);
        places.resize(first);
        detail::apply_use_to(mine, c, [](item& e) -> claim& { return e.c.what; });
        for (auto& e : mine) {
          all.push_back(std::move(e.c));
          places.push_back(e.p);
        }
      } catch (const invalid_argument& e) {
        throw invalid_argument(file->string() + ":" + std::to_string(at.line) + ": " + e.what());
      }
    });
  }
  report.manifests.assign(manifests.begin(), manifests.end());
  report.claims = all.size();

  const lineage runs(headers);
  // The entry of `all` holding conflict side `c`: its record's entries are contiguous (parts of
  // a split claim stay where the claim was), found by the record number in its token.
  const auto find = [&](const sourced_claim& c) -> std::optional<std::size_t> {
    const auto record = token_at(c.source, 0);
    if (!record) return std::nullopt;
    std::size_t lo = 0;
    std::size_t hi = all.size();
    while (lo < hi) {  // the first entry whose record number is not below `record`
      const std::size_t mid = lo + (hi - lo) / 2;
      if (*token_at(all[mid].source, 0) < *record) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    for (std::size_t i = lo; i < all.size() && all[i].source == c.source; ++i) {
      if (all[i].what == c.what) return i;
    }
    return std::nullopt;
  };
  // Find the conflicts, set the abandoned part of every replayed claim aside, and find them
  // again, until a pass finds no replay (each pass removes at least one stream, so this ends;
  // a bound keeps pathological inputs from looping long — what is left is then reported).
  for (int pass = 0;; ++pass) {
    std::vector<conflict> found = find_conflicts(all);
    if (pass == 64) {
      report.conflicts = std::move(found);
      break;
    }
    // For each abandoned claim, the streams replayed (replacements computed after the scan).
    std::vector<std::pair<std::size_t, overlap>> replayed;
    std::vector<conflict> reuse;
    for (conflict& c : found) {
      bool replay = false;
      if (c.kind == conflict_kind::same_descriptor) {
        const auto a = find(c.first);
        const auto b = find(c.second);
        const auto o = shared_streams(c.first.what, c.second.what);
        if (a && b && o && c.first.origin != nullptr && c.second.origin != nullptr &&
            *c.first.origin == *c.second.origin && same_tasks(c.first.what, c.second.what, *o)) {
          for (const auto& [old, young] : {std::pair{*a, *b}, std::pair{*b, *a}}) {
            if (runs.redid(places[old], places[young].manifest)) {
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
      const claim held = all[index_of].what;
      if (o.lo < held.first || o.hi > held.last()) continue;  // already set aside in this pass
      ++report.replays;
      report.replayed_streams += o.hi - o.lo + 1;
      std::vector<sourced_claim> parts;
      for (claim& piece : outside(held, o)) parts.push_back({all[index_of].origin, std::move(piece), all[index_of].source});
      const place where = places[index_of];
      all.erase(all.begin() + static_cast<std::ptrdiff_t>(index_of));
      places.erase(places.begin() + static_cast<std::ptrdiff_t>(index_of));
      all.insert(all.begin() + static_cast<std::ptrdiff_t>(index_of),
                 std::make_move_iterator(parts.begin()), std::make_move_iterator(parts.end()));
      places.insert(places.begin() + static_cast<std::ptrdiff_t>(index_of), parts.size(), where);
    }
  }
  all.clear();
  all.shrink_to_fit();
  // Tokens become "<file>:<line>" in the conflicts, which are then in message order, as
  // find_conflicts orders them.
  const auto named = [&](std::string_view text) {
    std::string out;
    out.reserve(text.size() + 32);
    for (std::size_t i = 0; i < text.size();) {
      const auto record = token_at(text, i);
      if (record && *record < records.size()) {
        const place& p = records[*record];
        out += files[p.file] + ":" + std::to_string(p.line);
        i += 1 + token_digits;
      } else {
        out += text[i++];
      }
    }
    return out;
  };
  for (conflict& c : report.conflicts) {
    c.message = named(c.message);
    c.first.source = named(c.first.source);
    c.second.source = named(c.second.source);
  }
  std::stable_sort(report.conflicts.begin(), report.conflicts.end(),
                   [](const conflict& x, const conflict& y) { return x.message < y.message; });
  return report;
}

}  // namespace streamalloc::claims
