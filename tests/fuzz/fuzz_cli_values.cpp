// Command-line option values (apps/streamalloc/option_values.cpp): counts, spawn keys, signed
// distances, int64, reals and real lists, choices. The first byte picks the parser, the rest is
// the option's text. Round trips where a value has a written form: spawn keys, counts, int64.
#include <string>

#include "fuzz_support.hpp"
#include "option_values.hpp"
#include "streamalloc/error.hpp"

using namespace streamalloc;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view text = fuzz::text_of(data + 1, size - 1);
  try {
    switch (data[0] % 8) {
      case 0: {
        const std::uint64_t n = cli::parse_count(text, "--count");
        FUZZ_CHECK(cli::parse_count(std::to_string(n), "again") == n);
        break;
      }
      case 1: {
        const auto key = cli::parse_spawn_key(text, "--spawn-key");
        std::string written;
        for (std::size_t i = 0; i < key.size(); ++i) {
          written += (i == 0 ? "" : ",") + key[i].to_string();
        }
        FUZZ_CHECK(cli::parse_spawn_key(written, "again") == key);
        break;
      }
      case 2: {
        const auto d = cli::parse_signed_distance(text, "--advance");
        const auto again =
            cli::parse_signed_distance((d.negative ? "-" : "") + d.magnitude.to_string(), "again");
        FUZZ_CHECK(again.negative == d.negative && again.magnitude == d.magnitude);
        break;
      }
      case 3: {
        const std::int64_t v = cli::parse_int64(text, "--n");
        FUZZ_CHECK(cli::parse_int64(std::to_string(v), "again") == v);
        break;
      }
      case 4: (void)cli::parse_real(text, "--loc"); break;
      case 5: (void)cli::parse_real_list(text, "--pvals"); break;
      case 6: (void)cli::parse_choice(text, "--bitgen", {"pcg64", "philox", "sfc64"}); break;
      default: (void)cli::parse_count(text, "--pool-size", 1U << 20); break;
    }
  } catch (const error&) {
  }
  return 0;
}
