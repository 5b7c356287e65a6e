#include "streamalloc/claims/claim_registry.hpp"

#include <algorithm>
#include <string>

#include "src/registry/registry_state.hpp"
#include "streamalloc/claims/identity_sweep.hpp"
#include "streamalloc/error.hpp"
#include "streamalloc/stream_geometry.hpp"

namespace streamalloc::claims {

namespace detail {

claim materialize(const range_space& space, const run_record& r, rank_id owner,
                  const meta_table& metas, const task_arena& tasks) {
  claim c;
  c.kind = space.kind;
  c.first = r.first;
  c.count = r.count;
  c.job = job_index(space.job);
  c.prefix = space.prefix;
  c.owner = owner;
  c.task = tasks.get(r.task);
  c.task_lockstep = task_arena::lockstep(r.task);
  c.budget = metas[r.meta].budget;
  c.used = metas[r.meta].used;
  return c;
}

}  // namespace detail

namespace {

using detail::range_space;
using detail::run_record;
using detail::run_store;

bool is_range_kind(claim_kind kind) noexcept {
  return kind == claim_kind::spawn_path || kind == claim_kind::philox_id ||
         kind == claim_kind::jump_index;
}

// A run as continues() compares it: stored, or being added.
struct run_view {
  std::uint64_t count;
  std::uint32_t meta;
  const std::uint64_t* task = nullptr;  // null: no task
  std::size_t depth = 0;
  bool lockstep = false;
};

run_view view_of(const run_record& r, const detail::task_arena& tasks) {
  run_view v{r.count, r.meta};
  if (r.task != 0) v.task = tasks.parts(r.task, v.depth);
  v.lockstep = detail::task_arena::lockstep(r.task);
  return v;
}

run_view view_of(const claim& c, std::uint32_t meta) {
  run_view v{c.count, meta};
  if (c.task) {
    v.task = c.task->parts().data();
    v.depth = c.task->depth();
  }
  v.lockstep = c.task_lockstep;
  return v;
}

// How a run starting right after `before` ends may share its record.
enum class continuation : std::uint8_t {
  none,       // it may not: budget, use or task differ
  same_task,  // every stream serves the same task (or none)
  lockstep,   // the tasks advance with the IDs (claim::task_lockstep)
};

continuation continues(const run_view& before, const run_view& after) {
  if (before.meta != after.meta) return continuation::none;
  const bool before_has = before.task != nullptr;
  const bool after_has = after.task != nullptr;
  if (!before.lockstep && !after.lockstep && before_has == after_has &&
      (!before_has || (before.depth == after.depth &&
                       std::equal(before.task, before.task + before.depth, after.task)))) {
    return continuation::same_task;
  }
  // Lockstep: each side a lockstep run or a single stream, the tasks equal but in their last
  // component, which continues where `before` ends.
  if (!before_has || !after_has || before.depth == 0 || before.depth != after.depth) {
    return continuation::none;
  }
  if ((before.count > 1 && !before.lockstep) || (after.count > 1 && !after.lockstep)) {
    return continuation::none;
  }
  if (!std::equal(before.task, before.task + before.depth - 1, after.task)) {
    return continuation::none;
  }
  const std::uint64_t x = before.task[before.depth - 1];
  const std::uint64_t y = after.task[after.depth - 1];
  return y > x && y - x == before.count ? continuation::lockstep : continuation::none;
}

}  // namespace

void claim_registry::impl::refuse(const claim& taken, const claim& held,
                                  std::string_view why) const {
  throw reuse_error("rank " + std::to_string(owner.value()) + " cannot take " + taken.describe() +
                    ": " + std::string(why) + " " + held.describe() +
                    ", which this rank already holds");
}

namespace {

// The state a claim is checked and recorded against.
struct adding {
  claim_registry::impl& r;
  const claim& taken;

  range_space& space() {
    const bool spawn = taken.kind == claim_kind::spawn_path;
    if (range_space* last = r.last_space; last != nullptr && last->kind == taken.kind &&
                                          last->job == taken.job.value() &&
                                          (!spawn || last->prefix == taken.prefix)) {
      return *last;
    }
    detail::space_key key{taken.kind, taken.job.value(),
                          spawn ? taken.prefix : std::vector<std::uint64_t>{}};
    auto [it, added] = r.spaces.try_emplace(key);
    range_space& s = it->second;
    if (added) {
      s.kind = taken.kind;
      s.job = taken.job.value();
      s.prefix = key.prefix;
      if (spawn) {
        detail::append_key_words(s.head, s.job);
        for (const auto part : s.prefix) detail::append_key_words(s.head, part);
        r.spawn_heads[s.head].push_back(&s);
      }
    }
    r.last_space = &s;
    return s;
  }

