// The byte layout of stream-set checkpoints (documented field by field in
// streamalloc/mpi/stream_set/checkpoint.hpp): encoding and checked decoding of the header, its
// index entries and the claim blocks. Serial, no MPI: the collective I/O lives in
// stream_set_checkpoint_{write,read}.cpp. Internal to streamalloc::mpi.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "streamalloc/any_bit_generator.hpp"
#include "streamalloc/campaign.hpp"
#include "streamalloc/claims/claim.hpp"
#include "streamalloc/mpi/stream_set/claimed_stream_set.hpp"
#include "streamalloc/stream_ids.hpp"
#include "streamalloc/uint128.hpp"

namespace streamalloc::mpi::detail {

inline constexpr std::array<std::uint8_t, 8> checkpoint_magic = {0x89, 'S', 'A', 'S',
                                                                 'C',  'K', 'P', '\n'};
// Magic, version, flags and the header length: enough to learn how much more to read.
inline constexpr std::size_t checkpoint_prefix_size = 24;
// Every field before the campaign string.
inline constexpr std::size_t checkpoint_fixed_size = 56;
// One claim-block entry: offset, length, records, CRC.
inline constexpr std::size_t claim_block_entry_size = 8 + 8 + 8 + 4;

// Where rank r's claims are, how many records they hold, and their CRC-32C.
struct claim_block_entry {
  std::uint64_t offset = 0;
  std::uint64_t length = 0;
  std::uint64_t records = 0;
  std::uint32_t crc = 0;
};

// One set of the index.
struct set_entry {
  std::uint32_t writer = 0;
  stream_set_rooting rooting = stream_set_rooting::task;
  bit_generator_kind family = bit_generator_kind::pcg64;
  task_path origin;
  std::optional<task_path> task;
  uint128 budget = 0;
  std::uint64_t offset = 0;  // of its snapshot bytes in the file
  std::uint64_t length = 0;
  std::uint32_t crc = 0;
};

struct checkpoint_header {
  std::uint64_t header_length = 0;
  std::uint64_t file_length = 0;
  job_index job{};
  std::uint32_t ranks = 0;
  campaign origin{seed_entropy(0), strategy::spawn};
  std::vector<std::byte> app_state;
  std::vector<claim_block_entry> blocks;  // one per writing rank
  std::vector<set_entry> sets;
};

// The campaign as the header stores it (the manifest's JSON, dumped).
std::string encode_campaign(const campaign& origin);

// Bytes of one encoded set entry, and the entry itself.
std::size_t encoded_size(const set_entry& entry);
std::vector<std::byte> encode(const set_entry& entry);
std::vector<std::byte> encode(const claim_block_entry& entry);

// H for a header with these parts (fixed fields, the two strings, R block entries, the set
// entries' total bytes, the trailing CRC). Throws io_error if it would not fit the format.
std::uint64_t header_length(std::size_t campaign_bytes, std::size_t app_bytes, std::uint32_t ranks,
                            std::uint64_t set_entry_bytes);

// The whole header: `blocks` and `sets` are the concatenated encoded entries (R and S of them).
std::vector<std::byte> encode_header(const checkpoint_header& header,
                                     std::span<const std::byte> blocks,
                                     std::span<const std::byte> sets, std::uint64_t set_count);

// The header length H from the first checkpoint_prefix_size bytes, after checking the magic and
// the version. io_error naming `file` for anything else.
std::uint64_t header_length_of(std::span<const std::byte> prefix, std::string_view file);
// Decodes and checks a whole header (CRC first, then every field, offsets against file_length).
checkpoint_header decode_header(std::span<const std::byte> bytes, std::string_view file);

// A rank's claims as JSON Lines (the manifest's claim form, one per line), and back; the reader
// throws io_error naming `what` and the line for bad content.
std::vector<std::byte> encode_claims(const std::vector<claims::claim>& claims);
std::vector<claims::claim> decode_claims(std::span<const std::byte> bytes, std::string_view what);

}  // namespace streamalloc::mpi::detail
