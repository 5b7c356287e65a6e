// streamalloc/seed_entropy.hpp — the entropy a SeedSequence is built from, as NumPy accepts it.
//
// NumPy's SeedSequence takes either one non-negative integer of any size or a sequence of them.
// Both reduce to the same little-endian 32-bit words (5 and [5] give the same pool), but NumPy
// remembers which form was given and so do we: it is echoed in state documents and manifests,
// and a reproduction in Python must pass the same form. Value type; thread-compatible.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "streamalloc/big_uint.hpp"

namespace streamalloc {

class seed_entropy {
 public:
  // Entropy 0 (an integer), NumPy's SeedSequence(0).
  seed_entropy() : values_{big_uint{}} {}
  seed_entropy(std::uint64_t value) : values_{big_uint{value}} {}  // NOLINT: an integer seed
  seed_entropy(big_uint value) : values_{std::move(value)} {}      // NOLINT: an integer seed

  // A list of integers, NumPy's SeedSequence([a, b, ...]); may be empty.
  static seed_entropy list(std::vector<big_uint> values);

  // Parses "12345", "0xdeadbeef" (an integer) or "1,2,0x3" (a list); surrounding spaces are
  // ignored. `what` names the source in error messages (e.g. "--seed").
  static seed_entropy parse(std::string_view text, std::string_view what);

  bool is_list() const noexcept { return is_list_; }
  const std::vector<big_uint>& values() const noexcept { return values_; }

  // NumPy's coercion to 32-bit words: each integer contributes its little-endian words, zero
  // contributes one zero word, and the lists are concatenated.
  std::vector<std::uint32_t> words() const;

  // "12345" or "[1, 2, 3]", as Python prints the entropy.
  std::string to_string() const;

  friend bool operator==(const seed_entropy&, const seed_entropy&) = default;

 private:
  bool is_list_ = false;
  std::vector<big_uint> values_;
};

// NumPy's _int_to_uint32_array: little-endian 32-bit words, [0] for zero.
std::vector<std::uint32_t> numpy_uint32_words(const big_uint& value);

}  // namespace streamalloc
