#include "streamalloc/seed_entropy.hpp"

namespace streamalloc {
namespace {

std::string_view trim_spaces(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

}  // namespace

std::vector<std::uint32_t> numpy_uint32_words(const big_uint& value) {
  if (value.is_zero()) return {0U};
  return value.words();
}

seed_entropy seed_entropy::list(std::vector<big_uint> values) {
  seed_entropy out;
  out.is_list_ = true;
  out.values_ = std::move(values);
  return out;
}

seed_entropy seed_entropy::parse(std::string_view text, std::string_view what) {
  const std::string_view trimmed = trim_spaces(text);
  if (trimmed.find(',') == std::string_view::npos) {
    return seed_entropy(big_uint::parse(trimmed, what));
  }
  std::vector<big_uint> values;
  std::string_view rest = trimmed;
  while (true) {
    const auto comma = rest.find(',');
    values.push_back(
        big_uint::parse(trim_spaces(rest.substr(0, comma)), std::string(what) + " list entry"));
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return list(std::move(values));
}

std::vector<std::uint32_t> seed_entropy::words() const {
  std::vector<std::uint32_t> out;
  for (const auto& value : values_) {
    const auto w = numpy_uint32_words(value);
    out.insert(out.end(), w.begin(), w.end());
  }
  return out;
}

std::string seed_entropy::to_string() const {
  if (!is_list_) return values_.front().to_string();
  std::string out = "[";
  for (std::size_t i = 0; i < values_.size(); ++i) {
    if (i != 0) out += ", ";
    out += values_[i].to_string();
  }
  return out + "]";
}

}  // namespace streamalloc
