// Stream-set snapshots in JSON (snapshot_from_json). Round trip:
// snapshot_from_json(to_json(s)) == s, indented or not, and the binary form agrees.
#include "fuzz_support.hpp"
#include "streamalloc/error.hpp"
#include "streamalloc/stream_set/snapshot.hpp"

using namespace streamalloc;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const stream_set_snapshot s = snapshot_from_json(fuzz::text_of(data, size));
    FUZZ_CHECK(snapshot_from_json(to_json(s)) == s);
    FUZZ_CHECK(snapshot_from_json(to_json(s, 2)) == s);
    FUZZ_CHECK(snapshot_from_bytes(to_bytes(s)) == s);
  } catch (const error&) {
  }
  return 0;
}
