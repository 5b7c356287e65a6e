// streamalloc-interleave: the streams a campaign hands out, interleaved word by word
// (round-robin: word i of stream 0, of stream 1, ..., of stream n-1, then word i + 1 of each) and
// written to stdout as raw little-endian 64-bit words, for dieharder (-g 200) and PractRand
// (RNG_test stdin64). If the streams were correlated, the interleaved sequence would not look
// random; scripts/statistics.sh runs the batteries on it.
//
// usage: streamalloc-interleave CONFIG STREAMS [WORDS] [ROOT_SEED]
//   WORDS: words per stream to write (default: until the pipe closes)
//   CONFIG, the streams of one campaign that should be independent:
//     philox-adjacent    Philox(key=root_key + i), adjacent stream IDs
//     philox-far         Philox(key=root_key + i * 2^64), IDs 2^64 apart
//     jumped-adjacent    PCG64(root).jumped(i), adjacent jump indices
//     spawn-siblings     PCG64(SeedSequence(root, spawn_key=(0, i)))
//     spawn-cousins      PCG64(SeedSequence(root, spawn_key=(0, i, 0))), children of siblings
//     seeds-consecutive  PCG64(SeedSequence(root + i)), consecutive root seeds
//     stream-set         the variables of one stream set (meta seed root), each drawing
//                        Generator.integers(0, 2**64 - 1, endpoint=True, dtype=uint64) (raw words)
//   and the negative controls, which must fail:
//     control-same       one stream n times (every stream is Philox(key=root_key))
//     control-overlap    PCG64(root) advanced by i words: stream i repeats stream 0's draws
//     control-weak       RANDU, the classic bad LCG, each stream from another odd seed
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "streamalloc/campaign.hpp"
#include "streamalloc/error.hpp"
#include "streamalloc/pcg64.hpp"
#include "streamalloc/philox.hpp"
#include "streamalloc/stream_set/stream_set.hpp"

using namespace streamalloc;

