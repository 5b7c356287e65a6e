#include "seed_options.hpp"

#include <string>

#include "option_values.hpp"
#include "streamalloc/error.hpp"

namespace streamalloc::cli {

void add_seed_options(po::options_description& options) {
  options.add_options()(
      "seed", po::value<std::string>()->value_name("S"),
      "entropy: a non-negative integer of any size (decimal or 0x-hex) or a comma-separated "
      "list of them (NumPy's entropy list); default: fresh OS entropy")(
      "spawn-key", po::value<std::string>()->value_name("K1,K2,..."),
      "SeedSequence spawn key: comma-separated non-negative integers (empty: no key)")(
      "pool-size", po::value<std::string>()->default_value("4")->value_name("N"),
      "SeedSequence pool size in 32-bit words (at least 4)");
}

seed_options read_seed_options(const po::variables_map& vm) {
  seed_options out;
  if (given(vm, "seed")) out.entropy = seed_entropy::parse(option_text(vm, "seed"), "--seed");
  if (given(vm, "spawn-key")) {
    out.spawn_key = parse_spawn_key(option_text(vm, "spawn-key"), "--spawn-key");
  }
  const std::string& pool = option_text(vm, "pool-size");
  const std::uint64_t pool_size = parse_count(pool, "--pool-size");
  if (pool_size < seed_sequence::default_pool_size || pool_size > seed_sequence::max_pool_size) {
    throw invalid_argument("--pool-size: got '" + pool + "', expected an integer in [" +
                           std::to_string(seed_sequence::default_pool_size) + ", " +
                           std::to_string(seed_sequence::max_pool_size) + "]");
  }
  out.pool_size = static_cast<std::size_t>(pool_size);
  return out;
}

bool any_seed_option_given(const po::variables_map& vm) {
  return given(vm, "seed") || given(vm, "spawn-key") || given(vm, "pool-size");
}

seed_sequence make_seed_sequence(const seed_options& options) {
  seed_entropy entropy = options.entropy
                             ? *options.entropy
                             : seed_entropy(seed_sequence::os_entropy(options.pool_size));
  return seed_sequence(std::move(entropy), options.spawn_key, options.pool_size);
}

}  // namespace streamalloc::cli