  // Another held record of this stream index: in the space itself, or — in the shared layout
  // of old records, where every job's IDs are one index space — in another job's.
  void check_descriptors(const range_space& own) {
    if (const auto at = own.runs.overlapping(taken.first, taken.last())) {
      r.refuse(taken, r.held(own, own.runs.at(*at)), "it overlaps");
    }
    if (r.jobs_apart() || taken.kind == claim_kind::spawn_path) return;
    for (const auto& [key, other] : r.spaces) {
      if (key.kind != taken.kind || &other == &own) continue;
      if (const auto at = other.runs.overlapping(taken.first, taken.last())) {
        r.refuse(taken, r.held(other, other.runs.at(*at)), "it overlaps");
      }
    }
  }

  void check_aliases(const range_space& own) {
    const auto* aliases = taken.kind == claim_kind::philox_id    ? &r.philox_aliases
                          : taken.kind == claim_kind::jump_index ? &r.jump_aliases
                                                                 : nullptr;
    if (aliases != nullptr) {
      const std::uint64_t job = r.jobs_apart() ? taken.job.value() : 0;
      const auto it = aliases->lower_bound({job, taken.first});
      if (it != aliases->end() && it->first.first == job && it->first.second <= taken.last()) {
        r.refuse(taken, it->second, "it is the same stream as");
      }
    }
    if (taken.kind == claim_kind::spawn_path) {
      if (const auto held = r.spawn_alias(taken, own)) {
        r.refuse(taken, *held, "its SeedSequence pool equals that of");
      }
    }
  }

  // Records `taken` (checked) in `own`, joining the records it continues: consecutive IDs
  // from one allocator become one record, extended in place.
  void insert(range_space& own) {
    run_store& runs = own.runs;
    const std::uint32_t meta = r.metas.intern(taken.budget, taken.used);
    const run_view incoming = view_of(taken, meta);
    auto after = taken.last() < UINT64_MAX ? runs.starting_at(taken.last() + 1) : std::nullopt;
    if (taken.first > 0) {
      if (const auto before = runs.overlapping(taken.first - 1, taken.first - 1)) {
        run_record& joined = runs.at(*before);
        const auto how = continues(view_of(joined, r.tasks), incoming);
        if (how != continuation::none) {
          joined.count += taken.count;
          joined.task =
              detail::task_arena::with_lockstep(joined.task, how == continuation::lockstep);
          absorb(runs, *before, after);
          return;
        }
      }
    }
    runs.insert({taken.first, taken.count, meta, r.tasks.add(taken.task, taken.task_lockstep)});
    const auto at = runs.starting_at(taken.first);
    after = taken.last() < UINT64_MAX ? runs.starting_at(taken.last() + 1) : std::nullopt;
    absorb(runs, *at, after);
  }

  // Joins the record at `after` (starting right after `joined` ends) into `joined` when it
  // continues it.
  void absorb(run_store& runs, run_store::location joined_at,
              std::optional<run_store::location> after) {
    if (!after) return;
    run_record& joined = runs.at(joined_at);
    const run_record next = runs.at(*after);
    const auto how = continues(view_of(joined, r.tasks), view_of(next, r.tasks));
    if (how == continuation::none) return;
    joined.count += next.count;
    joined.task = detail::task_arena::with_lockstep(joined.task, how == continuation::lockstep);
    runs.erase(*runs.starting_at(next.first));  // locations may have moved: look it up again
  }

  // The (job, index) a hand-built stream is the stream of, if any, and the map it goes into.
  // Philox: key - root key = job * 2^64 + ID (separated layout; else the ID, job 0). Jumped:
  // the jump count = job * 2^40 + index (separated; else the index, job 0).
  std::pair<claim_registry::impl::alias_map*, std::pair<std::uint64_t, std::uint64_t>> alias_of() {
    if (taken.kind == claim_kind::philox_position && taken.position == 0 &&
        taken.position_high == 0) {
      const uint128 index = philox_index_of_key(r.origin, taken.sequence);
      if (r.jobs_apart()) return {&r.philox_aliases, {high64(index), low64(index)}};
      if (high64(index) == 0) return {&r.philox_aliases, {0, low64(index)}};
    }
    if (taken.kind == claim_kind::pcg64_position) {
      if (const auto count =
              jumps_between(r.origin.jumped_root(), taken.position, taken.sequence)) {
        if (r.jobs_apart()) {
          const uint128 job = *count >> 40;
          if (job < max_jumped_jobs) {
            return {&r.jump_aliases, {low64(job), low64(*count) & (jump_indices_per_job - 1)}};
          }
        } else if (high64(*count) == 0) {
          return {&r.jump_aliases, {0, low64(*count)}};
        }
      }
    }
    return {nullptr, {0, 0}};
  }

