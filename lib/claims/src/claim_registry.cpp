#include "streamalloc/claims/claim_registry.hpp"

#include <algorithm>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>
#include <optional>
#include <utility>

#include "streamalloc/claims/spawn_words.hpp"
#include "streamalloc/stream_geometry.hpp"
#include "streamalloc/error.hpp"

namespace streamalloc::claims {

namespace {

bool is_range_kind(claim_kind kind) noexcept {
  return kind == claim_kind::spawn_path || kind == claim_kind::philox_id ||
         kind == claim_kind::jump_index;
}

// The namespace a range claim's `first..last` live in.
struct space_key {
  claim_kind kind;
  std::uint64_t job;
  std::vector<std::uint64_t> prefix;
  friend auto operator<=>(const space_key&, const space_key&) = default;
};

// A spawn path is relative to its run (the job index is the spawn key's first element); Philox
// IDs and jump indices likewise when jobs own separate regions (`jobs_apart`), and name the same
// stream in every run of the campaign in the shared layout of old records.
space_key space_of(const claim& c, bool jobs_apart) {
  if (c.kind == claim_kind::spawn_path) return {c.kind, c.job.value(), c.prefix};
  return {c.kind, jobs_apart ? c.job.value() : 0, {}};
}

bool in_space(const space_key& key, const claim& c, bool jobs_apart) {
  if (key.kind != c.kind) return false;
  if (c.kind == claim_kind::spawn_path) return key.job == c.job.value() && key.prefix == c.prefix;
  return key.job == (jobs_apart ? c.job.value() : 0);
}

// How a claim starting right after a held range ends may share that range's record.
enum class continuation : std::uint8_t {
  none,      // it may not: something besides first/count differs
  same_task, // every stream serves the same task (or none)
  lockstep,  // the tasks advance with the IDs (claim::task_lockstep)
};

continuation continues(const claim& before, const claim& after) {
  if (before.job != after.job || before.owner != after.owner || before.budget != after.budget ||
      before.used != after.used || before.sequence != after.sequence ||
      before.position != after.position || before.position_high != after.position_high) {
    return continuation::none;
  }
  if (!before.task_lockstep && !after.task_lockstep && before.task == after.task) {
    return continuation::same_task;
  }
  // Lockstep: each side is a lockstep run or a single stream, and the tasks differ only in their
  // last component, which continues where `before` ends.
  if (!before.task || !after.task) return continuation::none;
  if ((before.count > 1 && !before.task_lockstep) || (after.count > 1 && !after.task_lockstep)) {
    return continuation::none;
  }
  const auto& x = before.task->parts();
  const auto& y = after.task->parts();
  if (x.empty() || x.size() != y.size() || !std::equal(x.begin(), x.end() - 1, y.begin())) {
    return continuation::none;
  }
  const bool next = y.back() > x.back() && y.back() - x.back() == before.count;
  return next ? continuation::lockstep : continuation::none;
}

using range_map = std::map<std::uint64_t, claim>;  // first -> claim; ranges are disjoint

// The held range intersecting [first, last], if any. Ranges are disjoint, so only the last one
// starting at or before `last` can intersect.
// (A template so that it gives a mutable iterator for a mutable map.)
template <class Map>
auto overlapping(Map& held, std::uint64_t first, std::uint64_t last) -> decltype(held.begin()) {
  auto it = held.upper_bound(last);
  if (it == held.begin()) return held.end();
  --it;
  return it->second.last() >= first ? it : held.end();
}

// Spawn streams held, as spawn_words.hpp's runs: head -> disjoint [lo, hi] of the varying word.
using word_runs = std::map<std::vector<std::uint32_t>, std::map<std::uint32_t, std::uint32_t>>;

// The first varying word in [lo, hi] that `held` already has under `head`, if any.
std::optional<std::uint32_t> held_word(const word_runs& held, const std::vector<std::uint32_t>& head,
                                       std::uint32_t lo, std::uint32_t hi) {
  const auto runs = held.find(head);
  if (runs == held.end()) return std::nullopt;
  auto it = runs->second.upper_bound(hi);
  if (it == runs->second.begin()) return std::nullopt;
  --it;
  if (it->second < lo) return std::nullopt;
  return std::max(lo, it->first);
}

void add_word_run(word_runs& held, const std::vector<std::uint32_t>& head, std::uint32_t lo,
                  std::uint32_t hi) {
  auto& runs = held[head];
  // Join the run ending just before and the one starting just after (they cannot overlap).
  if (lo > 0) {
    auto before = runs.upper_bound(lo);
    if (before != runs.begin() && std::prev(before)->second == lo - 1) {
      --before;
      lo = before->first;
      runs.erase(before);
    }
  }
  if (hi < UINT32_MAX) {
    if (const auto after = runs.find(hi + 1); after != runs.end()) {
      hi = after->second;
      runs.erase(after);
    }
  }
  runs.emplace(lo, hi);
}

// Keyed by (kind, sequence, position): the identity of a hand-built stream.
using position_key = std::tuple<claim_kind, uint128, uint128, uint128>;

position_key position_of(const claim& c) {
  return {c.kind, c.sequence, c.position_high, c.position};
}

}  // namespace

struct claim_registry::impl {
  impl(campaign o, rank_id r) : origin(std::move(o)), owner(r) {}

