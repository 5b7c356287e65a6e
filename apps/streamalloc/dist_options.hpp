// streamalloc CLI: the --dist option of `streamalloc generate` and its parameters.
//
// --dist NAME picks a numpy.random.Generator method; the parameters are NumPy's keyword names
// (--low --high --endpoint --dtype --loc --scale --shape --lam --n --p --pvals) with NumPy's
// defaults. A parameter that the chosen method does not take, a parameter without --dist, and
// --dist together with --output (which picks a raw draw) are refused, so no option is ever
// silently ignored. Invalid values are refused with the library's own check, prefixed with the
// options that fed it: "--scale '-1': normal: scale = -1 is invalid: it must be >= 0 ...".
#pragma once

#include <cstdint>
#include <optional>

#include "command_line.hpp"
#include "dist_sampler.hpp"
#include "value_writer.hpp"

namespace streamalloc::cli {

// --dist and its parameters, as their own group for --help.
po::options_description dist_options_description();

// The sampler the options describe, or nullopt without --dist. Throws invalid_argument for an
// unknown name, a foreign or missing parameter, a bad value, or --dist with --output.
std::optional<dist_sampler> read_dist_options(const po::variables_map& vm);

// Refuses a --count that `dist` cannot draw in `format`: endless output (count 0 in binary)
// for a sampler that draws in one piece or whose draws are empty, and counts beyond
// max_one_piece_count for one-piece samplers.
void check_dist_count(const dist_sampler& dist, std::uint64_t count, output_format format);

}  // namespace streamalloc::cli