namespace {

using source = std::function<void(std::span<std::uint64_t>)>;

template <class Engine>
source fill_from(Engine engine) {
  return [engine](std::span<std::uint64_t> out) mutable { engine.fill(out); };
}

std::vector<source> make_streams(const std::string& config, std::uint64_t n, std::uint64_t root) {
  std::vector<source> out;
  const seed_entropy entropy(root);
  if (config == "philox-adjacent" || config == "philox-far" || config == "control-same") {
    const campaign c(entropy, strategy::philox);
    for (std::uint64_t i = 0; i < n; ++i) {
      // philox-far: IDs 2^64 apart, i.e. stream 0 of adjacent jobs (campaign.hpp).
      const uint128 key = config == "philox-adjacent" ? c.philox_key(job_index(0), stream_id(i))
                          : config == "philox-far"    ? c.philox_key(job_index(i), stream_id(0))
                                                      : c.philox_root_key();
      out.push_back(fill_from(philox::from_key(big_uint::from_uint128(key))));
    }
  } else if (config == "jumped-adjacent") {
    const campaign c(entropy, strategy::jumped);
    for (std::uint64_t i = 0; i < n; ++i)
      out.push_back(fill_from(c.jumped_stream(job_index(0), jump_index(i))));
  } else if (config == "spawn-siblings" || config == "spawn-cousins") {
    const campaign c(entropy, strategy::spawn);
    for (std::uint64_t i = 0; i < n; ++i) {
      const task_path path = config == "spawn-siblings" ? task_path{i} : task_path{i, 0};
      out.push_back(fill_from(pcg64(c.spawn_sequence(job_index(0), path))));
    }
  } else if (config == "seeds-consecutive") {
    for (std::uint64_t i = 0; i < n; ++i) {
      out.push_back(fill_from(pcg64(seed_sequence(seed_entropy(root + i)))));
    }
  } else if (config == "stream-set") {
    auto set = std::make_shared<stream_set>(seed_sequence(entropy));
    for (std::uint64_t i = 0; i < n; ++i) {
      auto x = set->integers<std::uint64_t>(std::uint64_t{0}, UINT64_MAX, true);
      out.push_back([set, x](std::span<std::uint64_t> words) mutable { x.fill(words); });
    }
  } else if (config == "control-overlap") {
    const pcg64 base{seed_sequence(entropy)};
    for (std::uint64_t i = 0; i < n; ++i) {
      pcg64 g = base;
      g.advance(big_uint(i));
      out.push_back(fill_from(g));
    }
  } else if (config == "control-weak") {
    // RANDU (x <- 65539 x mod 2^31), two 31-bit outputs per word: its triples lie on 15 planes.
    std::uint32_t state = static_cast<std::uint32_t>(root) | 1U;
    for (std::uint64_t i = 0; i < n; ++i) {
      out.push_back([state](std::span<std::uint64_t> words) mutable {
        const auto next = [&] {
          return state = static_cast<std::uint32_t>((std::uint64_t{65539} * state) & 0x7FFFFFFFU);
        };
        for (auto& w : words) w = std::uint64_t{next()} << 33 | std::uint64_t{next()} << 1;
      });
      state =
          static_cast<std::uint32_t>((std::uint64_t{state} * 69069U + 2U * i + 1U) & 0x7FFFFFFFU) |
          1U;
    }
  } else {
    throw invalid_argument("unknown configuration '" + config + "'");
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);  // a reader that has read enough ends the run: exit 0
  try {
    if (argc < 3 || argc > 5) {
      std::fprintf(stderr, "usage: %s CONFIG STREAMS [WORDS] [ROOT_SEED]\n", argv[0]);
      return 2;
    }
    const std::uint64_t n = big_uint::parse(argv[2], "STREAMS").low_u64();
    const bool bounded = argc >= 4 && std::strcmp(argv[3], "0") != 0;
    std::uint64_t left = argc >= 4 ? big_uint::parse(argv[3], "WORDS").low_u64() : 0;
    const std::uint64_t root = argc >= 5 ? big_uint::parse(argv[4], "ROOT_SEED").low_u64() : 12345;
    if (n == 0) throw invalid_argument("STREAMS: expected at least 1");
    auto streams = make_streams(argv[1], n, root);
    // Each stream fills a block of `block` words; the output is their transpose.
    const std::size_t block = std::max<std::size_t>(1, 65536 / n);
    std::vector<std::uint64_t> words(block * n), out(block * n);
    std::vector<unsigned char> bytes(out.size() * 8);
    std::uint64_t written = 0;
    while (!bounded || left > 0) {
      const std::size_t take =
          bounded ? static_cast<std::size_t>(std::min<std::uint64_t>(left, block)) : block;
      for (std::size_t s = 0; s < n; ++s) streams[s](std::span(words).subspan(s * block, take));
      for (std::size_t k = 0; k < take; ++k) {
        for (std::size_t s = 0; s < n; ++s) out[k * n + s] = words[s * block + k];
      }
      const std::size_t count = take * n;
      for (std::size_t i = 0; i < count; ++i) {
        for (int b = 0; b < 8; ++b)
          bytes[8 * i + static_cast<std::size_t>(b)] =
              static_cast<unsigned char>(out[i] >> (8 * b));
      }
      if (std::fwrite(bytes.data(), 8, count, stdout) != count) break;  // the reader is done
      written += count;
      if (bounded) left -= take;
    }
    // How much the reader took (at most one block more than it read): the size column of the
    // results table.
    std::fprintf(stderr, "streamalloc-interleave: wrote %llu bytes\n",
                 static_cast<unsigned long long>(written * 8));
    return 0;
  } catch (const error& e) {
    std::fprintf(stderr, "streamalloc-interleave: %s\n", e.what());
    return 2;
  }
}
