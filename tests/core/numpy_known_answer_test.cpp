// NumPy's own known-answer files (numpy/random/tests/data/*-testset-*.csv, shipped by Debian's
// python3-numpy): BG(seed).random_raw(1000) for two seeds per generator.
#include <gtest/gtest.h>

#include <sstream>

#include "support/engines.hpp"

namespace streamalloc::testing {
namespace {

struct known_answers {
  big_uint seed;
  std::vector<std::uint64_t> raw;
};

// File layout: "seed, 0x..." then "i, 0x..." lines.
known_answers read_testset(std::string_view name) {
  std::istringstream in(read_text_file(numpy_data_file(name)));
  known_answers out;
  std::string line;
  while (std::getline(in, line)) {
    const auto comma = line.find(',');
    if (comma == std::string::npos) continue;
    std::string value = line.substr(comma + 1);
    value.erase(0, value.find_first_not_of(' '));
    if (line.rfind("seed", 0) == 0) {
      out.seed = big_uint::parse(value, name);
    } else {
      out.raw.push_back(big_uint::parse(value, name).low_u64());
    }
  }
  return out;
}

template <class Engine>
class NumPyKnownAnswers : public ::testing::Test {};
TYPED_TEST_SUITE(NumPyKnownAnswers, all_engines);

TYPED_TEST(NumPyKnownAnswers, RawOutputMatchesBothTestsets) {
  std::string stem(TypeParam::numpy_name);
  for (auto& c : stem) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const char* set : {"-testset-1.csv", "-testset-2.csv"}) {
    const auto path = numpy_data_file(stem + set);
    if (!std::filesystem::exists(path)) {
      GTEST_SKIP() << path << " is missing: install python3-numpy to run NumPy's known answers";
    }
    const auto answers = read_testset(stem + set);
    ASSERT_EQ(answers.raw.size(), 1000U) << path;
    TypeParam engine{seed_sequence(seed_entropy(answers.seed))};
    for (std::size_t i = 0; i < answers.raw.size(); ++i) {
      ASSERT_EQ(engine.next_raw(), answers.raw[i]) << path << " value #" << i;
    }
  }
}

}  // namespace
}  // namespace streamalloc::testing
