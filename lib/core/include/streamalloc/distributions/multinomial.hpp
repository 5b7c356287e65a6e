// streamalloc/distributions/multinomial.hpp — Multinomial(n, pvals) count vectors.
//
// multinomial(gen, n, pvals) is numpy.random.Generator.multinomial(n, pvals): sequential
// binomials, count[j] = Binomial(n - counts so far, pvals[j] / (1 - pvals[0] - ... -
// pvals[j-1])) for j < d - 1, stopping as soon as nothing is left; the last category takes
// the remainder (its own pval is never read). Bit-exact with NumPy 1.24 for streamalloc's
// engines (see binomial.hpp). A fill of k vectors equals k single draws.
//
// Errors (streamalloc::invalid_argument), as NumPy's ValueError: no categories; a pval outside
// [0, 1] or NaN; sum(pvals[:-1]) > 1 + 1e-12 (summed with Kahan's compensation, as NumPy);
// n < 0.
//
// Thread safety: distribution objects are immutable; generators are not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <utility>
#include <vector>

#include "streamalloc/distributions/binomial.hpp"
#include "streamalloc/distributions/bit_source.hpp"
#include "streamalloc/distributions/checks.hpp"

namespace streamalloc {
namespace detail {

// NumPy's kahan_sum over values.
inline double kahan_sum(std::span<const double> values) noexcept {
  if (values.empty()) return 0.0;
  double sum = values[0];
  double compensation = 0.0;
  for (std::size_t i = 1; i < values.size(); ++i) {
    const double y = values[i] - compensation;
    const double t = sum + y;
    compensation = (t - sum) - y;
    sum = t;
  }
  return sum;
}

// Throws unless pvals is a valid multinomial probability vector (NumPy's checks).
void check_multinomial_pvals(std::span<const double> pvals);

// NumPy's random_multinomial into out (out.size() == pvals.size()).
template <class B>
void multinomial_from(B& bits, std::int64_t n, std::span<const double> pvals,
                      std::span<std::int64_t> out) {
  for (auto& count : out) count = 0;
  double remaining_p = 1.0;
  std::int64_t left = n;
  const std::size_t d = pvals.size();
  for (std::size_t j = 0; j + 1 < d; ++j) {
    out[j] = binomial_from(bits, binomial_setup(left, pvals[j] / remaining_p));
    left -= out[j];
    if (left <= 0) break;
    remaining_p -= pvals[j];
  }
  if (left > 0) out[d - 1] = left;
}

}  // namespace detail

// Generator.multinomial(n, pvals).
class multinomial_distribution {
 public:
  using result_type = std::vector<std::int64_t>;

  multinomial_distribution(std::int64_t n, std::vector<double> pvals)
      : n_(n), pvals_(std::move(pvals)) {
    detail::check_multinomial_pvals(pvals_);
    detail::require_count("multinomial", "n", n);
  }

  std::int64_t n() const noexcept { return n_; }
  const std::vector<double>& pvals() const noexcept { return pvals_; }
  // Categories per draw.
  std::size_t size() const noexcept { return pvals_.size(); }

  template <bit_source G>
  std::vector<std::int64_t> operator()(G& gen) const {
    std::vector<std::int64_t> counts(pvals_.size());
    auto&& bits = detail::bitgen_of(gen);
    detail::multinomial_from(bits, n_, pvals_, counts);
    return counts;
  }

  // One draw into out, which must hold size() counts.
  template <bit_source G>
  void operator()(G& gen, std::span<std::int64_t> out) const {
    fill(gen, out);
  }

  // out.size() / size() draws, one after another (NumPy's size=k, row-major); out.size() must
  // be a multiple of size().
  template <bit_source G>
  void fill(G& gen, std::span<std::int64_t> out) const {
    const std::size_t d = pvals_.size();
    if (out.size() % d != 0) {
      detail::throw_invalid("multinomial",
                            "the output size must be a multiple of the number of categories");
    }
    auto&& bits = detail::bitgen_of(gen);
    for (std::size_t offset = 0; offset < out.size(); offset += d) {
      detail::multinomial_from(bits, n_, pvals_, out.subspan(offset, d));
    }
  }

 private:
  std::int64_t n_;
  std::vector<double> pvals_;
};

template <bit_source G>
std::vector<std::int64_t> multinomial(G& gen, std::int64_t n, std::span<const double> pvals) {
  return multinomial_distribution(n, std::vector<double>(pvals.begin(), pvals.end()))(gen);
}

template <bit_source G>
std::vector<std::int64_t> multinomial(G& gen, std::int64_t n, std::initializer_list<double> pvals) {
  return multinomial_distribution(n, std::vector<double>(pvals))(gen);
}

// k = out.size() / pvals.size() draws, row-major.
template <bit_source G>
void multinomial(G& gen, std::int64_t n, std::span<const double> pvals,
                 std::span<std::int64_t> out) {
  multinomial_distribution(n, std::vector<double>(pvals.begin(), pvals.end())).fill(gen, out);
}

}  // namespace streamalloc
