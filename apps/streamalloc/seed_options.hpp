// streamalloc CLI: the SeedSequence options that `generate` and `seedseq` share.
//
// --seed (NumPy entropy: one integer of any size or a comma-separated list), --spawn-key and
// --pool-size describe numpy.random.SeedSequence(entropy, spawn_key=..., pool_size=...). Without
// --seed the entropy comes from the operating system, as SeedSequence() draws it, and is kept in
// the sequence so the caller can print it for reproduction.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "command_line.hpp"
#include "streamalloc/big_uint.hpp"
#include "streamalloc/seed_entropy.hpp"
#include "streamalloc/seed_sequence.hpp"

namespace streamalloc::cli {

struct seed_options {
  std::optional<seed_entropy> entropy;  // absent: OS entropy
  std::vector<big_uint> spawn_key;
  std::size_t pool_size = seed_sequence::default_pool_size;
};

// Adds --seed, --spawn-key and --pool-size to `options`.
void add_seed_options(po::options_description& options);

// Reads them back; throws invalid_argument naming the option and the bad value.
seed_options read_seed_options(const po::variables_map& vm);

// Whether any of the three was given on the command line.
bool any_seed_option_given(const po::variables_map& vm);

// The SeedSequence the options describe, drawing OS entropy (pool_size * 32 bits, as NumPy
// does) when there is no --seed.
seed_sequence make_seed_sequence(const seed_options& options);

}  // namespace streamalloc::cli
