// Integer and entropy strings: big_uint::parse (decimal, 0x-hex) and seed_entropy::parse (one
// integer or a comma-separated list), as --seed, --key, --counter, --advance and spawn-key
// entries reach them. Round trips: parse(to_string(x)) == parse(to_hex(x)) == x.
#include "fuzz_support.hpp"
#include "streamalloc/big_uint.hpp"
#include "streamalloc/error.hpp"
#include "streamalloc/seed_entropy.hpp"

using namespace streamalloc;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = fuzz::text_of(data, size);
  try {
    const big_uint x = big_uint::parse(text, "fuzz");
    FUZZ_CHECK(big_uint::parse(x.to_string(), "decimal") == x);
    FUZZ_CHECK(big_uint::parse(x.to_hex(), "hex") == x);
  } catch (const error&) {
  }
  try {
    const seed_entropy e = seed_entropy::parse(text, "fuzz");
    std::string written = e.to_string();  // "N" or "[a, b, ...]"
    if (e.is_list()) written = written.substr(1, written.size() - 2);
    if (!e.is_list() || e.values().size() > 1) {
      FUZZ_CHECK(seed_entropy::parse(written, "again") == e);
    }
  } catch (const error&) {
  }
  return 0;
}
