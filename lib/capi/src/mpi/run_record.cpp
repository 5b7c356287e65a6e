// streamalloc_record_*: the run record of an allocator's run, on the library's mpi::run_record
// (per-rank shards, background commits, agreed failures; streamalloc/mpi/run_record.hpp).
//
// The C layer adds only what C needs: argument checks agreed before the collective constructor
// (so a bad argument on one rank fails every rank instead of leaving them waiting), the resumed
// position broadcast from rank 0, and the handle's lifetime tied to the allocator's (the
// run_record lives in allocator_data, see types.hpp).
#include <mpi.h>

#include <cstdint>
#include <string>
#include <utility>

#include "../boundary.hpp"
#include "streamalloc/claims/record_json.hpp"
#include "streamalloc/json.hpp"
#include "streamalloc/mpi/agreement.hpp"
#include "types.hpp"

using namespace streamalloc;
using namespace streamalloc::capi;

namespace {

record_data& record_of(streamalloc_record* record) { return *checked(record, "record").value; }

// The allocator whose run_record `r` names, checked live and still holding that record.
allocator_data& allocator_of(const record_data& r) {
  allocator_data& a = live_allocator(r.allocator_handle, "the record's allocator");
  if (a.record.get() != r.record) {
    throw invalid_argument("the record's allocator holds another run record (this one of " +
                           r.path.string() + " was ended)");
  }
  return a;
}

// COLLECTIVE over the allocator's communicator. Rank 0's text, on every rank.
std::string broadcast_text(const mpi::runtime& rt, std::string text) {
  std::uint64_t size = text.size();
  mpi::check_mpi(MPI_Bcast(&size, 1, MPI_UINT64_T, 0, rt.comm()),
                 "MPI_Bcast (resumed_from's length)");
  text.resize(size);
  mpi::check_mpi(MPI_Bcast(text.data(), static_cast<int>(size), MPI_CHAR, 0, rt.comm()),
                 "MPI_Bcast (resumed_from)");
  return text;
}

// The lineage a record resumed from `text` records, checked against the allocator's campaign and
// job: a restart continues the same job of the same campaign.
claims::record_lineage lineage_of(const std::string& text, const allocator_data& a) {
  const claims::record_position at = position_of_text(text, "resumed_from");
  if (!(at.campaign == *a.origin) || at.job != a.allocator.job()) {
    throw invalid_argument(
        "resumed_from is a position of job " + std::to_string(at.job.value()) + " of campaign (" +
        at.campaign.root().to_string() + ", " + std::string(to_string(at.campaign.how())) +
        "), expected alloc's job " + std::to_string(a.allocator.job().value()) + " of campaign (" +
        a.origin->root().to_string() + ", " + std::string(to_string(a.origin->how())) +
        "): a restart continues the job its checkpoint was written in");
  }
  auto lineage = at.as_lineage();
  if (!lineage) {
    throw invalid_argument(
        "resumed_from names no record (its run is empty), expected a position "
        "from streamalloc_record_checkpoint_position");
  }
  return std::move(*lineage);
}

// COLLECTIVE. streamalloc_record_create(_resumed): `resumed_from` null for a fresh record.
void create(const char* function, streamalloc_allocator* alloc, const char* path,
            const char* const* resumed_from, streamalloc_record** out) {
  allocator_data& a = live_allocator(alloc, "alloc");
  const mpi::runtime& rt = a.allocator.mpi_runtime();
  std::filesystem::path where;
  std::string text;
  mpi::agreed(rt, function, [&] {
    where = text_of(path, "path");
    if (where.empty()) throw invalid_argument("path is empty, expected the manifest's path");
    require_out(out, "out");
    if (a.record) {
      throw invalid_argument("alloc already has a run record (of " + a.record->manifest().string() +
                             "); free that record's handle first");
    }
    if (resumed_from != nullptr && rt.mpi_rank() == 0) {
      text = text_of(*resumed_from, "resumed_from (on rank 0)");
      if (text.size() > static_cast<std::size_t>(INT32_MAX)) {
        throw invalid_argument("resumed_from is " + std::to_string(text.size()) +
                               " bytes long, expected a record position (< 2 GiB)");
      }
    }
  });
  mpi::run_record_options options;
  if (resumed_from != nullptr) {
    text = broadcast_text(rt, std::move(text));
    options.resumed_from = mpi::agreed(rt, function, [&] { return lineage_of(text, a); });
  }
  // Collective, its failures agreed (an unwritable path is an io_error naming it on every rank).
  a.record = std::make_unique<mpi::run_record>(a.allocator, where, std::move(options));
  try {
    *out = make_handle<streamalloc_record>(record_data{alloc, a.record.get(), where, false});
  } catch (...) {
    a.record.reset();
    throw;
  }
}

}  // namespace

extern "C" {

streamalloc_status streamalloc_record_create(streamalloc_allocator* alloc, const char* path,
                                             streamalloc_record** out) {
  return call(__func__, [&] { create(__func__, alloc, path, nullptr, out); });
}

streamalloc_status streamalloc_record_create_resumed(streamalloc_allocator* alloc, const char* path,
                                                     const char* resumed_from,
                                                     streamalloc_record** out) {
  return call(__func__, [&] { create(__func__, alloc, path, &resumed_from, out); });
}

streamalloc_status streamalloc_record_checkpoint(streamalloc_record* record) {
  return call(__func__, [&] {
    record_data& r = record_of(record);
    allocator_data& a = allocator_of(r);
    // Local check: close is collective and agreed, so `closed` is the same on every rank.
    if (r.closed) {
      throw invalid_argument("the run record " + r.path.string() +
                             " was closed; no checkpoint follows close");
    }
    a.record->checkpoint();
  });
}

streamalloc_status streamalloc_record_checkpoint_position(streamalloc_record* record, char* buf,
                                                          int64_t capacity, int64_t* length) {
  return call(__func__, [&] {
    record_data& r = record_of(record);
    allocator_data& a = allocator_of(r);
    require_out(length, "length");
    write_out(dump_json(claims::position_to_json(a.record->wait())), buf, capacity, length);
  });
}

streamalloc_status streamalloc_record_close(streamalloc_record* record) {
  return call(__func__, [&] {
    record_data& r = record_of(record);
    allocator_data& a = allocator_of(r);
    if (r.closed) {
      throw invalid_argument("the run record " + r.path.string() + " was already closed");
    }
    (void)a.record->close();
    r.closed = true;
  });
}

streamalloc_status streamalloc_record_free(streamalloc_record* record) {
  return call(__func__, [&] {
    if (record == nullptr) return;
    record_data& r = record_of(record);
    // The allocator, if still live, ends the record (waits for its commits; not collective).
    try {
      allocator_data& a = allocator_of(r);
      a.record.reset();
    } catch (const invalid_argument&) {  // freed with its allocator already
    }
    free_handle(record, "record");
  });
}

}  // extern "C"
