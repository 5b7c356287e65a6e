#include "streamalloc/big_uint.hpp"

#include <algorithm>
#include <bit>

#include "streamalloc/error.hpp"

namespace streamalloc {

big_uint::big_uint(std::uint64_t value) {
  words_ = {static_cast<std::uint32_t>(value), static_cast<std::uint32_t>(value >> 32)};
  trim();
}

big_uint big_uint::from_uint128(uint128 value) {
  big_uint out;
  out.words_.resize(4);
  for (auto& word : out.words_) {
    word = static_cast<std::uint32_t>(value);
    value >>= 32;
  }
  out.trim();
  return out;
}

big_uint big_uint::from_words(std::span<const std::uint32_t> words) {
  big_uint out;
  out.words_.assign(words.begin(), words.end());
  out.trim();
  return out;
}

big_uint big_uint::parse(std::string_view text, std::string_view what) {
  auto fail = [&](std::string_view why) -> big_uint {
    throw invalid_argument(std::string(what) + ": '" + cut_for_message(text) + "' is not " +
                           std::string(why));
  };
  if (text.empty()) return fail("a non-negative integer (it is empty)");
  if (text.front() == '-') return fail("a non-negative integer (negative values are not allowed)");
  const bool hex = text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X');
  const std::string_view digits = hex ? text.substr(2) : text;
  if (digits.size() > max_digits) {
    return fail("an integer of at most " + std::to_string(max_digits) + " digits (it has " +
                std::to_string(digits.size()) + ")");
  }
  // Digits are taken a chunk at a time (9 decimal or 7 hex digits fit in 32 bits), so the
  // quadratic conversion makes one pass over the words per chunk rather than per digit.
  const std::size_t chunk_digits = hex ? 7 : 9;
  big_uint out;
  std::uint32_t chunk = 0;
  std::uint32_t scale = 1;
  std::size_t in_chunk = 0;
  for (const char c : digits) {
    std::uint32_t digit = 0;
    if (c >= '0' && c <= '9') {
      digit = static_cast<std::uint32_t>(c - '0');
    } else if (hex && c >= 'a' && c <= 'f') {
      digit = static_cast<std::uint32_t>(c - 'a' + 10);
    } else if (hex && c >= 'A' && c <= 'F') {
      digit = static_cast<std::uint32_t>(c - 'A' + 10);
    } else {
      return fail(hex ? "a hexadecimal integer (0x followed by hex digits)"
                      : "a non-negative integer (decimal digits, or 0x-prefixed hex)");
    }
    chunk = chunk * (hex ? 16U : 10U) + digit;
    scale *= hex ? 16U : 10U;
    if (++in_chunk == chunk_digits) {
      out.multiply_add(scale, chunk);
      chunk = 0;
      scale = 1;
      in_chunk = 0;
    }
  }
  if (in_chunk != 0) out.multiply_add(scale, chunk);
  return out;
}

std::string big_uint::to_string() const {
  if (is_zero()) return "0";
  big_uint rest = *this;
  std::string digits;
  // Peel off nine decimal digits per division to keep this linear in the digit count per pass.
  while (!rest.is_zero()) {
    std::uint32_t chunk = rest.divide_in_place(1'000'000'000U);
    for (int i = 0; i < 9; ++i) {
      digits.push_back(static_cast<char>('0' + chunk % 10));
      chunk /= 10;
      if (rest.is_zero() && chunk == 0) break;
    }
  }
  std::reverse(digits.begin(), digits.end());
  return digits;
}

std::string big_uint::to_hex() const {
  static constexpr char digits[] = "0123456789abcdef";
  if (is_zero()) return "0x0";
  std::string out;
  for (const std::uint32_t word : words_) {
    for (int nibble = 0; nibble < 8; ++nibble) out.push_back(digits[(word >> (4 * nibble)) & 0xF]);
  }
  while (out.size() > 1 && out.back() == '0') out.pop_back();
  std::reverse(out.begin(), out.end());
  return "0x" + out;
}

std::size_t big_uint::bit_length() const noexcept {
  if (is_zero()) return 0;
  return 32 * (words_.size() - 1) + static_cast<std::size_t>(std::bit_width(words_.back()));
}

std::uint64_t big_uint::low_u64() const noexcept {
  const std::uint64_t lo = words_.empty() ? 0 : words_[0];
  const std::uint64_t hi = words_.size() < 2 ? 0 : words_[1];
  return (hi << 32) | lo;
}

uint128 big_uint::low_u128() const noexcept {
  const auto w = low_u64_words(2);
  return make_uint128(w[1], w[0]);
}

std::vector<std::uint64_t> big_uint::low_u64_words(std::size_t n) const {
  std::vector<std::uint64_t> out(n, 0);
  for (std::size_t i = 0; i < words_.size() && i / 2 < n; ++i) {
    out[i / 2] |= static_cast<std::uint64_t>(words_[i]) << (32 * (i % 2));
  }
  return out;
}

big_uint& big_uint::operator+=(const big_uint& other) {
  words_.resize(std::max(words_.size(), other.words_.size()) + 1, 0);
  std::uint64_t carry = 0;
  for (std::size_t i = 0; i < words_.size(); ++i) {
    const std::uint64_t sum = carry + words_[i] + (i < other.words_.size() ? other.words_[i] : 0U);
    words_[i] = static_cast<std::uint32_t>(sum);
    carry = sum >> 32;
  }
  trim();
  return *this;
}

big_uint& big_uint::operator<<=(std::size_t bits) {
  if (is_zero()) return *this;
  const std::size_t whole = bits / 32;
  const unsigned part = static_cast<unsigned>(bits % 32);
  words_.insert(words_.begin(), whole, 0U);
  if (part != 0) {
    words_.push_back(0);
    for (std::size_t i = words_.size() - 1; i > whole; --i) {
      words_[i] = (words_[i] << part) | (words_[i - 1] >> (32 - part));
    }
    words_[whole] <<= part;
  }
  trim();
  return *this;
}

big_uint big_uint::negated_modulo_pow2(std::size_t bits) const {
  // (~x + 1) mod 2^bits, computed on exactly ceil(bits/32) words.
  const std::size_t n = (bits + 31) / 32;
  std::vector<std::uint32_t> w(n, 0);
  for (std::size_t i = 0; i < n && i < words_.size(); ++i) w[i] = words_[i];
  std::uint64_t carry = 1;
  for (auto& word : w) {
    const std::uint64_t sum = static_cast<std::uint64_t>(static_cast<std::uint32_t>(~word)) + carry;
    word = static_cast<std::uint32_t>(sum);
    carry = sum >> 32;
  }
  if (bits % 32 != 0) w.back() &= (1U << (bits % 32)) - 1U;
  return from_words(w);
}

std::strong_ordering operator<=>(const big_uint& a, const big_uint& b) noexcept {
  if (a.words_.size() != b.words_.size()) return a.words_.size() <=> b.words_.size();
  for (std::size_t i = a.words_.size(); i-- > 0;) {
    if (a.words_[i] != b.words_[i]) return a.words_[i] <=> b.words_[i];
  }
  return std::strong_ordering::equal;
}

void big_uint::trim() noexcept {
  while (!words_.empty() && words_.back() == 0) words_.pop_back();
}

std::uint32_t big_uint::divide_in_place(std::uint32_t divisor) noexcept {
  std::uint64_t remainder = 0;
  for (std::size_t i = words_.size(); i-- > 0;) {
    const std::uint64_t current = (remainder << 32) | words_[i];
    words_[i] = static_cast<std::uint32_t>(current / divisor);
    remainder = current % divisor;
  }
  trim();
  return static_cast<std::uint32_t>(remainder);
}

void big_uint::multiply_add(std::uint32_t factor, std::uint32_t addend) {
  std::uint64_t carry = addend;
  for (auto& word : words_) {
    const std::uint64_t product = static_cast<std::uint64_t>(word) * factor + carry;
    word = static_cast<std::uint32_t>(product);
    carry = product >> 32;
  }
  if (carry != 0) words_.push_back(static_cast<std::uint32_t>(carry));
}

}  // namespace streamalloc
