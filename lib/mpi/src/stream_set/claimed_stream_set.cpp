// Claimed stream sets: the core set's claim hook records every new variable's stream (and every
// stream a reseed moves to) through the rank's stream_allocator before the set uses it.
#include "streamalloc/mpi/stream_set/claimed_stream_set.hpp"

#include <string>
#include <utility>
#include <vector>

#include "streamalloc/error.hpp"

namespace streamalloc::mpi {
namespace {

void require_spawn(const stream_allocator& alloc, const char* function) {
  const strategy how = alloc.origin().how();
  if (how != strategy::spawn) {
    throw invalid_argument(std::string(function) + ": this campaign's strategy is " +
                           std::string(to_string(how)) +
                           ", expected spawn: a stream set's variables are the children of a "
                           "SeedSequence, and only spawn campaigns hand out SeedSequences (" +
                           std::string(to_string(how)) + " streams have no children)");
  }
}

// The path P' with meta == campaign.spawn_sequence(job, P') (children numbered from any
// n_children_spawned): only such a seed's children can be named as spawn-path claims.
task_path run_path_of(const stream_allocator& alloc, const seed_sequence& meta) {
  const campaign& origin = alloc.origin();
  const auto& key = meta.spawn_key();
  bool ok = meta.entropy() == origin.root() && meta.pool_size() == origin.pool_size() &&
            !key.empty() && key.front() == big_uint(alloc.job().value());
  std::vector<std::uint64_t> parts;
  for (std::size_t i = 1; ok && i < key.size(); ++i) {
    ok = key[i].fits_u64();
    parts.push_back(key[i].low_u64());
  }
  if (!ok) {
    throw invalid_argument(
        "claimed stream set: the meta seed " + meta.state_json() +
        " is not a stream of this run, expected entropy " + origin.root().to_string() +
        ", pool_size " + std::to_string(origin.pool_size()) + " and a spawn key (" +
        std::to_string(alloc.job().value()) +
        ", ...) of 64-bit parts (campaign.spawn_sequence(job, path)): its children could not "
        "be recorded as claims");
  }
  return task_path(std::move(parts));
}

// The claim hook. Copyable (std::function requires it); one copy lives in each set.
struct claim_recorder {
  stream_allocator* alloc;
  claim_options details;
  // Children [first, carried_end) of carried_meta were claimed by the run that wrote the
  // checkpoint this set continues; re-creating their variables must not claim them twice.
  std::optional<seed_sequence> carried_meta;
  std::uint64_t carried_end = 0;

  void operator()(const stream_set_claim& c) {
    if (!c.reseed && carried_meta && c.first_child < carried_end && c.meta == *carried_meta) {
      return;
    }
    alloc->spawn_range(run_path_of(*alloc, c.meta), c.first_child, c.count, details);
    // After a reseed the carried children are no longer the set's: creating a variable again
    // would be a new stream.
    if (c.reseed) carried_meta.reset();
  }
};

}  // namespace

claimed_stream_set::claimed_stream_set(stream_allocator& alloc, seed_sequence meta,
                                       bit_generator_kind family, stream_set_rooting rooting,
                                       task_path origin, claim_options details,
                                       std::uint64_t carried)
    : set_(meta, family), origin_(std::move(origin)), rooting_(rooting), details_(details) {
  details_.tasks = task_layout::shared;
  claim_recorder recorder{&alloc, details_, std::nullopt, 0};
  if (carried != 0) {
    recorder.carried_end = meta.n_children_spawned() + carried;  // checked by the snapshot
    recorder.carried_meta = std::move(meta);
  }
  set_.set_claim_hook(std::move(recorder));
}

claimed_stream_set claim_task_stream_set(stream_allocator& alloc, const task_path& task,
                                         bit_generator_kind family, const claim_options& details) {
  require_spawn(alloc, "claim_task_stream_set");
  claim_options named = details;
  if (!named.task) named.task = task;
  // The set first (it checks the family), then the claim: a refusal leaves nothing behind.
  claimed_stream_set result(alloc, alloc.origin().spawn_sequence(alloc.job(), task), family,
                            stream_set_rooting::task, task, named, 0);
  alloc.spawn(task, result.details());
  return result;
}

claimed_stream_set claim_rank_stream_set(stream_allocator& alloc, std::uint64_t local_index,
                                         bit_generator_kind family, const claim_options& details) {
  require_spawn(alloc, "claim_rank_stream_set");
  const task_path path{alloc.mpi_runtime().rank().value(), local_index};
  claimed_stream_set result(alloc, alloc.origin().spawn_sequence(alloc.job(), path), family,
                            stream_set_rooting::rank, path, details, 0);
  alloc.spawn_rank(local_index, result.details());
  return result;
}

namespace detail {

claimed_stream_set adopt_stream_set(stream_allocator& alloc, seed_sequence meta,
                                    bit_generator_kind family, stream_set_rooting rooting,
                                    task_path origin, claim_options details,
                                    std::uint64_t carried) {
  require_spawn(alloc, "resuming a stream set");
  return claimed_stream_set(alloc, std::move(meta), family, rooting, std::move(origin), details,
                            carried);
}

}  // namespace detail
}  // namespace streamalloc::mpi
