// `streamalloc generate --dist` behaviour that needs no NumPy: identities between equivalent
// command lines, the shape of vector draws, binary output carrying the text's values, resuming
// from a printed state, and endless output that stops quietly when the reader goes away. The
// values themselves are NumPy's business (numpy_dist_cross_check_test.cpp); nothing here
// expects a particular number.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <numeric>
#include <sstream>
#include <string>
#include <vector>

#include "cli_runner.hpp"

namespace streamalloc::testing {
namespace {

using args = std::vector<std::string>;

const std::vector<std::string> all_bitgens = {"pcg64", "pcg64dxsm", "philox", "sfc64", "mt19937"};

args with(args base, const args& more) {
  base.insert(base.end(), more.begin(), more.end());
  return base;
}

run_result run_ok(const args& command, const run_options& options = {}) {
  run_result r = run_cli(command, options);
  EXPECT_EQ(r.exit_code, 0) << describe_command(command) << "\n" << r.err;
  EXPECT_EQ(r.signal, 0) << describe_command(command);
  EXPECT_EQ(r.err, "") << describe_command(command);
  return r;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::vector<std::int64_t> entries_of(const std::string& line) {
  std::vector<std::int64_t> entries;
  std::istringstream in(line);
  for (std::int64_t v = 0; in >> v;) entries.push_back(v);
  return entries;
}

// The little-endian values in `bytes`, printed as the CLI's text output prints them.
template <class T>
std::string binary_as_text(const std::string& bytes) {
  std::string text;
  for (std::size_t at = 0; at + sizeof(T) <= bytes.size(); at += sizeof(T)) {
    std::array<unsigned char, sizeof(T)> raw{};
    std::memcpy(raw.data(), bytes.data() + at, sizeof(T));
    std::uint64_t bits = 0;
    for (std::size_t b = 0; b < sizeof(T); ++b) bits |= std::uint64_t{raw[b]} << (8 * b);
    T value{};
    std::memcpy(&value, &bits, sizeof(T));  // little-endian host: the low bytes of `bits`
    std::array<char, 40> buffer{};
    char* end = nullptr;
    if constexpr (std::is_same_v<T, double>) {
      end = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value,
                          std::chars_format::general, 17)
                .ptr;
    } else if constexpr (std::is_same_v<T, bool>) {
      end = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value ? 1 : 0).ptr;
    } else {
      end = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value).ptr;
    }
    text.append(buffer.data(), end);
    text += '\n';
  }
  return text;
}

TEST(CliDistBehaviour, RandomIsTheDoubleOutput) {
  for (const auto& bitgen : all_bitgens) {
    for (const std::string format : {"text", "binary"}) {
      const args base = {"generate", "--bitgen", bitgen,     "--seed", "3",
                         "--count",  "50",       "--format", format};
      EXPECT_EQ(run_ok(with(base, {"--dist", "random"})).out,
                run_ok(with(base, {"--output", "double"})).out)
          << bitgen << " " << format;
    }
  }
}

// NumPy's integers(low) is integers(0, low); permutation(n) is shuffle(arange(n)).
TEST(CliDistBehaviour, EquivalentCallsDrawTheSameValues) {
  for (const auto& bitgen : all_bitgens) {
    const args base = {"generate", "--bitgen", bitgen, "--seed", "11", "--count", "40"};
    for (const std::string dtype : {"int64", "int32", "uint16", "int8", "bool"}) {
      const std::string bound = dtype == "bool" ? "1" : "10";
      for (const args& endpoint : {args{}, args{"--endpoint"}}) {
        const args dist = with({"--dist", "integers", "--dtype", dtype}, endpoint);
        EXPECT_EQ(run_ok(with(with(base, dist), {"--low", bound})).out,
                  run_ok(with(with(base, dist), {"--low", "0", "--high", bound})).out)
            << bitgen << " " << dtype;
      }
    }
    EXPECT_EQ(run_ok(with(base, {"--dist", "shuffle", "--n", "25"})).out,
              run_ok(with(base, {"--dist", "permutation", "--n", "25"})).out)
        << bitgen;
    // Parameters spelled out at NumPy's defaults change nothing.
    EXPECT_EQ(run_ok(with(base, {"--dist", "normal"})).out,
              run_ok(with(base, {"--dist", "normal", "--loc", "0", "--scale", "1"})).out);
    EXPECT_EQ(run_ok(with(base, {"--dist", "uniform"})).out,
              run_ok(with(base, {"--dist", "uniform", "--low", "0", "--high", "1"})).out);
    EXPECT_EQ(run_ok(with(base, {"--dist", "poisson"})).out,
              run_ok(with(base, {"--dist", "poisson", "--lam", "1"})).out);
    EXPECT_EQ(run_ok(with(base, {"--dist", "gamma", "--shape", "3"})).out,
              run_ok(with(base, {"--dist", "gamma", "--shape", "3", "--scale", "1"})).out);
    EXPECT_EQ(run_ok(with(base, {"--dist", "integers", "--low", "9"})).out,
              run_ok(with(base, {"--dist", "integers", "--low", "9", "--dtype", "int64"})).out);
  }
}

