#include "history_streams.hpp"

namespace streamalloc::mc {

history_streams claim_histories(mpi::stream_allocator& allocator, std::uint64_t base,
                                std::uint64_t first, std::uint64_t last) {
  const std::uint64_t count = last - first;
  const mpi::claim_options details{task_path{first}, std::nullopt, mpi::task_layout::lockstep};
  switch (allocator.origin().how()) {
    case strategy::philox:
      return {first, allocator.philox_range(stream_id(base + first), count, details)};
    case strategy::jumped:
      return {first, allocator.jumped_range(jump_index(base + first), count, details)};
    case strategy::spawn:
      return {first, allocator.spawn_range(task_path{}, base + first, count, details)};
  }
  throw invalid_argument("unknown strategy");
}

void run_histories(const history_streams& streams, const slab& geometry, tallies& totals,
                   const std::function<void(std::uint64_t)>& on_history) {
  std::visit(
      [&](const auto& run) {
        for (std::uint64_t k = 0; k < run.size(); ++k) {
          on_history(streams.first_history + k);
          auto stream = run.stream(k);
          if constexpr (std::is_same_v<decltype(stream), seed_sequence>) {
            pcg64 generator(stream);  // the spawn strategy's default family
            totals.add(run_history(geometry, [&] { return generator.next_double(); }));
          } else {
            totals.add(run_history(geometry, [&] { return stream.next_double(); }));
          }
        }
      },
      streams.run);
}

}  // namespace streamalloc::mc
