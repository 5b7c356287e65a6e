// The drawing loop of `generate --dist`: one visit of the engine and of the sampler, then the
// library's bulk fills on the concrete engine, so no value pays for a run-time dispatch.
#include "dist_sampler.hpp"

#include <algorithm>
#include <memory>
#include <span>
#include <type_traits>
#include <vector>

namespace streamalloc::cli {
namespace {

// Values per fill and write: large enough that per-call costs vanish, small enough to stay in
// cache.
constexpr std::size_t chunk_values = std::size_t{1} << 13;

template <class D>
struct is_narrow_integers : std::false_type {};
template <class T>
struct is_narrow_integers<integers_distribution<T>> : std::bool_constant<(sizeof(T) < 4)> {};

// The type of each entry a draw writes (a multinomial draw is a vector of int64 counts).
template <class D>
using entry_t = std::conditional_t<std::is_same_v<D, multinomial_distribution>, std::int64_t,
                                   typename D::result_type>;

// Entries per draw.
template <class D>
std::size_t row_length(const D& dist) noexcept {
  if constexpr (std::is_same_v<D, multinomial_distribution>) {
    return dist.size();
  } else {
    return 1;
  }
}

// Generator.<method>(..., size=out.size()) (rows of a multinomial: out.size() / k draws).
template <class E>
void fill(E& engine, const random_draw&, std::span<double> out) {
  streamalloc::random(engine, out);
}
template <class E>
void fill(E& engine, const standard_normal_draw&, std::span<double> out) {
  standard_normal(engine, out);
}
template <class E>
void fill(E& engine, const standard_exponential_draw&, std::span<double> out) {
  standard_exponential(engine, out);
}
template <class E>
void fill(E& engine, const standard_gamma_draw& dist, std::span<double> out) {
  standard_gamma(engine, dist.shape, out);
}
template <class E, class D>
void fill(E& engine, const D& dist, std::span<entry_t<D>> out) {
  dist.fill(engine, out);
}

// `rows` draws of `row` entries each; only multinomial and permutation draws (int64) have
// rows of other than one entry.
template <class T>
void write(value_writer* writer, std::span<const T> values, std::size_t rows, std::size_t row) {
  if (writer == nullptr) return;
  if constexpr (std::is_same_v<T, std::int64_t>) {
    if (row != 1) {
      writer->write_rows(values, rows);
      return;
    }
  }
  writer->write(values);
}

// Methods whose fill of n equals fills of pieces adding up to n: bounded chunks.
template <class E, class D>
void draw_chunked(E& engine, const D& dist, std::uint64_t count, bool endless,
                  value_writer* writer) {
  using T = entry_t<D>;
  const std::size_t row = row_length(dist);
  const std::size_t chunk_rows = std::max<std::size_t>(1, chunk_values / row);
  std::vector<T> chunk(chunk_rows * row);
  std::uint64_t remaining = count;
  while (endless || remaining > 0) {
    const std::size_t rows =
        endless || remaining >= chunk_rows ? chunk_rows : static_cast<std::size_t>(remaining);
    const std::span<T> values(chunk.data(), rows * row);
    fill(engine, dist, values);
    write(writer, std::span<const T>(values), rows, row);
    if (!endless) remaining -= rows;
  }
}

// Narrow integer dtypes: one fill of all `count` values, as NumPy's one call (a plain array, not
// std::vector, which packs bool into bits).
template <class E, class T>
void draw_one_piece(E& engine, const integers_distribution<T>& dist, std::uint64_t count,
                    value_writer* writer) {
  const auto n = static_cast<std::size_t>(count);
  const auto values = std::make_unique<T[]>(n);
  dist.fill(engine, std::span<T>(values.get(), n));
  for (std::size_t done = 0; done < n && writer != nullptr; done += chunk_values) {
    writer->write(std::span<const T>(values.get() + done, std::min(chunk_values, n - done)));
  }
}

// `count` calls of Generator.permutation(n), one line each.
template <class E>
void draw_permutations(E& engine, const permutation_draw& dist, std::uint64_t count, bool endless,
                       value_writer* writer) {
  for (std::uint64_t done = 0; endless || done < count; ++done) {
    const std::vector<std::int64_t> values = streamalloc::permutation(engine, dist.n);
    write(writer, std::span<const std::int64_t>(values), 1, values.size());
  }
}

}  // namespace

bool draws_in_one_piece(const dist_sampler& dist) noexcept {
  return std::visit(
      [](const auto& d) { return is_narrow_integers<std::remove_cvref_t<decltype(d)>>::value; },
      dist);
}

void draw_distribution(any_bit_generator& gen, const dist_sampler& dist, std::uint64_t count,
                       bool endless, value_writer* writer) {
  std::visit(
      [&](const auto& d) {
        using D = std::remove_cvref_t<decltype(d)>;
        gen.visit([&](auto& engine) {
          if constexpr (std::is_same_v<D, permutation_draw>) {
            draw_permutations(engine, d, count, endless, writer);
          } else if constexpr (is_narrow_integers<D>::value) {
            draw_one_piece(engine, d, count, writer);
          } else {
            draw_chunked(engine, d, count, endless, writer);
          }
        });
      },
      dist);
}

}  // namespace streamalloc::cli
