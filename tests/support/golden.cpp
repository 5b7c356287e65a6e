#include "support/golden.hpp"

#include <bit>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace streamalloc::testing {
namespace {

void flatten_json(const json& value, std::vector<std::uint64_t>& out) {
  if (value.is_array()) {
    for (const auto& v : value) flatten_json(v, out);
  } else if (value.is_boolean()) {
    out.push_back(value.get<bool>() ? 1U : 0U);
  } else if (value.is_number_unsigned()) {
    out.push_back(value.get<std::uint64_t>());
  } else if (value.is_number_integer()) {
    out.push_back(static_cast<std::uint64_t>(value.get<std::int64_t>()));
  } else if (value.is_number_float()) {
    out.push_back(std::bit_cast<std::uint64_t>(value.get<double>()));
  } else {
    throw std::runtime_error("unexpected golden value " + dump_json(value));
  }
}

}  // namespace

std::string read_text_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path.string());
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

golden_file load_golden(std::string_view name) {
  const auto path = std::filesystem::path(STREAMALLOC_GOLDEN_DIR) / std::string(name);
  std::ifstream in(path);
  if (!in) throw std::runtime_error("golden file missing: " + path.string());
  golden_file file;
  std::string line;
  std::size_t line_number = 0;
  while (std::getline(in, line)) {
    ++line_number;
    if (line.empty()) continue;
    json value = parse_json(line, path.string() + ":" + std::to_string(line_number));
    if (line_number == 1) {
      if (!value.contains("header")) throw std::runtime_error(path.string() + ": no header line");
      file.header = std::move(value);
    } else {
      file.cases.push_back(std::move(value));
    }
  }
  if (file.cases.empty()) throw std::runtime_error(path.string() + ": no cases");
  return file;
}

std::filesystem::path numpy_data_file(std::string_view name) {
  return std::filesystem::path(STREAMALLOC_NUMPY_DATA_DIR) / std::string(name);
}

big_uint big_from_json(const json& value) { return json_to_big(value, "golden value"); }

seed_entropy entropy_from_json(const json& value) {
  if (!value.is_array()) return seed_entropy(big_from_json(value));
  std::vector<big_uint> values;
  for (const auto& v : value) values.push_back(big_from_json(v));
  return seed_entropy::list(std::move(values));
}

std::vector<big_uint> spawn_key_from_json(const json& value) {
  std::vector<big_uint> key;
  for (const auto& v : value) key.push_back(big_from_json(v));
  return key;
}

seed_sequence seed_sequence_from_json(const json& seed) {
  const std::size_t pool_size =
      seed.contains("pool_size") ? seed["pool_size"].get<std::size_t>() : 4;
  const json empty = json::array();
  return seed_sequence(entropy_from_json(seed.at("entropy")),
                       spawn_key_from_json(seed.contains("spawn_key") ? seed["spawn_key"] : empty),
                       pool_size);
}

std::vector<std::uint64_t> u64_list(const json& value) {
  std::vector<std::uint64_t> out;
  for (const auto& v : value) out.push_back(json_to_u64(v, "golden value"));
  return out;
}

std::vector<std::uint32_t> u32_list(const json& value) {
  std::vector<std::uint32_t> out;
  for (const auto& v : value) {
    out.push_back(static_cast<std::uint32_t>(json_to_u64(v, "golden value", UINT32_MAX)));
  }
  return out;
}

std::vector<double> double_list(const json& value) {
  std::vector<double> out;
  for (const auto& v : value) out.push_back(v.get<double>());
  return out;
}

std::vector<std::uint64_t> json_words(const json& value) {
  std::vector<std::uint64_t> out;
  flatten_json(value, out);
  return out;
}

std::string describe_case(const json& c) {
  json label = c;
  for (const char* bulky : {"raw", "u32", "u64", "double", "mixed", "initial_state",
                            "state_after_raw", "state_after_u32", "pool", "state_u32", "state_u64",
                            "spawn", "json", "state", "next_raw", "mixed_kinds"}) {
    label.erase(bulky);
  }
  return dump_json(label);
}

}  // namespace streamalloc::testing
