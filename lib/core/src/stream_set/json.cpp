// The JSON form of stream_set snapshots (layout in streamalloc/stream_set_snapshot.hpp). Each
// generator state is NumPy's own state dict, written and read by the engines themselves, so
// Python can assign it to bit_generator.state unchanged.
#include <cmath>
#include <limits>
#include <optional>
#include <string>

#include "src/stream_set/codec.hpp"
#include "streamalloc/error.hpp"
#include "streamalloc/mt19937.hpp"
#include "streamalloc/pcg64.hpp"
#include "streamalloc/pcg64_dxsm.hpp"
#include "streamalloc/philox.hpp"
#include "streamalloc/sfc64.hpp"
#include "streamalloc/stream_set/snapshot.hpp"

namespace streamalloc {
namespace detail {

json generator_state(const any_bit_generator& generator) {
  return parse_json(generator.state_json(), "generator state");
}

any_bit_generator generator_from_state(bit_generator_kind family, const json& state,
                                       const std::string& what) {
  try {
    const std::string text = dump_json(state);
    switch (family) {
      case bit_generator_kind::pcg64: return pcg64::from_state_json(text);
      case bit_generator_kind::pcg64dxsm: return pcg64_dxsm::from_state_json(text);
      case bit_generator_kind::philox: return philox::from_state_json(text);
      case bit_generator_kind::sfc64: return sfc64::from_state_json(text);
      case bit_generator_kind::mt19937: return mt19937::from_state_json(text);
    }
  } catch (const invalid_argument& e) {
    throw invalid_argument(what + ": " + e.what());
  }
  throw invalid_argument(what + ": bit_generator_kind " + std::to_string(static_cast<int>(family)) +
                         " is not a bit generator family");
}

}  // namespace detail

namespace {

// ---------------------------------------------------------------------------------------------
// Writing.

json parameter_to_json(const distribution_parameter_value& value) {
  struct visitor {
    json operator()(bool v) const { return json(v); }
    json operator()(std::int64_t v) const { return json(v); }
    json operator()(std::uint64_t v) const { return json(v); }
    json operator()(double v) const {
      if (std::isnan(v)) return json("nan");
      if (std::isinf(v)) return json(v > 0 ? "inf" : "-inf");
      return json(v);
    }
    json operator()(const std::string& v) const { return json(v); }
    json operator()(const std::vector<double>& v) const {
      json list = json::array();
      for (const double x : v) list.push_back((*this)(x));
      return list;
    }
  };
  return std::visit(visitor{}, value);
}

json big_list(const std::vector<big_uint>& values) {
  json list = json::array();
  for (const auto& v : values) list.push_back(big_to_json(v));
  return list;
}

json meta_to_json(const seed_sequence& meta) {
  json entropy = meta.entropy().is_list() ? big_list(meta.entropy().values())
                                          : big_to_json(meta.entropy().values().front());
  json object = json::object();
  object["entropy"] = std::move(entropy);
  object["spawn_key"] = big_list(meta.spawn_key());
  object["pool_size"] = meta.pool_size();
  object["n_children_spawned"] = meta.n_children_spawned();
  return object;
}

// meta.spawn_key + (N + index,); the index was checked when the variable was created.
json variable_spawn_key(const seed_sequence& meta, std::uint64_t index) {
  json key = big_list(meta.spawn_key());
  key.push_back(big_to_json(big_uint(meta.n_children_spawned()) + big_uint(index)));
  return key;
}

// ---------------------------------------------------------------------------------------------
// Reading.

constexpr std::string_view document_name = "stream_set snapshot (JSON)";

[[noreturn]] void bad_field(const std::string& what, const json& value, std::string_view expected) {
  throw invalid_argument(what + ": got " + describe_json(value) + ", expected " +
                         std::string(expected));
}

std::optional<double> special_double(const json& value) {
  if (!value.is_string()) return std::nullopt;
  const auto& text = value.get_ref<const std::string&>();
  if (text == "inf") return std::numeric_limits<double>::infinity();
  if (text == "-inf") return -std::numeric_limits<double>::infinity();
  if (text == "nan") return std::numeric_limits<double>::quiet_NaN();
  return std::nullopt;
}

double double_from_json(const json& value, const std::string& what) {
  if (const auto special = special_double(value)) return *special;
  if (value.is_number()) return value.get<double>();
  bad_field(what, value, "a number, \"inf\", \"-inf\" or \"nan\"");
}

// Integers: int64 when they fit, else uint64 (parameters compare integers by value, so the
// alternative does not matter for restore()).
distribution_parameter_value parameter_from_json(const json& value, const std::string& what) {
  if (value.is_boolean()) return value.get<bool>();
  if (value.is_number_unsigned()) {
    const auto u = value.get<std::uint64_t>();
    if (u <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      return static_cast<std::int64_t>(u);
    }
    return u;
  }
  if (value.is_number_integer()) return value.get<std::int64_t>();
  if (value.is_number_float()) return value.get<double>();
  if (const auto special = special_double(value)) return *special;
  if (value.is_string()) return value.get<std::string>();
  if (value.is_array()) {
    std::vector<double> list;
    for (std::size_t i = 0; i < value.size(); ++i) {
      list.push_back(double_from_json(value[i], what + "[" + std::to_string(i) + "]"));
    }
    return list;
  }
  bad_field(what, value, "a boolean, a number, a string or a list of numbers");
}

distribution_description distribution_from_json(const json& value, const std::string& what) {
  const json& name = json_field(value, "name", what);
  if (!name.is_string()) bad_field(what + " field 'name'", name, "a string");
  const json& parameters = json_field(value, "parameters", what);
  if (!parameters.is_object()) bad_field(what + " field 'parameters'", parameters, "an object");
  distribution_description result{name.get<std::string>(), {}};
  for (const auto& [key, v] : parameters.items()) {
    result.parameters.push_back({key, parameter_from_json(v, what + " parameter '" + key + "'")});
  }
  return result;
}

std::vector<big_uint> big_list_from_json(const json& value, const std::string& what) {
  if (!value.is_array()) bad_field(what, value, "a list of non-negative integers");
  std::vector<big_uint> out;
  for (std::size_t i = 0; i < value.size(); ++i) {
    out.push_back(json_to_big(value[i], what + "[" + std::to_string(i) + "]"));
  }
  return out;
}

seed_sequence meta_from_json(const json& value, const std::string& what) {
  const json& entropy_field = json_field(value, "entropy", what);
  seed_entropy entropy =
      entropy_field.is_array()
          ? seed_entropy::list(big_list_from_json(entropy_field, what + " field 'entropy'"))
          : seed_entropy(json_to_big(entropy_field, what + " field 'entropy'"));
  auto spawn_key =
      big_list_from_json(json_field(value, "spawn_key", what), what + " field 'spawn_key'");
  const auto pool_size = json_to_u64(json_field(value, "pool_size", what),
                                     what + " field 'pool_size'", seed_sequence::max_pool_size);
  const auto n_children = json_to_u64(json_field(value, "n_children_spawned", what),
                                      what + " field 'n_children_spawned'");
  try {
    return seed_sequence(std::move(entropy), std::move(spawn_key),
                         static_cast<std::size_t>(pool_size), n_children);
  } catch (const invalid_argument& e) {
    throw invalid_argument(what + ": " + e.what());
  }
}

stream_variable_state variable_from_json(const json& value, const seed_sequence& meta,
                                         std::uint64_t expected_index, const std::string& what) {
  const auto index = json_to_u64(json_field(value, "index", what), what + " field 'index'");
  if (index != expected_index) {
    throw invalid_argument(what + " field 'index': got " + std::to_string(index) + ", expected " +
                           std::to_string(expected_index) + " (variables are listed in order)");
  }
  if (expected_index > UINT64_MAX - meta.n_children_spawned()) {
    throw invalid_argument(what + ": child n_children_spawned + index is beyond 2**64 - 1");
  }
  const json& key = json_field(value, "spawn_key", what);
  const json expected_key = variable_spawn_key(meta, index);
  if (dump_json(key) != dump_json(expected_key)) {
    bad_field(what + " field 'spawn_key'", key,
              dump_json(expected_key) +
                  " (the meta seed's spawn key + (n_children_spawned "
                  "+ index,))");
  }
  const json& family_field = json_field(value, "family", what);
  if (!family_field.is_string()) bad_field(what + " field 'family'", family_field, "a string");
  const auto family =
      parse_bit_generator_kind(family_field.get<std::string>(), what + " field 'family'");
  auto distribution = distribution_from_json(json_field(value, "distribution", what),
                                             what + " field 'distribution'");
  auto before = detail::generator_from_state(family, json_field(value, "before", what),
                                             what + " field 'before'");
  auto now =
      detail::generator_from_state(family, json_field(value, "now", what), what + " field 'now'");
  return stream_variable_state{index, family, std::move(distribution), std::move(before),
                               std::move(now)};
}

}  // namespace

std::string to_json(const stream_set_snapshot& snapshot, int indent) {
  json document = json::object();
  document["format"] = detail::stream_set_format_name;
  document["version"] = stream_set_snapshot_version;
  document["meta_seed"] = meta_to_json(snapshot.meta);
  json variables = json::array();
  for (const auto& v : snapshot.variables) {
    json parameters = json::object();
    for (const auto& p : v.distribution.parameters) parameters[p.name] = parameter_to_json(p.value);
    json distribution = json::object();
    distribution["name"] = v.distribution.name;
    distribution["parameters"] = std::move(parameters);
    json variable = json::object();
    variable["index"] = v.index;
    variable["spawn_key"] = variable_spawn_key(snapshot.meta, v.index);
    variable["family"] = to_string(v.family);
    variable["distribution"] = std::move(distribution);
    variable["before"] = detail::generator_state(v.before);
    variable["now"] = detail::generator_state(v.now);
    variables.push_back(std::move(variable));
  }
  document["variables"] = std::move(variables);
  return dump_json(document, indent);
}

stream_set_snapshot snapshot_from_json(std::string_view text) {
  const std::string what(document_name);
  const json document = parse_json(text, what);
  const json& format = json_field(document, "format", what);
  if (!format.is_string() || format.get<std::string>() != detail::stream_set_format_name) {
    bad_field(
        what + " field 'format'", format,
        "\"" + std::string(detail::stream_set_format_name) + "\" (not a stream_set snapshot)");
  }
  const auto version =
      json_to_u64(json_field(document, "version", what), what + " field 'version'");
  if (version == 0 || version > stream_set_snapshot_version) {
    throw invalid_argument(what + ": format version " + std::to_string(version) +
                           " is not supported (this library reads versions 1 to " +
                           std::to_string(stream_set_snapshot_version) + ")");
  }
  stream_set_snapshot snapshot{
      meta_from_json(json_field(document, "meta_seed", what), what + " field 'meta_seed'"), {}};
  const json& variables = json_field(document, "variables", what);
  if (!variables.is_array()) bad_field(what + " field 'variables'", variables, "a list");
  for (std::size_t k = 0; k < variables.size(); ++k) {
    snapshot.variables.push_back(variable_from_json(variables[k], snapshot.meta, k,
                                                    what + " variable " + std::to_string(k)));
  }
  return snapshot;
}

}  // namespace streamalloc
