// Test support: the five NumPy bit generators as one type list, and how golden cases build them.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "streamalloc/detail/simd_level.hpp"
#include "streamalloc/mt19937.hpp"
#include "streamalloc/pcg64.hpp"
#include "streamalloc/pcg64_dxsm.hpp"
#include "streamalloc/philox.hpp"
#include "streamalloc/sfc64.hpp"
#include "support/golden.hpp"

namespace streamalloc::testing {

using all_engines = ::testing::Types<pcg64, pcg64_dxsm, philox, sfc64, mt19937>;

// Every SIMD level this machine runs (scalar first): bulk kernels are checked on each.
inline std::vector<detail::simd_level> simd_levels() {
  std::vector<detail::simd_level> levels;
  for (const auto level :
       {detail::simd_level::scalar, detail::simd_level::avx2, detail::simd_level::avx512}) {
    if (level <= detail::supported_simd_level()) levels.push_back(level);
  }
  return levels;
}

// Runs the kernels at `level` for its lifetime, then goes back to the level before.
class simd_level_scope {
 public:
  explicit simd_level_scope(detail::simd_level level) : previous_(detail::active_simd_level()) {
    detail::set_simd_level(level);
  }
  ~simd_level_scope() { detail::set_simd_level(previous_); }
  simd_level_scope(const simd_level_scope&) = delete;
  simd_level_scope& operator=(const simd_level_scope&) = delete;

 private:
  detail::simd_level previous_;
};

// Engines with a NumPy-compatible advance(delta) (PCG64, PCG64DXSM, Philox).
template <class Engine>
concept advanceable = requires(Engine e, const big_uint& d) {
  e.advance(d);
};
// Engines with NumPy's jumped(): all but SFC64.
template <class Engine>
concept jumpable = requires(const Engine e) {
  e.jumped();
};

// The golden files' "seed" object: {"entropy", "spawn_key", "pool_size"} for every engine, or
// {"key", "counter"} for Philox(key=, counter=).
template <class Engine>
Engine engine_from_seed(const json& seed) {
  if constexpr (std::is_same_v<Engine, philox>) {
    if (seed.contains("key")) {
      return philox::from_key(big_from_json(seed["key"]), seed.contains("counter")
                                                              ? big_from_json(seed["counter"])
                                                              : big_uint{});
    }
  }
  return Engine(seed_sequence_from_json(seed));
}

// Applies a golden "advance" value, which may be negative (NumPy wraps negative deltas).
template <class Engine>
void apply_advance(Engine& engine, const json& delta) {
  if constexpr (advanceable<Engine>) {
    // The JSON text of the golden value is the Python integer's decimal form, sign included.
    const std::string text = dump_json(delta);
    if (text.front() == '-') {
      engine.retreat(big_uint::parse(text.substr(1), "golden advance"));
    } else {
      engine.advance(big_uint::parse(text, "golden advance"));
    }
  } else {
    FAIL() << Engine::numpy_name << " has no advance";
  }
}

// Applies a golden "jumped" value, which may be negative: jumped_back(n) is NumPy's jumped(-n).
template <class Engine>
Engine apply_jumped(const Engine& engine, const json& jumps) {
  if constexpr (jumpable<Engine>) {
    const std::string text = dump_json(jumps);
    if (text.front() == '-')
      return engine.jumped_back(big_uint::parse(text.substr(1), "golden jumped"));
    return engine.jumped(big_uint::parse(text, "golden jumped"));
  } else {
    ADD_FAILURE() << Engine::numpy_name << " has no jumped";
    return engine;
  }
}

}  // namespace streamalloc::testing
