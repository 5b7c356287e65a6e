// streamalloc/distributions/integers.hpp — uniform integers in [low, high) or [low, high].
//
// integers<T>(gen, low, high, endpoint) is numpy.random.Generator.integers(low, high,
// dtype=T, endpoint=endpoint), bit-exact with NumPy 1.24 for streamalloc's engines. NumPy's
// algorithm (Lemire's multiply-and-reject, never the masked method) is followed per dtype:
//   * int64/uint64: a range of width 1 returns low without drawing; a width that fits in 32 bits
//     uses the generator's buffered 32-bit draws (next32), width exactly 2^32 one raw next32,
//     width 2^64 one raw next64, anything else 64-bit Lemire on next64.
//   * int32/uint32: the same with next32 only.
//   * int16/uint16, int8/uint8: 16/8-bit Lemire on 16/8-bit pieces cut from one 32-bit draw
//     (low piece first); bool: one bit at a time from a 32-bit draw.
// As in NumPy, those 16/8/1-bit pieces are shared only within one call: fill() of n values
// spreads them over the n values, while each single draw (operator()) starts afresh and
// discards the unused rest of its 32-bit word. So for the narrow types fill(n) != n single draws,
// exactly as Generator.integers(..., size=n) != n calls of Generator.integers(...). For all
// other types a fill of n equals n single draws.
//
// T may be any integral type (bool included); its NumPy dtype follows from its size and
// signedness (long long is int64, char is int8 or uint8, ...). low and high may be of any
// integral types but bool: they are compared exactly, as NumPy compares Python integers, so
// integers<std::uint64_t>(gen, 0, UINT64_MAX, true) and
// integers<std::int64_t>(gen, INT64_MIN, INT64_MAX, true) cover full 64-bit ranges.
//
// Errors (streamalloc::invalid_argument, as NumPy's ValueError): low below the dtype's minimum,
// high beyond its maximum (high - 1 with endpoint=false), low >= high (endpoint=false) or
// low > high (endpoint=true).
//
// Thread safety: distribution objects are immutable; generators are not thread-safe.
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <ranges>
#include <span>
#include <string_view>
#include <type_traits>

#include "streamalloc/distributions/bit_source.hpp"
#include "streamalloc/distributions/checks.hpp"
#include "streamalloc/uint128.hpp"

