// streamalloc_bitgen_fill_<method>: numpy.random.Generator's methods as bulk fills.
//
// Each builds the C++ distribution first (which checks the parameters as NumPy does, before
// anything is drawn), then fills on the engine itself (one dispatch per call, not per value).
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <vector>

#include "boundary.hpp"
#include "streamalloc/distributions.hpp"
#include "types.hpp"

using namespace streamalloc;
using namespace streamalloc::capi;

namespace {

// n values of T drawn by dist.fill(engine, span).
template <class T, class Dist>
void fill_dist(streamalloc_bitgen* gen, const Dist& dist, T* out, std::int64_t n) {
  any_bit_generator& g = *checked(gen, "gen").value;
  const std::size_t count = count_of(n, "n");
  require_array(out, n, "out");
  const std::span<T> values(out, count);
  g.visit([&](auto& engine) { dist.fill(engine, values); });
}

// The same for the free-function distributions (random, standard_normal, ...).
template <class T, class Draw>
void fill_fn(streamalloc_bitgen* gen, T* out, std::int64_t n, Draw&& draw) {
  any_bit_generator& g = *checked(gen, "gen").value;
  const std::size_t count = count_of(n, "n");
  require_array(out, n, "out");
  const std::span<T> values(out, count);
  g.visit([&](auto& engine) { draw(engine, values); });
}

template <class T, class L, class H>
streamalloc_status fill_integers(const char* function, streamalloc_bitgen* gen, L low, H high,
                                 bool endpoint, T* out, std::int64_t n) {
  return call(function, [&] {
    checked(gen, "gen");
    fill_dist(gen, integers_distribution<T>(low, high, endpoint), out, n);
  });
}

}  // namespace

extern "C" {

streamalloc_status streamalloc_bitgen_fill_random(streamalloc_bitgen* gen, double* out, int64_t n) {
  return call(__func__, [&] {
    fill_fn(gen, out, n, [](auto& engine, std::span<double> v) { random(engine, v); });
  });
}

streamalloc_status streamalloc_bitgen_fill_uniform(streamalloc_bitgen* gen, double low, double high,
                                                   double* out, int64_t n) {
  return call(__func__, [&] {
    checked(gen, "gen");
    fill_dist(gen, uniform_distribution(low, high), out, n);
  });
}

streamalloc_status streamalloc_bitgen_fill_standard_normal(streamalloc_bitgen* gen, double* out,
                                                           int64_t n) {
  return call(__func__, [&] {
    fill_fn(gen, out, n, [](auto& engine, std::span<double> v) { standard_normal(engine, v); });
  });
}

streamalloc_status streamalloc_bitgen_fill_normal(streamalloc_bitgen* gen, double loc, double scale,
                                                  double* out, int64_t n) {
  return call(__func__, [&] {
    checked(gen, "gen");
    fill_dist(gen, normal_distribution(loc, scale), out, n);
  });
}

streamalloc_status streamalloc_bitgen_fill_standard_exponential(streamalloc_bitgen* gen,
                                                                double* out, int64_t n) {
  return call(__func__, [&] {
    fill_fn(gen, out, n,
            [](auto& engine, std::span<double> v) { standard_exponential(engine, v); });
  });
}

streamalloc_status streamalloc_bitgen_fill_exponential(streamalloc_bitgen* gen, double scale,
                                                       double* out, int64_t n) {
  return call(__func__, [&] {
    checked(gen, "gen");
    fill_dist(gen, exponential_distribution(scale), out, n);
  });
}

streamalloc_status streamalloc_bitgen_fill_standard_gamma(streamalloc_bitgen* gen, double shape,
                                                          double* out, int64_t n) {
  return call(__func__, [&] {
    checked(gen, "gen");
    // Generator.standard_gamma(shape) draws what gamma(shape, 1.0) draws.
    fill_dist(gen, gamma_distribution(shape, 1.0), out, n);
  });
}

streamalloc_status streamalloc_bitgen_fill_gamma(streamalloc_bitgen* gen, double shape,
                                                 double scale, double* out, int64_t n) {
  return call(__func__, [&] {
    checked(gen, "gen");
    fill_dist(gen, gamma_distribution(shape, scale), out, n);
  });
}

streamalloc_status streamalloc_bitgen_fill_poisson(streamalloc_bitgen* gen, double lam,
                                                   int64_t* out, int64_t n) {
  return call(__func__, [&] {
    checked(gen, "gen");
    fill_dist(gen, poisson_distribution(lam), out, n);
  });
}

streamalloc_status streamalloc_bitgen_fill_binomial(streamalloc_bitgen* gen, int64_t trials,
                                                    double p, int64_t* out, int64_t n) {
  return call(__func__, [&] {
    checked(gen, "gen");
    fill_dist(gen, binomial_distribution(trials, p), out, n);
  });
}

streamalloc_status streamalloc_bitgen_fill_integers(streamalloc_bitgen* gen, int64_t low,
                                                    int64_t high, bool endpoint, int64_t* out,
                                                    int64_t n) {
  return fill_integers(__func__, gen, std::int64_t{low}, std::int64_t{high}, endpoint, out, n);
}

streamalloc_status streamalloc_bitgen_fill_integers_u64(streamalloc_bitgen* gen, uint64_t low,
                                                        uint64_t high, bool endpoint, uint64_t* out,
                                                        int64_t n) {
  return fill_integers(__func__, gen, std::uint64_t{low}, std::uint64_t{high}, endpoint, out, n);
}

#define STREAMALLOC_CAPI_FILL_INTEGERS(suffix, type)                                              \
  streamalloc_status streamalloc_bitgen_fill_integers_##suffix(                                   \
      streamalloc_bitgen* gen, int64_t low, int64_t high, bool endpoint, type* out, int64_t n) {  \
    return fill_integers(__func__, gen, std::int64_t{low}, std::int64_t{high}, endpoint, out, n); \
  }
