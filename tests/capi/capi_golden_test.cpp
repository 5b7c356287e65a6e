// The C API against NumPy: the same golden files (tests/golden/, made by scripts/gen_golden*.py
// from NumPy 1.24) that the C++ suites read, driven through streamalloc.h only.
#include <gtest/gtest.h>

#include <bit>
#include <cctype>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "capi_test_support.hpp"
#include "streamalloc.h"
#include "support/golden.hpp"

namespace streamalloc::capi::testing {
namespace {

using streamalloc::json;
using streamalloc::testing::big_from_json;
using streamalloc::testing::json_words;
using streamalloc::testing::load_golden;
using words = std::vector<std::uint64_t>;

// The entropy as streamalloc_seedseq_create's text: "12345" or "1,2,3".
std::string entropy_text(const json& value) {
  if (!value.is_array()) return big_from_json(value).to_string();
  std::string out;
  for (const auto& v : value) out += (out.empty() ? "" : ",") + big_from_json(v).to_string();
  return out;
}

// The spawn key as 64-bit words, or nothing if an entry does not fit.
std::optional<std::vector<std::uint64_t>> spawn_key_words(const json& value) {
  std::vector<std::uint64_t> out;
  for (const auto& v : value) {
    const big_uint b = big_from_json(v);
    if (!b.fits_u64()) return std::nullopt;
    out.push_back(b.low_u64());
  }
  return out;
}

// A list entropy whose values fit 64 bits goes through the word-array constructor (which also
// takes the empty list, that the text form cannot write); anything else through the text.
seedseq_ptr make_seedseq(const json& entropy, const std::vector<std::uint64_t>& key,
                         std::int64_t pool_size) {
  streamalloc_seedseq* seq = nullptr;
  const auto n_key = static_cast<std::int64_t>(key.size());
  if (entropy.is_array()) {
    if (const auto values = spawn_key_words(entropy)) {
      EXPECT_EQ(
          streamalloc_seedseq_create_u64(values->data(), static_cast<std::int64_t>(values->size()),
                                         key.data(), n_key, pool_size, &seq),
          STREAMALLOC_OK)
          << streamalloc_last_error();
      return seedseq_ptr(seq);
    }
  }
  EXPECT_EQ(
      streamalloc_seedseq_create(entropy_text(entropy).c_str(), key.data(), n_key, pool_size, &seq),
      STREAMALLOC_OK)
      << streamalloc_last_error();
  return seedseq_ptr(seq);
}

int kind_of_name(const std::string& name) {
  if (name == "PCG64") return STREAMALLOC_PCG64;
  if (name == "PCG64DXSM") return STREAMALLOC_PCG64DXSM;
  if (name == "Philox") return STREAMALLOC_PHILOX;
  if (name == "SFC64") return STREAMALLOC_SFC64;
  if (name == "MT19937") return STREAMALLOC_MT19937;
  return -1;
}

// Two JSON documents are the same state: compared in our exact-integer JSON's own printing.
void expect_state(streamalloc_bitgen* gen, const json& expected, const char* when) {
  const std::string ours = text_of(gen, streamalloc_bitgen_state_json);
  EXPECT_EQ(dump_json(parse_json(ours, "state")), dump_json(expected)) << when;
}

// ---- SeedSequence ----------------------------------------------------------------------------

TEST(CapiSeedSequenceGolden, StatesAndSpawnsMatchNumPy) {
  std::size_t checked = 0;
  for (const auto& c : load_golden("seed_sequence.jsonl").cases) {
    SCOPED_TRACE(dump_json(c.at("entropy")));
    const auto key = spawn_key_words(c.at("spawn_key"));
    if (!key) continue;
    seedseq_ptr seq = make_seedseq(c.at("entropy"), *key, c.at("pool_size").get<std::int64_t>());
    ASSERT_TRUE(seq);
    std::vector<std::uint32_t> s32(10);
    SA_OK(streamalloc_seedseq_generate_state_u32(seq.get(), s32.data(), 10));
    EXPECT_EQ(words(s32.begin(), s32.end()), json_words(c.at("state_u32")));
    std::vector<std::uint64_t> s64(5);
    SA_OK(streamalloc_seedseq_generate_state_u64(seq.get(), s64.data(), 5));
    EXPECT_EQ(s64, json_words(c.at("state_u64")));
    streamalloc_seedseq* children[3] = {};
    SA_OK(streamalloc_seedseq_spawn(seq.get(), 3, children));
    for (int i = 0; i < 3; ++i) {
      seedseq_ptr child(children[i]);
      const auto expected =
          spawn_key_words(c.at("spawn").at(static_cast<std::size_t>(i)).at("spawn_key"));
      if (!expected) continue;
      std::vector<std::uint64_t> got(expected->size() + 1);
      std::int64_t length = 0;
      SA_OK(streamalloc_seedseq_spawn_key(child.get(), got.data(),
                                          static_cast<std::int64_t>(got.size()), &length));
      got.resize(static_cast<std::size_t>(length));
      EXPECT_EQ(got, *expected);
    }
    std::uint64_t spawned = 0;
    SA_OK(streamalloc_seedseq_n_children_spawned(seq.get(), &spawned));
    EXPECT_EQ(spawned, c.at("n_children_spawned_after").get<std::uint64_t>());
    ++checked;
  }
  EXPECT_GT(checked, 10U);
}

// ---- bit generators --------------------------------------------------------------------------

bitgen_ptr golden_bitgen(const json& c) {
  const json& seed = c.at("seed");
  streamalloc_bitgen* gen = nullptr;
  if (seed.contains("key")) {
    const std::string key = big_from_json(seed.at("key")).to_string();
    const std::string counter =
        seed.contains("counter") ? big_from_json(seed.at("counter")).to_string() : "";
    EXPECT_EQ(streamalloc_bitgen_create_philox_str(key.c_str(), counter.c_str(), &gen),
              STREAMALLOC_OK)
        << streamalloc_last_error();
    return bitgen_ptr(gen);
  }
  const auto key = spawn_key_words(seed.at("spawn_key"));
  if (!key) return nullptr;
  seedseq_ptr seq =
      make_seedseq(seed.at("entropy"), *key, seed.at("pool_size").get<std::int64_t>());
  EXPECT_EQ(
      streamalloc_bitgen_create(kind_of_name(c.at("bitgen").get<std::string>()), seq.get(), &gen),
      STREAMALLOC_OK)
      << streamalloc_last_error();
  return bitgen_ptr(gen);
}

// The case's value text as NumPy wrote it: an integer (maybe negative) of any size, printed
// exactly by our exact-integer JSON.
std::string signed_text(const json& value) { return dump_json(value); }

bitgen_ptr from_state(const json& state) {
  streamalloc_bitgen* gen = nullptr;
  EXPECT_EQ(streamalloc_bitgen_create_from_state_json(dump_json(state).c_str(), &gen),
            STREAMALLOC_OK)
      << streamalloc_last_error();
  return bitgen_ptr(gen);
}

TEST(CapiBitGeneratorGolden, EveryCaseMatchesNumPy) {
  std::size_t checked = 0;
  for (const auto& c : load_golden("bit_generators.jsonl").cases) {
    SCOPED_TRACE(streamalloc::testing::describe_case(c));
    bitgen_ptr gen = golden_bitgen(c);
    if (!gen) continue;
    if (c.contains("pre_u32")) {
      std::uint32_t sink = 0;
      for (std::uint64_t i = 0; i < c.at("pre_u32").get<std::uint64_t>(); ++i) {
        SA_OK(streamalloc_bitgen_next32(gen.get(), &sink));
      }
    }
    if (c.contains("jumped")) {
      streamalloc_bitgen* jumped = nullptr;
      SA_OK(streamalloc_bitgen_jumped_str(gen.get(), signed_text(c.at("jumped")).c_str(), &jumped));
      gen.reset(jumped);
    }
    if (c.contains("advance")) {
      SA_OK(streamalloc_bitgen_advance_str(gen.get(), signed_text(c.at("advance")).c_str()));
    }
    if (c.contains("predraw")) {
      std::vector<std::uint64_t> sink(c.at("predraw").get<std::size_t>());
      SA_OK(streamalloc_bitgen_fill_raw(gen.get(), sink.data(),
                                        static_cast<std::int64_t>(sink.size())));
    }
    if (c.contains("predraw_u32")) {
      std::vector<std::uint32_t> sink(c.at("predraw_u32").get<std::size_t>());
      for (auto& s : sink) SA_OK(streamalloc_bitgen_next32(gen.get(), &s));
    }
    expect_state(gen.get(), c.at("initial_state"), "initial_state");
    const auto count = c.at("count").get<std::int64_t>();
    const auto n = static_cast<std::size_t>(count);

    std::vector<std::uint64_t> raw(n);
    SA_OK(streamalloc_bitgen_fill_raw(gen.get(), raw.data(), count));
    EXPECT_EQ(raw, json_words(c.at("raw")));
    expect_state(gen.get(), c.at("state_after_raw"), "state_after_raw");

    bitgen_ptr fresh = from_state(c.at("initial_state"));
    std::vector<std::uint32_t> u32(n);
    SA_OK(streamalloc_bitgen_fill_u32(fresh.get(), u32.data(), count));
    EXPECT_EQ(words(u32.begin(), u32.end()), json_words(c.at("u32")));
    expect_state(fresh.get(), c.at("state_after_u32"), "state_after_u32");

    fresh = from_state(c.at("initial_state"));
    std::vector<double> doubles(n);
    SA_OK(streamalloc_bitgen_fill_double(fresh.get(), doubles.data(), count));
    words double_bits;
    for (double d : doubles) double_bits.push_back(std::bit_cast<std::uint64_t>(d));
    EXPECT_EQ(double_bits, json_words(c.at("double")));

    fresh = from_state(c.at("initial_state"));
    std::vector<std::uint64_t> u64(n);
    SA_OK(streamalloc_bitgen_fill_u64(fresh.get(), u64.data(), count));
    EXPECT_EQ(u64, json_words(c.at("u64")));

    fresh = from_state(c.at("initial_state"));
    words mixed;
    for (const auto& kind : c.at("mixed_kinds")) {
      if (kind == "u32") {
        std::uint32_t v = 0;
        SA_OK(streamalloc_bitgen_next32(fresh.get(), &v));
        mixed.push_back(v);
      } else if (kind == "u64") {
        std::uint64_t v = 0;
        SA_OK(streamalloc_bitgen_next64(fresh.get(), &v));
        mixed.push_back(v);
      } else {
        double v = 0;
        SA_OK(streamalloc_bitgen_next_double(fresh.get(), &v));
        mixed.push_back(std::bit_cast<std::uint64_t>(v));
      }
    }
    EXPECT_EQ(mixed, json_words(c.at("mixed")));
    expect_state(fresh.get(), c.at("state_after_mixed"), "state_after_mixed");
    ++checked;
  }
  EXPECT_GT(checked, 200U);
}

// ---- distributions ---------------------------------------------------------------------------

double arg_double(const json& args, const char* name) {
  const auto& v = args.at(name);
  if (v.is_string()) {
    const auto text = v.get<std::string>();
    if (text == "nan") return std::numeric_limits<double>::quiet_NaN();
    if (text == "inf") return std::numeric_limits<double>::infinity();
    return -std::numeric_limits<double>::infinity();
  }
  return v.get<double>();
}

template <class T>
void append(words& out, const std::vector<T>& values) {
  for (const T& v : values) {
    if constexpr (std::is_same_v<T, double>) {
      out.push_back(std::bit_cast<std::uint64_t>(v));
    } else {
      out.push_back(static_cast<std::uint64_t>(v));
    }
  }
}

// One C fill of n values of the method (NumPy's size=n call); nullopt if the C API cannot take
// the arguments (bounds beyond int64 for a signed-bounds call); the status in `status`.
std::optional<words> c_fill(streamalloc_bitgen* gen, const std::string& method, const json& args,
                            std::size_t n, streamalloc_status& status) {
  const auto count = static_cast<std::int64_t>(n);
  words out;
  const auto reals = [&](auto&& fill) {
    std::vector<double> v(n);
    status = fill(v.data());
    append(out, v);
  };
  const auto ints = [&](auto&& fill) {
    std::vector<std::int64_t> v(n);
    status = fill(v.data());
    append(out, v);
  };
  if (method == "random") {
    reals([&](double* p) { return streamalloc_bitgen_fill_random(gen, p, count); });
  } else if (method == "uniform") {
    reals([&](double* p) {
      return streamalloc_bitgen_fill_uniform(gen, arg_double(args, "low"), arg_double(args, "high"),
                                             p, count);
    });
  } else if (method == "standard_normal") {
    reals([&](double* p) { return streamalloc_bitgen_fill_standard_normal(gen, p, count); });
  } else if (method == "normal") {
    reals([&](double* p) {
      return streamalloc_bitgen_fill_normal(gen, arg_double(args, "loc"), arg_double(args, "scale"),
                                            p, count);
    });
  } else if (method == "standard_exponential") {
    reals([&](double* p) { return streamalloc_bitgen_fill_standard_exponential(gen, p, count); });
  } else if (method == "exponential") {
    reals([&](double* p) {
      return streamalloc_bitgen_fill_exponential(gen, arg_double(args, "scale"), p, count);
    });
  } else if (method == "standard_gamma") {
    reals([&](double* p) {
      return streamalloc_bitgen_fill_standard_gamma(gen, arg_double(args, "shape"), p, count);
    });
  } else if (method == "gamma") {
    reals([&](double* p) {
      return streamalloc_bitgen_fill_gamma(gen, arg_double(args, "shape"),
                                           arg_double(args, "scale"), p, count);
    });
  } else if (method == "poisson") {
    ints([&](std::int64_t* p) {
      return streamalloc_bitgen_fill_poisson(gen, arg_double(args, "lam"), p, count);
    });
  } else if (method == "binomial") {
    ints([&](std::int64_t* p) {
      return streamalloc_bitgen_fill_binomial(gen, args.at("n").get<std::int64_t>(),
                                              arg_double(args, "p"), p, count);
    });
  } else if (method == "multinomial") {
    std::vector<double> pvals;
    for (const auto& v : args.at("pvals")) {
      json wrapper = json::object();
      wrapper["x"] = v;
      pvals.push_back(arg_double(wrapper, "x"));
    }
    std::vector<std::int64_t> v(n * pvals.size());
    status = streamalloc_bitgen_fill_multinomial(
        gen, args.at("n").get<std::int64_t>(), pvals.data(),
        static_cast<std::int64_t>(pvals.size()), v.data(), count);
    append(out, v);
  } else if (method == "permutation" || method == "shuffle") {
    if (args.contains("x")) return std::nullopt;
    const auto length = args.at("n").get<std::int64_t>();
    std::vector<std::int64_t> v(static_cast<std::size_t>(length));
    if (method == "permutation") {
      status = streamalloc_bitgen_permutation(gen, v.data(), length);
    } else {
      for (std::size_t i = 0; i < v.size(); ++i) v[i] = static_cast<std::int64_t>(i);
      status = streamalloc_bitgen_shuffle(gen, v.data(), length, sizeof(std::int64_t));
    }
    append(out, v);
  } else if (method == "integers") {
    const auto dtype = args.at("dtype").get<std::string>();
    const bool endpoint = args.at("endpoint").get<bool>();
    const json& lo = args.at("low");
    const json& hi = args.at("high");
    if (dtype == "uint64") {
      if (!lo.is_number_unsigned() && !(lo.is_number_integer() && lo.get<std::int64_t>() >= 0))
        return std::nullopt;
      const big_uint h = big_from_json(hi);
      if (!h.fits_u64()) return std::nullopt;
      std::vector<std::uint64_t> v(n);
      status = streamalloc_bitgen_fill_integers_u64(gen, lo.get<std::uint64_t>(), h.low_u64(),
                                                    endpoint, v.data(), count);
      append(out, v);
      return out;
    }
    const auto fits = [](const json& j) {
      return j.is_number_integer() &&
             (!j.is_number_unsigned() ||
              j.get<std::uint64_t>() <=
                  static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()));
    };
    if (!fits(lo) || !fits(hi)) return std::nullopt;
    const auto l = lo.get<std::int64_t>();
    const auto h = hi.get<std::int64_t>();
    const auto typed = [&](auto* tag, auto fill) {
      using T = std::remove_pointer_t<decltype(tag)>;
      const auto buffer = std::make_unique<T[]>(n + 1);
      status = fill(gen, l, h, endpoint, buffer.get(), count);
      for (std::size_t i = 0; i < n; ++i) {
        if constexpr (std::is_same_v<T, bool>) {
          out.push_back(buffer[i] ? 1U : 0U);
        } else {
          out.push_back(static_cast<std::uint64_t>(static_cast<std::int64_t>(buffer[i])));
        }
      }
    };
    if (dtype == "int64")
      typed(static_cast<std::int64_t*>(nullptr), streamalloc_bitgen_fill_integers);
    else if (dtype == "int32")
      typed(static_cast<std::int32_t*>(nullptr), streamalloc_bitgen_fill_integers_i32);
    else if (dtype == "uint32")
      typed(static_cast<std::uint32_t*>(nullptr), streamalloc_bitgen_fill_integers_u32);
    else if (dtype == "int16")
      typed(static_cast<std::int16_t*>(nullptr), streamalloc_bitgen_fill_integers_i16);
    else if (dtype == "uint16")
      typed(static_cast<std::uint16_t*>(nullptr), streamalloc_bitgen_fill_integers_u16);
    else if (dtype == "int8")
      typed(static_cast<std::int8_t*>(nullptr), streamalloc_bitgen_fill_integers_i8);
    else if (dtype == "uint8")
      typed(static_cast<std::uint8_t*>(nullptr), streamalloc_bitgen_fill_integers_u8);
    else if (dtype == "bool")
      typed(static_cast<bool*>(nullptr), streamalloc_bitgen_fill_integers_bool);
    else
      return std::nullopt;
  } else {
    ADD_FAILURE() << "unknown method " << method;
    return std::nullopt;
  }
  return out;
}

// A step: one fill of `size`, or `count` fills of one (NumPy's size=None calls).
std::optional<words> c_step(streamalloc_bitgen* gen, const json& step, streamalloc_status& status) {
  const std::string method = step.at("method").get<std::string>();
  if (step.contains("size") && !step.at("size").is_null()) {
    return c_fill(gen, method, step.at("args"), step.at("size").get<std::size_t>(), status);
  }
  words all;
  const std::size_t count = step.contains("count") ? step.at("count").get<std::size_t>() : 1;
  for (std::size_t i = 0; i < count; ++i) {
    const auto one = c_fill(gen, method, step.at("args"), 1, status);
    if (!one) return std::nullopt;
    if (status != STREAMALLOC_OK) return all;
    all.insert(all.end(), one->begin(), one->end());
  }
  return all;
}

words expected_values(const json& step) {
  if (step.contains("digest")) return {};
  return json_words(step.at("values"));
}

TEST(CapiDistributionGolden, EveryCaseMatchesNumPy) {
  std::size_t checked = 0;
  std::size_t errors = 0;
  for (const auto& c : load_golden("distributions.jsonl").cases) {
    const std::string name = c.at("bitgen").get<std::string>();
    if (kind_of_name(name) < 0) continue;  // MT19937_legacy: std::mt19937, not a C generator
    SCOPED_TRACE(streamalloc::testing::describe_case(c));
    seedseq_ptr seq = make_seedseq(c.at("seed"), {}, 0);
    streamalloc_bitgen* raw = nullptr;
    SA_OK(streamalloc_bitgen_create(kind_of_name(name), seq.get(), &raw));
    bitgen_ptr gen(raw);
    if (c.contains("error")) {
      streamalloc_status status = STREAMALLOC_OK;
      if (!c_fill(gen.get(), c.at("method").get<std::string>(), c.at("args"), 1, status)) continue;
      EXPECT_EQ(status, STREAMALLOC_ERR_INVALID_ARGUMENT) << "NumPy: " << c.at("error");
      ++errors;
      continue;
    }
    const json steps = c.at("method") == "sequence" ? c.at("steps") : json::array({c});
    bool complete = true;
    for (const auto& step : steps) {
      streamalloc_status status = STREAMALLOC_OK;
      const auto got = c_step(gen.get(), step, status);
      if (!got) {
        complete = false;
        break;
      }
      ASSERT_EQ(status, STREAMALLOC_OK) << streamalloc_last_error();
      if (!step.contains("digest")) {
        EXPECT_EQ(*got, expected_values(step)) << step.at("method");
      }
    }
    if (!complete) continue;
    const auto& after = c.at("after");
    std::uint32_t half = 0;
    std::uint64_t word = 0;
    SA_OK(streamalloc_bitgen_next32(gen.get(), &half));
    SA_OK(streamalloc_bitgen_next64(gen.get(), &word));
    EXPECT_EQ(half, after.at(0).get<std::uint64_t>()) << "buffered 32-bit half";
    EXPECT_EQ(word, after.at(1).get<std::uint64_t>()) << "words consumed";
    ++checked;
  }
  EXPECT_GT(checked, 300U);
  EXPECT_GT(errors, 20U);
}

// ---- stream sets -----------------------------------------------------------------------------

TEST(CapiStreamSetGolden, VariablesDrawWhatNumPyDraws) {
  std::size_t checked = 0;
  for (const auto& c : load_golden("stream_set.jsonl").cases) {
    SCOPED_TRACE(c.at("name").get<std::string>());
    const json& meta = c.at("meta");
    const auto key = spawn_key_words(meta.at("spawn_key"));
    if (!key) continue;
    seedseq_ptr seq =
        make_seedseq(meta.at("entropy"), *key, meta.at("pool_size").get<std::int64_t>());
    const auto already = meta.at("n_children_spawned").get<std::int64_t>();
    std::vector<streamalloc_seedseq*> skipped(static_cast<std::size_t>(already));
    SA_OK(streamalloc_seedseq_spawn(seq.get(), already, skipped.data()));
    for (auto* s : skipped) streamalloc_seedseq_free(s);
    streamalloc_stream_set* raw = nullptr;
    SA_OK(streamalloc_stream_set_create(seq.get(), STREAMALLOC_PCG64, &raw));
    set_ptr set(raw);
    std::vector<streamalloc_variable*> vars;
    std::vector<bool> real;
    for (const auto& v : c.at("variables")) {
      SA_OK(streamalloc_stream_set_use_family(set.get(),
                                              kind_of_name(v.at("family").get<std::string>())));
      const std::string method = v.at("method").get<std::string>();
      const json& a = v.at("args");
      streamalloc_variable* var = nullptr;
      real.push_back(method != "integers" && method != "poisson" && method != "binomial" &&
                     method != "multinomial");
      if (method == "random") {
        SA_OK(streamalloc_stream_set_add_uniform(set.get(), 0.0, 1.0, &var));
      } else if (method == "uniform") {
        SA_OK(streamalloc_stream_set_add_uniform(set.get(), a.at("low").get<double>(),
                                                 a.at("high").get<double>(), &var));
      } else if (method == "normal") {
        SA_OK(streamalloc_stream_set_add_normal(set.get(), a.at("loc").get<double>(),
                                                a.at("scale").get<double>(), &var));
      } else if (method == "exponential") {
        SA_OK(streamalloc_stream_set_add_exponential(set.get(), a.at("scale").get<double>(), &var));
      } else if (method == "gamma") {
        SA_OK(streamalloc_stream_set_add_gamma(set.get(), a.at("shape").get<double>(),
                                               a.at("scale").get<double>(), &var));
      } else if (method == "poisson") {
        SA_OK(streamalloc_stream_set_add_poisson(set.get(), a.at("lam").get<double>(), &var));
      } else if (method == "binomial") {
        SA_OK(streamalloc_stream_set_add_binomial(set.get(), a.at("n").get<std::int64_t>(),
                                                  a.at("p").get<double>(), &var));
      } else if (method == "multinomial") {
        std::vector<double> pvals;
        for (const auto& p : a.at("pvals")) pvals.push_back(p.get<double>());
        SA_OK(streamalloc_stream_set_add_multinomial(
            set.get(), a.at("n").get<std::int64_t>(), pvals.data(),
            static_cast<std::int64_t>(pvals.size()), &var));
      } else if (method == "integers") {
        const std::string dtype = a.at("dtype").get<std::string>();
        const bool endpoint = a.at("endpoint").get<bool>();
        if (dtype == "uint64") {
          SA_OK(streamalloc_stream_set_add_integers_u64(set.get(), a.at("low").get<std::uint64_t>(),
                                                        a.at("high").get<std::uint64_t>(), endpoint,
                                                        &var));
        } else {
          const std::vector<std::string> names{"int64",  "int32",  "int16", "int8", "uint64",
                                               "uint32", "uint16", "uint8", "bool"};
          int code = 0;
          while (names[static_cast<std::size_t>(code)] != dtype) ++code;
          SA_OK(streamalloc_stream_set_add_integers(set.get(), a.at("low").get<std::int64_t>(),
                                                    a.at("high").get<std::int64_t>(), endpoint,
                                                    code, &var));
        }
      } else {
        FAIL() << "unknown method " << method;
      }
      vars.push_back(var);
    }
    for (const auto& d : c.at("draws")) {
      const auto k = d.at("variable").get<std::size_t>();
      const json& values = d.at("values");
      const bool single = d.at("size").is_null();
      std::size_t n = single ? 1 : d.at("size").get<std::size_t>();
      const json& v = c.at("variables").at(k);
      if (v.at("method") == "multinomial") n *= v.at("args").at("pvals").size();
      words got;
      if (real[k]) {
        std::vector<double> out(n);
        SA_OK(streamalloc_variable_fill_double(vars[k], out.data(), static_cast<std::int64_t>(n)));
        append(got, out);
      } else {
        std::vector<std::int64_t> out(n);
        SA_OK(streamalloc_variable_fill_i64(vars[k], out.data(), static_cast<std::int64_t>(n)));
        append(got, out);
      }
      EXPECT_EQ(got, json_words(values)) << "variable " << k;
    }
    // The set's snapshot (binary, through bytes) restores every variable to its final state.
    streamalloc_snapshot* snap_raw = nullptr;
    SA_OK(streamalloc_stream_set_snapshot(set.get(), &snap_raw));
    snapshot_ptr snap(snap_raw);
    std::int64_t length = 0;
    SA_OK(streamalloc_snapshot_to_bytes(snap.get(), nullptr, 0, &length));
    std::vector<std::uint8_t> bytes(static_cast<std::size_t>(length));
    SA_OK(streamalloc_snapshot_to_bytes(snap.get(), bytes.data(), length, &length));
    streamalloc_snapshot* back_raw = nullptr;
    SA_OK(streamalloc_snapshot_from_bytes(bytes.data(), length, &back_raw));
    snapshot_ptr back(back_raw);
    const json snapshot = parse_json(text_of(back.get(), streamalloc_snapshot_to_json), "snapshot");
    for (std::size_t k = 0; k < vars.size(); ++k) {
      EXPECT_EQ(dump_json(snapshot.at("variables").at(k).at("now")), dump_json(c.at("final").at(k)))
          << "variable " << k << " final state";
    }
    ++checked;
  }
  EXPECT_GE(checked, 2U);
}

}  // namespace
}  // namespace streamalloc::capi::testing
