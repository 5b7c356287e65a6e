// Private to streamalloc::claims: how the claim registry and claim tables store range claims
// compactly. A claim of a run of stream IDs / jump indices / spawn components is 24 bytes
// (first, count, an interned (budget, used) pair, its task in a shared arena), kept per
// namespace (kind, job, prefix) in a sorted store of chunks: O(log n) lookups and inserts, and
// ~24-36 bytes per record instead of a map node around a 200-byte claim.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "streamalloc/claims/claim.hpp"
#include "streamalloc/error.hpp"
#include "streamalloc/stream_ids.hpp"
#include "streamalloc/uint128.hpp"

namespace streamalloc::claims::detail {

struct run_record {
  std::uint64_t first;
  std::uint64_t count;
  std::uint32_t meta;  // index into the interned (budget, used) pairs
  std::uint32_t task;  // 0: no task; else bit 31: lockstep, bits 0..30: 1 + offset in the arena
  std::uint64_t last() const noexcept { return first + (count - 1); }
};
static_assert(sizeof(run_record) == 24);

inline constexpr std::uint32_t lockstep_flag = std::uint32_t{1} << 31;

struct claim_meta {
  uint128 budget;
  uint128 used;
  friend auto operator<=>(const claim_meta&, const claim_meta&) = default;
};

// (budget, used) pairs, each stored once: claims of one run differ in neither.
class meta_table {
 public:
  std::uint32_t intern(uint128 budget, uint128 used) {
    const claim_meta m{budget, used};
    if (!metas_.empty() && metas_[last_] == m) return last_;
    const auto [it, added] = index_.emplace(m, static_cast<std::uint32_t>(metas_.size()));
    if (added) metas_.push_back(m);
    last_ = it->second;
    return last_;
  }
  const claim_meta& operator[](std::uint32_t i) const noexcept { return metas_[i]; }
  const std::vector<claim_meta>& all() const noexcept { return metas_; }

 private:
  std::vector<claim_meta> metas_;
  std::map<claim_meta, std::uint32_t> index_;
  std::uint32_t last_ = 0;
};

// Task paths, stored as [length, parts...] in one vector of words.
class task_arena {
 public:
  // The record's task field for `task` (0 for none), lockstep or not.
  std::uint32_t add(const std::optional<task_path>& task, bool lockstep) {
    if (!task) return 0;
    const std::size_t at = words_.size();
    if (at + task->depth() + 1 >= lockstep_flag - 1) {
      throw invalid_argument(
          "claim registry: more than 2^31 words of task paths, the most it "
          "can hold; expected fewer distinct tasks per rank");
    }
    words_.push_back(task->depth());
    words_.insert(words_.end(), task->parts().begin(), task->parts().end());
    return static_cast<std::uint32_t>(at + 1) | (lockstep ? lockstep_flag : 0);
  }
  static bool lockstep(std::uint32_t field) noexcept { return (field & lockstep_flag) != 0; }
  static std::uint32_t with_lockstep(std::uint32_t field, bool on) noexcept {
    return on ? (field | lockstep_flag) : (field & ~lockstep_flag);
  }
  // The parts of the task in `field` (non-zero).
  const std::uint64_t* parts(std::uint32_t field, std::size_t& depth) const noexcept {
    const std::size_t at = (field & ~lockstep_flag) - 1;
    depth = static_cast<std::size_t>(words_[at]);
    return words_.data() + at + 1;
  }
  std::optional<task_path> get(std::uint32_t field) const {
    if (field == 0) return std::nullopt;
    std::size_t depth = 0;
    const std::uint64_t* p = parts(field, depth);
    return task_path(std::vector<std::uint64_t>(p, p + depth));
  }
  const std::vector<std::uint64_t>& words() const noexcept { return words_; }
  void shrink_to_fit() { words_.shrink_to_fit(); }

 private:
  std::vector<std::uint64_t> words_;
};

// Range records of one namespace, disjoint and sorted by first, in chunks of at most 256.
class run_store {
 public:
  struct location {
    std::size_t chunk;
    std::size_t index;
  };

  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }

  run_record& at(location l) noexcept { return chunks_[l.chunk][l.index]; }
  const run_record& at(location l) const noexcept { return chunks_[l.chunk][l.index]; }

