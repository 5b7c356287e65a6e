// streamalloc_seedseq_*: NumPy's SeedSequence through the C API.
#include <span>
#include <string>
#include <vector>

#include "boundary.hpp"
#include "types.hpp"

namespace streamalloc::capi {
namespace {

std::vector<big_uint> spawn_key_of(const std::uint64_t* key, std::int64_t length) {
  const std::size_t n = count_of(length, "spawn_key_len");
  require_array(key, length, "spawn_key");
  std::vector<big_uint> out;
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) out.emplace_back(key[i]);
  return out;
}

std::size_t pool_size_of(std::int64_t pool_size) {
  const std::size_t n = count_of(pool_size, "pool_size");
  return n == 0 ? seed_sequence::default_pool_size : n;
}

template <class Word>
streamalloc_status create_from_words(const char* function, const Word* words, std::int64_t n_words,
                                     const std::uint64_t* spawn_key, std::int64_t spawn_key_len,
                                     std::int64_t pool_size, streamalloc_seedseq** out) {
  return call(function, [&] {
    require_out(out, "out");
    const std::size_t n = count_of(n_words, "n_words");
    require_array(words, n_words, "words");
    std::vector<big_uint> values;
    values.reserve(n);
    for (std::size_t i = 0; i < n; ++i) values.emplace_back(std::uint64_t{words[i]});
    *out = make_handle<streamalloc_seedseq>(seed_entropy::list(std::move(values)),
                                            spawn_key_of(spawn_key, spawn_key_len),
                                            pool_size_of(pool_size));
  });
}

}  // namespace
}  // namespace streamalloc::capi

using namespace streamalloc;
using namespace streamalloc::capi;

extern "C" {

streamalloc_status streamalloc_seedseq_create(const char* entropy, const uint64_t* spawn_key,
                                              int64_t spawn_key_len, int64_t pool_size,
                                              streamalloc_seedseq** out) {
  return call(__func__, [&] {
    require_out(out, "out");
    *out = make_handle<streamalloc_seedseq>(
        seed_entropy::parse(text_of(entropy, "entropy"), "entropy"),
        spawn_key_of(spawn_key, spawn_key_len), pool_size_of(pool_size));
  });
}

streamalloc_status streamalloc_seedseq_create_u32(const uint32_t* words, int64_t n_words,
                                                  const uint64_t* spawn_key, int64_t spawn_key_len,
                                                  int64_t pool_size, streamalloc_seedseq** out) {
  return create_from_words(__func__, words, n_words, spawn_key, spawn_key_len, pool_size, out);
}

streamalloc_status streamalloc_seedseq_create_u64(const uint64_t* words, int64_t n_words,
                                                  const uint64_t* spawn_key, int64_t spawn_key_len,
                                                  int64_t pool_size, streamalloc_seedseq** out) {
  return create_from_words(__func__, words, n_words, spawn_key, spawn_key_len, pool_size, out);
}

streamalloc_status streamalloc_seedseq_free(streamalloc_seedseq* seq) {
  return call(__func__, [&] { free_handle(seq, "seq"); });
}

streamalloc_status streamalloc_seedseq_spawn(streamalloc_seedseq* seq, int64_t n,
                                             streamalloc_seedseq** children) {
  return call(__func__, [&] {
    seed_sequence& s = *checked(seq, "seq").value;
    const std::size_t count = count_of(n, "n");
    require_array(children, n, "children");
    // Spawn from a copy first: on any failure the caller's sequence keeps its counter.
    seed_sequence copy = s;
    std::vector<seed_sequence> spawned = copy.spawn(count);
    std::vector<pending_handle<streamalloc_seedseq>> made;
    made.reserve(count);
    for (auto& child : spawned)
      made.emplace_back(make_handle<streamalloc_seedseq>(std::move(child)));
    s = std::move(copy);
    for (std::size_t i = 0; i < count; ++i) children[i] = made[i].release();
  });
}

streamalloc_status streamalloc_seedseq_generate_state_u32(const streamalloc_seedseq* seq,
                                                          uint32_t* out, int64_t n) {
  return call(__func__, [&] {
    const seed_sequence& s = *checked(seq, "seq").value;
    const std::size_t count = count_of(n, "n");
    require_array(out, n, "out");
    s.generate_state(std::span<std::uint32_t>(out, count));
  });
}

streamalloc_status streamalloc_seedseq_generate_state_u64(const streamalloc_seedseq* seq,
                                                          uint64_t* out, int64_t n) {
  return call(__func__, [&] {
    const seed_sequence& s = *checked(seq, "seq").value;
    const std::size_t count = count_of(n, "n");
    require_array(out, n, "out");
    s.generate_state(std::span<std::uint64_t>(out, count));
  });
}

streamalloc_status streamalloc_seedseq_n_children_spawned(const streamalloc_seedseq* seq,
                                                          uint64_t* out) {
  return call(__func__, [&] {
    const seed_sequence& s = *checked(seq, "seq").value;
    require_out(out, "out");
    *out = s.n_children_spawned();
  });
}

streamalloc_status streamalloc_seedseq_spawn_key(const streamalloc_seedseq* seq, uint64_t* key,
                                                 int64_t capacity, int64_t* length) {
  return call(__func__, [&] {
    const seed_sequence& s = *checked(seq, "seq").value;
    require_out(length, "length");
    const std::size_t room = count_of(capacity, "capacity");
    const auto& words = s.spawn_key();
    for (const auto& w : words) {
      if (!w.fits_u64()) {
        throw invalid_argument("spawn key entry " + w.to_string() +
                               " does not fit 64 bits (read it from the state JSON instead)");
      }
    }
    *length = static_cast<std::int64_t>(words.size());
    if (key == nullptr && room == 0) return;
    require_array(key, capacity, "key");
    if (room < words.size()) {
      throw invalid_argument("key holds " + std::to_string(room) + " entries, the spawn key has " +
                             std::to_string(words.size()));
    }
    for (std::size_t i = 0; i < words.size(); ++i) key[i] = words[i].low_u64();
  });
}

streamalloc_status streamalloc_seedseq_state_json(const streamalloc_seedseq* seq, char* buf,
                                                  int64_t capacity, int64_t* length) {
  return call(__func__,
              [&] { write_out(checked(seq, "seq").value->state_json(), buf, capacity, length); });
}

}  // extern "C"