TEST(CliDistBehaviour, VectorDrawsHaveOneLinePerDraw) {
  const run_result multinomial = run_ok({"generate", "--seed", "4", "--count", "30", "--dist",
                                         "multinomial", "--n", "57", "--pvals", "0.1,0.2,0.3,0.4"});
  const auto rows = lines_of(multinomial.out);
  ASSERT_EQ(rows.size(), 30U);
  for (const auto& row : rows) {
    const auto counts = entries_of(row);
    ASSERT_EQ(counts.size(), 4U) << row;
    EXPECT_EQ(std::accumulate(counts.begin(), counts.end(), std::int64_t{0}), 57) << row;
    EXPECT_EQ(row.find("  "), std::string::npos) << "single spaces: '" << row << "'";
  }

  const run_result permutations =
      run_ok({"generate", "--seed", "4", "--count", "20", "--dist", "permutation", "--n", "13"});
  const auto perms = lines_of(permutations.out);
  ASSERT_EQ(perms.size(), 20U);
  std::vector<std::int64_t> identity(13);
  std::iota(identity.begin(), identity.end(), std::int64_t{0});
  for (const auto& line : perms) {
    auto values = entries_of(line);
    std::sort(values.begin(), values.end());
    EXPECT_EQ(values, identity) << line;
  }

  // A permutation of nothing is an empty line per draw.
  EXPECT_EQ(
      run_ok({"generate", "--seed", "4", "--count", "3", "--dist", "permutation", "--n", "0"}).out,
      "\n\n\n");
}

TEST(CliDistBehaviour, CountZeroPrintsNothing) {
  for (const args& dist : {args{"--dist", "normal"}, args{"--dist", "integers", "--low", "7"},
                           args{"--dist", "integers", "--low", "7", "--dtype", "uint8"},
                           args{"--dist", "multinomial", "--n", "5", "--pvals", "0.5,0.5"},
                           args{"--dist", "permutation", "--n", "5"}}) {
    EXPECT_EQ(run_ok(with({"generate", "--seed", "1", "--count", "0"}, dist)).out, "");
  }
}

// Binary output is the text output's values at the dtype's width: each value in text, decoded
// from binary, must read the same.
TEST(CliDistBehaviour, BinaryCarriesTheTextValues) {
  const args base = {"generate", "--seed", "21", "--count", "77"};
  const auto both = [&](const args& dist) {
    return std::pair{run_ok(with(base, dist)).out,
                     run_ok(with(with(base, dist), {"--format", "binary"})).out};
  };
  {
    const auto [text, binary] = both({"--dist", "normal", "--scale", "1e-300"});
    EXPECT_EQ(binary.size(), 77U * 8);
    EXPECT_EQ(binary_as_text<double>(binary), text);
  }
  {
    const auto [text, binary] = both({"--dist", "poisson", "--lam", "1e15"});
    EXPECT_EQ(binary.size(), 77U * 8);
    EXPECT_EQ(binary_as_text<std::int64_t>(binary), text);
  }
  {
    const auto [text, binary] = both({"--dist", "integers", "--low=-9223372036854775808", "--high",
                                      "9223372036854775807", "--endpoint"});
    EXPECT_EQ(binary_as_text<std::int64_t>(binary), text);
  }
  {
    const auto [text, binary] =
        both({"--dist", "integers", "--low", "18446744073709551616", "--dtype", "uint64"});
    EXPECT_EQ(binary_as_text<std::uint64_t>(binary), text);
  }
  {
    const auto [text, binary] =
        both({"--dist", "integers", "--low=-2147483648", "--high", "7", "--dtype", "int32"});
    EXPECT_EQ(binary.size(), 77U * 4);
    EXPECT_EQ(binary_as_text<std::int32_t>(binary), text);
  }
  {
    const auto [text, binary] = both({"--dist", "integers", "--low", "60000", "--dtype", "uint16"});
    EXPECT_EQ(binary.size(), 77U * 2);
    EXPECT_EQ(binary_as_text<std::uint16_t>(binary), text);
  }
  {
    const auto [text, binary] =
        both({"--dist", "integers", "--low=-128", "--high", "127", "--dtype", "int8"});
    EXPECT_EQ(binary.size(), 77U);
    EXPECT_EQ(binary_as_text<std::int8_t>(binary), text);
  }
  {
    const auto [text, binary] = both({"--dist", "integers", "--low", "2", "--dtype", "bool"});
    EXPECT_EQ(binary.size(), 77U);
    EXPECT_EQ(binary_as_text<bool>(binary), text);
  }
  {
    const auto [text, binary] =
        both({"--dist", "multinomial", "--n", "9", "--pvals", "0.5,0.25,0.25"});
    EXPECT_EQ(binary.size(), 77U * 3 * 8);
    std::string rows = binary_as_text<std::int64_t>(binary);
    // Three entries per line in text, one per line here.
    std::string joined = text;
    std::replace(joined.begin(), joined.end(), ' ', '\n');
    EXPECT_EQ(rows, joined);
  }
}

