#include "streamalloc/json.hpp"

#include <vector>

#include "streamalloc/error.hpp"

namespace streamalloc {
namespace {

// The one key of the object that stands for an integer literal outside the 64-bit range.
constexpr const char* big_tag = "$streamalloc.big_integer";

bool is_big_tag(const json& value) {
  return value.is_object() && value.size() == 1 && value.contains(big_tag) &&
         value[big_tag].is_string();
}

bool is_integer_literal(const std::string& text) {
  std::size_t i = (!text.empty() && text[0] == '-') ? 1 : 0;
  if (i == text.size()) return false;
  for (; i < text.size(); ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
  }
  return true;
}

// Builds an ordered_json DOM like nlohmann's own, except that integer literals too large for
// 64 bits arrive here as floats together with their exact text, which we keep.
class exact_dom_builder : public nlohmann::json_sax<json> {
 public:
  explicit exact_dom_builder(json& root) : root_(root) {}

  bool null() override { return put(json(nullptr)); }
  bool boolean(bool v) override { return put(json(v)); }
  bool number_integer(number_integer_t v) override { return put(json(v)); }
  bool number_unsigned(number_unsigned_t v) override { return put(json(v)); }
  bool number_float(number_float_t v, const string_t& text) override {
    if (is_integer_literal(text)) return put(json::object({{big_tag, text}}));
    return put(json(v));
  }
  bool string(string_t& v) override { return put(json(v)); }
  bool binary(binary_t& v) override { return put(json::binary(v)); }
  bool start_object(std::size_t) override { return open(json::object()); }
  bool key(string_t& k) override {
    pending_key_ = k;
    return true;
  }
  bool end_object() override { return close(); }
  bool start_array(std::size_t) override { return open(json::array()); }
  bool end_array() override { return close(); }
  bool parse_error(std::size_t, const std::string&,
                   const nlohmann::detail::exception& e) override {
    message_ = e.what();
    return false;
  }

  const std::string& message() const { return message_; }

 private:
  json* place(json&& value) {
    if (stack_.empty()) {
      root_ = std::move(value);
      return &root_;
    }
    json& parent = *stack_.back();
    if (parent.is_array()) {
      parent.push_back(std::move(value));
      return &parent.back();
    }
    json& slot = parent[pending_key_];
    slot = std::move(value);
    return &slot;
  }
  bool put(json&& value) {
    place(std::move(value));
    return true;
  }
  bool open(json&& container) {
    stack_.push_back(place(std::move(container)));
    return true;
  }
  bool close() {
    stack_.pop_back();
    return true;
  }

  json& root_;
  std::vector<json*> stack_;
  std::string pending_key_;
  std::string message_;
};

void dump_string(std::string& out, const std::string& s) {
  // nlohmann escapes exactly as Python does with ensure_ascii=True.
  out += json(s).dump(-1, ' ', true);
}

void dump_value(std::string& out, const json& value, int indent, int depth) {
  const auto newline = [&](int level) {
    if (indent < 0) return;
    out.push_back('\n');
    out.append(static_cast<std::size_t>(indent * level), ' ');
  };
  const char* item_separator = indent < 0 ? ", " : ",";
  if (is_big_tag(value)) {
    out += value[big_tag].get<std::string>();
  } else if (value.is_object()) {
    if (value.empty()) {
      out += "{}";
      return;
    }
    out.push_back('{');
    bool first = true;
    for (const auto& [k, v] : value.items()) {
      if (!first) out += item_separator;
      first = false;
      newline(depth + 1);
      dump_string(out, k);
      out += ": ";
      dump_value(out, v, indent, depth + 1);
    }
    newline(depth);
    out.push_back('}');
  } else if (value.is_array()) {
    if (value.empty()) {
      out += "[]";
      return;
    }
    out.push_back('[');
    bool first = true;
    for (const auto& v : value) {
      if (!first) out += item_separator;
      first = false;
      newline(depth + 1);
      dump_value(out, v, indent, depth + 1);
    }
    newline(depth);
    out.push_back(']');
  } else if (value.is_string()) {
    dump_string(out, value.get<std::string>());
  } else {
    out += value.dump(-1, ' ', true);
  }
}

}  // namespace

json parse_json(std::string_view text, std::string_view what) {
  json root;
  exact_dom_builder builder(root);
  if (!json::sax_parse(text, &builder)) {
    throw invalid_argument(std::string(what) + ": not valid JSON (" + builder.message() + ")");
  }
  return root;
}

std::string dump_json(const json& value, int indent) {
  std::string out;
  dump_value(out, value, indent, 0);
  return out;
}

json big_to_json(const big_uint& value) {
  if (value.fits_u64()) return json(value.low_u64());
  return json::object({{big_tag, value.to_string()}});
}

std::string describe_json(const json& value) {
  std::string text = dump_json(value);
  if (text.size() > 60) text = text.substr(0, 57) + "...";
  return text;
}

big_uint json_to_big(const json& value, std::string_view what) {
  if (value.is_number_unsigned()) return big_uint(value.get<std::uint64_t>());
  if (value.is_number_integer() && value.get<std::int64_t>() >= 0) {
    return big_uint(static_cast<std::uint64_t>(value.get<std::int64_t>()));
  }
  if (is_big_tag(value)) {
    const auto text = value[big_tag].get<std::string>();
    if (!text.empty() && text[0] != '-') return big_uint::parse(text, what);
  }
  throw invalid_argument(std::string(what) + ": got " + describe_json(value) +
                         ", expected a non-negative integer");
}

std::uint64_t json_to_u64(const json& value, std::string_view what, std::uint64_t max) {
  const big_uint big = json_to_big(value, what);
  if (!big.fits_u64() || big.low_u64() > max) {
    throw invalid_argument(std::string(what) + ": got " + big.to_string() +
                           ", expected an integer in [0, " + std::to_string(max) + "]");
  }
  return big.low_u64();
}

const json& json_field(const json& object, std::string_view key, std::string_view what) {
  if (!object.is_object()) {
    throw invalid_argument(std::string(what) + ": got " + describe_json(object) +
                           ", expected a JSON object");
  }
  const auto it = object.find(std::string(key));
  if (it == object.end()) {
    throw invalid_argument(std::string(what) + ": missing field '" + std::string(key) + "'");
  }
  return *it;
}

}  // namespace streamalloc
