// stream_set against NumPy and against itself: the golden cases in tests/golden/stream_set.jsonl
// (scripts/gen_golden_stream_set.py: numpy.random.Generator on the k-th spawned child of a meta
// SeedSequence), then the identities of seed(), snapshot() and restore(), handle lifetime, and
// bad parameters. The serialised forms are tested in stream_set_snapshot_test.cpp.
#include "streamalloc/stream_set/stream_set.hpp"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "support/expect_error.hpp"
#include "streamalloc/any_bit_generator.hpp"
#include "streamalloc/error.hpp"
#include "support/golden.hpp"

namespace streamalloc {
namespace {

using testing::json;
using words = std::vector<std::uint64_t>;

// ---------------------------------------------------------------------------------------------
// Values as 64-bit words: doubles by their IEEE bits, integers modulo 2^64, nested lists flat
// (golden values by testing::json_words, drawn values by append_words).

using testing::json_words;

template <class T>
std::uint64_t word_of(T value) {
  if constexpr (std::is_floating_point_v<T>) {
    return std::bit_cast<std::uint64_t>(static_cast<double>(value));
  } else if constexpr (std::is_signed_v<T>) {
    return static_cast<std::uint64_t>(static_cast<std::int64_t>(value));
  } else {
    return static_cast<std::uint64_t>(value);
  }
}

template <class T>
void append_words(const T& value, words& out) {
  if constexpr (requires { value.begin(); }) {
    for (const auto& v : value) append_words(v, out);
  } else {
    out.push_back(word_of(value));
  }
}

// One call on a variable: size null is x(), size n is x.fill() of n values.
using drawer = std::function<words(const json& size)>;

template <class Handle>
drawer make_drawer(Handle handle) {
  return [handle](const json& size) mutable {
    using result = typename Handle::result_type;
    words out;
    if (size.is_null()) {
      append_words(handle(), out);
      return out;
    }
    const auto n = size.get<std::size_t>();
    if constexpr (std::is_same_v<result, std::vector<std::int64_t>>) {
      std::vector<std::int64_t> values(n * handle.distribution().size());
      handle.fill(values);
      append_words(values, out);
    } else {
      std::vector<result> values(n);
      handle.fill(std::span<result>(values));
      append_words(values, out);
    }
    return out;
  };
}

bit_generator_kind family_from_numpy(const std::string& name) {
  for (const auto kind :
       {bit_generator_kind::pcg64, bit_generator_kind::pcg64dxsm, bit_generator_kind::philox,
        bit_generator_kind::sfc64, bit_generator_kind::mt19937}) {
    if (numpy_name(kind) == name) return kind;
  }
  throw std::runtime_error("unknown bit generator " + name);
}

template <class T>
drawer create_integers(stream_set& set, bit_generator_kind family, const json& args) {
  const bool endpoint = args.at("endpoint").get<bool>();
  const bool named = family == set.family();
  const auto create = [&](auto low, auto high) {
    return named ? make_drawer(set.integers<T>(low, high, endpoint))
                 : make_drawer(set.make_on<integers_distribution<T>>(family, low, high, endpoint));
  };
  const json& high = args.at("high");
  if (high.is_number_unsigned() &&
      high.get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX)) {
    return create(args.at("low").get<std::int64_t>(), high.get<std::uint64_t>());
  }
  return create(args.at("low").get<std::int64_t>(), high.get<std::int64_t>());
}

// Creates the variable a golden case describes: with the named creator when its family is the
// set's, else with make_on (so both paths are checked against NumPy).
drawer create_variable(stream_set& set, const json& spec) {
  const auto family = family_from_numpy(spec.at("family").get<std::string>());
  const bool named = family == set.family();
  const std::string method = spec.at("method").get<std::string>();
  const json& a = spec.at("args");
  const auto d = [&](const char* key) { return a.at(key).get<double>(); };
  if (method == "random") {
    return named ? make_drawer(set.random())
                 : make_drawer(set.make_on<uniform_distribution>(family, 0.0, 1.0));
  }
  if (method == "uniform") {
    return named ? make_drawer(set.uniform(d("low"), d("high")))
                 : make_drawer(set.make_on<uniform_distribution>(family, d("low"), d("high")));
  }
  if (method == "normal") {
    return named ? make_drawer(set.normal(d("loc"), d("scale")))
                 : make_drawer(set.make_on<normal_distribution>(family, d("loc"), d("scale")));
  }
  if (method == "exponential") {
    return named ? make_drawer(set.exponential(d("scale")))
                 : make_drawer(set.make_on<exponential_distribution>(family, d("scale")));
  }
  if (method == "gamma") {
    return named ? make_drawer(set.gamma(d("shape"), d("scale")))
                 : make_drawer(set.make_on<gamma_distribution>(family, d("shape"), d("scale")));
  }
  if (method == "poisson") {
    return named ? make_drawer(set.poisson(d("lam")))
                 : make_drawer(set.make_on<poisson_distribution>(family, d("lam")));
  }
  if (method == "binomial") {
    const auto n = a.at("n").get<std::int64_t>();
    return named ? make_drawer(set.binomial(n, d("p")))
                 : make_drawer(set.make_on<binomial_distribution>(family, n, d("p")));
  }
  if (method == "multinomial") {
    const auto n = a.at("n").get<std::int64_t>();
    auto pvals = a.at("pvals").get<std::vector<double>>();
    return named ? make_drawer(set.multinomial(n, pvals))
                 : make_drawer(set.make_on<multinomial_distribution>(family, n, pvals));
  }
  if (method == "integers") {
    const std::string dtype = a.at("dtype").get<std::string>();
    if (dtype == "int64") return create_integers<std::int64_t>(set, family, a);
    if (dtype == "int32") return create_integers<std::int32_t>(set, family, a);
    if (dtype == "uint64") return create_integers<std::uint64_t>(set, family, a);
    if (dtype == "uint32") return create_integers<std::uint32_t>(set, family, a);
    if (dtype == "uint8") return create_integers<std::uint8_t>(set, family, a);
    throw std::runtime_error("golden dtype not handled: " + dtype);
  }
  throw std::runtime_error("golden method not handled: " + method);
}

seed_sequence meta_from_json(const json& meta) {
  return seed_sequence(testing::entropy_from_json(meta.at("entropy")),
                       testing::spawn_key_from_json(meta.at("spawn_key")),
                       meta.at("pool_size").get<std::size_t>(),
                       meta.at("n_children_spawned").get<std::uint64_t>());
}

// The states of the set's variables as json.dumps prints them, from the JSON snapshot (which
// must carry NumPy's dicts unchanged). `field` is "before" or "now".
std::vector<std::string> snapshot_states(const stream_set_snapshot& snapshot, const char* field) {
  const json document = parse_json(to_json(snapshot), "snapshot");
  std::vector<std::string> out;
  for (const auto& v : document.at("variables")) out.push_back(dump_json(v.at(field)));
  return out;
}

std::vector<std::string> dumped(const json& list) {
  std::vector<std::string> out;
  for (const auto& v : list) out.push_back(dump_json(v));
  return out;
}

// Runs golden draws on the variables; returns how many values were compared.
std::size_t check_draws(std::vector<drawer>& variables, const json& draws) {
  std::size_t compared = 0;
  for (std::size_t i = 0; i < draws.size(); ++i) {
    const json& draw = draws[i];
    SCOPED_TRACE("draw " + std::to_string(i) + ": " + describe_json(draw));
    const auto k = draw.at("variable").get<std::size_t>();
    const words expected = json_words(draw.at("values"));
    EXPECT_EQ(variables.at(k)(draw.at("size")), expected);
    compared += expected.size();
  }
  return compared;
}

// ---------------------------------------------------------------------------------------------
// NumPy golden cases.

TEST(StreamSetGolden, VariablesDrawWhatNumPyDrawsOnTheSpawnedChildren) {
  const auto golden = testing::load_golden("stream_set.jsonl");
  ASSERT_EQ(golden.cases.size(), 3U);
  for (const json& c : golden.cases) {
    SCOPED_TRACE(c.at("name").get<std::string>());
    const seed_sequence meta = meta_from_json(c.at("meta"));
    const seed_sequence meta_copy = meta;
    const json& specs = c.at("variables");
    stream_set set(meta, family_from_numpy(specs.at(0).at("family").get<std::string>()));
    std::vector<drawer> variables;
    for (const auto& spec : specs) variables.push_back(create_variable(set, spec));
    ASSERT_EQ(set.size(), specs.size());
    EXPECT_EQ(meta, meta_copy);  // the caller's meta seed is not spawned from

    for (std::size_t k = 0; k < specs.size(); ++k) {
      EXPECT_EQ(set.child_seed(k).spawn_key(),
                testing::spawn_key_from_json(c.at("spawn_keys").at(k)));
    }
    const auto first = set.snapshot();
    EXPECT_EQ(snapshot_states(first, "now"), dumped(c.at("initial")));
    EXPECT_EQ(snapshot_states(first, "before"), dumped(c.at("initial")));
    const json first_doc = parse_json(to_json(first), "snapshot");
    for (std::size_t k = 0; k < specs.size(); ++k) {
      EXPECT_EQ(dump_json(first_doc.at("variables").at(k).at("spawn_key")),
                dump_json(c.at("spawn_keys").at(k)));
    }

    EXPECT_GE(check_draws(variables, c.at("draws")), c.at("draws").size());
    const auto after = set.snapshot();
    EXPECT_EQ(snapshot_states(after, "before"), dumped(c.at("initial")));
    EXPECT_EQ(snapshot_states(after, "now"), dumped(c.at("final")));

    // seed(): the same variables on another meta seed's children, from their first draw.
    const json& reseed = c.at("reseed");
    set.seed(meta_from_json(reseed.at("meta")));
    const auto reseeded = set.snapshot();
    EXPECT_EQ(snapshot_states(reseeded, "before"), dumped(reseed.at("initial")));
    EXPECT_EQ(snapshot_states(reseeded, "now"), dumped(reseed.at("initial")));
    for (std::size_t k = 0; k < specs.size(); ++k) {
      EXPECT_EQ(set.child_seed(k).spawn_key(),
                testing::spawn_key_from_json(reseed.at("spawn_keys").at(k)));
    }
    EXPECT_GE(check_draws(variables, reseed.at("draws")), reseed.at("draws").size());
    EXPECT_EQ(snapshot_states(set.snapshot(), "now"), dumped(reseed.at("final")));
  }
}

// ---------------------------------------------------------------------------------------------
// Identities. A fixed layout of variables of every kind, on every family.

struct layout {
  stream_variable<normal_distribution> normal;
  stream_variable<integers_distribution<std::int32_t>> int32;  // buffered 32-bit halves
  stream_variable<uniform_distribution> random;
  stream_variable<poisson_distribution> poisson;
  stream_variable<multinomial_distribution> multinomial;
  stream_variable<integers_distribution<std::uint8_t>> uint8;
  stream_variable<gamma_distribution> gamma;

