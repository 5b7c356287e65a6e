// streamalloc CLI: how `generate` writes drawn values — decimal text lines or raw binary.
//
// Text is one value per line: integers in decimal, bool as 0 or 1, doubles with 17 significant
// digits (printf's %.17g, enough to round-trip every double and what Python's '%.17g' % x
// prints). A draw that is a vector (a multinomial count vector, a permutation) is one line with
// its entries separated by single spaces. Binary is the values' little-endian bytes back to back
// at their own width (8 per int64/uint64/double, 4 per int32/uint32, ..., 1 per bool), exactly
// NumPy's array.tobytes() on a little-endian machine, for piping into dieharder or PractRand.
// Not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "output_sink.hpp"

namespace streamalloc::cli {

enum class output_format { text, binary };

class value_writer {
 public:
  value_writer(output_sink& sink, output_format format) : sink_(sink), format_(format) {}

  // One value per line (text) or per fixed-width slot (binary). T is double, bool or any
  // standard integer type of 1, 2, 4 or 8 bytes (explicitly instantiated in value_writer.cpp).
  template <class T>
  void write(std::span<const T> values);

  // `rows` draws of values.size() / rows entries each (row-major): one line per draw in text,
  // the entries back to back in binary. Rows may be empty (a permutation of 0 items): text then
  // has one empty line per draw.
  void write_rows(std::span<const std::int64_t> values, std::size_t rows);

 private:
  template <class T>
  void write_binary(std::span<const T> values);
  template <class T>
  void write_text(std::span<const T> values, std::size_t row_length);

  output_sink& sink_;
  output_format format_;
  std::string scratch_;  // reused between calls: formatting allocates nothing per chunk
};

}  // namespace streamalloc::cli
