// Philox identities: a stream is a 128-bit key and the counter blocks its draws use, blocks
// counter + 1 .. counter + ceil(budget / 4) of a 256-bit counter (NumPy increments the counter
// before computing a block of four words). Two families:
//   philox_keys    streams starting at block 1 (stream IDs of a campaign, hand-built streams at
//                  counter 0): a run of IDs is a run of consecutive keys, one span. Two such
//                  streams on one key share block 1. Hand-built streams at another counter whose
//                  blocks reach into [1, 2^62] (where key-start streams draw: at most 2^62
//                  blocks) probe the key, tagged with their first block there.
//   philox_blocks  hand-built streams, by block number, per key: two meet iff they share a
//                  block.
#include <algorithm>

#include "src/checks/checker.hpp"

namespace streamalloc::claims::sweep {
namespace {

constexpr std::uint64_t u64_max = ~std::uint64_t{0};
// Blocks a stream starting at block 1 can use (2^64 draws at most).
constexpr std::uint64_t key_start_reach = std::uint64_t{1} << 62;

space_id key_space(std::uint64_t key_high) noexcept {
  return {std::uint64_t{static_cast<std::uint8_t>(span_family::philox_keys)} << 56, key_high};
}

space_id block_space(uint128 key, const u256& block) noexcept {
  fingerprint fp;
  fp.add(key);
  fp.add(block[3]);
  fp.add(block[2]);
  fp.add(block[1]);
  return fp.space(span_family::philox_blocks);
}

// The first block of a hand-built stream (counter + 1, mod 2^256).
u256 first_block(const claim& c) noexcept { return add(counter_of(c), 1); }

// The smallest block within [1, 2^62] among the `blocks` blocks from `first` (mod 2^256), if
// any: where a hand-built stream can meet streams that start at block 1.
std::optional<std::uint64_t> first_block_near_start(const u256& first, std::uint64_t blocks) {
  const bool low_only = first[1] == 0 && first[2] == 0 && first[3] == 0;
  if (low_only && first[0] >= 1 && first[0] <= key_start_reach) return first[0];
  const u256 last = add(first, blocks - 1);
  if (low_only && first[0] == 0) {  // counter 2^256 - 1: blocks 0, 1, ...
    if (blocks >= 2) return std::uint64_t{1};
    return std::nullopt;
  }
  // Past 2^62: only a wrap past 2^256 - 1 comes back, to [0, last].
  if (less(last, first) && !(last[0] == 0 && last[1] == 0 && last[2] == 0 && last[3] == 0)) {
    return std::uint64_t{1};
  }
  return std::nullopt;
}

// The ID of a philox_id claim whose key is `key`.
std::uint64_t id_of_key(const campaign& origin, const claim& c, uint128 key) {
  return low64(key - philox_key_of(origin, c, 0));
}

// A Philox claim as the judge sees it: its keys, the first block and how many it uses.
struct philox_view {
  uint128 key = 0;    // first key
  uint128 extra = 0;  // keys key .. key + extra (ID runs)
  u256 first{};       // first block
  std::uint64_t blocks = 0;
  bool key_start = false;  // starts at block 1
};

philox_view view_of(const sourced_claim& s) {
  const claim& c = s.what;
  philox_view v;
  v.blocks = philox_blocks(c);
  if (c.kind == claim_kind::philox_id) {
    v.key = philox_key_of(*s.origin, c, c.first);
    v.extra = c.count - 1;
    v.first = {1, 0, 0, 0};
    v.key_start = true;
  } else {
    v.key = c.sequence;
    v.first = first_block(c);
    v.key_start = v.first == u256{1, 0, 0, 0};
  }
  return v;
}

// The first key both views hold (cyclic intervals of keys), if any.
std::optional<uint128> common_key(const philox_view& a, const philox_view& b) {
  if (b.key - a.key <= a.extra) return b.key;
  if (a.key - b.key <= b.extra) return a.key;
  return std::nullopt;
}

// The first block both use, if any (cyclic intervals of 2^256 blocks).
std::optional<u256> common_block(const philox_view& a, const philox_view& b) {
  const u256 ahead = subtract(b.first, a.first);
  if (less(ahead, u256{a.blocks, 0, 0, 0})) return b.first;
  const u256 behind = subtract(a.first, b.first);
  if (less(behind, u256{b.blocks, 0, 0, 0})) return a.first;
  return std::nullopt;
}

std::string name_at(const sourced_claim& s, uint128 key) {
  const claim& c = s.what;
  return describe_stream(c, c.kind == claim_kind::philox_id ? id_of_key(*s.origin, c, key) : 0);
}

std::optional<judgement> judge_keys(const sourced_claim& a, const sourced_claim& b) {
  const philox_view va = view_of(a);
  const philox_view vb = view_of(b);
  const auto key = common_key(va, vb);
  if (!key) return std::nullopt;
  const std::string both = name_at(a, *key) + " and " + name_at(b, *key);
  if (va.key_start && vb.key_start) {
    if (a.what.kind == claim_kind::philox_id && b.what.kind == claim_kind::philox_id &&
        same_campaign(a, b)) {
      // One ID of one campaign taken twice (same key: same job and ID, or the same ID of the
      // shared layout).
      const bool single = a.what.count == 1 && b.what.count == 1;
      return judgement{conflict_kind::same_descriptor,
                       single ? "taken twice" : name_at(a, *key) + " taken twice"};
    }
    return judgement{conflict_kind::same_identity, both + " are the same stream (Philox key " +
                                                       hex(*key) + ", first counter block 0x1)" +
                                                       campaigns_note(a, b)};
  }
  // A hand-built stream at another counter, inside the blocks of a key-start stream.
  if (!va.key_start && !vb.key_start) return std::nullopt;
  const philox_view& start = va.key_start ? va : vb;
  const philox_view& other = va.key_start ? vb : va;
  const auto block = first_block_near_start(other.first, other.blocks);
  if (!block || *block > start.blocks) return std::nullopt;
  return judgement{conflict_kind::overlap, both + " both use counter block " +
                                               hex(u256{*block, 0, 0, 0}) + " of Philox key " +
                                               hex(*key)};
}

std::optional<judgement> judge_blocks(const sourced_claim& a, const sourced_claim& b) {
  if (a.what.sequence != b.what.sequence) return std::nullopt;  // a fingerprint collision
  const philox_view va = view_of(a);
  const philox_view vb = view_of(b);
  const auto block = common_block(va, vb);
  if (!block) return std::nullopt;
  const std::string both = name_at(a, va.key) + " and " + name_at(b, vb.key);
  if (va.first == vb.first) {
    return judgement{conflict_kind::same_identity, both + " are the same stream (Philox key " +
                                                       hex(va.key) + ", first counter block " +
                                                       hex(va.first) + ")" + campaigns_note(a, b)};
  }
  return judgement{conflict_kind::overlap, both + " both use counter block " + hex(*block) +
                                               " of Philox key " + hex(va.key)};
}

}  // namespace

void key_spans(uint128 k0, uint128 extra, std::uint64_t blocks, std::uint64_t ref,
               std::vector<identity_span>& out) {
  const uint128 k1 = k0 + extra;
  if (high64(k0) == high64(k1) && low64(k0) <= low64(k1)) {
    out.push_back(make_span(key_space(high64(k0)), low64(k0), low64(k1), blocks, ref));
    return;
  }
  out.push_back(make_span(key_space(high64(k0)), low64(k0), u64_max, blocks, ref));
  out.push_back(make_span(key_space(high64(k1)), 0, low64(k1), blocks, ref));
}

void philox_spans(const campaign_facts& /*facts*/, const campaign& origin, const claim& c,
                  std::uint64_t ref, std::vector<identity_span>& out) {
  const std::uint64_t blocks = philox_blocks(c);
  if (c.kind == claim_kind::philox_id) {
    key_spans(philox_key_of(origin, c, c.first), c.count - 1, blocks, ref, out);
    return;
  }
  // A hand-built stream: its blocks, per key ...
  const uint128 key = c.sequence;
  const u256 first = first_block(c);
  const std::uint64_t last_low = first[0] + (blocks - 1);
  if (last_low >= first[0]) {
    out.push_back(make_span(block_space(key, first), first[0], last_low, 0, ref));
  } else {  // past a multiple of 2^64 blocks (blocks <= 2^62: at most once)
    out.push_back(make_span(block_space(key, first), first[0], u64_max, 0, ref));
    const u256 next = add(first, blocks - 1);
    out.push_back(make_span(block_space(key, next), 0, next[0], 0, ref));
  }
  // ... and among the streams that start at block 1: one of them, or a probe.
  if (first == u256{1, 0, 0, 0}) {
    key_spans(key, 0, blocks, ref, out);
  } else if (const auto near = first_block_near_start(first, blocks)) {
    out.push_back(
        make_span(key_space(high64(key)), low64(key), low64(key), probe_bit | *near, ref));
  }
}

std::optional<judgement> judge_philox(span_family family, const sourced_claim& a,
                                      const sourced_claim& b) {
  return family == span_family::philox_keys ? judge_keys(a, b) : judge_blocks(a, b);
}

}  // namespace streamalloc::claims::sweep
