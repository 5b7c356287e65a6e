// stream_set: creation, reseeding, snapshots and restore. The streams follow NumPy's
// SeedSequence.spawn (numpy/random/bit_generator.pyx): child i has spawn key spawn_key + (i,),
// and spawn() numbers children from n_children_spawned, which the set uses as its first index.
#include "streamalloc/stream_set/stream_set.hpp"

#include <limits>
#include <string>

#include "streamalloc/error.hpp"

namespace streamalloc {
namespace {

constexpr std::uint64_t max_u64 = std::numeric_limits<std::uint64_t>::max();

void check_family(bit_generator_kind family, std::string_view what) {
  switch (family) {
    case bit_generator_kind::pcg64:
    case bit_generator_kind::pcg64dxsm:
    case bit_generator_kind::philox:
    case bit_generator_kind::sfc64:
    case bit_generator_kind::mt19937: return;
  }
  throw invalid_argument(std::string(what) + ": bit_generator_kind " +
                         std::to_string(static_cast<int>(family)) +
                         " is not a bit generator family (expected pcg64, pcg64dxsm, philox, "
                         "sfc64 or mt19937)");
}

// N + index, the spawn-key entry of variable `index`.
std::uint64_t child_number(const seed_sequence& meta, std::uint64_t index) {
  const std::uint64_t first = meta.n_children_spawned();
  if (index > max_u64 - first) {
    throw invalid_argument("stream_set: variable " + std::to_string(index) +
                           " would use child n_children_spawned + " + std::to_string(index) +
                           " = " + std::to_string(first) + " + " + std::to_string(index) +
                           " of the meta seed, expected a child number below 2**64");
  }
  return first + index;
}

std::string describe_variable(bit_generator_kind family, const distribution_description& d) {
  return d.to_string() + " on " + std::string(numpy_name(family));
}

std::string describe_meta(const seed_sequence& meta) {
  std::string key = "(";
  for (std::size_t i = 0; i < meta.spawn_key().size(); ++i) {
    if (i != 0) key += ", ";
    key += meta.spawn_key()[i].to_string();
  }
  if (meta.spawn_key().size() == 1) key += ",";
  key += ")";
  return "SeedSequence(" + cut_for_message(meta.entropy().to_string()) +
         ", spawn_key=" + cut_for_message(key) + ", pool_size=" + std::to_string(meta.pool_size()) +
         ", n_children_spawned=" + std::to_string(meta.n_children_spawned()) + ")";
}

}  // namespace

bool same_state(const any_bit_generator& a, const any_bit_generator& b) noexcept {
  return a.engine() == b.engine();
}

bool operator==(const stream_variable_state& a, const stream_variable_state& b) {
  return a.index == b.index && a.family == b.family && a.distribution == b.distribution &&
         same_state(a.before, b.before) && same_state(a.now, b.now);
}

bool operator==(const stream_set_snapshot& a, const stream_set_snapshot& b) {
  return a.meta == b.meta && a.variables == b.variables;
}

stream_set::stream_set(seed_sequence meta, bit_generator_kind family)
    : meta_(std::move(meta)), family_(family) {
  check_family(family, "stream_set");
}

seed_sequence stream_set::child_seed(std::uint64_t index) const {
  return meta_.child(child_number(meta_, index));
}

detail::stream_slot& stream_set::add_slot(bit_generator_kind family,
                                          distribution_description description) {
  check_family(family, "stream_set variable");
  const auto index = static_cast<std::uint64_t>(slots_.size());
  any_bit_generator engine(family, child_seed(index));
  slots_.reserve(slots_.size() + 1);  // so that push_back below cannot throw
  auto slot = std::make_unique<detail::stream_slot>(
      detail::stream_slot{index, family, std::move(description), engine, engine});
  // Last, after everything that can fail: a claim recorded by the hook is never left without
  // its variable (bar the hook's own failure, which records nothing).
  if (claim_hook_) claim_hook_(stream_set_claim{meta_, child_number(meta_, index), 1, false});
  detail::stream_slot& result = *slot;
  slots_.push_back(std::move(slot));
  return result;
}

void stream_set::seed(seed_sequence new_meta) {
  std::vector<any_bit_generator> engines;
  engines.reserve(slots_.size());
  for (const auto& slot : slots_) {
    engines.emplace_back(slot->family, new_meta.child(child_number(new_meta, slot->index)));
  }
  if (claim_hook_ && !slots_.empty()) {
    claim_hook_(stream_set_claim{new_meta, child_number(new_meta, 0),
                                 static_cast<std::uint64_t>(slots_.size()), true});
  }
  for (std::size_t k = 0; k < slots_.size(); ++k) {
    slots_[k]->engine = engines[k];
    slots_[k]->mark = std::move(engines[k]);
  }
  meta_ = std::move(new_meta);
}

stream_set_snapshot stream_set::snapshot() {
  stream_set_snapshot result{meta_, {}};
  result.variables.reserve(slots_.size());
  for (const auto& slot : slots_) {
    result.variables.push_back(stream_variable_state{slot->index, slot->family, slot->distribution,
                                                     slot->mark, slot->engine});
  }
  // Only now, when nothing can throw any more, do the current states become the marks.
  for (const auto& slot : slots_) slot->mark = slot->engine;
  return result;
}

void stream_set::restore(const stream_set_snapshot& snapshot) {
  const std::string what = "stream_set restore";
  if (!snapshot.meta.same_pool(meta_) ||
      snapshot.meta.n_children_spawned() != meta_.n_children_spawned()) {
    throw invalid_argument(what + ": the snapshot belongs to a set seeded from " +
                           describe_meta(snapshot.meta) + ", this set is seeded from " +
                           describe_meta(meta_) +
                           " (call seed() with the snapshot's meta seed first to go back to it)");
  }
  if (snapshot.variables.size() != slots_.size()) {
    throw invalid_argument(what + ": the snapshot has " +
                           std::to_string(snapshot.variables.size()) +
                           " variables, expected this set's " + std::to_string(slots_.size()));
  }
  for (std::size_t k = 0; k < slots_.size(); ++k) {
    const auto& saved = snapshot.variables[k];
    const auto& slot = *slots_[k];
    const std::string variable = what + ": variable " + std::to_string(k);
    if (saved.index != slot.index) {
      throw invalid_argument(variable + " has index " + std::to_string(saved.index) +
                             " in the snapshot, expected " + std::to_string(slot.index));
    }
    if (saved.family != slot.family || saved.distribution != slot.distribution) {
      throw invalid_argument(variable + " draws " +
                             describe_variable(saved.family, saved.distribution) +
                             " in the snapshot, expected this set's " +
                             describe_variable(slot.family, slot.distribution));
    }
    if (saved.now.kind() != slot.family || saved.before.kind() != slot.family) {
      throw invalid_argument(variable + ": the snapshot's states are of " +
                             std::string(numpy_name(saved.before.kind())) + " and " +
                             std::string(numpy_name(saved.now.kind())) + ", expected " +
                             std::string(numpy_name(slot.family)));
    }
  }
  std::vector<any_bit_generator> states;
  states.reserve(slots_.size());
  for (const auto& saved : snapshot.variables) states.push_back(saved.now);
  for (std::size_t k = 0; k < slots_.size(); ++k) {
    slots_[k]->engine = states[k];
    slots_[k]->mark = std::move(states[k]);
  }
}

}  // namespace streamalloc