namespace streamalloc {
namespace detail {

__extension__ typedef __int128 int128;

// [[noreturn]] reporting of integers() bound errors; out of line.
[[noreturn]] void throw_integers_error(std::string_view dtype, int128 low, int128 high,
                                       bool endpoint, int128 dtype_min, int128 dtype_max,
                                       int which);

// The 32-bit word that NumPy cuts 16-, 8- and 1-bit pieces from, and how many pieces remain.
struct narrow_bits {
  std::uint32_t word = 0;
  int remaining = 0;
};

// Smallest all-ones mask >= max.
constexpr std::uint64_t all_ones_mask(std::uint64_t max) noexcept {
  std::uint64_t mask = max;
  mask |= mask >> 1;
  mask |= mask >> 2;
  mask |= mask >> 4;
  mask |= mask >> 8;
  mask |= mask >> 16;
  mask |= mask >> 32;
  return mask;
}

// A piece of `Bits` bits: the low piece of a fresh 32-bit draw, then the following pieces.
template <int Bits, class B>
std::uint32_t narrow_piece(B& bits, narrow_bits& buffer) {
  if (buffer.remaining == 0) {
    buffer.word = bits.next32();
    buffer.remaining = 32 / Bits - 1;
  } else {
    buffer.word >>= Bits;
    --buffer.remaining;
  }
  return buffer.word;
}

// Lemire's method on 64-bit words: uniform in [0, rng], rng < 2^64 - 1.
template <class B>
std::uint64_t lemire64(B& bits, std::uint64_t rng) {
  const std::uint64_t rng_excl = rng + 1;
  uint128 product = static_cast<uint128>(bits.next64()) * rng_excl;
  std::uint64_t leftover = low64(product);
  if (leftover < rng_excl) {
    const std::uint64_t threshold = (std::numeric_limits<std::uint64_t>::max() - rng) % rng_excl;
    while (leftover < threshold) {
      product = static_cast<uint128>(bits.next64()) * rng_excl;
      leftover = low64(product);
    }
  }
  return high64(product);
}

// Lemire's method on 32-bit words: uniform in [0, rng], rng < 2^32 - 1.
template <class B>
std::uint32_t lemire32(B& bits, std::uint32_t rng) {
  const std::uint32_t rng_excl = rng + 1;
  std::uint64_t product = static_cast<std::uint64_t>(bits.next32()) * rng_excl;
  auto leftover = static_cast<std::uint32_t>(product);
  if (leftover < rng_excl) {
    const std::uint32_t threshold = (std::numeric_limits<std::uint32_t>::max() - rng) % rng_excl;
    while (leftover < threshold) {
      product = static_cast<std::uint64_t>(bits.next32()) * rng_excl;
      leftover = static_cast<std::uint32_t>(product);
    }
  }
  return static_cast<std::uint32_t>(product >> 32);
}

// Lemire's method on 16- or 8-bit pieces: uniform in [0, rng], rng < 2^Bits - 1.
template <int Bits, class B>
std::uint32_t lemire_narrow(B& bits, std::uint32_t rng, narrow_bits& buffer) {
  constexpr std::uint32_t piece_mask = (std::uint32_t{1} << Bits) - 1U;
  const std::uint32_t rng_excl = rng + 1;
  std::uint32_t product = (narrow_piece<Bits>(bits, buffer) & piece_mask) * rng_excl;
  std::uint32_t leftover = product & piece_mask;
  if (leftover < rng_excl) {
    const std::uint32_t threshold = (piece_mask - rng) % rng_excl;
    while (leftover < threshold) {
      product = (narrow_piece<Bits>(bits, buffer) & piece_mask) * rng_excl;
      leftover = product & piece_mask;
    }
  }
  return (product >> Bits) & piece_mask;
}

// NumPy's random_bounded_uint64_fill (Lemire): off + [0, rng] for each output, modulo 2^64
// (the conversion to a signed Out wraps as NumPy's cast does).
template <class B, class Out>
void bounded_fill64(B& bits, std::uint64_t off, std::uint64_t rng, Out* out, std::size_t count) {
  const auto put = [&](std::size_t i, std::uint64_t value) { out[i] = static_cast<Out>(value); };
  if (rng == 0) {
    for (std::size_t i = 0; i < count; ++i) put(i, off);
  } else if (rng <= 0xFFFFFFFFULL) {
    if (rng == 0xFFFFFFFFULL) {
      for (std::size_t i = 0; i < count; ++i) put(i, off + bits.next32());
    } else {
      const auto rng32 = static_cast<std::uint32_t>(rng);
      for (std::size_t i = 0; i < count; ++i) put(i, off + lemire32(bits, rng32));
    }
  } else if (rng == std::numeric_limits<std::uint64_t>::max()) {
    for (std::size_t i = 0; i < count; ++i) put(i, off + bits.next64());
  } else {
    for (std::size_t i = 0; i < count; ++i) put(i, off + lemire64(bits, rng));
  }
}

// NumPy's random_bounded_uint32_fill.
template <class B, class Out>
void bounded_fill32(B& bits, std::uint32_t off, std::uint32_t rng, Out* out, std::size_t count) {
  const auto put = [&](std::size_t i, std::uint32_t value) { out[i] = static_cast<Out>(value); };
  if (rng == 0) {
    for (std::size_t i = 0; i < count; ++i) put(i, off);
  } else if (rng == 0xFFFFFFFFU) {
    for (std::size_t i = 0; i < count; ++i) put(i, off + bits.next32());
  } else {
    for (std::size_t i = 0; i < count; ++i) put(i, off + lemire32(bits, rng));
  }
}

// NumPy's random_bounded_uint16_fill / random_bounded_uint8_fill (Bits = 16 or 8), modulo
// 2^Bits. One buffer of pieces per call.
template <int Bits, class B, class Out>
void bounded_fill_narrow(B& bits, std::uint32_t off, std::uint32_t rng, Out* out,
                         std::size_t count) {
  constexpr std::uint32_t piece_mask = (std::uint32_t{1} << Bits) - 1U;
  const auto put = [&](std::size_t i, std::uint32_t value) {
    out[i] = static_cast<Out>(static_cast<std::make_unsigned_t<Out>>(value & piece_mask));
  };
  narrow_bits buffer;
  if (rng == 0) {
    for (std::size_t i = 0; i < count; ++i) put(i, off);
  } else if (rng == piece_mask) {
    for (std::size_t i = 0; i < count; ++i) put(i, off + narrow_piece<Bits>(bits, buffer));
  } else {
    for (std::size_t i = 0; i < count; ++i) put(i, off + lemire_narrow<Bits>(bits, rng, buffer));
  }
}

// NumPy's random_bounded_bool_fill.
template <class B>
void bounded_fill_bool(B& bits, bool off, bool rng, bool* out, std::size_t count) {
  narrow_bits buffer;
  for (std::size_t i = 0; i < count; ++i) {
    out[i] = rng ? (narrow_piece<1>(bits, buffer) & 1U) != 0 : off;
  }
}

// NumPy's random_interval (masked rejection; used by shuffle and permutation): uniform in
// [0, max], from next32 when max fits in 32 bits, else from next64.
template <class B>
std::uint64_t random_interval(B& bits, std::uint64_t max) {
  if (max == 0) return 0;
  const std::uint64_t mask = all_ones_mask(max);
  std::uint64_t value = 0;
  if (max <= 0xFFFFFFFFULL) {
    while ((value = (bits.next32() & mask)) > max) {
    }
  } else {
    while ((value = (bits.next64() & mask)) > max) {
    }
  }
  return value;
}

// The unsigned type NumPy draws a dtype's values in.
// bool stays bool; 8- and 16-bit types are drawn in 32-bit arithmetic and reduced.
template <class T>
using integers_unsigned_t =
    std::conditional_t<std::is_same_v<T, bool>, bool,
                       std::conditional_t<sizeof(T) == 8, std::uint64_t, std::uint32_t>>;

template <class T>
constexpr std::string_view numpy_dtype_name() noexcept {
  if constexpr (std::is_same_v<T, bool>) {
    return "bool";
  } else if constexpr (std::is_signed_v<T>) {
    return sizeof(T) == 1 ? "int8" : sizeof(T) == 2 ? "int16" : sizeof(T) == 4 ? "int32" : "int64";
  } else {
    return sizeof(T) == 1   ? "uint8"
           : sizeof(T) == 2 ? "uint16"
           : sizeof(T) == 4 ? "uint32"
                            : "uint64";
  }
}

}  // namespace detail

// The integral types integers() supports: every standard integral type of 1, 2, 4 or 8 bytes.
template <class T>
concept numpy_integer = std::integral<T> &&
    (sizeof(T) == 1 || sizeof(T) == 2 || sizeof(T) == 4 || sizeof(T) == 8);

// The types low and high may have: any integral type but bool (so that integers(gen, 5, true)
// cannot be mistaken for a bound of `true`).
template <class T>
concept integer_bound = std::integral<T> && !std::same_as<std::remove_cv_t<T>, bool>;

// Generator.integers(low, high, dtype=T, endpoint=endpoint).
template <numpy_integer T = std::int64_t>
class integers_distribution {
  using unsigned_type = detail::integers_unsigned_t<T>;

