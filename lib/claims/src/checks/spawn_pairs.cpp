// The 2-D sweep of one spawn_pairs space (spawn_check.cpp): under head words H, long runs of
// two-word components k in [a, b] (words H ++ [low(k), high(k)]) against one-word pools
// H ++ [x, y] for y in [y0, y1] ("segments"). Both are pools H ++ [x, y]; with x across and y
// down, a segment is a vertical segment and a run is the rows it covers: row high(a) from
// column low(a), full rows in between (a band), row high(b) up to column low(b). A run that
// is one interval of k is thus at most two row pieces and a band, and the sweep is the classic
// orthogonal-segment one: O(n log n), exact, deterministic. Runs against runs are intervals of
// k and take the holder sweep.
#include <algorithm>
#include <queue>
#include <set>
#include <tuple>

#include "src/checks/checker.hpp"

namespace streamalloc::claims::sweep {
namespace {

constexpr std::uint64_t low_mask = (std::uint64_t{1} << 32) - 1;

struct run {
  std::uint64_t a, b, ref;
};
struct segment {
  std::uint64_t x, y0, y1, ref;
};
struct row_piece {
  std::uint64_t y, x0, x1, ref;
};
struct band {
  std::uint64_t y0, y1, ref;
};

}  // namespace

void sweep_spawn_pairs(std::span<const identity_span> space, std::vector<candidate>& out) {
  const auto family = static_cast<std::uint64_t>(span_family::spawn_pairs);
  std::vector<run> runs;
  std::vector<segment> segments;
  for (const identity_span& s : space) {
    if ((s.tag & 1) != 0) {
      segments.push_back({s.lo >> 32, s.lo & low_mask, s.hi & low_mask, s.ref});
    } else {
      runs.push_back({s.lo, s.hi, s.ref});
    }
  }
  // Runs against runs (they arrive in span order: by a, then ref).
  for (std::size_t i = 1, h = 0; i < runs.size(); ++i) {
    if (runs[i].a <= runs[h].b) out.push_back({runs[h].ref, runs[i].ref, family});
    if (runs[i].b > runs[h].b) h = i;
  }
  if (segments.empty()) return;

  std::vector<row_piece> pieces;
  std::vector<band> bands;
  for (const run& r : runs) {
    const std::uint64_t h0 = r.a >> 32;
    const std::uint64_t h1 = r.b >> 32;
    if (h0 == h1) {
      pieces.push_back({h0, r.a & low_mask, r.b & low_mask, r.ref});
      continue;
    }
    pieces.push_back({h0, r.a & low_mask, low_mask, r.ref});
    pieces.push_back({h1, 0, r.b & low_mask, r.ref});
    if (h1 - h0 >= 2) bands.push_back({h0 + 1, h1 - 1, r.ref});
  }

  // Segments by where they start, with the furthest reach so far (first such segment).
  std::sort(segments.begin(), segments.end(), [](const segment& p, const segment& q) {
    return std::tie(p.y0, p.x, p.ref, p.y1) < std::tie(q.y0, q.x, q.ref, q.y1);
  });
  std::vector<std::size_t> reach(segments.size());
  for (std::size_t i = 0; i < segments.size(); ++i) {
    reach[i] = (i == 0 || segments[i].y1 > segments[reach[i - 1]].y1) ? i : reach[i - 1];
  }
  // Bands: every column, so any segment whose rows meet the band's.
  for (const band& b : bands) {
    const auto end = std::upper_bound(segments.begin(), segments.end(), b.y1,
                                      [](std::uint64_t y, const segment& s) { return y < s.y0; });
    if (end == segments.begin()) continue;
    const segment& best = segments[reach[static_cast<std::size_t>(end - segments.begin()) - 1]];
    if (best.y1 >= b.y0) out.push_back({b.ref, best.ref, family});
  }

  // Row pieces, row by row: the segments alive at that row, by column.
  std::sort(pieces.begin(), pieces.end(), [](const row_piece& p, const row_piece& q) {
    return std::tie(p.y, p.x0, p.ref, p.x1) < std::tie(q.y, q.x0, q.ref, q.x1);
  });
  std::set<std::pair<std::uint64_t, std::uint64_t>> alive;  // (column, ref)
  using expiry = std::pair<std::uint64_t, std::pair<std::uint64_t, std::uint64_t>>;
  std::priority_queue<expiry, std::vector<expiry>, std::greater<>> ends;  // (y1, (column, ref))
  std::size_t next = 0;
  for (const row_piece& p : pieces) {
    for (; next < segments.size() && segments[next].y0 <= p.y; ++next) {
      const auto key = std::pair{segments[next].x, segments[next].ref};
      alive.insert(key);
      ends.push({segments[next].y1, key});
    }
    while (!ends.empty() && ends.top().first < p.y) {
      alive.erase(ends.top().second);
      ends.pop();
    }
    const auto hit = alive.lower_bound({p.x0, 0});
    if (hit != alive.end() && hit->first <= p.x1) out.push_back({p.ref, hit->second, family});
  }
}

}  // namespace streamalloc::claims::sweep
