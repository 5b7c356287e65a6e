#include "streamalloc/claims/claim.hpp"
#include "streamalloc/claims/record_json.hpp"

#include <array>
#include <limits>

#include "streamalloc/big_uint.hpp"
#include "streamalloc/error.hpp"

namespace streamalloc::claims {
namespace {

constexpr std::array all_kinds = {claim_kind::spawn_path, claim_kind::philox_id,
                                  claim_kind::jump_index, claim_kind::philox_position,
                                  claim_kind::pcg64_position};

bool is_position_kind(claim_kind kind) noexcept {
  return kind == claim_kind::philox_position || kind == claim_kind::pcg64_position;
}

std::string hex(uint128 value) { return big_uint::from_uint128(value).to_hex(); }

// The full 256-bit Philox counter as one hex number, as NumPy's state dict would sum it up.
std::string philox_counter_hex(const claim& c) {
  return ((big_uint::from_uint128(c.position_high) << 128) + big_uint::from_uint128(c.position))
      .to_hex();
}

// "(J, p1, p2, " — a spawn path up to its last component, job first.
std::string spawn_head(const claim& c) {
  // Appended piece by piece: `"(" + std::to_string(..)` trips GCC 12's -Wrestrict false
  // positive at -O3 (GCC PR 105329), which -Werror Release builds must not see.
  std::string out = "(";
  out += std::to_string(c.job.value());
  for (const auto part : c.prefix) out += ", " + std::to_string(part);
  return out + ", ";
}

std::string owner_suffix(const claim& c) {
  std::string out = " (";
  if (c.kind != claim_kind::spawn_path && c.job.value() != 0) {
    out += "job " + std::to_string(c.job.value()) + ", ";
  }
  out += "rank " + std::to_string(c.owner.value());
  if (c.task && c.task_lockstep) {
    out += ", tasks " + c.task->to_string() + " to " + task_of(c, c.last())->to_string();
  } else if (c.task) {
    out += ", task " + c.task->to_string();
  }
  return out + ")";
}

uint128 read_u128(const json& value, const std::string& what) {
  const big_uint big = json_to_big(value, what);
  if (big.bit_length() > 128) {
    throw invalid_argument(what + ": got " + cut_for_message(big.to_string()) +
                           ", expected an integer below 2^128");
  }
  return big.low_u128();
}

std::vector<std::uint64_t> read_u64_list(const json& value, const std::string& what) {
  if (!value.is_array()) {
    throw invalid_argument(what + ": got " + describe_json(value) +
                           ", expected a list of non-negative integers below 2^64");
  }
  std::vector<std::uint64_t> out;
  out.reserve(value.size());
  for (std::size_t i = 0; i < value.size(); ++i) {
    out.push_back(json_to_u64(value[i], what + " entry " + std::to_string(i)));
  }
  return out;
}

json u64_list_json(const std::vector<std::uint64_t>& values) {
  json out = json::array();
  for (const auto v : values) out.push_back(v);
  return out;
}

json u128_json(uint128 value) { return big_to_json(big_uint::from_uint128(value)); }

constexpr std::array known_fields = {
    "kind",     "first",         "count", "job",           "owner",  "prefix", "sequence",
    "position", "position_high", "task",  "task_lockstep", "budget", "used"};

}  // namespace

std::string_view to_string(claim_kind kind) noexcept {
  switch (kind) {
    case claim_kind::spawn_path: return "spawn_path";
    case claim_kind::philox_id: return "philox_id";
    case claim_kind::jump_index: return "jump_index";
    case claim_kind::philox_position: return "philox_position";
    case claim_kind::pcg64_position: return "pcg64_position";
  }
  return "?";
}

claim_kind parse_claim_kind(std::string_view text, std::string_view what) {
  for (const auto kind : all_kinds) {
    if (text == to_string(kind)) return kind;
  }
  throw invalid_argument(std::string(what) + ": '" + std::string(text) +
                         "' is not a claim kind (expected spawn_path, philox_id, jump_index, "
                         "philox_position or pcg64_position)");
}

std::optional<task_path> task_of(const claim& c, std::uint64_t index) {
  if (!c.task || !c.task_lockstep) return c.task;
  std::vector<std::uint64_t> parts = c.task->parts();
  parts.back() += index - c.first;
  return task_path(std::move(parts));
}

claim slice(const claim& c, std::uint64_t first, std::uint64_t count) {
  if (is_position_kind(c.kind)) return c;
  claim piece = c;
  piece.first = first;
  piece.count = count;
  if (c.task_lockstep) {
    piece.task = task_of(c, first);
    piece.task_lockstep = count > 1;
  }
  return piece;
}

std::string describe_stream(const claim& c, std::uint64_t index) {
  switch (c.kind) {
    case claim_kind::spawn_path: return "spawn path " + spawn_head(c) + std::to_string(index) + ")";
    case claim_kind::philox_id: return "philox stream ID " + std::to_string(index);
    case claim_kind::jump_index: return "jump index " + std::to_string(index);
    case claim_kind::philox_position:
      return "Philox stream (key " + hex(c.sequence) + ", counter " + philox_counter_hex(c) + ")";
    case claim_kind::pcg64_position:
      return "PCG64 stream (increment " + hex(c.sequence) + ", state " + hex(c.position) + ")";
  }
  return "?";
}

uint128 philox_key_of(const campaign& origin, const claim& c, std::uint64_t index) {
  return origin.philox_key(c.job, stream_id(index));
}

std::uint64_t jump_count_of(const campaign& origin, const claim& c, std::uint64_t index) {
  return origin.jump_count(c.job, jump_index(index));
}

std::string claim::describe() const {
  if (count == 1 || is_position_kind(kind))
    return describe_stream(*this, first) + owner_suffix(*this);
  const std::string range = std::to_string(first) + " to " + std::to_string(last());
  std::string what;
  switch (kind) {
    case claim_kind::spawn_path:
      what = "spawn paths " + spawn_head(*this) + "k) for k = " + range;
      break;
    case claim_kind::philox_id: what = "philox stream IDs " + range; break;
    case claim_kind::jump_index: what = "jump indices " + range; break;
    default: break;  // position kinds handled above
  }
  return what + owner_suffix(*this);
}

void validate(const claim& c) {
  const auto fail = [&](const std::string& why) {
    throw invalid_argument("claim " + std::string(to_string(c.kind)) + " " +
                           std::to_string(c.first) + ": " + why);
  };
  if (c.count == 0) fail("count is 0, expected at least one stream");
  if (c.count - 1 > std::numeric_limits<std::uint64_t>::max() - c.first) {
    fail("first " + std::to_string(c.first) + " + count " + std::to_string(c.count) +
         " runs past 2^64 - 1");
  }
  if (!c.prefix.empty() && c.kind != claim_kind::spawn_path) {
    fail("a prefix is only meaningful for spawn_path claims");
  }
  if (is_position_kind(c.kind)) {
    if (c.count != 1)
      fail("count is " + std::to_string(c.count) + ", expected 1 for a hand-built stream");
    if (c.kind == claim_kind::pcg64_position && (c.sequence & 1U) == 0) {
      fail("PCG64 increment " + hex(c.sequence) +
           " is even, expected an odd increment as every "
           "PCG64 has");
    }
  } else if (c.sequence != 0 || c.position != 0) {
    fail("sequence/position are only meaningful for philox_position and pcg64_position claims");
  }
  if (c.position_high != 0 && c.kind != claim_kind::philox_position) {
    fail("position_high is only meaningful for philox_position claims");
  }
  if (c.budget == 0) {
    fail("budget 0: expected at least 1 draw (64-bit word), or no budget (2^64 draws)");
  }
  if (c.budget != unlimited_budget && c.budget > max_budget) {
    fail("budget " + big_uint::from_uint128(c.budget).to_string() +
         " draws is above the limit of 2^64 = 18446744073709551616 draws that the checks can "
         "prove (see claim.hpp); give at most 2^64, or no budget");
  }
  if (c.task_lockstep) {
    if (!c.task || c.task->parts().empty()) {
      fail("task_lockstep is set but there is no task to advance, expected a non-empty task");
    }
    if (c.count == 1) fail("task_lockstep is set on a single stream, expected count > 1");
    const std::uint64_t last_part = c.task->parts().back();
    if (c.count - 1 > std::numeric_limits<std::uint64_t>::max() - last_part) {
      fail("lockstep task " + c.task->to_string() + " advanced over " + std::to_string(c.count) +
           " streams runs past 2^64 - 1");
    }
  }
}

json to_json(const claim& c) {
  json out = {{"kind", std::string(to_string(c.kind))},
              {"first", c.first},
              {"count", c.count},
              {"job", c.job.value()},
              {"owner", c.owner.value()}};
  if (!c.prefix.empty()) out["prefix"] = u64_list_json(c.prefix);
  if (is_position_kind(c.kind)) {
    out["sequence"] = u128_json(c.sequence);
    out["position"] = u128_json(c.position);
  }
  if (c.position_high != 0) out["position_high"] = u128_json(c.position_high);
  if (c.task) out["task"] = u64_list_json(c.task->parts());
  if (c.task_lockstep) out["task_lockstep"] = true;
  if (c.budget != unlimited_budget) out["budget"] = u128_json(c.budget);
  if (c.used != 0) out["used"] = u128_json(c.used);
  return out;
}

claim claim_from_json(const json& value, std::string_view what) {
  const std::string w(what);
  if (!value.is_object()) {
    throw invalid_argument(w + ": got " + describe_json(value) +
                           ", expected a claim object {\"kind\": ..., \"first\": ..., ...}");
  }
  for (const auto& item : value.items()) {
    bool known = false;
    for (const char* name : known_fields) known = known || item.key() == name;
    if (!known) {
      throw invalid_argument(w + ": unknown field '" + item.key() +
                             "' (expected kind, first, count, job, owner, prefix, sequence, "
                             "position, position_high, task, task_lockstep, budget, used)");
    }
  }
  const auto field = [&](const char* name) -> const json& { return json_field(value, name, w); };
  const auto name_of = [&](const char* name) { return w + " field '" + name + "'"; };
  claim c;
  const auto& kind = field("kind");
  if (!kind.is_string()) {
    throw invalid_argument(name_of("kind") + ": got " + describe_json(kind) +
                           ", expected a string such as \"philox_id\"");
  }
  c.kind = parse_claim_kind(kind.get<std::string>(), name_of("kind"));
  c.first = json_to_u64(field("first"), name_of("first"));
  c.count = json_to_u64(field("count"), name_of("count"));
  c.job = job_index(json_to_u64(field("job"), name_of("job")));
  c.owner = rank_id(static_cast<std::uint32_t>(
      json_to_u64(field("owner"), name_of("owner"), std::numeric_limits<std::uint32_t>::max())));
  if (value.contains("prefix")) c.prefix = read_u64_list(value["prefix"], name_of("prefix"));
  if (is_position_kind(c.kind)) {
    c.sequence = read_u128(field("sequence"), name_of("sequence"));
    c.position = read_u128(field("position"), name_of("position"));
  } else if (value.contains("sequence") || value.contains("position")) {
    throw invalid_argument(w +
                           ": fields 'sequence' and 'position' are only allowed for "
                           "philox_position and pcg64_position claims, not " +
                           kind.get<std::string>());
  }
  if (value.contains("position_high")) {
    c.position_high = read_u128(value["position_high"], name_of("position_high"));
  }
  if (value.contains("task")) c.task = task_path(read_u64_list(value["task"], name_of("task")));
  if (value.contains("task_lockstep")) {
    const auto& lockstep = value["task_lockstep"];
    if (!lockstep.is_boolean()) {
      throw invalid_argument(name_of("task_lockstep") + ": got " + describe_json(lockstep) +
                             ", expected true or false");
    }
    c.task_lockstep = lockstep.get<bool>();
  }
  if (value.contains("budget")) c.budget = read_u128(value["budget"], name_of("budget"));
  if (value.contains("used")) c.used = read_u128(value["used"], name_of("used"));
  try {
    validate(c);
  } catch (const invalid_argument& e) {
    throw invalid_argument(w + ": " + e.what());
  }
  return c;
}

}  // namespace streamalloc::claims