  explicit layout(stream_set& set)
      : normal(set.normal(0.5, 2.0)),
        int32(set.make_on<integers_distribution<std::int32_t>>(bit_generator_kind::philox, -5,
                                                               1000000)),
        random(set.make_on<uniform_distribution>(bit_generator_kind::sfc64, 0.0, 1.0)),
        poisson(set.make_on<poisson_distribution>(bit_generator_kind::mt19937, 12.5)),
        multinomial(set.make_on<multinomial_distribution>(bit_generator_kind::pcg64dxsm, 7,
                                                          std::vector<double>{0.25, 0.25, 0.5})),
        uint8(set.integers<std::uint8_t>(3, 250, true)),
        gamma(set.gamma(0.4, 3.0)) {}

  // A fixed mix of single draws and fills on every variable, as words.
  words draw() {
    words out;
    for (int round = 0; round < 3; ++round) {
      append_words(normal(), out);
      append_words(int32(), out);  // leaves a buffered half in Philox half the time
      append_words(random(), out);
      append_words(poisson(), out);
      append_words(multinomial(), out);
      append_words(uint8(), out);
      append_words(gamma(), out);
      std::vector<double> doubles(5);
      normal.fill(doubles);
      append_words(doubles, out);
      std::vector<std::int32_t> ints(3);
      int32.fill(ints);
      append_words(ints, out);
      std::vector<std::uint8_t> bytes(9);
      uint8.fill(bytes);
      append_words(bytes, out);
    }
    return out;
  }
};

seed_sequence meta_a() { return seed_sequence(seed_entropy(20250101), {big_uint(4)}); }
seed_sequence meta_b() { return seed_sequence(seed_entropy(777), {big_uint(1), big_uint(2)}, 8); }

TEST(StreamSet, SeedDrawsWhatAFreshSetOnTheNewMetaSeedDraws) {
  stream_set reseeded(meta_a());
  layout x(reseeded);
  const words before_reseed = x.draw();
  reseeded.seed(meta_b());
  const words after_reseed = x.draw();

  stream_set fresh(meta_b());
  layout y(fresh);
  const words from_fresh = y.draw();
  EXPECT_EQ(after_reseed, from_fresh);
  EXPECT_NE(before_reseed, from_fresh);  // the meta seed matters
  EXPECT_EQ(reseeded.meta_seed(), meta_b());
  EXPECT_EQ(reseeded.snapshot(), fresh.snapshot());

  // Reseeding with the original meta seed goes back to the start.
  reseeded.seed(meta_a());
  EXPECT_EQ(x.draw(), before_reseed);
}

TEST(StreamSet, RestoreRepeatsTheDrawsSinceTheSnapshot) {
  stream_set set(meta_a());
  layout x(set);
  x.draw();
  // One int32 draw takes the low half of a fresh Philox word and buffers the high half: the
  // snapshot must carry it.
  x.int32();
  const auto saved = set.snapshot();
  const json doc = parse_json(to_json(saved), "snapshot");
  ASSERT_EQ(doc.at("variables").at(1).at("now").at("has_uint32").get<int>(), 1);

  const words first = x.draw();
  const std::int32_t buffered_next = x.int32();
  set.restore(saved);
  EXPECT_EQ(x.draw(), first);
  EXPECT_EQ(x.int32(), buffered_next);
  set.restore(saved);
  EXPECT_EQ(x.draw(), first);
}

TEST(StreamSet, SnapshotPairsChainLikeTheanoUpdates) {
  stream_set set(meta_b(), bit_generator_kind::philox);
  layout x(set);
  stream_set untouched(meta_b(), bit_generator_kind::philox);
  layout fresh(untouched);
  const auto initial = untouched.snapshot();

  const auto s1 = set.snapshot();
  x.draw();
  const auto s2 = set.snapshot();
  x.normal();
  const auto s3 = set.snapshot();
  ASSERT_EQ(s1.variables.size(), 7U);
  ASSERT_EQ(s2.variables.size(), 7U);
  ASSERT_EQ(s3.variables.size(), 7U);
  EXPECT_EQ(s1, initial);
  for (std::size_t k = 0; k < 7; ++k) {
    SCOPED_TRACE("variable " + std::to_string(k));
    EXPECT_TRUE(same_state(s1.variables[k].before, s1.variables[k].now));
    EXPECT_TRUE(same_state(s2.variables[k].before, s1.variables[k].now));
    EXPECT_FALSE(same_state(s2.variables[k].now, s1.variables[k].now));  // every one drew
    EXPECT_TRUE(same_state(s3.variables[k].before, s2.variables[k].now));
    EXPECT_EQ(s3.variables[k].index, k);
  }
  EXPECT_FALSE(same_state(s3.variables[0].now, s2.variables[0].now));  // only normal drew
  EXPECT_TRUE(same_state(s3.variables[1].now, s2.variables[1].now));

  // After restore, the next pair starts from the restored state.
  set.restore(s2);
  x.draw();
  const auto s4 = set.snapshot();
  for (std::size_t k = 0; k < 7; ++k) {
    EXPECT_TRUE(same_state(s4.variables[k].before, s2.variables[k].now));
  }
}

TEST(StreamSet, VariableKIsTheKthSpawnedChild) {
  seed_sequence meta(seed_entropy(42), {big_uint(9)}, 4, 3);
  stream_set set(meta, bit_generator_kind::sfc64);
  auto a = set.normal();
  auto b = set.make_on<uniform_distribution>(bit_generator_kind::philox, 0.0, 1.0);
  auto children = meta.spawn(2);  // NumPy's spawn continues from n_children_spawned
  sfc64 engine_a(children[0]);
  philox engine_b(children[1]);
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(std::bit_cast<std::uint64_t>(a()),
              std::bit_cast<std::uint64_t>(normal_distribution()(engine_a)));
    EXPECT_EQ(std::bit_cast<std::uint64_t>(b()),
              std::bit_cast<std::uint64_t>(engine_b.next_double()));
  }
  EXPECT_EQ(set.child_seed(1).spawn_key(), children[1].spawn_key());
  EXPECT_EQ(set.meta_seed().n_children_spawned(), 3U);  // the set's copy is not spawned from
}

