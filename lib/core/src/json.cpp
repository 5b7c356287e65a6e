#include "streamalloc/json.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <vector>

#include "streamalloc/error.hpp"

namespace streamalloc {
namespace {

// The one key of the object that stands for an integer literal outside the 64-bit range.
constexpr const char* big_tag = "$streamalloc.big_integer";

// Longest text of a value that an error message quotes (the rest is cut with "...").
constexpr std::size_t described_chars = 60;

bool is_big_tag(const json& value) {
  return value.is_object() && value.size() == 1 && value.contains(big_tag) &&
         value[big_tag].is_string();
}

// A strict RFC 8259 reader that builds an ordered_json DOM. It replaces nlohmann's SAX parser,
// whose lexer turns every integer literal beyond 64 bits into a double: one beyond the double
// range (309 digits and up) was a parse error ("number overflow"), so a run record holding such
// a seed, which our writers produce, could not be read back. Here any integer literal is kept
// exactly. Nesting is bounded (max_json_depth), so deep input is a clear error instead of a
// stack overflow in the reader or in anything that walks the DOM afterwards (dump, copy).
class reader {
 public:
  reader(std::string_view text, std::string_view what) : text_(text), what_(what) {}

  json document() {
    // A UTF-8 byte order mark is skipped, as nlohmann's reader did.
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
    json out = value(0);
    skip_space();
    if (pos_ != text_.size()) fail("unexpected text after the JSON value");
    return out;
  }

 private:
  [[noreturn]] void fail(const std::string& why) const {
    throw invalid_argument(std::string(what_) + ": not valid JSON (" + why + " at byte " +
                           std::to_string(pos_) + ")");
  }

  void skip_space() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' ||
                                   text_[pos_] == '\n' || text_[pos_] == '\r')) {
      ++pos_;
    }
  }

  bool at(char c) const { return pos_ < text_.size() && text_[pos_] == c; }

  void expect_word(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) fail("invalid literal");
    pos_ += word.size();
  }

  json value(std::size_t depth) {
    skip_space();
    if (pos_ == text_.size()) fail("unexpected end of input, expected a value");
    switch (text_[pos_]) {
      case '{': return object(depth + 1);
      case '[': return array(depth + 1);
      case '"': return json(string());
      case 't': expect_word("true"); return json(true);
      case 'f': expect_word("false"); return json(false);
      case 'n': expect_word("null"); return json(nullptr);
      default: return number();
    }
  }

  void check_depth(std::size_t depth) const {
    if (depth > max_json_depth) {
      fail("nested deeper than " + std::to_string(max_json_depth) + " levels");
    }
  }

  json object(std::size_t depth) {
    check_depth(depth);
    ++pos_;  // '{'
    json out = json::object();
    skip_space();
    if (at('}')) {
      ++pos_;
      return out;
    }
    while (true) {
      skip_space();
      if (!at('"')) fail("expected a string key");
      std::string key = string();
      // The tag is how an exact big integer is held in the DOM: as a key of the input it
      // would be printed back as a bare number.
      if (key == big_tag) fail("reserved key \"" + key + "\"");
      skip_space();
      if (!at(':')) fail("expected ':' after an object key");
      ++pos_;
      // Duplicate keys: the last one wins, as with Python's json.loads.
      out[std::move(key)] = value(depth);
      skip_space();
      if (at(',')) {
        ++pos_;
        continue;
      }
      if (at('}')) {
        ++pos_;
        return out;
      }
      fail("expected ',' or '}' in an object");
    }
  }

  json array(std::size_t depth) {
    check_depth(depth);
    ++pos_;  // '['
    json out = json::array();
    skip_space();
    if (at(']')) {
      ++pos_;
      return out;
    }
    while (true) {
      out.push_back(value(depth));
      skip_space();
      if (at(',')) {
        ++pos_;
        continue;
      }
      if (at(']')) {
        ++pos_;
        return out;
      }
      fail("expected ',' or ']' in an array");
    }
  }

  unsigned hex4() {
    if (text_.size() - pos_ < 4) fail("incomplete \\u escape");
    unsigned v = 0;
    for (int i = 0; i < 4; ++i) {
      const char c = text_[pos_++];
      v <<= 4;
      if (c >= '0' && c <= '9') {
        v |= static_cast<unsigned>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        v |= static_cast<unsigned>(c - 'a' + 10);
      } else if (c >= 'A' && c <= 'F') {
        v |= static_cast<unsigned>(c - 'A' + 10);
      } else {
        fail("invalid \\u escape");
      }
    }
    return v;
  }

  static void append_utf8(std::string& out, unsigned cp) {
    if (cp < 0x80) {
      out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }

  // One UTF-8 sequence starting at pos_, checked as RFC 3629 requires (no overlong forms, no
  // surrogates, nothing above U+10FFFF); nlohmann's reader checked the same.
  void copy_utf8(std::string& out) {
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text_[i]); };
    const unsigned char lead = byte(pos_);
    std::size_t n = 0;
    unsigned char lo = 0x80, hi = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
      n = 1;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      n = 2;
      if (lead == 0xE0) lo = 0xA0;
      if (lead == 0xED) hi = 0x9F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      n = 3;
      if (lead == 0xF0) lo = 0x90;
      if (lead == 0xF4) hi = 0x8F;
    } else {
      fail("invalid UTF-8 byte in a string");
    }
    if (text_.size() - pos_ <= n) fail("invalid UTF-8 sequence in a string");
    for (std::size_t i = 1; i <= n; ++i) {
      const unsigned char b = byte(pos_ + i);
      if (b < (i == 1 ? lo : 0x80) || b > (i == 1 ? hi : 0xBF)) {
        fail("invalid UTF-8 sequence in a string");
      }
    }
    out.append(text_.substr(pos_, n + 1));
    pos_ += n + 1;
  }

  std::string string() {
    ++pos_;  // '"'
    std::string out;
    while (true) {
      if (pos_ == text_.size()) fail("unterminated string");
      const char c = text_[pos_];
      if (c == '"') {
        ++pos_;
        return out;
      }
      if (static_cast<unsigned char>(c) < 0x20) fail("control character in a string");
      if (static_cast<unsigned char>(c) >= 0x80) {
        copy_utf8(out);
        continue;
      }
      ++pos_;
      if (c != '\\') {
        out.push_back(c);
        continue;
      }
      if (pos_ == text_.size()) fail("unterminated string");
      switch (text_[pos_++]) {
        case '"': out.push_back('"'); break;
        case '\\': out.push_back('\\'); break;
        case '/': out.push_back('/'); break;
        case 'b': out.push_back('\b'); break;
        case 'f': out.push_back('\f'); break;
        case 'n': out.push_back('\n'); break;
        case 'r': out.push_back('\r'); break;
        case 't': out.push_back('\t'); break;
        case 'u': {
          unsigned cp = hex4();
          if (cp >= 0xDC00 && cp <= 0xDFFF) fail("lone low surrogate in a \\u escape");
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            if (text_.substr(pos_, 2) != "\\u") fail("high surrogate without its low half");
            pos_ += 2;
            const unsigned low = hex4();
            if (low < 0xDC00 || low > 0xDFFF) fail("high surrogate without its low half");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          }
          append_utf8(out, cp);
          break;
        }
        default: --pos_; fail("invalid escape in a string");
      }
    }
  }

  bool digit_at(std::size_t i) const {
    return i < text_.size() && text_[i] >= '0' && text_[i] <= '9';
  }

  json number() {
    const std::size_t start = pos_;
    if (at('-')) ++pos_;
    if (!digit_at(pos_)) fail("invalid literal");
    if (text_[pos_] == '0') {
      ++pos_;
    } else {
      while (digit_at(pos_)) ++pos_;
    }
    bool integer = true;
    if (at('.')) {
      integer = false;
      ++pos_;
      if (!digit_at(pos_)) fail("expected a digit after '.'");
      while (digit_at(pos_)) ++pos_;
    }
    if (at('e') || at('E')) {
      integer = false;
      ++pos_;
      if (at('+') || at('-')) ++pos_;
      if (!digit_at(pos_)) fail("expected a digit in the exponent");
      while (digit_at(pos_)) ++pos_;
    }
    const std::string literal(text_.substr(start, pos_ - start));
    if (integer) {
      errno = 0;
      char* end = nullptr;
      if (literal[0] == '-') {
        const long long v = std::strtoll(literal.c_str(), &end, 10);
        if (errno == 0) return json(static_cast<std::int64_t>(v));
      } else {
        const unsigned long long v = std::strtoull(literal.c_str(), &end, 10);
        if (errno == 0) return json(static_cast<std::uint64_t>(v));
      }
      // Beyond 64 bits: kept exactly, whatever its length.
      return json::object({{big_tag, literal}});
    }
    errno = 0;
    const double v = std::strtod(literal.c_str(), nullptr);
    if (errno == ERANGE && (v == HUGE_VAL || v == -HUGE_VAL)) {
      pos_ = start;
      fail("number outside the range of a double");
    }
    return json(v);
  }

  std::string_view text_;
  std::string_view what_;
  std::size_t pos_ = 0;
};

