// streamalloc/stream_set/stream_set.hpp — the random variables of one rank or component, each on its own
// stream, reseedable and checkpointable as a whole.
//
// A stream_set is Theano's RandomStreams (its "StreamSet" in the words) on NumPy's
// streams. It is built from a meta seed — any seed_sequence, e.g. the stream a rank claimed — and
// hands out random variables:
//
//   streamalloc::stream_set set{streamalloc::seed_sequence(12345)};
//   auto x = set.normal(0.0, 2.0);          // variable 0
//   auto k = set.integers(0, 10);           // variable 1
//   double v = x();                         // one draw
//   k.fill(std::span<std::int64_t>(buf));   // NumPy's size=buf.size() call
//
// Streams. Variable k (k = 0, 1, ... in creation order) draws from the bit generator of the meta
// seed's child number N + k, where N = meta.n_children_spawned(): exactly NumPy's
// meta.spawn(n)[k], spawn key meta.spawn_key + (N + k,). In Python, variable k of a set built
// from SeedSequence(E, spawn_key=S, pool_size=P, n_children_spawned=N) with family PCG64 is
//   np.random.Generator(np.random.PCG64(np.random.SeedSequence(E, spawn_key=S + (N + k,),
//                                                               pool_size=P))).normal(loc, scale)
// and every value drawn through the set is bit-exact with that Generator's (see
// distributions.hpp for what bit-exactness of the real-valued distributions assumes). The set
// copies its meta seed and never spawns from it: the caller's seed_sequence is not changed, and
// the set counts its variables itself, starting from N. A caller that wants to keep spawning
// from the same meta seed afterwards must skip the children the set uses (meta.spawn(set.size()))
// or, better, give the set a seed of its own (meta.spawn(1)[0]).
//
// Variables. set.normal(), set.integers(), ... or generically set.make<Dist>(args...) construct
// the distribution first, so invalid parameters throw streamalloc::invalid_argument (naming the
// value, as the distributions do) and create no variable. Each returns a stream_variable<Dist>
// handle: a small copyable reference to the variable's stream that draws with x() and
// x.fill(range). Copies of a handle draw from the same stream. Handles stay valid when more
// variables are created, when the set is reseeded or restored, and when the set is moved; they
// must not be used after the set (or the set it was moved into) is destroyed. set.random() is
// uniform(0, 1), which draws exactly what Generator.random() does.
//
// Reseeding and checkpoints. set.seed(m) resets every variable as if the set had been built from
// m (variable k on m's child m.n_children_spawned() + k), keeping the variables and their order.
// set.snapshot() returns every variable's state (stream_set_snapshot.hpp: Theano's updates()
// pairs, the state at the previous snapshot and the state now); set.restore(s) puts every
// variable back to the snapshot's states. All of a variable's state lives in its bit generator
// (including NumPy's buffered 32-bit half, has_uint32/uinteger; the distributions keep no
// state between draws, and NumPy's Generator keeps none that changes values), so a restored
// variable continues exactly as the original did.
//
// Claim hook. set_claim_hook(h) makes the set call h before it starts drawing from streams it
// has not drawn from before: before a variable is created (its one new child) and before seed()
// (every variable's new child). h may throw to refuse them; the call then throws h's exception
// and the set is unchanged. restore() never calls it: a snapshot's streams are the set's own.
// The MPI runtime records each variable as a claim this way
// (streamalloc/mpi/claimed_stream_set.hpp); the core knows nothing of claims or MPI. A hook
// rather than a wrapper around the set, because every creator (make, make_on, normal, integers,
// ...) and seed() pass through one of two private functions: the hook covers them all, including
// creators added later, without repeating any of them.
//
// Thread safety: not thread-safe; use one set (and its handles) per thread. Nothing here is
// MPI-collective (the core never uses MPI).
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <ranges>
#include <span>
#include <type_traits>
#include <utility>
#include <vector>

#include "streamalloc/any_bit_generator.hpp"
#include "streamalloc/distributions.hpp"
#include "streamalloc/seed_sequence.hpp"
#include "streamalloc/stream_set/distribution.hpp"
#include "streamalloc/stream_set/snapshot.hpp"

