#include "src/manifest/claim_text.hpp"

#include <charconv>

#include "streamalloc/big_uint.hpp"

namespace streamalloc::claims::detail {
namespace {

void append_u64(std::string& out, std::uint64_t v) {
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, v).ptr;
  out.append(digits, end);
}

void append_u128(std::string& out, uint128 v) {
  if (high64(v) == 0) {
    append_u64(out, low64(v));
  } else {
    out += big_uint::from_uint128(v).to_string();
  }
}

void append_list(std::string& out, const std::vector<std::uint64_t>& values) {
  out += '[';
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i != 0) out += ", ";
    append_u64(out, values[i]);
  }
  out += ']';
}

}  // namespace

void append_claim_text(std::string& out, const claim& c) {
  // The fields, in to_json's order and presence rules (record_json.hpp).
  out += "{\"kind\": \"";
  out += to_string(c.kind);
  out += "\", \"first\": ";
  append_u64(out, c.first);
  out += ", \"count\": ";
  append_u64(out, c.count);
  out += ", \"job\": ";
  append_u64(out, c.job.value());
  out += ", \"owner\": ";
  append_u64(out, c.owner.value());
  if (!c.prefix.empty()) {
    out += ", \"prefix\": ";
    append_list(out, c.prefix);
  }
  if (c.kind == claim_kind::philox_position || c.kind == claim_kind::pcg64_position) {
    out += ", \"sequence\": ";
    append_u128(out, c.sequence);
    out += ", \"position\": ";
    append_u128(out, c.position);
  }
  if (c.position_high != 0) {
    out += ", \"position_high\": ";
    append_u128(out, c.position_high);
  }
  if (c.task) {
    out += ", \"task\": ";
    append_list(out, c.task->parts());
  }
  if (c.task_lockstep) out += ", \"task_lockstep\": true";
  if (c.budget != unlimited_budget) {
    out += ", \"budget\": ";
    append_u128(out, c.budget);
  }
  if (c.used != 0) {
    out += ", \"used\": ";
    append_u128(out, c.used);
  }
  out += '}';
}

}  // namespace streamalloc::claims::detail