void dump_string(std::string& out, const std::string& s) {
  // nlohmann escapes exactly as Python does with ensure_ascii=True.
  out += json(s).dump(-1, ' ', true);
}

// Appends value's text to out, stopping early (mid-value) once out holds more than `limit`
// characters: error messages only show the first few, whatever the value's size.
void dump_value(std::string& out, const json& value, int indent, int depth, std::size_t limit) {
  if (out.size() > limit) return;
  const auto newline = [&](int level) {
    if (indent < 0) return;
    out.push_back('\n');
    out.append(static_cast<std::size_t>(indent * level), ' ');
  };
  const char* item_separator = indent < 0 ? ", " : ",";
  if (is_big_tag(value)) {
    const auto& digits = value[big_tag].get_ref<const std::string&>();
    const std::size_t room = limit - out.size();
    out.append(digits, 0, room < digits.size() ? room + 1 : digits.size());
  } else if (value.is_object()) {
    if (value.empty()) {
      out += "{}";
      return;
    }
    out.push_back('{');
    bool first = true;
    for (const auto& [k, v] : value.items()) {
      if (out.size() > limit) return;
      if (!first) out += item_separator;
      first = false;
      newline(depth + 1);
      dump_string(out, k);
      out += ": ";
      dump_value(out, v, indent, depth + 1, limit);
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
      if (out.size() > limit) return;
      if (!first) out += item_separator;
      first = false;
      newline(depth + 1);
      dump_value(out, v, indent, depth + 1, limit);
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
  return reader(text, what).document();
}

std::string dump_json(const json& value, int indent) {
  std::string out;
  dump_value(out, value, indent, 0, std::numeric_limits<std::size_t>::max());
  return out;
}

json big_to_json(const big_uint& value) {
  if (value.fits_u64()) return json(value.low_u64());
  return json::object({{big_tag, value.to_string()}});
}

std::string describe_json(const json& value) {
  std::string text;
  // Stops a little past what is shown, so a huge or deeply nested value costs nothing extra.
  dump_value(text, value, -1, 0, described_chars);
  if (text.size() > described_chars) {
    text.resize(described_chars - 3);
    text += "...";
  }
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
    throw invalid_argument(std::string(what) + ": got " + describe_json(value) +
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
