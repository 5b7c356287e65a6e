// streamalloc_record_draws MANIFEST COUNT — for the live NumPy check of run records
// (tests/claims/numpy_record_streams.py): for every claim of the manifest, its first and last
// stream rebuilt by the library from the record alone (campaign, job, descriptor) and COUNT raw
// 64-bit draws from each, one line per stream:
//   <claim index> <ID / jump index / last spawn-path component> <draw> <draw> ...
// Spawn streams feed PCG64, as the demo does. Exit 2 with one line on stderr on bad input.
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include "streamalloc/claims/manifest.hpp"
#include "streamalloc/pcg64.hpp"

namespace {

using namespace streamalloc;

template <class Engine>
void print_draws(std::size_t claim, std::uint64_t index, Engine engine, std::uint64_t count) {
  std::printf("%zu %llu", claim, static_cast<unsigned long long>(index));
  for (std::uint64_t k = 0; k < count; ++k) {
    std::printf(" %llu", static_cast<unsigned long long>(engine.next64()));
  }
  std::printf("\n");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: streamalloc_record_draws MANIFEST COUNT\n");
    return 2;
  }
  try {
    const claims::manifest m = claims::read_manifest(argv[1]);
    const std::uint64_t count = std::strtoull(argv[2], nullptr, 10);
    for (std::size_t i = 0; i < m.claims.size(); ++i) {
      const claims::claim& c = m.claims[i];
      for (const std::uint64_t index : {c.first, c.last()}) {
        switch (c.kind) {
          case claims::claim_kind::philox_id:
            print_draws(i, index, m.campaign.philox_stream(c.job, stream_id(index)), count);
            break;
          case claims::claim_kind::jump_index:
            print_draws(i, index, m.campaign.jumped_stream(c.job, jump_index(index)), count);
            break;
          case claims::claim_kind::spawn_path: {
            std::vector<std::uint64_t> path = c.prefix;
            path.push_back(index);
            print_draws(i, index,
                        pcg64(m.campaign.spawn_sequence(c.job, task_path(std::move(path)))), count);
            break;
          }
          default: break;  // hand-built streams carry their own state; not a campaign derivation
        }
        if (c.count == 1) break;
      }
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "streamalloc_record_draws: %s\n", e.what());
    return 2;
  }
  return 0;
}
