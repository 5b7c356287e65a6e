// streamalloc CLI: the options of `streamalloc seedseq`.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>

#include "seed_options.hpp"

namespace streamalloc::cli {

struct seedseq_options {
  seed_options seed;
  std::size_t words = 4;  // generate_state(words, dtype)
  bool words64 = false;   // dtype: np.uint64 instead of np.uint32
  std::size_t spawn = 0;  // children to spawn and list
};

// Generous bounds that still stop a typo from allocating gigabytes.
inline constexpr std::size_t max_state_words = std::size_t{1} << 24;
inline constexpr std::size_t max_spawn = std::size_t{1} << 20;

// Parses seedseq's arguments. Prints the usage on standard output and returns nullopt for
// --help. Throws invalid_argument for any bad value.
std::optional<seedseq_options> parse_seedseq_options(std::span<const std::string> args);

}  // namespace streamalloc::cli