// Drawing k values, printing the state and resuming from it continues the same sequence of
// draws, whatever the method leaves buffered (a 32-bit half from integers, a Philox block).
// The narrow dtypes are left out: NumPy shares their 32-bit words within one call only.
TEST(CliDistBehaviour, PrintStateThenFromStateResumes) {
  const std::vector<args> dists = {
      {"--dist", "normal", "--loc", "2"},
      {"--dist", "standard_gamma", "--shape", "0.5"},
      {"--dist", "poisson", "--lam", "40"},
      {"--dist", "binomial", "--n", "100", "--p", "0.3"},
      {"--dist", "integers", "--low", "1000"},
      {"--dist", "integers", "--low", "1000", "--dtype", "uint32"},
      {"--dist", "multinomial", "--n", "10", "--pvals", "0.3,0.7"},
      {"--dist", "permutation", "--n", "9"},
  };
  for (const auto& bitgen : all_bitgens) {
    for (const auto& dist : dists) {
      SCOPED_TRACE(bitgen + " " + describe_command(dist));
      const args base = with({"generate", "--bitgen", bitgen, "--seed", "42"}, dist);
      const run_result all = run_ok(with(base, {"--count", "12"}));
      const run_result head = run_ok(with(base, {"--count", "5"}));
      const run_result state = run_ok(with(base, {"--count", "5", "--print-state"}));
      run_options from_stdin;
      from_stdin.stdin_data = state.out;
      const run_result rest =
          run_ok(with(with({"generate", "--from-state", "-"}, dist), {"--count", "7"}), from_stdin);
      EXPECT_EQ(head.out + rest.out, all.out);
    }
  }
}

TEST(CliDistBehaviour, EndlessBinaryStopsQuietlyWhenThePipeCloses) {
  for (const args& dist : {args{"--dist", "standard_exponential"},
                           args{"--dist", "integers", "--low", "100", "--dtype", "int32"},
                           args{"--dist", "multinomial", "--n", "5", "--pvals", "0.5,0.5"},
                           args{"--dist", "permutation", "--n", "1000"}}) {
    SCOPED_TRACE(describe_command(dist));
    const args base = with({"generate", "--seed", "7", "--format", "binary"}, dist);
    run_options head;
    head.stdout_limit = (std::size_t{3} << 20) + 5;  // several buffers, cut mid-value
    const run_result endless = run_ok(with(base, {"--count", "0"}), head);
    ASSERT_EQ(endless.out.size(), head.stdout_limit);
    const run_result finite = run_ok(with(base, {"--count", "100"}));
    ASSERT_FALSE(finite.out.empty());
    ASSERT_LT(finite.out.size(), endless.out.size());
    // Not EXPECT_EQ: a failure would print megabytes of binary.
    EXPECT_TRUE(endless.out.compare(0, finite.out.size(), finite.out) == 0)
        << "the endless stream does not start with the finite run's bytes";
  }
}

TEST(CliDistBehaviour, TextOutputStopsQuietlyWhenThePipeCloses) {
  run_options head;
  head.stdout_limit = 100;
  run_ok({"generate", "--seed", "7", "--dist", "normal", "--count", "100000000"}, head);
  run_ok({"generate", "--seed", "7", "--dist", "integers", "--low", "9", "--dtype", "uint8",
          "--count", "1000000"},
         head);
}

}  // namespace
}  // namespace streamalloc::testing
