// streamalloc/mpi/stream_set/claimed_stream_set.hpp — stream sets whose every stream is a claim, so that
// the coordination checks (the registry at once, verify() collectively, manifests across runs)
// cover the random variables of a stream_set.
//
// A claimed stream set is a core stream_set (streamalloc/stream_set.hpp) built on a claimed spawn
// path P of a spawn-strategy campaign: its meta seed is campaign.spawn_sequence(job, P), so
// variable k draws from SeedSequence(root, spawn_key=(job, *P, k)) — NumPy's
// SeedSequence(root, spawn_key=(job, *P)).spawn(k + 1)[k] — and is recorded, BEFORE it exists, as
// the spawn_path claim P + (k,) (prefix P, first k; a set's consecutive variables are one
// registry record). A claim the registry refuses (reuse_error: the rank already holds that path,
// or a path NumPy maps to the same SeedSequence pool) throws from the creator and creates no
// variable. set.seed(new_meta) records the children of the new meta seed the same way before it
// reseeds; the new meta seed must itself be a stream of the run (campaign.spawn_sequence(job, P')
// for some P', e.g. a child of the current meta), otherwise its children could not be named as
// claims and invalid_argument is thrown. Going back to streams the set has already used (seed()
// with an earlier meta seed) is reuse and is refused like any other.
//
//   stream_allocator alloc(rt, campaign(seed_entropy(12345), strategy::spawn), job_index(0));
//   claimed_stream_set s = claim_task_stream_set(alloc, task_path{7});  // claims (7,)
//   auto x = s->normal(0.0, 2.0);     // claims (7, 0): x draws on spawn key (0, 7, 0)
//   auto k = s->integers(0, 10);      // claims (7, 1)
//   alloc.verify();                   // covers (7,), (7, 0) and (7, 1)
//
// Rooting. A task-rooted set lives on the task path (task, ...): its streams do not depend on
// the rank that runs it, so a checkpoint can move it to another rank (stream_set_checkpoint.hpp).
// A rank-rooted set lives on (rank, local_index) and can only continue on that rank of a run with
// the same rank count. Do not mix rootings in one run (stream_allocator.hpp says why).
//
// Why a hook and not a wrapper: the claims are taken by the core set's claim hook
// (stream_set::set_claim_hook), which every creator (make, make_on, normal, integers, ...) and
// seed() pass through; an MPI-side wrapper would have to repeat every creator, and a user holding
// the underlying set could still create unclaimed variables. The core stays free of MPI: the hook
// is a plain std::function.
//
// Strategies: only spawn campaigns hand out SeedSequences, whose children a set's variables are.
// Philox and jumped campaigns' streams are Philox keys and PCG64 jumps with no children, and
// mapping variables onto further IDs or jump indices would collide with the allocator's own
// index layout; the creators refuse them with invalid_argument naming the strategy.
//
// Lifetime: the set records claims through `alloc` and must not outlive it.
// Thread safety: as stream_set (one set per thread); claims go through the allocator, which is
// thread-safe. Nothing here is MPI-collective.
#pragma once

#include <cstdint>
#include <optional>

#include "streamalloc/any_bit_generator.hpp"
#include "streamalloc/mpi/stream_allocator.hpp"
#include "streamalloc/seed_sequence.hpp"
#include "streamalloc/stream_ids.hpp"
#include "streamalloc/stream_set/stream_set.hpp"

namespace streamalloc::mpi {

enum class stream_set_rooting : std::uint8_t {
  task,  // built on a task path: may move between ranks
  rank,  // built on (rank, local_index): stays on its rank
};

class claimed_stream_set;

namespace detail {
// Internal: the set a checkpoint continues (stream_set_checkpoint_read.cpp). Its variables
// [0, carried) on `meta` were claimed by the run that wrote the checkpoint, and those claims are
// carried into `alloc`'s registry, so re-creating them claims nothing.
claimed_stream_set adopt_stream_set(stream_allocator& alloc, seed_sequence meta,
                                    bit_generator_kind family, stream_set_rooting rooting,
                                    task_path origin, claim_options details, std::uint64_t carried);
}  // namespace detail

class claimed_stream_set {
 public:
  claimed_stream_set(claimed_stream_set&&) noexcept = default;
  claimed_stream_set& operator=(claimed_stream_set&&) noexcept = default;
  claimed_stream_set(const claimed_stream_set&) = delete;
  claimed_stream_set& operator=(const claimed_stream_set&) = delete;
  ~claimed_stream_set() = default;

  // The set: create variables, draw, seed(), snapshot(), restore() through it. Replacing its
  // claim hook (set().set_claim_hook) stops the recording of claims: do not.
  stream_set& set() noexcept { return set_; }
  const stream_set& set() const noexcept { return set_; }
  stream_set* operator->() noexcept { return &set_; }
  const stream_set* operator->() const noexcept { return &set_; }

  // The spawn path the set was built on (its task path, or (rank, local_index)); after a reseed
  // the set draws from another meta seed, but keeps this name.
  const task_path& origin_path() const noexcept { return origin_; }
  stream_set_rooting rooting() const noexcept { return rooting_; }
  // The task and budget recorded on its claims (a task-rooted set's task defaults to its path).
  const claim_options& details() const noexcept { return details_; }

 private:
  friend claimed_stream_set claim_task_stream_set(stream_allocator&, const task_path&,
                                                  bit_generator_kind, const claim_options&);
  friend claimed_stream_set claim_rank_stream_set(stream_allocator&, std::uint64_t,
                                                  bit_generator_kind, const claim_options&);
  friend claimed_stream_set detail::adopt_stream_set(stream_allocator&, seed_sequence,
                                                     bit_generator_kind, stream_set_rooting,
                                                     task_path, claim_options, std::uint64_t);

  claimed_stream_set(stream_allocator& alloc, seed_sequence meta, bit_generator_kind family,
                     stream_set_rooting rooting, task_path origin, claim_options details,
                     std::uint64_t carried);

  stream_set set_;
  task_path origin_;
  stream_set_rooting rooting_;
  claim_options details_;
};

// Claims the task path `task` (non-empty) through alloc.spawn(task, details) and returns a set on
// it whose variables are claimed as described above, drawing with `family` by default. Claims
// name details.task, or `task` if none is given, and details.budget; details.tasks is ignored
// (each claim is one stream or a set's variables, all serving one task). Throws invalid_argument
// for a campaign that is not of the spawn strategy, an empty path or a bad family, and
// reuse_error if the rank already holds the path; nothing is claimed then. Local.
claimed_stream_set claim_task_stream_set(stream_allocator& alloc, const task_path& task,
                                         bit_generator_kind family = bit_generator_kind::pcg64,
                                         const claim_options& details = {});

// The same on this rank's path (rank, local_index), claimed through alloc.spawn_rank(). Claims
// name details.task (none by default). Local.
claimed_stream_set claim_rank_stream_set(stream_allocator& alloc, std::uint64_t local_index,
                                         bit_generator_kind family = bit_generator_kind::pcg64,
                                         const claim_options& details = {});

}  // namespace streamalloc::mpi
