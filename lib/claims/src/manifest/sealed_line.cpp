#include "src/manifest/sealed_line.hpp"

#include <array>
#include <cerrno>
#include <cstring>
#include <span>

#include "streamalloc/crc32c.hpp"
#include "streamalloc/error.hpp"

namespace streamalloc::claims {
namespace {

constexpr std::string_view seal_key = ", \"crc32c\": \"";
constexpr std::size_t seal_suffix = seal_key.size() + 8 + 2;  // 8 hex digits, '"', '}'

std::uint32_t crc_of(std::string_view object, std::uint64_t domain, std::uint64_t line) {
  std::array<std::byte, 16> prefix{};
  for (int i = 0; i < 8; ++i) {
    prefix[static_cast<std::size_t>(i)] = static_cast<std::byte>(domain >> (8 * i));
    prefix[static_cast<std::size_t>(8 + i)] = static_cast<std::byte>(line >> (8 * i));
  }
  const std::uint32_t head = crc32c(prefix);
  return crc32c(std::as_bytes(std::span(object.data(), object.size())), head);
}

int hex_digit(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

}  // namespace

std::string seal_line(std::string_view object, std::uint64_t domain, std::uint64_t line) {
  // object is "{...}" with at least one field: "{...}" -> "{..., "crc32c": "xxxxxxxx"}".
  static constexpr char digits[] = "0123456789abcdef";
  const std::uint32_t crc = crc_of(object, domain, line);
  std::string out(object.substr(0, object.size() - 1));
  out += seal_key;
  for (int shift = 28; shift >= 0; shift -= 4) out += digits[(crc >> shift) & 0xF];
  out += "\"}";
  return out;
}

bool looks_sealed(std::string_view line) noexcept {
  return line.size() > seal_suffix && line.back() == '}' && line[line.size() - 2] == '"' &&
         line.substr(line.size() - seal_suffix, seal_key.size()) == seal_key;
}

std::string unseal_line(std::string_view line, std::uint64_t domain, std::uint64_t line_number) {
  if (!looks_sealed(line)) {
    throw invalid_argument(
        "no checksum: expected a JSON object whose last field is \"crc32c\": \"<8 hex digits>\" "
        "(format 3 seals every line)");
  }
  std::uint32_t stored = 0;
  const std::string_view hex = line.substr(line.size() - 10, 8);
  for (const char c : hex) {
    const int d = hex_digit(c);
    if (d < 0) throw invalid_argument("checksum \"" + std::string(hex) + "\" is not 8 hex digits");
    stored = (stored << 4) | static_cast<std::uint32_t>(d);
  }
  std::string object(line.substr(0, line.size() - seal_suffix));
  object += '}';
  const std::uint32_t actual = crc_of(object, domain, line_number);
  if (actual != stored) {
    char text[64];
    std::snprintf(text, sizeof text, "checksum mismatch (stored %08x, computed %08x)", stored,
                  actual);
    throw invalid_argument(std::string(text) +
                           ": the line was changed, or moved from another place or file");
  }
  return object;
}

namespace detail {

line_reader::line_reader(const std::filesystem::path& file, const char* what, std::size_t max_line)
    : file_(file), max_line_(max_line) {
  in_ = std::fopen(file.c_str(), "rb");
  if (in_ == nullptr) {
    throw io_error(file.string() + ":1: cannot open " + what + ": " + std::strerror(errno));
  }
}

line_reader::~line_reader() {
  if (in_ != nullptr) std::fclose(in_);
}

bool line_reader::next(std::string& line) {
  line.clear();
  bool any = false;
  for (;;) {
    const int c = getc_unlocked(in_);  // one reader per FILE: no locking needed
    if (c == EOF) {
      if (std::ferror(in_)) {
        throw io_error(file_.string() + ":" + std::to_string(line_ + 1) +
                       ": cannot read: " + std::strerror(errno));
      }
      if (!any) return false;
      terminated_ = false;
      break;
    }
    any = true;
    if (c == '\n') {
      terminated_ = true;
      break;
    }
    if (line.size() >= max_line_) {
      throw invalid_argument(file_.string() + ":" + std::to_string(line_ + 1) +
                             ": line longer than " + std::to_string(max_line_) +
                             " bytes (a manifest line holds one claim)");
    }
    line += static_cast<char>(c);
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  ++line_;
  return true;
}

file_scan scan_lines(const std::filesystem::path& file, const char* what, std::size_t max_line) {
  line_reader in(file, what, max_line);
  std::string line;
  file_scan out;
  std::uint64_t blank = 0;  // the first of the current run of empty lines
  while (in.next(line)) {
    if (line.empty()) {
      if (blank == 0) blank = in.line_number();
      continue;
    }
    if (blank != 0 && out.inner_blank == 0) out.inner_blank = blank;
    blank = 0;
    out.last.swap(line);
    out.last_line = in.line_number();
  }
  return out;
}

}  // namespace detail
}  // namespace streamalloc::claims