TEST(StreamSet, MakeEqualsTheNamedCreators) {
  stream_set named(meta_a());
  stream_set generic(meta_a());
  auto n1 = named.normal(1.0, 3.0);
  auto n2 = generic.make<normal_distribution>(1.0, 3.0);
  auto i1 = named.integers(-7, 7, true);
  auto i2 = generic.make<integers_distribution<std::int64_t>>(-7, 7, true);
  auto r1 = named.random();
  auto r2 = generic.make<uniform_distribution>(0.0, 1.0);
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(std::bit_cast<std::uint64_t>(n1()), std::bit_cast<std::uint64_t>(n2()));
    EXPECT_EQ(i1(), i2());
    EXPECT_EQ(std::bit_cast<std::uint64_t>(r1()), std::bit_cast<std::uint64_t>(r2()));
  }
  EXPECT_EQ(named.snapshot(), generic.snapshot());
}

TEST(StreamSet, HandlesSurviveGrowthAndMoves) {
  stream_set alone(meta_a());
  auto reference = alone.normal();
  words expected;
  for (int i = 0; i < 50; ++i) append_words(reference(), expected);

  auto set = std::make_unique<stream_set>(meta_a());
  auto x = set->normal();
  auto copy = x;
  words got;
  for (int i = 0; i < 25; ++i) append_words(x(), got);
  for (int i = 0; i < 200; ++i) set->poisson(2.0);  // the set's slot list grows
  stream_set moved(std::move(*set));
  set.reset();
  for (int i = 0; i < 25; ++i) append_words(copy(), got);  // a copy draws from the same stream
  EXPECT_EQ(got, expected);
  EXPECT_EQ(moved.size(), 201U);
  EXPECT_EQ(x.index(), 0U);
  EXPECT_EQ(x.family(), bit_generator_kind::pcg64);
  EXPECT_TRUE(same_state(x.generator(), reference.generator()));
}

