#include "streamalloc/mpi/stream_allocator.hpp"

#include <algorithm>
#include <array>
#include <string>

#include "streamalloc/error.hpp"
#include "streamalloc/mpi/agreement.hpp"
#include "window_counter.hpp"

namespace streamalloc::mpi {

namespace {

// Index arithmetic that throws instead of wrapping: a wrapped index is a reused stream.
std::uint64_t checked_add(std::uint64_t a, std::uint64_t b, const char* what) {
  if (b > UINT64_MAX - a) {
    throw invalid_argument(std::string("stream_allocator: ") + what + " overflows 2^64 (" +
                           std::to_string(a) + " + " + std::to_string(b) + ")");
  }
  return a + b;
}

std::uint64_t checked_mul(std::uint64_t a, std::uint64_t b, const char* what) {
  if (a != 0 && b > UINT64_MAX / a) {
    throw invalid_argument(std::string("stream_allocator: ") + what + " overflows 2^64 (" +
                           std::to_string(a) + " * " + std::to_string(b) + ")");
  }
  return a * b;
}

}  // namespace

stream_allocator::stream_allocator(const runtime& rt, campaign origin, job_index job,
                                   const allocator_options& options)
    : rt_(rt), job_(job), options_(options), registry_(std::move(origin), rt.rank()) {
  // Layout arithmetic is deterministic, so ranks with equal options agree on failures anyway;
  // under the window policy it is still agreed, because a lone throwing rank would leave the
  // others waiting in the collective window creation.
  const auto lay_out = [&] {
    // Every index below is relative to the job's own region of the campaign (campaign.hpp):
    // another job's streams cannot be reached from here.
    const campaign& layout = registry_.origin();
    if (layout.how() == strategy::jumped && layout.jobs() == job_layout::separated) {
      if (job_.value() >= max_jumped_jobs) {
        throw invalid_argument("stream_allocator: job " + std::to_string(job_.value()) +
                               " is beyond the jumped strategy's " +
                               std::to_string(max_jumped_jobs) +
                               " jobs (2^22 jobs of 2^40 jump indices each)");
      }
      region_end_ = jump_indices_per_job;
    }
    base_ = resume_index();
    const auto ranks = static_cast<std::uint64_t>(rt_.size());
    const std::uint64_t static_size = checked_mul(ranks, options_.block_size, "ranks * block_size");
    dynamic_base_ = checked_add(base_, static_size, "the static region's end");
    if (options_.dynamic_block_size == 0) {
      throw invalid_argument("stream_allocator: dynamic_block_size must be at least 1");
    }
    if (region_end_ != 0 && dynamic_base_ > region_end_) {
      throw invalid_argument(
          "stream_allocator: the static region [" + std::to_string(base_) + ", " +
          std::to_string(dynamic_base_) + ") (" + std::to_string(rt_.size()) +
          " ranks * block_size " + std::to_string(options_.block_size) + ") does not fit job " +
          std::to_string(job_.value()) + "'s " + std::to_string(region_end_) + " jump indices");
    }
  };
  if (options_.dynamic == dynamic_policy::window) {
    agreed(rt_, "stream_allocator: laying out the index space", lay_out);
    window_ = std::make_unique<streamalloc::detail::window_counter>(rt_);
  } else {
    lay_out();
  }
}

stream_allocator::~stream_allocator() = default;

std::uint64_t stream_allocator::resume_index() const {
  return origin().how() == strategy::jumped ? options_.resume_jump.value()
                                            : options_.resume_stream.value();
}

void stream_allocator::require(strategy wanted, const char* method) const {
  if (origin().how() != wanted) {
    throw invalid_argument(std::string("stream_allocator::") + method +
                           " needs a campaign of the " + std::string(to_string(wanted)) +
                           " strategy; this campaign's is " +
                           std::string(to_string(origin().how())));
  }
}

std::uint64_t stream_allocator::static_index(std::uint64_t local_index) const {
  if (local_index >= options_.block_size) {
    throw invalid_argument("stream_allocator: static local index " + std::to_string(local_index) +
                           " is outside this rank's block of " +
                           std::to_string(options_.block_size) +
                           " (it would be another rank's stream); use dynamic allocation");
  }
  const auto rank = static_cast<std::uint64_t>(rt_.mpi_rank());
  return base_ + rank * options_.block_size + local_index;  // < dynamic_base_: cannot overflow
}

std::uint64_t stream_allocator::static_run(std::uint64_t local_first, std::uint64_t count,
                                           const char* method) const {
  if (count == 0 || count > options_.block_size || local_first > options_.block_size - count) {
    throw invalid_argument(std::string("stream_allocator::") + method + ": static streams [" +
                           std::to_string(local_first) + ", " + std::to_string(local_first) +
                           " + " + std::to_string(count) + ") are not a non-empty run inside " +
                           "this rank's block of " + std::to_string(options_.block_size));
  }
  return static_index(local_first);
}

void stream_allocator::reserve_block() {
  std::uint64_t block = 0;
  if (window_) {
    // MPI_THREAD_FUNNELED (or SINGLE) allows MPI calls from the main thread only; the mutex held
    // by our caller makes SERIALIZED sufficient.
    if (rt_.thread_level() < MPI_THREAD_SERIALIZED) {
      int is_main = 0;
      check_mpi(MPI_Is_thread_main(&is_main), "MPI_Is_thread_main");
      if (is_main == 0) {
        throw mpi_error(
            "stream_allocator: the window policy reserves blocks with MPI calls, "
            "which MPI (thread level " +
            std::to_string(rt_.thread_level()) +
            ") allows from the main thread only; use the partitioned policy");
      }
    }
    block = window_->fetch_add(1);
  } else {
    // Rank r's k-th block is global block k*P + r: disjoint from every other rank's by
    // construction, so no communication is needed.
    const auto ranks = static_cast<std::uint64_t>(rt_.size());
    const auto rank = static_cast<std::uint64_t>(rt_.mpi_rank());
    block = checked_add(checked_mul(blocks_reserved_, ranks, "block * ranks"), rank,
                        "block * ranks + rank");
    ++blocks_reserved_;
  }
  const std::uint64_t start = checked_add(
      dynamic_base_, checked_mul(block, options_.dynamic_block_size, "block * dynamic_block_size"),
      "dynamic block start");
  const std::uint64_t end = checked_add(start, options_.dynamic_block_size, "dynamic block end");
  if (region_end_ != 0 && end > region_end_) {
    throw invalid_argument("stream_allocator: job " + std::to_string(job_.value()) +
                           "'s region ends at jump index " + std::to_string(region_end_) +
                           " (2^40 per job); dynamic block [" + std::to_string(start) + ", " +
                           std::to_string(end) + ") does not fit");
  }
  next_in_block_ = start;
  block_end_ = end;
}

std::uint64_t stream_allocator::dynamic_index() {
  const std::lock_guard lock(dynamic_mutex_);
  if (next_in_block_ == block_end_) reserve_block();
  return next_in_block_++;
}

claims::claim stream_allocator::make_claim(claims::claim_kind kind, std::uint64_t first,
                                           const claim_options& details,
                                           std::uint64_t count) const {
  if (kind == claims::claim_kind::jump_index && region_end_ != 0 &&
      (first >= region_end_ || count > region_end_ - first)) {
    throw invalid_argument("stream_allocator: jump indices [" + std::to_string(first) + ", " +
                           std::to_string(first) + " + " + std::to_string(count) +
                           ") pass the end of job " + std::to_string(job_.value()) +
                           "'s region: each job owns jump indices [0, 2^40)");
  }
  claims::claim c;
  c.kind = kind;
  c.first = first;
  c.count = count;
  c.job = job_;
  c.owner = rt_.rank();
  c.task = details.task;
  // A single stream has no tasks to advance; validate() refuses lockstep without a task.
  c.task_lockstep = details.tasks == task_layout::lockstep && count > 1;
  c.budget = details.budget.value_or(options_.budget);
  return c;
}

namespace {

// How `next` continues `last` as one run of streams, if it does: the joined claim describes
// exactly the streams and tasks of both.
enum class join { none, same_tasks, lockstep };

join joins(const claims::claim& last, const claims::claim& next) {
  using claims::claim_kind;
  if (last.kind != next.kind || last.kind == claim_kind::philox_position ||
      last.kind == claim_kind::pcg64_position) {
    return join::none;
  }
  if (last.last() == UINT64_MAX || last.last() + 1 != next.first || last.job != next.job ||
      last.owner != next.owner || last.prefix != next.prefix || last.budget != next.budget ||
      last.used != next.used) {
    return join::none;
  }
  if (!last.task && !next.task) return join::same_tasks;
  if (!last.task || !next.task) return join::none;
  // Every stream of both serves one task.
  if (!last.task_lockstep && !next.task_lockstep && *last.task == *next.task) {
    return join::same_tasks;
  }
  // Tasks advancing with the streams: next's first task is last's last task plus one.
  const bool last_steps = last.task_lockstep || last.count == 1;
  const bool next_steps = next.task_lockstep || next.count == 1;
  if (!last_steps || !next_steps || last.task->empty()) return join::none;
  auto parts = claims::task_of(last, last.last())->parts();
  if (parts.back() == UINT64_MAX) return join::none;
  ++parts.back();
  return task_path(std::move(parts)) == *next.task ? join::lockstep : join::none;
}

}  // namespace

claims::claim stream_allocator::record(claims::claim taken) {
  const std::lock_guard lock(journal_mutex_);
  registry_.add(taken);
  if (journaling_) {
    const join how =
        journal_.empty() || journal_.back().use ? join::none : joins(journal_.back().what, taken);
    if (how == join::none) {
      journal_.push_back({taken, false});
    } else {
      claims::claim& last = journal_.back().what;
      last.count += taken.count;
      last.task_lockstep = how == join::lockstep;
    }
  }
  return taken;
}

std::vector<claims::claim> stream_allocator::open_journal() {
  const std::lock_guard lock(journal_mutex_);
  if (journaling_) {
    throw invalid_argument(
        "stream_allocator::open_journal: a journal is open already (one run "
        "record per allocator)");
  }
  journaling_ = true;
  journal_.clear();
  return registry_.snapshot();
}

std::vector<journal_entry> stream_allocator::take_journal() {
  const std::lock_guard lock(journal_mutex_);
  std::vector<journal_entry> out;
  out.swap(journal_);
  return out;
}

void stream_allocator::close_journal() noexcept {
  const std::lock_guard lock(journal_mutex_);
  journaling_ = false;
  journal_.clear();
  journal_.shrink_to_fit();
}

claimed<philox> stream_allocator::philox_static(std::uint64_t local_index,
                                                const claim_options& details) {
  require(strategy::philox, "philox_static");
  const std::uint64_t id = static_index(local_index);
  claims::claim c = record(make_claim(claims::claim_kind::philox_id, id, details));
  return {origin().philox_stream(job_, stream_id(id)), std::move(c)};
}

claimed<philox> stream_allocator::philox_dynamic(const claim_options& details) {
  require(strategy::philox, "philox_dynamic");
  const std::uint64_t id = dynamic_index();
  claims::claim c = record(make_claim(claims::claim_kind::philox_id, id, details));
  return {origin().philox_stream(job_, stream_id(id)), std::move(c)};
}

claimed<philox> stream_allocator::philox_explicit(stream_id id, const claim_options& details) {
  require(strategy::philox, "philox_explicit");
  claims::claim c = record(make_claim(claims::claim_kind::philox_id, id.value(), details));
  return {origin().philox_stream(job_, id), std::move(c)};
}

claimed_run<philox> stream_allocator::philox_static_range(std::uint64_t local_first,
                                                          std::uint64_t count,
                                                          const claim_options& details) {
  require(strategy::philox, "philox_static_range");
  const std::uint64_t first = static_run(local_first, count, "philox_static_range");
  return {origin(), record(make_claim(claims::claim_kind::philox_id, first, details, count))};
}

claimed_run<philox> stream_allocator::philox_range(stream_id first, std::uint64_t count,
                                                   const claim_options& details) {
  require(strategy::philox, "philox_range");
  return {origin(),
          record(make_claim(claims::claim_kind::philox_id, first.value(), details, count))};
}

claimed<pcg64> stream_allocator::jumped_static(std::uint64_t local_index,
                                               const claim_options& details) {
  require(strategy::jumped, "jumped_static");
  const std::uint64_t index = static_index(local_index);
  claims::claim c = record(make_claim(claims::claim_kind::jump_index, index, details));
  return {origin().jumped_stream(job_, jump_index(index)), std::move(c)};
}

claimed<pcg64> stream_allocator::jumped_dynamic(const claim_options& details) {
  require(strategy::jumped, "jumped_dynamic");
  const std::uint64_t index = dynamic_index();
  claims::claim c = record(make_claim(claims::claim_kind::jump_index, index, details));
  return {origin().jumped_stream(job_, jump_index(index)), std::move(c)};
}

claimed<pcg64> stream_allocator::jumped_explicit(jump_index index, const claim_options& details) {
  require(strategy::jumped, "jumped_explicit");
  claims::claim c = record(make_claim(claims::claim_kind::jump_index, index.value(), details));
  return {origin().jumped_stream(job_, index), std::move(c)};
}

claimed_run<pcg64> stream_allocator::jumped_static_range(std::uint64_t local_first,
                                                         std::uint64_t count,
                                                         const claim_options& details) {
  require(strategy::jumped, "jumped_static_range");
  const std::uint64_t first = static_run(local_first, count, "jumped_static_range");
  return {origin(), record(make_claim(claims::claim_kind::jump_index, first, details, count))};
}

claimed_run<pcg64> stream_allocator::jumped_range(jump_index first, std::uint64_t count,
                                                  const claim_options& details) {
  require(strategy::jumped, "jumped_range");
  return {origin(),
          record(make_claim(claims::claim_kind::jump_index, first.value(), details, count))};
}

claimed<seed_sequence> stream_allocator::spawn_rank(std::uint64_t local_index,
                                                    const claim_options& details) {
  // Built in one piece: rank_rooted().child() trips GCC 12's -Warray-bounds false positive.
  return spawn(task_path(std::vector<std::uint64_t>{rt_.rank().value(), local_index}), details);
}

claimed<seed_sequence> stream_allocator::spawn(const task_path& path,
                                               const claim_options& details) {
  require(strategy::spawn, "spawn");
  if (path.empty()) {
    throw invalid_argument(
        "stream_allocator::spawn: the task path is empty; the run's own "
        "SeedSequence (spawn key (job,)) is the parent of every stream");
  }
  claims::claim c = make_claim(claims::claim_kind::spawn_path, path.parts().back(), details);
  c.prefix.assign(path.parts().begin(), path.parts().end() - 1);
  c = record(std::move(c));
  return {origin().spawn_sequence(job_, path), std::move(c)};
}

claimed_run<seed_sequence> stream_allocator::spawn_range(const task_path& parent,
                                                         std::uint64_t first, std::uint64_t count,
                                                         const claim_options& details) {
  require(strategy::spawn, "spawn_range");
  claims::claim c = make_claim(claims::claim_kind::spawn_path, first, details, count);
  c.prefix = parent.parts();
  return {origin(), record(std::move(c))};
}

claimed<philox> stream_allocator::philox_at(uint128 key, const philox::counter_type& counter,
                                            const claim_options& details) {
  claims::claim c = make_claim(claims::claim_kind::philox_position, 0, details);
  c.sequence = key;
  c.position = make_uint128(counter[1], counter[0]);
  c.position_high = make_uint128(counter[3], counter[2]);
  c = record(std::move(c));
  return {philox::from_words({low64(key), high64(key)}, counter), std::move(c)};
}

claimed<philox> stream_allocator::philox_at(uint128 key, uint128 counter,
                                            const claim_options& details) {
  return philox_at(key, philox::counter_type{low64(counter), high64(counter), 0, 0}, details);
}

claimed<philox> stream_allocator::philox_at(const philox& start, const claim_options& details) {
  if (start.buffer_pos() != philox::buffer_size) {
    throw invalid_argument("stream_allocator::philox_at: the generator has drawn " +
                           std::to_string(start.buffer_pos()) +
                           " of the 4 words of its current "
                           "block (buffer position " +
                           std::to_string(start.buffer_pos()) +
                           "), expected an empty buffer (4), as after construction, advance() or "
                           "jumped(): claim a stream before drawing from it");
  }
  return philox_at(make_uint128(start.key()[1], start.key()[0]), start.counter(), details);
}

claimed<pcg64> stream_allocator::pcg64_at(const pcg64& start, const claim_options& details) {
  claims::claim c = make_claim(claims::claim_kind::pcg64_position, 0, details);
  c.sequence = start.lcg_increment();
  c.position = start.lcg_state();
  c = record(std::move(c));
  return {start, std::move(c)};
}

claimed<pcg64> stream_allocator::pcg64_block(uint128 offset, const claim_options& details) {
  pcg64 start = origin().jumped_root();
  start.advance(big_uint::from_uint128(offset));
  return pcg64_at(start, details);
}

void stream_allocator::record_use(const claims::claim& record, uint128 used) {
  const std::lock_guard lock(journal_mutex_);
  registry_.record_use(record, used);
  if (journaling_) {
    claims::claim what = record;
    what.used = used;
    journal_.push_back({std::move(what), true});
  }
}

claims::manifest::free_point stream_allocator::next_free() const {
  // Local maxima first (a claim ending at 2^64 - 1 leaves no next index: agreed failure), then
  // one all-reduce.
  const auto local = agreed(rt_, "stream_allocator::next_free", [&] {
    std::uint64_t next[2] = {options_.resume_stream.value(), options_.resume_jump.value()};
    registry_.for_each([&](const claims::claim& c) {
      const int slot = c.kind == claims::claim_kind::philox_id    ? 0
                       : c.kind == claims::claim_kind::jump_index ? 1
                                                                  : -1;
      if (slot < 0) return;
      if (c.last() == UINT64_MAX) {
        throw invalid_argument("next_free: " + c.describe() +
                               " ends at 2^64 - 1; the campaign has no next free index");
      }
      auto& n = next[static_cast<std::size_t>(slot)];
      n = std::max(n, c.last() + 1);
    });
    return std::array<std::uint64_t, 2>{next[0], next[1]};
  });
  std::array<std::uint64_t, 2> global{};
  check_mpi(MPI_Allreduce(local.data(), global.data(), 2, MPI_UINT64_T, MPI_MAX, rt_.comm()),
            "MPI_Allreduce (next free index)");
  return {stream_id(global[0]), jump_index(global[1])};
}

verdict stream_allocator::verify() const { return mpi::verify(rt_, registry_); }

}  // namespace streamalloc::mpi
