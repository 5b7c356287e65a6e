// streamalloc/detail/message.hpp — helpers for error messages. Shipped for our own libraries and
// programs; not part of the stable API.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace streamalloc::detail {

// A value's text as an error message quotes it: whole when short, else its first characters and
// its length ("123456...(100000 characters)"), so that one bad input never makes a message of
// its own size (a 10^5-digit seed used to give a 100 KB line).
inline std::string cut_for_message(std::string_view text, std::size_t max_chars = 60) {
  if (text.size() <= max_chars) return std::string(text);
  return std::string(text.substr(0, max_chars - 3)) + "... (" + std::to_string(text.size()) +
         " characters)";
}

}  // namespace streamalloc::detail
