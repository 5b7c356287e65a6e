// Private: manifest lines sealed with their CRC-32C (manifest.hpp), and a bounded line reader.
#pragma once

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>

#include "streamalloc/claims/sealed_line.hpp"

namespace streamalloc::claims::detail {

// The CRC domain of a manifest's own lines; shard r's lines use domain r.
inline constexpr std::uint64_t manifest_domain = ~std::uint64_t{0};

// The public seal (streamalloc/claims/sealed_line.hpp), under the names the readers use.
inline std::string seal(std::string_view object, std::uint64_t domain, std::uint64_t line) {
  return seal_line(object, domain, line);
}
inline std::string unseal(std::string_view line, std::uint64_t domain, std::uint64_t number) {
  return unseal_line(line, domain, number);
}

// Reads a file line by line, holding at most one line of at most `max_line` bytes.
class line_reader {
 public:
  // Throws io_error "<file>:1: cannot open <what>: <reason>".
  line_reader(const std::filesystem::path& file, const char* what, std::size_t max_line);
  ~line_reader();
  line_reader(const line_reader&) = delete;
  line_reader& operator=(const line_reader&) = delete;

  // The next line without its '\n' (and a trailing '\r'); false at the end of the file. A last
  // line without '\n' is returned with `terminated` false. Throws io_error on a read error and
  // invalid_argument "<file>:<line>: line longer than N bytes".
  bool next(std::string& line);
  bool terminated() const noexcept { return terminated_; }
  std::uint64_t line_number() const noexcept { return line_; }  // of the line last returned

 private:
  std::filesystem::path file_;
  std::FILE* in_ = nullptr;
  std::size_t max_line_;
  std::uint64_t line_ = 0;
  bool terminated_ = true;
};

// What a pass over a whole file finds, holding one line at a time (bounded like line_reader).
struct file_scan {
  std::string last;             // the last line that is not empty ("" if there is none)
  std::uint64_t last_line = 0;  // its number (0 if none)
  // The first empty line that more lines follow (blank lines at the end are allowed), or 0.
  std::uint64_t inner_blank = 0;
};
file_scan scan_lines(const std::filesystem::path& file, const char* what, std::size_t max_line);

}  // namespace streamalloc::claims::detail
