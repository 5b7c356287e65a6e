// The JSON reader every streamalloc document goes through (parse_json): exact big
// integers, bounded nesting, strict syntax. Round trip: the written form reads back to the same
// written form, and a short description never costs more than a few characters of output.
#include "fuzz_support.hpp"
#include "streamalloc/json.hpp"
#include "streamalloc/error.hpp"

using namespace streamalloc;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const json value = parse_json(fuzz::text_of(data, size), "fuzz");
    const std::string written = dump_json(value);
    FUZZ_CHECK(dump_json(parse_json(written, "again")) == written);
    const std::string indented = dump_json(value, 2);
    FUZZ_CHECK(dump_json(parse_json(indented, "indented")) == written);
    FUZZ_CHECK(describe_json(value).size() <= 60);
  } catch (const error&) {
  }
  return 0;
}