 public:
  using result_type = T;

  // [low, high) or, with endpoint, [low, high].
  template <integer_bound L, integer_bound H>
  integers_distribution(L low, H high, bool endpoint = false) {
    using detail::int128;
    const auto low_value = static_cast<int128>(low);
    const auto high_value = static_cast<int128>(high);
    const int128 closed_high = endpoint ? high_value : high_value - 1;
    const auto dtype_min = static_cast<int128>(std::numeric_limits<T>::min());
    const auto dtype_max = static_cast<int128>(std::numeric_limits<T>::max());
    const auto name = detail::numpy_dtype_name<T>();
    if (low_value < dtype_min) {
      detail::throw_integers_error(name, low_value, high_value, endpoint, dtype_min, dtype_max, 0);
    }
    if (closed_high > dtype_max) {
      detail::throw_integers_error(name, low_value, high_value, endpoint, dtype_min, dtype_max, 1);
    }
    if (low_value > closed_high) {
      detail::throw_integers_error(name, low_value, high_value, endpoint, dtype_min, dtype_max, 2);
    }
    low_ = static_cast<T>(low_value);
    high_ = static_cast<T>(closed_high);
    if constexpr (std::is_same_v<T, bool>) {
      off_ = low_;
      rng_ = high_ != low_;
    } else {
      // Offsets and widths modulo 2^bits of T, as NumPy's casts to the unsigned dtype give.
      constexpr auto bits_mask =
          static_cast<std::uint64_t>(std::numeric_limits<std::make_unsigned_t<T>>::max());
      const auto low_bits = static_cast<std::uint64_t>(low_value) & bits_mask;
      const auto high_bits = static_cast<std::uint64_t>(closed_high) & bits_mask;
      off_ = static_cast<unsigned_type>(low_bits);
      rng_ = static_cast<unsigned_type>((high_bits - low_bits) & bits_mask);
    }
  }