  campaign origin;
  rank_id owner;
  mutable std::mutex mutex;
  std::map<space_key, range_map> ranges;
  std::map<position_key, claim> positions;
  // Position claims that start exactly where a stream ID / jump index starts, by that index.
  // Position claims that are ID claims' streams, by (job, ID) / (job, jump index).
  using alias_map = std::map<std::pair<std::uint64_t, std::uint64_t>, claim>;
  alias_map philox_aliases;
  alias_map jump_aliases;
  // Every spawn path held, by its entropy words: equal words are equal SeedSequence pools.
  word_runs spawn_words;
  std::uint64_t stream_count = 0;
  space_key last_key{};
  range_map* last_space = nullptr;

  [[noreturn]] void refuse(const claim& taken, const claim& held, std::string_view why) const {
    throw reuse_error("rank " + std::to_string(owner.value()) + " cannot take " +
                      taken.describe() + ": " + std::string(why) + " " + held.describe() +
                      ", which this rank already holds");
  }

  const range_map* find_space(const space_key& key) const {
    const auto it = ranges.find(key);
    return it == ranges.end() ? nullptr : &it->second;
  }

  // The range map of `taken`'s namespace, created if new. Claims come in long runs from one
  // namespace, so the last one used is remembered (map nodes never move): no key is built or
  // compared with the map on the common path.
  range_map& space_for(const claim& taken) {
    if (last_space != nullptr && in_space(last_key, taken, jobs_apart())) return *last_space;
    last_key = space_of(taken, jobs_apart());
    last_space = &ranges[last_key];
    return *last_space;
  }

  // The held spawn claim with the stream whose words are head ++ [v] (slow path: only when a
  // claim is refused).
  const claim* find_spawn_word(const std::vector<std::uint32_t>& head, std::uint32_t v) const {
    for (const auto& [key, held] : ranges) {
      if (key.kind != claim_kind::spawn_path) continue;
      for (const auto& [first, c] : held) {
        bool found = false;
        for_each_word_run(c, [&](const std::vector<std::uint32_t>& h, std::uint32_t lo,
                                         std::uint32_t hi, std::uint64_t) {
          found = found || (h == head && lo <= v && v <= hi);
        });
        if (found) return &c;
      }
    }
    return nullptr;
  }

