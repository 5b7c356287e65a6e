// streamalloc_stream_set_*, streamalloc_variable_*, streamalloc_snapshot_*: stream sets.
#include <memory>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

#include "boundary.hpp"
#include "types.hpp"

namespace streamalloc::capi {

owned_stream_set::~owned_stream_set() {
  // The set's variables die with it: their handles are freed (and so refused afterwards).
  for (streamalloc_variable* v : variables) {
    try {
      detail::release_handle(v, handle_kind::variable, "variable");
    } catch (...) {  // cannot happen: only the set frees its variables
    }
  }
}

}  // namespace streamalloc::capi

using namespace streamalloc;
using namespace streamalloc::capi;

namespace {

owned_stream_set& set_of(streamalloc_stream_set* set) { return *checked(set, "set").value; }

// A new variable Dist(args...) on the set's next stream, with the set's current family, handed
// out through `out` and owned by the set.
template <class Dist, class... Args>
void add_variable(streamalloc_stream_set* set, streamalloc_variable** out, Args&&... args) {
  owned_stream_set& owner = set_of(set);
  require_out(out, "out");
  owner.variables.reserve(owner.variables.size() + 1);  // no allocation can fail after make_on
  pending_handle<streamalloc_variable> made(make_handle<streamalloc_variable>(
      any_variable(owner.set.make_on<Dist>(owner.family, std::forward<Args>(args)...))));
  owner.variables.push_back(made.get());
  *out = made.release();
}

// n draws into out; T is double for the real-valued variables, int64 for the others.
template <class T>
void fill_variable(streamalloc_variable* var, T* out, std::int64_t n) {
  any_variable& v = *checked(var, "var").value;
  const std::size_t count = count_of(n, "n");
  require_array(out, n, "out");
  std::visit(
      [&](auto& variable) {
        using variable_type = std::decay_t<decltype(variable)>;
        using dist = typename variable_type::distribution_type;
        // Real-valued variables draw doubles; the others int64 values (multinomial: counts).
        constexpr bool reals = std::is_same_v<typename variable_type::result_type, double>;
        if constexpr (std::is_same_v<T, double> == reals) {
          using value = typename dist::result_type;
          if constexpr (std::is_same_v<value, T> || !std::is_integral_v<value>) {
            variable.fill(std::span<T>(out, count));  // doubles, int64, multinomial counts
          } else {
            // Another dtype: drawn as itself (NumPy's algorithm for it), then widened.
            const auto buffer = std::make_unique<value[]>(count);
            variable.fill(std::span<value>(buffer.get(), count));
            for (std::size_t i = 0; i < count; ++i) out[i] = static_cast<T>(buffer[i]);
          }
        } else {
          throw invalid_argument("the variable draws " +
                                 distribution_traits<dist>::describe(variable.distribution()).name +
                                 (reals ? " values (doubles): use streamalloc_variable_fill_double"
                                        : " values (integers): use streamalloc_variable_fill_i64"));
        }
      },
      v);
}

}  // namespace

