// streamalloc_make_manifest OUT N LAYOUT — writes a single-file manifest of N one-stream philox
// claims for the audit's bounds (tests/apps/audit_bounds.sh): LAYOUT "clean" (IDs 0, 2, 4, ...:
// nothing merges, nothing conflicts) or "conflicting" (every claim's ID taken by the claim before
// it too: IDs 0, 0, 1, 1, 2, 2, ...). Exit 2 with one line on stderr on bad input.
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include "streamalloc/claims/manifest.hpp"

int main(int argc, char** argv) {
  using namespace streamalloc;
  if (argc != 4) {
    std::fprintf(stderr, "usage: streamalloc_make_manifest OUT N clean|conflicting\n");
    return 2;
  }
  try {
    const std::uint64_t n = std::strtoull(argv[2], nullptr, 10);
    const bool conflicting = std::string(argv[3]) == "conflicting";
    claims::manifest m{campaign(seed_entropy(1), strategy::philox), job_index(0), 4, {}, ""};
    m.claims.reserve(n);
    for (std::uint64_t i = 0; i < n; ++i) {
      claims::claim c;
      c.first = conflicting ? i / 2 : 2 * i;
      c.owner = rank_id(static_cast<std::uint32_t>(i % 4));
      c.task = task_path{i};
      m.claims.push_back(c);
    }
    claims::write_manifest(argv[1], m);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "streamalloc_make_manifest: %s\n", e.what());
    return 2;
  }
  return 0;
}