  void check_range(const claim& taken, const range_map& held) const {
    if (const auto it = overlapping(held, taken.first, taken.last()); it != held.end()) {
      refuse(taken, it->second, "it overlaps");
    }
    const auto check_alias = [&](const alias_map& aliases) {
      const std::uint64_t job = jobs_apart() ? taken.job.value() : 0;
      const auto it = aliases.lower_bound({job, taken.first});
      if (it != aliases.end() && it->first.first == job && it->first.second <= taken.last()) {
        refuse(taken, it->second, "it is the same stream as");
      }
    };
    if (taken.kind == claim_kind::philox_id) check_alias(philox_aliases);
    if (taken.kind == claim_kind::jump_index) check_alias(jump_aliases);
    if (taken.kind == claim_kind::spawn_path) {
      for_each_word_run(taken, [&](const std::vector<std::uint32_t>& head,
                                           std::uint32_t lo, std::uint32_t hi, std::uint64_t) {
        if (const auto v = held_word(spawn_words, head, lo, hi)) {
          const claim* same = find_spawn_word(head, *v);
          refuse(taken, same != nullptr ? *same : taken, "its SeedSequence pool equals that of");
        }
      });
    }
  }

  // Records `taken` (already checked) in `held`, joining the ranges it continues: consecutive
  // IDs from one allocator become one record, extended in place.
  static void insert_range(range_map& held, const claim& taken) {
    auto after = taken.last() < UINT64_MAX ? held.find(taken.last() + 1) : held.end();
    if (taken.first > 0) {
      const auto before = overlapping(held, taken.first - 1, taken.first - 1);
      if (before != held.end()) {
        if (const auto how = continues(before->second, taken); how != continuation::none) {
          // The node keeps its key (before's first): only its count and flag change.
          claim& joined = before->second;
          joined.count += taken.count;
          joined.task_lockstep = how == continuation::lockstep;
          absorb(held, joined, after);
          return;
        }
      }
    }
    const auto at = held.emplace(taken.first, taken).first;
    absorb(held, at->second, after);
  }

  // Joins the range at `after` (starting right after `joined` ends, or held.end()) into `joined`
  // when it continues it.
  static void absorb(range_map& held, claim& joined, range_map::iterator after) {
    if (after == held.end()) return;
    const auto how = continues(joined, after->second);
    if (how == continuation::none) return;
    joined.count += after->second.count;
    joined.task_lockstep = how == continuation::lockstep;
    held.erase(after);
  }

  bool jobs_apart() const noexcept { return origin.jobs() == job_layout::separated; }

  // The (job, index) a position claim aliases (see the header), if any, and the map it goes
  // into. Philox: key - root key = job * 2^64 + ID (separated layout; else the ID, job 0).
  // Jumped: the jump count = job * 2^40 + index (separated; else the index, job 0).
  std::pair<alias_map*, std::pair<std::uint64_t, std::uint64_t>> alias_of(const claim& taken) {
    if (taken.kind == claim_kind::philox_position && taken.position == 0 &&
        taken.position_high == 0) {
      const uint128 index = philox_index_of_key(origin, taken.sequence);
      if (jobs_apart()) return {&philox_aliases, {high64(index), low64(index)}};
      if (high64(index) == 0) return {&philox_aliases, {0, low64(index)}};
    }
    if (taken.kind == claim_kind::pcg64_position) {
      if (const auto count = jumps_between(origin.jumped_root(), taken.position, taken.sequence)) {
        if (jobs_apart()) {
          const uint128 job = *count >> 40;
          if (job < max_jumped_jobs) {
            return {&jump_aliases, {low64(job), low64(*count) & (jump_indices_per_job - 1)}};
          }
        } else if (high64(*count) == 0) {
          return {&jump_aliases, {0, low64(*count)}};
        }
      }
    }
    return {nullptr, {0, 0}};
  }

  void add_position(const claim& taken) {
    const auto key = position_of(taken);
    if (const auto it = positions.find(key); it != positions.end()) {
      refuse(taken, it->second, "it starts at the same position on the same sequence as");
    }
    const auto [aliases, where] = alias_of(taken);
    if (aliases != nullptr) {
      const claim_kind id_kind = aliases == &philox_aliases ? claim_kind::philox_id
                                                            : claim_kind::jump_index;
      const auto [job, index] = where;
      if (const range_map* held = find_space({id_kind, job, {}})) {
        const auto it = overlapping(*held, index, index);
        if (it != held->end()) refuse(taken, it->second, "it is the same stream as");
      }
      aliases->emplace(where, taken);
    }
    positions.emplace(key, taken);
  }