extern "C" {

streamalloc_status streamalloc_stream_set_create(const streamalloc_seedseq* meta, int family,
                                                 streamalloc_stream_set** out) {
  return call(__func__, [&] {
    const seed_sequence& m = *checked(meta, "meta").value;
    const bit_generator_kind k = kind_of(family, "family");
    require_out(out, "out");
    *out = make_handle<streamalloc_stream_set>(stream_set(m, k));
  });
}

streamalloc_status streamalloc_stream_set_free(streamalloc_stream_set* set) {
  return call(__func__, [&] { free_handle(set, "set"); });
}

streamalloc_status streamalloc_stream_set_size(const streamalloc_stream_set* set, int64_t* out) {
  return call(__func__, [&] {
    const owned_stream_set& owner = *checked(set, "set").value;
    require_out(out, "out");
    *out = static_cast<std::int64_t>(owner.set.size());
  });
}

streamalloc_status streamalloc_stream_set_use_family(streamalloc_stream_set* set, int family) {
  return call(__func__, [&] {
    owned_stream_set& owner = set_of(set);
    owner.family = kind_of(family, "family");
  });
}

streamalloc_status streamalloc_stream_set_add_uniform(streamalloc_stream_set* set, double low,
                                                      double high, streamalloc_variable** out) {
  return call(__func__, [&] { add_variable<uniform_distribution>(set, out, low, high); });
}

streamalloc_status streamalloc_stream_set_add_normal(streamalloc_stream_set* set, double loc,
                                                     double scale, streamalloc_variable** out) {
  return call(__func__, [&] { add_variable<normal_distribution>(set, out, loc, scale); });
}

streamalloc_status streamalloc_stream_set_add_exponential(streamalloc_stream_set* set, double scale,
                                                          streamalloc_variable** out) {
  return call(__func__, [&] { add_variable<exponential_distribution>(set, out, scale); });
}

streamalloc_status streamalloc_stream_set_add_gamma(streamalloc_stream_set* set, double shape,
                                                    double scale, streamalloc_variable** out) {
  return call(__func__, [&] { add_variable<gamma_distribution>(set, out, shape, scale); });
}

streamalloc_status streamalloc_stream_set_add_poisson(streamalloc_stream_set* set, double lam,
                                                      streamalloc_variable** out) {
  return call(__func__, [&] { add_variable<poisson_distribution>(set, out, lam); });
}

streamalloc_status streamalloc_stream_set_add_binomial(streamalloc_stream_set* set, int64_t trials,
                                                       double p, streamalloc_variable** out) {
  return call(__func__,
              [&] { add_variable<binomial_distribution>(set, out, std::int64_t{trials}, p); });
}

streamalloc_status streamalloc_stream_set_add_integers(streamalloc_stream_set* set, int64_t low,
                                                       int64_t high, bool endpoint, int dtype,
                                                       streamalloc_variable** out) {
  return call(__func__, [&] {
    const std::int64_t l = low;
    const std::int64_t h = high;
    switch (dtype) {
      case STREAMALLOC_INT64:
        return add_variable<integers_distribution<std::int64_t>>(set, out, l, h, endpoint);
      case STREAMALLOC_INT32:
        return add_variable<integers_distribution<std::int32_t>>(set, out, l, h, endpoint);
      case STREAMALLOC_INT16:
        return add_variable<integers_distribution<std::int16_t>>(set, out, l, h, endpoint);
      case STREAMALLOC_INT8:
        return add_variable<integers_distribution<std::int8_t>>(set, out, l, h, endpoint);
      case STREAMALLOC_UINT64:
        return add_variable<integers_distribution<std::uint64_t>>(set, out, l, h, endpoint);
      case STREAMALLOC_UINT32:
        return add_variable<integers_distribution<std::uint32_t>>(set, out, l, h, endpoint);
      case STREAMALLOC_UINT16:
        return add_variable<integers_distribution<std::uint16_t>>(set, out, l, h, endpoint);
      case STREAMALLOC_UINT8:
        return add_variable<integers_distribution<std::uint8_t>>(set, out, l, h, endpoint);
      case STREAMALLOC_BOOL:
        return add_variable<integers_distribution<bool>>(set, out, l, h, endpoint);
      default:
        throw invalid_argument("dtype = " + std::to_string(dtype) +
                               " is no integer dtype, expected STREAMALLOC_INT64 (0) to "
                               "STREAMALLOC_BOOL (8)");
    }
  });
}

streamalloc_status streamalloc_stream_set_add_integers_u64(streamalloc_stream_set* set,
                                                           uint64_t low, uint64_t high,
                                                           bool endpoint,
                                                           streamalloc_variable** out) {
  return call(__func__, [&] {
    add_variable<integers_distribution<std::uint64_t>>(set, out, std::uint64_t{low},
                                                       std::uint64_t{high}, endpoint);
  });
}

streamalloc_status streamalloc_stream_set_add_multinomial(streamalloc_stream_set* set,
                                                          int64_t trials, const double* pvals,
                                                          int64_t n_pvals,
                                                          streamalloc_variable** out) {
  return call(__func__, [&] {
    const std::size_t k = count_of(n_pvals, "n_pvals");
    require_array(pvals, n_pvals, "pvals");
    add_variable<multinomial_distribution>(set, out, std::int64_t{trials},
                                           std::vector<double>(pvals, pvals + k));
  });
}

streamalloc_status streamalloc_variable_fill_double(streamalloc_variable* var, double* out,
                                                    int64_t n) {
  return call(__func__, [&] { fill_variable(var, out, n); });
}

streamalloc_status streamalloc_variable_fill_i64(streamalloc_variable* var, int64_t* out,
                                                 int64_t n) {
  return call(__func__, [&] { fill_variable(var, out, n); });
}

streamalloc_status streamalloc_variable_index(const streamalloc_variable* var, int64_t* out) {
  return call(__func__, [&] {
    const any_variable& v = *checked(var, "var").value;
    require_out(out, "out");
    *out = std::visit(
        [](const auto& variable) { return static_cast<std::int64_t>(variable.index()); }, v);
  });
}

streamalloc_status streamalloc_stream_set_seed(streamalloc_stream_set* set,
                                               const streamalloc_seedseq* new_meta) {
  return call(__func__, [&] {
    owned_stream_set& owner = set_of(set);
    owner.set.seed(*checked(new_meta, "new_meta").value);
  });
}

streamalloc_status streamalloc_stream_set_snapshot(streamalloc_stream_set* set,
                                                   streamalloc_snapshot** out) {
  return call(__func__, [&] {
    owned_stream_set& owner = set_of(set);
    require_out(out, "out");
    *out = make_handle<streamalloc_snapshot>(owner.set.snapshot());
  });
}

streamalloc_status streamalloc_stream_set_restore(streamalloc_stream_set* set,
                                                  const streamalloc_snapshot* snapshot) {
  return call(__func__, [&] {
    owned_stream_set& owner = set_of(set);
    owner.set.restore(*checked(snapshot, "snapshot").value);
  });
}

streamalloc_status streamalloc_snapshot_to_bytes(const streamalloc_snapshot* snapshot, uint8_t* buf,
                                                 int64_t capacity, int64_t* length) {
  return call(__func__, [&] {
    const std::vector<std::byte> bytes = to_bytes(*checked(snapshot, "snapshot").value);
    write_out(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()),
              reinterpret_cast<char*>(buf), capacity, length, false);
  });
}

streamalloc_status streamalloc_snapshot_from_bytes(const uint8_t* bytes, int64_t n,
                                                   streamalloc_snapshot** out) {
  return call(__func__, [&] {
    const std::size_t count = count_of(n, "n");
    require_array(bytes, n, "bytes");
    require_out(out, "out");
    const std::span<const std::byte> view(reinterpret_cast<const std::byte*>(bytes), count);
    *out = make_handle<streamalloc_snapshot>(snapshot_from_bytes(view));
  });
}

streamalloc_status streamalloc_snapshot_to_json(const streamalloc_snapshot* snapshot, char* buf,
                                                int64_t capacity, int64_t* length) {
  return call(__func__, [&] {
    write_out(to_json(*checked(snapshot, "snapshot").value), buf, capacity, length);
  });
}

streamalloc_status streamalloc_snapshot_free(streamalloc_snapshot* snapshot) {
  return call(__func__, [&] { free_handle(snapshot, "snapshot"); });
}

}  // extern "C"
