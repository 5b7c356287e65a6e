// One manifest line: a claim object (claim_from_json), as read_manifest, audit, --resume-from
// and the stream-set checkpoint's claim blocks read it. Round trip:
// claim_from_json(parse(dump(to_json(c)))) == c.
#include "fuzz_support.hpp"
#include "streamalloc/detail/json.hpp"
#include "streamalloc/error.hpp"
#include "streamalloc/mpi/claim.hpp"

using namespace streamalloc;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const mpi::claim c =
        mpi::claim_from_json(detail::parse_json(fuzz::text_of(data, size), "claim"), "claim");
    const std::string line = detail::dump_json(mpi::to_json(c));
    FUZZ_CHECK(mpi::claim_from_json(detail::parse_json(line, "again"), "again") == c);
  } catch (const error&) {
  }
  return 0;
}