// ---------------------------------------------------------------------------------------------
// Restore mismatches and bad parameters.

using testing::expect_error;

TEST(StreamSet, RestoreRefusesAnotherSetsSnapshot) {
  stream_set set(meta_a());
  layout x(set);
  const words expected = [&] {
    stream_set twin(meta_a());
    layout y(twin);
    return y.draw();
  }();

  stream_set fewer(meta_a());
  fewer.normal(0.5, 2.0);
  expect_error<invalid_argument>([&] { set.restore(fewer.snapshot()); },
                                 "the snapshot has 1 variables, expected this set's 7");

  // The same layout but for one parameter of variable 0.
  stream_set changed(meta_a());
  changed.normal(0.5, 2.5);
  changed.make_on<integers_distribution<std::int32_t>>(bit_generator_kind::philox, -5, 1000000);
  changed.make_on<uniform_distribution>(bit_generator_kind::sfc64, 0.0, 1.0);
  changed.make_on<poisson_distribution>(bit_generator_kind::mt19937, 12.5);
  changed.make_on<multinomial_distribution>(bit_generator_kind::pcg64dxsm, 7,
                                            std::vector<double>{0.25, 0.25, 0.5});
  changed.integers<std::uint8_t>(3, 250, true);
  changed.gamma(0.4, 3.0);
  expect_error<invalid_argument>(
      [&] { set.restore(changed.snapshot()); },
      "variable 0 draws normal(loc=0.5, scale=2.5) on PCG64 in the snapshot, expected this "
      "set's normal(loc=0.5, scale=2.0) on PCG64");

  stream_set other_family(meta_a(), bit_generator_kind::sfc64);
  layout z(other_family);
  expect_error<invalid_argument>([&] { set.restore(other_family.snapshot()); },
                                 "on SFC64 in the snapshot, expected this set's normal");

  stream_set other_seed(meta_b());
  layout w(other_seed);
  expect_error<invalid_argument>([&] { set.restore(other_seed.snapshot()); },
                                 "the snapshot belongs to a set seeded from SeedSequence(777");

  // None of the refused restores changed anything.
  EXPECT_EQ(x.draw(), expected);
}

