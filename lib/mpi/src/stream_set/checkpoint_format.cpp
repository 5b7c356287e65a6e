// Encoding and decoding of stream-set checkpoint headers and claim blocks. The bytes are written
// and read by the core's detail/byte_io.hpp, as the core's binary snapshots are: little-endian
// whatever the host, and every read checked against what is left, so a damaged header that
// slipped past its CRC still cannot make us read out of bounds or allocate absurd amounts.
#include "src/stream_set/checkpoint_format.hpp"

#include <limits>

#include "streamalloc/claims/record_json.hpp"
#include "streamalloc/byte_io.hpp"
#include "streamalloc/json.hpp"
#include "streamalloc/error.hpp"
#include "streamalloc/claims/manifest.hpp"
#include "streamalloc/mpi/stream_set/checkpoint.hpp"
#include "streamalloc/crc32c.hpp"

namespace streamalloc::mpi::detail {
namespace {

using streamalloc::json;

constexpr std::uint8_t last_family = static_cast<std::uint8_t>(bit_generator_kind::mt19937);

// The checkpoint's messages, for the shared byte writer and reader; `file` names the checkpoint
// being read (empty when writing).
struct checkpoint_errors {
  std::string_view file;

  [[noreturn]] void fail(const std::string& message) const {
    throw io_error("stream set checkpoint " + std::string(file) + ": " + message);
  }
  [[noreturn]] void count_too_large(std::string_view field, std::size_t n) const {
    throw io_error("stream set checkpoint: " + std::string(field) + " has " + std::to_string(n) +
                   " entries, expected at most 2**32 - 1");
  }
  [[noreturn]] void truncated(std::string_view field, std::size_t offset, std::size_t needed,
                              std::size_t left) const {
    fail("the header ends inside " + std::string(field) + " (at byte " + std::to_string(offset) +
         ", " + std::to_string(needed) + " bytes needed, " + std::to_string(left) + " left)");
  }
};

class writer : public byte_writer<checkpoint_errors> {
 public:
  void path(const task_path& p, const char* field) {
    count(p.depth(), field);
    for (const auto part : p.parts()) u64(part);
  }
};

class reader : public byte_reader<checkpoint_errors> {
 public:
  reader(std::span<const std::byte> bytes, std::string_view file)
      : byte_reader(bytes, checkpoint_errors{file}) {}

