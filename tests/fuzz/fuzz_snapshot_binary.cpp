// Stream-set snapshots in binary (snapshot_from_bytes). The first byte picks how the rest is
// used: 0, as the whole file; otherwise as the payload, framed here with a valid magic, version,
// length and CRC-32C so that mutations reach the payload decoder rather than stopping at the
// checksum. Round trip: snapshot_from_bytes(to_bytes(s)) == s. (Not through JSON: a string
// parameter "inf" or "nan" reads back from JSON as a double, as the format documents.)
#include <vector>

#include "fuzz_support.hpp"
#include "streamalloc/error.hpp"
#include "streamalloc/crc32c.hpp"
#include "streamalloc/stream_set/snapshot.hpp"

using namespace streamalloc;

namespace {

void put_le(std::vector<std::byte>& out, std::uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<std::byte>(v >> (8 * i)));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const auto rest = fuzz::bytes_of(data + 1, size - 1);
  std::vector<std::byte> file;
  if (data[0] == 0) {
    file.assign(rest.begin(), rest.end());
  } else {
    for (const char c : std::string_view("\x89SASSET\n", 8))
      file.push_back(static_cast<std::byte>(c));
    put_le(file, stream_set_snapshot_version, 4);
    put_le(file, 0, 4);
    put_le(file, rest.size(), 8);
    file.insert(file.end(), rest.begin(), rest.end());
    put_le(file, streamalloc::crc32c(file), 4);
  }
  try {
    const stream_set_snapshot s = snapshot_from_bytes(file);
    FUZZ_CHECK(snapshot_from_bytes(to_bytes(s)) == s);
  } catch (const error&) {
  }
  return 0;
}
