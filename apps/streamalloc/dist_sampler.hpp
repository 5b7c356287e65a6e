// streamalloc CLI: what `generate --dist NAME` draws — one of numpy.random.Generator's methods
// with its parameters already checked — and the loop that draws and writes its values.
//
// --count N means Generator(bitgen).NAME(params, size=N): the library's fill() of N values,
// which equals NumPy's size=N call for every method. For all of them but the narrow integer
// dtypes, a fill of N also equals fills of any pieces adding up to N, so the values are drawn in
// bounded chunks and N may be as large as wanted (or endless in binary). NumPy's integers() with
// dtype int16, int8, uint16, uint8 or bool cuts several values from one 32-bit word and shares
// that word only within one call, so those are drawn in one fill of N values, held in memory.
// permutation and shuffle have no size=: N means N successive calls.
#pragma once

#include <cstddef>
#include <cstdint>
#include <variant>

#include "streamalloc/any_bit_generator.hpp"
#include "streamalloc/distributions.hpp"
#include "value_writer.hpp"

namespace streamalloc::cli {

// The methods whose parameters need no checking, or no object to hold them.
// result_type as in the library's distribution classes: the type of each value.
struct random_draw {  // Generator.random()
  using result_type = double;
};
struct standard_normal_draw {  // Generator.standard_normal()
  using result_type = double;
};
struct standard_exponential_draw {  // Generator.standard_exponential()
  using result_type = double;
};
struct standard_gamma_draw {  // Generator.standard_gamma(shape), shape checked
  using result_type = double;
  double shape = 1.0;
};
// Generator.permutation(n), or x = arange(n); Generator.shuffle(x) (the same values: NumPy's
// permutation of an integer is that shuffle).
struct permutation_draw {
  using result_type = std::int64_t;
  std::int64_t n = 0;  // >= 0
};

using dist_sampler =
    std::variant<random_draw, uniform_distribution, standard_normal_draw, normal_distribution,
                 standard_exponential_draw, exponential_distribution, standard_gamma_draw,
                 gamma_distribution, poisson_distribution, binomial_distribution,
                 multinomial_distribution, permutation_draw, integers_distribution<std::int64_t>,
                 integers_distribution<std::int32_t>, integers_distribution<std::int16_t>,
                 integers_distribution<std::int8_t>, integers_distribution<std::uint64_t>,
                 integers_distribution<std::uint32_t>, integers_distribution<std::uint16_t>,
                 integers_distribution<std::uint8_t>, integers_distribution<bool>>;

// Whether the sampler must draw all its values in one fill (the narrow integer dtypes; see the
// file comment), which rules out endless output and bounds the count by memory.
bool draws_in_one_piece(const dist_sampler& dist) noexcept;

// The most values a one-piece sampler draws: 256 MiB of the widest narrow dtype's values.
inline constexpr std::uint64_t max_one_piece_count = std::uint64_t{1} << 27;

// Draws `count` values (rows for multinomial and permutation; endlessly when `endless`) from
// `gen`, writing them to `writer` unless it is null (--print-state only moves the generator on).
void draw_distribution(any_bit_generator& gen, const dist_sampler& dist, std::uint64_t count,
                       bool endless, value_writer* writer);

}  // namespace streamalloc::cli
