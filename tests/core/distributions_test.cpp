// Distributions against NumPy: the golden vectors in tests/golden/distributions.jsonl (written by
// scripts/gen_golden_distributions.py from numpy.random.Generator), a live cross-check against
// the local NumPy on fresh random cases when it is available, and bad parameters.
#include "streamalloc/distributions.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <span>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "streamalloc/any_bit_generator.hpp"
#include "streamalloc/error.hpp"
#include "streamalloc/mt19937.hpp"
#include "streamalloc/pcg64.hpp"
#include "streamalloc/pcg64_dxsm.hpp"
#include "streamalloc/philox.hpp"
#include "streamalloc/sfc64.hpp"
#include "support/engines.hpp"
#include "support/golden.hpp"

namespace streamalloc {
namespace {

using testing::json;
using words = std::vector<std::uint64_t>;

// ---------------------------------------------------------------------------------------------
// Golden data as 64-bit words (testing::json_words): doubles by their IEEE bits, integers modulo
// 2^64, bools 0/1, nested lists (multinomial) flattened.

using testing::json_words;

std::uint64_t fnv1a64(const words& values) {
  std::uint64_t h = 0xCBF29CE484222325ULL;
  for (const auto w : values) h = (h ^ w) * 0x100000001B3ULL;
  return h;
}

double arg_double(const json& args, const char* name) {
  const auto& v = args.at(name);
  if (v.is_string()) {
    const auto text = v.get<std::string>();
    if (text == "nan") return std::numeric_limits<double>::quiet_NaN();
    if (text == "inf") return std::numeric_limits<double>::infinity();
    if (text == "-inf") return -std::numeric_limits<double>::infinity();
    throw std::runtime_error("bad number " + text);
  }
  return v.get<double>();
}

std::vector<double> arg_doubles(const json& args, const char* name) {
  std::vector<double> out;
  for (const auto& v : args.at(name)) {
    json wrapper = json::object();
    wrapper["x"] = v;
    out.push_back(arg_double(wrapper, "x"));
  }
  return out;
}

// An integer argument of integers(): int64, uint64, or absent (it does not fit either, which only
// NumPy-side error cases use).
struct wide_int {
  bool ok = false;
  bool is_unsigned = false;
  std::int64_t s = 0;
  std::uint64_t u = 0;
};

wide_int arg_int(const json& v) {
  wide_int out;
  if (v.is_number_unsigned()) {
    out.ok = true;
    out.u = v.get<std::uint64_t>();
    out.is_unsigned = out.u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    out.s = static_cast<std::int64_t>(out.u);
  } else if (v.is_number_integer()) {
    out.ok = true;
    out.s = v.get<std::int64_t>();
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Running one Generator call on one of our bit generators.

template <class T>
void append(words& out, const std::vector<T>& values) {
  for (const T& v : values) {
    if constexpr (std::is_same_v<T, double>) {
      out.push_back(std::bit_cast<std::uint64_t>(v));
    } else if constexpr (std::is_same_v<T, bool>) {
      out.push_back(v ? 1U : 0U);
    } else {
      out.push_back(static_cast<std::uint64_t>(v));
    }
  }
}

// A distribution object with operator()(gen) and fill(gen, span): `count` single draws, or one
// fill of `size`.
template <class T, class D, class E>
words run_dist(const D& dist, E& engine, std::optional<std::size_t> size, std::size_t count) {
  std::vector<T> values;
  if (size) {
    values.resize(*size);
    if constexpr (std::is_same_v<T, bool>) {
      auto buffer = std::make_unique<bool[]>(*size);
      dist.fill(engine, std::span<bool>(buffer.get(), *size));
      for (std::size_t i = 0; i < *size; ++i) values[i] = buffer[i];
    } else {
      dist.fill(engine, std::span<T>(values));
    }
  } else {
    for (std::size_t i = 0; i < count; ++i) values.push_back(dist(engine));
  }
  words out;
  append(out, values);
  return out;
}

template <class T, class E>
words run_integers(E& engine, const json& args, std::optional<std::size_t> size,
                   std::size_t count) {
  const wide_int low = arg_int(args.at("low"));
  bool endpoint = args.at("endpoint").get<bool>();
  wide_int high = arg_int(args.at("high"));
  if (!high.ok && !endpoint &&
      json_to_big(args.at("high"), "high") == big_uint::from_uint128(uint128{1} << 64)) {
    // high = 2^64 exclusive: the same closed interval as 2^64 - 1 with endpoint.
    high = arg_int(json(std::numeric_limits<std::uint64_t>::max()));
    endpoint = true;
  }
  if (!low.ok || !high.ok) throw std::out_of_range("bounds beyond 64 bits");
  const auto make = [&](auto l) {
    return high.is_unsigned ? integers_distribution<T>(l, high.u, endpoint)
                            : integers_distribution<T>(l, high.s, endpoint);
  };
  const auto dist = low.is_unsigned ? make(low.u) : make(low.s);
  return run_dist<T>(dist, engine, size, count);
}

template <class E>
words run_method(E& engine, const std::string& method, const json& args,
                 std::optional<std::size_t> size, std::size_t count) {
  if (method == "random") {
    struct standard {
      double operator()(E& e) const { return random(e); }
      void fill(E& e, std::span<double> out) const { random(e, out); }
    };
    return run_dist<double>(standard{}, engine, size, count);
  }
  if (method == "uniform") {
    return run_dist<double>(uniform_distribution(arg_double(args, "low"), arg_double(args, "high")),
                            engine, size, count);
  }
  if (method == "integers") {
    const auto dtype = args.at("dtype").get<std::string>();
    if (dtype == "int64") return run_integers<std::int64_t>(engine, args, size, count);
    if (dtype == "uint64") return run_integers<std::uint64_t>(engine, args, size, count);
    if (dtype == "int32") return run_integers<std::int32_t>(engine, args, size, count);
    if (dtype == "uint32") return run_integers<std::uint32_t>(engine, args, size, count);
    if (dtype == "int16") return run_integers<std::int16_t>(engine, args, size, count);
    if (dtype == "uint16") return run_integers<std::uint16_t>(engine, args, size, count);
    if (dtype == "int8") return run_integers<std::int8_t>(engine, args, size, count);
    if (dtype == "uint8") return run_integers<std::uint8_t>(engine, args, size, count);
    if (dtype == "bool") return run_integers<bool>(engine, args, size, count);
    throw std::runtime_error("unknown dtype " + dtype);
  }
  if (method == "standard_normal") {
    struct standard {
      double operator()(E& e) const { return standard_normal(e); }
      void fill(E& e, std::span<double> out) const { standard_normal(e, out); }
    };
    return run_dist<double>(standard{}, engine, size, count);
  }
  if (method == "normal") {
    return run_dist<double>(normal_distribution(arg_double(args, "loc"), arg_double(args, "scale")),
                            engine, size, count);
  }
  if (method == "standard_exponential") {
    struct standard {
      double operator()(E& e) const { return standard_exponential(e); }
      void fill(E& e, std::span<double> out) const { standard_exponential(e, out); }
    };
    return run_dist<double>(standard{}, engine, size, count);
  }
  if (method == "exponential") {
    return run_dist<double>(exponential_distribution(arg_double(args, "scale")), engine, size,
                            count);
  }
  if (method == "standard_gamma") {
    struct standard {
      double shape;
      double operator()(E& e) const { return standard_gamma(e, shape); }
      void fill(E& e, std::span<double> out) const { standard_gamma(e, shape, out); }
    };
    return run_dist<double>(standard{arg_double(args, "shape")}, engine, size, count);
  }
  if (method == "gamma") {
    return run_dist<double>(
        gamma_distribution(arg_double(args, "shape"), arg_double(args, "scale")), engine, size,
        count);
  }
  if (method == "poisson") {
    return run_dist<std::int64_t>(poisson_distribution(arg_double(args, "lam")), engine, size,
                                  count);
  }
  if (method == "binomial") {
    return run_dist<std::int64_t>(
        binomial_distribution(args.at("n").get<std::int64_t>(), arg_double(args, "p")), engine,
        size, count);
  }
  if (method == "multinomial") {
    const multinomial_distribution dist(args.at("n").get<std::int64_t>(),
                                        arg_doubles(args, "pvals"));
    std::vector<std::int64_t> values;
    if (size) {
      values.resize(*size * dist.size());
      dist.fill(engine, std::span<std::int64_t>(values));
    } else {
      for (std::size_t i = 0; i < count; ++i) {
        const auto one = dist(engine);
        values.insert(values.end(), one.begin(), one.end());
      }
    }
    words out;
    append(out, values);
    return out;
  }
  if (method == "shuffle") {
    std::vector<std::int64_t> values(args.at("n").get<std::size_t>());
    for (std::size_t i = 0; i < values.size(); ++i) values[i] = static_cast<std::int64_t>(i);
    shuffle(engine, values);
    words out;
    append(out, values);
    return out;
  }
  if (method == "permutation") {
    words out;
    if (args.contains("x")) {
      std::vector<std::int64_t> x;
      for (const auto& v : args.at("x")) x.push_back(v.get<std::int64_t>());
      append(out, permutation(engine, x));
    } else {
      append(out, permutation(engine, args.at("n").get<std::int64_t>()));
    }
    return out;
  }
  throw std::runtime_error("unknown method " + method);
}

// ---------------------------------------------------------------------------------------------
// Bit generators by NumPy name.

// How a case's bit generator is held: as its own engine type, or chosen at run time.
enum class holder { engine, any };

// Calls f(engine) with the named bit generator seeded as NumPy seeds it; false for an unknown
// name.
template <class F>
bool with_bitgen(const json& c, F&& f, holder how = holder::engine) {
  const auto name = c.at("bitgen").get<std::string>();
  if (name == "MT19937_legacy") {
    std::mt19937 mt(static_cast<std::mt19937::result_type>(c.at("seed").get<std::uint64_t>()));
    numpy_bitgen_adapter<std::mt19937> engine(mt);
    f(engine);
    return true;
  }
  const seed_sequence seq(testing::entropy_from_json(c.at("seed")));
  if (how == holder::any) {
    std::string lower;
    for (const char ch : name)
      lower += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    any_bit_generator engine(lower, seq);
    f(engine);
    return true;
  }
  if (name == "PCG64") {
    pcg64 engine(seq);
    f(engine);
    return true;
  }
  if (name == "PCG64DXSM") {
    pcg64_dxsm engine(seq);
    f(engine);
    return true;
  }
  if (name == "SFC64") {
    sfc64 engine(seq);
    f(engine);
    return true;
  }
  if (name == "Philox") {
    philox engine(seq);
    f(engine);
    return true;
  }
  if (name == "MT19937") {
    mt19937 engine(seq);
    f(engine);
    return true;
  }
  return false;
}

std::optional<std::size_t> step_size(const json& step) {
  if (!step.contains("size") || step.at("size").is_null()) return std::nullopt;
  return step.at("size").get<std::size_t>();
}

std::size_t step_count(const json& step) {
  return step.contains("count") ? step.at("count").get<std::size_t>() : 1;
}

void expect_words(const words& actual, const words& expected) {
  ASSERT_EQ(actual.size(), expected.size());
  std::size_t mismatches = 0;
  for (std::size_t i = 0; i < actual.size(); ++i) {
    if (actual[i] != expected[i] && ++mismatches <= 5) {
      ADD_FAILURE() << "value " << i << ": got word 0x" << std::hex << actual[i] << " (as double "
                    << std::bit_cast<double>(actual[i]) << ", as int64 " << std::dec
                    << static_cast<std::int64_t>(actual[i]) << "), expected 0x" << std::hex
                    << expected[i] << " (as double " << std::bit_cast<double>(expected[i])
                    << ", as int64 " << std::dec << static_cast<std::int64_t>(expected[i]) << ")";
    }
  }
  EXPECT_EQ(mismatches, 0U);
}

template <class E>
void check_step(E& engine, const json& step) {
  SCOPED_TRACE(step.at("method").get<std::string>() + " " + dump_json(step.at("args")));
  const auto got = run_method(engine, step.at("method").get<std::string>(), step.at("args"),
                              step_size(step), step_count(step));
  if (step.contains("digest")) {
    const auto& digest = step.at("digest");
    const auto head = json_words(digest.at("head"));
    const auto tail = json_words(digest.at("tail"));
    ASSERT_GE(got.size(), head.size() + tail.size());
    expect_words(words(got.begin(), got.begin() + static_cast<std::ptrdiff_t>(head.size())), head);
    expect_words(words(got.end() - static_cast<std::ptrdiff_t>(tail.size()), got.end()), tail);
    EXPECT_EQ(fnv1a64(got), digest.at("fnv1a64").get<std::uint64_t>());
  } else {
    expect_words(got, json_words(step.at("values")));
  }
}

// Checks one golden (or live) case; returns false if its bit generator is unknown.
bool check_case(const json& c, holder how = holder::engine) {
  SCOPED_TRACE(testing::describe_case(c));
  return with_bitgen(
      c,
      [&](auto& engine) {
        if (c.at("method") == "sequence") {
          for (const auto& step : c.at("steps")) check_step(engine, step);
        } else {
          check_step(engine, c);
        }
        const auto& after = c.at("after");
        EXPECT_EQ(engine.next32(), after.at(0).get<std::uint64_t>()) << "buffered 32-bit half";
        EXPECT_EQ(engine.next64(), after.at(1).get<std::uint64_t>()) << "words consumed";
      },
      how);
}

const testing::golden_file& golden() {
  static const testing::golden_file file = testing::load_golden("distributions.jsonl");
  return file;
}

// ---------------------------------------------------------------------------------------------

TEST(DistributionGolden, HeaderNamesNumPy) {
  EXPECT_EQ(golden().header.at("numpy_version").get<std::string>().substr(0, 5), "1.24.");
}

TEST(DistributionGolden, EveryCaseMatchesNumPy) {
  // Bulk draws run through the engines' vector kernels: every level must match NumPy.
  for (const auto level : testing::simd_levels()) {
    const testing::simd_level_scope scope(level);
    SCOPED_TRACE(detail::to_string(level));
    std::size_t checked = 0;
    for (const auto& c : golden().cases) {
      if (c.contains("error")) continue;
      EXPECT_TRUE(check_case(c)) << "unknown bit generator " << c.at("bitgen");
      ++checked;
    }
    EXPECT_GT(checked, 350U);
  }
}

// The same through any_bit_generator, the run-time choice of engine.
TEST(DistributionGolden, EveryCaseMatchesNumPyThroughAnyBitGenerator) {
  for (const auto& c : golden().cases) {
    if (c.contains("error")) continue;
    EXPECT_TRUE(check_case(c, holder::any)) << "unknown bit generator " << c.at("bitgen");
  }
}

TEST(DistributionGolden, EveryMethodIsCovered) {
  std::set<std::string> methods;
  for (const auto& c : golden().cases) {
    if (c.at("method") == "sequence") {
      for (const auto& s : c.at("steps")) methods.insert(s.at("method").get<std::string>());
    } else if (!c.contains("error")) {
      methods.insert(c.at("method").get<std::string>());
    }
  }
  for (const char* m : {"random", "uniform", "integers", "standard_normal", "normal",
                        "standard_exponential", "exponential", "standard_gamma", "gamma", "poisson",
                        "binomial", "multinomial", "shuffle", "permutation"}) {
    EXPECT_TRUE(methods.count(m)) << m;
  }
}

// Every argument NumPy rejects with ValueError/OverflowError, we reject with invalid_argument,
// and the message names the parameter NumPy names.
TEST(DistributionGolden, NumPyErrorsAreErrors) {
  std::size_t checked = 0;
  for (const auto& c : golden().cases) {
    if (!c.contains("error")) continue;
    SCOPED_TRACE(dump_json(c));
    pcg64 engine(seed_sequence(0));
    try {
      run_method(engine, c.at("method").get<std::string>(), c.at("args"), std::nullopt, 1);
      ADD_FAILURE() << "accepted";
    } catch (const std::out_of_range&) {
      continue;  // bounds not expressible in 64-bit C++ integers
    } catch (const invalid_argument& e) {
      ++checked;
      const std::string numpy = c.at("error").get<std::string>();
      const std::string ours = e.what();
      for (const char* name : {"scale", "shape", "lam", "pvals", "low", "high", "p", "n"}) {
        const std::string word = std::string(" ") + name + " ";
        if (numpy.find(word) != std::string::npos ||
            numpy.find(": " + std::string(name) + " ") != std::string::npos) {
          EXPECT_NE(ours.find(name), std::string::npos) << ours;
          break;
        }
      }
    }
  }
  EXPECT_GT(checked, 30U);
}

// ---------------------------------------------------------------------------------------------
// Live cross-check: fresh random cases from the local NumPy, when there is one.

std::string python_command() {
  if (const char* python = std::getenv("STREAMALLOC_PYTHON")) return python;
  return "/usr/bin/python3";
}

TEST(DistributionLive, RandomCasesMatchLocalNumPy) {
  const std::string python = python_command();
  const std::string probe =
      python + " -c 'import numpy, sys; sys.exit(numpy.__version__[:5] != \"1.24.\")' 2>/dev/null";
  if (std::system(probe.c_str()) != 0) GTEST_SKIP() << "no NumPy 1.24 at " << python;
  std::uint64_t seed = std::random_device{}();
  if (const char* fixed = std::getenv("STREAMALLOC_LIVE_SEED"))
    seed = std::strtoull(fixed, nullptr, 10);
  SCOPED_TRACE("STREAMALLOC_LIVE_SEED=" + std::to_string(seed));
  const std::string script =
      std::string(STREAMALLOC_GOLDEN_DIR) + "/../../scripts/gen_golden_distributions.py";
  std::size_t cases = 300;
  if (const char* n = std::getenv("STREAMALLOC_LIVE_CASES")) cases = std::strtoull(n, nullptr, 10);
  const std::string command =
      python + " " + script + " --live " + std::to_string(cases) + " " + std::to_string(seed);
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
  ASSERT_NE(pipe, nullptr);
  std::string text;
  char buffer[65536];
  while (const auto n = std::fread(buffer, 1, sizeof buffer, pipe.get())) text.append(buffer, n);
  std::size_t checked = 0;
  std::size_t start = 0;
  while (start < text.size()) {
    const auto end = text.find('\n', start);
    const auto line =
        text.substr(start, end == std::string::npos ? std::string::npos : end - start);
    start = end == std::string::npos ? text.size() : end + 1;
    if (line.empty()) continue;
    if (check_case(parse_json(line, "live case"))) ++checked;
  }
  EXPECT_GT(checked, cases / 2);
}

// ---------------------------------------------------------------------------------------------
// API properties.

TEST(DistributionApi, FillEqualsSingleDraws) {
  const auto check = [](const auto& dist) {
    using T = typename std::remove_cvref_t<decltype(dist)>::result_type;
    pcg64 a(seed_sequence(42));
    pcg64 b(seed_sequence(42));
    std::vector<T> bulk(257);
    dist.fill(a, std::span<T>(bulk));
    std::vector<T> singles;
    for (std::size_t i = 0; i < bulk.size(); ++i) singles.push_back(dist(b));
    EXPECT_EQ(bulk, singles);
    EXPECT_EQ(a, b);
  };
  check(uniform_distribution(-2.0, 3.0));
  check(normal_distribution(1.0, 2.0));
  check(exponential_distribution(0.5));
  check(gamma_distribution(0.4, 2.0));
  check(gamma_distribution(3.5));
  check(poisson_distribution(4.0));
  check(poisson_distribution(400.0));
  check(binomial_distribution(20, 0.3));
  check(binomial_distribution(2000, 0.6));
  check(integers_distribution<std::int64_t>(-5, 100));
  check(integers_distribution<std::int64_t>(0, std::int64_t{1} << 50));
  check(integers_distribution<std::uint64_t>(0, UINT64_MAX, true));
  check(integers_distribution<std::int32_t>(-7, 7, true));
  check(integers_distribution<std::uint32_t>(0, 1000));
}

// The bulk paths of the double distributions (the engine's fill of doubles, and the ziggurats
// over blocks of words) against single draws: every engine, lengths 0..67 and a few long ones
// (blocks of 256 words, the ziggurats' slow paths), from odd offsets, on every SIMD level.
template <class Engine>
void check_bulk_doubles() {
  struct draw_kind {
    std::string name;
    std::function<double(Engine&)> single;
    std::function<void(Engine&, std::span<double>)> bulk;
  };
  const std::vector<draw_kind> draw_kinds = {
      {"random", [](Engine& e) { return random(e); },
       [](Engine& e, std::span<double> out) { random(e, out); }},
      {"uniform", [](Engine& e) { return uniform(e, -2.0, 3.0); },
       [](Engine& e, std::span<double> out) { uniform(e, -2.0, 3.0, out); }},
      {"standard_normal", [](Engine& e) { return standard_normal(e); },
       [](Engine& e, std::span<double> out) { standard_normal(e, out); }},
      {"normal", [](Engine& e) { return normal(e, 1.0, 2.0); },
       [](Engine& e, std::span<double> out) { normal(e, 1.0, 2.0, out); }},
      {"standard_exponential", [](Engine& e) { return standard_exponential(e); },
       [](Engine& e, std::span<double> out) { standard_exponential(e, out); }},
      {"exponential", [](Engine& e) { return exponential(e, 0.5); },
       [](Engine& e, std::span<double> out) { exponential(e, 0.5, out); }},
  };
  std::vector<std::size_t> lengths;
  for (std::size_t n = 0; n <= 67; ++n) lengths.push_back(n);
  for (const std::size_t n : {255U, 256U, 257U, 1000U, 20000U}) lengths.push_back(n);
  for (const auto& [name, single_draw, fill] : draw_kinds) {
    for (const int offset : {0, 1, 3}) {
      Engine start(seed_sequence(99));
      for (int i = 0; i < offset; ++i) (void)start.next64();
      if (offset == 3) (void)start.next32();  // a buffered half the doubles must leave alone
      for (const std::size_t n : lengths) {
        // One draw at a time, on the scalar path.
        Engine single = start;
        std::vector<double> expected(n);
        {
          const testing::simd_level_scope scalar(detail::simd_level::scalar);
          for (double& v : expected) v = single_draw(single);
        }
        for (const auto level : testing::simd_levels()) {
          SCOPED_TRACE(name + " n=" + std::to_string(n) + " offset=" + std::to_string(offset) +
                       " " + std::string(detail::to_string(level)));
          const testing::simd_level_scope scope(level);
          Engine bulk = start;
          std::vector<double> got(n);
          fill(bulk, std::span<double>(got));
          for (std::size_t i = 0; i < n; ++i) {
            ASSERT_EQ(std::bit_cast<std::uint64_t>(got[i]),
                      std::bit_cast<std::uint64_t>(expected[i]))
                << "#" << i;
          }
          ASSERT_TRUE(bulk == single);
        }
      }
    }
  }
}

TEST(DistributionApi, BulkDoublesEqualSingleDrawsOnEveryEngineAndLevel) {
  check_bulk_doubles<pcg64>();
  check_bulk_doubles<pcg64_dxsm>();
  check_bulk_doubles<philox>();
  check_bulk_doubles<sfc64>();
  check_bulk_doubles<mt19937>();
}

// As in NumPy, the 8/16/1-bit integer types share a 32-bit word within one fill but not between
// single draws: a single draw consumes a whole 32-bit draw.
TEST(DistributionApi, NarrowIntegersBufferWithinOneCallOnly) {
  pcg64 a(seed_sequence(7));
  pcg64 b(seed_sequence(7));
  const integers_distribution<std::uint8_t> dist(0, 256);
  std::vector<std::uint8_t> bulk(4);
  dist.fill(a, std::span<std::uint8_t>(bulk));
  const std::uint32_t word = b.next32();
  for (std::size_t i = 0; i < 4; ++i)
    EXPECT_EQ(bulk[i], static_cast<std::uint8_t>(word >> (8 * i)));
  pcg64 c(seed_sequence(7));
  pcg64 d(seed_sequence(7));
  EXPECT_EQ(dist(c), static_cast<std::uint8_t>(d.next32()));
  EXPECT_EQ(dist(c), static_cast<std::uint8_t>(d.next32()));
}

TEST(DistributionApi, WidthOneRangesDrawNothing) {
  pcg64 a(seed_sequence(3));
  pcg64 b(seed_sequence(3));
  EXPECT_EQ(integers<std::int64_t>(a, 41, 42), 41);
  EXPECT_EQ(integers<std::uint8_t>(a, 255, 255, true), 255);
  EXPECT_EQ(integers<bool>(a, 1, 2), true);
  EXPECT_EQ(poisson(a, 0.0), 0);
  EXPECT_EQ(binomial(a, 0, 0.5), 0);
  EXPECT_EQ(binomial(a, 10, 0.0), 0);
  EXPECT_EQ(standard_gamma(a, 0.0), 0.0);
  EXPECT_EQ(a, b);
}

// Any std::uniform_random_bit_generator works: 64-bit, 32-bit and odd-ranged engines.
TEST(DistributionApi, AnyStandardEngine) {
  std::mt19937_64 mt64(1);
  std::mt19937 mt32(2);
  std::minstd_rand minstd(3);
  const auto exercise = [](auto& gen) {
    EXPECT_GE(random(gen), 0.0);
    const double u = uniform(gen, 2.0, 3.0);
    EXPECT_TRUE(u >= 2.0 && u < 3.0);
    const auto k = integers(gen, -3, 3);
    EXPECT_TRUE(k >= -3 && k < 3);
    EXPECT_LE(integers<std::uint8_t>(gen, 0, 10), 9);
    const auto below = integers(gen, 10);
    EXPECT_TRUE(below >= 0 && below < 10);
    std::vector<std::int16_t> shorts(33);
    integers(gen, -4, 4, true, shorts);
    for (const auto v : shorts) EXPECT_TRUE(v >= -4 && v <= 4);
    EXPECT_TRUE(std::isfinite(standard_normal(gen)));
    EXPECT_TRUE(std::isfinite(normal(gen, 1.0, 2.0)));
    EXPECT_GE(standard_exponential(gen), 0.0);
    EXPECT_GE(exponential(gen, 2.0), 0.0);
    EXPECT_GE(standard_gamma(gen, 0.5), 0.0);
    EXPECT_GE(gamma(gen, 5.0, 2.0), 0.0);
    EXPECT_GE(poisson(gen, 30.0), 0);
    const auto b = binomial(gen, 100, 0.4);
    EXPECT_TRUE(b >= 0 && b <= 100);
    const auto m = multinomial(gen, 10, {0.2, 0.3, 0.5});
    EXPECT_EQ(m[0] + m[1] + m[2], 10);
    auto p = permutation(gen, 20);
    std::sort(p.begin(), p.end());
    for (std::int64_t i = 0; i < 20; ++i) EXPECT_EQ(p[static_cast<std::size_t>(i)], i);
    std::vector<double> out(100);
    normal(gen, 0.0, 1.0, out);
    standard_normal(gen, out);
    std::vector<std::int64_t> counts(100);
    poisson(gen, 3.0, counts);
    binomial(gen, 10, 0.5, counts);
  };
  exercise(mt64);
  exercise(mt32);
  exercise(minstd);
  numpy_bitgen_adapter<std::mt19937_64> buffered(mt64);
  exercise(buffered);

  // A 64-bit engine: next64 is one output; next32 the low half, and the buffered adapter then
  // hands out the high half.
  std::mt19937_64 x(9);
  std::mt19937_64 y(9);
  numpy_bitgen_adapter<std::mt19937_64> adapter(x);
  const std::uint64_t word = y();
  EXPECT_EQ(adapter.next32(), static_cast<std::uint32_t>(word));
  EXPECT_EQ(adapter.next32(), static_cast<std::uint32_t>(word >> 32));
  EXPECT_EQ(adapter.next64(), y());
  // Plain engines are wrapped without buffering, so fill == singles for them too.
  std::mt19937_64 f(5);
  std::mt19937_64 g(5);
  std::vector<std::int64_t> bulk(50);
  integers(f, 0, 1000, false, bulk);
  for (const auto v : bulk) EXPECT_EQ(integers(g, 0, 1000), v);
}

TEST(DistributionApi, ShuffleAnyRange) {
  pcg64 a(seed_sequence(11));
  pcg64 b(seed_sequence(11));
  std::vector<std::string> names = {"a", "b", "c", "d", "e"};
  shuffle(a, names);
  const auto order = permutation(b, 5);
  const std::vector<std::string> original = {"a", "b", "c", "d", "e"};
  for (std::size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(names[i], original[static_cast<std::size_t>(order[i])]);
  }
  std::vector<int> empty;
  shuffle(a, empty);
  EXPECT_TRUE(permutation(a, 0).empty());
}

// ---------------------------------------------------------------------------------------------
// Bad parameters: each distribution throws invalid_argument naming the parameter.

template <class F>
void expect_bad(F&& f, const std::string& parameter) {
  try {
    f();
    ADD_FAILURE() << "no exception; expected one naming " << parameter;
  } catch (const invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find(parameter), std::string::npos) << e.what();
  }
}

TEST(DistributionErrors, BadParametersThrowNamingTheParameter) {
  pcg64 g(seed_sequence(1));
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  expect_bad([&] { uniform(g, 1.0, 0.0); }, "high - low");
  expect_bad([&] { uniform(g, -1e308, 1e308); }, "high - low");
  expect_bad([&] { uniform(g, nan, 1.0); }, "high - low");
  expect_bad([&] { uniform(g, 0.0, inf); }, "high - low");
  expect_bad([&] { normal(g, 0.0, -1.0); }, "scale");
  expect_bad([&] { normal(g, 0.0, -0.0); }, "scale");
  expect_bad([&] { normal(g, 0.0, nan); }, "scale");
  expect_bad([&] { normal(g, nan, 1.0); }, "loc");
  expect_bad([&] { exponential(g, -1.0); }, "scale");
  expect_bad([&] { exponential(g, nan); }, "scale");
  expect_bad([&] { standard_gamma(g, -1.0); }, "shape");
  expect_bad([&] { standard_gamma(g, nan); }, "shape");
  expect_bad([&] { gamma(g, 1.0, -2.0); }, "scale");
  expect_bad([&] { gamma(g, -1.0, 2.0); }, "shape");
  expect_bad([&] { poisson(g, -1.0); }, "lam");
  expect_bad([&] { poisson(g, nan); }, "lam");
  expect_bad([&] { poisson(g, 1e19); }, "lam");
  expect_bad([&] { poisson(g, inf); }, "lam");
  expect_bad([&] { binomial(g, -1, 0.5); }, "n");
  expect_bad([&] { binomial(g, 10, 1.5); }, "p");
  expect_bad([&] { binomial(g, 10, -0.5); }, "p");
  expect_bad([&] { binomial(g, 10, nan); }, "p");
  expect_bad([&] { multinomial(g, 10, {0.6, 0.6, 0.1}); }, "pvals");
  expect_bad([&] { multinomial(g, 10, {0.5, -0.1, 0.6}); }, "pvals");
  expect_bad([&] { multinomial(g, 10, {0.5, nan}); }, "pvals");
  expect_bad([&] { multinomial(g, -1, {0.5, 0.5}); }, "n");
  expect_bad([&] { multinomial(g, 10, std::span<const double>()); }, "pvals");
  expect_bad([&] { integers(g, 5, 5); }, "low");
  expect_bad([&] { integers(g, 5, 4, true); }, "high");
  expect_bad([&] { integers<std::uint64_t>(g, -1, 5); }, "low");
  expect_bad([&] { integers<std::uint8_t>(g, 0, 257); }, "high");
  expect_bad([&] { integers<std::int8_t>(g, -129, 0); }, "low");
  expect_bad([&] { integers<bool>(g, 0, 3); }, "high");
  expect_bad([&] { integers<std::int64_t>(g, 0, UINT64_MAX); }, "high");
  expect_bad([&] { permutation(g, -1); }, "n");
  // Valid edges are accepted.
  EXPECT_EQ(uniform(g, 5.0, 5.0), 5.0);
  EXPECT_EQ(normal(g, 3.0, 0.0), 3.0);
  EXPECT_EQ(exponential(g, 0.0), 0.0);
  EXPECT_GE(poisson(g, poisson_lam_max), 0);
  EXPECT_EQ(binomial(g, 7, 1.0), 7);
  EXPECT_EQ(multinomial(g, 5, {1.0, 1.0}), (std::vector<std::int64_t>{5, 0}));
  EXPECT_NO_THROW(multinomial(g, 5, {0.5, 0.5 + 1e-13, 0.2}));
}

TEST(DistributionErrors, MessagesNameValueAndRange) {
  try {
    normal(*std::make_unique<pcg64>(seed_sequence(1)), 0.0, -2.5);
    FAIL();
  } catch (const error& e) {
    EXPECT_EQ(std::string(e.what()),
              "normal: scale = -2.5 is invalid: it must be >= 0 (negative zero is rejected, as "
              "NumPy does)");
  }
  try {
    pcg64 g(seed_sequence(1));
    integers<std::uint8_t>(g, 0, 300);
    FAIL();
  } catch (const error& e) {
    EXPECT_NE(std::string(e.what()).find("300"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("uint8"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("256"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace streamalloc
