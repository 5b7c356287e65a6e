// streamalloc_record_*: the run record (manifest) of an allocator's run.
//
// INTERIM, to be switched: the library's own run record (mpi::run_record: per-rank shards,
// background commits, manifest format 3) is being built on another branch. Until it lands on
// main, a commit here is what the streamalloc-mc demo does today: every rank's claims are
// gathered to rank 0 (MPI_Gatherv of their JSON lines), and rank 0 writes the whole manifest
// with claims::write_manifest (a temporary file, fsync, rename: atomic), the outcome agreed on
// every rank. The C functions and their contract (collective, atomic commits, close) stay when
// the implementation is switched to mpi::run_record; only the file layout changes with it.
#include <mpi.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "../boundary.hpp"
#include "streamalloc/claims/manifest.hpp"
#include "streamalloc/claims/record_json.hpp"
#include "streamalloc/mpi/agreement.hpp"
#include "types.hpp"

using namespace streamalloc;
using namespace streamalloc::capi;

namespace {

// COLLECTIVE. Every rank's claims as JSON lines, on rank 0 (empty elsewhere).
std::string gather_claims(const mpi::runtime& rt,
                                         const claims::claim_registry& registry) {
  std::string mine;
  mpi::agreed(rt, "collecting the run record", [&] {
    registry.for_each([&](const claims::claim& c) { mine += dump_json(claims::to_json(c)) + "\n"; });
    if (mine.size() > static_cast<std::size_t>(INT32_MAX)) {
      throw invalid_argument("this rank's claims take more than 2 GiB as JSON");
    }
  });
  const int length = static_cast<int>(mine.size());
  const auto ranks = static_cast<std::size_t>(rt.size());
  std::vector<int> lengths(rt.mpi_rank() == 0 ? ranks : 0);
  mpi::check_mpi(MPI_Gather(&length, 1, MPI_INT, lengths.data(), 1, MPI_INT, 0, rt.comm()),
                 "MPI_Gather (claim text lengths)");
  std::vector<int> offsets(lengths.size());
  long long total = 0;
  for (std::size_t r = 0; r < lengths.size(); ++r) {
    offsets[r] = static_cast<int>(total);
    total += lengths[r];
  }
  // Rank 0 checks the total fits an int; every rank learns the verdict before the Gatherv.
  mpi::agreed(rt, "gathering the run record", [&] {
    if (total > INT32_MAX) throw invalid_argument("the run's claims take more than 2 GiB as JSON");
  });
  std::string all(static_cast<std::size_t>(total), '\0');
  mpi::check_mpi(MPI_Gatherv(mine.data(), length, MPI_CHAR, all.data(), lengths.data(),
                             offsets.data(), MPI_CHAR, 0, rt.comm()),
                 "MPI_Gatherv (claims)");
  return all;
}

std::vector<claims::claim> parse_claims(const std::string& lines) {
  std::vector<claims::claim> out;
  std::size_t start = 0;
  while (start < lines.size()) {
    const std::size_t end = lines.find('\n', start);
    out.push_back(claims::claim_from_json(
        parse_json(std::string_view(lines).substr(start, end - start), "claim"), "claim"));
    start = end + 1;
  }
  return out;
}

// COLLECTIVE. Writes the manifest of everything the allocator holds now.
void commit(const allocator_data& a, const std::filesystem::path& path) {
  const mpi::runtime& rt = a.allocator.mpi_runtime();
  const std::string lines = gather_claims(rt, a.allocator.registry());
  mpi::agreed(rt, "writing the run record", [&] {
    if (rt.mpi_rank() != 0) return;
    claims::write_manifest(path, {*a.origin, a.allocator.job(),
                                  static_cast<std::uint32_t>(rt.size()), parse_claims(lines), {}});
  });
}

record_data& record_of(streamalloc_record* record) { return *checked(record, "record").value; }

}  // namespace

extern "C" {

streamalloc_status streamalloc_record_create(streamalloc_allocator* alloc, const char* path,
                                             streamalloc_record** out) {
  return call(__func__, [&] {
    const allocator_data& a = live_allocator(alloc, "alloc");
    std::filesystem::path where;
    mpi::agreed(a.allocator.mpi_runtime(), "streamalloc_record_create", [&] {
      where = text_of(path, "path");
      if (where.empty()) throw invalid_argument("path is empty, expected the manifest's path");
      require_out(out, "out");
    });
    commit(a, where);
    *out = make_handle<streamalloc_record>(record_data{alloc, where, false});
  });
}

streamalloc_status streamalloc_record_checkpoint(streamalloc_record* record) {
  return call(__func__, [&] {
    record_data& r = record_of(record);
    const allocator_data& a = live_allocator(r.allocator_handle, "the record's allocator");
    mpi::agreed(a.allocator.mpi_runtime(), "streamalloc_record_checkpoint", [&] {
      if (r.closed) throw invalid_argument("the record was closed; no commit follows close");
    });
    commit(a, r.path);
  });
}

streamalloc_status streamalloc_record_close(streamalloc_record* record) {
  return call(__func__, [&] {
    record_data& r = record_of(record);
    const allocator_data& a = live_allocator(r.allocator_handle, "the record's allocator");
    mpi::agreed(a.allocator.mpi_runtime(), "streamalloc_record_close", [&] {
      if (r.closed) throw invalid_argument("the record was already closed");
    });
    commit(a, r.path);
    r.closed = true;
  });
}

streamalloc_status streamalloc_record_free(streamalloc_record* record) {
  return call(__func__, [&] { free_handle(record, "record"); });
}

}  // extern "C"
