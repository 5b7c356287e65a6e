// NumPy state JSON for every generator: each engine's from_state_json and
// any_bit_generator::from_state_json (what `streamalloc generate --from-state` reads).
// Round trip: from_state_json(state_json(g)) == g, and it draws the same next word.
#include "fuzz_support.hpp"
#include "streamalloc/any_bit_generator.hpp"
#include "streamalloc/error.hpp"
#include "streamalloc/mt19937.hpp"
#include "streamalloc/pcg64.hpp"
#include "streamalloc/pcg64_dxsm.hpp"
#include "streamalloc/philox.hpp"
#include "streamalloc/sfc64.hpp"

using namespace streamalloc;

namespace {

template <class Engine>
void check(std::string_view text) {
  try {
    Engine g = Engine::from_state_json(text);
    Engine again = Engine::from_state_json(g.state_json());
    FUZZ_CHECK(again == g);
    FUZZ_CHECK(again.next64() == g.next64());
  } catch (const error&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = fuzz::text_of(data, size);
  check<pcg64>(text);
  check<pcg64_dxsm>(text);
  check<philox>(text);
  check<sfc64>(text);
  check<mt19937>(text);
  try {
    any_bit_generator g = any_bit_generator::from_state_json(text);
    any_bit_generator again = any_bit_generator::from_state_json(g.state_json());
    FUZZ_CHECK(again.state_json() == g.state_json());
    FUZZ_CHECK(again.next_raw() == g.next_raw());
  } catch (const error&) {
  }
  return 0;
}