TEST(StreamSet, RestoreAcrossAReseedNeedsTheSnapshotsMetaSeed) {
  stream_set set(meta_a());
  layout x(set);
  const auto saved = set.snapshot();
  const words first = x.draw();
  set.seed(meta_b());
  expect_error<invalid_argument>([&] { set.restore(saved); }, "call seed()");
  set.seed(saved.meta);
  x.draw();
  set.restore(saved);
  EXPECT_EQ(x.draw(), first);
}

TEST(StreamSet, InvalidParametersCreateNoVariable) {
  stream_set set(meta_a());
  expect_error<invalid_argument>([&] { set.normal(0.0, -1.0); }, "scale");
  expect_error<invalid_argument>([&] { set.normal(std::nan(""), 1.0); }, "loc");
  expect_error<invalid_argument>([&] { set.uniform(2.0, 1.0); }, "high - low");
  expect_error<invalid_argument>([&] { set.integers(5, 5); }, "integers");
  expect_error<invalid_argument>([&] { set.integers<std::uint8_t>(0, 300); }, "uint8");
  expect_error<invalid_argument>([&] { set.exponential(-0.0); }, "scale");
  expect_error<invalid_argument>([&] { set.gamma(-1.0); }, "shape");
  expect_error<invalid_argument>([&] { set.poisson(-1.0); }, "lam");
  expect_error<invalid_argument>([&] { set.binomial(-1, 0.5); }, "n");
  expect_error<invalid_argument>([&] { set.binomial(3, 1.5); }, "p");
  expect_error<invalid_argument>([&] { set.multinomial(5, {0.6, 0.6, 0.1}); }, "pvals");
  expect_error<invalid_argument>(
      [&] { set.make_on<normal_distribution>(static_cast<bit_generator_kind>(9), 0.0, 1.0); },
      "bit_generator_kind 9");
  EXPECT_EQ(set.size(), 0U);

  // The first valid variable still gets child 0.
  auto x = set.normal();
  stream_set fresh(meta_a());
  auto y = fresh.normal();
  EXPECT_EQ(x.index(), 0U);
  EXPECT_EQ(std::bit_cast<std::uint64_t>(x()), std::bit_cast<std::uint64_t>(y()));

  expect_error<invalid_argument>(
      [&] { stream_set bad(meta_a(), static_cast<bit_generator_kind>(-1)); },
      "bit_generator_kind -1");
}

