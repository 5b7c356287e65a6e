// streamalloc/distributions/permutation.hpp — shuffle and permutation.
//
// shuffle(gen, range) is numpy.random.Generator.shuffle on a 1-d array: Fisher–Yates from the
// end, swapping element i with element j = random_interval(i) for i = n-1 down to 1, where
// random_interval is NumPy's masked rejection sampler (next32 while i < 2^32, next64 above).
// permutation(gen, n) is Generator.permutation(n): shuffle of 0, 1, ..., n-1 as int64; and
// permutation(gen, range) a shuffled copy. Bit-exact with NumPy 1.24 for streamalloc's engines.
//
// Errors (streamalloc::invalid_argument): permutation(gen, n) with n < 0 (NumPy returns an empty
// array for that; we treat it as a mistake).
//
// Thread safety: generators are not thread-safe; the range is modified in place.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <numeric>
#include <ranges>
#include <type_traits>
#include <utility>
#include <vector>

#include "streamalloc/distributions/bit_source.hpp"
#include "streamalloc/distributions/checks.hpp"
#include "streamalloc/distributions/integers.hpp"

namespace streamalloc {

// Generator.shuffle(x) for a 1-d x: permutes the range in place.
template <bit_source G, std::ranges::random_access_range R>
requires std::permutable<std::ranges::iterator_t<R>>
void shuffle(G& gen, R&& range) {
  auto&& bits = detail::bitgen_of(gen);
  const auto first = std::ranges::begin(range);
  const auto n = static_cast<std::uint64_t>(std::ranges::distance(range));
  for (std::uint64_t i = n == 0 ? 0 : n - 1; i >= 1; --i) {
    const std::uint64_t j = detail::random_interval(bits, i);
    using difference = std::ranges::range_difference_t<R>;
    std::ranges::iter_swap(first + static_cast<difference>(i), first + static_cast<difference>(j));
  }
}

// Generator.permutation(n): a shuffled 0, 1, ..., n-1.
template <bit_source G>
std::vector<std::int64_t> permutation(G& gen, std::int64_t n) {
  detail::require_count("permutation", "n", n);
  std::vector<std::int64_t> values(static_cast<std::size_t>(n));
  std::iota(values.begin(), values.end(), std::int64_t{0});
  shuffle(gen, values);
  return values;
}

// Generator.permutation(x) for a 1-d x: a shuffled copy.
template <bit_source G, std::ranges::input_range R>
requires(!std::integral<std::remove_cvref_t<R>>)
    std::vector<std::ranges::range_value_t<R>> permutation(G& gen, R&& range) {
  std::vector<std::ranges::range_value_t<R>> values;
  for (auto&& value : range) values.push_back(value);
  shuffle(gen, values);
  return values;
}

}  // namespace streamalloc
