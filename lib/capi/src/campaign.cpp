// streamalloc_campaign_*: a root seed and a strategy, and the streams they derive (serial).
#include <string>
#include <vector>

#include "boundary.hpp"
#include "types.hpp"

namespace streamalloc::capi {

strategy strategy_of(int value, const char* what) {
  if (value < STREAMALLOC_STRATEGY_SPAWN || value > STREAMALLOC_STRATEGY_JUMPED) {
    throw invalid_argument(std::string(what) + " = " + std::to_string(value) +
                           " is no strategy, expected STREAMALLOC_STRATEGY_SPAWN (0), "
                           "STREAMALLOC_STRATEGY_PHILOX (1) or STREAMALLOC_STRATEGY_JUMPED (2)");
  }
  return static_cast<strategy>(value);
}

}  // namespace streamalloc::capi

using namespace streamalloc;
using namespace streamalloc::capi;

extern "C" {

streamalloc_status streamalloc_campaign_create(const char* root, int strategy_value,
                                               int64_t pool_size, streamalloc_campaign** out) {
  return call(__func__, [&] {
    const seed_entropy entropy = seed_entropy::parse(text_of(root, "root"), "root");
    const strategy how = strategy_of(strategy_value, "strategy");
    const std::size_t pool = count_of(pool_size, "pool_size");
    require_out(out, "out");
    *out = make_handle<streamalloc_campaign>(entropy, how,
                                             pool == 0 ? seed_sequence::default_pool_size : pool);
  });
}

streamalloc_status streamalloc_campaign_free(streamalloc_campaign* c) {
  return call(__func__, [&] { free_handle(c, "c"); });
}

streamalloc_status streamalloc_campaign_strategy(const streamalloc_campaign* c, int* out) {
  return call(__func__, [&] {
    const campaign& origin = *checked(c, "c").value;
    require_out(out, "strategy");
    *out = static_cast<int>(origin.how());
  });
}

streamalloc_status streamalloc_campaign_philox_root_key(const streamalloc_campaign* c,
                                                        uint64_t key[2]) {
  return call(__func__, [&] {
    const campaign& origin = *checked(c, "c").value;
    require_array(key, 2, "key");
    key[0] = low64(origin.philox_root_key());
    key[1] = high64(origin.philox_root_key());
  });
}

streamalloc_status streamalloc_campaign_philox_stream(const streamalloc_campaign* c, uint64_t job,
                                                      uint64_t id, streamalloc_bitgen** out) {
  return call(__func__, [&] {
    const campaign& origin = *checked(c, "c").value;
    require_out(out, "out");
    *out = make_handle<streamalloc_bitgen>(origin.philox_stream(job_index(job), stream_id(id)));
  });
}

streamalloc_status streamalloc_campaign_jumped_stream(const streamalloc_campaign* c, uint64_t job,
                                                      uint64_t index, streamalloc_bitgen** out) {
  return call(__func__, [&] {
    const campaign& origin = *checked(c, "c").value;
    require_out(out, "out");
    *out = make_handle<streamalloc_bitgen>(origin.jumped_stream(job_index(job), jump_index(index)));
  });
}

streamalloc_status streamalloc_campaign_spawn_sequence(const streamalloc_campaign* c, uint64_t job,
                                                       const uint64_t* path, int64_t depth,
                                                       streamalloc_seedseq** out) {
  return call(__func__, [&] {
    const campaign& origin = *checked(c, "c").value;
    const std::size_t n = count_of(depth, "depth");
    require_array(path, depth, "path");
    require_out(out, "out");
    *out = make_handle<streamalloc_seedseq>(origin.spawn_sequence(
        job_index(job), task_path(std::vector<std::uint64_t>(path, path + n))));
  });
}

}  // extern "C"
