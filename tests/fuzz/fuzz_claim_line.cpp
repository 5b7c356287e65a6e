// One manifest line: a claim object (claim_from_json), as read_manifest, audit, --resume-from
// and the stream-set checkpoint's claim blocks read it. Round trip:
// claim_from_json(parse(dump(to_json(c)))) == c.
#include "fuzz_support.hpp"
#include "streamalloc/json.hpp"
#include "streamalloc/error.hpp"
#include "streamalloc/claims/claim.hpp"
#include "streamalloc/claims/record_json.hpp"

using namespace streamalloc;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const claims::claim c =
        claims::claim_from_json(parse_json(fuzz::text_of(data, size), "claim"), "claim");
    const std::string line = dump_json(claims::to_json(c));
    FUZZ_CHECK(claims::claim_from_json(parse_json(line, "again"), "again") == c);
  } catch (const error&) {
  }
  return 0;
}
