// streamalloc_allocator_*, streamalloc_claim_*: a rank's claims, by every allocation method.
#include <string>
#include <utility>
#include <vector>

#include "../boundary.hpp"
#include "streamalloc/mpi/agreement.hpp"
#include "types.hpp"

namespace streamalloc::capi {

allocator_data& live_allocator(streamalloc_allocator* alloc, const char* what) {
  allocator_data& a = *checked(alloc, what).value;
  checked(a.runtime_handle, "the allocator's runtime");
  return a;
}

const allocator_data& live_allocator(const streamalloc_allocator* alloc, const char* what) {
  const allocator_data& a = *checked(alloc, what).value;
  checked(a.runtime_handle, "the allocator's runtime");
  return a;
}

}  // namespace streamalloc::capi

using namespace streamalloc;
using namespace streamalloc::capi;

namespace {

mpi::claim_options details_of(const streamalloc_claim_options* details) {
  mpi::claim_options out;
  if (details == nullptr) return out;
  if (details->task != nullptr) {
    const std::size_t depth = count_of(details->task_depth, "details->task_depth");
    out.task = task_path(std::vector<std::uint64_t>(details->task, details->task + depth));
  } else if (details->task_depth != 0) {
    throw invalid_argument("details->task is a null pointer but details->task_depth = " +
                           std::to_string(details->task_depth) + ", expected 0");
  }
  if (details->has_budget) out.budget = words128(details->budget_lo, details->budget_hi);
  if (details->tasks == STREAMALLOC_TASKS_SHARED) {
    out.tasks = mpi::task_layout::shared;
  } else if (details->tasks == STREAMALLOC_TASKS_LOCKSTEP) {
    out.tasks = mpi::task_layout::lockstep;
  } else {
    throw invalid_argument(
        "details->tasks = " + std::to_string(details->tasks) +
        ", expected STREAMALLOC_TASKS_SHARED (0) or STREAMALLOC_TASKS_LOCKSTEP (1)");
  }
  return out;
}

task_path path_of(const std::uint64_t* path, std::int64_t depth, const char* what) {
  const std::size_t n = count_of(depth, "depth");
  require_array(path, depth, what);
  return task_path(std::vector<std::uint64_t>(path, path + n));
}

// Runs claim(allocator, details) and hands out its record as a new claim handle.
template <class Claim>
streamalloc_status claim_call(const char* function, streamalloc_allocator* alloc,
                              const streamalloc_claim_options* details, streamalloc_claim** out,
                              Claim&& claim) {
  return call(function, [&] {
    allocator_data& a = live_allocator(alloc, "alloc");
    const mpi::claim_options options = details_of(details);
    require_out(out, "out");
    claim_data made = claim(a.allocator, options);
    made.origin = a.origin;
    *out = make_handle<streamalloc_claim>(std::move(made));
  });
}

template <class Stream>
claim_data from_claimed(const mpi::claimed<Stream>& c) {
  return {c.record, nullptr, std::nullopt};
}

template <class Stream>
claim_data from_run(const mpi::claimed_run<Stream>& run) {
  return {run.record(), nullptr, std::nullopt};
}

const claim_data& claim_of(const streamalloc_claim* claim) {
  return *checked(claim, "claim").value;
}

// Stream k of a claim, as its own generator (position kinds: the stream as claimed).
any_bit_generator native_stream(const claim_data& c, std::uint64_t k) {
  const claims::claim& r = c.record;
  if (k >= r.count) {
    throw invalid_argument("stream " + std::to_string(k) + " of a claim of " +
                           std::to_string(r.count) + " stream(s), expected below " +
                           std::to_string(r.count));
  }
  switch (r.kind) {
    case claims::claim_kind::philox_id:
      return c.origin->philox_stream(r.job, stream_id(r.first + k));
    case claims::claim_kind::jump_index:
      return c.origin->jumped_stream(r.job, jump_index(r.first + k));
    case claims::claim_kind::philox_position:
    case claims::claim_kind::pcg64_position: return *c.position_stream;
    case claims::claim_kind::spawn_path: break;
  }
  throw invalid_argument("a spawn-path claim has no generator of its own; give a kind");
}

seed_sequence spawn_stream(const claim_data& c, std::uint64_t k) {
  const claims::claim& r = c.record;
  if (r.kind != claims::claim_kind::spawn_path) {
    throw invalid_argument("the claim is a " + std::string(claims::to_string(r.kind)) +
                           " claim, expected a spawn_path claim (spawn strategy)");
  }
  if (k >= r.count) {
    throw invalid_argument("stream " + std::to_string(k) + " of a claim of " +
                           std::to_string(r.count) + " stream(s), expected below " +
                           std::to_string(r.count));
  }
  std::vector<std::uint64_t> path = r.prefix;
  path.push_back(r.first + k);
  return c.origin->spawn_sequence(r.job, task_path(std::move(path)));
}

}  // namespace

