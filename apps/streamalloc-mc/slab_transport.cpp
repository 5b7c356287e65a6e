#include "slab_transport.hpp"

#include <cstdio>

namespace streamalloc::mc {
namespace {

class fnv1a64 {
 public:
  void add(std::uint64_t value) noexcept {
    for (int i = 0; i < 8; ++i) {
      hash_ ^= (value >> (8 * i)) & 0xFFU;
      hash_ *= 0x100000001b3ULL;
    }
  }
  void add(uint128 value) noexcept {
    add(low64(value));
    add(high64(value));
  }
  std::uint64_t value() const noexcept { return hash_; }

 private:
  std::uint64_t hash_ = 0xcbf29ce484222325ULL;
};

}  // namespace

estimate fraction(const tallies& t, fate f) {
  if (t.histories == 0) return {0.0, 0.0};
  const double n = static_cast<double>(t.histories);
  const double p = static_cast<double>(t.fates[static_cast<std::size_t>(f)]) / n;
  return {p, std::sqrt(p * (1.0 - p) / n)};
}

estimate mean_collisions(const tallies& t) {
  if (t.histories == 0) return {0.0, 0.0};
  const double n = static_cast<double>(t.histories);
  const double mean = static_cast<double>(t.collisions) / n;
  const double second = static_cast<double>(t.collisions_squared) / n;
  const double variance = second - mean * mean;
  return {mean, n > 1 ? std::sqrt(variance > 0 ? variance / (n - 1) : 0.0) : 0.0};
}

std::string checksum(const tallies& t) {
  fnv1a64 hash;
  hash.add(t.histories);
  for (const auto count : t.fates) hash.add(count);
  hash.add(t.collisions);
  hash.add(t.collisions_squared);
  hash.add(t.track_fixed);
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(hash.value()));
  return text;
}

}  // namespace streamalloc::mc
