// Private to streamalloc::claims: the claim registry's state (claim_registry.cpp), shared with
// its spawn alias search (spawn_aliases.cpp) and with claim tables (claim_table.cpp).
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "src/registry/compact_records.hpp"
#include "streamalloc/campaign.hpp"
#include "streamalloc/claims/claim.hpp"
#include "streamalloc/claims/claim_registry.hpp"
#include "streamalloc/claims/claim_table.hpp"

namespace streamalloc::claims {

namespace detail {

// The namespace a range claim's first..last live in. Every job has its own (spawn paths start
// with the job; Philox IDs and jump indices own a job region each in the separated layout; in
// the shared layout of old records the registry compares across jobs itself).
struct space_key {
  claim_kind kind;
  std::uint64_t job;
  std::vector<std::uint64_t> prefix;
  friend auto operator<=>(const space_key&, const space_key&) = default;
};

struct range_space {
  claim_kind kind;
  std::uint64_t job;
  std::vector<std::uint64_t> prefix;
  std::vector<std::uint32_t> head;  // spawn_path: the words of (job, *prefix)
  run_store runs;
};

// A claim from a stored record of a space.
claim materialize(const range_space& space, const run_record& r, rank_id owner,
                  const meta_table& metas, const task_arena& tasks);

// The words NumPy gives a spawn key component: one below 2^32, else two, low first.
inline void append_key_words(std::vector<std::uint32_t>& words, std::uint64_t component) {
  words.push_back(static_cast<std::uint32_t>(component));
  if (component >> 32 != 0) words.push_back(static_cast<std::uint32_t>(component >> 32));
}

}  // namespace detail

struct claim_table::data {
  struct space {
    claim_kind kind;
    std::uint64_t job;
    std::vector<std::uint64_t> prefix;
    std::size_t begin;  // its records: runs[begin, next space's begin)
  };
  rank_id owner{};
  std::vector<space> spaces;
  std::vector<detail::run_record> runs;
  std::vector<detail::claim_meta> metas;
  detail::task_arena tasks;
  std::vector<claim> positions;  // hand-built streams, after the runs
  std::uint64_t streams = 0;
};

struct claim_registry::impl {
  impl(campaign o, rank_id r) : origin(std::move(o)), owner(r) {}

  campaign origin;
  rank_id owner;
  mutable std::mutex mutex;
  std::map<detail::space_key, detail::range_space> spaces;
  // Spawn spaces by the words of (job, *prefix): equal words, equal pools (several spaces can
  // share words: (2^32,) and (0, 1) are both [0, 1]).
  std::map<std::vector<std::uint32_t>, std::vector<detail::range_space*>> spawn_heads;
  detail::meta_table metas;
  detail::task_arena tasks;
  // Hand-built streams, in table order, and by identity whatever their job.
  using position_key = std::tuple<claim_kind, std::uint64_t, uint128, uint128, uint128>;
  std::map<position_key, claim> positions;
  std::map<std::tuple<claim_kind, uint128, uint128, uint128>, const claim*> position_ids;
  // Hand-built streams that are a stream ID's / jump index's stream, by (job, index).
  using alias_map = std::map<std::pair<std::uint64_t, std::uint64_t>, claim>;
  alias_map philox_aliases;
  alias_map jump_aliases;
  std::uint64_t stream_count = 0;
  detail::range_space* last_space = nullptr;  // claims come in runs of one namespace

  bool jobs_apart() const noexcept { return origin.jobs() == job_layout::separated; }
  claim held(const detail::range_space& s, const detail::run_record& r) const {
    return detail::materialize(s, r, owner, metas, tasks);
  }
  [[noreturn]] void refuse(const claim& taken, const claim& held, std::string_view why) const;

  // A held spawn claim sharing a pool with `taken` (of space `own`) through NumPy's word rule
  // — another (job, prefix) with the same words, or a component >= 2^32 against one-word
  // components one level deeper, and back — if any (spawn_aliases.cpp).
  std::optional<claim> spawn_alias(const claim& taken, const detail::range_space& own) const;

  void add(const claim& taken);
  void record_use(const claim& taken, uint128 used);
  template <class Visit>
  void for_each(Visit&& visit) const {
    for (const auto& entry : spaces) {
      // Not a structured binding: Clang before 16 refuses to capture one in a lambda.
      const auto& space = entry.second;
      space.runs.for_each([&](const detail::run_record& r) { visit(held(space, r)); });
    }
    for (const auto& [key, c] : positions) visit(c);
  }
};

}  // namespace streamalloc::claims
