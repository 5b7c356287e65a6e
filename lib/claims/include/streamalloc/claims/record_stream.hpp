// streamalloc/claims/record_stream.hpp — one stream of a run's record, found and rebuilt: to
// replay a task, in C++ or in NumPy.
//
// A record names every stream by its campaign, job and descriptor. find_streams() looks one up —
// by the task it served, its Philox stream ID, its jump index or its spawn path — and
// numpy_expression() / stream_generator() rebuild it, bit-exact with NumPy 1.24:
//   philox  Philox(key=0x...)                           (root_key + job * 2**64 + id)
//   jumped  PCG64(SeedSequence(7)).jumped(12)           (job * 2**40 + index)
//   spawn   PCG64(SeedSequence(7, spawn_key=(0, 5)))    (any family fed the SeedSequence)
// Records of format 1 (shared job layout) give their own expressions (key root_key + id,
// jumped(index)). Serial; pure functions.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "streamalloc/any_bit_generator.hpp"
#include "streamalloc/campaign.hpp"
#include "streamalloc/claims/claim.hpp"
#include "streamalloc/claims/manifest_reader.hpp"

namespace streamalloc::claims {

// What to look for.
struct stream_selector {
  enum class key { task, stream_id, jump_index, spawn_path };
  key by = key::task;
  // The task path (task), {ID} (stream_id), {index} (jump_index), or the spawn path after the
  // job (spawn_path: (5,) for SeedSequence(root, spawn_key=(job, 5))).
  std::vector<std::uint64_t> value;
};

// One stream of a record.
struct record_stream {
  claim holder;         // the claim (its whole run) that holds the stream
  std::uint64_t index;  // the stream's ID / jump index / last spawn-path component
  std::string source;   // where the claim was read: "<file>:<line>"
};

struct found_streams {
  manifest_header header;
  std::vector<record_stream> streams;  // in file order; empty when nothing matches
};

// Every stream of the manifest that matches (a task is usually served by one stream; a run of
// streams sharing one task gives several). Reads the manifest one claim at a time
// (manifest_reader's errors). Hand-built claims (philox_position, pcg64_position) match only
// by task.
found_streams find_streams(const std::filesystem::path& manifest, const stream_selector& selector);

// "(5,)" / "5, 7": the selector's value as a task path for messages.
std::string describe(const stream_selector& selector);

// The NumPy expression of stream `index` of claim `c` of a campaign, with `family` the bit
// generator fed a spawned SeedSequence (the demo's PCG64 by default); e.g.
// "Philox(key=0x2f...)", "PCG64(SeedSequence(7)).jumped(12)",
// "PCG64(SeedSequence(7, spawn_key=(0, 5)))". A hand-built PCG64 has no expression of its own:
// "PCG64() with the state below".
std::string numpy_expression(const campaign& origin, const claim& c, std::uint64_t index,
                             bit_generator_kind family = bit_generator_kind::pcg64);

// The stream itself, at its start (a hand-built one at its recorded position).
any_bit_generator stream_generator(const campaign& origin, const claim& c, std::uint64_t index,
                                   bit_generator_kind family = bit_generator_kind::pcg64);

}  // namespace streamalloc::claims