  // A string's bytes, as a view into the header.
  std::span<const std::byte> string_bytes(const char* field) { return take(u32(field), field); }
  task_path path(const char* field) {
    const std::uint32_t n = u32(field);
    if (n > remaining() / 8)
      fail(std::string(field) + " claims " + std::to_string(n) +
           " parts, more than the header holds");
    std::vector<std::uint64_t> parts(n);
    for (auto& part : parts) part = u64(field);
    return task_path(std::move(parts));
  }
  [[noreturn]] void fail(const std::string& message) const { context().fail(message); }
};

}  // namespace

std::string encode_campaign(const campaign& origin) {
  return streamalloc::dump_json(claims::campaign_to_json(origin));
}

std::vector<std::byte> encode(const set_entry& entry) {
  writer w;
  w.u32(entry.writer);
  w.u8(static_cast<std::uint8_t>(entry.rooting));
  w.u8(static_cast<std::uint8_t>(entry.family));
  w.path(entry.origin, "a set's origin path");
  w.u8(entry.task ? 1 : 0);
  if (entry.task) w.path(*entry.task, "a set's task");
  w.u64(low64(entry.budget));
  w.u64(high64(entry.budget));
  w.u64(entry.offset);
  w.u64(entry.length);
  w.u32(entry.crc);
  return w.release();
}

std::size_t encoded_size(const set_entry& entry) {
  const std::size_t task = entry.task ? 4 + 8 * entry.task->depth() : 0;
  return 4 + 1 + 1 + (4 + 8 * entry.origin.depth()) + 1 + task + 16 + 8 + 8 + 4;
}

std::vector<std::byte> encode(const claim_block_entry& entry) {
  writer w;
  w.u64(entry.offset);
  w.u64(entry.length);
  w.u64(entry.records);
  w.u32(entry.crc);
  return w.release();
}

std::uint64_t header_length(std::size_t campaign_bytes, std::size_t app_bytes, std::uint32_t ranks,
                            std::uint64_t set_entry_bytes) {
  const std::uint64_t limit = std::numeric_limits<std::uint32_t>::max();
  if (campaign_bytes > limit || app_bytes > limit) {
    throw io_error("stream set checkpoint: the application state has " + std::to_string(app_bytes) +
                   " bytes, expected at most 2**32 - 1");
  }
  return checkpoint_fixed_size + 4 + campaign_bytes + 4 + app_bytes +
         std::uint64_t{ranks} * claim_block_entry_size + set_entry_bytes + 4;
}

std::vector<std::byte> encode_header(const checkpoint_header& header,
                                     std::span<const std::byte> blocks,
                                     std::span<const std::byte> sets, std::uint64_t set_count) {
  writer w;
  for (const auto b : checkpoint_magic) w.u8(b);
  w.u32(stream_set_checkpoint_version);
  w.u32(0);
  w.u64(header.header_length);
  w.u64(header.file_length);
  w.u64(header.job.value());
  w.u32(header.ranks);
  w.u32(0);
  w.u64(set_count);
  w.string(encode_campaign(header.origin), "the campaign");
  w.count(header.app_state.size(), "the application state");
  w.append(header.app_state);
  w.append(blocks);
  w.append(sets);
  w.u32(streamalloc::crc32c(w.bytes()));
  if (w.bytes().size() != header.header_length) {
    throw io_error("stream set checkpoint: the header has " + std::to_string(w.bytes().size()) +
                   " bytes, " + std::to_string(header.header_length) + " were planned");
  }
  return w.release();
}

std::uint64_t header_length_of(std::span<const std::byte> prefix, std::string_view file) {
  reader in(prefix, file);
  if (prefix.size() < checkpoint_prefix_size) {
    in.fail("the file has " + std::to_string(prefix.size()) + " bytes, expected at least " +
            std::to_string(checkpoint_prefix_size) + " (truncated, or not a checkpoint)");
  }
  for (std::size_t i = 0; i < checkpoint_magic.size(); ++i) {
    if (in.u8("the magic") != checkpoint_magic[i]) {
      in.fail("not a stream set checkpoint (its first 8 bytes are not \\x89SASCKP\\n)");
    }
  }
  const std::uint32_t version = in.u32("the version");
  if (version != stream_set_checkpoint_version) {
    in.fail("format version " + std::to_string(version) + ", expected " +
            std::to_string(stream_set_checkpoint_version));
  }
  in.u32("the flags");
  const std::uint64_t length = in.u64("the header length");
  if (length < checkpoint_fixed_size + 16) {
    in.fail("header length " + std::to_string(length) + ", expected at least " +
            std::to_string(checkpoint_fixed_size + 16));
  }
  return length;
}

checkpoint_header decode_header(std::span<const std::byte> bytes, std::string_view file) {
  reader in(bytes, file);
  const std::uint64_t length =
      header_length_of(bytes.first(std::min(bytes.size(), checkpoint_prefix_size)), file);
  if (bytes.size() != length) {
    in.fail("the header has " + std::to_string(bytes.size()) + " bytes, its length field says " +
            std::to_string(length));
  }
  const std::uint32_t stored = streamalloc::load_little_endian<std::uint32_t>(bytes.last(4));
  const std::uint32_t computed = streamalloc::crc32c(bytes.first(bytes.size() - 4));
  if (stored != computed) {
    in.fail("the header's CRC-32C is " + hex32(computed) + ", the file says " + hex32(stored) +
            " (the file is damaged)");
  }
  const auto body = bytes.first(bytes.size() - 4);
  reader h(body, file);
  for (std::size_t i = 0; i < checkpoint_prefix_size / 8; ++i) h.u64("the prefix");
  checkpoint_header header;
  header.header_length = length;
  header.file_length = h.u64("the file length");
  header.job = job_index(h.u64("the job"));
  header.ranks = h.u32("the rank count");
  h.u32("a reserved field");
  const std::uint64_t set_count = h.u64("the set count");
  if (header.ranks == 0) h.fail("rank count 0, expected at least 1");
  const auto campaign_text = h.string_bytes("the campaign");
  const std::string what = "stream set checkpoint " + std::string(file) + " campaign";
  try {
    header.origin = claims::campaign_from_json(
        streamalloc::parse_json(
            std::string_view(reinterpret_cast<const char*>(campaign_text.data()),
                             campaign_text.size()),
            what),
        what);
  } catch (const invalid_argument& e) {
    h.fail(e.what());
  }
  const auto app = h.string_bytes("the application state");
  header.app_state.assign(app.begin(), app.end());
  if (header.ranks > h.remaining() / claim_block_entry_size) {
    h.fail("rank count " + std::to_string(header.ranks) + " is more than the header holds");
  }
  const auto within_file = [&](std::uint64_t offset, std::uint64_t size, const std::string& of) {
    if (offset < length || offset > header.file_length || size > header.file_length - offset) {
      h.fail(of + " at [" + std::to_string(offset) + ", +" + std::to_string(size) +
             ") is outside the data [" + std::to_string(length) + ", " +
             std::to_string(header.file_length) + ")");
    }
  };
  header.blocks.resize(header.ranks);
  for (std::uint32_t r = 0; r < header.ranks; ++r) {
    auto& b = header.blocks[r];
    b.offset = h.u64("a claim block");
    b.length = h.u64("a claim block");
    b.records = h.u64("a claim block");
    b.crc = h.u32("a claim block");
    within_file(b.offset, b.length, "rank " + std::to_string(r) + "'s claims");
  }
  // Each entry takes at least 51 bytes: a count beyond that is damage, not a reason to allocate.
  if (set_count > h.remaining() / 51) {
    h.fail("set count " + std::to_string(set_count) + " is more than the header holds");
  }
  header.sets.resize(set_count);
  for (std::uint64_t s = 0; s < set_count; ++s) {
    auto& e = header.sets[s];
    e.writer = h.u32("a set's rank");
    const std::uint8_t rooting = h.u8("a set's rooting");
    const std::uint8_t family = h.u8("a set's family");
    if (rooting > 1 || family > last_family || e.writer >= header.ranks) {
      h.fail("set " + std::to_string(s) + " has rank " + std::to_string(e.writer) + ", rooting " +
             std::to_string(rooting) + ", family " + std::to_string(family) +
             ", expected a rank below " + std::to_string(header.ranks) +
             ", rooting 0 or 1, family 0 to " + std::to_string(last_family));
    }
    e.rooting = static_cast<stream_set_rooting>(rooting);
    e.family = static_cast<bit_generator_kind>(family);
    e.origin = h.path("a set's origin path");
    const std::uint8_t has_task = h.u8("a set's task flag");
    if (has_task > 1)
      h.fail("set " + std::to_string(s) + " has task flag " + std::to_string(has_task) +
             ", expected 0 or 1");
    if (has_task == 1) e.task = h.path("a set's task");
    const std::uint64_t low = h.u64("a set's budget");
    const std::uint64_t high = h.u64("a set's budget");
    e.budget = make_uint128(high, low);
    e.offset = h.u64("a set's offset");
    e.length = h.u64("a set's length");
    e.crc = h.u32("a set's CRC");
    within_file(e.offset, e.length, "set " + std::to_string(s) + " " + e.origin.to_string());
  }
  if (h.remaining() != 0) {
    h.fail(std::to_string(h.remaining()) + " unexpected bytes at the end of the header");
  }
  return header;
}

std::vector<std::byte> encode_claims(const std::vector<claims::claim>& claims) {
  std::vector<std::byte> out;
  for (const claims::claim& c : claims) {
    const std::string line = streamalloc::dump_json(claims::to_json(c)) + "\n";
    for (const char ch : line) out.push_back(static_cast<std::byte>(ch));
  }
  return out;
}

std::vector<claims::claim> decode_claims(std::span<const std::byte> bytes, std::string_view what) {
  const std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  std::vector<claims::claim> claims;
  std::size_t start = 0;
  std::size_t line = 1;
  while (start < text.size()) {
    const std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) {
      throw io_error(std::string(what) + ": line " + std::to_string(line) +
                     " has no newline (truncated claims)");
    }
    const std::string where = std::string(what) + " line " + std::to_string(line);
    try {
      claims.push_back(claims::claim_from_json(
          streamalloc::parse_json(text.substr(start, end - start), where), where));
    } catch (const invalid_argument& e) {
      throw io_error(e.what());
    }
    start = end + 1;
    ++line;
  }
  return claims;
}

}  // namespace streamalloc::mpi::detail