  // The smallest and largest values that can be drawn (the closed interval).
  T min() const noexcept { return low_; }
  T max() const noexcept { return high_; }

  // One value: NumPy's size=None call.
  template <bit_source G>
  T operator()(G& gen) const {
    T value{};
    fill(gen, std::span<T>(&value, 1));
    return value;
  }

  // out.size() values: NumPy's size=out.size() call.
  template <bit_source G>
  void fill(G& gen, std::span<T> out) const {
    auto&& bits = detail::bitgen_of(gen);
    if constexpr (std::is_same_v<T, bool>) {
      detail::bounded_fill_bool(bits, off_, rng_, out.data(), out.size());
    } else if constexpr (sizeof(T) == 8) {
      detail::bounded_fill64(bits, off_, rng_, out.data(), out.size());
    } else if constexpr (sizeof(T) == 4) {
      detail::bounded_fill32(bits, off_, rng_, out.data(), out.size());
    } else {
      detail::bounded_fill_narrow<static_cast<int>(8 * sizeof(T))>(bits, off_, rng_, out.data(),
                                                                   out.size());
    }
  }

 private:
  T low_{};
  T high_{};
  unsigned_type off_{};
  unsigned_type rng_{};
};

// Generator.integers(low, high, dtype=T, endpoint=endpoint).
template <numpy_integer T = std::int64_t, bit_source G, integer_bound L, integer_bound H>
T integers(G& gen, L low, H high, bool endpoint = false) {
  return integers_distribution<T>(low, high, endpoint)(gen);
}

// Generator.integers(high, dtype=T): [0, high).
template <numpy_integer T = std::int64_t, bit_source G, integer_bound H>
T integers(G& gen, H high) {
  return integers_distribution<T>(0, high)(gen);
}

// Generator.integers(low, high, size=out.size(), dtype=T, endpoint=endpoint), into any
// contiguous range of T (a std::span<T>, a std::vector<T>, ...).
template <bit_source G, integer_bound L, integer_bound H, std::ranges::contiguous_range R>
requires std::ranges::sized_range<R> && numpy_integer<std::ranges::range_value_t<R>>
void integers(G& gen, L low, H high, bool endpoint, R&& out) {
  using T = std::ranges::range_value_t<R>;
  integers_distribution<T>(low, high, endpoint)
      .fill(gen, std::span<T>(std::ranges::data(out), std::ranges::size(out)));
}

}  // namespace streamalloc
