// Stream-set checkpoints (the MPI-IO files of mpi::write_checkpoint): the header decoder and the
// claim blocks, which mpi::read_checkpoint runs on every rank before it trusts any field. The
// decoders are serial; the target calls them as read_checkpoint does, without MPI.
// The first byte picks the part: even, a header (with its length field and CRC-32C made valid
// here when the byte's bit 1 is set, so that mutations get past the checksum); odd, a claim
// block. Round trips: a decoded header encodes to a header that decodes to the same fields, and
// decode_claims(encode_claims(c)) == c.
#include <vector>

#include "fuzz_support.hpp"
#include "src/stream_set/checkpoint_format.hpp"
#include "streamalloc/byte_io.hpp"
#include "streamalloc/error.hpp"
#include "streamalloc/crc32c.hpp"

using namespace streamalloc;
using namespace streamalloc::mpi::detail;

namespace {

std::vector<std::byte> encode_again(const checkpoint_header& h) {
  std::vector<std::byte> blocks, sets;
  for (const auto& b : h.blocks) {
    const auto e = encode(b);
    blocks.insert(blocks.end(), e.begin(), e.end());
  }
  for (const auto& s : h.sets) {
    const auto e = encode(s);
    sets.insert(sets.end(), e.begin(), e.end());
  }
  checkpoint_header planned = h;
  planned.header_length =
      header_length(encode_campaign(h.origin).size(), h.app_state.size(), h.ranks, sets.size());
  return encode_header(planned, blocks, sets, h.sets.size());
}

bool same_entries(const checkpoint_header& a, const checkpoint_header& b) {
  if (a.job != b.job || a.ranks != b.ranks || !(a.origin == b.origin) ||
      a.app_state != b.app_state || a.file_length != b.file_length ||
      a.blocks.size() != b.blocks.size() || a.sets.size() != b.sets.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.blocks.size(); ++i) {
    const auto &x = a.blocks[i], &y = b.blocks[i];
    if (x.offset != y.offset || x.length != y.length || x.records != y.records || x.crc != y.crc) {
      return false;
    }
  }
  for (std::size_t i = 0; i < a.sets.size(); ++i) {
    const auto &x = a.sets[i], &y = b.sets[i];
    if (x.writer != y.writer || x.rooting != y.rooting || x.family != y.family ||
        x.origin != y.origin || x.task != y.task || x.budget != y.budget || x.offset != y.offset ||
        x.length != y.length || x.crc != y.crc) {
      return false;
    }
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  std::vector<std::byte> bytes(reinterpret_cast<const std::byte*>(data + 1),
                               reinterpret_cast<const std::byte*>(data + size));
  try {
    if (data[0] % 2 == 1) {
      const auto claims = decode_claims(bytes, "fuzz claims");
      FUZZ_CHECK(decode_claims(encode_claims(claims), "again") == claims);
      return 0;
    }
    if ((data[0] & 2) != 0 && bytes.size() >= checkpoint_prefix_size + 4) {
      for (std::size_t i = 0; i < 8; ++i) {
        bytes[16 + i] = static_cast<std::byte>(static_cast<std::uint64_t>(bytes.size()) >> (8 * i));
      }
      const std::uint32_t crc =
          streamalloc::crc32c(std::span<const std::byte>(bytes).first(bytes.size() - 4));
      for (std::size_t i = 0; i < 4; ++i) {
        bytes[bytes.size() - 4 + i] = static_cast<std::byte>(crc >> (8 * i));
      }
    }
    (void)header_length_of(
        std::span<const std::byte>(bytes).first(std::min(bytes.size(), checkpoint_prefix_size)),
        "fuzz");
    const checkpoint_header h = decode_header(bytes, "fuzz");
    checkpoint_header again;
    try {
      again = decode_header(encode_again(h), "again");
    } catch (const io_error&) {
      // A re-encoded header may be shorter (the campaign is written canonically), which moves
      // the start of the data past entries that pointed just after the old header: refused,
      // as it should be. Whatever decodes must agree.
      return 0;
    }
    FUZZ_CHECK(same_entries(again, h));
  } catch (const error&) {
  }
  return 0;
}