namespace streamalloc {
namespace detail {

// One variable's stream inside a stream_set. Internal: reached through stream_variable.
struct stream_slot {
  std::uint64_t index;
  bit_generator_kind family;
  distribution_description distribution;
  any_bit_generator engine;  // the current state
  any_bit_generator mark;    // the state at the last snapshot, creation, seed() or restore()
};

}  // namespace detail

// The streams a stream_set is about to start drawing from (see "Claim hook" above): children
// first_child .. first_child + count - 1 of `meta`, i.e. spawn keys meta.spawn_key() + (i,).
struct stream_set_claim {
  const seed_sequence& meta;  // the set's meta seed, or seed()'s new one
  std::uint64_t first_child;  // meta.n_children_spawned() + the first variable's index
  std::uint64_t count;        // >= 1
  bool reseed;                // true for seed(), false for a new variable
};

// Called before a stream_set takes new streams; throws to refuse them.
using stream_set_claim_hook = std::function<void(const stream_set_claim&)>;

// A handle to one random variable of a stream_set (see the file comment for its lifetime).
template <described_distribution Dist>
class stream_variable {
 public:
  using distribution_type = Dist;
  using result_type = typename Dist::result_type;

  // One draw: Generator.<method>(...) with size=None.
  result_type operator()() {
    return slot_->engine.visit([this](auto& engine) -> result_type { return dist_(engine); });
  }

  // out.size() draws into any contiguous range (a std::span, a std::vector, ...): the
  // distribution's fill, i.e. Generator.<method>(..., size=out.size()). For the distributions
  // whose fill equals repeated single draws, so does this.
  template <std::ranges::contiguous_range R>
  requires std::ranges::sized_range<R> &&
      requires(const Dist& dist, pcg64& engine, std::span<std::ranges::range_value_t<R>> out) {
    dist.fill(engine, out);
  }
  void fill(R&& out) {
    const std::span<std::ranges::range_value_t<R>> values(std::ranges::data(out),
                                                          std::ranges::size(out));
    slot_->engine.visit([&](auto& engine) { dist_.fill(engine, values); });
  }

  const Dist& distribution() const noexcept { return dist_; }
  // Creation order in the set: the variable's stream is child n_children_spawned + index().
  std::uint64_t index() const noexcept { return slot_->index; }
  bit_generator_kind family() const noexcept { return slot_->family; }
  // The variable's bit generator in its current state (for inspection: state_json(), ...).
  const any_bit_generator& generator() const noexcept { return slot_->engine; }

 private:
  friend class stream_set;
  stream_variable(detail::stream_slot* slot, Dist dist) : slot_(slot), dist_(std::move(dist)) {}

  detail::stream_slot* slot_;
  Dist dist_;
};

class stream_set {
 public:
  // A set whose variables draw, by default, with bit generators of `family`. The meta seed is
  // copied. Throws invalid_argument for a family that is not a bit_generator_kind.
  explicit stream_set(seed_sequence meta, bit_generator_kind family = bit_generator_kind::pcg64);

  // Not copyable: handles refer to the variables of one set. Movable: handles follow the
  // moved variables; move assignment destroys the target's own variables (and so invalidates
  // the handles to them).
  stream_set(const stream_set&) = delete;
  stream_set& operator=(const stream_set&) = delete;
  stream_set(stream_set&&) noexcept = default;
  stream_set& operator=(stream_set&&) noexcept = default;
  ~stream_set() = default;

  // A new variable drawing Dist(args...) on the next child stream, with the set's family.
  template <described_distribution Dist, class... Args>
  requires std::constructible_from<Dist, Args&&...> stream_variable<Dist> make(Args&&... args) {
    return make_on<Dist>(family_, std::forward<Args>(args)...);
  }
  // The same with a bit generator family of its own.
  template <described_distribution Dist, class... Args>
  requires std::constructible_from<Dist, Args&&...> stream_variable<Dist> make_on(
      bit_generator_kind family, Args&&... args) {
    Dist dist(std::forward<Args>(args)...);  // validates before any stream is taken
    detail::stream_slot& slot = add_slot(family, distribution_traits<Dist>::describe(dist));
    return stream_variable<Dist>(&slot, std::move(dist));
  }