extern "C" {

streamalloc_status streamalloc_allocator_options_init(streamalloc_allocator_options* options) {
  return call(__func__, [&] {
    require_out(options, "options");
    const mpi::allocator_options defaults;
    options->block_size = defaults.block_size;
    options->dynamic_block_size = defaults.dynamic_block_size;
    options->dynamic_policy = STREAMALLOC_DYNAMIC_PARTITIONED;
    options->resume_stream = defaults.resume_stream.value();
    options->resume_jump = defaults.resume_jump.value();
    options->budget_lo = low64(defaults.budget);
    options->budget_hi = high64(defaults.budget);
  });
}

streamalloc_status streamalloc_claim_options_init(streamalloc_claim_options* options) {
  return call(__func__, [&] {
    require_out(options, "options");
    *options = streamalloc_claim_options{nullptr, 0, false, 0, 0, STREAMALLOC_TASKS_SHARED};
  });
}

streamalloc_status streamalloc_allocator_create(const streamalloc_runtime* rt,
                                                const streamalloc_campaign* c, uint64_t job,
                                                const streamalloc_allocator_options* options,
                                                streamalloc_allocator** out) {
  return call(__func__, [&] {
    const mpi::runtime& r = *checked(rt, "rt").value;
    const campaign& origin = *checked(c, "c").value;
    mpi::allocator_options o;
    const auto read_arguments = [&] {
      require_out(out, "out");
      if (options == nullptr) return;
      o.block_size = options->block_size;
      o.dynamic_block_size = options->dynamic_block_size;
      if (options->dynamic_policy == STREAMALLOC_DYNAMIC_PARTITIONED) {
        o.dynamic = mpi::dynamic_policy::partitioned;
      } else if (options->dynamic_policy == STREAMALLOC_DYNAMIC_WINDOW) {
        o.dynamic = mpi::dynamic_policy::window;
      } else {
        throw invalid_argument(
            "options->dynamic_policy = " + std::to_string(options->dynamic_policy) +
            ", expected STREAMALLOC_DYNAMIC_PARTITIONED (0) or "
            "STREAMALLOC_DYNAMIC_WINDOW (1)");
      }
      o.resume_stream = stream_id(options->resume_stream);
      o.resume_jump = jump_index(options->resume_jump);
      o.budget = words128(options->budget_lo, options->budget_hi);
    };
    // The window policy makes creation collective: its argument checks are agreed, so a bad
    // argument on one rank does not leave the others waiting in MPI_Win_allocate.
    if (options != nullptr && options->dynamic_policy == STREAMALLOC_DYNAMIC_WINDOW) {
      mpi::agreed(r, "streamalloc_allocator_create", read_arguments);
    } else {
      read_arguments();
    }
    *out = make_handle<streamalloc_allocator>(rt, r, origin, job_index(job), o);
  });
}

streamalloc_status streamalloc_allocator_free(streamalloc_allocator* alloc) {
  return call(__func__, [&] { free_handle(alloc, "alloc"); });
}

// --- philox ---------------------------------------------------------------------------------

streamalloc_status streamalloc_allocator_philox_static(streamalloc_allocator* alloc,
                                                       uint64_t local_index,
                                                       const streamalloc_claim_options* details,
                                                       streamalloc_claim** out) {
  return claim_call(__func__, alloc, details, out, [&](mpi::stream_allocator& a, const auto& o) {
    return from_claimed(a.philox_static(local_index, o));
  });
}

streamalloc_status streamalloc_allocator_philox_dynamic(streamalloc_allocator* alloc,
                                                        const streamalloc_claim_options* details,
                                                        streamalloc_claim** out) {
  return claim_call(__func__, alloc, details, out, [&](mpi::stream_allocator& a, const auto& o) {
    return from_claimed(a.philox_dynamic(o));
  });
}

streamalloc_status streamalloc_allocator_philox_explicit(streamalloc_allocator* alloc, uint64_t id,
                                                         const streamalloc_claim_options* details,
                                                         streamalloc_claim** out) {
  return claim_call(__func__, alloc, details, out, [&](mpi::stream_allocator& a, const auto& o) {
    return from_claimed(a.philox_explicit(stream_id(id), o));
  });
}

streamalloc_status streamalloc_allocator_philox_static_range(
    streamalloc_allocator* alloc, uint64_t local_first, uint64_t count,
    const streamalloc_claim_options* details, streamalloc_claim** out) {
  return claim_call(__func__, alloc, details, out, [&](mpi::stream_allocator& a, const auto& o) {
    return from_run(a.philox_static_range(local_first, count, o));
  });
}

streamalloc_status streamalloc_allocator_philox_range(streamalloc_allocator* alloc, uint64_t first,
                                                      uint64_t count,
                                                      const streamalloc_claim_options* details,
                                                      streamalloc_claim** out) {
  return claim_call(__func__, alloc, details, out, [&](mpi::stream_allocator& a, const auto& o) {
    return from_run(a.philox_range(stream_id(first), count, o));
  });
}

// --- jumped ---------------------------------------------------------------------------------

streamalloc_status streamalloc_allocator_jumped_static(streamalloc_allocator* alloc,
                                                       uint64_t local_index,
                                                       const streamalloc_claim_options* details,
                                                       streamalloc_claim** out) {
  return claim_call(__func__, alloc, details, out, [&](mpi::stream_allocator& a, const auto& o) {
    return from_claimed(a.jumped_static(local_index, o));
  });
}

streamalloc_status streamalloc_allocator_jumped_dynamic(streamalloc_allocator* alloc,
                                                        const streamalloc_claim_options* details,
                                                        streamalloc_claim** out) {
  return claim_call(__func__, alloc, details, out, [&](mpi::stream_allocator& a, const auto& o) {
    return from_claimed(a.jumped_dynamic(o));
  });
}

streamalloc_status streamalloc_allocator_jumped_explicit(streamalloc_allocator* alloc,
                                                         uint64_t index,
                                                         const streamalloc_claim_options* details,
                                                         streamalloc_claim** out) {
  return claim_call(__func__, alloc, details, out, [&](mpi::stream_allocator& a, const auto& o) {
    return from_claimed(a.jumped_explicit(jump_index(index), o));
  });
}

streamalloc_status streamalloc_allocator_jumped_static_range(
    streamalloc_allocator* alloc, uint64_t local_first, uint64_t count,
    const streamalloc_claim_options* details, streamalloc_claim** out) {
  return claim_call(__func__, alloc, details, out, [&](mpi::stream_allocator& a, const auto& o) {
    return from_run(a.jumped_static_range(local_first, count, o));
  });
}

streamalloc_status streamalloc_allocator_jumped_range(streamalloc_allocator* alloc, uint64_t first,
                                                      uint64_t count,
                                                      const streamalloc_claim_options* details,
                                                      streamalloc_claim** out) {
  return claim_call(__func__, alloc, details, out, [&](mpi::stream_allocator& a, const auto& o) {
    return from_run(a.jumped_range(jump_index(first), count, o));
  });
}

// --- spawn ----------------------------------------------------------------------------------

streamalloc_status streamalloc_allocator_spawn_rank(streamalloc_allocator* alloc,
                                                    uint64_t local_index,
                                                    const streamalloc_claim_options* details,
                                                    streamalloc_claim** out) {
  return claim_call(__func__, alloc, details, out, [&](mpi::stream_allocator& a, const auto& o) {
    return from_claimed(a.spawn_rank(local_index, o));
  });
}

streamalloc_status streamalloc_allocator_spawn(streamalloc_allocator* alloc, const uint64_t* path,
                                               int64_t depth,
                                               const streamalloc_claim_options* details,
                                               streamalloc_claim** out) {
  return claim_call(__func__, alloc, details, out, [&](mpi::stream_allocator& a, const auto& o) {
    return from_claimed(a.spawn(path_of(path, depth, "path"), o));
  });
}

streamalloc_status streamalloc_allocator_spawn_range(streamalloc_allocator* alloc,
                                                     const uint64_t* parent, int64_t depth,
                                                     uint64_t first, uint64_t count,
                                                     const streamalloc_claim_options* details,
                                                     streamalloc_claim** out) {
  return claim_call(__func__, alloc, details, out, [&](mpi::stream_allocator& a, const auto& o) {
    return from_run(a.spawn_range(path_of(parent, depth, "parent"), first, count, o));
  });
}

// --- hand-built positions -------------------------------------------------------------------

streamalloc_status streamalloc_allocator_philox_at(streamalloc_allocator* alloc, uint64_t key_lo,
                                                   uint64_t key_hi, uint64_t counter_lo,
                                                   uint64_t counter_hi,
                                                   const streamalloc_claim_options* details,
                                                   streamalloc_claim** out) {
  return claim_call(__func__, alloc, details, out, [&](mpi::stream_allocator& a, const auto& o) {
    const auto c = a.philox_at(words128(key_lo, key_hi), words128(counter_lo, counter_hi), o);
    return claim_data{c.record, nullptr, any_bit_generator(c.stream)};
  });
}

streamalloc_status streamalloc_allocator_pcg64_at(streamalloc_allocator* alloc,
                                                  const streamalloc_bitgen* start,
                                                  const streamalloc_claim_options* details,
                                                  streamalloc_claim** out) {
  return claim_call(__func__, alloc, details, out, [&](mpi::stream_allocator& a, const auto& o) {
    const any_bit_generator& gen = *checked(start, "start").value;
    const auto* pcg = std::get_if<pcg64>(&gen.engine());
    if (pcg == nullptr) {
      throw invalid_argument("start is a " + std::string(numpy_name(gen.kind())) +
                             " generator, expected a PCG64");
    }
    const auto c = a.pcg64_at(*pcg, o);
    return claim_data{c.record, nullptr, any_bit_generator(c.stream)};
  });
}

streamalloc_status streamalloc_allocator_pcg64_block(streamalloc_allocator* alloc,
                                                     uint64_t offset_lo, uint64_t offset_hi,
                                                     const streamalloc_claim_options* details,
                                                     streamalloc_claim** out) {
  return claim_call(__func__, alloc, details, out, [&](mpi::stream_allocator& a, const auto& o) {
    const auto c = a.pcg64_block(words128(offset_lo, offset_hi), o);
    return claim_data{c.record, nullptr, any_bit_generator(c.stream)};
  });
}

streamalloc_status streamalloc_allocator_record_use(streamalloc_allocator* alloc,
                                                    const streamalloc_claim* claim,
                                                    uint64_t used_lo, uint64_t used_hi) {
  return call(__func__, [&] {
    allocator_data& a = live_allocator(alloc, "alloc");
    a.allocator.record_use(claim_of(claim).record, words128(used_lo, used_hi));
  });
}

// --- claims ---------------------------------------------------------------------------------

streamalloc_status streamalloc_claim_size(const streamalloc_claim* claim, uint64_t* count) {
  return call(__func__, [&] {
    const claim_data& c = claim_of(claim);
    require_out(count, "count");
    *count = c.record.count;
  });
}

streamalloc_status streamalloc_claim_bitgen(const streamalloc_claim* claim, uint64_t k, int kind,
                                            streamalloc_bitgen** out) {
  return call(__func__, [&] {
    const claim_data& c = claim_of(claim);
    require_out(out, "out");
    if (c.record.kind == claims::claim_kind::spawn_path) {
      const bit_generator_kind family =
          kind == -1 ? bit_generator_kind::pcg64 : kind_of(kind, "kind");
      *out = make_handle<streamalloc_bitgen>(family, spawn_stream(c, k));
      return;
    }
    any_bit_generator stream = native_stream(c, k);
    if (kind != -1 && kind_of(kind, "kind") != stream.kind()) {
      throw invalid_argument("kind = " + std::to_string(kind) + ", but a " +
                             std::string(claims::to_string(c.record.kind)) +
                             " claim's streams are " + std::string(numpy_name(stream.kind())) +
                             " (give -1 or " + std::to_string(static_cast<int>(stream.kind())) +
                             ")");
    }
    *out = make_handle<streamalloc_bitgen>(std::move(stream));
  });
}

streamalloc_status streamalloc_claim_seedseq(const streamalloc_claim* claim, uint64_t k,
                                             streamalloc_seedseq** out) {
  return call(__func__, [&] {
    const claim_data& c = claim_of(claim);
    require_out(out, "out");
    *out = make_handle<streamalloc_seedseq>(spawn_stream(c, k));
  });
}

streamalloc_status streamalloc_claim_describe(const streamalloc_claim* claim, char* buf,
                                              int64_t capacity, int64_t* length) {
  return call(__func__,
              [&] { write_out(claim_of(claim).record.describe(), buf, capacity, length); });
}

streamalloc_status streamalloc_claim_free(streamalloc_claim* claim) {
  return call(__func__, [&] { free_handle(claim, "claim"); });
}

}  // extern "C"
