#include "streamalloc/campaign.hpp"

#include "streamalloc/error.hpp"

namespace streamalloc {

std::string_view to_string(strategy s) noexcept {
  switch (s) {
    case strategy::spawn: return "spawn";
    case strategy::philox: return "philox";
    case strategy::jumped: return "jumped";
  }
  return "?";
}

strategy parse_strategy(std::string_view text, std::string_view what) {
  for (const strategy s : {strategy::spawn, strategy::philox, strategy::jumped}) {
    if (text == to_string(s)) return s;
  }
  throw invalid_argument(std::string(what) + ": '" + std::string(text) +
                         "' is not a strategy (expected spawn, philox or jumped)");
}

namespace {

uint128 root_key_of(const seed_sequence& root) {
  const auto key = philox(root).key();
  return make_uint128(key[1], key[0]);
}

}  // namespace

campaign::campaign(seed_entropy root, strategy how, std::size_t pool_size)
    : root_(std::move(root)),
      how_(how),
      pool_size_(pool_size),
      philox_root_key_(root_key_of(seed_sequence(root_, {}, pool_size))),
      jumped_root_(seed_sequence(root_, {}, pool_size)) {}

seed_sequence campaign::spawn_sequence(job_index job, const task_path& path) const {
  std::vector<big_uint> key;
  key.reserve(path.depth() + 1);
  key.emplace_back(job.value());
  for (const auto part : path.parts()) key.emplace_back(part);
  return seed_sequence(root_, std::move(key), pool_size_);
}


}  // namespace streamalloc