  // Generator.random() (recorded as uniform(low=0.0, high=1.0), which draws the same values).
  stream_variable<uniform_distribution> random() { return make<uniform_distribution>(0.0, 1.0); }
  // Generator.uniform(low, high).
  stream_variable<uniform_distribution> uniform(double low = 0.0, double high = 1.0) {
    return make<uniform_distribution>(low, high);
  }
  // Generator.integers(low, high, endpoint=endpoint, dtype=T).
  template <numpy_integer T = std::int64_t, integer_bound L, integer_bound H>
  stream_variable<integers_distribution<T>> integers(L low, H high, bool endpoint = false) {
    return make<integers_distribution<T>>(low, high, endpoint);
  }
  // Generator.normal(loc, scale).
  stream_variable<normal_distribution> normal(double loc = 0.0, double scale = 1.0) {
    return make<normal_distribution>(loc, scale);
  }
  // Generator.exponential(scale).
  stream_variable<exponential_distribution> exponential(double scale = 1.0) {
    return make<exponential_distribution>(scale);
  }
  // Generator.gamma(shape, scale).
  stream_variable<gamma_distribution> gamma(double shape, double scale = 1.0) {
    return make<gamma_distribution>(shape, scale);
  }
  // Generator.poisson(lam).
  stream_variable<poisson_distribution> poisson(double lam = 1.0) {
    return make<poisson_distribution>(lam);
  }
  // Generator.binomial(n, p).
  stream_variable<binomial_distribution> binomial(std::int64_t n, double p) {
    return make<binomial_distribution>(n, p);
  }
  // Generator.multinomial(n, pvals).
  stream_variable<multinomial_distribution> multinomial(std::int64_t n, std::vector<double> pvals) {
    return make<multinomial_distribution>(n, std::move(pvals));
  }

  // Every variable reset as if the set had been built from new_meta: variable k on child
  // new_meta.n_children_spawned() + k, in its own family. Strong guarantee: on an exception
  // (invalid_argument if a child index would exceed 2^64 - 1, or the claim hook's refusal) the
  // set is unchanged.
  void seed(seed_sequence new_meta);

  // Installs `hook` (see "Claim hook" above), replacing any earlier one; an empty function
  // removes it. The hook moves with the set.
  void set_claim_hook(stream_set_claim_hook hook) noexcept { claim_hook_ = std::move(hook); }

  // Every variable's state (see stream_set_snapshot.hpp). Marks the current states as the
  // `before` of the next snapshot, which is why it is not const.
  stream_set_snapshot snapshot();

  // Every variable back to snapshot.variables[k].now. The snapshot must come from this set: the
  // same meta seed (the same pool and n_children_spawned), the same number of variables, and each
  // with the same family and distribution; otherwise invalid_argument names the mismatch and
  // the set is unchanged. After a reseed, seed(snapshot.meta) first to restore an older snapshot.
  void restore(const stream_set_snapshot& snapshot);

  const seed_sequence& meta_seed() const noexcept { return meta_; }
  // The family make() and the named creators use.
  bit_generator_kind family() const noexcept { return family_; }
  // Number of variables created.
  std::size_t size() const noexcept { return slots_.size(); }
  // The seed sequence of variable `index` (created or not): meta.child(N + index). Throws
  // invalid_argument if N + index exceeds 2^64 - 1.
  seed_sequence child_seed(std::uint64_t index) const;

 private:
  detail::stream_slot& add_slot(bit_generator_kind family, distribution_description description);

  seed_sequence meta_;
  bit_generator_kind family_;
  // unique_ptr: a slot's address never changes, so handles survive growth and moves of the set.
  std::vector<std::unique_ptr<detail::stream_slot>> slots_;
  stream_set_claim_hook claim_hook_;
};

}  // namespace streamalloc