  void add(const claim& taken) {
    if (is_range_kind(taken.kind)) {
      range_map& held = space_for(taken);  // an empty map left behind on a throw holds nothing
      check_range(taken, held);
      // All checks passed: only now change anything.
      if (taken.kind == claim_kind::spawn_path) {
        for_each_word_run(taken, [&](const std::vector<std::uint32_t>& head,
                                             std::uint32_t lo, std::uint32_t hi, std::uint64_t) {
          add_word_run(spawn_words, head, lo, hi);
        });
      }
      insert_range(held, taken);
    } else {
      add_position(taken);
    }
    stream_count += taken.count;
  }

  void record_use(const claim& taken, uint128 used) {
    if (!is_range_kind(taken.kind)) {
      const auto it = positions.find(position_of(taken));
      if (it == positions.end()) {
        throw invalid_argument("record_use: this rank holds no claim " + taken.describe());
      }
      it->second.used = used;
      return;
    }
    const auto space = ranges.find(space_of(taken, jobs_apart()));
    auto it = space == ranges.end() ? range_map::iterator{}
                                    : overlapping(space->second, taken.first, taken.last());
    if (space == ranges.end() || it == space->second.end() || it->second.first > taken.first ||
        it->second.last() < taken.last()) {
      throw invalid_argument("record_use: this rank holds no claim covering " +
                             taken.describe());
    }
    // Split the held range into [held.first, taken.first), taken, (taken.last, held.last].
    const claim held = it->second;
    space->second.erase(it);
    if (held.first < taken.first) {
      space->second.emplace(held.first, slice(held, held.first, taken.first - held.first));
    }
    claim middle = slice(held, taken.first, taken.count);
    middle.used = used;
    space->second.emplace(middle.first, std::move(middle));
    if (held.last() > taken.last()) {
      space->second.emplace(taken.last() + 1,
                            slice(held, taken.last() + 1, held.last() - taken.last()));
    }
  }
};

claim_registry::claim_registry(campaign origin, rank_id owner)
    : impl_(std::make_unique<impl>(std::move(origin), owner)) {}

claim_registry::~claim_registry() = default;

void claim_registry::add(const claim& taken) {
  validate(taken);
  if (taken.owner != impl_->owner) {
    throw invalid_argument("claim_registry of rank " + std::to_string(impl_->owner.value()) +
                           " cannot record " + taken.describe() + ": its owner is rank " +
                           std::to_string(taken.owner.value()));
  }
  const std::lock_guard lock(impl_->mutex);
  impl_->add(taken);
}

void claim_registry::record_use(const claim& taken, uint128 used) {
  const std::lock_guard lock(impl_->mutex);
  impl_->record_use(taken, used);
}

std::vector<claim> claim_registry::snapshot() const {
  std::vector<claim> out;
  out.reserve(records());
  for_each([&](const claim& c) { out.push_back(c); });
  return out;
}

void claim_registry::for_each(const std::function<void(const claim&)>& visit) const {
  const std::lock_guard lock(impl_->mutex);
  for (const auto& [key, held] : impl_->ranges) {
    for (const auto& [first, c] : held) visit(c);
  }
  for (const auto& [key, c] : impl_->positions) visit(c);
}

std::size_t claim_registry::records() const {
  const std::lock_guard lock(impl_->mutex);
  std::size_t n = impl_->positions.size();
  for (const auto& [key, held] : impl_->ranges) n += held.size();
  return n;
}

std::uint64_t claim_registry::streams() const {
  const std::lock_guard lock(impl_->mutex);
  return impl_->stream_count;
}

const campaign& claim_registry::origin() const noexcept { return impl_->origin; }

rank_id claim_registry::owner() const noexcept { return impl_->owner; }

}  // namespace streamalloc::claims
