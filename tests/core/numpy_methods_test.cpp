// The catalog of Generator methods (distributions/numpy_methods.hpp) against NumPy's own
// signatures (tests/golden/numpy_methods.jsonl, scripts/gen_golden_numpy_methods.py), and the
// stream_set descriptions of the built-in distributions against the catalog.
#include "streamalloc/distributions/numpy_methods.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "streamalloc/stream_set/distribution.hpp"
#include "support/golden.hpp"

namespace streamalloc {
namespace {

std::map<std::string, std::string> by_name(const numpy_method& m) {
  std::map<std::string, std::string> out;
  for (const auto& p : m.parameters) out[std::string(p.name)] = std::string(p.numpy_default);
  return out;
}

TEST(NumpyMethods, TheCatalogIsNumPysSignatures) {
  const auto golden = testing::load_golden("numpy_methods.jsonl");
  ASSERT_EQ(golden.cases.size(), numpy_methods().size());
  for (std::size_t i = 0; i < golden.cases.size(); ++i) {
    const auto& expected = golden.cases[i];
    const numpy_method& m = numpy_methods()[i];
    EXPECT_EQ(m.name, expected["name"].get<std::string>()) << "method " << i;
    EXPECT_EQ(find_numpy_method(m.name), &m);
    std::map<std::string, std::string> numpy;
    std::vector<std::string> numpy_order;
    for (const auto& p : expected["parameters"]) {
      const auto name = p["name"].get<std::string>();
      numpy[name] = p["default"].is_null() ? "" : p["default"].get<std::string>();
      numpy_order.push_back(name);
    }
    EXPECT_EQ(by_name(m), numpy) << m.name;
    std::vector<std::string> order;
    for (const auto& p : m.parameters) order.emplace_back(p.name);
    if (m.name == "integers") {  // the one documented difference: endpoint before dtype
      ASSERT_EQ(numpy_order.size(), 4U);
      std::swap(numpy_order[2], numpy_order[3]);
    }
    EXPECT_EQ(order, numpy_order) << m.name;
  }
  EXPECT_EQ(find_numpy_method("lognormal"), nullptr);
  EXPECT_EQ(find_numpy_method("normal")->parameter("loc")->numpy_default, "0.0");
  EXPECT_TRUE(find_numpy_method("gamma")->parameter("shape")->required());
  EXPECT_EQ(find_numpy_method("normal")->parameter("shape"), nullptr);
}

template <class Dist>
void expect_described_as_in_the_catalog(const Dist& dist) {
  const auto description = distribution_traits<Dist>::describe(dist);
  const numpy_method* m = find_numpy_method(description.name);
  ASSERT_NE(m, nullptr) << description.name;
  std::vector<std::string> described;
  for (const auto& p : description.parameters) described.push_back(p.name);
  std::vector<std::string> catalog;
  for (const auto& p : m->parameters) catalog.emplace_back(p.name);
  EXPECT_EQ(described, catalog) << description.name;
}

TEST(NumpyMethods, StreamSetDescriptionsFollowTheCatalog) {
  expect_described_as_in_the_catalog(uniform_distribution(0.0, 1.0));
  expect_described_as_in_the_catalog(normal_distribution(0.0, 1.0));
  expect_described_as_in_the_catalog(exponential_distribution(1.0));
  expect_described_as_in_the_catalog(gamma_distribution(2.0, 1.0));
  expect_described_as_in_the_catalog(poisson_distribution(3.0));
  expect_described_as_in_the_catalog(binomial_distribution(10, 0.5));
  expect_described_as_in_the_catalog(multinomial_distribution(10, {0.5, 0.5}));
  expect_described_as_in_the_catalog(integers_distribution<std::int64_t>(0, 9));
  expect_described_as_in_the_catalog(integers_distribution<std::uint8_t>(0, 9));
}

}  // namespace
}  // namespace streamalloc