STREAMALLOC_CAPI_FILL_INTEGERS(i32, int32_t)
STREAMALLOC_CAPI_FILL_INTEGERS(u32, uint32_t)
STREAMALLOC_CAPI_FILL_INTEGERS(i16, int16_t)
STREAMALLOC_CAPI_FILL_INTEGERS(u16, uint16_t)
STREAMALLOC_CAPI_FILL_INTEGERS(i8, int8_t)
STREAMALLOC_CAPI_FILL_INTEGERS(u8, uint8_t)
STREAMALLOC_CAPI_FILL_INTEGERS(bool, bool)
#undef STREAMALLOC_CAPI_FILL_INTEGERS

streamalloc_status streamalloc_bitgen_fill_multinomial(streamalloc_bitgen* gen, int64_t trials,
                                                       const double* pvals, int64_t n_pvals,
                                                       int64_t* out, int64_t n_draws) {
  return call(__func__, [&] {
    checked(gen, "gen");
    const std::size_t k = count_of(n_pvals, "n_pvals");
    require_array(pvals, n_pvals, "pvals");
    const std::size_t draws = count_of(n_draws, "n_draws");
    if (k != 0 && draws > static_cast<std::size_t>(INT64_MAX) / k) {
      throw invalid_argument("n_draws * n_pvals = " + std::to_string(n_draws) + " * " +
                             std::to_string(n_pvals) + " overflows");
    }
    const multinomial_distribution dist(trials, std::vector<double>(pvals, pvals + k));
    fill_dist(gen, dist, out, static_cast<std::int64_t>(draws * k));
  });
}

streamalloc_status streamalloc_bitgen_permutation(streamalloc_bitgen* gen, int64_t* out,
                                                  int64_t n) {
  return call(__func__, [&] {
    fill_fn(gen, out, n, [](auto& engine, std::span<std::int64_t> v) {
      for (std::size_t i = 0; i < v.size(); ++i) v[i] = static_cast<std::int64_t>(i);
      shuffle(engine, v);
    });
  });
}

streamalloc_status streamalloc_bitgen_shuffle(streamalloc_bitgen* gen, void* values, int64_t n,
                                              int64_t elem_size) {
  return call(__func__, [&] {
    any_bit_generator& g = *checked(gen, "gen").value;
    const std::size_t count = count_of(n, "n");
    const std::size_t size = count_of(elem_size, "elem_size");
    require_array(values, n, "values");
    if (size == 0 && count > 0) {
      throw invalid_argument("elem_size = 0, expected the size of one element in bytes (> 0)");
    }
    // NumPy's shuffle swaps whole elements; a permutation of indices applied to the bytes draws
    // the same values in the same order.
    std::vector<std::size_t> order(count);
    for (std::size_t i = 0; i < count; ++i) order[i] = i;
    g.visit([&](auto& engine) { shuffle(engine, order); });
    auto* bytes = static_cast<unsigned char*>(values);
    const std::vector<unsigned char> original(bytes, bytes + count * size);
    for (std::size_t i = 0; i < count; ++i) {
      std::memcpy(bytes + i * size, original.data() + order[i] * size, size);
    }
  });
}

}  // extern "C"
