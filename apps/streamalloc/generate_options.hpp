// streamalloc CLI: the options of `streamalloc generate` and the rules between them.
//
// The generator comes from exactly one source: a SeedSequence (--seed/--spawn-key/--pool-size,
// OS entropy without --seed), a Philox key (--key/--counter, NumPy's Philox(key=K, counter=C)),
// or a NumPy state document (--from-state). It is then jumped (--jumped) and advanced
// (--advance), in that order, and drawn from: raw words (--output) or a distribution (--dist,
// see dist_options.hpp). Combinations NumPy cannot express, or that would silently ignore an
// option, are rejected here with a message naming the options involved.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "dist_sampler.hpp"
#include "option_values.hpp"
#include "seed_options.hpp"
#include "streamalloc/any_bit_generator.hpp"
#include "streamalloc/big_uint.hpp"
#include "value_writer.hpp"

namespace streamalloc::cli {

// What is drawn: NumPy's random_raw(), next_uint32, or next_double (Generator.random()).
enum class draw_kind { raw, u32, real };

struct generate_options {
  bit_generator_kind bitgen = bit_generator_kind::pcg64;
  bool bitgen_given = false;  // --bitgen written out (a state file must then agree with it)

  std::optional<std::string> from_state;  // a path, or "-" for standard input
  std::optional<big_uint> key;            // Philox key, below 2^128
  std::optional<big_uint> counter;        // Philox counter, below 2^256
  seed_options seed;                      // the source unless from_state or key is set

  std::optional<signed_distance> jumps;
  std::optional<signed_distance> advance;

  std::uint64_t count = 10;          // 0 with binary output: until the reader closes the pipe
  draw_kind draw = draw_kind::raw;   // without --dist
  std::optional<dist_sampler> dist;  // --dist: drawn instead of `draw`
  output_format format = output_format::text;
  bool print_state = false;
};

// Parses generate's arguments. Prints the usage on standard output and returns nullopt for
// --help. Throws invalid_argument for any bad value or conflicting options.
std::optional<generate_options> parse_generate_options(std::span<const std::string> args);

// Rejects --advance/--jumped for a generator that lacks them. Called once the generator's kind
// is known (from --bitgen, or from the state document).
void check_generator_supports(bit_generator_kind kind, const generate_options& options);

}  // namespace streamalloc::cli