TEST(StreamSet, ChildNumbersBeyond64BitsAreRefused) {
  const std::uint64_t last = std::numeric_limits<std::uint64_t>::max();
  stream_set set(seed_sequence(seed_entropy(1), {}, 4, last));
  auto x = set.normal();  // child 2**64 - 1 is the last one
  EXPECT_EQ(set.child_seed(0).spawn_key().back(), big_uint(last));
  expect_error<invalid_argument>([&] { set.normal(); }, "below 2**64");
  EXPECT_EQ(set.size(), 1U);

  stream_set two(meta_a());
  auto a = two.normal();
  two.normal();
  const auto before = two.snapshot();
  expect_error<invalid_argument>([&] { two.seed(seed_sequence(seed_entropy(1), {}, 4, last)); },
                                 "below 2**64");
  EXPECT_EQ(two.snapshot(), before);  // seed() is all or nothing
  EXPECT_EQ(two.meta_seed(), meta_a());
  (void)a;
  (void)x;
}

// ---------------------------------------------------------------------------------------------
// The claim hook: what it is told, and that a refusal leaves the set as it was.

struct seen_claim {
  std::vector<big_uint> spawn_key;
  std::uint64_t first_child;
  std::uint64_t count;
  bool reseed;
  friend bool operator==(const seen_claim&, const seen_claim&) = default;
};

