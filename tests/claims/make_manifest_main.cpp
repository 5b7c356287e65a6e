// streamalloc_make_manifest OUT N LAYOUT — writes a manifest of N one-stream philox claims for the
// audit's bounds (tests/apps/audit_bounds.sh): LAYOUT "clean" (IDs 0, 2, 4, ...: nothing merges,
// nothing conflicts) or "conflicting" (every claim's ID taken by the claim before it too: IDs 0,
// 0, 1, 1, 2, 2, ...), both single-file manifests; or "used", a run record of 4 ranks' shards
// with the clean layout's claims, each followed by a use of its stream (a use line per claim, as
// a program reporting every stream's draws writes). Exit 2 with one line on stderr on bad input.
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <string>
#include <vector>

#include "streamalloc/claims/manifest.hpp"
#include "streamalloc/claims/record_shard.hpp"

int main(int argc, char** argv) {
  using namespace streamalloc;
  if (argc != 4) {
    std::fprintf(stderr, "usage: streamalloc_make_manifest OUT N clean|conflicting|used\n");
    return 2;
  }
  try {
    const std::uint64_t n = std::strtoull(argv[2], nullptr, 10);
    const std::string layout = argv[3];
    const bool conflicting = layout == "conflicting";
    const campaign origin(seed_entropy(1), strategy::philox);
    const auto claim_of = [&](std::uint64_t i) {
      claims::claim c;
      c.first = conflicting ? i / 2 : 2 * i;
      c.owner = rank_id(static_cast<std::uint32_t>(i % 4));
      c.task = task_path{i};
      return c;
    };
    if (layout == "used") {
      const std::filesystem::path path = argv[1];
      const std::string run = "0123456789abcdef";
      std::filesystem::create_directory(claims::shard_directory(path, run));
      std::vector<std::uint64_t> lines;
      for (std::uint32_t r = 0; r < 4; ++r) {
        claims::shard_writer shard(claims::shard_file(path, run, r), run, r);
        std::vector<claims::shard_writer::entry> entries;
        for (std::uint64_t i = r; i < n; i += 4) {
          claims::claim c = claim_of(i);
          entries.push_back({c, false});
          c.used = 1 + i % 1000;
          entries.push_back({c, true});
          if (entries.size() >= 65536) {
            shard.append(entries, false);
            entries.clear();
          }
        }
        lines.push_back(shard.append(entries, false));
      }
      claims::write_record_manifest(
          {path, origin, job_index(0), 4, run, std::nullopt, lines, n, 1, true}, false);
      return 0;
    }
    claims::manifest m{origin, job_index(0), 4, {}, ""};
    m.claims.reserve(n);
    for (std::uint64_t i = 0; i < n; ++i) m.claims.push_back(claim_of(i));
    claims::write_manifest(argv[1], m);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "streamalloc_make_manifest: %s\n", e.what());
    return 2;
  }
  return 0;
}
