// Writes the stream-set snapshot seeds of the fuzz corpora (scripts/fuzz-seed-corpus.sh):
// real snapshots, from real stream sets, by the library's own writers.
// usage: seed_corpus_writer <snapshot_json_dir> <snapshot_binary_dir>
#include <fstream>
#include <string>

#include "streamalloc/stream_set/stream_set.hpp"
#include "streamalloc/stream_set/snapshot.hpp"

using namespace streamalloc;

namespace {

void write(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) return 2;
  const std::string json_dir = argv[1], binary_dir = argv[2];
  int n = 0;
  for (const auto family :
       {bit_generator_kind::pcg64, bit_generator_kind::pcg64dxsm, bit_generator_kind::philox,
        bit_generator_kind::sfc64, bit_generator_kind::mt19937}) {
    stream_set set{seed_sequence(seed_entropy(12345 + static_cast<unsigned>(n))), family};
    auto x = set.normal(0.0, 2.0);
    auto k = set.integers(0, 10);
    (void)x();
    (void)k();
    if (n == 0) {
      auto m = set.multinomial(5, {0.2, 0.3, 0.5});
      auto g = set.gamma(2.0);
      auto b = set.binomial(20, 0.25);
      auto u = set.uniform(-1.0, 1.0);
      (void)m();
      (void)g();
      (void)b();
      (void)u();
    }
    const stream_set_snapshot snap = set.snapshot();
    write(json_dir + "/set_" + std::to_string(n) + ".json", to_json(snap));
    const auto bytes = to_bytes(snap);
    // The binary target's first byte 0 means "the whole file follows".
    write(binary_dir + "/set_" + std::to_string(n) + ".bin",
          std::string(1, '\0') +
              std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
    ++n;
  }
  stream_set empty{seed_sequence(seed_entropy(7))};
  write(json_dir + "/empty.json", to_json(empty.snapshot(), 2));
  return 0;
}