TEST(StreamSetClaimHook, NamesEachNewVariablesChildAndEveryChildOfAReseed) {
  std::vector<seen_claim> seen;
  seed_sequence spawned = meta_a();
  spawned.spawn(3);  // n_children_spawned 3: the set starts at child 3
  stream_set set(spawned);
  set.set_claim_hook([&](const stream_set_claim& c) {
    seen.push_back({c.meta.spawn_key(), c.first_child, c.count, c.reseed});
  });
  set.normal();
  set.integers(0, 10);
  set.seed(meta_b());
  set.poisson(2.0);
  const std::vector<seen_claim> expected{{meta_a().spawn_key(), 3, 1, false},
                                         {meta_a().spawn_key(), 4, 1, false},
                                         {meta_b().spawn_key(), 0, 2, true},
                                         {meta_b().spawn_key(), 2, 1, false}};
  EXPECT_EQ(seen, expected);

  // restore() puts back the set's own streams: no new ones, so no call.
  const auto saved = set.snapshot();
  set.restore(saved);
  EXPECT_EQ(seen.size(), expected.size());
  // An empty hook removes it.
  set.set_claim_hook({});
  set.random();
  EXPECT_EQ(seen.size(), expected.size());
}

TEST(StreamSetClaimHook, ARefusalLeavesTheSetUnchanged) {
  stream_set set(meta_a());
  auto x = set.normal();
  x();
  set.set_claim_hook([](const stream_set_claim& c) {
    throw reuse_error("refused child " + std::to_string(c.first_child));
  });
  set.snapshot();  // marks the current states, so that `before` equals a later snapshot
  const auto before = set.snapshot();
  expect_error<reuse_error>([&] { set.normal(); }, "refused child 1");
  EXPECT_EQ(set.size(), 1U);
  expect_error<reuse_error>([&] { set.seed(meta_b()); }, "refused child 0");
  EXPECT_EQ(set.meta_seed(), meta_a());
  EXPECT_EQ(set.snapshot(), before);

  // The refused variable's child is still the next one once the hook lets it through, and the
  // hook moves with the set.
  std::uint64_t allowed = 0;
  set.set_claim_hook([&](const stream_set_claim& c) { allowed = c.first_child; });
  stream_set moved = std::move(set);
  auto y = moved.normal();
  EXPECT_EQ(allowed, 1U);
  EXPECT_EQ(y.index(), 1U);
  EXPECT_TRUE(
      same_state(y.generator(), any_bit_generator(bit_generator_kind::pcg64, meta_a().child(1))));
}

}  // namespace
}  // namespace streamalloc
