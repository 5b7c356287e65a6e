#include "streamalloc/claims/record_stream.hpp"

#include <algorithm>
#include <string>

#include "streamalloc/big_uint.hpp"
#include "streamalloc/error.hpp"

namespace streamalloc::claims {
namespace {

std::string hex(uint128 v) { return big_uint::from_uint128(v).to_hex(); }

// "SeedSequence(7)", "SeedSequence([0, 0], pool_size=8)", with a spawn key if given.
std::string seed_sequence_expression(const campaign& origin,
                                     const std::vector<std::uint64_t>& spawn_key) {
  std::string out = "SeedSequence(" + origin.root().to_string();
  if (!spawn_key.empty()) out += ", spawn_key=" + task_path(spawn_key).to_string();
  if (origin.pool_size() != seed_sequence::default_pool_size) {
    out += ", pool_size=" + std::to_string(origin.pool_size());
  }
  return out + ")";
}

bool holds(const claim& c, std::uint64_t index) { return index >= c.first && index <= c.last(); }

// The streams of `c` that serve `task`.
void streams_for_task(const claim& c, const std::vector<std::uint64_t>& task,
                      std::vector<std::uint64_t>& out) {
  if (!c.task) return;
  const task_path wanted(task);
  if (!c.task_lockstep) {
    if (*c.task != wanted) return;
    for (std::uint64_t i = c.first;; ++i) {
      out.push_back(i);
      if (i == c.last()) break;
    }
    return;
  }
  // Lockstep: stream first + k serves the task with its last component advanced by k.
  const auto& base = c.task->parts();
  if (base.size() != task.size() || base.empty()) return;
  for (std::size_t i = 0; i + 1 < base.size(); ++i) {
    if (base[i] != task[i]) return;
  }
  if (task.back() < base.back() || task.back() - base.back() > c.count - 1) return;
  out.push_back(c.first + (task.back() - base.back()));
}

}  // namespace

std::string describe(const stream_selector& selector) {
  switch (selector.by) {
    case stream_selector::key::task: return "task " + task_path(selector.value).to_string();
    case stream_selector::key::stream_id:
      return "philox stream ID " + std::to_string(selector.value.at(0));
    case stream_selector::key::jump_index:
      return "jump index " + std::to_string(selector.value.at(0));
    case stream_selector::key::spawn_path:
      return "spawn path " + task_path(selector.value).to_string();
  }
  return "?";
}

found_streams find_streams(const std::filesystem::path& manifest, const stream_selector& selector) {
  manifest_reader reader(manifest);
  found_streams out{reader.header(), {}};
  std::vector<std::uint64_t> indices;
  reader.read([&](const claim& c, const claim_location& at) {
    if (at.update) return;
    indices.clear();
    switch (selector.by) {
      case stream_selector::key::task: streams_for_task(c, selector.value, indices); break;
      case stream_selector::key::stream_id:
        if (c.kind == claim_kind::philox_id && holds(c, selector.value.at(0))) {
          indices.push_back(selector.value.at(0));
        }
        break;
      case stream_selector::key::jump_index:
        if (c.kind == claim_kind::jump_index && holds(c, selector.value.at(0))) {
          indices.push_back(selector.value.at(0));
        }
        break;
      case stream_selector::key::spawn_path: {
        const auto& path = selector.value;
        if (c.kind == claim_kind::spawn_path && !path.empty() && holds(c, path.back()) &&
            std::equal(c.prefix.begin(), c.prefix.end(), path.begin(), path.end() - 1) &&
            c.prefix.size() + 1 == path.size()) {
          indices.push_back(path.back());
        }
        break;
      }
    }
    for (const std::uint64_t index : indices) {
      out.streams.push_back({c, index, at.file->string() + ":" + std::to_string(at.line)});
    }
  });
  return out;
}

std::string numpy_expression(const campaign& origin, const claim& c, std::uint64_t index,
                             bit_generator_kind family) {
  switch (c.kind) {
    case claim_kind::philox_id: return "Philox(key=" + hex(philox_key_of(origin, c, index)) + ")";
    case claim_kind::jump_index:
      return "PCG64(" + seed_sequence_expression(origin, {}) + ").jumped(" +
             std::to_string(jump_count_of(origin, c, index)) + ")";
    case claim_kind::spawn_path: {
      std::vector<std::uint64_t> key = {c.job.value()};
      key.insert(key.end(), c.prefix.begin(), c.prefix.end());
      key.push_back(index);
      return std::string(numpy_name(family)) + "(" + seed_sequence_expression(origin, key) + ")";
    }
    case claim_kind::philox_position: {
      const big_uint counter =
          big_uint::from_uint128(c.position) + (big_uint::from_uint128(c.position_high) << 128);
      return "Philox(key=" + hex(c.sequence) + ", counter=" + counter.to_hex() + ")";
    }
    case claim_kind::pcg64_position: return "PCG64() with the state below";
  }
  return "?";
}

any_bit_generator stream_generator(const campaign& origin, const claim& c, std::uint64_t index,
                                   bit_generator_kind family) {
  switch (c.kind) {
    case claim_kind::philox_id: {
      const uint128 key = philox_key_of(origin, c, index);
      return philox::from_words({low64(key), high64(key)}, {0, 0, 0, 0});
    }
    case claim_kind::jump_index:
      return origin.jumped_root().jumped(big_uint::from_uint128(jump_count_of(origin, c, index)));
    case claim_kind::spawn_path: {
      std::vector<std::uint64_t> path = c.prefix;
      path.push_back(index);
      return any_bit_generator(family, origin.spawn_sequence(c.job, task_path(std::move(path))));
    }
    case claim_kind::philox_position:
      return philox::from_words(
          {low64(c.sequence), high64(c.sequence)},
          {low64(c.position), high64(c.position), low64(c.position_high), high64(c.position_high)});
    case claim_kind::pcg64_position: return pcg64::from_lcg_state(c.position, c.sequence);
  }
  throw invalid_argument("stream_generator: unknown claim kind");
}

}  // namespace streamalloc::claims
