// streamalloc-mc: one-dimensional slab neutron transport, the physics of the demo.
//
// A neutron enters a homogeneous slab of thickness `thickness` (in mean free paths, total cross
// section 1) at x = 0, moving inward. It flies exponentially distributed distances; at each
// collision it is absorbed with probability 1 - scattering_ratio, otherwise it scatters
// isotropically (direction cosine uniform on [-1, 1]). It is reflected when it leaves through
// x = 0 and transmitted through x = thickness.
//
// Tallies are integers (counts and track length in fixed point), so they add up exactly in any
// order: the totals — and the checksum of their bits — do not depend on how histories are
// spread over ranks. That is what lets the demo prove rank-count invariance.
#pragma once

#include <array>
#include <cmath>
#include <cstdint>
#include <string>

#include "streamalloc/uint128.hpp"

namespace streamalloc::mc {

struct slab {
  double thickness = 2.0;         // mean free paths
  double scattering_ratio = 0.7;  // probability that a collision scatters
};

enum class fate : std::uint8_t { transmitted, reflected, absorbed };

struct history_outcome {
  fate end;
  std::uint64_t collisions;
  std::uint64_t track_fixed;  // track length inside the slab, in units of 2^-32 mean free paths
};

// Fixed-point scale for track lengths: exact integer sums, 2^-32 mfp resolution.
inline constexpr double track_scale = 4294967296.0;

// One particle history. `next_double` yields uniform doubles in [0, 1) from the history's own
// stream (Generator.random() semantics).
template <class Uniform>
history_outcome run_history(const slab& s, Uniform&& next_double) {
  double x = 0.0;
  double mu = 1.0;
  history_outcome out{fate::absorbed, 0, 0};
  double track = 0.0;
  while (true) {
    // 1 - u lies in (0, 1], so the logarithm is finite.
    const double distance = -std::log1p(-next_double());
    const double x_next = x + mu * distance;
    if (x_next < 0.0 || x_next > s.thickness) {
      track += (x_next < 0.0 ? x : s.thickness - x) / std::abs(mu);
      out.end = x_next < 0.0 ? fate::reflected : fate::transmitted;
      break;
    }
    track += distance;
    x = x_next;
    ++out.collisions;
    if (next_double() >= s.scattering_ratio) {
      out.end = fate::absorbed;
      break;
    }
    mu = 2.0 * next_double() - 1.0;
  }
  out.track_fixed = static_cast<std::uint64_t>(std::llround(track * track_scale));
  return out;
}

// Integer tallies over many histories; exact and order-independent.
struct tallies {
  std::uint64_t histories = 0;
  std::array<std::uint64_t, 3> fates{};  // indexed by fate
  std::uint64_t collisions = 0;
  uint128 collisions_squared = 0;
  uint128 track_fixed = 0;

  void add(const history_outcome& h) noexcept {
    ++histories;
    ++fates[static_cast<std::size_t>(h.end)];
    collisions += h.collisions;
    collisions_squared += static_cast<uint128>(h.collisions) * h.collisions;
    track_fixed += h.track_fixed;
  }
  void merge(const tallies& o) noexcept {
    histories += o.histories;
    for (std::size_t i = 0; i < fates.size(); ++i) fates[i] += o.fates[i];
    collisions += o.collisions;
    collisions_squared += o.collisions_squared;
    track_fixed += o.track_fixed;
  }
  friend bool operator==(const tallies&, const tallies&) = default;
};

// A probability estimate with its standard error.
struct estimate {
  double mean;
  double std_error;
};

// Fraction of histories that ended in `f`, with the binomial standard error.
estimate fraction(const tallies& t, fate f);
// Mean collisions per history, with its standard error.
estimate mean_collisions(const tallies& t);
// 64-bit FNV-1a over the tallies' bits, printed as 16 hex digits: equal tallies, equal checksum.
std::string checksum(const tallies& t);

}  // namespace streamalloc::mc