  void add_position() {
    const auto id =
        std::make_tuple(taken.kind, taken.sequence, taken.position_high, taken.position);
    if (const auto it = r.position_ids.find(id); it != r.position_ids.end()) {
      r.refuse(taken, *it->second, "it starts at the same position on the same sequence as");
    }
    const auto [aliases, where] = alias_of();
    if (aliases != nullptr) {
      const claim_kind id_kind =
          aliases == &r.philox_aliases ? claim_kind::philox_id : claim_kind::jump_index;
      const auto [job, index] = where;
      for (const auto& [key, space] : r.spaces) {
        if (key.kind != id_kind || (r.jobs_apart() && key.job != job)) continue;
        if (const auto at = space.runs.overlapping(index, index)) {
          r.refuse(taken, r.held(space, space.runs.at(*at)), "it is the same stream as");
        }
      }
    }
    // All checks passed: only now change anything.
    if (aliases != nullptr) aliases->emplace(where, taken);
    const auto [it, added] =
        r.positions.emplace(std::make_tuple(taken.kind, taken.job.value(), taken.sequence,
                                            taken.position_high, taken.position),
                            taken);
    r.position_ids.emplace(id, &it->second);
  }
};

}  // namespace

void claim_registry::impl::add(const claim& taken) {
  adding a{*this, taken};
  if (is_range_kind(taken.kind)) {
    range_space& own = a.space();  // an empty space left behind on a throw holds nothing
    a.check_descriptors(own);
    a.check_aliases(own);
    a.insert(own);
  } else {
    a.add_position();
  }
  stream_count += taken.count;
}

void claim_registry::impl::record_use(const claim& taken, uint128 used) {
  if (!is_range_kind(taken.kind)) {
    const auto it = positions.find(std::make_tuple(taken.kind, taken.job.value(), taken.sequence,
                                                   taken.position_high, taken.position));
    if (it == positions.end()) {
      throw invalid_argument("record_use: this rank holds no claim " + taken.describe());
    }
    it->second.used = used;
    return;
  }
  const detail::space_key key{
      taken.kind, taken.job.value(),
      taken.kind == claim_kind::spawn_path ? taken.prefix : std::vector<std::uint64_t>{}};
  const auto space = spaces.find(key);
  const auto at = space == spaces.end() ? std::nullopt
                                        : space->second.runs.overlapping(taken.first, taken.last());
  if (!at || space->second.runs.at(*at).first > taken.first ||
      space->second.runs.at(*at).last() < taken.last()) {
    throw invalid_argument("record_use: this rank holds no claim covering " + taken.describe());
  }
  // Split the held record into [held.first, taken.first), taken, (taken.last, held.last]; each
  // piece keeps the tasks of its own streams.
  range_space& s = space->second;
  const claim whole = held(s, s.runs.at(*at));
  s.runs.erase(*at);
  const auto put = [&](const claim& piece, uint128 piece_used) {
    s.runs.insert({piece.first, piece.count, metas.intern(piece.budget, piece_used),
                   tasks.add(piece.task, piece.task_lockstep)});
  };
  if (whole.first < taken.first)
    put(slice(whole, whole.first, taken.first - whole.first), whole.used);
  put(slice(whole, taken.first, taken.count), used);
  if (whole.last() > taken.last()) {
    put(slice(whole, taken.last() + 1, whole.last() - taken.last()), whole.used);
  }
}

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
  impl_->for_each(visit);
}

claim_table claim_registry::table() const {
  auto d = std::make_shared<claim_table::data>();
  const std::lock_guard lock(impl_->mutex);
  d->owner = impl_->owner;
  std::size_t runs = 0;
  for (const auto& [key, space] : impl_->spaces) runs += space.runs.size();
  d->runs.reserve(runs);
  sweep::prefer_huge_pages(d->runs.data(), d->runs.capacity() * sizeof(run_record));
  for (const auto& [key, space] : impl_->spaces) {
    if (space.runs.empty()) continue;
    d->spaces.push_back({space.kind, space.job, space.prefix, d->runs.size()});
    space.runs.append_to(d->runs);
  }
  d->metas = impl_->metas.all();
  d->tasks = impl_->tasks;
  d->positions.reserve(impl_->positions.size());
  for (const auto& [key, c] : impl_->positions) d->positions.push_back(c);
  d->streams = impl_->stream_count;
  return claim_table(std::move(d));
}

std::size_t claim_registry::records() const {
  const std::lock_guard lock(impl_->mutex);
  std::size_t n = impl_->positions.size();
  for (const auto& [key, space] : impl_->spaces) n += space.runs.size();
  return n;
}

std::uint64_t claim_registry::streams() const {
  const std::lock_guard lock(impl_->mutex);
  return impl_->stream_count;
}

const campaign& claim_registry::origin() const noexcept { return impl_->origin; }

rank_id claim_registry::owner() const noexcept { return impl_->owner; }

}  // namespace streamalloc::claims
