#include "streamalloc/campaign.hpp"

#include <string>

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

campaign::campaign(seed_entropy root, strategy how, std::size_t pool_size, job_layout jobs)
    : root_(std::move(root)),
      how_(how),
      pool_size_(pool_size),
      jobs_(jobs),
      philox_root_key_(root_key_of(seed_sequence(root_, {}, pool_size))),
      jumped_root_(seed_sequence(root_, {}, pool_size)) {}

seed_sequence campaign::spawn_sequence(job_index job, const task_path& path) const {
  std::vector<big_uint> key;
  key.reserve(path.depth() + 1);
  key.emplace_back(job.value());
  for (const auto part : path.parts()) key.emplace_back(part);
  return seed_sequence(root_, std::move(key), pool_size_);
}

std::uint64_t campaign::jump_count(job_index job, jump_index index) const {
  if (jobs_ == job_layout::shared) return index.value();
  if (index.value() >= jump_indices_per_job) {
    throw invalid_argument("jump index " + std::to_string(index.value()) +
                           " is outside its job's region: each job owns 2^40 = " +
                           std::to_string(jump_indices_per_job) + " jump indices");
  }
  if (job.value() >= max_jumped_jobs) {
    throw invalid_argument("job index " + std::to_string(job.value()) +
                           " is beyond the jumped strategy's " + std::to_string(max_jumped_jobs) +
                           " jobs (2^22; each owns 2^40 jump indices)");
  }
  return (job.value() << 40) + index.value();
}

}  // namespace streamalloc
