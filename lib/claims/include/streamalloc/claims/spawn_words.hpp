// streamalloc/claims/spawn_words.hpp — a spawn_path claim as NumPy's assembled entropy words,
// the identity of its streams.
//
// NumPy's SeedSequence mixes the root entropy (zero-padded to the pool size) followed by the
// spawn key, each key component as 32-bit words: one word below 2^32, else two (low first).
// Equal words give equal pools, so (2^32,) and (0, 1) — both the words [0, 1] — are one stream.
// Within one campaign the root words are common to every claim and are left out here: what
// remains is the key's words, job first. A claim's streams first..last are then runs of words
//   head ++ [v]            v in [lo, hi]        for components below 2^32 (one run), and
//   head ++ [low(k)] ++ [v]  v = high(k)          for each component k >= 2^32 (one run each),
// so equal streams are exactly intersecting runs with equal heads. Used by the claim registry
// (a rank's own aliases), find_conflicts() and verify()'s bucketing (aliases across ranks meet
// on one rank). Serial; pure functions.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "streamalloc/claims/claim.hpp"

namespace streamalloc::claims {

inline void append_key_words(std::vector<std::uint32_t>& words, std::uint64_t component) {
  words.push_back(static_cast<std::uint32_t>(component));
  if (component >> 32 != 0) words.push_back(static_cast<std::uint32_t>(component >> 32));
}

// The words of the spawn key before its ranged (last) component: job, then prefix.
inline std::vector<std::uint32_t> spawn_head_words(const claim& c) {
  std::vector<std::uint32_t> words;
  words.reserve(2 + 2 * c.prefix.size());
  append_key_words(words, c.job.value());
  for (const auto part : c.prefix) append_key_words(words, part);
  return words;
}

// Calls run(head, lo, hi, first_index) for each run of words of the spawn_path claim `c`
// (head: the words before the varying one; [lo, hi]: the varying word; first_index: the
// component of the run's first stream).
template <class Run>
void for_each_word_run(const claim& c, Run&& run) {
  constexpr std::uint64_t one_word = std::uint64_t{1} << 32;
  std::vector<std::uint32_t> head = spawn_head_words(c);
  if (c.first < one_word) {
    run(head, static_cast<std::uint32_t>(c.first),
        static_cast<std::uint32_t>(std::min(c.last(), one_word - 1)), c.first);
  }
  if (c.last() < one_word) return;
  head.push_back(0);
  for (std::uint64_t k = std::max(c.first, one_word);; ++k) {
    head.back() = static_cast<std::uint32_t>(k);
    const auto high = static_cast<std::uint32_t>(k >> 32);
    run(head, high, high, k);
    if (k == c.last()) break;
  }
}

}  // namespace streamalloc::claims
