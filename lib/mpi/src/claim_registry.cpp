#include "streamalloc/mpi/claim_registry.hpp"

#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_set>
#include <utility>

#include "stream_geometry.hpp"
#include "streamalloc/error.hpp"

namespace streamalloc::mpi {

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

space_key space_of(const claim& c) {
  // Philox IDs and jump indices name the same stream in every run of the campaign, so the job
  // is not part of their namespace; a spawn path is relative to its run (the job index is the
  // spawn key's first element).
  if (c.kind == claim_kind::spawn_path) return {c.kind, c.job.value(), c.prefix};
  return {c.kind, 0, {}};
}

// Claims that may share one range record: everything but first/count equal.
bool mergeable(const claim& a, const claim& b) {
  return a.job == b.job && a.owner == b.owner && a.task == b.task && a.budget == b.budget &&
         a.used == b.used && a.sequence == b.sequence && a.position == b.position &&
         a.position_high == b.position_high;
}

using range_map = std::map<std::uint64_t, claim>;  // first -> claim; ranges are disjoint

// The held range intersecting [first, last], if any. Ranges are disjoint, so only the last one
// starting at or before `last` can intersect.
range_map::const_iterator overlapping(const range_map& held, std::uint64_t first,
                                      std::uint64_t last) {
  auto it = held.upper_bound(last);
  if (it == held.begin()) return held.end();
  --it;
  return it->second.last() >= first ? it : held.end();
}

// The spawn path's SeedSequence pool: equal pools are the same stream for every generator.
std::vector<std::uint32_t> spawn_pool(const campaign& origin, const claim& c, std::uint64_t index) {
  std::vector<std::uint64_t> parts = c.prefix;
  parts.push_back(index);
  return origin.spawn_sequence(c.job, task_path(std::move(parts))).pool();
}

std::uint64_t hash_pool(const std::vector<std::uint32_t>& pool) noexcept {
  // FNV-1a over the words; only a filter in front of an exact comparison.
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (const auto word : pool) {
    h ^= word;
    h *= 0x100000001b3ULL;
  }
  return h;
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
  std::map<std::uint64_t, claim> philox_aliases;
  std::map<std::uint64_t, claim> jump_aliases;
  // Hashes of the pools of every spawn path held; a hit is confirmed by an exact search.
  std::unordered_set<std::uint64_t> spawn_pool_hashes;
  std::uint64_t stream_count = 0;

  [[noreturn]] void refuse(const claim& taken, const claim& held, std::string_view why) const {
    throw reuse_error("rank " + std::to_string(owner.value()) + " cannot take " +
                      taken.describe() + ": " + std::string(why) + " " + held.describe() +
                      ", which this rank already holds");
  }

  const range_map* find_space(const space_key& key) const {
    const auto it = ranges.find(key);
    return it == ranges.end() ? nullptr : &it->second;
  }

  // The held spawn claim whose element has exactly this pool (slow path: hash hits only).
  const claim* find_spawn_pool(const std::vector<std::uint32_t>& pool) const {
    for (const auto& [key, held] : ranges) {
      if (key.kind != claim_kind::spawn_path) continue;
      for (const auto& [first, c] : held) {
        for (std::uint64_t i = c.first;; ++i) {
          if (spawn_pool(origin, c, i) == pool) return &c;
          if (i == c.last()) break;
        }
      }
    }
    return nullptr;
  }

  void check_range(const claim& taken, std::vector<std::uint64_t>& new_pool_hashes) const {
    if (const range_map* held = find_space(space_of(taken))) {
      const auto it = overlapping(*held, taken.first, taken.last());
      if (it != held->end()) refuse(taken, it->second, "it overlaps");
    }
    const auto check_alias = [&](const std::map<std::uint64_t, claim>& aliases) {
      const auto it = aliases.lower_bound(taken.first);
      if (it != aliases.end() && it->first <= taken.last()) {
        refuse(taken, it->second, "it is the same stream as");
      }
    };
    if (taken.kind == claim_kind::philox_id) check_alias(philox_aliases);
    if (taken.kind == claim_kind::jump_index) check_alias(jump_aliases);
    if (taken.kind == claim_kind::spawn_path) {
      for (std::uint64_t i = taken.first;; ++i) {
        const auto pool = spawn_pool(origin, taken, i);
        const std::uint64_t h = hash_pool(pool);
        if (spawn_pool_hashes.contains(h)) {
          if (const claim* same = find_spawn_pool(pool)) {
            refuse(taken, *same, "its SeedSequence pool equals that of");
          }
        }
        new_pool_hashes.push_back(h);
        if (i == taken.last()) break;
      }
    }
  }

  void insert_range(const claim& taken) {
    range_map& held = ranges[space_of(taken)];
    claim merged = taken;
    // Extend the range ending just before, and absorb the one starting just after, when they
    // differ only in first/count: consecutive IDs from one allocator become one record.
    if (merged.first > 0) {
      const auto before = overlapping(held, merged.first - 1, merged.first - 1);
      if (before != held.end() && mergeable(before->second, merged)) {
        merged.count += before->second.count;
        merged.first = before->second.first;
        held.erase(before);
      }
    }
    if (merged.last() < UINT64_MAX) {
      const auto after = held.find(merged.last() + 1);
      if (after != held.end() && mergeable(after->second, merged)) {
        merged.count += after->second.count;
        held.erase(after);
      }
    }
    held.emplace(merged.first, std::move(merged));
  }

  // The index a position claim aliases (see the header), if any, and the map it goes into.
  std::pair<std::map<std::uint64_t, claim>*, std::uint64_t> alias_of(const claim& taken) {
    if (taken.kind == claim_kind::philox_position && taken.position == 0 &&
        taken.position_high == 0) {
      const uint128 index = detail::philox_index_of_key(origin, taken.sequence);
      if (high64(index) == 0) return {&philox_aliases, low64(index)};
    }
    if (taken.kind == claim_kind::pcg64_position) {
      if (const auto index = detail::jump_index_at(origin, taken.position, taken.sequence)) {
        return {&jump_aliases, *index};
      }
    }
    return {nullptr, 0};
  }

  void add_position(const claim& taken) {
    const auto key = position_of(taken);
    if (const auto it = positions.find(key); it != positions.end()) {
      refuse(taken, it->second, "it starts at the same position on the same sequence as");
    }
    const auto [aliases, index] = alias_of(taken);
    if (aliases != nullptr) {
      const claim_kind id_kind = aliases == &philox_aliases ? claim_kind::philox_id
                                                            : claim_kind::jump_index;
      if (const range_map* held = find_space({id_kind, 0, {}})) {
        const auto it = overlapping(*held, index, index);
        if (it != held->end()) refuse(taken, it->second, "it is the same stream as");
      }
      aliases->emplace(index, taken);
    }
    positions.emplace(key, taken);
  }

  void add(const claim& taken) {
    if (is_range_kind(taken.kind)) {
      std::vector<std::uint64_t> new_pool_hashes;
      check_range(taken, new_pool_hashes);
      // All checks passed: only now change anything.
      spawn_pool_hashes.insert(new_pool_hashes.begin(), new_pool_hashes.end());
      insert_range(taken);
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
    const auto space = ranges.find(space_of(taken));
    auto it = space == ranges.end() ? range_map::const_iterator{}
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
      claim left = held;
      left.count = taken.first - held.first;
      space->second.emplace(left.first, left);
    }
    claim middle = held;
    middle.first = taken.first;
    middle.count = taken.count;
    middle.used = used;
    space->second.emplace(middle.first, middle);
    if (held.last() > taken.last()) {
      claim right = held;
      right.first = taken.last() + 1;
      right.count = held.last() - taken.last();
      space->second.emplace(right.first, right);
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
  const std::lock_guard lock(impl_->mutex);
  std::vector<claim> out;
  for (const auto& [key, held] : impl_->ranges) {
    for (const auto& [first, c] : held) out.push_back(c);
  }
  for (const auto& [key, c] : impl_->positions) out.push_back(c);
  return out;
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

}  // namespace streamalloc::mpi
