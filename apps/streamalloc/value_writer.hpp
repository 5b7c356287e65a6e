// streamalloc CLI: how `generate` writes drawn values — decimal text lines or raw binary.
//
// Text is one value per line: integers in decimal, doubles with 17 significant digits (printf's
// %.17g, enough to round-trip every double and what Python's '%.17g' % x prints). Binary is the
// values' little-endian bytes back to back (8 per uint64 or double, 4 per uint32), exactly
// NumPy's array.tobytes() on a little-endian machine, for piping into dieharder or PractRand.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "output_sink.hpp"

namespace streamalloc::cli {

enum class output_format { text, binary };

class value_writer {
 public:
  value_writer(output_sink& sink, output_format format) : sink_(sink), format_(format) {}

  void write(std::span<const std::uint64_t> values);
  void write(std::span<const std::uint32_t> values);
  void write(std::span<const double> values);

 private:
  template <class T>
  void write_binary(std::span<const T> values);
  template <class T>
  void write_text(std::span<const T> values);

  output_sink& sink_;
  output_format format_;
  std::string scratch_;  // reused between calls: formatting allocates nothing per chunk
};

}  // namespace streamalloc::cli