  // The last record with first <= x, if any.
  std::optional<location> last_at_or_before(std::uint64_t x) const noexcept {
    const auto c = std::upper_bound(firsts_.begin(), firsts_.end(), x);
    if (c == firsts_.begin()) return std::nullopt;
    const std::size_t chunk = static_cast<std::size_t>(c - firsts_.begin()) - 1;
    const auto& records = chunks_[chunk];
    const auto r =
        std::upper_bound(records.begin(), records.end(), x,
                         [](std::uint64_t v, const run_record& rec) { return v < rec.first; });
    return location{chunk, static_cast<std::size_t>(r - records.begin()) - 1};
  }
  // The record intersecting [lo, hi], if any (records are disjoint: only the last one starting
  // at or before hi can).
  std::optional<location> overlapping(std::uint64_t lo, std::uint64_t hi) const noexcept {
    const auto l = last_at_or_before(hi);
    if (!l || at(*l).last() < lo) return std::nullopt;
    return l;
  }
  // The record starting exactly at x, if any.
  std::optional<location> starting_at(std::uint64_t x) const noexcept {
    const auto l = last_at_or_before(x);
    if (!l || at(*l).first != x) return std::nullopt;
    return l;
  }

  void insert(const run_record& r) {
    ++size_;
    if (chunks_.empty()) {
      chunks_.emplace_back(1, r);
      firsts_.push_back(r.first);
      return;
    }
    const auto c = std::upper_bound(firsts_.begin(), firsts_.end(), r.first);
    std::size_t chunk =
        c == firsts_.begin() ? 0 : static_cast<std::size_t>(c - firsts_.begin()) - 1;
    auto& records = chunks_[chunk];
    const auto pos =
        std::upper_bound(records.begin(), records.end(), r.first,
                         [](std::uint64_t v, const run_record& rec) { return v < rec.first; });
    if (records.size() < chunk_capacity) {
      records.insert(pos, r);
      firsts_[chunk] = records.front().first;
      return;
    }
    if (pos == records.end() && chunk + 1 == chunks_.size()) {
      // Appending past the end (claims in increasing order): a fresh chunk, the full one stays
      // full.
      chunks_.emplace_back(1, r);
      firsts_.push_back(r.first);
      return;
    }
    // Split the full chunk in halves, then insert into the half it belongs to.
    const auto offset = static_cast<std::size_t>(pos - records.begin());
    std::vector<run_record> upper(records.begin() + chunk_capacity / 2, records.end());
    records.erase(records.begin() + chunk_capacity / 2, records.end());
    chunks_.insert(chunks_.begin() + static_cast<std::ptrdiff_t>(chunk) + 1, std::move(upper));
    firsts_.insert(firsts_.begin() + static_cast<std::ptrdiff_t>(chunk) + 1,
                   chunks_[chunk + 1].front().first);
    if (offset > chunk_capacity / 2 ||
        (offset == chunk_capacity / 2 && r.first > chunks_[chunk].back().first)) {
      ++chunk;
    }
    auto& into = chunks_[chunk];
    into.insert(
        std::upper_bound(into.begin(), into.end(), r.first,
                         [](std::uint64_t v, const run_record& rec) { return v < rec.first; }),
        r);
    firsts_[chunk] = into.front().first;
  }

  void erase(location l) {
    --size_;
    auto& records = chunks_[l.chunk];
    records.erase(records.begin() + static_cast<std::ptrdiff_t>(l.index));
    if (records.empty()) {
      chunks_.erase(chunks_.begin() + static_cast<std::ptrdiff_t>(l.chunk));
      firsts_.erase(firsts_.begin() + static_cast<std::ptrdiff_t>(l.chunk));
    } else {
      firsts_[l.chunk] = records.front().first;
    }
  }

  // The first record, if any.
  std::optional<location> first() const noexcept {
    if (chunks_.empty()) return std::nullopt;
    return location{0, 0};
  }
  // The record after l, if any.
  std::optional<location> next(location l) const noexcept {
    if (l.index + 1 < chunks_[l.chunk].size()) return location{l.chunk, l.index + 1};
    if (l.chunk + 1 < chunks_.size()) return location{l.chunk + 1, 0};
    return std::nullopt;
  }

  // Appends every record, in order, to `out` (chunk by chunk: a copy, not a loop).
  void append_to(std::vector<run_record>& out) const {
    for (const auto& records : chunks_) out.insert(out.end(), records.begin(), records.end());
  }

  template <class Visit>
  void for_each(Visit&& visit) const {
    for (const auto& records : chunks_) {
      for (const auto& r : records) visit(r);
    }
  }

 private:
  static constexpr std::size_t chunk_capacity = 256;
  std::vector<std::vector<run_record>> chunks_;
  std::vector<std::uint64_t> firsts_;  // chunks_[i].front().first
  std::size_t size_ = 0;
};

}  // namespace streamalloc::claims::detail
